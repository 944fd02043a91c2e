import { loadConfig, type Config } from '../kernel/config.ts';
import { openDatabase, type Database } from '../kernel/db/index.ts';
import { runMigrations } from '../kernel/db/migrate.ts';
import { startJobOwner } from '../kernel/jobs.ts';

/**
 * Opens the configured database (DATABASE_URL or the ./data folder) and brings its schema up to
 * date. The embedded folder is locked for this process (a second opener is refused with the
 * owner's pid); once migrated, the process registers as a job owner (src/kernel/jobs.ts), which
 * also marks jobs left running by a dead process interrupted.
 */
export async function openConfigured(opts: { worker?: boolean; migrate?: boolean } = {}): Promise<{ config: Config; database: Database }> {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, worker: opts.worker ?? false });
  if (!(opts.migrate ?? true)) return { config, database };
  try {
    await runMigrations(database);
    const stop = await startJobOwner(database, process.argv.slice(2, 4).join(' '));
    const close = database.close.bind(database);
    database.close = async () => {
      await stop();
      await close();
    };
  } catch (e) {
    await database.close();
    throw e;
  }
  return { config, database };
}

export const describeTarget = (c: Config) => (c.databaseUrl ? `PostgreSQL (${c.databaseUrl.replace(/\/\/[^@]*@/, '//…@')})` : `embedded PGlite in ${c.dataDir}`);
