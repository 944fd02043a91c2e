import type { Command } from 'commander';
import { describeTarget, openConfigured } from '../open.ts';

export function migrateCommand(program: Command) {
  program
    .command('migrate')
    .description('Apply pending database migrations')
    .action(async () => {
      const { config, database } = await openConfigured();
      console.log(`Migrated ${describeTarget(config)}`);
      await database.close();
    });
}
