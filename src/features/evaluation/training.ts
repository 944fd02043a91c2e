/**
 * The win model's training, in a form the server can run between HTTP requests: closed-deal
 * snapshots in columns (no object per snapshot to allocate and collect) and every pass over them a
 * generator that pauses every SLICE_ROWS rows, driven by `pace` (src/kernel/pace.ts), which lets the event loop in
 * whenever a slice has run a few milliseconds. Pure: no database, no clock in what is computed.
 */
import {
  aucSorted, calibrationSteps, historyIsEnough, isHeldOut, judgeFeature, judgeModel, predictLogistic, round, SLICE_ROWS, slicePoint, stageRatesFromCounts,
  trainLogisticSteps, UNSET_AT_ZERO, WIN_FEATURES, type Calibration, type EvaluationSettings, type FeatureCheck, type ModelHonesty,
} from './rules.ts';
import type { ExampleRow } from './queries.ts';

export interface WinModelMetrics {
  wonDeals: number;
  lostDeals: number;
  trainDeals: number;
  testDeals: number;
  trainExamples: number;
  testExamples: number;
  /** On the held-out deals: the deployed model, and stage base rates for comparison. */
  calibration: Calibration;
  stageBaseCalibration: Calibration;
  fallback: string | null;
  /** Each feature's leak check (empty when stage base rates are used: they read no feature). */
  features: FeatureCheck[];
  /** Whether the held-out figures mean anything: suspicious, no signal, or useful. */
  honesty: ModelHonesty;
}

const MAX_TRAIN_EXAMPLES = 60_000;

/**
 * Closed-deal snapshots in columns: one flat array of features and small per-snapshot indexes
 * instead of an object per snapshot. At 73k snapshots the objects cost tens of milliseconds of
 * garbage collection on the server's main thread; the columns are a few allocations.
 */
export interface ExampleSet {
  count: number;
  /** WIN_FEATURES of snapshot i at `x[i * WIN_FEATURES.length …]`. */
  x: Float64Array;
  won: Uint8Array;
  /** Index into `deals` / `stages`. */
  deal: Int32Array;
  stage: Int32Array;
  deals: string[];
  stages: string[];
}

const D = WIN_FEATURES.length;

/** A training row read before its account's fit is known. */
export type PendingExampleRow = Omit<ExampleRow, 'fit'> & { account_id: string };

/** Builds an ExampleSet from result rows as they arrive, a slice at a time (rows in the order given). */
/** A copy of `a` with room for `length` values: typed arrays do not grow. */
export function grown<T extends Float64Array | Int32Array | Uint8Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}

/** `cap` doubled until it holds `needed`. */
export function doubledTo(cap: number, needed: number): number {
  let c = Math.max(1, cap);
  while (c < needed) c *= 2;
  return c;
}

export class ExampleSetBuilder {
  private n = 0;
  private x = new Float64Array(1024 * D);
  private won = new Uint8Array(1024);
  private deal = new Int32Array(1024);
  private stage = new Int32Array(1024);
  private readonly dealIndex = new Map<string, number>();
  private readonly stageIndex = new Map<string, number>();
  private readonly deals: string[] = [];
  private readonly stages: string[] = [];

  // Rows without fit yet (staged before the accounts' fit is written) and their accounts, for
  // `setFit`: typed arrays and one string per account, not an object and a string per row. Tens of
  // thousands of small objects kept alive through the load made every young-generation GC copy
  // them (30–50 ms pauses of the server's main thread while a recompute ran).
  private pendingRow = new Int32Array(1024);
  private pendingAccount = new Int32Array(1024);
  private pendingCount = 0;
  private readonly accountIndex = new Map<string, number>();
  private readonly accounts: string[] = [];

  add(rows: readonly (ExampleRow | PendingExampleRow)[]): void {
    this.reserve(this.n + rows.length);
    for (const r of rows) {
      const i = this.n++;
      const o = i * D;
      // The feature order of WIN_FEATURES.
      this.x[o] = Number(r.stage_rank);
      this.x[o + 1] = Math.log1p(Math.max(0, Number(r.days)));
      if ('fit' in r) this.x[o + 2] = Number(r.fit);
      else this.addPending(i, r.account_id);
      this.x[o + 3] = Number(r.coverage);
      this.x[o + 4] = Number(r.engagement);
      this.x[o + 5] = Math.log1p(Math.max(0, Number(r.amount)));
      this.won[i] = r.won ? 1 : 0;
      this.deal[i] = this.indexOf(this.dealIndex, this.deals, r.deal_id);
      this.stage[i] = this.indexOf(this.stageIndex, this.stages, r.stage);
    }
  }

