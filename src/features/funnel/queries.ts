import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { accounts, organizations } from '../../db/schema/index.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { notFound } from '../../kernel/errors.ts';
import { conversions } from '../goals/rules.ts';
import { reachCounts, reachCtes, type DealScope, type Window } from '../goals/queries.ts';
import { REACH_SEMANTICS } from '../goals/schemas.ts';
import { bucketOf, demandProblem, demandProblemCode, shareOfWallet, trend, walletGap, WALLET_BUCKETS } from './rules.ts';
import type { AccountWallet, AcquisitionFunnel, OrgWallet } from './schemas.ts';

async function rows<T>(db: DbOrTx, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

export async function baseCurrency(db: DbOrTx, orgId: string): Promise<string> {
  const [o] = await db.select({ c: organizations.baseCurrency }).from(organizations).where(eq(organizations.id, orgId));
  return o?.c ?? 'USD';
}

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString();
const startOf = (d: string) => `${d}T00:00:00.000Z`;
/** Orders that were cancelled never reached the customer's wallet. */
const LIVE_ORDER = sql`o.status <> 'cancelled' and o.deleted_at is null`;

/**
 * The acquisition funnel (0 → 1) for a window: accounts reaching each stage (same rule as goals), cohort
 * conversion to the next stage, median days spent per stage, won and lost (where and why), open pipeline value.
 */
export async function acquisitionFunnel(db: DbOrTx, actor: Actor, scope: DealScope, w: Window): Promise<AcquisitionFunnel> {
  const orgId = actor.orgId;
  const base = await baseCurrency(db, orgId);
  const reach = await reachCounts(db, orgId, scope, w);
  const from = startOf(w.from);
  const to = nextDay(w.to);
  // A stay in a stage ends at the next move, or when the deal closed; stays still running are not finished and left out.
  // Nothing happens to a deal after its close: an entry written later (an import, an edit of a closed deal) is
  // bounded by the close, so no stay is negative and none is counted after the deal ended.
  const durations = await rows<{ stage: string; medianDays: number | null; stays: number }>(
    db,
    sql`with ${reachCtes(orgId, scope)},
    bounded as (
      select h.opportunity_id, h.id, h.to_stage, c.closed_end,
        case when c.closed_end is null then h.changed_at else least(h.changed_at, c.closed_end) end as entered
      from opportunity_stage_history h join scoped s on s.id = h.opportunity_id
      cross join lateral (select case when s.status <> 'open' then s.closed_at end as closed_end) c
      where h.org_id = ${orgId}
    ),
    stays as (
      select b.to_stage as stage, b.entered,
        coalesce(lead(b.entered) over (partition by b.opportunity_id order by b.entered, b.id), b.closed_end) as left_at
      from bounded b
    )
    select stage, (percentile_cont(0.5) within group (order by greatest(0, extract(epoch from (left_at - entered)) / 86400)))::float as "medianDays", count(*)::int as stays
    from stays where left_at is not null and left_at >= ${from}::timestamptz and left_at < ${to}::timestamptz
    group by stage`,
  );
  const closed = await rows<{ status: string; stage: string; reason: string | null; deals: number; accounts: number; value: string | null; foreign: number }>(
    db,
    sql`with ${reachCtes(orgId, scope)}
    select s.status, s.buying_stage as stage, o.lost_reason as reason, count(*)::int as deals, count(distinct s.account_id)::int as accounts,
      sum(o.amount) filter (where o.currency = ${base})::text as value,
      count(*) filter (where o.amount is not null and o.currency <> ${base})::int as foreign
    from scoped s join opportunities o on o.org_id = ${orgId} and o.id = s.id
    where s.status <> 'open' and o.closed_at >= ${from}::timestamptz and o.closed_at < ${to}::timestamptz
    group by s.status, s.buying_stage, o.lost_reason`,
  );
  const open = await rows<{ stage: string; deals: number; value: string | null; foreign: number }>(
    db,
    sql`with ${reachCtes(orgId, scope)}
    select s.buying_stage as stage, count(*)::int as deals, sum(o.amount) filter (where o.currency = ${base})::text as value,
      count(*) filter (where o.amount is not null and o.currency <> ${base})::int as foreign
    from scoped s join opportunities o on o.org_id = ${orgId} and o.id = s.id
    where s.status = 'open' group by s.buying_stage`,
  );
  // The latest thing that happened in the scope, bounded like the stays (nothing after a deal's close, nothing in the future).
  const [last] = await rows<{ day: string | null }>(
    db,
    sql`with ${reachCtes(orgId, scope)}
    select to_char(greatest(
      (select max(case when s.status <> 'open' and s.closed_at is not null then least(h.changed_at, s.closed_at) else h.changed_at end)
         from opportunity_stage_history h join scoped s on s.id = h.opportunity_id where h.org_id = ${orgId} and h.changed_at <= now()),
      (select max(s.closed_at) from scoped s where s.status <> 'open' and s.closed_at <= now())
    ) at time zone 'UTC', 'YYYY-MM-DD') as day`,
  );
  const conv = conversions(reach.map((r) => ({ stage: r.stage, rank: r.rank, reached: r.dealsReached, advanced: r.dealsAdvanced })));
  const won = closed.filter((c) => c.status === 'won');
  const lost = closed.filter((c) => c.status === 'lost');
  const sum = (xs: (string | null)[]) => xs.reduce((a, x) => a + (x ? Number(x) : 0), 0);
  const group = <K extends string>(xs: typeof lost, key: (x: (typeof lost)[number]) => K) => {
    const m = new Map<K, number>();
    for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + x.deals);
    return [...m].map(([k, deals]) => ({ key: k, deals })).sort((a, b) => b.deals - a.deals);
  };
  const foreign = [...closed, ...open].reduce((a, x) => a + x.foreign, 0);
  return {
    from: w.from,
    to: w.to,
    baseCurrency: base,
    semantics: REACH_SEMANTICS + ' Conversion to the next stage: of the deals that first reached a stage in the window, the share that has reached the next stage by now.',
    stages: reach.map((r, i) => {
      const d = durations.find((x) => x.stage === r.stage);
      const o = open.find((x) => x.stage === r.stage);
      return {
        stage: r.stage,
        rank: r.rank,
        accounts: r.reached,
        deals: r.dealsReached,
        advanced: r.dealsAdvanced,
        toNext: conv[i]!.toNext,
        medianDays: d?.medianDays === null || d?.medianDays === undefined ? null : Math.round(d.medianDays * 10) / 10,
        finishedStays: d?.stays ?? 0,
        openDeals: o?.deals ?? 0,
        openValue: o?.value ?? '0',
        lost: lost.filter((l) => l.stage === r.stage).reduce((a, l) => a + l.deals, 0),
      };
    }),
    won: { deals: won.reduce((a, x) => a + x.deals, 0), accounts: won.reduce((a, x) => a + x.accounts, 0), value: sum(won.map((x) => x.value)).toFixed(2) },
    lost: {
      deals: lost.reduce((a, x) => a + x.deals, 0),
      value: sum(lost.map((x) => x.value)).toFixed(2),
      byStage: group(lost, (x) => x.stage).map(({ key, deals }) => ({ stage: key, deals })),
      byReason: group(lost, (x) => x.reason ?? 'unknown').map(({ key, deals }) => ({ reason: key, deals })),
    },
    note: foreign ? `${foreign} deal(s) in other currencies than ${base} are counted but left out of the money columns (deals carry no exchange rate)` : null,
    foreignDeals: foreign,
    lastActivity: last?.day ?? null,
  };
}

