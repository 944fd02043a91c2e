import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { generateDemo, DEFAULT_DEMO_ACCOUNTS, DEFAULT_DEMO_SEED } from '../../features/demo/index.ts';
import { describeTarget, openConfigured } from '../open.ts';
import { afterDemoLoad } from '../first-start.ts';

export function demoCommand(program: Command) {
  program
    .command('demo')
    .description('Generate a demo organization (an LED-lighting exporter); deterministic for a given seed and size')
    .option('--accounts <n>', 'number of accounts (up to 1,000,000)', (v) => Number(v), DEFAULT_DEMO_ACCOUNTS)
    .option('--seed <n>', 'random seed', (v) => Number(v), DEFAULT_DEMO_SEED)
    .option('--slug <slug>', 'organization slug (default lumina-lighting, suffixed when taken)')
    .action(async (o: { accounts: number; seed: number; slug?: string }) => {
      if (!Number.isInteger(o.accounts) || o.accounts < 1 || o.accounts > 1_000_000) {
        console.error('--accounts: use a whole number from 1 to 1,000,000');
        process.exitCode = 2;
        return;
      }
      const { config, database } = await openConfigured();
      try {
        console.log(`Generating ${o.accounts.toLocaleString('en')} accounts into ${describeTarget(config)}`);
        const bar = new cliProgress.SingleBar({ format: '{phase} [{bar}] {percentage}% | {value}/{total} accounts | ETA {eta}s' }, cliProgress.Presets.shades_classic);
        bar.start(o.accounts, 0, { phase: 'setup' });
        const res = await generateDemo(database, { accounts: o.accounts, seed: o.seed, ...(o.slug ? { slug: o.slug } : {}), onProgress: (done, _t, phase) => bar.update(done, { phase }) });
        bar.stop();
        console.log('Computing coverage, fit, portfolio and win probabilities…');
        await afterDemoLoad(database, res.orgId);
        console.log(`Created ${res.orgName} (${res.slug}) in ${(res.ms / 1000).toFixed(1)} s:`);
        for (const [table, n] of Object.entries(res.counts)) console.log(`  ${table.padEnd(28)} ${n.toLocaleString('en')}`);
        console.log(`Logins (password ${res.logins[0]?.password ?? ''}): ${res.logins.map((l) => l.email).join(', ')}`);
      } finally {
        await database.close();
      }
    });
}