  /** Fills in the pending rows' fit (an account without one counts as 50, as unscored accounts do). */
  setFit(fitOf: ReadonlyMap<string, number>): void {
    const fit = this.accounts.map((a) => fitOf.get(a) ?? 50);
    for (let k = 0; k < this.pendingCount; k++) this.x[this.pendingRow[k]! * D + 2] = fit[this.pendingAccount[k]!]!;
    this.pendingCount = 0;
  }

  finish(): ExampleSet {
    if (this.pendingCount) throw new Error('Training rows still wait for their fit (setFit)');
    const n = this.n;
    return { count: n, x: this.x.subarray(0, n * D), won: this.won.subarray(0, n), deal: this.deal.subarray(0, n), stage: this.stage.subarray(0, n), deals: this.deals, stages: this.stages };
  }

  private addPending(row: number, account: string) {
    if (this.pendingCount === this.pendingRow.length) {
      this.pendingRow = grown(this.pendingRow, this.pendingCount * 2);
      this.pendingAccount = grown(this.pendingAccount, this.pendingCount * 2);
    }
    this.pendingRow[this.pendingCount] = row;
    this.pendingAccount[this.pendingCount++] = this.indexOf(this.accountIndex, this.accounts, account);
  }

  private indexOf(index: Map<string, number>, list: string[], key: string): number {
    let k = index.get(key);
    if (k === undefined) {
      k = list.length;
      list.push(key);
      index.set(key, k);
    }
    return k;
  }

  private reserve(size: number) {
    if (size <= this.won.length) return;
    const cap = doubledTo(this.won.length, size);
    this.x = grown(this.x, cap * D);
    this.won = grown(this.won, cap);
    this.deal = grown(this.deal, cap);
    this.stage = grown(this.stage, cap);
  }
}

export type Stages = { key: string; rank: number }[];

function* stageCounts(set: ExampleSet, which?: Int32Array): Generator<void, Map<string, { n: number; won: number }>> {
  const n = new Int32Array(set.stages.length);
  const won = new Int32Array(set.stages.length);
  const count = which ? which.length : set.count;
  for (let k = 0; k < count; k++) {
    const i = which ? which[k]! : k;
    n[set.stage[i]!]!++;
    won[set.stage[i]!]! += set.won[i]!;
    if (slicePoint(k)) yield;
  }
  return new Map(set.stages.map((s, k) => [s, { n: n[k]!, won: won[k]! }]));
}

function* ysOf(set: ExampleSet, which: Int32Array): Generator<void, Uint8Array> {
  const y = new Uint8Array(which.length);
  for (let k = 0; k < which.length; k++) {
    y[k] = set.won[which[k]!]!;
    if (slicePoint(k)) yield;
  }
  return y;
}

/** One feature's values over some snapshots, split by outcome and sorted (for AUC). */
function* valuesByOutcome(set: ExampleSet, which: Int32Array, j: number, width: number = D): Generator<void, [Float64Array, Float64Array]> {
  let nPos = 0;
  for (let k = 0; k < which.length; k++) nPos += set.won[which[k]!]!;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(which.length - nPos);
  let p = 0;
  let q = 0;
  for (let k = 0; k < which.length; k++) {
    const i = which[k]!;
    const v = set.x[i * width + j]!;
    if (set.won[i]) pos[p++] = v;
    else neg[q++] = v;
    if (slicePoint(k)) yield;
  }
  pos.sort();
  yield;
  neg.sort();
  yield;
  return [pos, neg];
}

/**
 * Each feature checked for a leak: its AUC alone on the held-out snapshots (in the direction it
 * points on the training ones), whether it separates won from lost perfectly, and for features
 * whose 0 means "not recorded", how often each outcome lacks it.
 */