interface WalletRow {
  accountId: string;
  name: string;
  ownerId: string | null;
  supplierStatus: string | null;
  relationshipDepth: string | null;
  demand: string | null;
  demandCurrency: string | null;
  demandEstimated: boolean;
  bought: string;
}

/**
 * The account-growth funnel (1 → N), org-wide: per account with a known annual demand, what it bought from us in
 * the last 12 months (orders.amount_base) against that demand; the distribution of share of wallet and the biggest gaps.
 */
export async function orgWallet(db: DbOrTx, actor: Actor, q: { segment?: SQL | null; ownerId?: string; limit?: number }, now = new Date()): Promise<OrgWallet> {
  const base = await baseCurrency(db, actor.orgId);
  const asOf = now.toISOString().slice(0, 10);
  const conds: SQL[] = [sql`a.org_id = ${actor.orgId}`, sql`a.deleted_at is null`];
  if (q.segment) conds.push(sql`a.id in ${q.segment}`);
  if (q.ownerId) conds.push(sql`a.owner_id = ${q.ownerId}`);
  // Accounts with a demand, and accounts that bought without one (they are listed as missing data).
  const list = await rows<WalletRow>(
    db,
    sql`select a.id as "accountId", a.name, a.owner_id as "ownerId", a.supplier_status as "supplierStatus", a.relationship_depth as "relationshipDepth",
      a.total_annual_demand::text as demand, a.demand_currency as "demandCurrency", a.demand_estimated as "demandEstimated",
      coalesce(b.bought, 0)::text as bought
    from accounts a
    left join (
      select o.account_id, sum(o.amount_base) as bought from orders o
      where o.org_id = ${actor.orgId} and ${LIVE_ORDER} and o.ordered_at > ${asOf}::date - 365 and o.ordered_at <= ${asOf}::date
      group by o.account_id
    ) b on b.account_id = a.id
    where ${sql.join(conds, sql` and `)} and (a.total_annual_demand is not null or b.bought is not null)`,
  );
  const counted: OrgWallet['biggestGaps'] = [];
  const skipped: OrgWallet['skipped'] = [];
  for (const r of list) {
    const problem = demandProblem(r.demand, r.demandCurrency, base);
    if (problem) {
      skipped.push({ accountId: r.accountId, name: r.name, reason: problem, bought: r.bought });
      continue;
    }
    const demand = Number(r.demand);
    const bought = Number(r.bought);
    counted.push({
      accountId: r.accountId,
      name: r.name,
      ownerId: r.ownerId,
      supplierStatus: r.supplierStatus,
      relationshipDepth: r.relationshipDepth,
      demand: demand.toFixed(2),
      demandEstimated: r.demandEstimated,
      bought: bought.toFixed(2),
      share: shareOfWallet(bought, demand)!,
      gap: walletGap(bought, demand).toFixed(2),
    });
  }
  const totalDemand = counted.reduce((a, x) => a + Number(x.demand), 0);
  const totalBought = counted.reduce((a, x) => a + Number(x.bought), 0);
  return {
    asOf,
    baseCurrency: base,
    window: 'last 12 months',
    totals: {
      accounts: counted.length,
      demand: totalDemand.toFixed(2),
      bought: totalBought.toFixed(2),
      gap: counted.reduce((a, x) => a + Number(x.gap), 0).toFixed(2),
      share: shareOfWallet(totalBought, totalDemand),
    },
    distribution: WALLET_BUCKETS.map((b) => {
      const inB = counted.filter((x) => bucketOf(x.share) === b.key);
      return { bucket: b.key, from: b.from, to: b.to, accounts: inB.length, gap: inB.reduce((a, x) => a + Number(x.gap), 0).toFixed(2) };
    }),
    biggestGaps: counted.sort((a, b) => Number(b.gap) - Number(a.gap)).slice(0, q.limit ?? 20),
    skipped: skipped.slice(0, 100),
    skippedCount: skipped.length,
  };
}

