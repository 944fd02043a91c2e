import { eq } from 'drizzle-orm';
import { organizations } from '../../src/db/schema/index.ts';
import { generateDemo } from '../../src/features/demo/index.ts';
import { openDatabase, type OpenOptions } from '../../src/kernel/db/index.ts';
import { runMigrations } from '../../src/kernel/db/migrate.ts';

export const REPORTS_SLUG = 'bench-reports';

/**
 * The organization the reports benchmark reads: the demo generator's accounts, users and deals
 * (`seedAccounts` accounts), then its deals copied by one INSERT … SELECT until there are `deals`
 * of them. Each copy moves its dates back by whole weeks, so quarters and owners keep the
 * generator's mix of won, lost and open deals; the demo alone would need ~1.3M accounts (and
 * their 10M interactions) for a million deals, which takes far longer than a benchmark run.
 */
export async function ensureReportsOrg(dbOptions: OpenOptions, deals: number, seedAccounts: number, log: (s: string) => void) {
  const database = await openDatabase({ ...dbOptions, worker: false });
  try {
    await runMigrations(database);
    let [org] = await database.db.select().from(organizations).where(eq(organizations.slug, REPORTS_SLUG));
    const t0 = performance.now();
    if (!org) {
      log(`generating the demo organization (${seedAccounts.toLocaleString('en')} accounts) for reports…`);
      await generateDemo(database, { accounts: seedAccounts, slug: REPORTS_SLUG, emailDomain: `${REPORTS_SLUG}.accord.demo`, seed: 11, fastLoad: true });
      [org] = await database.db.select().from(organizations).where(eq(organizations.slug, REPORTS_SLUG));
    }
    const count = async () => Number(((await database.query(`select count(*)::int as n from opportunities where org_id = $1`, [org!.id])).rows[0] as { n: number }).n);
    const have = await count();
    if (have < deals) {
      const seedCount = Number(((await database.query(`select count(*)::int as n from opportunities where org_id = $1 and not (tags @> array['bench-copy'])`, [org!.id])).rows[0] as { n: number }).n);
      const copies = Math.ceil((deals - have) / seedCount);
      log(`copying ${seedCount.toLocaleString('en')} generated deals ×${copies} (${(deals - have).toLocaleString('en')} more)…`);
      await database.query(
        `insert into opportunities (org_id, id, account_id, name, amount, currency, expected_close, buying_situation, buying_stage, stage_entered_at,
           status, lost_reason, closed_at, opened_at, owner_id, need_type, source, competitors, tags, win_probability, created_at, updated_at, created_by)
         select o.org_id, uuid_generate_v7(), o.account_id, o.name, o.amount, o.currency, o.expected_close - (g * 7), o.buying_situation, o.buying_stage,
           o.stage_entered_at - g * interval '7 days', o.status, o.lost_reason, o.closed_at - g * interval '7 days', o.opened_at - g * interval '7 days', o.owner_id, o.need_type, o.source,
           o.competitors, array['bench-copy'], o.win_probability, o.created_at - g * interval '7 days', o.updated_at, o.created_by
         from opportunities o cross join generate_series(1, $2::int) g
         where o.org_id = $1 and not (o.tags @> array['bench-copy'])
         limit $3`,
        [org!.id, copies, deals - have],
      );
      await database.query('vacuum analyze opportunities');
    }
    const n = await count();
    log(`reports organization: ${n.toLocaleString('en')} deals (ready in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    return { orgId: org!.id, deals: n, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await database.close();
  }
}
