/**
 * The set-based SQL of evaluation: each function is one statement over the whole organization.
 * Rule constants (weights, thresholds, bands) come in as parameters from rules.ts, so the rules
 * stay in one place and the SQL only does the arithmetic over sets.
 */
import { analyzeStale } from '../../kernel/db/statistics.ts';
import type { RawResult } from '../../kernel/db/index.ts';
import { SIZE_BANDS, type EvaluationSettings } from './rules.ts';

export interface Q {
  query(text: string, params?: unknown[]): Promise<RawResult>;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Accounts that take part in evaluation: customers and prospects, not partners or competitors. */
const EVALUATED = `a.deleted_at is null and a.kind not in ('partner', 'competitor')`;

const SIZE_BAND_SQL = `case when a.employees is null then null ${[...SIZE_BANDS]
  .reverse()
  .map((b) => `when a.employees >= ${b.min} then ${lit(b.key)}`)
  .join(' ')} end`;

/** (attribute, SQL expression of its value) for an account row `a`; custom select fields included. */
function attributes(customKeys: string[]): [string, string][] {
  return [
    ['industry', 'a.industry'],
    ['country', 'a.country::text'],
    ['sizeBand', SIZE_BAND_SQL],
    ['needType', 'a.need_type'],
    ['priceOrientation', 'a.price_orientation'],
    ...customKeys.map((k): [string, string] => ['custom.' + k, `a.custom->>${lit(k)}`]),
  ];
}

export async function orgSettings(q: Q, orgId: string): Promise<Record<string, unknown>> {
  const { rows } = await q.query('select settings from organizations where id = $1', [orgId]);
  return ((rows[0] as { settings?: Record<string, unknown> } | undefined)?.settings ?? {}) as Record<string, unknown>;
}

/** Keys of the account custom fields that are single selects: they join the profile. */
export async function customSelectKeys(q: Q, orgId: string): Promise<string[]> {
  const { rows } = await q.query(`select key from custom_field_defs where org_id = $1 and entity = 'account' and type = 'select' order by position, key`, [orgId]);
  return (rows as { key: string }[]).map((r) => r.key).filter((k) => /^[A-Za-z0-9_.-]{1,63}$/.test(k));
}

export async function vocabMeta(q: Q, orgId: string, vocabulary: string): Promise<{ key: string; meta: Record<string, unknown>; active: boolean; position: number }[]> {
  const { rows } = await q.query('select key, meta, active, position from vocab_terms where org_id = $1 and vocabulary = $2 order by position, key', [orgId, vocabulary]);
  return rows as { key: string; meta: Record<string, unknown>; active: boolean; position: number }[];
}

/**
 * Counts per attribute value among the best accounts and in the whole evaluated base. The best
 * accounts: those with something won (a won deal or an order) ranked by win rate (won of closed
 * deals; orders without closed deals count as won), then by value won (won deals' amounts plus
 * orders), whose number of accounts strictly ahead of them is under a third of the accounts with any
 * outcome. Ties at the cut all count as best: when every account stands equal, the rest are only
 * the accounts without history and, if there are none, nothing can separate them.
 */
export async function profileCounts(q: Q, orgId: string, customKeys: string[]) {
  // One pass: the totals are counted as one more (attribute, value) pair every account has.
  const { rows } = await q.query(
    `with o as (
       select account_id, (count(*) filter (where status = 'won'))::float8 as won, (count(*) filter (where status = 'lost'))::float8 as lost,
              coalesce(sum(amount::float8) filter (where status = 'won'), 0) as won_value
         from opportunities where org_id = $1 and deleted_at is null and status in ('won', 'lost') group by account_id),
     ord as (
       select account_id, sum(amount_base)::float8 as bought
         from orders where org_id = $1 and deleted_at is null and status <> 'cancelled' group by account_id),
     h as (
       select a.id,
              case when coalesce(o.won, 0) + coalesce(o.lost, 0) > 0 then o.won / (o.won + o.lost) else 1 end as rate,
              coalesce(o.won_value, 0) + coalesce(ord.bought, 0) as value,
              coalesce(o.won, 0) > 0 or coalesce(ord.bought, 0) > 0 as has_win
         from accounts a
         left join o on o.account_id = a.id
         left join ord on ord.account_id = a.id
        where a.org_id = $1 and ${EVALUATED} and (o.account_id is not null or ord.account_id is not null)),
     r as (select id, has_win, rank() over (order by rate desc, value desc) - 1 as ahead, count(*) over () as n from h),
     best as (select id from r where has_win and ahead * 3 < n),
     a as (select a.*, (b.id is not null) as is_won from accounts a left join best b on b.id = a.id where a.org_id = $1 and ${EVALUATED})
     select v.attr as attribute, v.val as value, (count(*) filter (where a.is_won))::int as won, count(*)::int as base
       from a cross join lateral (values ${attributes(customKeys).map(([k, e]) => `(${lit(k)}, ${e})`).join(', ')}, (null, null)) as v(attr, val)
      where v.attr is null or (v.val is not null and v.val <> '')
      group by v.attr, v.val`,
    [orgId],
  );
  const all = rows as { attribute: string | null; value: string | null; won: number; base: number }[];
  const total = all.find((r) => r.attribute === null);
  return {
    counts: all.filter((r): r is { attribute: string; value: string; won: number; base: number } => r.attribute !== null),
    totals: { won: total?.won ?? 0, base: total?.base ?? 0 },
  };
}

export interface ClassifyParams {
  weights: { a: string; v: string; w: number; lift: number; label: string }[];
  settings: EvaluationSettings;
  stageRanks: Record<string, number>;
  supplierLevels: Record<string, number>;
  profitability: Record<string, number>;
  profitabilityUnknown: number;
  /** The profile separates the best accounts from the rest; if not, every fit is unknown (null), not 50. */
  fitKnown: boolean;
}

/** The smallest of `xs` greater than `after` (SQL; nulls ignored), or the smallest when `after` is null. */
const nextSmallest = (xs: string[], after: string | null) =>
  xs.length === 1 && !after ? xs[0]! : `least(${xs.map((x) => (after ? `case when ${x} > ${after} then ${x} end` : x)).join(', ')})`;

/**
 * CTEs \`name(v, p)\`: the percent_rank of each distinct value of a column of \`base\` among the rows
 * that pass \`where\` — exactly percent_rank(), (rows below) / (rows − 1), but from per-value counts:
 * sorting a few thousand distinct values instead of every account once per measure.
 */
export function percentRanks(measures: [name: string, column: string, where: string][]): string {
  return measures
    .map(([name, col, where]) => `${name} as (
       select v, coalesce((sum(n) over (order by v) - n)::float8 / nullif(sum(n) over () - 1, 0)::float8, 0) as p
         from (select ${col} as v, count(*) as n from base where ${where} group by ${col}) g)`)
    .join(',\n     ');
}

/**
 * The CTE chain that ends in \`axes\`: every account's fit, size percentile, axis components and axes.
 * Shaped for speed at 100k+ accounts: each source table is aggregated once per account and joined by
 * hash; the rows that go through the four percentile sorts stay narrow (no JSON); and the top reasons
 * are picked without a sort per account: profile entries are ranked once globally by the reasons'
 * order (|weight| desc, attribute, value), so an account's top three are its three smallest ranks.
 */
function axesSql(customKeys: string[], s: EvaluationSettings): string {
  const aw = s.attractivenessWeights;
  const rw = s.relationshipWeights;
  const attrs = attributes(customKeys);
  return `with p as (
       select p.a, p.v, p.w, (row_number() over (order by abs(p.w) desc, p.a, p.v))::int as r,
              jsonb_build_object('attribute', p.a, 'value', p.v, 'lift', p.lift, 'weight', round(p.w::numeric, 3), 'label', p.label) as reason
         from jsonb_to_recordset($2::jsonb) as p(a text, v text, w float8, lift float8, label text)),
     sr as (select key, value::text::int as rank from jsonb_each($3::jsonb)),
     -- The stage an account is in is named by its furthest open deal's rank (first key on a tie).
     srk as (select distinct on (rank) rank, key from sr order by rank, key),
     sl as (select key, value::text::float8 as level from jsonb_each($4::jsonb)),
     prof as (select key, value::text::float8 as score from jsonb_each($5::jsonb)),
     acc as (
       select a.id, a.employees, a.annual_revenue::float8 as revenue, a.total_annual_demand::float8 as demand, a.price_orientation, a.supplier_status,
              -- The stored scores ride along, so what changed is known without reading the table again.
              row(a.fit_score, a.fit_reasons, a.tier, a.buying_stage, a.attractiveness, a.relationship_score, a.portfolio_type, a.price_driven) as stored,
              ${attrs.map((_, i) => `coalesce(p${i}.w, 0)`).join(' + ')} as fit_total,
              ${attrs.map((_, i) => `p${i}.r as r${i}`).join(', ')}
         from accounts a
         ${attrs.map(([k, e], i) => `left join p p${i} on p${i}.a = ${lit(k)} and p${i}.v = ${e}`).join('\n         ')}
        where a.org_id = $1 and ${EVALUATED}),
     opp as (
       select o.account_id,
              max(sr.rank) filter (where o.status = 'open') as open_rank,
              (count(*) filter (where o.status = 'won'))::int as won,
              (count(*) filter (where o.status = 'lost'))::int as lost,
              (count(*) filter (where o.status = 'lost' and o.lost_reason = 'price'))::int as lost_price,
              sum(o.amount::float8) filter (where o.status = 'won') as won_value,
              sum(o.amount::float8) filter (where o.status = 'won' and o.closed_at >= current_date - 365) as won_recent
         from opportunities o left join sr on sr.key = o.buying_stage
        where o.org_id = $1 and o.deleted_at is null
        group by o.account_id),
     ord as (
       select account_id, sum(amount_base) filter (where ordered_at >= current_date - 365)::float8 as bought, sum(amount_base)::float8 as bought_ever
         from orders
        where org_id = $1 and deleted_at is null and status <> 'cancelled'
        group by account_id),
     eng as (
       select account_id, count(*)::int as n
         from interactions
        where org_id = $1 and deleted_at is null and occurred_at >= current_date - $6::int
        group by account_id),
     -- What happened decides where demand and status are not typed in: the value bought or won in the
     -- last year (orders, or won deals where orders are not recorded), the value ever won, the win rate.
     base as materialized (
       select x.*, opp.open_rank, coalesce(opp.won, 0) as won, coalesce(opp.lost, 0) as lost, coalesce(opp.lost_price, 0) as lost_price,
              nullif(greatest(coalesce(ord.bought, 0), coalesce(opp.won_recent, 0)), 0) as bought,
              nullif(greatest(coalesce(ord.bought_ever, 0), coalesce(opp.won_value, 0)), 0) as lifetime,
              coalesce(eng.n, 0) as eng
         from acc x
         left join opp on opp.account_id = x.id
         left join ord on ord.account_id = x.id
         left join eng on eng.account_id = x.id),
     ${percentRanks([['pe', 'employees', 'employees is not null'], ['pr', 'revenue', 'revenue is not null'], ['pd', 'demand', 'demand is not null'], ['pg', 'eng', 'eng > 0'], ['pb', 'bought', 'bought is not null'], ['pl', 'lifetime', 'lifetime is not null']])},
     ranked as (
       select b.*, pe.p as pe, pr.p as pr, pd.p as pd, pg.p as pg, pb.p as pb, pl.p as pl
         from base b
         left join pe on pe.v = b.employees
         left join pr on pr.v = b.revenue
         left join pd on pd.v = b.demand
         left join pg on pg.v = b.eng
         left join pb on pb.v = b.bought
         left join pl on pl.v = b.lifetime),
     scored as (
       select r.*,
              case when $12::boolean then round((100 / (1 + exp(-r.fit_total)))::numeric, 1)::float8 end as fit,
              (coalesce(r.pe, 0) + coalesce(r.pr, 0) + coalesce(r.pd, 0))
                / nullif((r.pe is not null)::int + (r.pr is not null)::int + (r.pd is not null)::int, 0) as size_pct,
              case when r.pd is not null then r.pd * 100 when r.pl is not null then 20 + 80 * r.pl else 50 end as potential,
              case when prof.score is not null then prof.score
                   when r.won + r.lost > 0 then $7::float8 - 30 * r.lost_price::float8 / (r.won + r.lost)
                   else $7::float8 end as profitability,
              case when r.bought is null then 0
                   when r.demand is null or r.demand <= 0 then 20 + 80 * r.pb
                   else least(1, r.bought / r.demand) * 100 end as wallet,
              case when sl.level is not null then greatest(0, least(100, sl.level / 4 * 100))
                   when r.won + r.lost > 0 then 100 * r.won::float8 / (r.won + r.lost)
                   else 50 end as status_score,
              case when r.eng = 0 then 0 else 20 + 80 * coalesce(r.pg, 1) end as engagement
         from ranked r
         left join prof on prof.key = r.price_orientation
         left join sl on sl.key = r.supplier_status
       offset 0),
     axes as (
       select s.*,
              -- An unknown fit leaves the axis to potential and profitability (equally, if they weigh nothing).
              round(coalesce(
                (${aw.fit} * coalesce(s.fit, 0) + ${aw.potential} * s.potential + ${aw.profitability} * s.profitability)
                  / nullif(${aw.fit} * (s.fit is not null)::int + ${aw.potential + aw.profitability}, 0),
                (s.potential + s.profitability) / 2)::numeric, 1)::float8 as attractiveness,
              round((${rw.shareOfWallet} * s.wallet + ${rw.supplierStatus} * s.status_score + ${rw.engagement} * s.engagement)::numeric, 1)::float8 as relationship
         from scored s
       offset 0)`;
}

function axesParams(orgId: string, p: ClassifyParams): unknown[] {
  const s = p.settings;
  return [
    orgId,
    JSON.stringify(p.weights),
    JSON.stringify(p.stageRanks),
    JSON.stringify(p.supplierLevels),
    JSON.stringify(p.profitability),
    Math.round(s.engagementDays),
    p.profitabilityUnknown,
    s.tierCuts.a,
    s.tierCuts.b,
    s.attractivenessThreshold,
    s.relationshipThreshold,
    p.fitKnown,
  ];
}

/**
 * Fit, tier, buying stage, both portfolio axes, portfolio type and the price-driven flag for every
 * account of the organization in ONE update: each account row is rewritten once.
 */
export async function classifyAccounts(q: Q, orgId: string, customKeys: string[], p: ClassifyParams): Promise<number> {
  const ranks = attributes(customKeys).map((_, i) => `x.r${i}`);
  // Computing is the work; writing is a few rows on a routine run. So the changed rows go into a
  // temporary table first, and the update finds each of them by key: an UPDATE … FROM the whole
  // computation would read and hash every account row a second time to compare.
  await q.query('drop table if exists accord_changed_accounts');
  await q.query(
    `create temporary table accord_changed_accounts on commit drop as
     ${axesSql(customKeys, p.settings)},
     fin as (
       select x.id, x.stored, x.fit::real as fit,
              case when t.t1 is null then '[]'::jsonb
                   when t.t2 is null then jsonb_build_array(q1.reason)
                   when t.t3 is null then jsonb_build_array(q1.reason, q2.reason)
                   else jsonb_build_array(q1.reason, q2.reason, q3.reason) end as reasons,
              case when x.size_pct is null then 'C' when x.size_pct >= $8 then 'A' when x.size_pct >= $9 then 'B' else 'C' end as tier,
              srk.key as buying_stage,
              x.attractiveness::real as attractiveness, x.relationship::real as relationship,
              case when x.attractiveness >= $10 and x.relationship >= $11 then 'key'
                   when x.attractiveness >= $10 then 'development'
                   when x.relationship >= $11 then 'maintenance'
                   else 'opportunity' end as portfolio_type,
              case when x.price_orientation = 'price' then true
                   when x.price_orientation = 'quality' then false
                   else x.lost >= 2 and x.lost_price::float8 / x.lost >= 0.5 end as price_driven
         from axes x
              -- The ranks of the account's first, second and third reason, and those reasons.
              -- OFFSET 0 keeps each step a computed column: inlined, t3 would re-evaluate t2 and t1
              -- inside every one of its terms, and the reasons' CASE all three again.
              cross join lateral (select ${nextSmallest(ranks, null)} as t1 offset 0) t1
              cross join lateral (select t1.t1, ${nextSmallest(ranks, 't1.t1')} as t2 offset 0) t2
              cross join lateral (select t2.t1, t2.t2, ${nextSmallest(ranks, 't2.t2')} as t3 offset 0) t
              left join p q1 on q1.r = t.t1
              left join p q2 on q2.r = t.t2
              left join p q3 on q3.r = t.t3
              left join srk on srk.rank = x.open_rank
       offset 0),
     changed as (
       select f.* from fin f
        where f.stored is distinct from row(f.fit, f.reasons, f.tier, f.buying_stage, f.attractiveness, f.relationship, f.portfolio_type, f.price_driven))
     select id, fit, reasons, tier, buying_stage, attractiveness, relationship, portfolio_type, price_driven from changed`,
    axesParams(orgId, p),
  );
  const res = await q.query(
    `update accounts t set
       fit_score = c.fit, fit_reasons = c.reasons, tier = c.tier, buying_stage = c.buying_stage,
       attractiveness = c.attractiveness, relationship_score = c.relationship, portfolio_type = c.portfolio_type,
       price_driven = c.price_driven, scored_at = now()
     from accord_changed_accounts c
     where t.org_id = $1 and t.id = c.id`,
    [orgId],
  );
  return res.rowCount;
}

/** One account's axis components, computed by the same SQL as the update (for the "why" panel). */
export async function accountComponents(q: Q, orgId: string, accountId: string, customKeys: string[], p: ClassifyParams) {
  const { rows } = await q.query(
    `${axesSql(customKeys, p.settings)}
     select fit, potential, profitability, wallet, status_score, engagement, attractiveness, relationship,
            case when size_pct is null then 'C' when size_pct >= $8::float8 then 'A' when size_pct >= $9::float8 then 'B' else 'C' end as tier,
            attractiveness >= $10::float8 as high_attractiveness, relationship >= $11::float8 as high_relationship
       from axes where id = $13`,
    [...axesParams(orgId, p), accountId],
  );
  const r = rows[0] as Record<string, number | null> | undefined;
  return r
    ? {
        fit: r.fit === null ? null : Number(r.fit), potential: Number(r.potential), profitability: Number(r.profitability),
        shareOfWallet: Number(r.wallet), supplierStatus: Number(r.status_score), engagement: Number(r.engagement),
      }
    : null;
}

export interface ExampleRow {
  deal_id: string;
  won: boolean;
  stage: string;
  stage_rank: number;
  days: number;
  fit: number;
  coverage: number;
  engagement: number;
  amount: number;
}

/**
 * The closed deals as they stood in each stage they went through while open (from the stage history;
 * a deal without history contributes its final stage): one row per deal × stage, with everything but
 * the account's fit, which the recompute is still writing when this runs. A stage entered at or after
 * the close is not a state the deal was in while open but the outcome itself (a won deal moved to its
 * last stage when it was won, an import writing the final stage at the close): it is left out, or the
 * model learns "reached decision" from won deals only. Parameters: $1 org, $2 stage ranks (JSON), $3 most deals.
 */
export const SNAPSHOTS_SQL = `with sr as (select key, value::text::int as rank from jsonb_each($2::jsonb)),
     d0 as materialized (
       select o.id, o.account_id, o.status, o.buying_stage, o.stage_entered_at, coalesce(o.closed_at, o.updated_at) as ended,
              o.amount::float8 as amount, o.coverage_score
         from opportunities o
        where o.org_id = $1 and o.deleted_at is null and o.status in ('won', 'lost')),
     n as (select count(*)::float8 as n from d0),
     -- A long history is sampled by a hash of the deal id (repeatable): a few ten thousand deals
     -- pin down seven coefficients and a calibration table as well as all of them would.
     d as (
       select d0.* from d0, n
        where n.n <= $3 or (hashtext(d0.id::text)::bigint + 2147483648) % 1000000 < 1000000 * $3 / n.n),
     h as (
       select h.opportunity_id, h.to_stage, h.changed_at,
              lead(h.changed_at) over (partition by h.opportunity_id order by h.changed_at, h.id) as left_at
         from opportunity_stage_history h join d on d.id = h.opportunity_id
        where h.org_id = $1),
     snap as (
       select d.id, d.account_id, d.status, h.to_stage as stage, least(h.changed_at, d.ended) as entered, least(coalesce(h.left_at, d.ended), d.ended) as left_at, d.amount, d.coverage_score
         from d join h on h.opportunity_id = d.id
        where h.changed_at < d.ended
       union all
       select d.id, d.account_id, d.status, d.buying_stage, d.stage_entered_at, d.ended, d.amount, d.coverage_score
         from d where not exists (select 1 from h where h.opportunity_id = d.id) and d.stage_entered_at < d.ended)
     -- Engagement at each snapshot = the account's interactions in the 90 days before it left the
     -- stage: one range count per snapshot on the (account, occurred_at) index. A sample of 20k deals
     -- has ~70k snapshots; a sliding window instead would sort every interaction of the organization.
     select s.id as deal_id, s.account_id, s.status = 'won' as won, s.stage, coalesce(sr.rank, 1) as stage_rank, s.entered,
            -- Whole days, as the open deals' days in stage are counted.
            greatest(0, s.left_at::date - s.entered::date)::float8 as days,
            coalesce(s.coverage_score, 0)::float8 as coverage, coalesce(s.amount, 0) as amount,
            (select count(*) from interactions i
              where i.org_id = $1 and i.account_id = s.account_id and i.deleted_at is null
                and i.occurred_at >= s.left_at - interval '90 days' and i.occurred_at <= s.left_at)::int as engagement
       from snap s
       left join sr on sr.key = s.stage`;

/**
 * The snapshots in steps, so the costly part can run before the accounts' fit is committed: the
 * snapshots into a temporary table (dropped at the end of the transaction), read in training
 * order (stagedSnapshotRows), and their accounts' fit once it is there (stagedSnapshotFit).
 */
export async function stageSnapshots(q: Q, orgId: string, stageRanks: Record<string, number>, maxDeals = 20_000): Promise<void> {
  await q.query(`create temporary table accord_snapshots on commit drop as ${SNAPSHOTS_SQL}`, [orgId, JSON.stringify(stageRanks), maxDeals]);
}

/** A staged snapshot as read back: its account instead of its fit. */
export type SnapshotTuple = [deal_id: string, account_id: string, won: boolean, stage: string, stage_rank: number, days: number, coverage: number, engagement: number, amount: number];

/** Snapshots per JSON chunk in stagedSnapshotRows. */
const SNAPSHOT_CHUNK = 500;

/**
 * The staged snapshots (stageSnapshots, same transaction) in training order, SNAPSHOT_CHUNK to a
 * row as one JSON array of SnapshotTuples (`c`). Read a field at a time, 45k snapshots took
 * 0.7–1 s to come out of embedded PGlite (its protocol is parsed in JavaScript); one JSON text per
 * chunk is parsed natively. Numbers keep every digit (float8 prints its shortest exact form).
 */
export async function stagedSnapshotRows(q: Q): Promise<{ c: SnapshotTuple[] }[]> {
  const { rows } = await q.query(
    `select json_agg(json_build_array(deal_id, account_id, won, stage, stage_rank, days, coverage, engagement, amount) order by n) as c
       from (select s.*, row_number() over (order by s.deal_id, s.entered, s.stage, s.days) - 1 as n from accord_snapshots s) x
      group by n / ${SNAPSHOT_CHUNK}
      order by n / ${SNAPSHOT_CHUNK}`,
  );
  return rows as { c: SnapshotTuple[] }[];
}

/** The fit of the staged snapshots' accounts, as the one-piece query reads it. */
export async function stagedSnapshotFit(q: Q, orgId: string): Promise<Map<string, number>> {
  const { rows } = await q.query(
    `select a.id, coalesce(a.fit_score, 50)::float8 as fit
       from accounts a
      where a.org_id = $1 and a.id in (select account_id from accord_snapshots)`,
    [orgId],
  );
  return new Map((rows as { id: string; fit: number }[]).map((r) => [r.id, Number(r.fit)]));
}

/** An open deal's win-model inputs and its stored score, as read for scoring. */
export type OpenDealRow = Omit<ExampleRow, 'deal_id' | 'won'> & {
  id: string;
  win_probability: number | null;
  /**
   * The stored reasons as JSON text, parsed only when compared: parsed on reading, they were a few
   * more objects per deal kept alive until scoring (see OpenDeals in commands.ts).
   */
  win_reasons: string | null;
};

/**
 * Every open deal's feature values and stored score. The model is applied in TypeScript
 * (rules.scoreOpenDeal): the same arithmetic as SQL, but the reasons — the top three of six
 * contributions per deal — cost one sort over all deals × features there.
 */
export async function openDealRows(q: Q, orgId: string, stageRanks: Record<string, number>): Promise<OpenDealRow[]> {
  const { rows } = await q.query(
    `with sr as (select key, value::text::int as rank from jsonb_each($2::jsonb))
     select o.id, o.buying_stage as stage, coalesce(sr.rank, 1)::float8 as stage_rank,
            -- Whole days as of today: a recompute run again an hour later sees the same deal (the
            -- score moves when a day passes, not with every second).
            greatest(0, current_date - o.stage_entered_at::date)::float8 as days,
            coalesce(a.fit_score, 50)::float8 as fit, coalesce(o.coverage_score, 0)::float8 as coverage,
            coalesce(e.n, 0)::float8 as engagement, coalesce(o.amount::float8, 0) as amount,
            o.win_probability, o.win_reasons::text as win_reasons
       from opportunities o
       join accounts a on a.org_id = o.org_id and a.id = o.account_id
       left join sr on sr.key = o.buying_stage
       left join (select account_id, count(*) as n from interactions
                   where org_id = $1 and deleted_at is null and occurred_at >= current_date - 90
                   group by account_id) e on e.account_id = o.account_id
      where o.org_id = $1 and o.deleted_at is null and o.status = 'open'`,
    [orgId, JSON.stringify(stageRanks)],
  );
  return rows as OpenDealRow[];
}

/** Writes deals' new scores, a few thousand rows per statement. */
export async function writeDealScores(q: Q, orgId: string, scores: { id: string; p: number; reasons: unknown[] }[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < scores.length; i += 2_000) {
    const res = await q.query(
      `update opportunities o set win_probability = v.p, win_reasons = v.reasons, scored_at = now()
         from jsonb_to_recordset($2::jsonb) as v(id uuid, p real, reasons jsonb)
        where o.org_id = $1 and o.id = v.id and o.status = 'open'`,
      [orgId, JSON.stringify(scores.slice(i, i + 2_000))],
    );
    n += res.rowCount;
  }
  return n;
}

/** Fallback: every open deal gets its stage's base rate, and says so. */
export async function scoreOpenDealsByStage(q: Q, orgId: string, rates: Record<string, number>, why: string): Promise<number> {
  const res = await q.query(
    `with r as (select key, value::text::float8 as rate from jsonb_each($2::jsonb)),
     s as (
       select o.id, coalesce(r.rate, 0.1)::real as p,
              jsonb_build_array(
                jsonb_build_object('feature', 'stage', 'label',
                  'stage base rate for ' || replace(o.buying_stage, '_', ' ') || ': ' || round((coalesce(r.rate, 0.1) * 100)::numeric)::text || ' %', 'weight', 0),
                jsonb_build_object('feature', 'fallback', 'label', $3::text, 'weight', 0)) as reasons
         from opportunities o left join r on r.key = o.buying_stage
        where o.org_id = $1 and o.deleted_at is null and o.status = 'open')
     update opportunities o set win_probability = s.p, win_reasons = s.reasons, scored_at = now()
       from s
      where o.org_id = $1 and o.id = s.id and (o.win_probability, o.win_reasons) is distinct from (s.p, s.reasons)`,
    [orgId, JSON.stringify(rates), why],
  );
  return res.rowCount;
}

export async function storeModel(q: Q, orgId: string, kind: 'icp' | 'win_logistic' | 'win_stage_base', model: unknown, metrics: unknown, replaces: ('icp' | 'win_logistic' | 'win_stage_base')[] = [kind]) {
  await q.query(`update scoring_models set current = false where org_id = $1 and kind = any($2::text[]) and current`, [orgId, replaces]);
  const { rows } = await q.query(
    `insert into scoring_models (org_id, kind, model, metrics, current) values ($1, $2, $3::jsonb, $4::jsonb, true) returning id, trained_at`,
    [orgId, kind, JSON.stringify(model), JSON.stringify(metrics)],
  );
  return rows[0] as { id: string; trained_at: string };
}

export async function currentModel(q: Q, orgId: string, kinds: string[]) {
  const { rows } = await q.query(
    `select id, kind, trained_at as "trainedAt", model, metrics from scoring_models where org_id = $1 and kind = any($2::text[]) and current order by trained_at desc limit 1`,
    [orgId, kinds],
  );
  return (rows[0] ?? null) as { id: string; kind: string; trainedAt: string; model: Record<string, unknown>; metrics: Record<string, unknown> } | null;
}

const EVALUATION_STAT_TABLES = ['accounts', 'opportunities', 'opportunity_stage_history', 'interactions', 'orders'];

/** The aggregates below need fresh planner statistics after bulk loads (see analyzeStale); `also`: more tables checked in the same pass. */
export const refreshStatistics = (q: Q, orgId: string, also: readonly string[] = []) => analyzeStale(q, [...new Set([...EVALUATION_STAT_TABLES, ...also])], { orgId });
