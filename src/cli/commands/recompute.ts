import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { organizations } from '../../db/schema/index.ts';
import { recompute, type RecomputePhase, type RecomputeResult } from '../../features/evaluation/commands.ts';
import { trackJob } from '../../kernel/jobs.ts';
import { openConfigured } from '../open.ts';

const PHASES: RecomputePhase[] = ['coverage', 'profile', 'accounts', 'examples', 'training', 'deals', 'done'];

export function recomputeCommand(program: Command) {
  program
    .command('recompute')
    .description('Recompute buying-center coverage, the ideal customer profile, fit, tier, buying stage, portfolio type and win probabilities')
    .option('--org <slug>', 'only this organization (default: all)')
    .option('--json', 'print the results as JSON')
    .action(async (o: { org?: string; json?: boolean }) => {
      const { database } = await openConfigured();
      try {
        const orgs = await database.db
          .select({ id: organizations.id, name: organizations.name, slug: organizations.slug })
          .from(organizations)
          .where(o.org ? eq(organizations.slug, o.org) : undefined);
        if (!orgs.length) {
          console.error(o.org ? `No organization with slug ${o.org}` : 'No organizations yet');
          process.exitCode = 2;
          return;
        }
        const bar = new cliProgress.SingleBar(
          { format: ' {bar} {percentage}% | {org} | {phase}', hideCursor: true, noTTYOutput: !process.stdout.isTTY, stream: process.stderr },
          cliProgress.Presets.shades_classic,
        );
        const steps = PHASES.length - 1;
        bar.start(orgs.length * steps, 0, { org: orgs[0]!.slug, phase: 'starting' });
        const results: (RecomputeResult & { org: string })[] = [];
        for (const [i, org] of orgs.entries()) {
          const res = await trackJob(database, org.id, 'recompute', () =>
            recompute(database, org.id, (phase) => {
              const k = PHASES.indexOf(phase);
              bar.update(i * steps + k, { org: org.slug, phase });
            }),
          );
          results.push({ org: org.slug, ...res });
        }
        bar.update(orgs.length * steps, { phase: 'done' });
        bar.stop();
        if (o.json) {
          console.log(JSON.stringify(results, null, 2));
          return;
        }
        for (const r of results) {
          const w = r.winModel;
          console.log(
            `${r.org}: ${r.accounts} accounts (${r.changed.accounts} changed), ${r.openDeals} open deals (${r.changed.openDeals} changed) in ${r.timingsMs.total} ms ` +
              `(phases, some side by side on PostgreSQL: coverage ${r.timingsMs.coverage}, profile ${r.timingsMs.profile}, accounts ${r.timingsMs.accounts}, ` +
              `training snapshots ${r.timingsMs.examples}, training ${r.timingsMs.training}, scoring deals ${r.timingsMs.deals})`,
          );
          console.log(`  profile from ${r.profile.wonAccounts} won of ${r.profile.baseAccounts} accounts; ${r.profile.values} attribute values`);
          console.log(
            w.kind === 'win_logistic'
              ? `  win model: logistic; held-out Brier ${w.brier} vs ${w.brierBaseline} for the base rate (${w.heldOutDeals} deals)`
              : `  win model: stage base rates — ${w.reason}`,
          );
        }
      } finally {
        await database.close();
      }
    });
}