function* featureChecks(set: ExampleSet, train: Int32Array, test: Int32Array): Generator<void, FeatureCheck[]> {
  const all = new Int32Array(set.count);
  for (let i = 0; i < set.count; i++) all[i] = i;
  const checks: FeatureCheck[] = [];
  for (const [j, feature] of WIN_FEATURES.entries()) {
    const [trPos, trNeg] = yield* valuesByOutcome(set, train, j);
    const [tePos, teNeg] = yield* valuesByOutcome(set, test, j);
    const [aPos, aNeg] = yield* valuesByOutcome(set, all, j);
    const aTrain = aucSorted(trPos, trNeg);
    const aTest = aucSorted(tePos, teNeg);
    const heldOutAuc = aTest === null ? null : round(aTrain === null ? Math.max(aTest, 1 - aTest) : aTrain >= 0.5 ? aTest : 1 - aTest, 4);
    const both = aPos.length > 0 && aNeg.length > 0;
    const separatesPerfectly = both && (aNeg[aNeg.length - 1]! < aPos[0]! || aPos[aPos.length - 1]! < aNeg[0]!);
    let unsetWon: number | null = null;
    let unsetLost: number | null = null;
    if (UNSET_AT_ZERO.includes(feature) && both) {
      // Sorted ascending and never below 0: the zeros come first.
      const zeros = (a: Float64Array) => {
        let n = 0;
        while (n < a.length && a[n]! <= 0) n++;
        return n;
      };
      unsetWon = round(zeros(aPos) / aPos.length, 4);
      unsetLost = round(zeros(aNeg) / aNeg.length, 4);
    }
    checks.push(judgeFeature({ feature, heldOutAuc, separatesPerfectly, unsetWon, unsetLost }));
    yield;
  }
  return checks;
}

/** Held-out AUC of predictions (null without both outcomes). */
function* aucOf(pred: Float64Array, y: Uint8Array): Generator<void, number | null> {
  const set: ExampleSet = { count: pred.length, x: pred, won: y, deal: new Int32Array(0), stage: new Int32Array(0), deals: [], stages: [] };
  const all = new Int32Array(pred.length);
  for (let i = 0; i < pred.length; i++) all[i] = i;
  const [pos, neg] = yield* valuesByOutcome(set, all, 0, 1);
  const a = aucSorted(pos, neg);
  return a === null ? null : round(a, 4);
}

/**
 * The win model as a stepwise computation over an ExampleSet: from closed-deal snapshots, a
 * logistic model with its held-out calibration, or stage base rates when history is thin.
 * Snapshots are kept in their given order throughout (train, test, sample), so every sum runs in
 * the order the row-per-object version summed in and the model is the same to the last bit.
 */