/** One account's share of wallet per year or quarter (its demand is today's annual figure; its history is not kept). */
export async function accountWallet(db: DbOrTx, actor: Actor, accountId: string, by: 'year' | 'quarter', periods: number, now = new Date()): Promise<AccountWallet> {
  const [acc] = await db
    .select({ id: accounts.id, name: accounts.name, demand: accounts.totalAnnualDemand, currency: accounts.demandCurrency, estimated: accounts.demandEstimated })
    .from(accounts)
    .where(and(eq(accounts.orgId, actor.orgId), eq(accounts.id, accountId), isNull(accounts.deletedAt)));
  if (!acc) throw notFound('Account');
  const base = await baseCurrency(db, actor.orgId);
  const problem = demandProblem(acc.demand, acc.currency, base);
  const asOf = now.toISOString().slice(0, 10);
  const unit = by === 'year' ? sql.raw(`'year'`) : sql.raw(`'quarter'`);
  const step = by === 'year' ? sql.raw(`interval '1 year'`) : sql.raw(`interval '3 months'`);
  const series = await rows<{ start: string; end: string; bought: string; orders: number }>(
    db,
    sql`with p as (
      select g::date as start, (g + ${step} - interval '1 day')::date as "end"
      from generate_series(date_trunc(${unit}, ${asOf}::timestamp) - ${step} * ${periods - 1}::int, date_trunc(${unit}, ${asOf}::timestamp), ${step}) g
    )
    select p.start::text as start, p."end"::text as "end", coalesce(sum(o.amount_base), 0)::text as bought, count(o.id)::int as orders
    from p left join orders o on o.org_id = ${actor.orgId} and o.account_id = ${accountId} and ${LIVE_ORDER}
      and o.ordered_at >= p.start and o.ordered_at <= p."end"
    group by p.start, p."end" order by p.start`,
  );
  const annual = problem ? null : Number(acc.demand);
  const perPeriod = annual === null ? null : by === 'year' ? annual : annual / 4;
  const points = series.map((s) => {
    const label = by === 'year' ? s.start.slice(0, 4) : `${s.start.slice(0, 4)}-Q${Math.floor(Number(s.start.slice(5, 7)) / 3) + 1}`;
    const bought = Number(s.bought);
    const complete = s.end < asOf;
    return {
      period: label,
      start: s.start,
      end: s.end,
      complete,
      orders: s.orders,
      bought: bought.toFixed(2),
      demand: perPeriod === null ? null : perPeriod.toFixed(2),
      share: perPeriod === null ? null : shareOfWallet(bought, perPeriod),
      gap: perPeriod === null ? null : walletGap(bought, perPeriod).toFixed(2),
    };
  });
  const last12 = await rows<{ bought: string }>(
    db,
    sql`select coalesce(sum(o.amount_base), 0)::text as bought from orders o
      where o.org_id = ${actor.orgId} and o.account_id = ${accountId} and ${LIVE_ORDER} and o.ordered_at > ${asOf}::date - 365 and o.ordered_at <= ${asOf}::date`,
  );
  const bought12 = Number(last12[0]?.bought ?? 0);
  return {
    accountId,
    name: acc.name,
    baseCurrency: base,
    by,
    annualDemand: annual === null ? null : annual.toFixed(2),
    demandEstimated: acc.estimated,
    note: problem,
    noteCode: demandProblemCode(acc.demand, acc.currency, base),
    demandCurrency: acc.currency ?? null,
    last12Months: {
      bought: bought12.toFixed(2),
      share: annual === null ? null : shareOfWallet(bought12, annual),
      gap: annual === null ? null : walletGap(bought12, annual).toFixed(2),
    },
    trend: trend(points.filter((p) => p.complete).map((p) => p.share)),
    points,
  };
}

