/**
 * Evaluation and classification rules (DOMAIN §3–§4): pure functions over plain data.
 * SQL gathers the counts and features for the whole base; these functions do the judgement.
 */

// ── Settings ────────────────────────────────────────────────────────────────

export interface EvaluationSettings {
  /** Portfolio axes are 0–100; an account at or above a threshold is "high" on that axis. */
  attractivenessThreshold: number;
  relationshipThreshold: number;
  /** Weights of the attractiveness axis: fit, potential (demand), profitability (price orientation). */
  attractivenessWeights: { fit: number; potential: number; profitability: number };
  /** Weights of the relationship axis: share of wallet, supplier status, engagement. */
  relationshipWeights: { shareOfWallet: number; supplierStatus: number; engagement: number };
  /** Strength tiers by size percentile (0–1): ≥ a → A, ≥ b → B, else C. */
  tierCuts: { a: number; b: number };
  /** Below this many won or lost deals the win model falls back to stage base rates. */
  minWon: number;
  minLost: number;
  /** L2 penalty of the win model. */
  l2: number;
  /** Share of closed deals held out to measure calibration. */
  holdoutShare: number;
  /** Engagement counts interactions in this many days. */
  engagementDays: number;
}

export const DEFAULT_SETTINGS: EvaluationSettings = {
  attractivenessThreshold: 50,
  relationshipThreshold: 50,
  attractivenessWeights: { fit: 0.6, potential: 0.25, profitability: 0.15 },
  relationshipWeights: { shareOfWallet: 0.5, supplierStatus: 0.3, engagement: 0.2 },
  tierCuts: { a: 0.8, b: 0.5 },
  minWon: 30,
  minLost: 30,
  l2: 1,
  holdoutShare: 0.25,
  engagementDays: 180,
};

const num = (v: unknown, lo: number, hi: number): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi ? v : undefined;

function weights<T extends Record<string, number>>(def: T, raw: unknown): T {
  const out = { ...def };
  if (raw && typeof raw === 'object') {
    for (const k of Object.keys(def)) {
      const v = num((raw as Record<string, unknown>)[k], 0, 100);
      if (v !== undefined) (out as Record<string, number>)[k] = v;
    }
  }
  const total = Object.values(out).reduce((s, v) => s + v, 0);
  // All-zero weights would make the axis meaningless: keep the defaults then.
  if (total <= 0) return { ...def };
  for (const k of Object.keys(out)) (out as Record<string, number>)[k] = (out as Record<string, number>)[k]! / total;
  return out;
}

/** Reads `organizations.settings.evaluation`, ignoring anything malformed (defaults win). */
export function evaluationSettings(orgSettings: Record<string, unknown> | null | undefined): EvaluationSettings {
  const raw = (orgSettings?.evaluation ?? {}) as Record<string, unknown>;
  const d = DEFAULT_SETTINGS;
  const cuts = (raw.tierCuts ?? {}) as Record<string, unknown>;
  const a = num(cuts.a, 0, 1) ?? d.tierCuts.a;
  const b = Math.min(num(cuts.b, 0, 1) ?? d.tierCuts.b, a);
  return {
    attractivenessThreshold: num(raw.attractivenessThreshold, 0, 100) ?? d.attractivenessThreshold,
    relationshipThreshold: num(raw.relationshipThreshold, 0, 100) ?? d.relationshipThreshold,
    attractivenessWeights: weights(d.attractivenessWeights, raw.attractivenessWeights),
    relationshipWeights: weights(d.relationshipWeights, raw.relationshipWeights),
    tierCuts: { a, b },
    minWon: num(raw.minWon, 1, 100000) ?? d.minWon,
    minLost: num(raw.minLost, 1, 100000) ?? d.minLost,
    l2: num(raw.l2, 0, 1000) ?? d.l2,
    holdoutShare: num(raw.holdoutShare, 0, 0.9) ?? d.holdoutShare,
    engagementDays: num(raw.engagementDays, 1, 3650) ?? d.engagementDays,
  };
}

/** A change of settings: any of them; tier cuts may be given one at a time, an axis's weights only together. */
export type SettingsChange = Partial<Omit<EvaluationSettings, 'tierCuts'>> & { tierCuts?: Partial<EvaluationSettings['tierCuts']> };

/**
 * The settings after a change, and what is wrong with them as a whole (each value's own range is
 * the schema's): a weighted axis needs some weight, and tier B cannot start above tier A.
 * Weights come out as percentages of their sum, as they are shown and stored.
 */
export function changeSettings(current: EvaluationSettings, change: SettingsChange): { settings: EvaluationSettings; problems: { path: string; message: string }[] } {
  const settings: EvaluationSettings = {
    ...current,
    ...change,
    tierCuts: { ...current.tierCuts, ...change.tierCuts },
  };
  const problems: { path: string; message: string }[] = [];
  if (sum(settings.attractivenessWeights) <= 0) problems.push({ path: 'attractivenessWeights', message: 'Give at least one weight above 0' });
  if (sum(settings.relationshipWeights) <= 0) problems.push({ path: 'relationshipWeights', message: 'Give at least one weight above 0' });
  if (settings.tierCuts.b > settings.tierCuts.a) problems.push({ path: 'tierCuts.b', message: 'Tier B cannot start above tier A' });
  if (problems.length) return { settings, problems };
  return { settings: { ...settings, attractivenessWeights: percentages(settings.attractivenessWeights), relationshipWeights: percentages(settings.relationshipWeights) }, problems };
}

