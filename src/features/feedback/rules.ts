/**
 * Pure rules of the voice of the customer: the complaint workflow (ISO 10002), the service calendar
 * (business hours and holidays), complaint deadlines, and sentiment from a rating. No I/O.
 */

export const COMPLAINT_STATUSES = ['received', 'acknowledged', 'assessed', 'investigating', 'responded', 'resolved', 'rejected', 'closed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const COMPLAINT_KINDS = ['complaint', 'public_attack'] as const;
export const isComplaintKind = (kind: string) => (COMPLAINT_KINDS as readonly string[]).includes(kind);

/** The steps of ISO 10002 in order; `responded` may go back to `investigating` when the customer is not satisfied. */
const NEXT: Record<ComplaintStatus, ComplaintStatus[]> = {
  received: ['acknowledged'],
  acknowledged: ['assessed'],
  assessed: ['investigating', 'rejected'],
  investigating: ['responded'],
  responded: ['resolved', 'rejected', 'investigating'],
  resolved: ['closed'],
  rejected: ['closed'],
  closed: [],
};

export const OPEN_STATUSES: ComplaintStatus[] = ['received', 'acknowledged', 'assessed', 'investigating', 'responded'];
export const isOpen = (s: string | null | undefined) => !!s && (OPEN_STATUSES as string[]).includes(s);

export type TransitionInput = { severity?: string | null; impact?: string | null; reason?: string | null; note?: string | null };
export type TransitionCheck = { ok: true } | { ok: false; field: string; message: string };

/**
 * Whether a complaint in `from` may move to `to`. Closing is allowed from any state but needs a reason
 * (a complaint is never deleted, and never closed silently); assessing needs a severity and an impact;
 * rejecting needs a reason the customer can be told.
 */
export function checkTransition(from: ComplaintStatus, to: ComplaintStatus, input: TransitionInput, current: { severity?: string | null } = {}): TransitionCheck {
  if (from === 'closed') return { ok: false, field: 'to', message: 'This complaint is closed' };
  const forward = NEXT[from].includes(to);
  const closingEarly = to === 'closed' && !forward;
  if (!forward && !closingEarly) return { ok: false, field: 'to', message: `A complaint cannot go from ${from} to ${to}; next: ${[...NEXT[from], 'closed'].filter((v, i, a) => a.indexOf(v) === i).join(', ')}` };
  if (to === 'assessed') {
    const sev = input.severity ?? current.severity;
    if (!sev || !(SEVERITIES as readonly string[]).includes(sev)) return { ok: false, field: 'severity', message: 'Assessing a complaint needs its severity' };
    if (!input.impact?.trim()) return { ok: false, field: 'impact', message: 'Assessing a complaint needs its impact' };
  }
  if ((to === 'rejected' || to === 'closed') && !input.reason?.trim()) return { ok: false, field: 'reason', message: to === 'closed' ? 'Closing a complaint needs a reason' : 'Rejecting a complaint needs a reason' };
  return { ok: true };
}

export const nextStatuses = (from: ComplaintStatus): ComplaintStatus[] => (from === 'closed' ? [] : [...new Set([...NEXT[from], 'closed' as const])]);

// ── Service calendar ──────────────────────────────────────────────────────────

/** Opening window of one weekday in minutes after local midnight: [open, close), or null when closed. */
export type DayHours = [number, number] | null;
export type Calendar = {
  /** The organization's offset from UTC (China: +480). A fixed offset: Accord's markets keep no daylight saving. */
  utcOffsetMinutes: number;
  /** Sunday first, like Date.getUTCDay(). */
  week: DayHours[];
  /** Local dates (YYYY-MM-DD) on which nobody works. */
  holidays: string[];
};

export type SlaPolicy = {
  /** Business hours to the first response (acknowledgement) and to the resolution, per severity. */
  responseHours: Record<Severity, number>;
  resolutionHours: Record<Severity, number>;
  /** Share of the resolution time after which the owner is warned. */
  warnAt: number;
};

export type ServiceSettings = Calendar & SlaPolicy;

const WORKDAY: DayHours = [9 * 60, 18 * 60];
export const DEFAULT_SERVICE_SETTINGS: ServiceSettings = {
  utcOffsetMinutes: 480,
  week: [null, WORKDAY, WORKDAY, WORKDAY, WORKDAY, WORKDAY, null],
  // Fixed-date public holidays of the PRC; the lunar ones (Spring Festival, Qingming, Dragon Boat, Mid-Autumn)
  // move every year and are added by an admin with the year's official calendar.
  holidays: [
    '2026-01-01', '2026-05-01', '2026-05-02', '2026-05-03', '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',
    '2027-01-01', '2027-05-01', '2027-05-02', '2027-05-03', '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07',
  ],
  responseHours: { critical: 2, high: 4, medium: 8, low: 16 },
  resolutionHours: { critical: 18, high: 45, medium: 90, low: 180 },
  warnAt: 0.75,
};

const MIN = 60_000;
const DAY = 86_400_000;

function dayWindow(cal: Calendar, localDayStart: number): DayHours {
  const d = new Date(localDayStart);
  const date = d.toISOString().slice(0, 10);
  if (cal.holidays.includes(date)) return null;
  return cal.week[d.getUTCDay()] ?? null;
}

/** Whether the calendar has any business time at all (a week of closed days would make every deadline infinite). */
export const hasBusinessTime = (cal: Calendar) => cal.week.some((w) => !!w && w[1] > w[0]);

/** The instant `minutes` business minutes after `start` (at `start` itself or the next opening when 0). */
export function addBusinessMinutes(start: Date, minutes: number, cal: Calendar): Date {
  if (!hasBusinessTime(cal)) throw new Error('The calendar has no business hours');
  const off = cal.utcOffsetMinutes * MIN;
  let local = start.getTime() + off;
  let left = Math.max(0, minutes) * MIN;
  for (let guard = 0; guard < 40_000; guard++) {
    const dayStart = Math.floor(local / DAY) * DAY;
    const w = dayWindow(cal, dayStart);
    if (w && w[1] > w[0]) {
      const open = dayStart + w[0] * MIN;
      const close = dayStart + w[1] * MIN;
      const from = Math.max(local, open);
      if (from < close) {
        if (from + left <= close) return new Date(from + left - off);
        left -= close - from;
      }
    }
    local = dayStart + DAY;
  }
  throw new Error('Deadline beyond the calendar');
}

/** Business minutes between two instants (0 when `b` is not after `a`). */
export function businessMinutesBetween(a: Date, b: Date, cal: Calendar): number {
  const off = cal.utcOffsetMinutes * MIN;
  let local = a.getTime() + off;
  const end = b.getTime() + off;
  let total = 0;
  for (let guard = 0; local < end && guard < 40_000; guard++) {
    const dayStart = Math.floor(local / DAY) * DAY;
    const w = dayWindow(cal, dayStart);
    if (w && w[1] > w[0]) {
      const from = Math.max(local, dayStart + w[0] * MIN);
      const to = Math.min(end, dayStart + w[1] * MIN);
      if (to > from) total += to - from;
    }
    local = dayStart + DAY;
  }
  return total / MIN;
}

export type Deadlines = { responseDueAt: Date; dueAt: Date; warnAt: Date; budgetMinutes: number };

/**
 * A complaint's deadlines: the severity's business hours times the channel's factor (a complaint in
 * the news or at a government body has a quarter of the time), plus the business time spent waiting
 * for the customer. Unassessed complaints count as medium until assessed.
 */
export function complaintDeadlines(receivedAt: Date, severity: string | null | undefined, channelFactor: number, pausedMinutes: number, s: ServiceSettings): Deadlines {
  const sev: Severity = (SEVERITIES as readonly string[]).includes(severity ?? '') ? (severity as Severity) : 'medium';
  const factor = Number.isFinite(channelFactor) && channelFactor > 0 ? Math.min(channelFactor, 4) : 1;
  const budget = Math.max(1, Math.round(s.resolutionHours[sev] * 60 * factor));
  const response = Math.max(1, Math.round(s.responseHours[sev] * 60 * factor));
  const paused = Math.max(0, pausedMinutes);
  return {
    budgetMinutes: budget,
    responseDueAt: addBusinessMinutes(receivedAt, response + paused, s),
    dueAt: addBusinessMinutes(receivedAt, budget + paused, s),
    warnAt: addBusinessMinutes(receivedAt, Math.floor(budget * s.warnAt) + paused, s),
  };
}

// ── Sentiment from a rating ───────────────────────────────────────────────────

export type Polarity = 'positive' | 'neutral' | 'negative';

/**
 * A rating's polarity on its scale (5 stars, 10 points, NPS 0–10…): the top 40 % is positive, the bottom
 * 40 % negative, the middle neutral (3 of 5 stars says neither). A scale starts at 1 when it is ≤ 5
 * (stars), at 0 otherwise (points, NPS).
 */
export function ratingPolarity(rating: number, scale: number): Polarity {
  const low = scale <= 5 ? 1 : 0;
  const share = scale > low ? (rating - low) / (scale - low) : 0.5;
  if (share >= 0.6) return 'positive';
  if (share <= 0.4) return 'negative';
  return 'neutral';
}

/** The ranked suggestions of an answer: at least two, distinct, numbered in the order given. */
export function rankSuggestions(texts: string[]): { ok: true; suggestions: { rank: number; text: string }[] } | { ok: false; message: string } {
  const clean = texts.map((t) => t.trim()).filter(Boolean);
  if (clean.length < 2) return { ok: false, message: 'Answer with at least two suggestions, in order of priority' };
  if (new Set(clean.map((t) => t.toLowerCase())).size !== clean.length) return { ok: false, message: 'Each suggestion must be different' };
  return { ok: true, suggestions: clean.map((text, i) => ({ rank: i + 1, text })) };
}

/** Median of a list (null when empty). */
export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

// ── Problems resolved: complaint handling beside the survey's integrity (DOMAIN §8, docs/feedback.md) ──

/** How long settled complaints count (days); an open one counts whatever its age. */
export const HANDLING_WINDOW_DAYS = 365;
/** Resolved on time at least this share of the complaints that were ours to put right: handled well. */
export const HANDLING_GOOD_SHARE = 0.8;
/** Below this share (with at least HANDLING_MIN_SETTLED of them): at risk. */
export const HANDLING_POOR_SHARE = 0.5;
export const HANDLING_MIN_SETTLED = 2;

export const HANDLING_CLASSES = ['on_time', 'late', 'rejected', 'closed_unresolved', 'open', 'open_overdue'] as const;
export type HandlingClass = (typeof HANDLING_CLASSES)[number];
export type HandlingCounts = Record<HandlingClass, number>;
/** `none`: no complaint counts; `in_progress`: only open ones, none overdue, nothing settled yet. */
export const HANDLING_LEVELS = ['none', 'in_progress', 'good', 'mixed', 'at_risk'] as const;
export type HandlingLevel = (typeof HANDLING_LEVELS)[number];

export type ComplaintFacts = { status: string; outcome?: string | null; dueAt: string | Date | null; resolvedAt: string | Date | null; pausedAt?: string | Date | null };
const ms = (v: string | Date | null | undefined) => (v === null || v === undefined ? null : new Date(v).getTime());

/**
 * One complaint's handling: resolved by its deadline (or with no deadline) or after it; rejected; closed
 * without a resolution; open, and overdue when its clock runs (not waiting for the customer) past the
 * deadline — the SLA sweep's breach, at the same instant (`dueAt <= now`).
 */
export function classifyComplaint(c: ComplaintFacts, now: Date): HandlingClass {
  const outcome = c.outcome ?? (c.status === 'resolved' || c.status === 'rejected' ? c.status : null);
  if (outcome === 'resolved') {
    const due = ms(c.dueAt);
    const done = ms(c.resolvedAt);
    return due === null || done === null || done <= due ? 'on_time' : 'late';
  }
  if (outcome === 'rejected') return 'rejected';
  if (c.status === 'closed') return 'closed_unresolved';
  const due = ms(c.dueAt);
  return !c.pausedAt && due !== null && due <= now.getTime() ? 'open_overdue' : 'open';
}

export const emptyHandlingCounts = (): HandlingCounts => ({ on_time: 0, late: 0, rejected: 0, closed_unresolved: 0, open: 0, open_overdue: 0 });

export type Handling = {
  level: HandlingLevel;
  counts: HandlingCounts;
  /** Complaints that were ours to put right and are settled: resolved (on time or late) or closed without a resolution. */
  settled: number;
  /** Resolved on time ÷ settled; null when nothing is settled. */
  onTimeShare: number | null;
  /** The survey places the account engaged or fully engaged (integrity agreed) while its complaints say at risk. */
  conflictsWithSurvey: boolean;
};

/**
 * "Problems resolved" from complaint handling, per account — a derived signal shown beside the survey's
 * integrity, never mixed into the survey score (that stays what the customer said):
 *
 * | in this order | level |
 * |---|---|
 * | no complaint counts | none |
 * | an open complaint is overdue | at_risk |
 * | nothing settled (only open on time, or only rejected) | in_progress if any is open, else none |
 * | on-time share ≥ 0.8 | good |
 * | on-time share < 0.5 with ≥ 2 settled | at_risk |
 * | otherwise | mixed |
 *
 * Rejected complaints are shown but not scored: one assessed as unfounded is neither a problem put right
 * nor one left — counting it either way would push handlers to accept everything, or hide it.
 */
export function complaintHandling(counts: HandlingCounts, surveyLevel?: string | null): Handling {
  const total = HANDLING_CLASSES.reduce((s, k) => s + counts[k], 0);
  const settled = counts.on_time + counts.late + counts.closed_unresolved;
  const onTimeShare = settled ? counts.on_time / settled : null;
  let level: HandlingLevel;
  if (!total) level = 'none';
  else if (counts.open_overdue > 0) level = 'at_risk';
  else if (!settled) level = counts.open > 0 ? 'in_progress' : 'none';
  else if (onTimeShare! >= HANDLING_GOOD_SHARE) level = 'good';
  else if (onTimeShare! < HANDLING_POOR_SHARE && settled >= HANDLING_MIN_SETTLED) level = 'at_risk';
  else level = 'mixed';
  const conflictsWithSurvey = level === 'at_risk' && (surveyLevel === 'engaged' || surveyLevel === 'fully_engaged');
  return { level, counts, settled, onTimeShare, conflictsWithSurvey };
}

/** Whether a complaint counts for the account's handling: open ones always, the others when received within the window. */
export function countsForHandling(c: ComplaintFacts & { receivedAt: string | Date }, now: Date, windowDays = HANDLING_WINDOW_DAYS): boolean {
  const open = ['received', 'acknowledged', 'assessed', 'investigating', 'responded'].includes(c.status);
  return open || ms(c.receivedAt)! >= now.getTime() - windowDays * 86_400_000;
}
