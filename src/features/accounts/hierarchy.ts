import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../kernel/actor.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { notFound, type FieldErrors } from '../../kernel/errors.ts';
import { shareOfWallet } from '../funnel/rules.ts';
import type { AccountGroup } from './schemas.ts';

/** Deeper than any real group of companies; bounds the recursive walks should bad data ever hold a loop. */
const MAX_DEPTH = 50;

async function rows<T>(db: DbOrTx, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

/**
 * A parent must not be the account itself nor any of its subsidiaries (at any depth, deleted ones too:
 * restoring one must not close a loop). Hierarchy edits of an organization take turns (a transaction
 * lock), so two edits made at once (A under B, B under A) cannot together make a cycle.
 */
export async function checkNoCycle(tx: DbOrTx, orgId: string, accountId: string, parentId: string, errs: FieldErrors): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('accord.account_hierarchy'), hashtext(${orgId}))`);
  const found = await rows<{ d: number }>(
    tx,
    sql`with recursive sub as (
      select id, 0 as d from accounts where org_id = ${orgId} and id = ${accountId}
      union all
      select c.id, s.d + 1 from accounts c join sub s on c.org_id = ${orgId} and c.parent_account_id = s.id where s.d < ${MAX_DEPTH}
    ) select d from sub where id = ${parentId} limit 1`,
  );
  if (found.length) {
    errs.add('parentAccountId', found[0]!.d === 0 ? 'An account cannot be its own parent' : 'This account is one of its subsidiaries: that would make a loop', 'invalid', { reason: 'cycle' });
  }
}

interface FigureRow {
  branch: string | null;
  total: boolean;
  accounts: number;
  openDeals: number;
  openValue: string;
  wonDeals: number;
  wonValue: string;
  orders12m: number;
  bought12m: string;
  demand: string | null;
  boughtWithDemand: string;
  foreignDeals: number;
}

const figures = (r: FigureRow | undefined): AccountGroup['group'] => ({
  accounts: r?.accounts ?? 0,
  openDeals: r?.openDeals ?? 0,
  openValue: Number(r?.openValue ?? 0).toFixed(2),
  wonDeals: r?.wonDeals ?? 0,
  wonValue: Number(r?.wonValue ?? 0).toFixed(2),
  orders12m: r?.orders12m ?? 0,
  bought12m: Number(r?.bought12m ?? 0).toFixed(2),
  demand: r?.demand == null ? null : Number(r.demand).toFixed(2),
  shareOfWallet: r?.demand == null ? null : shareOfWallet(Number(r.boughtWithDemand), Number(r.demand)),
  foreignDeals: r?.foreignDeals ?? 0,
});

/**
 * An account's place in its group and the group's figures rolled up: the account alone, each direct
 * subsidiary with everything below it, and the whole subtree. Money in the base currency.
 */
export async function accountGroup(db: DbOrTx, actor: Actor, accountId: string, now = new Date()): Promise<AccountGroup> {
  const orgId = actor.orgId;
  const [org] = await rows<{ base: string }>(db, sql`select base_currency as base from organizations where id = ${orgId}`);
  const base = org?.base.trim() ?? 'USD';
  const asOf = now.toISOString().slice(0, 10);
  const [self] = await rows<{ id: string; name: string; parentId: string | null; parentName: string | null }>(
    db,
    sql`select a.id, a.name, p.id as "parentId", p.name as "parentName" from accounts a
      left join accounts p on p.org_id = a.org_id and p.id = a.parent_account_id and p.deleted_at is null
      where a.org_id = ${orgId} and a.id = ${accountId} and a.deleted_at is null`,
  );
  if (!self) throw notFound('Account');
  const [root] = await rows<{ id: string; name: string }>(
    db,
    sql`with recursive up as (
      select id, name, parent_account_id, 0 as d from accounts where org_id = ${orgId} and id = ${accountId}
      union all
      select p.id, p.name, p.parent_account_id, u.d + 1 from accounts p join up u on p.org_id = ${orgId} and p.id = u.parent_account_id
      where p.deleted_at is null and u.d < ${MAX_DEPTH}
    ) select id, name from up order by d desc limit 1`,
  );
  // branch: which direct subsidiary a node hangs under (null for the account itself).
  const figs = await rows<FigureRow>(
    db,
    sql`with recursive tree as (
      select id, null::uuid as branch, 0 as d from accounts where org_id = ${orgId} and id = ${accountId}
      union all
      select c.id, coalesce(t.branch, c.id), t.d + 1 from accounts c join tree t on c.org_id = ${orgId} and c.parent_account_id = t.id
      where c.deleted_at is null and t.d < ${MAX_DEPTH}
    ),
    deals as (
      select o.account_id,
        count(*) filter (where o.status = 'open') as open_deals,
        sum(o.amount) filter (where o.status = 'open' and o.currency = ${base}) as open_value,
        count(*) filter (where o.status = 'won') as won_deals,
        sum(o.amount) filter (where o.status = 'won' and o.currency = ${base}) as won_value,
        count(*) filter (where o.amount is not null and o.currency <> ${base}) as foreign_deals
      from opportunities o join tree t on t.id = o.account_id
      where o.org_id = ${orgId} and o.deleted_at is null group by o.account_id
    ),
    bought as (
      select r.account_id, count(*) as orders, sum(r.amount_base) as amount from orders r join tree t on t.id = r.account_id
      where r.org_id = ${orgId} and r.deleted_at is null and r.status <> 'cancelled' and r.ordered_at > ${asOf}::date - 365 and r.ordered_at <= ${asOf}::date
      group by r.account_id
    ),
    node as (
      select t.branch, t.id, coalesce(d.open_deals, 0) as open_deals, coalesce(d.open_value, 0) as open_value, coalesce(d.won_deals, 0) as won_deals,
        coalesce(d.won_value, 0) as won_value, coalesce(d.foreign_deals, 0) as foreign_deals, coalesce(b.orders, 0) as orders, coalesce(b.amount, 0) as bought,
        case when a.total_annual_demand > 0 and coalesce(a.demand_currency, ${base}) = ${base} then a.total_annual_demand end as demand
      from tree t join accounts a on a.org_id = ${orgId} and a.id = t.id
      left join deals d on d.account_id = t.id left join bought b on b.account_id = t.id
    )
    select branch, grouping(branch) = 1 as total, count(*)::int as accounts, sum(open_deals)::int as "openDeals", sum(open_value)::text as "openValue",
      sum(won_deals)::int as "wonDeals", sum(won_value)::text as "wonValue", sum(orders)::int as "orders12m", sum(bought)::text as "bought12m",
      sum(demand)::text as demand, coalesce(sum(bought) filter (where demand is not null), 0)::text as "boughtWithDemand", sum(foreign_deals)::int as "foreignDeals"
    from node group by grouping sets ((branch), ())`,
  );
  const children = await rows<{ id: string; name: string; subsidiaries: number }>(
    db,
    sql`select c.id, c.name, (select count(*)::int from accounts g where g.org_id = ${orgId} and g.parent_account_id = c.id and g.deleted_at is null) as subsidiaries
      from accounts c where c.org_id = ${orgId} and c.parent_account_id = ${accountId} and c.deleted_at is null order by c.name, c.id`,
  );
  return {
    accountId,
    baseCurrency: base,
    parent: self.parentId ? { id: self.parentId, name: self.parentName ?? '' } : null,
    root: root ?? { id: self.id, name: self.name },
    children: children.map((c) => ({ ...c, figures: figures(figs.find((f) => !f.total && f.branch === c.id)) })),
    own: figures(figs.find((f) => !f.total && f.branch === null)),
    group: figures(figs.find((f) => f.total)),
  };
}