const sum = (w: Record<string, number>) => Object.values(w).reduce((a, b) => a + b, 0);

/** Relative weights as percentages of their sum, to two decimals. */
export function percentages<T extends Record<string, number>>(w: T): T {
  const total = sum(w);
  return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, total > 0 ? Math.round((v / total) * 10000) / 100 : 0])) as T;
}

// ── Ideal customer profile ──────────────────────────────────────────────────

/** Account attributes the profile is learned over; custom select fields join as `custom.<key>`. */
export const PROFILE_ATTRIBUTES = ['industry', 'country', 'sizeBand', 'needType', 'priceOrientation'] as const;

/** Employee count → size band (the profile compares bands, not raw counts). */
export const SIZE_BANDS = [
  { key: '1-9', min: 0 },
  { key: '10-49', min: 10 },
  { key: '50-249', min: 50 },
  { key: '250-999', min: 250 },
  { key: '1000+', min: 1000 },
] as const;

export function sizeBand(employees: number | null | undefined): string | null {
  if (employees === null || employees === undefined || !Number.isFinite(employees)) return null;
  let band: string = SIZE_BANDS[0].key;
  for (const b of SIZE_BANDS) if (employees >= b.min) band = b.key;
  return band;
}

/**
 * One attribute value's count among the best accounts and in the whole base. The best accounts
 * (`won`) are those ahead on what happened: win rate, then value won (won deals and orders), see
 * profileCounts. Comparing them with the rest — not "accounts with a won deal" with everyone, which
 * says nothing once every account has won something (issue #22).
 */
export interface AttributeCount {
  attribute: string;
  value: string;
  won: number;
  base: number;
}

export interface ProfileEntry extends AttributeCount {
  /** Share of the best accounts having this value (smoothed). */
  wonShare: number;
  /** Share of the other accounts having this value (smoothed). */
  baseShare: number;
  /** wonShare / baseShare: how much more common among the best accounts than among the rest. */
  lift: number;
  /** Two-proportion z statistic of the best accounts against the rest (unsmoothed). */
  z: number;
  /** |z| ≥ SEPARATES_Z: the value tells the best accounts from the rest beyond chance. */
  separates: boolean;
  /** ln(lift), shrunk towards 0 when few accounts support it; 0 unless the value separates: its vote in the fit score. */
  weight: number;
  /** "need type = brand owner: 3.1× as common among the best accounts" */
  label: string;
}

export interface Profile {
  wonAccounts: number;
  baseAccounts: number;
  attributes: { attribute: string; entries: ProfileEntry[] }[];
  /** Some value separates the best accounts from the rest; otherwise fit is unknown, not 50. */
  separates?: boolean;
  /** Said instead of scores when nothing separates (null when something does). */
  statement?: string | null;
}

/**
 * How far a value's share among the best accounts must stand from its share among the rest, in
 * standard errors, to count: with a few dozen attribute values compared at once, 3 keeps values
 * that differ by chance from passing for a profile.
 */
export const SEPARATES_Z = 3;

export const NOTHING_SEPARATES = 'No attribute separates your won accounts from the others yet';

const ATTRIBUTE_LABELS: Record<string, string> = {
  industry: 'industry',
  country: 'country',
  sizeBand: 'size',
  needType: 'need type',
  priceOrientation: 'price orientation',
};

export const attributeLabel = (a: string) => ATTRIBUTE_LABELS[a] ?? (a.startsWith('custom.') ? a.slice(7) : a);

export function reasonLabel(attribute: string, value: string, lift: number): string {
  const v = value.replace(/_/g, ' ');
  const times = lift >= 10 ? lift.toFixed(0) : lift.toFixed(1);
  return `${attributeLabel(attribute)} = ${v}: ${times}× as common among the best accounts`;
}

/** Two-proportion z statistic of a out of n against b out of m (0 when it cannot be told). */
export function twoProportionZ(a: number, n: number, b: number, m: number): number {
  if (n <= 0 || m <= 0) return 0;
  const pooled = (a + b) / (n + m);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / m));
  return se > 0 ? (a / n - b / m) / se : 0;
}

/**
 * The ideal customer profile: per attribute value, its share among the best accounts against its
 * share among the other accounts, with Laplace smoothing (α per value) so a value seen once does not
 * dominate. Only values that separate the two groups beyond chance (|z| ≥ SEPARATES_Z) vote in the
 * fit score; their weights are shrunk by n/(n+k) with n the best accounts carrying the attribute.
 * Accounts with no value for an attribute are not counted in it. When no value separates, the
 * profile says so and fit stays unknown.
 */
