import { describe, expect, it } from 'vitest';
import { cardLayout, CARD_FIELDS } from './DataCards.tsx';
import type { Column } from './DataTable.tsx';

const col = (key: string, card?: Column<{ id: string }>['card']): Column<{ id: string }> => ({ key, header: key, width: 100, render: () => key, card });

describe('cardLayout: which columns make a phone card', () => {
  it('takes the title column wherever it is, badges apart, at most four labelled fields in column order', () => {
    const l = cardLayout([col('occurredAt'), col('kind', 'badge'), col('subject', 'title'), col('a'), col('b'), col('direction', 'badge'), col('c'), col('d'), col('e')]);
    expect(l.title?.key).toBe('subject');
    expect(l.badges.map((c) => c.key)).toEqual(['kind', 'direction']);
    expect(l.fields.map((c) => c.key)).toEqual(['occurredAt', 'a', 'b', 'c']);
    expect(l.fields).toHaveLength(CARD_FIELDS);
  });

  it('without a title column the first column is the title; hidden columns are left out', () => {
    const l = cardLayout([col('name'), col('secret', 'hidden'), col('x')]);
    expect(l.title?.key).toBe('name');
    expect(l.fields.map((c) => c.key)).toEqual(['x']);
  });

  it('at most three badges', () => {
    expect(cardLayout([col('t', 'title'), ...['p', 'q', 'r', 's'].map((k) => col(k, 'badge'))]).badges).toHaveLength(3);
  });
});
