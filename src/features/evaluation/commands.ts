import type { Database } from '../../kernel/db/index.ts';
import { useBatchMemory, vacuumStale } from '../../kernel/db/statistics.ts';
import { recomputeOrgCoverage } from '../buying-center/queries.ts';
import {
  buildProfile, DEFAULT_SETTINGS, evaluationSettings, PROFITABILITY_BY_ORIENTATION, PROFITABILITY_UNKNOWN, profileWeights,
  type EvaluationSettings, type Profile,
} from './rules.ts';
import { addSteps, ExampleSetBuilder, winModelSteps, type ExampleSet, type Stages } from './training.ts';
import {
  classifyAccounts, closedDealExamples, customSelectKeys, orgSettings, profileCounts, refreshStatistics, scoreOpenDealsByStage, scoreOpenDealsLogistic,
  storeModel, vocabMeta, type ExampleRow, type Q,
} from './queries.ts';
import { readCursor } from '../../kernel/db/cursor.ts';
import { pace } from '../../kernel/pace.ts';

export type { WinModelMetrics } from './training.ts';

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

/** Rows per FETCH when a large result is read through a cursor (≈ 10 ms to receive and convert). */
const FETCH_ROWS = 2_000;

/**
 * A query runner whose one statement is read through a cursor, FETCH_ROWS rows at a time, each
 * slice handed to `each`; the returned result has no rows. A large result read in one piece is
 * one long block on the main thread: node-postgres parses everything that has arrived in one go,
 * and embedded PGlite posts the whole result from its worker as one message (73k snapshots: 100 ms
 * and more to deserialize). Must run inside a transaction (a cursor lives in one).
 */
export function sliced(c: Q, each: (rows: unknown[]) => Promise<void>): Q {
  return {
    async query(text, params) {
      // Every row will be read: plan for all of them, not for a fast first tenth.
      await c.query('set local cursor_tuple_fraction = 1');
      await c.query(`declare accord_sliced no scroll cursor for ${text}`, params);
      let total = 0;
      try {
        total = await readCursor(c, 'accord_sliced', FETCH_ROWS, each);
      } finally {
        await c.query('close accord_sliced').catch(() => undefined);
        await c.query('set local cursor_tuple_fraction = default').catch(() => undefined);
      }
      return { rows: [], fields: [], rowCount: total };
    },
  };
}

/** The closed-deal snapshots for training, read a slice at a time into columns. */
export async function loadExamples(c: Q, orgId: string, stageRanks: Record<string, number>): Promise<ExampleSet> {
  const b = new ExampleSetBuilder();
  // closedDealExamples returns its rows; here they have gone to the builder slice by slice instead.
  await closedDealExamples(sliced(c, (rows) => pace(addSteps(b, rows as ExampleRow[])).then(() => undefined)), orgId, stageRanks);
  return b.finish();
}

/**
 * Trains the win model from closed deals, or falls back to stage base rates when history is thin.
 * Async only to let the event loop in between slices of the work (see `pace`).
 */
export async function fitWinModel(rows: readonly ExampleRow[] | ExampleSet, stages: Stages, s: EvaluationSettings) {
  const set = 'count' in rows ? rows : (await pace(addSteps(new ExampleSetBuilder(), rows))).finish();
  return pace(winModelSteps(set, stages, s));
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
      const examples = await loadExamples(c, orgId, ctx.stageRanks);
      lap('examples');
      onPhase?.('training');
      const win = await fitWinModel(examples, ctx.stages, ctx.settings);
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
