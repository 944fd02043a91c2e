import type { Database } from '../kernel/db/index.ts';
import { ensureDemo, type DemoLogin } from '../features/demo/index.ts';

/** On an empty database, loads the demo organization and returns its logins (none otherwise). */
export function firstStart(database: Database): Promise<DemoLogin[]> {
  return ensureDemo(database);
}
