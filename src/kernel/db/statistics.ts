import { sql } from 'drizzle-orm';
import type { DbOrTx } from './index.ts';

/** Anything that can run a raw query: a Database, a checked-out connection. */
export interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

type Run = (text: string) => Promise<{ rows: unknown[] }>;

const runner = (target: Queryable | DbOrTx): Run => (text) =>
  'query' in target && typeof target.query === 'function' ? (target as Queryable).query(text) : (target as DbOrTx).execute(sql.raw(text));

/** Those of `tables` (in the current schema) for which `condition` holds over pg_class `c` and pg_stat_user_tables `s`. */
async function tablesWhere(run: Run, tables: readonly string[], condition: string): Promise<string[]> {
  // Table names are the callers' constants; checked anyway because they are spliced into SQL.
  const list = tables.filter((t) => TABLE_NAME.test(t));
  if (!list.length) return [];
  // Statistics are flushed lazily (PGlite may not have flushed a bulk load's counts yet): ask for it first.
  await run('select pg_stat_force_next_flush()');
  const { rows } = await run(`select c.relname as name from pg_class c
       join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
       left join pg_stat_user_tables s on s.relid = c.oid
      where c.relkind = 'r' and c.relname in (${list.map((t) => `'${t}'`).join(', ')}) and (${condition})`);
  return (rows as { name: string }[]).map((r) => r.name).filter((n) => list.includes(n));
}

/**
 * Analyzes those of `tables` that were never analyzed or changed a lot since. Embedded PGlite has no
 * autovacuum and a bulk load (demo, import) outruns PostgreSQL's: without statistics the planner picks
 * nested loops over whole tables and an organization-wide query takes seconds instead of milliseconds.
 * Works on a Database or connection (`query`) and on a Drizzle handle or transaction (`execute`).
 */
export async function analyzeStale(target: Queryable | DbOrTx, tables: readonly string[], opts: { orgId?: string } = {}): Promise<string[]> {
  const run = runner(target);
  // In name order: inside a transaction ANALYZE holds each table's lock until commit, and two
  // transactions taking the same tables in different orders deadlocked (a recompute's accounts
  // transaction and its coverage beside it: "analyze accounts, opportunities" against
  // "analyze opportunities, accounts").
  const stale = await tablesWhere(run, tables, 'c.reltuples < 0 or coalesce(s.n_mod_since_analyze, 0) > greatest(1000, c.reltuples * 0.2)');
  const unseen = opts.orgId ? await unknownToPlanner(run, await tablesWhere(run, tables.filter((t) => !stale.includes(t)), ORG_SCOPED), opts.orgId) : [];
  const names = [...stale, ...unseen].sort();
  // SKIP_LOCKED: statistics are advice, not correctness. A table another session is vacuuming or
  // analyzing (its lock held to that transaction's end) is skipped instead of waited for; on a shared
  // PostgreSQL a recompute waited a whole minute behind another session's VACUUM this way.
  if (names.length) await run(`analyze (skip_locked) ${names.join(', ')}`);
  return names;
}

const ORG_SCOPED = `exists (select 1 from pg_attribute x where x.attrelid = c.oid and x.attname = 'org_id' and not x.attisdropped)`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Rows of an organization a table must hold, and the factor by which it must outnumber the planner's guess, to be analyzed for it. */
export const UNSEEN_MIN_ROWS = 100;
export const UNSEEN_FACTOR = 10;

/**
 * Tables whose statistics do not know the organization. The change counter above misses this: an
 * organization loaded after the last ANALYZE can be a small share of a big shared table, yet the
 * planner, finding its id in no statistics, guesses one row and picks nested loops over whole
 * tables — a 300-account organization's coverage took 65 s instead of 0.2 s this way (the third of
 * three demo organizations loaded one after another into a fresh PostgreSQL, autovacuum behind).
 * Per table: the planner's guess for `org_id = …` (EXPLAIN plans, runs nothing), then a count that
 * stops as soon as the guess is outnumbered UNSEEN_FACTOR times.
 */
async function unknownToPlanner(run: Run, tables: readonly string[], orgId: string): Promise<string[]> {
  if (!UUID.test(orgId) || !tables.length) return [];
  const out: string[] = [];
  for (const t of tables) {
    const { rows: plan } = await run(`explain (format json) select 1 from ${t} where org_id = '${orgId}'`);
    const guess = planRows(plan);
    if (guess === null) continue;
    const bound = Math.max(UNSEEN_MIN_ROWS, Math.ceil(guess * UNSEEN_FACTOR));
    const { rows } = await run(`select count(*)::int as n from (select 1 from ${t} where org_id = '${orgId}' limit ${bound}) x`);
    if (Number((rows[0] as { n: number } | undefined)?.n ?? 0) >= bound) out.push(t);
  }
  return out;
}

/** "Plan Rows" of the top node of an EXPLAIN (FORMAT JSON) answer, as node-postgres or PGlite return it. */
export function planRows(rows: unknown[]): number | null {
  const cell = rows[0] && Object.values(rows[0] as Record<string, unknown>)[0];
  const doc = typeof cell === 'string' ? (JSON.parse(cell) as unknown) : cell;
  const n = Array.isArray(doc) ? (doc[0] as { Plan?: { 'Plan Rows'?: unknown } } | undefined)?.Plan?.['Plan Rows'] : undefined;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/**
 * Session memory for one organization-wide batch statement (recompute, coverage, import), set for
 * the current transaction only. The default 4 MB made every sort and hash of a 100k-account recompute
 * spill to disk; 32 MB keeps them in memory at that size and bounds the worst case (a handful of
 * sort/hash nodes at once) well inside the server's memory budget.
 */
export async function useBatchMemory(target: Queryable, workMem: `${number}MB` = '32MB'): Promise<void> {
  if (!/^\d+MB$/.test(workMem)) throw new Error(`Not a memory size: ${workMem}`);
  await target.query(`set local work_mem = '${workMem}'`);
}

/**
 * VACUUM (ANALYZE) those of `tables` with many dead rows. For embedded PGlite, which has no
 * autovacuum; must run outside a transaction.
 */
export async function vacuumStale(target: Queryable, tables: readonly string[]): Promise<string[]> {
  const names = await tablesWhere(runner(target), tables, 'coalesce(s.n_dead_tup, 0) > greatest(1000, coalesce(s.n_live_tup, 0) * 0.2)');
  for (const n of names) await target.query(`vacuum (analyze, skip_locked) ${n}`);
  return names;
}