/** Supplier status and relationship depth over time, each move marked up/down by the vocabulary's levels. */
export async function statusHistory(db: DbOrTx, actor: Actor, accountId: string) {
  const [acc] = await db
    .select({ supplierStatus: accounts.supplierStatus, relationshipDepth: accounts.relationshipDepth })
    .from(accounts)
    .where(and(eq(accounts.orgId, actor.orgId), eq(accounts.id, accountId), isNull(accounts.deletedAt)));
  if (!acc) throw notFound('Account');
  const history = await rows<{ id: string; field: 'supplier_status' | 'relationship_depth'; fromValue: string | null; toValue: string | null; changedAt: string; changedBy: string | null; changedByName: string | null; note: string | null; fromLevel: number | null; toLevel: number | null }>(
    db,
    sql`select h.id, h.field, h.from_value as "fromValue", h.to_value as "toValue", h.changed_at::text as "changedAt", h.changed_by as "changedBy",
      u.name as "changedByName", h.note, (vf.meta->>'level')::int as "fromLevel", (vt.meta->>'level')::int as "toLevel"
    from account_status_history h
    left join users u on u.org_id = h.org_id and u.id = h.changed_by
    left join vocab_terms vf on vf.org_id = h.org_id and vf.vocabulary = h.field and vf.key = h.from_value
    left join vocab_terms vt on vt.org_id = h.org_id and vt.vocabulary = h.field and vt.key = h.to_value
    where h.org_id = ${actor.orgId} and h.account_id = ${accountId}
    order by h.changed_at, h.id`,
  );
  return {
    accountId,
    supplierStatus: acc.supplierStatus,
    relationshipDepth: acc.relationshipDepth,
    history: history.map((h) => ({
      ...h,
      direction: h.fromLevel === null || h.toLevel === null ? null : h.toLevel > h.fromLevel ? ('up' as const) : h.toLevel < h.fromLevel ? ('down' as const) : ('same' as const),
    })),
  };
}
