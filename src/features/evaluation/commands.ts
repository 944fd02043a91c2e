import type { Conn, Database } from '../../kernel/db/index.ts';
import { useBatchMemory, vacuumStale } from '../../kernel/db/statistics.ts';
import { COVERAGE_STAT_TABLES, recomputeOrgCoverage } from '../buying-center/queries.ts';
import {
  buildProfile, DEFAULT_SETTINGS, evaluationSettings, PROFITABILITY_BY_ORIENTATION, PROFITABILITY_UNKNOWN, profileWeights, sameReasons, scoreOpenDeal,
  slicePoint, type EvaluationSettings, type ModelVerdict, type Profile, type WinModelTerms, type WinReason,
} from './rules.ts';
import { addSteps, doubledTo, ExampleSetBuilder, grown, winModelSteps, type ExampleSet, type PendingExampleRow, type Stages } from './training.ts';
import {
  classifyAccounts, customSelectKeys, openDealRows, orgSettings, profileCounts, refreshStatistics, scoreOpenDealsByStage,
  stagedSnapshotFit, stagedSnapshotRows, stageSnapshots, storeModel, vocabMeta, writeDealScores, type ExampleRow, type OpenDealRow, type Q, type SnapshotTuple,
} from './queries.ts';
import { readQuery } from '../../kernel/db/cursor.ts';
import { pace } from '../../kernel/pace.ts';
import { rollUpEngagement } from '../surveys/queries.ts';

export type { WinModelMetrics } from './training.ts';

export type RecomputePhase = 'coverage' | 'profile' | 'accounts' | 'engagement' | 'examples' | 'training' | 'deals' | 'done';

export interface RecomputeResult {
  /** Accounts evaluated and open deals scored. */
  accounts: number;
  openDeals: number;
  /** Rows actually rewritten (only changed scores are written). */
  changed: { accounts: number; openDeals: number; coverage: number };
  profile: { wonAccounts: number; baseAccounts: number; values: number };
  winModel: {
    kind: 'win_logistic' | 'win_stage_base'; reason?: string; brier: number | null; brierBaseline: number | null; heldOutDeals: number;
    /** Whether the held-out figures mean anything, and the features left out as leaks. */
    verdict: ModelVerdict; skill: number | null; droppedFeatures: string[];
  };
  /** How long each phase took (ms); on PostgreSQL coverage runs beside profile and accounts. */
  timingsMs: Record<'coverage' | 'profile' | 'accounts' | 'engagement' | 'examples' | 'training' | 'deals' | 'total', number>;
  /** When each phase ran: [start, end] in ms from the recompute's start. */
  spansMs: Partial<Record<Exclude<RecomputePhase, 'done'>, [number, number]>>;
}

/** Rows per FETCH when a large result is read through a cursor (≈ 5 ms to receive and convert; more while the recompute's other connections keep the cores busy). */
const FETCH_ROWS = 1_000;

/**
 * A query runner whose one statement is read through a cursor, FETCH_ROWS rows at a time, each
 * slice handed to `each`; the returned result has no rows. A large result read in one piece is
 * one long block on the main thread: node-postgres parses everything that has arrived in one go,
 * and embedded PGlite posts the whole result from its worker as one message (73k snapshots: 100 ms
 * and more to deserialize). Must run inside a transaction (a cursor lives in one).
 */
export function sliced(c: Q, each: (rows: unknown[]) => Promise<void>, fetchRows = FETCH_ROWS): Q {
  return {
    async query(text, params) {
      const total = await readQuery(c, 'accord_sliced', text, params ?? [], fetchRows, each);
      return { rows: [], fields: [], rowCount: total };
    },
  };
}

const fromTuple = ([deal_id, account_id, won, stage, stage_rank, days, coverage, engagement, amount]: SnapshotTuple): PendingExampleRow => ({
  deal_id, account_id, won, stage, stage_rank, days, coverage, engagement, amount,
});

/**
 * The closed-deal snapshots for training (the rows test-helpers' closedDealExamples returns), in steps: the
 * snapshots staged and read a cursor slice at a time into columns (they need no fit) before
 * `fitReady`, then each account's fit, once it is committed, filled in.
 */
