import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../kernel/actor.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { AISAS_STEPS } from '../vocabularies/defaults.ts';
import { baseCurrency } from '../funnel/queries.ts';
import { rate } from '../goals/rules.ts';
import type { AisasReport } from './schemas.ts';

async function rows<T>(db: DbOrTx, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

/**
 * The buyer journey for marketing (DOMAIN §7): how accounts move through attention → interest → search →
 * action → share, and which lead sources bring accounts that later win.
 */
export async function aisasReport(db: DbOrTx, actor: Actor, w: { from?: string; to?: string; segment?: SQL | null }): Promise<AisasReport> {
  const orgId = actor.orgId;
  const inWindow = (col: SQL) =>
    sql.join([sql`true`, ...(w.from ? [sql`${col} >= ${w.from}::date`] : []), ...(w.to ? [sql`${col} < ${w.to}::date + 1`] : [])], sql` and `);
  const seg = w.segment ? sql`and a.id in ${w.segment}` : sql``;
  const steps = await rows<{ step: string; interactions: number; accounts: number }>(
    db,
    sql`select i.aisas_step as step, count(*)::int as interactions, count(distinct i.account_id)::int as accounts
    from interactions i join accounts a on a.org_id = i.org_id and a.id = i.account_id and a.deleted_at is null ${seg}
    where i.org_id = ${orgId} and i.deleted_at is null and i.aisas_step is not null and ${inWindow(sql`i.occurred_at`)}
    group by i.aisas_step`,
  );
  const now = await rows<{ step: string; n: number }>(
    db,
    sql`select a.aisas_step as step, count(*)::int as n from accounts a
    where a.org_id = ${orgId} and a.deleted_at is null and a.aisas_step is not null ${seg} group by a.aisas_step`,
  );
  const links = await rows<{ from: string; to: string; accounts: number }>(
    db,
    sql`with seq as (
      select i.account_id, i.aisas_step as step, lag(i.aisas_step) over (partition by i.account_id order by i.occurred_at, i.id) as prev
      from interactions i join accounts a on a.org_id = i.org_id and a.id = i.account_id and a.deleted_at is null ${seg}
      where i.org_id = ${orgId} and i.deleted_at is null and i.aisas_step is not null and ${inWindow(sql`i.occurred_at`)}
    )
    select prev as "from", step as "to", count(distinct account_id)::int as accounts
    from seq where prev is not null and prev <> step group by prev, step order by 3 desc`,
  );
  // An account's source: its own, else the source of its first tagged interaction, else of its first deal.
  // (The subqueries name the organization, not a.org_id, so a sharded database keeps them on one shard.)
  const sources = await rows<{ source: string; accounts: number; wonAccounts: number; wonValue: string }>(
    db,
    sql`with acc as (
      select a.id, coalesce(a.source,
        (select i.source from interactions i where i.org_id = ${orgId} and i.account_id = a.id and i.source is not null and i.deleted_at is null order by i.occurred_at limit 1),
        (select o.source from opportunities o where o.org_id = ${orgId} and o.account_id = a.id and o.source is not null and o.deleted_at is null order by o.created_at limit 1),
        'unknown') as source,
        exists (select 1 from opportunities o where o.org_id = ${orgId} and o.account_id = a.id and o.status = 'won' and o.deleted_at is null) as won
      from accounts a where a.org_id = ${orgId} and a.deleted_at is null and a.kind <> 'competitor' ${seg} and ${inWindow(sql`a.created_at`)}
    ),
    bought as (
      select o.account_id, sum(o.amount_base) as v from orders o
      where o.org_id = ${orgId} and o.deleted_at is null and o.status <> 'cancelled' group by o.account_id
    )
    select acc.source, count(*)::int as accounts, count(*) filter (where acc.won)::int as "wonAccounts",
      coalesce(sum(b.v) filter (where acc.won), 0)::numeric(18,2)::text as "wonValue"
    from acc left join bought b on b.account_id = acc.id
    group by acc.source order by 3 desc, 2 desc`,
  );
  return {
    from: w.from ?? null,
    to: w.to ?? null,
    baseCurrency: await baseCurrency(db, orgId),
    steps: AISAS_STEPS.map((step) => {
      const s = steps.find((x) => x.step === step);
      return { step, interactions: s?.interactions ?? 0, accounts: s?.accounts ?? 0, accountsNow: now.find((x) => x.step === step)?.n ?? 0 };
    }),
    links,
    sources: sources.map((s) => ({ ...s, winRate: rate(s.wonAccounts, s.accounts) })),
    semantics:
      'Steps and links count interactions in the window (by occurred_at); sources count accounts created in the window, ' +
      'their source being the account’s own, else its first tagged interaction’s, else its first deal’s; an account "wins" when any of its deals is won.',
  };
}