export function buildProfile(counts: AttributeCount[], totals: { won: number; base: number }, alpha = 1, shrinkK = 5): Profile {
  const byAttr = new Map<string, AttributeCount[]>();
  for (const c of counts) {
    if (c.value === '' || c.base <= 0) continue;
    const list = byAttr.get(c.attribute) ?? [];
    list.push(c);
    byAttr.set(c.attribute, list);
  }
  const attributes: Profile['attributes'] = [];
  let separates = false;
  for (const [attribute, list] of [...byAttr.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const k = list.length;
    const wonN = list.reduce((s, c) => s + c.won, 0);
    const restN = list.reduce((s, c) => s + c.base - c.won, 0);
    const shrink = wonN / (wonN + shrinkK);
    const entries = list.map((c): ProfileEntry => {
      const rest = c.base - c.won;
      const wonShare = (c.won + alpha) / (wonN + alpha * k);
      const baseShare = (rest + alpha) / (restN + alpha * k);
      const lift = wonShare / baseShare;
      const z = round(twoProportionZ(c.won, wonN, rest, restN), 3);
      const sep = wonN > 0 && restN > 0 && Math.abs(z) >= SEPARATES_Z;
      if (sep) separates = true;
      const weight = sep ? Math.log(lift) * shrink : 0;
      return { ...c, wonShare, baseShare, lift, z, separates: sep, weight, label: reasonLabel(attribute, c.value, lift) };
    });
    // Highest lift first; ties by base count then value so the order is stable.
    entries.sort((x, y) => y.lift - x.lift || y.base - x.base || x.value.localeCompare(y.value));
    attributes.push({ attribute, entries });
  }
  return { wonAccounts: totals.won, baseAccounts: totals.base, attributes, separates, statement: separates ? null : NOTHING_SEPARATES };
}

/** The weights the SQL fit update needs: only values that move the score. */
export function profileWeights(p: Profile): { a: string; v: string; w: number; lift: number; label: string }[] {
  return p.attributes.flatMap((g) =>
    g.entries.filter((e) => Math.abs(e.weight) > 1e-9).map((e) => ({ a: g.attribute, v: e.value, w: round(e.weight, 6), lift: round(e.lift, 4), label: e.label })),
  );
}

/** Fit 0–100 from the summed weights: 50 is "like the base", above leans towards the won accounts. */
export function fitFromWeightSum(sum: number): number {
  return round(100 / (1 + Math.exp(-sum)), 1);
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// ── Win probability ─────────────────────────────────────────────────────────

export const WIN_FEATURES = ['stageRank', 'logDaysInStage', 'fit', 'coverage', 'engagement', 'logAmount'] as const;
export type WinFeature = (typeof WIN_FEATURES)[number];

/** One training example: a closed deal as it stood in one stage (stage snapshots avoid "won deals are all late-stage" leakage). */
export interface WinExample {
  dealId: string;
  won: boolean;
  stage: string;
  x: Record<WinFeature, number>;
}

export interface LogisticModel {
  features: readonly string[];
  mean: number[];
  sd: number[];
  intercept: number;
  coef: number[];
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solves A x = b for a small symmetric positive-definite A (Gaussian elimination, partial pivoting). */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const piv = m[c]![c]!;
    if (Math.abs(piv) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / piv;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}

/**
 * Rows of equal width in one flat array (row i is `values[i * width …]`): a training set of 60k
 * snapshots without 60k small arrays to allocate and collect.
 */
export interface FlatRows {
  values: Float64Array;
  width: number;
  count: number;
}

export function flatRows(rows: readonly (readonly number[])[], width = rows[0]?.length ?? 0): FlatRows {
  const values = new Float64Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) for (let j = 0; j < width; j++) values[i * width + j] = rows[i]![j]!;
  return { values, width, count: rows.length };
}

/**
 * The stepwise computations below pause every this many rows, so a caller can let its event loop in
 * between (see `pace` in src/kernel/pace.ts). Where they pause never changes what they compute.
 */
export const SLICE_ROWS = 512;

/** True after every SLICE_ROWS-th row of a pass (i counts from 0): where a stepwise pass yields. */
export const slicePoint = (i: number) => (i & (SLICE_ROWS - 1)) === SLICE_ROWS - 1;

/**
 * L2-regularized logistic regression on standardized features, fitted by Newton–Raphson steps
 * on the penalized log-likelihood (gradient and Hessian in one pass per step; a handful of steps
 * converge where plain gradient descent needs hundreds). Deterministic: zero start, fixed rules.
 * The intercept is not penalized.
 */
type TrainOptions = { l2?: number; iterations?: number; features?: readonly string[] };

export function trainLogistic(rows: number[][] | FlatRows, y: ArrayLike<number>, opts: TrainOptions = {}): LogisticModel {
  return drain(trainLogisticSteps(rows, y, opts));
}

/** Runs a stepwise computation to its end without pausing. */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * trainLogistic as a generator that pauses every SLICE_ROWS rows of each pass (standardizing, and
 * every Newton step: one step over 60k snapshots is tens of milliseconds before the code is
 * optimized), so a server can train between other work instead of stalling its event loop.
 * The arithmetic and its order are the same however it is driven.
 */
export function* trainLogisticSteps(input: number[][] | FlatRows, y: ArrayLike<number>, opts: TrainOptions = {}): Generator<void, LogisticModel> {
  const rows = Array.isArray(input) ? flatRows(input, input[0]?.length ?? opts.features?.length ?? 0) : input;
  const n = rows.count;
  const d = rows.width;
  const x = rows.values;
  const l2 = opts.l2 ?? 1;
  const iterations = opts.iterations ?? 25;
  const mean = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(1);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += x[i * d + j]!;
      if (slicePoint(i)) yield;
    }
    mean[j] = n ? s / n : 0;
    let v = 0;
    for (let i = 0; i < n; i++) {
      v += (x[i * d + j]! - mean[j]!) ** 2;
      if (slicePoint(i)) yield;
    }
    const sdev = n > 1 ? Math.sqrt(v / n) : 0;
    // A constant feature carries nothing; sd 1 keeps it at 0 after centering.
    sd[j] = sdev > 1e-12 ? sdev : 1;
  }
  const w = new Array<number>(d).fill(0);
  if (n === 0) return { features: opts.features ?? [], mean, sd, intercept: 0, coef: w };
  // Parameters θ = [intercept, w…]; rows are standardized once into a flat array for speed.
  const p = d + 1;
  const z = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    z[i * p] = 1;
    for (let j = 0; j < d; j++) z[i * p + j + 1] = (x[i * d + j]! - mean[j]!) / sd[j]!;
    if (slicePoint(i)) yield;
  }
  yield;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  const theta = new Array<number>(p).fill(0);
  theta[0] = Math.log((positives + 0.5) / (n - positives + 0.5));
  for (let it = 0; it < iterations; it++) {
    const g = new Array<number>(p).fill(0);
    const h = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < n; i++) {
      const o = i * p;
      let s = 0;
      for (let k = 0; k < p; k++) s += theta[k]! * z[o + k]!;
      const mu = sigmoid(s);
      const err = mu - y[i]!;
      const wt = Math.max(mu * (1 - mu), 1e-10);
      for (let k = 0; k < p; k++) {
        const zk = z[o + k]!;
        g[k]! += err * zk;
        const hk = h[k]!;
        for (let l = k; l < p; l++) hk[l]! += wt * zk * z[o + l]!;
      }
      if (slicePoint(i)) yield;
    }
    for (let k = 0; k < p; k++) for (let l = 0; l < k; l++) h[k]![l] = h[l]![k]!;
    for (let k = 1; k < p; k++) {
      g[k]! += l2 * theta[k]!;
      h[k]![k]! += l2;
    }
    const step = solve(h, g);
    let biggest = 0;
    for (let k = 0; k < p; k++) {
      theta[k] = theta[k]! - step[k]!;
      biggest = Math.max(biggest, Math.abs(step[k]!));
    }
    // Converged: further steps would not change the reported digits.
    if (biggest < 1e-8) break;
    yield;
  }
  return { features: opts.features ?? [], mean, sd, intercept: theta[0]!, coef: theta.slice(1) };
}

