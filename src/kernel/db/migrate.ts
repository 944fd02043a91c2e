import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database } from './index.ts';

export const migrationsFolder = fileURLToPath(new URL('../../db/migrations', import.meta.url));

/** Applies pending drizzle-kit migrations; the same files on PGlite and PostgreSQL. */
export async function runMigrations(database: Database): Promise<void> {
  if (database.mode === 'postgres') {
    // Two servers starting together must not both migrate.
    await database.withConnection(async (c) => {
      await c.query('select pg_advisory_lock(7243001)');
      try {
        await migrate(c.db, { migrationsFolder });
      } finally {
        await c.query('select pg_advisory_unlock(7243001)');
      }
    });
  } else {
    await migrate(database.db, { migrationsFolder });
  }
}
