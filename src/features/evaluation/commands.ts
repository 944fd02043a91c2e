import type { Database } from '../../kernel/db/index.ts';
import { useBatchMemory, vacuumStale } from '../../kernel/db/statistics.ts';
import { recomputeOrgCoverage } from '../buying-center/queries.ts';
import {
  buildProfile, calibration, DEFAULT_SETTINGS, evaluationSettings, exampleVector, historyIsEnough, isHeldOut, predictLogistic,
  PROFITABILITY_BY_ORIENTATION, PROFITABILITY_UNKNOWN, profileWeights, round, stageBaseRates, trainLogisticSteps, WIN_FEATURES,
  type Calibration, type EvaluationSettings, type LogisticModel, type Profile, type WinExample,
} from './rules.ts';
import {
  classifyAccounts, closedDealExamples, customSelectKeys, orgSettings, profileCounts, refreshStatistics, scoreOpenDealsByStage, scoreOpenDealsLogistic,
  storeModel, vocabMeta, type ExampleRow, type Q,
} from './queries.ts';

export type RecomputePhase = 'coverage' | 'profile' | 'accounts' | 'examples' | 'training' | 'deals' | 'done';

export interface RecomputeResult {
  /** Accounts evaluated and open deals scored. */
  accounts: number;
  openDeals: number;
  /** Rows actually rewritten (only changed scores are written). */
  changed: { accounts: number; openDeals: number; coverage: number };
  profile: { wonAccounts: number; baseAccounts: number; values: number };
  winModel: { kind: 'win_logistic' | 'win_stage_base'; reason?: string; brier: number | null; brierBaseline: number | null; heldOutDeals: number };
  timingsMs: Record<'coverage' | 'profile' | 'accounts' | 'examples' | 'training' | 'deals' | 'total', number>;
}

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
}

const MAX_TRAIN_EXAMPLES = 60_000;

const toExample = (r: ExampleRow): WinExample => ({
  dealId: r.deal_id,
  won: r.won,
  stage: r.stage,
  x: {
    stageRank: Number(r.stage_rank),
    logDaysInStage: Math.log1p(Math.max(0, Number(r.days))),
    fit: Number(r.fit),
    coverage: Number(r.coverage),
    engagement: Number(r.engagement),
    logAmount: Math.log1p(Math.max(0, Number(r.amount))),
  },
});

/** Lets the event loop run (HTTP requests, health checks) between slices of CPU work in the server. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Trains the win model from closed deals, or falls back to stage base rates when history is thin.
 * Async only to yield between slices of work (≈ 0.3 s of CPU at 70k snapshots in all).
 */
export async function fitWinModel(rows: ExampleRow[], stages: { key: string; rank: number }[], s: EvaluationSettings) {
  const examples = rows.map(toExample);
  await breathe();
  const deals = new Map<string, boolean>();
  for (const e of examples) deals.set(e.dealId, e.won);
  const wonDeals = [...deals.values()].filter(Boolean).length;
  const lostDeals = deals.size - wonDeals;
  await breathe();
  const train: WinExample[] = [];
  const test: WinExample[] = [];
  for (const e of examples) (isHeldOut(e.dealId, s.holdoutShare) ? test : train).push(e);
  await breathe();
  const testDeals = new Set(test.map((e) => e.dealId)).size;
  const ys = (xs: WinExample[]) => xs.map((e) => (e.won ? 1 : 0));
  // Stage base rates from the training deals: the fallback, and the yardstick for the model.
  const trainRates = stageBaseRates(train, stages);
  await breathe();
  const stageBaseCalibration = calibration(test.map((e) => trainRates[e.stage] ?? 0.1), ys(test));
  await breathe();
  const enough = historyIsEnough(wonDeals, lostDeals, s);
  const trainHasBoth = train.some((e) => e.won) && train.some((e) => !e.won);
  const base = { wonDeals, lostDeals, trainDeals: deals.size - testDeals, testDeals, trainExamples: train.length, testExamples: test.length, stageBaseCalibration };
  if (!enough || !trainHasBoth) {
    const reason = enough
      ? 'The training split has only won or only lost deals'
      : `Too little history for a learned model (${wonDeals} won, ${lostDeals} lost; needs ${s.minWon} won and ${s.minLost} lost): using stage base rates`;
    const rates = stageBaseRates(examples, stages);
    const metrics: WinModelMetrics = { ...base, calibration: stageBaseCalibration, fallback: reason };
    return { kind: 'win_stage_base' as const, model: { rates, stages }, metrics, reason };
  }
  // Beyond ~60k snapshots more rows barely move seven coefficients; a deterministic sample keeps training well under a second.
  const share = Math.min(1, MAX_TRAIN_EXAMPLES / Math.max(1, train.length));
  const fitOn = share < 1 ? train.filter((e) => isHeldOut(`${e.dealId}:train`, share)) : train;
  await breathe();
  const vectors = fitOn.map(exampleVector);
  await breathe();
  const steps = trainLogisticSteps(vectors, ys(fitOn), { l2: s.l2, features: WIN_FEATURES });
  let m: LogisticModel;
  for (;;) {
    await breathe();
    const r = steps.next();
    if (r.done) {
      m = r.value;
      break;
    }
  }
  await breathe();
  const cal = calibration(test.map((e) => predictLogistic(m, exampleVector(e))), ys(test));
  const model = {
    intercept: round(m.intercept, 6),
    terms: WIN_FEATURES.map((f, j) => ({ feature: f, coef: round(m.coef[j]!, 6), mean: round(m.mean[j]!, 6), sd: round(m.sd[j]!, 6) })),
    stageRates: stageBaseRates(examples, stages),
    stages,
  };
  const metrics: WinModelMetrics = { ...base, calibration: cal, fallback: null };
  return { kind: 'win_logistic' as const, model, metrics, reason: undefined };
}