export function predictLogistic(m: LogisticModel, x: ArrayLike<number>, offset = 0): number {
  let s = m.intercept;
  for (let j = 0; j < m.coef.length; j++) s += m.coef[j]! * ((x[offset + j]! - m.mean[j]!) / m.sd[j]!);
  return sigmoid(s);
}

/** Deterministic split by deal id (not by example, so one deal's snapshots never straddle train and test). */
export function isHeldOut(dealId: string, share: number): boolean {
  if (share <= 0) return false;
  // FNV-1a over the id: stable across runs and databases, independent of insertion order.
  let h = 0x811c9dc5;
  for (let i = 0; i < dealId.length; i++) {
    h ^= dealId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x100000000 < share;
}

export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  meanPredicted: number | null;
  observedRate: number | null;
}

export interface Calibration {
  brier: number | null;
  /** Brier score of always predicting the base rate: the model should beat it. */
  brierBaseline: number | null;
  logLoss: number | null;
  count: number;
  positives: number;
  bins: ReliabilityBin[];
}

export function calibration(pred: ArrayLike<number>, y: ArrayLike<number>, binCount = 10): Calibration {
  return drain(calibrationSteps(pred, y, binCount));
}

/** calibration, pausing every SLICE_ROWS predictions (same sums in the same order). */
export function* calibrationSteps(pred: ArrayLike<number>, y: ArrayLike<number>, binCount = 10): Generator<void, Calibration> {
  const n = pred.length;
  const bins: ReliabilityBin[] = Array.from({ length: binCount }, (_, i) => ({ from: i / binCount, to: (i + 1) / binCount, count: 0, meanPredicted: null, observedRate: null }));
  if (!n) return { brier: null, brierBaseline: null, logLoss: null, count: 0, positives: 0, bins };
  const sums = bins.map(() => ({ p: 0, y: 0 }));
  let brier = 0;
  let ll = 0;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  const rate = positives / n;
  let base = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(Math.max(pred[i]!, 0), 1);
    brier += (p - y[i]!) ** 2;
    base += (rate - y[i]!) ** 2;
    const pc = Math.min(Math.max(p, 1e-9), 1 - 1e-9);
    ll -= y[i]! ? Math.log(pc) : Math.log(1 - pc);
    const k = Math.min(binCount - 1, Math.floor(p * binCount));
    bins[k]!.count++;
    sums[k]!.p += p;
    sums[k]!.y += y[i]!;
    if (slicePoint(i)) yield;
  }
  for (let k = 0; k < binCount; k++) {
    const c = bins[k]!.count;
    if (c) {
      bins[k]!.meanPredicted = round(sums[k]!.p / c, 4);
      bins[k]!.observedRate = round(sums[k]!.y / c, 4);
    }
  }
  return { brier: round(brier / n, 4), brierBaseline: round(base / n, 4), logLoss: round(ll / n, 4), count: n, positives, bins };
}