export async function loadStagedExamples(c: Q, orgId: string, stageRanks: Record<string, number>, fitReady: Promise<void> = Promise.resolve()): Promise<ExampleSet> {
  await stageSnapshots(c, orgId, stageRanks);
  const b = new ExampleSetBuilder();
  // The rows come in JSON chunks (see stagedSnapshotRows), two chunks per FETCH.
  await stagedSnapshotRows(
    sliced(
      c,
      async (chunks) => {
        for (const { c: tuples } of chunks as { c: SnapshotTuple[] }[]) await pace(addSteps(b, tuples.map(fromTuple)));
      },
      2,
    ),
  );
  await fitReady;
  b.setFit(await stagedSnapshotFit(c, orgId));
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

/** Runs `f` in a transaction of its own on `c`. */
async function inTransaction<T>(c: Conn, f: () => Promise<T>): Promise<T> {
  await c.query('begin');
  try {
    const r = await f();
    await c.query('commit');
    return r;
  } catch (e) {
    await c.query('rollback').catch(() => undefined);
    throw e;
  }
}

/**
 * Session settings for the recompute's transactions: batch memory, and no parallel workers. The
 * recompute already spreads its work over connections that keep the cores busy; workers on top of
 * them oversubscribe the cores (measured: the server's event loop then waits ~50 ms for a core).
 */
async function batchSession(c: Q): Promise<void> {
  await useBatchMemory(c);
  await c.query('set local max_parallel_workers_per_gather = 0');
}

/** A promise with its resolve and reject at hand. */
function settle<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * Every open deal's inputs and stored score, in columns. Read a cursor slice at a time, each slice's
 * rows turned into columns at once and dropped: kept as row objects until scoring (an object, its
 * strings and a boxed number per field each), tens of thousands of deals were a few hundred thousand
 * small objects that every young-generation GC of the main thread had to copy (30–50 ms pauses of
 * the server while a recompute ran).
 */
interface OpenDeals {
  count: number;
  id: string[];
  stage: string[];
  /** Per deal: stage rank, days in stage, fit, coverage, engagement, amount. */
  x: Float64Array;
  /** The stored win probability; NaN when the deal has none yet. */
  p: Float64Array;
  /** The stored reasons, as JSON text (see OpenDealRow). */
  reasons: (string | null)[];
}

const OPEN_FEATURES = 6;

async function loadOpenDeals(c: Q, orgId: string, stageRanks: Record<string, number>): Promise<OpenDeals> {
  const d: OpenDeals = { count: 0, id: [], stage: [], x: new Float64Array(1024 * OPEN_FEATURES), p: new Float64Array(1024), reasons: [] };
  // One string per stage, not one per deal.
  const stages = new Map<string, string>();
  await openDealRows(
    sliced(c, async (rows) => {
      const need = d.count + rows.length;
      if (need > d.p.length) {
        const cap = doubledTo(d.p.length, need);
        d.x = grown(d.x, cap * OPEN_FEATURES);
        d.p = grown(d.p, cap);
      }
      for (const r of rows as OpenDealRow[]) {
        const i = d.count++;
        const o = i * OPEN_FEATURES;
        d.id.push(r.id);
        let stage = stages.get(r.stage);
        if (stage === undefined) stages.set(r.stage, (stage = r.stage));
        d.stage.push(stage);
        d.x[o] = r.stage_rank;
        d.x[o + 1] = r.days;
        d.x[o + 2] = r.fit;
        d.x[o + 3] = r.coverage;
        d.x[o + 4] = r.engagement;
        d.x[o + 5] = r.amount;
        d.p[i] = r.win_probability === null ? NaN : Number(r.win_probability);
        d.reasons.push(r.win_reasons);
      }
    }),
    orgId,
    stageRanks,
  );
  return d;
}

/** New scores for the open deals whose score or reasons changed. */
async function changedDealScores(deals: OpenDeals, model: WinModelTerms) {
  const changed: { id: string; p: number; reasons: WinReason[] }[] = [];
  await pace(
    (function* () {
      const { x } = deals;
      for (let i = 0; i < deals.count; i++) {
        const o = i * OPEN_FEATURES;
        const s = scoreOpenDeal(model, {
          stage: deals.stage[i]!, stageRank: x[o]!, daysInStage: x[o + 1]!, fit: x[o + 2]!, coverage: x[o + 3]!, engagement: x[o + 4]!, amount: x[o + 5]!,
        });
        const stored = deals.reasons[i]!;
        if (deals.p[i] !== s.p || !sameReasons(stored === null ? null : (JSON.parse(stored) as WinReason[]), s.reasons)) changed.push({ id: deals.id[i]!, ...s });
        if (slicePoint(i)) yield;
      }
    })(),
  );
  return changed;
}

// One recompute at a time in this process: each holds up to two pooled connections, and recomputes
// queued behind one another must not hold the pool's connections while they wait.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Recomputes every deal's buying-center coverage, the ideal customer profile, every account's fit,
 * tier, buying stage and portfolio type, the win model and every open deal's win probability —
 * set-based. Two transactions: the accounts' scores first (with coverage beside them), then the
 * training and the deals' scores, which read the committed fit and coverage (on PostgreSQL the open
 * deals are read beside the training, on a second connection, so they must see them committed).
 */
