/** Test helpers: an embedded database (and PostgreSQL when TEST_DATABASE_URL is set) with a fresh organization. */
import { uuidv7 } from 'uuidv7';
import { openDatabase, type Database } from '../../../kernel/db/index.ts';
import { runMigrations } from '../../../kernel/db/migrate.ts';

export type TestOrg = { orgId: string; userId: string; userEmail: string };

export async function openTestDatabase(url?: string): Promise<Database> {
  const database = await openDatabase(url ? { url } : { worker: false });
  await runMigrations(database);
  return database;
}

/** A distinct organization and admin user: tests never truncate or drop shared tables. */
export async function makeOrg(database: Database, baseCurrency = 'USD'): Promise<TestOrg> {
  const orgId = uuidv7();
  const userId = uuidv7();
  const userEmail = `imp-${userId}@example.test`;
  await database.query(`INSERT INTO organizations (id, name, slug, base_currency) VALUES ($1, $2, $3, $4)`, [orgId, 'Import test', `imp-${orgId}`, baseCurrency]);
  await database.query(`INSERT INTO users (org_id, id, email, name, role) VALUES ($1, $2, $3, 'Importer', 'admin')`, [orgId, userId, userEmail]);
  return { orgId, userId, userEmail };
}

/** Backends to run integration tests on: embedded always, PostgreSQL when configured. */
export const BACKENDS: { name: string; url?: string }[] = [
  { name: 'embedded' },
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'postgres', url: process.env.TEST_DATABASE_URL }] : []),
];