/** Default stage win rates when there is no history at all, by stage rank 1…5. */
const PRIOR_BY_RANK = [0.1, 0.2, 0.35, 0.55, 0.8];
export const priorForRank = (rank: number) => PRIOR_BY_RANK[Math.min(PRIOR_BY_RANK.length, Math.max(1, Math.round(rank))) - 1]!;

/**
 * Stage base rates: the share of closed deals that passed through a stage and were won, pulled
 * towards a prior by `strength` pseudo-deals so a stage seen twice does not read 0 % or 100 %.
 */
export function stageBaseRates(examples: { stage: string; won: boolean }[], stages: { key: string; rank: number }[], strength = 4): Record<string, number> {
  const counts = new Map<string, { n: number; won: number }>();
  for (const e of examples) {
    const c = counts.get(e.stage) ?? { n: 0, won: 0 };
    c.n++;
    if (e.won) c.won++;
    counts.set(e.stage, c);
  }
  return stageRatesFromCounts(counts, stages, strength);
}

/** stageBaseRates from closed-deal snapshots already counted per stage (n snapshots, of which won). */
export function stageRatesFromCounts(counts: ReadonlyMap<string, { n: number; won: number }>, stages: { key: string; rank: number }[], strength = 4): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of stages) {
    const c = counts.get(s.key);
    const n = c?.n ?? 0;
    const w = c?.won ?? 0;
    out[s.key] = round((w + strength * priorForRank(s.rank)) / (n + strength), 4);
  }
  return out;
}

export type WinModel =
  | { kind: 'win_logistic'; model: LogisticModel; stageRanks: Record<string, number> }
  | { kind: 'win_stage_base'; rates: Record<string, number>; reason: string };

/** Whether the history is rich enough for the learned model (else stage base rates, said on screen). */
export function historyIsEnough(won: number, lost: number, s: Pick<EvaluationSettings, 'minWon' | 'minLost'>): boolean {
  return won >= s.minWon && lost >= s.minLost;
}

export const exampleVector = (e: Pick<WinExample, 'x'>) => WIN_FEATURES.map((f) => e.x[f]);

/** A trained win model as stored: a coefficient per feature on its standardized value. */
export interface WinModelTerms {
  intercept: number;
  terms: { feature: string; coef: number; mean: number; sd: number }[];
}

/** An open deal as the win model sees it (raw values; the logs are taken here). */
export interface OpenDealFeatures {
  stage: string;
  stageRank: number;
  daysInStage: number;
  fit: number;
  coverage: number;
  engagement: number;
  amount: number;
}

export interface WinReason {
  feature: string;
  label: string;
  weight: number;
}

/** Rounds half away from zero, as SQL's numeric round does (Math.round goes half up). */
const roundAway = (x: number, digits: number) => {
  const f = 10 ** digits;
  return (Math.sign(x) * Math.round(Math.abs(x) * f)) / f || 0;
};

/**
 * An open deal's win probability (4 decimals) and its reasons: each feature's contribution is
 * coef × standardized value; the three largest in size are the reasons (ties keep the features'
 * order; contributions under 0.001 say nothing and are left out).
 */
export function scoreOpenDeal(m: WinModelTerms, d: OpenDealFeatures): { p: number; reasons: WinReason[] } {
  const days = Math.max(0, d.daysInStage);
  const values: Record<WinFeature, number> = {
    stageRank: d.stageRank,
    logDaysInStage: Math.log1p(days),
    fit: d.fit,
    coverage: d.coverage,
    engagement: d.engagement,
    logAmount: Math.log1p(Math.max(0, d.amount)),
  };
  const labels: Record<WinFeature, [string, string]> = {
    stageRank: ['stage', `stage ${d.stage.replaceAll('_', ' ')}`],
    logDaysInStage: ['daysInStage', `${Math.round(days)} days in this stage`],
    fit: ['fit', `fit ${Math.round(d.fit)}`],
    coverage: ['coverage', `buying-center coverage ${Math.round(d.coverage)} %`],
    engagement: ['engagement', `${Math.round(d.engagement)} interactions in 90 days`],
    logAmount: ['amount', 'deal size'],
  };
  let z = m.intercept;
  const contributions: { k: number; w: number; feature: string; label: string }[] = [];
  for (const [k, f] of WIN_FEATURES.entries()) {
    const t = m.terms.find((x) => x.feature === f);
    if (!t) continue;
    const w = t.sd ? (t.coef * (values[f] - t.mean)) / t.sd : 0;
    z += w;
    if (Math.abs(w) > 0.001) contributions.push({ k, w, feature: labels[f][0], label: labels[f][1] });
  }
  contributions.sort((a, b) => Math.abs(b.w) - Math.abs(a.w) || a.k - b.k);
  return {
    p: roundAway(sigmoid(z), 4),
    reasons: contributions.slice(0, 3).map((c) => ({ feature: c.feature, label: c.label, weight: roundAway(c.w, 3) })),
  };
}

