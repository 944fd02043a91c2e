import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rescoreDecision, SCORED_WRITES } from './prompt.ts';

describe('rescoreDecision', () => {
  it('runs once the organization has been quiet for the quiet time, or the longest wait after its first write', () => {
    expect(rescoreDecision({ first: 0, last: 0 }, 5_000, 10_000, 60_000)).toEqual({ run: false, waitMs: 5_000 });
    expect(rescoreDecision({ first: 0, last: 0 }, 10_000, 10_000, 60_000)).toEqual({ run: true });
    expect(rescoreDecision({ first: 0, last: 55_000 }, 58_000, 10_000, 60_000)).toEqual({ run: false, waitMs: 2_000 });
    expect(rescoreDecision({ first: 0, last: 59_000 }, 60_000, 10_000, 60_000)).toEqual({ run: true });
    // Not sooner than the minimum interval after the previous rescore.
    expect(rescoreDecision({ first: 0, last: 0, lastRun: -30_000 }, 10_000, 10_000, 60_000, 120_000)).toEqual({ run: false, waitMs: 80_000 });
    expect(rescoreDecision({ first: 0, last: 0, lastRun: -200_000 }, 10_000, 10_000, 60_000, 120_000)).toEqual({ run: true });
  });
  it('never waits past the longest wait, never runs before the first write is quiet or that long', () => {
    fc.assert(fc.property(fc.nat(100_000), fc.nat(100_000), fc.nat(200_000), fc.integer({ min: 1, max: 30_000 }), fc.integer({ min: 1, max: 120_000 }), (first, gap, at, quiet, maxWait) => {
      const last = first + gap;
      const now = first + at;
      const d = rescoreDecision({ first, last }, now, quiet, maxWait);
      if (d.run) expect(now >= Math.min(last + quiet, first + maxWait)).toBe(true);
      else expect(now + d.waitMs).toBe(Math.min(last + quiet, first + maxWait));
    }));
  });
});

it('scored writes: records and what scores read, not the rest', () => {
  for (const p of ['/api/v1/accounts', '/api/v1/accounts/x', '/api/v1/opportunities/1/stage-history', '/api/v1/buying-center/members/x', '/api/v1/evaluation/settings']) expect(SCORED_WRITES.test(p), p).toBe(true);
  for (const p of ['/api/v1/tasks', '/api/v1/views', '/api/v1/reports', '/api/v1/auth/login', '/api/v1/accountsx']) expect(SCORED_WRITES.test(p), p).toBe(false);
});
