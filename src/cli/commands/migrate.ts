import type { Command } from 'commander';
import { loadConfig } from '../../kernel/config.ts';
import { openDatabase } from '../../kernel/db/index.ts';
import { runMigrations } from '../../kernel/db/migrate.ts';
import { describeTarget } from '../open.ts';

export function migrateCommand(program: Command) {
  program
    .command('migrate')
    .description('Apply pending database migrations (on a Citus coordinator, then distribute the tables)')
    .option('--distribute', 'Require a Citus coordinator and make every table a reference or distributed table (idempotent; also done automatically whenever Accord migrates a Citus database)')
    .action(async (o: { distribute?: boolean }) => {
      const config = loadConfig();
      const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, worker: false });
      try {
        const d = await runMigrations(database, { distribute: o.distribute });
        console.log(`Migrated ${describeTarget(config)}`);
        if (d) {
          console.log(d.reference.length || d.distributed.length
            ? `Citus: ${d.reference.length} reference table(s) (${d.reference.join(', ') || '–'}), ${d.distributed.length} distributed by org_id (${d.distributed.join(', ') || '–'})`
            : 'Citus: every table was already distributed; nothing to do');
        }
      } finally {
        await database.close();
      }
    });
}
