/**
 * The to-do views of the task list, as list filters (pure, so tested without a browser):
 * my open tasks, overdue ones, today's, and every task. Times are the user's local day.
 */
import type { Filter } from '../../app/query.ts';

export const TASK_VIEWS = ['mine', 'overdue', 'today', 'all'] as const;
export type TaskView = (typeof TASK_VIEWS)[number];

function startOfDay(now: Date): Date {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d;
}

export function taskViewFilters(view: TaskView, me: string, now = new Date()): Filter[] {
  const open: Filter = { field: 'status', op: 'eq', value: 'open' };
  const mine: Filter = { field: 'assigneeId', op: 'eq', value: me };
  switch (view) {
    case 'mine':
      return [open, mine];
    case 'overdue':
      return [open, mine, { field: 'dueAt', op: 'lt', value: now.toISOString() }];
    case 'today': {
      const start = startOfDay(now);
      const end = new Date(start);
      end.setDate(end.getDate() + 1);
      return [open, mine, { field: 'dueAt', op: 'gte', value: start.toISOString() }, { field: 'dueAt', op: 'lt', value: end.toISOString() }];
    }
    default:
      return [];
  }
}

/** Which preset the filters are (so the switch shows it), or null when the user filtered by hand. */
export function viewOf(filters: Filter[], me: string): TaskView | null {
  const key = (fs: Filter[]) => JSON.stringify(fs.map((f) => [f.field, f.op, f.field === 'dueAt' ? '' : f.value]).sort());
  for (const v of TASK_VIEWS) if (key(taskViewFilters(v, me)) === key(filters)) return v;
  return null;
}

/** An open task whose due time has passed. */
export function isOverdue(task: { status?: unknown; dueAt?: unknown }, now = new Date()): boolean {
  if (task.status !== 'open' || typeof task.dueAt !== 'string' || !task.dueAt) return false;
  const due = Date.parse(task.dueAt.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T').replace(/([+-]\d{2})$/, '$1:00'));
  return Number.isFinite(due) && due < now.getTime();
}
