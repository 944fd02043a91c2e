import { describe, expect, it } from 'vitest';
import { columnTotals, groupByStage, moveOpp, type Opp } from './board.ts';

const o = (id: string, stage: string, amount: string | null, currency = 'USD'): Opp => ({ id, name: id, buyingStage: stage, amount, currency, version: 1 });

describe('pipeline board', () => {
  it('groups by stage keeping every configured column', () => {
    const g = groupByStage([o('a', 'decision', '1'), o('b', 'decision', '2')], ['recognition_of_needs', 'decision']);
    expect(g.recognition_of_needs).toEqual([]);
    expect(g.decision!.map((x) => x.id)).toEqual(['a', 'b']);
  });
  it('totals per currency, ignoring missing amounts', () => {
    expect(columnTotals([o('a', 's', '100.50'), o('b', 's', '200'), o('c', 's', '5', 'EUR'), o('d', 's', null)])).toEqual([
      { currency: 'USD', amount: 300.5 },
      { currency: 'EUR', amount: 5 },
    ]);
  });
  it('moves one card without touching the others', () => {
    const before = [o('a', 'x', '1'), o('b', 'x', '1')];
    const after = moveOpp(before, 'a', 'y');
    expect(after.map((x) => x.buyingStage)).toEqual(['y', 'x']);
    expect(before[0]!.buyingStage).toBe('x');
  });
});