/** Whether two reason lists say the same (stored ones come back from JSON). */
export function sameReasons(a: readonly WinReason[] | null | undefined, b: readonly WinReason[]): boolean {
  if (!Array.isArray(a) || a.length !== b.length) return false;
  return a.every((x, i) => x.feature === b[i]!.feature && x.label === b[i]!.label && Number(x.weight) === b[i]!.weight);
}

// ── Classification ──────────────────────────────────────────────────────────

export type PortfolioType = 'key' | 'development' | 'maintenance' | 'opportunity';

/**
 * 003's matrix: attractiveness (is the account worth it) against relationship (how strong our
 * position is). Exactly on a threshold counts as high.
 */
export function portfolioType(attractiveness: number, relationship: number, s: Pick<EvaluationSettings, 'attractivenessThreshold' | 'relationshipThreshold'>): PortfolioType {
  const hiA = attractiveness >= s.attractivenessThreshold;
  const hiR = relationship >= s.relationshipThreshold;
  if (hiA && hiR) return 'key';
  if (hiA) return 'development';
  if (hiR) return 'maintenance';
  return 'opportunity';
}

/** Below this spread (points of 0–100) an axis places every account alike: it cannot separate them. */
export const AXIS_MIN_SPREAD = 1;

/** The axes on which two or more accounts all sit within AXIS_MIN_SPREAD of one another. */
export function axesThatCannotSeparate(
  accounts: number,
  ranges: Record<'attractiveness' | 'relationship', [min: number | null, max: number | null]>,
): ('attractiveness' | 'relationship')[] {
  if (accounts < 2) return [];
  return (['attractiveness', 'relationship'] as const).filter((k) => {
    const [lo, hi] = ranges[k];
    return lo === null || hi === null || Number(hi) - Number(lo) < AXIS_MIN_SPREAD;
  });
}

export type Posture = 'strategic_partnership' | 'invest_while_profitable' | 'build_loyalty' | 'keep_in_touch' | 'minimal_effort';

/** The investment posture each type carries; an opportunity splits on price-drivenness. */
export function investmentPosture(type: PortfolioType, priceDriven: boolean): Posture {
  switch (type) {
    case 'key':
      return 'strategic_partnership';
    case 'development':
      return 'invest_while_profitable';
    case 'maintenance':
      return 'build_loyalty';
    default:
      return priceDriven ? 'minimal_effort' : 'keep_in_touch';
  }
}

export const POSTURE_TEXT: Record<Posture, string> = {
  strategic_partnership: 'Keep at all costs; aim for a strategic partnership',
  invest_while_profitable: 'Invest while it stays profitable',
  build_loyalty: 'Build brand loyalty',
  keep_in_touch: 'Early stage: keep in touch',
  minimal_effort: 'Price-driven: minimal effort',
};

/** Price-driven: says so itself, or most of its lost deals went on price. */
export function isPriceDriven(priceOrientation: string | null, lostDeals: number, lostOnPrice: number): boolean {
  if (priceOrientation === 'price') return true;
  if (priceOrientation === 'quality') return false;
  return lostDeals >= 2 && lostOnPrice / lostDeals >= 0.5;
}

/** Strength tier from the size percentile (0–1); unknown size is C. */
export function tierFor(sizePercentile: number | null, cuts: EvaluationSettings['tierCuts']): 'A' | 'B' | 'C' {
  if (sizePercentile === null || !Number.isFinite(sizePercentile)) return 'C';
  if (sizePercentile >= cuts.a) return 'A';
  if (sizePercentile >= cuts.b) return 'B';
  return 'C';
}

/** Supplier status level (vocab meta.level, 0 … 4) → 0–100; unknown counts as provisional. */
export const supplierStatusScore = (level: number | null) => (level === null ? 50 : Math.max(0, Math.min(100, (level / 4) * 100)));

/** Price orientation as a profitability proxy: quality buyers pay for value. */
export const PROFITABILITY_BY_ORIENTATION: Record<string, number> = { quality: 85, balanced: 55, price: 20 };
export const PROFITABILITY_UNKNOWN = 50;

// ── Need type suggestion ────────────────────────────────────────────────────

/** Words that betray a need type in interaction text (en, zh). Keys are the default vocabulary. */
export const NEED_TYPE_CUES: Record<string, string[]> = {
  importer: ['import', 'container', 'price list', 'catalogue', 'catalog', 'fob', 'cif', 'lead time', 'shipment', 'customs', '进口', '货柜', '报价', '目录', '交期', '清关'],
  brand_owner: ['brand', 'oem', 'odm', 'private label', 'long-term partner', 'our label', 'packaging', '品牌', '贴牌', '长期合作'],
  designer: ['design', 'prototype', 'concept', 'custom fixture', 'render', 'sample', 'architect', '设计', '样品', '原型', '定制'],
  engineering_contractor: ['project', 'tender', 'bid', 'installation', 'site', 'contractor', 'specification', 'bill of quantities', '工程', '招标', '项目', '安装', '施工'],
  distributor: ['distribut', 'stock', 'resell', 'wholesale', 'dealer', 'inventory', '分销', '经销', '库存', '批发'],
  end_user: ['our factory', 'our office', 'our warehouse', 'replace our', 'for our own', 'retrofit', '自用', '工厂照明', '改造'],
};

