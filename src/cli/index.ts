import { Command } from 'commander';
import { describeCliError } from './errors.ts';
import { demoCommand } from './commands/demo.ts';
import { exportCommand, importCommand } from '../features/imports/cli.ts';
import { backupCommand } from './commands/backup.ts';
import { migrateCommand } from './commands/migrate.ts';
import { restoreCommand } from './commands/restore.ts';
import { recomputeCommand } from './commands/recompute.ts';
import { serveCommand } from './commands/serve.ts';
import { userCommand } from './commands/user.ts';

const program = new Command('accord').description('Accord — B2B customer relationships').showHelpAfterError();
for (const add of [serveCommand, migrateCommand, userCommand, demoCommand, recomputeCommand, backupCommand, restoreCommand, importCommand, exportCommand]) add(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // One printer for every command: the message, not a stack trace, and never a statement or its values.
  for (const line of describeCliError(e)) console.error(line);
  process.exit(1);
}