export function* winModelSteps(set: ExampleSet, stages: Stages, s: EvaluationSettings) {
  // Per deal: won (of its last snapshot, as a map overwrite would give), held out.
  const dealWon = new Uint8Array(set.deals.length);
  for (let i = 0; i < set.count; i++) {
    dealWon[set.deal[i]!] = set.won[i]!;
    if (slicePoint(i)) yield;
  }
  let wonDeals = 0;
  for (const w of dealWon) wonDeals += w;
  const lostDeals = set.deals.length - wonDeals;
  const heldOut = new Uint8Array(set.deals.length);
  for (let k = 0; k < set.deals.length; k++) {
    heldOut[k] = isHeldOut(set.deals[k]!, s.holdoutShare) ? 1 : 0;
    if (slicePoint(k)) yield;
  }
  const trainIdx = new Int32Array(set.count);
  const testIdx = new Int32Array(set.count);
  let nTrain = 0;
  let nTest = 0;
  for (let i = 0; i < set.count; i++) {
    if (heldOut[set.deal[i]!]) testIdx[nTest++] = i;
    else trainIdx[nTrain++] = i;
    if (slicePoint(i)) yield;
  }
  const train = trainIdx.subarray(0, nTrain);
  const test = testIdx.subarray(0, nTest);
  const testDealSet = new Set<number>();
  for (let k = 0; k < test.length; k++) testDealSet.add(set.deal[test[k]!]!);
  const testDeals = testDealSet.size;
  const yTest = yield* ysOf(set, test);
  // Stage base rates from the training deals: the fallback, and the yardstick for the model.
  const trainRates = stageRatesFromCounts(yield* stageCounts(set, train), stages);
  const ratePred = new Float64Array(test.length);
  const rateOf = set.stages.map((st) => trainRates[st] ?? 0.1);
  for (let k = 0; k < test.length; k++) {
    ratePred[k] = rateOf[set.stage[test[k]!]!]!;
    if (slicePoint(k)) yield;
  }
  const stageBaseCalibration = yield* calibrationSteps(ratePred, yTest);
  const enough = historyIsEnough(wonDeals, lostDeals, s);
  let trainWon = 0;
  for (let k = 0; k < train.length; k++) trainWon += set.won[train[k]!]!;
  const trainHasBoth = trainWon > 0 && trainWon < train.length;
  const base = { wonDeals, lostDeals, trainDeals: set.deals.length - testDeals, testDeals, trainExamples: train.length, testExamples: test.length, stageBaseCalibration };
  const allRates = stageRatesFromCounts(yield* stageCounts(set), stages);
  if (!enough || !trainHasBoth) {
    const reason = enough
      ? 'The training split has only won or only lost deals'
      : `Too little history for a learned model (${wonDeals} won, ${lostDeals} lost; needs ${s.minWon} won and ${s.minLost} lost): using stage base rates`;
    const honesty = judgeModel(stageBaseCalibration.brier, stageBaseCalibration.brierBaseline, yield* aucOf(ratePred, yTest));
    const metrics: WinModelMetrics = { ...base, calibration: stageBaseCalibration, fallback: reason, features: [], honesty };
    return { kind: 'win_stage_base' as const, model: { rates: allRates, stages }, metrics, reason };
  }
  // Beyond ~60k snapshots more rows barely move seven coefficients; a deterministic sample keeps training well under a second.
  const share = Math.min(1, MAX_TRAIN_EXAMPLES / Math.max(1, train.length));
  let fitOn = train;
  if (share < 1) {
    const keep = new Int8Array(set.deals.length).fill(-1);
    const picked = new Int32Array(train.length);
    let m = 0;
    for (let k = 0; k < train.length; k++) {
      const d = set.deal[train[k]!]!;
      if (keep[d] === -1) keep[d] = isHeldOut(`${set.deals[d]!}:train`, share) ? 1 : 0;
      if (keep[d]) picked[m++] = train[k]!;
      if (slicePoint(k)) yield;
    }
    fitOn = picked.subarray(0, m);
  }
  // A feature that gives the outcome away was recorded after it: the model learns without it.
  const features = yield* featureChecks(set, train, test);
  const kept = WIN_FEATURES.flatMap((f, j) => (features[j]!.dropped ? [] : [j]));
  const K = kept.length;
  const columns = (which: Int32Array) => {
    const out = new Float64Array(which.length * K);
    for (let k = 0; k < which.length; k++) for (let c = 0; c < K; c++) out[k * K + c] = set.x[which[k]! * D + kept[c]!]!;
    return out;
  };
  const fitX = columns(fitOn);
  yield;
  const yFit = yield* ysOf(set, fitOn);
  const keptNames = kept.map((j) => WIN_FEATURES[j]!);
  const m = yield* trainLogisticSteps({ values: fitX, width: K, count: fitOn.length }, yFit, { l2: s.l2, features: keptNames });
  const testX = columns(test);
  yield;
  const pred = new Float64Array(test.length);
  for (let k = 0; k < test.length; k++) {
    pred[k] = predictLogistic(m, testX, k * K);
    if (slicePoint(k)) yield;
  }
  const cal = yield* calibrationSteps(pred, yTest);
  const model = {
    intercept: round(m.intercept, 6),
    terms: keptNames.map((f, j) => ({ feature: f, coef: round(m.coef[j]!, 6), mean: round(m.mean[j]!, 6), sd: round(m.sd[j]!, 6) })),
    stageRates: allRates,
    stages,
  };
  const honesty = judgeModel(cal.brier, cal.brierBaseline, yield* aucOf(pred, yTest));
  const metrics: WinModelMetrics = { ...base, calibration: cal, fallback: null, features, honesty };
  return { kind: 'win_logistic' as const, model, metrics, reason: undefined };
}

export function* addSteps(b: ExampleSetBuilder, rows: readonly (ExampleRow | PendingExampleRow)[]): Generator<void, ExampleSetBuilder> {
  for (let i = 0; i < rows.length; i += SLICE_ROWS) {
    b.add(rows.slice(i, i + SLICE_ROWS));
    yield;
  }
  return b;
}