/** Fields that hint at a need type (industry key → need type). */
export const NEED_TYPE_BY_INDUSTRY: Record<string, string> = {
  architecture_design: 'designer',
  construction: 'engineering_contractor',
  wholesale: 'distributor',
  retail: 'brand_owner',
  public_sector: 'engineering_contractor',
  hospitality: 'end_user',
  manufacturing: 'end_user',
};

export interface NeedTypeSuggestion {
  needType: string;
  score: number;
  evidence: string[];
}

/**
 * Suggests need types for an account without one: each cue found in the text counts once per
 * text it appears in; the industry adds a vote. Only known (active) need types are suggested;
 * the best first, ties by vocabulary order.
 */
export function suggestNeedTypes(texts: string[], fields: { industry?: string | null }, known: string[]): NeedTypeSuggestion[] {
  const score = new Map<string, { score: number; evidence: Set<string> }>();
  const bump = (k: string, by: number, ev: string) => {
    if (!known.includes(k)) return;
    const e = score.get(k) ?? { score: 0, evidence: new Set<string>() };
    e.score += by;
    e.evidence.add(ev);
    score.set(k, e);
  };
  const lower = texts.map((t) => t.toLowerCase());
  for (const [type, cues] of Object.entries(NEED_TYPE_CUES)) {
    for (const cue of cues) {
      const hits = lower.filter((t) => t.includes(cue)).length;
      if (hits) bump(type, hits, `"${cue}" ×${hits}`);
    }
  }
  const byIndustry = fields.industry ? NEED_TYPE_BY_INDUSTRY[fields.industry] : undefined;
  if (byIndustry) bump(byIndustry, 1, `industry = ${fields.industry!.replace(/_/g, ' ')}`);
  return [...score.entries()]
    .map(([needType, e]) => ({ needType, score: e.score, evidence: [...e.evidence].slice(0, 5) }))
    .sort((a, b) => b.score - a.score || known.indexOf(a.needType) - known.indexOf(b.needType));
}

// ── Honesty of the win model ────────────────────────────────────────────────

/** A feature that tells the outcome this well on its own was recorded after it (issue #14). */
export const LEAK_AUC = 0.98;
/** A held-out score this good is not a result but a leak not caught feature by feature. */
export const SUSPICIOUS_BRIER = 0.01;
export const SUSPICIOUS_AUC = 0.99;
/** Below this Brier skill over the base rate the model has found nothing. */
export const NO_SIGNAL_SKILL = 0.05;
/**
 * A feature whose "not recorded" value (0) is this much more common in one outcome than the other
 * was filled in at close: lost deals whose amount is wiped to 0, for instance.
 */
export const PLACEHOLDER_GAP = 0.5;
/**
 * The same when one outcome never lacks the value and the other often does: amount 0 on a quarter
 * of the lost deals and on none of the won ones is an amount wiped at the loss (a Salesforce-shaped
 * history), not a coincidence a model should learn.
 */
export const PLACEHOLDER_NEVER = 0.02;
export const PLACEHOLDER_OFTEN = 0.1;
/** Features where 0 means "not recorded" rather than a measured zero. */
export const UNSET_AT_ZERO: readonly WinFeature[] = ['logAmount'];

/** How each feature is named on screen and in messages. */
export const FEATURE_NAMES: Record<WinFeature, string> = {
  stageRank: 'stage',
  logDaysInStage: 'days in stage',
  fit: 'fit',
  coverage: 'buying-center coverage',
  engagement: 'engagement',
  logAmount: 'amount',
};

/**
 * Area under the ROC curve of a score for positives against negatives, both sorted ascending:
 * the chance a random positive scores above a random negative (ties count half). Null without both.
 */
export function aucSorted(pos: ArrayLike<number>, neg: ArrayLike<number>): number | null {
  if (!pos.length || !neg.length) return null;
  let below = 0;
  let upTo = 0;
  let last = NaN;
  let wins = 0;
  for (let i = 0; i < pos.length; i++) {
    const v = pos[i]!;
    // pos is ascending: both pointers only move forward, and equal positives reuse the last count.
    if (v !== last) {
      while (below < neg.length && neg[below]! < v) below++;
      upTo = Math.max(upTo, below);
      while (upTo < neg.length && neg[upTo]! === v) upTo++;
      last = v;
    }
    wins += below + (upTo - below) / 2;
  }
  return wins / (pos.length * neg.length);
}

/** AUC of `scores` for `y` (sorts copies). */
export function auc(scores: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < scores.length; i++) (y[i] ? pos : neg).push(scores[i]!);
  return aucSorted(Float64Array.from(pos).sort(), Float64Array.from(neg).sort());
}

