/** Problems resolved from complaint handling (rules.ts classifyComplaint, complaintHandling): examples and properties. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyComplaint, complaintHandling, countsForHandling, emptyHandlingCounts, HANDLING_CLASSES, type HandlingCounts } from './rules.ts';

const now = new Date('2026-11-20T10:00:00Z');
const counts = (c: Partial<HandlingCounts>): HandlingCounts => ({ ...emptyHandlingCounts(), ...c });

describe('classifyComplaint', () => {
  it('resolved by the deadline is on time, after it late; no deadline cannot be late', () => {
    expect(classifyComplaint({ status: 'resolved', outcome: 'resolved', dueAt: '2026-11-10T00:00:00Z', resolvedAt: '2026-11-10T00:00:00Z' }, now)).toBe('on_time');
    expect(classifyComplaint({ status: 'closed', outcome: 'resolved', dueAt: '2026-11-10T00:00:00Z', resolvedAt: '2026-11-10T00:00:01Z' }, now)).toBe('late');
    expect(classifyComplaint({ status: 'resolved', outcome: null, dueAt: null, resolvedAt: '2026-11-10T00:00:00Z' }, now)).toBe('on_time');
  });
  it('rejected (also once closed), closed without a resolution, open and overdue unless waiting for the customer', () => {
    expect(classifyComplaint({ status: 'closed', outcome: 'rejected', dueAt: null, resolvedAt: '2026-11-01T00:00:00Z' }, now)).toBe('rejected');
    expect(classifyComplaint({ status: 'closed', outcome: null, dueAt: '2026-11-01T00:00:00Z', resolvedAt: null }, now)).toBe('closed_unresolved');
    expect(classifyComplaint({ status: 'investigating', dueAt: '2026-11-20T10:00:00Z', resolvedAt: null }, now)).toBe('open_overdue');
    expect(classifyComplaint({ status: 'investigating', dueAt: '2026-11-20T10:00:01Z', resolvedAt: null }, now)).toBe('open');
    expect(classifyComplaint({ status: 'responded', dueAt: '2026-11-01T00:00:00Z', resolvedAt: null, pausedAt: '2026-10-30T00:00:00Z' }, now)).toBe('open');
  });
  it('settled complaints count for twelve months, open ones whatever their age', () => {
    expect(countsForHandling({ status: 'resolved', dueAt: null, resolvedAt: null, receivedAt: '2025-11-19T00:00:00Z' }, now)).toBe(false);
    expect(countsForHandling({ status: 'resolved', dueAt: null, resolvedAt: null, receivedAt: '2025-11-21T00:00:00Z' }, now)).toBe(true);
    expect(countsForHandling({ status: 'received', dueAt: null, resolvedAt: null, receivedAt: '2020-01-01T00:00:00Z' }, now)).toBe(true);
  });
});

describe('complaintHandling', () => {
  it('the table of docs/feedback.md, row by row', () => {
    expect(complaintHandling(counts({})).level).toBe('none');
    expect(complaintHandling(counts({ on_time: 9, open_overdue: 1 })).level).toBe('at_risk');
    expect(complaintHandling(counts({ open: 2 })).level).toBe('in_progress');
    expect(complaintHandling(counts({ rejected: 2 })).level).toBe('none');
    expect(complaintHandling(counts({ on_time: 4, late: 1, rejected: 5 }))).toMatchObject({ level: 'good', settled: 5, onTimeShare: 0.8 });
    expect(complaintHandling(counts({ on_time: 1, late: 1, closed_unresolved: 1 }))).toMatchObject({ level: 'at_risk', settled: 3 });
    expect(complaintHandling(counts({ late: 1 }))).toMatchObject({ level: 'mixed', onTimeShare: 0 });
    expect(complaintHandling(counts({ on_time: 1, late: 1 })).level).toBe('mixed');
  });
  it('disagrees with the survey only when the survey says engaged and the complaints at risk', () => {
    expect(complaintHandling(counts({ open_overdue: 1 }), 'fully_engaged').conflictsWithSurvey).toBe(true);
    expect(complaintHandling(counts({ open_overdue: 1 }), 'engaged').conflictsWithSurvey).toBe(true);
    expect(complaintHandling(counts({ open_overdue: 1 }), 'not_engaged').conflictsWithSurvey).toBe(false);
    expect(complaintHandling(counts({ on_time: 3 }), 'engaged').conflictsWithSurvey).toBe(false);
    expect(complaintHandling(counts({ open_overdue: 1 }), null).conflictsWithSurvey).toBe(false);
  });

  const countsArb = fc.record(Object.fromEntries(HANDLING_CLASSES.map((k) => [k, fc.nat({ max: 20 })])) as Record<keyof HandlingCounts, fc.Arbitrary<number>>);
  const RANK = { at_risk: 0, mixed: 1, good: 2 } as Record<string, number>;

  it('properties: none only without complaints to count; overdue is always at risk; the share is in [0, 1]', () => {
    fc.assert(fc.property(countsArb, (c) => {
      const h = complaintHandling(c);
      const total = HANDLING_CLASSES.reduce((s, k) => s + c[k], 0);
      if (!total) expect(h.level).toBe('none');
      if (h.level === 'none') expect(c.on_time + c.late + c.closed_unresolved + c.open + c.open_overdue).toBe(0);
      if (c.open_overdue > 0) expect(h.level).toBe('at_risk');
      if (h.onTimeShare !== null) {
        expect(h.onTimeShare).toBeGreaterThanOrEqual(0);
        expect(h.onTimeShare).toBeLessThanOrEqual(1);
      }
      expect(h.settled).toBe(c.on_time + c.late + c.closed_unresolved);
    }));
  });
  it('properties: one more complaint resolved on time never makes it worse, one more late or unresolved never better; rejections change nothing', () => {
    fc.assert(fc.property(countsArb, (c) => {
      const base = complaintHandling(c).level;
      const better = complaintHandling({ ...c, on_time: c.on_time + 1 }).level;
      const worse = complaintHandling({ ...c, late: c.late + 1 }).level;
      const unresolved = complaintHandling({ ...c, closed_unresolved: c.closed_unresolved + 1 }).level;
      if (base in RANK) {
        expect(RANK[better]!).toBeGreaterThanOrEqual(RANK[base]!);
        expect(RANK[worse]!).toBeLessThanOrEqual(RANK[base]!);
        expect(RANK[unresolved]!).toBeLessThanOrEqual(RANK[base]!);
      }
      if (c.on_time + c.late + c.closed_unresolved + c.open + c.open_overdue > 0) expect(complaintHandling({ ...c, rejected: c.rejected + 1 }).level).toBe(base);
    }));
  });
});
