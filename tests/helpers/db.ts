import { readFileSync } from 'node:fs';
import { describe, inject } from 'vitest';
import { openDatabase, type Database } from '../../src/kernel/db/index.ts';
import { runMigrations } from '../../src/kernel/db/migrate.ts';

export type DbMode = 'pglite' | 'postgres' | 'citus';

/**
 * PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it); Citus too when
 * TEST_CITUS_URL names a coordinator (tests/helpers/citus-cluster.ts starts one).
 */
export function dbModes(): DbMode[] {
  return ['pglite', ...(process.env.TEST_DATABASE_URL ? ['postgres' as const] : []), ...(process.env.TEST_CITUS_URL ? ['citus' as const] : [])];
}

/**
 * Citus test sessions refuse any statement that would run on more than one shard: every request
 * must stay inside its organization's shard group. The few statements that legitimately span
 * organizations lift it for their own transaction (see docs/operations.md for the list).
 */
export const CITUS_SESSION_OPTIONS = '-c citus.multi_task_query_log_level=error';

/**
 * A database for one test file. PGlite: a private in-memory copy of the migrated template.
 * PostgreSQL: the shared test database; tests isolate themselves by creating their own organizations.
 */
export async function openTestDatabase(mode: DbMode): Promise<Database> {
  if (mode === 'postgres') return openDatabase({ url: process.env.TEST_DATABASE_URL! });
  if (mode === 'citus') return openDatabase({ url: process.env.TEST_CITUS_URL!, sessionOptions: CITUS_SESSION_OPTIONS });
  const template = inject('pgliteTemplate');
  if (template) return openDatabase({ worker: false, loadDataDir: new Blob([readFileSync(template)]) });
  const db = await openDatabase({ worker: false });
  await runMigrations(db);
  return db;
}

/** `describe` once per database mode. */
export function describeEachDb(name: string, fn: (mode: DbMode) => void) {
  for (const mode of dbModes()) describe(`${name} [${mode}]`, () => fn(mode));
}