export interface FeatureCheck {
  feature: WinFeature;
  /** AUC of the feature alone on the held-out deals, in the direction it points on the training deals. */
  heldOutAuc: number | null;
  /** Every won deal's value lies above every lost deal's, or below. */
  separatesPerfectly: boolean;
  /** Share of won and lost snapshots where the feature is not recorded (only for UNSET_AT_ZERO features). */
  unsetWon: number | null;
  unsetLost: number | null;
  dropped: 'separates' | 'placeholder' | null;
  message: string | null;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

/** Whether a feature leaks the outcome, and why in words. */
export function judgeFeature(c: Omit<FeatureCheck, 'dropped' | 'message'>): FeatureCheck {
  const name = FEATURE_NAMES[c.feature];
  if (c.separatesPerfectly)
    return { ...c, dropped: 'separates', message: `${name} was dropped: it separates won and lost deals perfectly, which means it was recorded after the outcome` };
  if (c.heldOutAuc !== null && c.heldOutAuc >= LEAK_AUC)
    return { ...c, dropped: 'separates', message: `${name} was dropped: on its own it tells won from lost deals almost perfectly (AUC ${c.heldOutAuc.toFixed(3)}), which means it was recorded after the outcome` };
  if (c.unsetWon !== null && c.unsetLost !== null && (Math.abs(c.unsetWon - c.unsetLost) >= PLACEHOLDER_GAP
    || (Math.min(c.unsetWon, c.unsetLost) <= PLACEHOLDER_NEVER && Math.max(c.unsetWon, c.unsetLost) >= PLACEHOLDER_OFTEN))) {
    const [more, less] = c.unsetLost > c.unsetWon ? ['lost', 'won'] : ['won', 'lost'];
    const [a, b] = c.unsetLost > c.unsetWon ? [c.unsetLost, c.unsetWon] : [c.unsetWon, c.unsetLost];
    return { ...c, dropped: 'placeholder', message: `${name} was dropped: ${pct(a)} of ${more} deals have none against ${pct(b)} of ${less} deals, which means it was filled in after the outcome` };
  }
  return { ...c, dropped: null, message: null };
}

export type ModelVerdict = 'suspicious' | 'no_signal' | 'useful';

export interface ModelHonesty {
  verdict: ModelVerdict;
  /** Brier skill score: 1 − Brier / Brier of the base rate (0 = no better than the base rate). */
  skill: number | null;
  heldOutAuc: number | null;
  message: string | null;
}

/**
 * What the held-out figures mean: a near-perfect score is suspicious (a leak), one that barely beats
 * always predicting the base rate has no signal.
 */
export function judgeModel(brier: number | null, brierBaseline: number | null, heldOutAuc: number | null): ModelHonesty {
  const skill = brier !== null && brierBaseline !== null && brierBaseline > 0 ? round(1 - brier / brierBaseline, 4) : null;
  if ((brier !== null && brier <= SUSPICIOUS_BRIER) || (heldOutAuc !== null && heldOutAuc >= SUSPICIOUS_AUC))
    return {
      verdict: 'suspicious', skill, heldOutAuc,
      message: `Suspicious: on held-out deals the model is nearly perfect (Brier ${brier?.toFixed(3) ?? '–'}, AUC ${heldOutAuc?.toFixed(3) ?? '–'}); something it reads was probably recorded after the outcome`,
    };
  if (skill === null || skill < NO_SIGNAL_SKILL)
    return { verdict: 'no_signal', skill, heldOutAuc, message: `No better than the base rate: the history holds no signal the model can use yet (Brier skill ${skill === null ? '–' : skill.toFixed(3)})` };
  return { verdict: 'useful', skill, heldOutAuc, message: null };
}

/**
 * Paired bootstrap of a held-out Brier difference (b − a): the held-out snapshots are resampled by
 * group (a deal's snapshots stay together), both models scored on the same resample. Returns the
 * observed difference and its two-sided interval (default 95 %). Negative means b is better
 * calibrated; "b improves" only when the whole interval is below zero. Deterministic (seeded LCG).
 */
export function pairedBrierBootstrap(
  a: ArrayLike<number>, b: ArrayLike<number>, y: ArrayLike<number>, groups: readonly (readonly number[])[],
  opts: { resamples?: number; seed?: number; level?: number } = {},
): { diff: number; lo: number; hi: number; groups: number } {
  const resamples = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  let seed = (opts.seed ?? 17) >>> 0;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 2147483648;
  };
  let sa = 0;
  let sb = 0;
  let n = 0;
  for (const g of groups) {
    for (const i of g) {
      sa += (a[i]! - y[i]!) ** 2;
      sb += (b[i]! - y[i]!) ** 2;
      n++;
    }
  }
  const diff = n ? (sb - sa) / n : 0;
  if (!groups.length) return { diff, lo: 0, hi: 0, groups: 0 };
  const diffs = new Float64Array(resamples);
  for (let k = 0; k < resamples; k++) {
    let da = 0;
    let db = 0;
    let m = 0;
    for (let g = 0; g < groups.length; g++) {
      for (const i of groups[Math.floor(rand() * groups.length)]!) {
        da += (a[i]! - y[i]!) ** 2;
        db += (b[i]! - y[i]!) ** 2;
        m++;
      }
    }
    diffs[k] = m ? (db - da) / m : 0;
  }
  diffs.sort();
  const tail = (1 - level) / 2;
  return { diff, lo: diffs[Math.floor(tail * resamples)]!, hi: diffs[Math.min(resamples - 1, Math.floor((1 - tail) * resamples))]!, groups: groups.length };
}
