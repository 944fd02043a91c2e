/**
 * Emotional engagement (DOMAIN §8, seed 000): NPS, the four levels above the rational needs, where
 * a respondent and an account stand, and when a fall is an alarm. Pure functions over plain data —
 * the SQL in queries.ts applies the same rules to every answer at once (a test checks they agree).
 * Imported by the web app too: no server imports here. The rule and its reasons: docs/engagement.md.
 */

/** The hierarchy, bottom to top: each level only counts when the ones below it hold. */
export const LEVELS = ['confidence', 'integrity', 'pride', 'passion'] as const;
export type Level = (typeof LEVELS)[number];

/** Best to worst. */
export const PLACEMENTS = ['fully_engaged', 'engaged', 'not_engaged', 'actively_disengaged'] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** Points of a placement for the account roll-up (0 = actively disengaged … 3 = fully engaged). */
export const PLACEMENT_POINTS: Record<Placement, number> = { fully_engaged: 3, engaged: 2, not_engaged: 1, actively_disengaged: 0 };
export const placementRank = (p: Placement | null | undefined) => (p ? PLACEMENT_POINTS[p] : null);

export type NpsBand = 'promoter' | 'passive' | 'detractor';

/** The standard bands of a 0–10 "would you recommend us" answer. */
export function npsBand(score: number): NpsBand {
  if (!Number.isInteger(score) || score < 0 || score > 10) throw new RangeError(`NPS answers are 0–10, got ${score}`);
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

export interface NpsResult {
  /** % promoters − % detractors, −100 … 100, one decimal; null without answers. */
  nps: number | null;
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
}

export function npsOf(scores: readonly number[]): NpsResult {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const s of scores) {
    const b = npsBand(s);
    if (b === 'promoter') promoters++;
    else if (b === 'passive') passives++;
    else detractors++;
  }
  const n = scores.length;
  return { nps: n ? Math.round(((promoters - detractors) / n) * 1000) / 10 : null, n, promoters, passives, detractors };
}

// ── The questionnaire ───────────────────────────────────────────────────────

