import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes, businessMinutesBetween, checkTransition, COMPLAINT_STATUSES, complaintDeadlines, DEFAULT_SERVICE_SETTINGS, nextStatuses, rankSuggestions, ratingPolarity, type Calendar,
  type ComplaintStatus,
} from './rules.ts';

const cal = DEFAULT_SERVICE_SETTINGS;
const at = (s: string) => new Date(s);

describe('complaint workflow', () => {
  it('follows the ISO 10002 steps in order', () => {
    const path: ComplaintStatus[] = ['received', 'acknowledged', 'assessed', 'investigating', 'responded', 'resolved', 'closed'];
    const input = { severity: 'high', impact: 'two sites', reason: 'done' };
    for (let i = 0; i + 1 < path.length; i++) expect(checkTransition(path[i]!, path[i + 1]!, input)).toEqual({ ok: true });
    expect(checkTransition('received', 'resolved', input)).toMatchObject({ ok: false, field: 'to' });
    expect(checkTransition('assessed', 'rejected', {})).toMatchObject({ ok: false, field: 'reason' });
    expect(checkTransition('acknowledged', 'assessed', { impact: 'x' })).toMatchObject({ ok: false, field: 'severity' });
    expect(checkTransition('acknowledged', 'assessed', { impact: 'x' }, { severity: 'low' })).toEqual({ ok: true });
    expect(checkTransition('responded', 'investigating', {})).toEqual({ ok: true });
  });

  it('property: closed is final; closing needs a reason from anywhere; no step skips ahead', () => {
    fc.assert(fc.property(fc.constantFrom(...COMPLAINT_STATUSES), fc.constantFrom(...COMPLAINT_STATUSES), fc.option(fc.string(), { nil: undefined }), (from, to, reason) => {
      const r = checkTransition(from, to, { severity: 'low', impact: 'i', reason });
      if (from === 'closed') return !r.ok;
      if (to === 'closed') return r.ok === !!reason?.trim();
      return r.ok === (nextStatuses(from).includes(to) && (to !== 'rejected' || !!reason?.trim()));
    }));
  });
});

describe('service calendar', () => {
  it('counts business hours (Mon–Fri 9–18, UTC+8) and skips weekends and holidays', () => {
    // Friday 2026-12-04 17:00 Beijing = 09:00Z; 2 business hours → Monday 10:00 Beijing.
    expect(addBusinessMinutes(at('2026-12-04T09:00:00Z'), 120, cal).toISOString()).toBe('2026-12-07T02:00:00.000Z');
    // Before opening: counts from 9:00.
    expect(addBusinessMinutes(at('2026-12-07T00:00:00Z'), 60, cal).toISOString()).toBe('2026-12-07T02:00:00.000Z');
    // National Day week is a holiday: Wednesday 30 Sept 17:00 + 2 h → Thursday 8 Oct 10:00.
    expect(addBusinessMinutes(at('2026-09-30T09:00:00Z'), 120, cal).toISOString()).toBe('2026-10-08T02:00:00.000Z');
    expect(businessMinutesBetween(at('2026-12-04T09:00:00Z'), at('2026-12-07T02:00:00Z'), cal)).toBe(120);
    expect(businessMinutesBetween(at('2026-12-05T02:00:00Z'), at('2026-12-06T10:00:00Z'), cal)).toBe(0);
  });

  const calendars = fc.record({
    utcOffsetMinutes: fc.integer({ min: -720, max: 840 }),
    week: fc.array(fc.option(fc.tuple(fc.integer({ min: 0, max: 1380 }), fc.integer({ min: 1, max: 1440 })).filter(([a, b]) => b > a), { nil: null }), { minLength: 7, maxLength: 7 })
      .filter((w) => w.some((d) => d !== null)),
    holidays: fc.array(fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), { maxLength: 30 }),
  }) as fc.Arbitrary<Calendar>;
  const instants = fc.date({ min: new Date('2026-01-01'), max: new Date('2027-06-30'), noInvalidDate: true });

  it('property: the business time between a start and start + m is m; adding more never ends earlier', () => {
    fc.assert(fc.property(calendars, instants, fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 5_000 }), (c, start, m, extra) => {
      const end = addBusinessMinutes(start, m, c);
      expect(end.getTime()).toBeGreaterThanOrEqual(start.getTime());
      expect(Math.abs(businessMinutesBetween(start, end, c) - m)).toBeLessThan(1e-6);
      expect(addBusinessMinutes(start, m + extra, c).getTime()).toBeGreaterThanOrEqual(end.getTime());
    }), { numRuns: 300 });
  });

  it('property: business time is additive over a split point', () => {
    fc.assert(fc.property(calendars, instants, instants, instants, (c, a, b, m) => {
      const [x, y, z] = [a, b, m].sort((p, q) => p.getTime() - q.getTime());
      const whole = businessMinutesBetween(x!, z!, c);
      expect(Math.abs(whole - businessMinutesBetween(x!, y!, c) - businessMinutesBetween(y!, z!, c))).toBeLessThan(1e-6);
    }), { numRuns: 200 });
  });

  it('deadlines: public channels faster, severity shorter, waiting time added, warning before the deadline', () => {
    const start = at('2026-12-07T01:00:00Z'); // Monday 9:00 Beijing
    const email = complaintDeadlines(start, 'high', 1, 0, cal);
    const media = complaintDeadlines(start, 'high', 0.25, 0, cal);
    expect(businessMinutesBetween(start, email.dueAt, cal)).toBe(45 * 60);
    expect(businessMinutesBetween(start, media.dueAt, cal)).toBe(Math.round(45 * 60 * 0.25));
    expect(media.dueAt.getTime()).toBeLessThan(email.dueAt.getTime());
    const waited = complaintDeadlines(start, 'high', 1, 120, cal);
    expect(businessMinutesBetween(email.dueAt, waited.dueAt, cal)).toBe(120);
    fc.assert(fc.property(instants, fc.constantFrom('low', 'medium', 'high', 'critical', null), fc.double({ min: 0.1, max: 2, noNaN: true }), (s, sev, f) => {
      const d = complaintDeadlines(s, sev, f, 0, cal);
      return d.warnAt <= d.dueAt && d.responseDueAt <= d.dueAt && d.dueAt > s;
    }), { numRuns: 100 });
  });
});

describe('ratings and answers', () => {
  it('reads a rating on its scale', () => {
    expect(ratingPolarity(5, 5)).toBe('positive');
    expect(ratingPolarity(4, 5)).toBe('positive');
    expect(ratingPolarity(3, 5)).toBe('neutral');
    expect(ratingPolarity(2, 5)).toBe('negative');
    expect(ratingPolarity(9, 10)).toBe('positive');
    expect(ratingPolarity(5, 10)).toBe('neutral');
    expect(ratingPolarity(3, 10)).toBe('negative');
    fc.assert(fc.property(fc.integer({ min: 2, max: 100 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (scale, a, b) => {
      const order = { negative: 0, neutral: 1, positive: 2 } as const;
      const [lo, hi] = [Math.min(a, b) * scale, Math.max(a, b) * scale];
      return order[ratingPolarity(lo, scale)] <= order[ratingPolarity(hi, scale)];
    }));
  });

  it('ranks at least two distinct suggestions in the order given', () => {
    expect(rankSuggestions(['a'])).toMatchObject({ ok: false });
    expect(rankSuggestions(['a', ' A '])).toMatchObject({ ok: false });
    expect(rankSuggestions(['first', 'second', ''])).toEqual({ ok: true, suggestions: [{ rank: 1, text: 'first' }, { rank: 2, text: 'second' }] });
  });
});
