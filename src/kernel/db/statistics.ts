import { sql } from 'drizzle-orm';
import type { DbOrTx } from './index.ts';

/** Anything that can run a raw query: a Database, a checked-out connection. */
export interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Analyzes those of `tables` that were never analyzed or changed a lot since. Embedded PGlite has no
 * autovacuum and a bulk load (demo, import) outruns PostgreSQL's: without statistics the planner picks
 * nested loops over whole tables and an organization-wide query takes seconds instead of milliseconds.
 * Works on a Database or connection (`query`) and on a Drizzle handle or transaction (`execute`).
 */
export async function analyzeStale(target: Queryable | DbOrTx, tables: readonly string[]): Promise<string[]> {
  // Table names are the callers' constants; checked anyway because they are spliced into SQL.
  const list = tables.filter((t) => TABLE_NAME.test(t));
  if (!list.length) return [];
  const staleSql = `select c.relname as name from pg_class c
       join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
       left join pg_stat_user_tables s on s.relid = c.oid
      where c.relkind = 'r' and c.relname in (${list.map((t) => `'${t}'`).join(', ')})
        and (c.reltuples < 0 or coalesce(s.n_mod_since_analyze, 0) > greatest(1000, c.reltuples * 0.2))`;
  const run = (text: string): Promise<{ rows: unknown[] }> =>
    'query' in target && typeof target.query === 'function' ? (target as Queryable).query(text) : (target as DbOrTx).execute(sql.raw(text));
  // Statistics are flushed lazily (PGlite may not have flushed a bulk load's counts yet): ask for it first.
  await run('select pg_stat_force_next_flush()');
  const { rows } = await run(staleSql);
  const names = (rows as { name: string }[]).map((r) => r.name).filter((n) => list.includes(n));
  if (names.length) await run(`analyze ${names.join(', ')}`);
  return names;
}

/**
 * Session memory for one organization-wide batch statement (recompute, coverage), set for the
 * current transaction only. The default 4 MB made every sort and hash of a 100k-account recompute
 * spill to disk; 32 MB keeps them in memory at that size and bounds the worst case (a handful of
 * sort/hash nodes at once) well inside the server's memory budget.
 */
export async function useBatchMemory(target: Queryable): Promise<void> {
  await target.query(`set local work_mem = '32MB'`);
}

/**
 * VACUUM (ANALYZE) those of `tables` with many dead rows. For embedded PGlite, which has no
 * autovacuum; must run outside a transaction.
 */
export async function vacuumStale(target: Queryable, tables: readonly string[]): Promise<string[]> {
  const list = tables.filter((t) => TABLE_NAME.test(t));
  if (!list.length) return [];
  await target.query('select pg_stat_force_next_flush()');
  const { rows } = await target.query(
    `select relname as name from pg_stat_user_tables
      where schemaname = current_schema() and relname in (${list.map((t) => `'${t}'`).join(', ')})
        and n_dead_tup > greatest(1000, n_live_tup * 0.2)`,
  );
  const names = (rows as { name: string }[]).map((r) => r.name).filter((n) => list.includes(n));
  for (const n of names) await target.query(`vacuum (analyze) ${n}`);
  return names;
}
