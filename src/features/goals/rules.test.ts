import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conversions, elapsedFraction, median, pace, periodContaining, periodProblem, periodsOverlap, scopeKey } from './rules.ts';
import { bucketOf, demandProblem, isFall, shareOfWallet, trend, walletGap } from '../funnel/rules.ts';

describe('goal rules', () => {
  it('knows calendar months and quarters', () => {
    expect(periodContaining('month', '2024-02-15')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(periodContaining('quarter', '2026-11-23')).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    expect(periodProblem('quarter', '2026-04-01', '2026-06-30')).toBeNull();
    expect(periodProblem('quarter', '2026-05-01', '2026-07-31')?.path).toBe('periodStart');
    expect(periodProblem('month', '2026-02-01', '2026-02-28')).toBeNull();
    expect(periodProblem('month', '2026-02-01', '2026-03-31')?.path).toBe('periodEnd');
  });

  it('every day lies in exactly one month and one quarter, and the month lies in the quarter', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }), (d) => {
        const day = d.toISOString().slice(0, 10);
        const m = periodContaining('month', day);
        const q = periodContaining('quarter', day);
        return m.start <= day && day <= m.end && q.start <= m.start && m.end <= q.end && periodProblem('month', m.start, m.end) === null && periodProblem('quarter', q.start, q.end) === null;
      }),
    );
  });

  it('overlap and scope keys', () => {
    expect(periodsOverlap({ start: '2026-01-01', end: '2026-01-31' }, { start: '2026-01-31', end: '2026-03-31' })).toBe(true);
    expect(periodsOverlap({ start: '2026-01-01', end: '2026-01-31' }, { start: '2026-02-01', end: '2026-02-28' })).toBe(false);
    expect(scopeKey({ scope: 'org', team: 'x' })).toBe(scopeKey({ scope: 'org' }));
    expect(scopeKey({ scope: 'team', team: 'North' })).not.toBe(scopeKey({ scope: 'team', team: 'South' }));
    expect(scopeKey({ scope: 'org', segmentId: 's' })).not.toBe(scopeKey({ scope: 'org' }));
  });

  it('pace against the calendar', () => {
    expect(elapsedFraction('2026-03-01', '2026-03-31', new Date('2026-02-28T12:00:00Z'))).toBe(0);
    expect(elapsedFraction('2026-03-01', '2026-03-31', new Date('2026-04-01T00:00:00Z'))).toBe(1);
    expect(elapsedFraction('2026-04-01', '2026-04-30', new Date('2026-04-16T00:00:00Z'))).toBe(0.5);
    expect(pace(30, 14, 0.5).status).toBe('on_track'); // 14 ≥ 15 × 0.9
    expect(pace(30, 13, 0.5).status).toBe('behind');
    expect(pace(30, 30, 0.2).status).toBe('achieved');
    expect(pace(30, 29, 1).status).toBe('missed');
    expect(pace(30, 0, 0).status).toBe('upcoming');
    expect(pace(30, 12, 0.5)).toMatchObject({ expected: 15, remaining: 18 });
  });

  it('more progress never makes the pace worse', () => {
    const order = { missed: 0, behind: 1, upcoming: 2, on_track: 2, achieved: 3 } as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 1, noNaN: true }), (target, actual, f) => {
        return order[pace(target, actual + 1, f).status] >= order[pace(target, actual, f).status];
      }),
    );
  });

  it('conversion and median', () => {
    const c = conversions([
      { stage: 'b', rank: 2, reached: 5, advanced: 2 },
      { stage: 'a', rank: 1, reached: 10, advanced: 4 },
      { stage: 'c', rank: 3, reached: 0 },
    ]);
    expect(c).toEqual([
      { stage: 'a', toNext: 0.4, fromFirst: 1 },
      { stage: 'b', toNext: 0.4, fromFirst: 0.5 },
      { stage: 'c', toNext: null, fromFirst: 0 },
    ]);
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('wallet rules', () => {
  it('share, gap, buckets, currency and trend', () => {
    expect(shareOfWallet(1, 100)).toBe(0.01);
    expect(shareOfWallet(1, 0)).toBeNull();
    expect(walletGap(120, 100)).toBe(0);
    expect(bucketOf(0)).toBe('0-10');
    expect(bucketOf(0.1)).toBe('10-25');
    expect(bucketOf(1)).toBe('100+');
    expect(demandProblem('100', 'EUR', 'USD')).toMatch(/EUR/);
    expect(demandProblem('100', null, 'USD')).toBeNull();
    expect(demandProblem(null, null, 'USD')).toMatch(/No total/);
    expect(trend([0.1, null, 0.2])).toEqual({ direction: 'up', change: 0.1 });
    expect(trend([0.2])).toEqual({ direction: 'unknown', change: null });
    expect(isFall(3, 1)).toBe(true);
    expect(isFall(1, 3)).toBe(false);
    expect(isFall(null, 1)).toBe(false);
  });
});
