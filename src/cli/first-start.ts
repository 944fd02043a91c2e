import type { Database } from '../kernel/db/index.ts';
import { ensureDemo, type DemoLogin } from '../features/demo/index.ts';
import { recompute } from '../features/evaluation/commands.ts';

/**
 * After a bulk load: fresh planner statistics (embedded PGlite has no autovacuum), then every
 * derived figure — coverage, fit, tier, portfolio, win probability — so the first screens show them.
 */
export async function afterDemoLoad(database: Database, orgId: string): Promise<void> {
  await database.query('analyze (skip_locked)');
  await recompute(database, orgId);
  // The first scoring rewrites every account and deal; clear the dead rows it leaves (PGlite has no autovacuum).
  await database.query('vacuum (analyze, skip_locked)');
}

/** On an empty database, loads the demo organization and returns its logins (none otherwise). */
export async function firstStart(database: Database): Promise<DemoLogin[]> {
  const logins = await ensureDemo(database);
  if (logins.length) {
    const { rows } = await database.query('select id from organizations limit 1');
    await afterDemoLoad(database, (rows[0] as { id: string }).id);
  }
  return logins;
}
