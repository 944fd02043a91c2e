/**
 * Pure rules for stage goals (DOMAIN §6): calendar periods, pace against the calendar and the
 * conversion arithmetic shared with the acquisition funnel. No I/O: the web app imports this too.
 */

export type PeriodKind = 'month' | 'quarter';

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The calendar month or quarter containing `date` (YYYY-MM-DD), as inclusive start/end dates. */
export function periodContaining(kind: PeriodKind, date: string): { start: string; end: string } {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const first = kind === 'month' ? m : Math.floor((m - 1) / 3) * 3 + 1;
  const last = kind === 'month' ? m : first + 2;
  return { start: iso(y, first, 1), end: iso(y, last, daysInMonth(y, last)) };
}

/** Why `start`/`end` are not exactly one calendar `kind`, or null when they are. */
export function periodProblem(kind: PeriodKind, start: string, end: string): { path: string; message: string } | null {
  const p = periodContaining(kind, start);
  if (p.start !== start) {
    return { path: 'periodStart', message: kind === 'month' ? 'A monthly goal starts on the 1st of a month' : 'A quarterly goal starts on Jan 1, Apr 1, Jul 1 or Oct 1' };
  }
  if (p.end !== end) return { path: 'periodEnd', message: `A ${kind} starting ${start} ends ${p.end}` };
  return null;
}

/** Inclusive date ranges overlap when neither ends before the other starts (ISO dates compare as strings). */
export const periodsOverlap = (a: { start: string; end: string }, b: { start: string; end: string }) => a.start <= b.end && b.start <= a.end;

/** Goal scope key: two goals collide only when they count the same people for the same segment. */
export function scopeKey(g: { scope: string; team?: string | null; userId?: string | null; segmentId?: string | null }): string {
  const who = g.scope === 'team' ? `team:${g.team ?? ''}` : g.scope === 'user' ? `user:${g.userId ?? ''}` : 'org';
  return `${who}|segment:${g.segmentId ?? '*'}`;
}

/** Fraction of the period elapsed at `now` (0 before it starts, 1 after its last day). Periods are UTC days. */
export function elapsedFraction(start: string, end: string, now: Date): number {
  const s = Date.parse(`${start}T00:00:00Z`);
  const e = Date.parse(`${end}T00:00:00Z`) + 86_400_000;
  const t = now.getTime();
  if (t <= s) return 0;
  if (t >= e) return 1;
  return (t - s) / (e - s);
}

export type PaceStatus = 'upcoming' | 'achieved' | 'on_track' | 'behind' | 'missed';

export interface Pace {
  target: number;
  actual: number;
  /** What should be reached by now if progress were spread evenly over the period. */
  expected: number;
  status: PaceStatus;
  /** How many more to reach the target. */
  remaining: number;
}

/**
 * Pace against the calendar: expected = target × elapsed fraction. On track when actual ≥ expected × (1 − tolerance)
 * (default 10 %: a goal of 30 halfway through the month is on track from 14 reached, behind at 13).
 */
export function pace(target: number, actual: number, fraction: number, tolerance = 0.1): Pace {
  const expected = target * fraction;
  const remaining = Math.max(0, target - actual);
  let status: PaceStatus;
  if (target > 0 && actual >= target) status = 'achieved';
  else if (fraction <= 0) status = 'upcoming';
  else if (target === 0) status = 'achieved';
  else if (fraction >= 1) status = 'missed';
  else status = actual >= expected * (1 - tolerance) ? 'on_track' : 'behind';
  return { target, actual, expected: Math.round(expected * 10) / 10, status, remaining };
}

/** n / d as a fraction rounded to 4 places; null when there is nothing to convert from. */
export const rate = (n: number, d: number): number | null => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

export interface StageCount {
  stage: string;
  rank: number;
  reached: number;
  /** Of the deals that reached this stage in the period, how many have reached the next one by now. */
  advanced?: number;
}

/** Step-to-step conversion along the funnel (stages in rank order): cohort-based when `advanced` is known. */
export function conversions(stages: StageCount[]): { stage: string; toNext: number | null; fromFirst: number | null }[] {
  const sorted = [...stages].sort((a, b) => a.rank - b.rank);
  const first = sorted[0]?.reached ?? 0;
  return sorted.map((s, i) => {
    const next = sorted[i + 1];
    const toNext = next ? rate(s.advanced ?? next.reached, s.reached) : null;
    return { stage: s.stage, toNext, fromFirst: rate(s.reached, first) };
  });
}

/** Median of numbers (the middle one, or the mean of the two middle ones); null for none. */
export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
