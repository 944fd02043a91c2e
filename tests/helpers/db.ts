import { readFileSync } from 'node:fs';
import { describe, inject } from 'vitest';
import { openDatabase, type Database } from '../../src/kernel/db/index.ts';
import { runMigrations } from '../../src/kernel/db/migrate.ts';

export type DbMode = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function dbModes(): DbMode[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * A database for one test file. PGlite: a private in-memory copy of the migrated template.
 * PostgreSQL: the shared test database; tests isolate themselves by creating their own organizations.
 */
export async function openTestDatabase(mode: DbMode): Promise<Database> {
  if (mode === 'postgres') return openDatabase({ url: process.env.TEST_DATABASE_URL! });
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
