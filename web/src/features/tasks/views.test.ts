import { describe, expect, it } from 'vitest';
import { isOverdue, taskViewFilters, viewOf } from './views.ts';
import { LIST_DEFAULT_SORT } from '../records/listQuery.ts';
import { ENTITIES } from '../entities.ts';

const ME = '0190aaaa-0000-7000-8000-000000000001';

describe('task to-do views', () => {
  it('opens on my open tasks, soonest due first — not on old done or cancelled ones', () => {
    expect(ENTITIES.tasks.defaultFilters).toEqual(taskViewFilters('mine', '@me'));
    expect(LIST_DEFAULT_SORT.tasks).toBe('dueAt');
  });
  it('overdue and today are open tasks of mine by due time', () => {
    const now = new Date('2026-12-02T15:00:00');
    expect(taskViewFilters('overdue', ME, now)).toContainEqual({ field: 'dueAt', op: 'lt', value: now.toISOString() });
    const today = taskViewFilters('today', ME, now);
    expect(today).toContainEqual({ field: 'dueAt', op: 'gte', value: new Date('2026-12-02T00:00:00').toISOString() });
    expect(today).toContainEqual({ field: 'dueAt', op: 'lt', value: new Date('2026-12-03T00:00:00').toISOString() });
    expect(viewOf(taskViewFilters('today', ME), ME)).toBe('today');
    expect(viewOf([], ME)).toBe('all');
    expect(viewOf([{ field: 'kind', op: 'eq', value: 'promise' }], ME)).toBeNull();
  });
  it('flags an open task past its due time, in the API\'s timestamp text too', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    expect(isOverdue({ status: 'open', dueAt: '2026-12-01 09:00:00+00' }, now)).toBe(true);
    expect(isOverdue({ status: 'done', dueAt: '2026-12-01 09:00:00+00' }, now)).toBe(false);
    expect(isOverdue({ status: 'open', dueAt: '2026-12-03T09:00:00Z' }, now)).toBe(false);
    expect(isOverdue({ status: 'open', dueAt: null }, now)).toBe(false);
  });
});
