import { Command } from 'commander';
import { AppError } from '../kernel/errors.ts';
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
  // Users get the message, not a stack trace; field errors are listed one per line.
  if (e instanceof AppError) {
    console.error(e.message);
    for (const f of e.fields ?? []) console.error(`  ${f.path}: ${f.message}`);
  } else {
    console.error(e instanceof Error ? e.message : String(e));
  }
  process.exit(1);
}