export const LANGUAGES = ['en', 'zh-CN', 'zh-TW'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Texts = Record<Language, string>;

/** What a rational item measures: satisfaction and intention to continue make the rational score; recommend is the NPS question. */
export const RATIONAL_ROLES = ['satisfaction', 'continue', 'recommend'] as const;
export type RationalRole = (typeof RATIONAL_ROLES)[number];

export type Item =
  | { id: string; kind: 'score10'; role: RationalRole; text: Texts }
  | { id: string; kind: 'agree5'; level: Level; text: Texts }
  | { id: string; kind: 'text'; text: Texts };

/** Answers by item id: 0–10 for score10, 1–5 for agree5, null = "don't know" (agree5 only, never scored). */
export type Values = Record<string, number | null>;

export const AGREE_MIN = 1;
export const AGREE_MAX = 5;

/** Problems with a set of answers for a version's items: unknown ids, values out of range, "don't know" where it is not offered. */
export function valueProblems(items: readonly Item[], values: Values): { itemId: string; message: string }[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  const out: { itemId: string; message: string }[] = [];
  for (const [id, v] of Object.entries(values)) {
    const item = byId.get(id);
    if (!item) out.push({ itemId: id, message: 'Not an item of this survey version' });
    else if (item.kind === 'text') out.push({ itemId: id, message: 'Free text goes in comment' });
    else if (v === null) {
      if (item.kind !== 'agree5') out.push({ itemId: id, message: '"Don\'t know" is offered only on agreement items' });
    } else if (!Number.isInteger(v)) out.push({ itemId: id, message: 'Expected a whole number' });
    else if (item.kind === 'score10' && (v < 0 || v > 10)) out.push({ itemId: id, message: 'Expected 0–10' });
    else if (item.kind === 'agree5' && (v < AGREE_MIN || v > AGREE_MAX)) out.push({ itemId: id, message: 'Expected 1–5' });
  }
  return out;
}

/** Items still unanswered (a "don't know" is an answer); the free-text question is optional. */
export const missingItems = (items: readonly Item[], values: Values) => items.filter((i) => i.kind !== 'text' && !(i.id in values)).map((i) => i.id);

export type BankIssue = { code: 'duplicate_id'; id: string } | { code: 'missing_role'; role: RationalRole } | { code: 'level_items'; level: Level };

/** Whether a version's items make a complete questionnaire: the three rational questions and two items per level (as codes, for the screens to word). */
export function bankIssues(items: readonly Item[]): BankIssue[] {
  const out: BankIssue[] = [];
  const ids = new Set<string>();
  for (const i of items) {
    if (ids.has(i.id)) out.push({ code: 'duplicate_id', id: i.id });
    ids.add(i.id);
  }
  for (const role of RATIONAL_ROLES) if (!items.some((i) => i.kind === 'score10' && i.role === role)) out.push({ code: 'missing_role', role });
  for (const level of LEVELS) if (items.filter((i) => i.kind === 'agree5' && i.level === level).length < 2) out.push({ code: 'level_items', level });
  return out;
}

/** The same, in English (the API's messages). */
export function bankProblems(items: readonly Item[]): string[] {
  return bankIssues(items).map((p) =>
    p.code === 'duplicate_id' ? `Item id "${p.id}" is used twice` : p.code === 'missing_role' ? `No "${p.role}" question (0–10)` : `Fewer than two "${p.level}" items`);
}

// ── One respondent ──────────────────────────────────────────────────────────

export interface RespondentScores {
  /** Mean 1–5 of the scored items of each level; null when every item was "don't know" or unanswered. */
  confidence: number | null;
  integrity: number | null;
  pride: number | null;
  passion: number | null;
  /** Mean 1–5 of every scored emotional item. */
  emotional: number | null;
  /** Mean 0–10 of satisfaction and intention to continue. */
  rational: number | null;
  satisfaction: number | null;
  continue: number | null;
  /** The 0–10 recommend answer (the NPS question). */
  recommend: number | null;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

export function respondentScores(items: readonly Item[], values: Values): RespondentScores {
  const per: Record<Level, number[]> = { confidence: [], integrity: [], pride: [], passion: [] };
  const rational: Partial<Record<RationalRole, number[]>> = {};
  for (const item of items) {
    const v = values[item.id];
    if (v === null || v === undefined) continue;
    if (item.kind === 'agree5') per[item.level].push(v);
    else if (item.kind === 'score10') (rational[item.role] ??= []).push(v);
  }
  const first = (r: RationalRole) => (rational[r]?.length ? rational[r]![0]! : null);
  const sat = mean(rational.satisfaction ?? []);
  const cont = mean(rational.continue ?? []);
  return {
    confidence: round2(mean(per.confidence)),
    integrity: round2(mean(per.integrity)),
    pride: round2(mean(per.pride)),
    passion: round2(mean(per.passion)),
    emotional: round2(mean(LEVELS.flatMap((l) => per[l]))),
    rational: round2(mean([sat, cont].filter((x): x is number => x !== null))),
    satisfaction: round2(sat),
    continue: round2(cont),
    recommend: first('recommend'),
  };
}

export interface PlacementSettings {
  /** A level holds when its mean is at least this (1–5). */
  agree: number;
  /** A level is broken when its mean is at most this (1–5). */
  disagree: number;
  /** Rational needs are met when satisfaction/continuation average at least this (0–10). */
  rationalMin: number;
}

/**
 * Where one respondent stands:
 * - not placeable (null) unless confidence and integrity were scored: the base of the ladder is unknown;
 * - actively disengaged when confidence or integrity is broken, or the emotional items on the whole are;
 * - otherwise the ladder: fully engaged when all four levels hold from confidence up, engaged when
 *   confidence and integrity hold, not engaged below — passion or pride without the levels under them
 *   do not count (the hierarchy);
 * - rational needs unmet cap it at not engaged: no emotion makes up for a supplier that fails the basics.
 */
export function placeRespondent(s: RespondentScores, t: PlacementSettings): Placement | null {
  if (s.confidence === null || s.integrity === null) return null;
  if (s.confidence <= t.disagree || s.integrity <= t.disagree || (s.emotional !== null && s.emotional <= t.disagree)) return 'actively_disengaged';
  if (s.rational !== null && s.rational < t.rationalMin) return 'not_engaged';
  const holds = (x: number | null) => x !== null && x >= t.agree;
  let ladder = 0;
  for (const l of LEVELS) {
    if (!holds(s[l])) break;
    ladder++;
  }
  return ladder === 4 ? 'fully_engaged' : ladder >= 2 ? 'engaged' : 'not_engaged';
}

// ── One account ─────────────────────────────────────────────────────────────

export interface RollUpSettings {
  /** Weight of a buying-center role; a contact with several roles counts with the heaviest, one outside any buying center with `other`. */
  roleWeights: Record<string, number>;
  /** Fewer respondents than this and the account's level is shown as "too few answers". */
  minRespondents: number;
}

/** A respondent's weight: the heaviest of their roles times influence (1–5, 3 = ordinary) / 3. */
export function respondentWeight(roles: readonly string[], influence: number | null, s: Pick<RollUpSettings, 'roleWeights'>): number {
  const role = roles.length ? Math.max(...roles.map((r) => s.roleWeights[r] ?? s.roleWeights.other ?? 1)) : (s.roleWeights.other ?? 1);
  const inf = influence === null ? 3 : Math.min(5, Math.max(1, influence));
  return role * (inf / 3);
}

export interface Respondent {
  placement: Placement | null;
  weight: number;
  recommend: number | null;
}

export interface AccountEngagement {
  level: Placement | null;
  /** Weighted mean of placement points, 0 (actively disengaged) … 3 (fully engaged), two decimals. */
  score: number | null;
  /** Respondents with a placement. */
  respondents: number;
  tooFew: boolean;
  nps: NpsResult;
}

/** The account's level from its score: the nearest placement (cuts at 2.5, 1.5, 0.5). */
export function levelOfScore(score: number): Placement {
  return score >= 2.5 ? 'fully_engaged' : score >= 1.5 ? 'engaged' : score >= 0.5 ? 'not_engaged' : 'actively_disengaged';
}

export function rollUpAccount(rs: readonly Respondent[], s: Pick<RollUpSettings, 'minRespondents'>): AccountEngagement {
  let w = 0;
  let sum = 0;
  let n = 0;
  for (const r of rs) {
    if (r.placement === null || !(r.weight > 0)) continue;
    n++;
    w += r.weight;
    sum += r.weight * PLACEMENT_POINTS[r.placement];
  }
  const score = n ? Math.round((sum / w) * 100) / 100 : null;
  return {
    level: score === null ? null : levelOfScore(score),
    score,
    respondents: n,
    tooFew: n < s.minRespondents,
    nps: npsOf(rs.map((r) => r.recommend).filter((x): x is number => x !== null)),
  };
}

// ── Alarms ──────────────────────────────────────────────────────────────────

/** Portfolio types whose engagement is watched (DOMAIN §4: keep at all costs; invest while it pays). */
export const WATCHED_PORTFOLIO = ['key', 'development'] as const;

export interface AlertSettings {
  /** NPS points (on −100 … 100) a fall must reach to raise an alert. */
  npsDrop: number;
}

export type EngagementAlertKind = 'engagement_level_drop' | 'nps_drop';

/** Which alarms a change of an account's engagement raises (none for accounts outside the watched types or without a previous value). */
export function engagementAlerts(
  prev: { level: Placement | null; nps: number | null } | null,
  next: { level: Placement | null; nps: number | null },
  portfolioType: string | null,
  s: AlertSettings,
): EngagementAlertKind[] {
  if (!prev || !portfolioType || !(WATCHED_PORTFOLIO as readonly string[]).includes(portfolioType)) return [];
  const out: EngagementAlertKind[] = [];
  if (prev.level && next.level && PLACEMENT_POINTS[next.level] < PLACEMENT_POINTS[prev.level]) out.push('engagement_level_drop');
  if (prev.nps !== null && next.nps !== null && prev.nps - next.nps >= s.npsDrop) out.push('nps_drop');
  return out;
}

// ── Settings ────────────────────────────────────────────────────────────────

export interface EngagementSettings extends PlacementSettings, RollUpSettings, AlertSettings {
  /** Answers older than this many days do not count in an account's current level. */
  windowDays: number;
  /** How long a survey link stays valid. */
  linkDays: number;
}

export const DEFAULT_ENGAGEMENT_SETTINGS: EngagementSettings = {
  agree: 4,
  disagree: 2,
  rationalMin: 6,
  roleWeights: { decider: 3, approver: 2, buyer: 2, influencer: 2, initiator: 1, user: 1, gatekeeper: 1, other: 1 },
  minRespondents: 2,
  npsDrop: 20,
  windowDays: 365,
  linkDays: 30,
};

/** The settings from the organization's stored ones, defaults filling what is missing or out of range. */
export function engagementSettings(raw: unknown): EngagementSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const d = DEFAULT_ENGAGEMENT_SETTINGS;
  const num = (k: keyof EngagementSettings, lo: number, hi: number) => {
    const v = r[k];
    return typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi ? v : (d[k] as number);
  };
  const weights = { ...d.roleWeights };
  if (r.roleWeights && typeof r.roleWeights === 'object') {
    for (const [k, v] of Object.entries(r.roleWeights as Record<string, unknown>)) if (typeof v === 'number' && v >= 0 && v <= 10) weights[k] = v;
  }
  const agree = num('agree', 1, 5);
  const disagree = num('disagree', 1, 5);
  return {
    agree: disagree < agree ? agree : d.agree,
    disagree: disagree < agree ? disagree : d.disagree,
    rationalMin: num('rationalMin', 0, 10),
    roleWeights: weights,
    minRespondents: Math.round(num('minRespondents', 1, 50)),
    npsDrop: num('npsDrop', 1, 200),
    windowDays: Math.round(num('windowDays', 30, 3650)),
    linkDays: Math.round(num('linkDays', 1, 365)),
  };
}

// ── The analysis (engagement page) ──────────────────────────────────────────

/** Level average ÷ organization average × 100 (100 = average); null when either is unknown or the average is not positive. */
export function indexOf(levelAvg: number | null, orgAvg: number | null): number | null {
  if (levelAvg === null || orgAvg === null || !(orgAvg > 0)) return null;
  return Math.round((levelAvg / orgAvg) * 1000) / 10;
}

/** How far fully engaged accounts are above actively disengaged ones, in % of the latter; null when either is unknown. */
export function gapPercent(fully: number | null, disengaged: number | null): number | null {
  if (fully === null || disengaged === null || !(disengaged > 0)) return null;
  return Math.round((fully / disengaged - 1) * 1000) / 10;
}

/** The seed's figures (DOMAIN §8): fully engaged customers 23 % above average, actively disengaged 13 % below, a 24–37 % share-of-business gap. */
export const SEED = { fullyEngaged: 23, activelyDisengaged: -13, gap: [24, 37] as const };

export type SeedVerdict = 'as_seed' | 'mixed' | 'opposite';

/**
 * One metric of the organization's own data beside the seed's reading: how far fully engaged and
 * actively disengaged accounts are from the average (index − 100, in %), and whether the direction is
 * the seed's (above and below the average), opposite (disengaged above engaged) or mixed. No verdict
 * (null) when the analysis is too thin or either end of the scale has too few accounts for this metric:
 * the figures are then shown for what they are, never as a finding.
 */
export function seedComparison(
  fully: { index: number | null; thin: boolean },
  disengaged: { index: number | null; thin: boolean },
  analysisThin: boolean,
): { fullyVsAverage: number | null; disengagedVsAverage: number | null; verdict: SeedVerdict | null } {
  const f = fully.index === null ? null : Math.round((fully.index - 100) * 10) / 10;
  const d = disengaged.index === null ? null : Math.round((disengaged.index - 100) * 10) / 10;
  if (analysisThin || fully.thin || disengaged.thin || f === null || d === null) return { fullyVsAverage: f, disengagedVsAverage: d, verdict: null };
  return { fullyVsAverage: f, disengagedVsAverage: d, verdict: f <= d ? 'opposite' : f > 0 && d < 0 ? 'as_seed' : 'mixed' };
}

/** Below these counts nothing may be concluded: a cell with fewer accounts, or an analysis with fewer placed accounts. */
export const THIN_CELL = 5;
export const THIN_TOTAL = 30;

/** Whether the comparison means anything: enough placed accounts, and both ends of the scale present. */
export function tooThin(counts: Record<Placement, number>): boolean {
  const total = PLACEMENTS.reduce((s, p) => s + counts[p], 0);
  return total < THIN_TOTAL || counts.fully_engaged < THIN_CELL || counts.actively_disengaged < THIN_CELL;
}

/** Trend between two scores of the same account: a change under 0.25 points is flat. */
export function engagementTrend(prev: number | null, next: number | null): 'up' | 'down' | 'flat' | 'unknown' {
  if (prev === null || next === null) return 'unknown';
  const d = next - prev;
  return d >= 0.25 ? 'up' : d <= -0.25 ? 'down' : 'flat';
}

/** The contact's language as one of the survey's (zh-Hant spellings → zh-TW, other Chinese → zh-CN); the fallback otherwise. */
export function surveyLanguage(contactLanguage: string | null | undefined, fallback: Language): Language {
  const l = (contactLanguage ?? '').trim().toLowerCase().replace('_', '-');
  if (!l) return fallback;
  if (/^zh-(tw|hk|mo|hant)/.test(l)) return 'zh-TW';
  if (l.startsWith('zh') || l === 'chinese' || l === '中文') return 'zh-CN';
  if (l.startsWith('en') || l === 'english') return 'en';
  return fallback;
}
