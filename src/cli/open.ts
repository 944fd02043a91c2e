import { loadConfig, type Config } from '../kernel/config.ts';
import { openDatabase, type Database } from '../kernel/db/index.ts';
import { runMigrations } from '../kernel/db/migrate.ts';

/** Opens the configured database (DATABASE_URL or the ./data folder) and brings its schema up to date. */
export async function openConfigured(opts: { worker?: boolean; migrate?: boolean } = {}): Promise<{ config: Config; database: Database }> {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, worker: opts.worker ?? false });
  if (opts.migrate ?? true) await runMigrations(database);
  return { config, database };
}

export const describeTarget = (c: Config) => (c.databaseUrl ? `PostgreSQL (${c.databaseUrl.replace(/\/\/[^@]*@/, '//…@')})` : `embedded PGlite in ${c.dataDir}`);