export function recompute(database: Database, orgId: string, onPhase?: (phase: RecomputePhase) => void): Promise<RecomputeResult> {
  const run = queue.then(() => recomputeNow(database, orgId, onPhase));
  queue = run.catch(() => undefined);
  return run;
}

async function recomputeNow(database: Database, orgId: string, onPhase?: (phase: RecomputePhase) => void): Promise<RecomputeResult> {
  // Embedded PGlite has no autovacuum: without this the rows each recompute rewrites pile up as dead
  // tuples and every later organization-wide scan reads them too. VACUUM cannot run in a transaction.
  if (database.mode === 'embedded') await database.withConnection((c) => vacuumStale(c, VACUUM_TABLES));
  return database.withConnection(async (c) => {
    const t0 = performance.now();
    const timings: RecomputeResult['timingsMs'] = { coverage: 0, profile: 0, accounts: 0, engagement: 0, examples: 0, training: 0, deals: 0, total: 0 };
    const spans: RecomputeResult['spansMs'] = {};
    // Phases beside the main connection are timed but not reported: progress goes one way.
    const timed = async <T>(k: keyof typeof spans, f: () => Promise<T>, report = true): Promise<T> => {
      if (report) onPhase?.(k);
      const start = performance.now();
      try {
        return await f();
      } finally {
        const end = performance.now();
        timings[k] = Math.round(end - start);
        spans[k] = [Math.round(start - t0), Math.round(end - t0)];
      }
    };
    const pending: Promise<unknown>[] = [];
    // A scheduled run and a manual one must not interleave for one organization; the run spans two
    // transactions, so the lock is the session's, released below.
    const lockKey = `accord:recompute:${orgId}`;
    await c.query('select pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      // Deals closed since the previous recompute (a day's margin) are rescored; older closed deals keep theirs.
      const { rows: prev } = await c.query(
        `select max(trained_at) - interval '1 day' as since from scoring_models where org_id = $1 and kind = 'icp'`,
        [orgId],
      );
      const closedSince = (prev[0] as { since: string | null } | undefined)?.since ?? null;
      // Planner statistics for everything below, here, outside any transaction: ANALYZE inside one
      // holds its table locks until commit, so coverage beside the accounts' transaction would wait
      // for all of it (or, in another order, deadlock with it).
      // One pass over both features' tables; coverage below does not check them again.
      await refreshStatistics(c, orgId, COVERAGE_STAT_TABLES);
      const coverageRun = (x: Conn, report: boolean) => timed('coverage', () => recomputeOrgCoverage(x, orgId, { closedSince, statisticsChecked: true }), report);
      // On PostgreSQL a second connection works beside this one: coverage (it reads members and
      // interactions and writes only opportunities: nothing the accounts' scores read), then the
      // training snapshots, whose costly part needs no fit; they are joined with the accounts' fit
      // once this connection has committed it.
      const fit = settle();
      // Main, coverage/examples, open deals and the engagement roll-up: four at once at most.
      const engagementBeside = database.mode === 'postgres' && database.connections >= 4;
      let side: { coverage: Promise<{ updated: number }>; examples: Promise<ExampleSet> } | null = null;
      // (A pool of one connection cannot lend a second while this one waits for it.)
      if (database.mode === 'postgres' && database.connections >= 2) {
        const coverage = settle<{ updated: number }>();
        const examples = database.withConnection(async (x) => {
          try {
            coverage.resolve(await inTransaction(x, async () => (await batchSession(x), coverageRun(x, false))));
          } catch (e) {
            coverage.reject(e);
            throw e;
          }
          return inTransaction(x, async () => {
            await batchSession(x);
            const { stageRanks } = await loadContext(x, orgId);
            return timed('examples', () => loadStagedExamples(x, orgId, stageRanks, fit.promise), false);
          });
        });
        examples.catch(() => undefined);
        side = { coverage: coverage.promise, examples };
        pending.push(examples);
      }
      const { ctx, profile, changedAccounts, coveredInline } = await inTransaction(c, async () => {
        await batchSession(c);
        const coveredInline = side ? null : await coverageRun(c, true);
        const { ctx, profile } = await timed('profile', async () => {
          const ctx = await loadContext(c, orgId);
          const profile = await computeProfile(c, orgId, ctx.customKeys);
          await storeModel(c, orgId, 'icp', profile, { wonAccounts: profile.wonAccounts, baseAccounts: profile.baseAccounts, customKeys: ctx.customKeys });
          return { ctx, profile };
        });
        const changedAccounts = await timed('accounts', () =>
          classifyAccounts(c, orgId, ctx.customKeys, {
            weights: profileWeights(profile),
            settings: ctx.settings,
            stageRanks: ctx.stageRanks,
            supplierLevels: ctx.supplierLevels,
            profitability: PROFITABILITY_BY_ORIENTATION,
            profitabilityUnknown: PROFITABILITY_UNKNOWN,
            fitKnown: profile.separates !== false,
          }),
        );
        // Survey answers → each account's engagement level, NPS and alerts (set-based; docs/engagement.md).
        // After the classification: the alert watches key and development accounts as just classified.
        // With connections to spare it runs beside the training instead (below), off this path.
        if (!engagementBeside) await timed('engagement', () => rollUpEngagement(c.db, orgId), false);
        return { ctx, profile, changedAccounts, coveredInline };
      }).catch((e: unknown) => {
        fit.reject(e);
        throw e;
      });
      fit.resolve();
      // The roll-up reads survey answers and writes only engagement tables and alerts — nothing the
      // training or the deals read: on PostgreSQL it runs on its own connection, in its own
      // transaction, once the classification it watches is committed, while the training fits.
      const engagement = engagementBeside
        ? database.withConnection((x) => inTransaction(x, async () => (await batchSession(x), timed('engagement', () => rollUpEngagement(x.db, orgId), false))))
        : null;
      if (engagement) {
        engagement.catch(() => undefined);
        pending.push(engagement);
      }
      const coverage = coveredInline ?? (await side!.coverage);
      const { win, changedDeals, openDeals } = await inTransaction(c, async () => {
        await batchSession(c);
        // The open deals read committed fit and coverage: on PostgreSQL on a third connection, beside the training.
        // (Embedded: one connection runs one statement at a time, so they are read after the training.)
        const open = side ? database.withConnection((x) => inTransaction(x, async () => (await batchSession(x), loadOpenDeals(x, orgId, ctx.stageRanks)))) : null;
        open?.catch(() => undefined);
        if (open) pending.push(open);
        onPhase?.('examples');
        const examples = await (side ? side.examples : timed('examples', () => loadStagedExamples(c, orgId, ctx.stageRanks), false));
        const win = await timed('training', async () => {
          const w = await fitWinModel(examples, ctx.stages, ctx.settings);
          await storeModel(c, orgId, w.kind, w.model, w.metrics, ['win_logistic', 'win_stage_base']);
          return w;
        });
        return timed('deals', async () => {
          const deals = await (open ?? loadOpenDeals(c, orgId, ctx.stageRanks));
          const changedDeals =
            win.kind === 'win_logistic'
              ? await writeDealScores(c, orgId, await changedDealScores(deals, win.model))
              : await scoreOpenDealsByStage(c, orgId, win.model.rates, 'Too little won/lost history: stage base rate');
          return { win, changedDeals, openDeals: deals.count };
        });
      });
      await engagement;
      onPhase?.('done');
      timings.total = Math.round(performance.now() - t0);
      return {
        accounts: profile.baseAccounts,
        openDeals,
        changed: { accounts: changedAccounts, openDeals: changedDeals, coverage: coverage.updated },
        profile: { wonAccounts: profile.wonAccounts, baseAccounts: profile.baseAccounts, values: profile.attributes.reduce((s, a) => s + a.entries.length, 0) },
        winModel: {
          kind: win.kind,
          ...(win.reason ? { reason: win.reason } : {}),
          brier: win.metrics.calibration.brier,
          brierBaseline: win.metrics.calibration.brierBaseline,
          heldOutDeals: win.metrics.testDeals,
          verdict: win.metrics.honesty.verdict,
          skill: win.metrics.honesty.skill,
          droppedFeatures: win.metrics.features.filter((f) => f.dropped).map((f) => f.feature),
        },
        timingsMs: timings,
        spansMs: spans,
      };
    } finally {
      // Work beside this connection is over before the lock goes.
      await Promise.allSettled(pending);
      await c.query('select pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
    }
  });
}

export { DEFAULT_SETTINGS };