export async function loadContext(q: Q, orgId: string) {
  // One connection, so one query at a time.
  const settingsRaw = await orgSettings(q, orgId);
  const stageTerms = await vocabMeta(q, orgId, 'buying_stage');
  const statusTerms = await vocabMeta(q, orgId, 'supplier_status');
  const customKeys = await customSelectKeys(q, orgId);
  const settings = evaluationSettings(settingsRaw);
  const stages = stageTerms.map((t, i) => ({ key: t.key, rank: typeof t.meta.rank === 'number' ? t.meta.rank : i + 1 }));
  const stageRanks = Object.fromEntries(stages.map((s) => [s.key, s.rank]));
  const supplierLevels = Object.fromEntries(statusTerms.filter((t) => typeof t.meta.level === 'number').map((t) => [t.key, t.meta.level as number]));
  return { settings, stages, stageRanks, supplierLevels, customKeys };
}

export async function computeProfile(q: Q, orgId: string, customKeys: string[]): Promise<Profile> {
  const { counts, totals } = await profileCounts(q, orgId, customKeys);
  return buildProfile(counts, totals);
}

const VACUUM_TABLES = ['accounts', 'opportunities'];

/**
 * Recomputes every deal's buying-center coverage, the ideal customer profile, every account's fit,
 * tier, buying stage and portfolio type, the win model and every open deal's win probability —
 * set-based, in one transaction.
 */
export async function recompute(database: Database, orgId: string, onPhase?: (phase: RecomputePhase) => void): Promise<RecomputeResult> {
  // Embedded PGlite has no autovacuum: without this the rows each recompute rewrites pile up as dead
  // tuples and every later organization-wide scan reads them too. VACUUM cannot run in a transaction.
  if (database.mode === 'embedded') await database.withConnection((c) => vacuumStale(c, VACUUM_TABLES));
  return database.withConnection(async (c) => {
    const t0 = performance.now();
    const timings: RecomputeResult['timingsMs'] = { coverage: 0, profile: 0, accounts: 0, examples: 0, training: 0, deals: 0, total: 0 };
    let last = t0;
    const lap = (k: keyof typeof timings) => {
      const now = performance.now();
      timings[k] = Math.round(now - last);
      last = now;
    };
    await c.query('begin');
    try {
      // A scheduled run and a manual one must not interleave for one organization.
      await c.query('select pg_advisory_xact_lock(hashtext($1))', [`accord:recompute:${orgId}`]);
      await useBatchMemory(c);
      onPhase?.('coverage');
      // Deals closed since the previous recompute (a day's margin) are rescored; older closed deals keep theirs.
      const { rows: prev } = await c.query(
        `select max(trained_at) - interval '1 day' as since from scoring_models where org_id = $1 and kind = 'icp'`,
        [orgId],
      );
      const coverage = await recomputeOrgCoverage(c, orgId, { closedSince: (prev[0] as { since: string | null } | undefined)?.since ?? null });
      lap('coverage');
      onPhase?.('profile');
      await refreshStatistics(c);
      const ctx = await loadContext(c, orgId);
      const profile = await computeProfile(c, orgId, ctx.customKeys);
      await storeModel(c, orgId, 'icp', profile, { wonAccounts: profile.wonAccounts, baseAccounts: profile.baseAccounts, customKeys: ctx.customKeys });
      lap('profile');
      onPhase?.('accounts');
      const changedAccounts = await classifyAccounts(c, orgId, ctx.customKeys, {
        weights: profileWeights(profile),
        settings: ctx.settings,
        stageRanks: ctx.stageRanks,
        supplierLevels: ctx.supplierLevels,
        profitability: PROFITABILITY_BY_ORIENTATION,
        profitabilityUnknown: PROFITABILITY_UNKNOWN,
      });
      lap('accounts');
      onPhase?.('examples');
      const rows = await closedDealExamples(c, orgId, ctx.stageRanks);
      lap('examples');
      onPhase?.('training');
      const win = await fitWinModel(rows, ctx.stages, ctx.settings);
      await storeModel(c, orgId, win.kind, win.model, win.metrics, ['win_logistic', 'win_stage_base']);
      lap('training');
      onPhase?.('deals');
      const changedDeals =
        win.kind === 'win_logistic'
          ? await scoreOpenDealsLogistic(c, orgId, ctx.stageRanks, win.model)
          : await scoreOpenDealsByStage(c, orgId, win.model.rates, 'Too little won/lost history: stage base rate');
      const open = await c.query(`select count(*)::int as n from opportunities where org_id = $1 and deleted_at is null and status = 'open'`, [orgId]);
      lap('deals');
      await c.query('commit');
      onPhase?.('done');
      timings.total = Math.round(performance.now() - t0);
      return {
        accounts: profile.baseAccounts,
        openDeals: (open.rows[0] as { n: number }).n,
        changed: { accounts: changedAccounts, openDeals: changedDeals, coverage: coverage.updated },
        profile: { wonAccounts: profile.wonAccounts, baseAccounts: profile.baseAccounts, values: profile.attributes.reduce((s, a) => s + a.entries.length, 0) },
        winModel: {
          kind: win.kind,
          ...(win.reason ? { reason: win.reason } : {}),
          brier: win.metrics.calibration.brier,
          brierBaseline: win.metrics.calibration.brierBaseline,
          heldOutDeals: win.metrics.testDeals,
        },
        timingsMs: timings,
      };
    } catch (e) {
      await c.query('rollback').catch(() => undefined);
      throw e;
    }
  });
}

export { DEFAULT_SETTINGS };
