import type { Database } from '../kernel/db/index.ts';
import { ensureDemo, type DemoLogin } from '../features/demo/index.ts';

/** On an empty database, loads the demo organization and returns its logins (none otherwise). */
export async function firstStart(database: Database): Promise<DemoLogin[]> {
  const logins = await ensureDemo(database);
  // Fresh planner statistics after the bulk load: without them the first lists scan whole tables.
  if (logins.length) await database.query('analyze');
  return logins;
}
