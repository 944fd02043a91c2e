import type { Command } from 'commander';
import { buildServer } from '../../server.ts';
import { describeTarget, openConfigured } from '../open.ts';
import { firstStart } from '../first-start.ts';

export function serveCommand(program: Command) {
  program
    .command('serve')
    .description('Run the Accord server (migrates on start; loads demo data into an empty database)')
    .option('--no-demo', 'do not load demo data into an empty database')
    .action(async (opts: { demo: boolean }) => {
      // PGlite gets its own thread so a long query never freezes HTTP.
      const { config, database } = await openConfigured({ worker: true });
      const logins = opts.demo ? await firstStart(database) : [];
      const app = await buildServer({ database, config, logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
      let closing = false;
      const shutdown = async (signal: string) => {
        if (closing) return;
        closing = true;
        console.log(`\n${signal}: closing…`);
        await app.close();
        await database.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void shutdown('SIGINT'));
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
      await app.listen({ port: config.port, host: config.host });
      console.log(`Accord is running at http://localhost:${config.port}  (database: ${describeTarget(config)})`);
      console.log(`API docs: http://localhost:${config.port}/api/docs`);
      if (logins.length) {
        console.log('Demo data loaded. Sign in with any of these:');
        for (const l of logins) console.log(`  ${l.role.padEnd(8)} ${l.email.padEnd(28)} password: ${l.password}`);
      }
    });
}
