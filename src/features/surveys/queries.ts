import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../kernel/db/index.ts';
import {
  DEFAULT_ENGAGEMENT_SETTINGS, engagementSettings, engagementTrend, gapPercent, indexOf, PLACEMENTS, SEED, seedComparison, THIN_CELL, THIN_TOTAL, tooThin,
  type EngagementSettings, type Item, type Placement,
} from './rules.ts';
import { DEFAULT_ITEMS } from './items.ts';
import { METRICS } from './schemas.ts';

type Rows<T> = { rows: T[]; rowCount?: number | null };
const run = async <T = Record<string, unknown>>(db: DbOrTx, q: SQL) => (await db.execute(q)) as unknown as Rows<T>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function loadEngagementSettings(db: DbOrTx, orgId: string): Promise<EngagementSettings & { version: number }> {
  const { rows } = await run<{ s: unknown; v: unknown }>(db, sql`select settings->'engagement' as s, settings->'engagementVersion' as v from organizations where id = ${orgId}`);
  return { ...engagementSettings(rows[0]?.s), version: Number(rows[0]?.v ?? 0) };
}

/**
 * rules.placeRespondent over the stored scores of survey_answers `a`, as one SQL expression
 * (queries.test.ts checks both agree on random answers).
 */
export function placementSql(s: Pick<EngagementSettings, 'agree' | 'disagree' | 'rationalMin'>): SQL {
  const agree = sql`${s.agree}::float8`;
  const dis = sql`${s.disagree}::float8`;
  return sql`(case
    when a.confidence is null or a.integrity is null then null
    when a.confidence <= ${dis} or a.integrity <= ${dis} or a.emotional <= ${dis} then 'actively_disengaged'
    when a.rational is not null and a.rational < ${s.rationalMin}::float8 then 'not_engaged'
    when a.confidence >= ${agree} and a.integrity >= ${agree} and a.pride >= ${agree} and a.passion >= ${agree} then 'fully_engaged'
    when a.confidence >= ${agree} and a.integrity >= ${agree} then 'engaged'
    else 'not_engaged' end)`;
}

/** Best = 3 … worst = 0, as rules.PLACEMENT_POINTS. */
const points = (col: SQL) => sql`(array_position(array['actively_disengaged','not_engaged','engaged','fully_engaged']::text[], ${col}) - 1)`;

/**
 * The engagement roll-up (docs/engagement.md), set-based: every completed answer's placement under the
 * organization's thresholds, each account's weighted level and NPS from its respondents' latest answers,
 * an alert for each key/development account that dropped a level or lost `npsDrop` NPS points, the
 * stored roll-up and this month's snapshot. The same statements serve the recompute (the whole
 * organization) and a completed answer (one account). Runs inside the caller's transaction.
 *
 * Shape, for plans that stay proportional at 100k accounts / 300k answers:
 * - The respondents' latest answers go into a temporary table that is ANALYZEd before anything joins
 *   it. Inside one CTE the planner guessed 200 respondents (the default for a DISTINCT it has no
 *   statistics for, as right after a bulk load) and joined the memberships by nested loop: the demo's
 *   100k accounts were still in that one statement after 5 min 50 s, when it was stopped.
 * - Memberships are read joined to those respondents at their answer's account, roles unnested and the
 *   role weights hash-joined: no correlated subquery per membership.
 * - Only what changed is written: the new roll-up is compared with the stored one (and this month's
 *   snapshot) by hash joins, and only differing rows reach the upserts, so a recompute with no new
 *   answers writes nothing and costs a few reads.
 */
export async function rollUpEngagement(db: DbOrTx, orgId: string, opts: { accountId?: string; settings?: EngagementSettings } = {}) {
  const s = opts.settings ?? (await loadEngagementSettings(db, orgId));
  const acc = (col: SQL) => (opts.accountId ? sql`and ${col} = ${opts.accountId}` : sql``);
  const place = placementSql(s);
  const placed = await run(
    db,
    sql`update survey_answers a set placement = ${place}
         where a.org_id = ${orgId} and a.completed_at is not null ${acc(sql`a.account_id`)} and a.placement is distinct from ${place}`,
  );
  const weights = JSON.stringify(s.roleWeights);
  const other = s.roleWeights.other ?? 1;
  await run(db, sql`drop table if exists accord_engagement_latest`);
  await run(db, sql`drop table if exists accord_engagement_new`);
  await run(
    db,
    sql`create temporary table accord_engagement_latest on commit drop as
       select distinct on (a.contact_id) a.contact_id, a.account_id, a.placement, a.recommend, a.completed_at
         from survey_answers a
         join accounts ac on ac.org_id = a.org_id and ac.id = a.account_id and ac.deleted_at is null
        where a.org_id = ${orgId} and a.completed_at is not null and a.account_id is not null ${acc(sql`a.account_id`)}
          and a.completed_at >= now() - make_interval(days => ${s.windowDays}::int)
        order by a.contact_id, a.completed_at desc, a.id desc`,
  );
  // One account's few rows need no statistics (and its plans are index lookups either way).
  if (!opts.accountId) await run(db, sql`analyze accord_engagement_latest`);
  await run(
    db,
    sql`create temporary table accord_engagement_new on commit drop as
     with rw as (select key, value::float8 as w from jsonb_each_text(${weights}::jsonb)),
     member as (
       -- A respondent's weight: over the buying centers of their answer's account's deals, the heaviest role × influence / 3.
       select m.contact_id, max(coalesce(rw.w, ${other}::float8) * m.influence / 3.0) as w
         from accord_engagement_latest l
         join buying_center_members m on m.org_id = ${orgId} and m.contact_id = l.contact_id and m.deleted_at is null
         join opportunities o on o.org_id = ${orgId} and o.id = m.opportunity_id and o.account_id = l.account_id and o.deleted_at is null
         left join lateral unnest(m.roles) r(role) on true
         left join rw on rw.key = r.role
        group by m.contact_id),
     scored as (
       select l.*, coalesce(mb.w, ${other}::float8) as w, ${points(sql`l.placement`)} as pts
         from accord_engagement_latest l left join member mb on mb.contact_id = l.contact_id),
     agg as (
       select account_id,
              (count(*) filter (where placement is not null and w > 0))::int as respondents,
              round((sum(w * pts) filter (where placement is not null and w > 0) / nullif(sum(w) filter (where placement is not null and w > 0), 0))::numeric, 2)::float8 as score,
              (count(recommend))::int as nps_answers,
              (count(*) filter (where recommend >= 9))::int as promoters,
              (count(*) filter (where recommend <= 6))::int as detractors,
              max(completed_at) as last_answer_at
         from scored group by account_id)
     -- Level and NPS in the same statement (levelOfScore and npsOf in rules.ts).
     select agg.*,
            case when score is null then null when score >= 2.5 then 'fully_engaged' when score >= 1.5 then 'engaged' when score >= 0.5 then 'not_engaged' else 'actively_disengaged' end::text as level,
            case when nps_answers > 0 then round((1000.0 * (promoters - detractors) / nps_answers)::numeric)::float8 / 10 end as nps
       from agg`,
  );
  if (!opts.accountId) await run(db, sql`analyze accord_engagement_new`);
  // The accounts whose stored roll-up differs (a hash join over both), the only ones written below.
  const changed = sql`(select n.* from accord_engagement_new n
      left join account_engagement e on e.org_id = ${orgId} and e.account_id = n.account_id
     where e.account_id is null
        or (e.level, e.score, e.respondents, e.nps, e.nps_answers, e.last_answer_at)
           is distinct from (n.level, n.score::real, n.respondents, n.nps::real, n.nps_answers, n.last_answer_at))`;
  const alerted = await run(
    db,
    sql`insert into alerts (org_id, kind, severity, account_id, user_id, data)
        select ${orgId}, k.kind, case when n.level = 'actively_disengaged' then 'critical' else 'warning' end, n.account_id, ac.owner_id,
               jsonb_build_object('from', k.f, 'to', k.t, 'fromLevel', o.level, 'toLevel', n.level, 'fromNps', o.nps, 'toNps', n.nps, 'respondents', n.respondents,
                                  'accountName', ac.name, 'portfolioType', ac.portfolio_type)
          from ${changed} n
          join account_engagement o on o.org_id = ${orgId} and o.account_id = n.account_id
          join accounts ac on ac.org_id = ${orgId} and ac.id = n.account_id and ac.deleted_at is null and ac.portfolio_type in ('key', 'development')
          cross join lateral (values
            ('engagement_level_drop', o.level is not null and n.level is not null and ${points(sql`n.level`)} < ${points(sql`o.level`)}, to_jsonb(o.level), to_jsonb(n.level)),
            ('nps_drop', o.nps is not null and n.nps is not null and o.nps - n.nps >= ${s.npsDrop}::float8, to_jsonb(o.nps), to_jsonb(n.nps))) k(kind, hit, f, t)
         where k.hit`,
  );
  const upserted = await run(
    db,
    sql`insert into account_engagement as e (org_id, account_id, level, score, respondents, nps, nps_answers, promoters, detractors, last_answer_at, computed_at)
        select ${orgId}, account_id, level, score, respondents, nps, nps_answers, promoters, detractors, last_answer_at, now() from ${changed} c
        on conflict (org_id, account_id) do update set
          previous_level = e.level, previous_score = e.score, previous_nps = e.nps,
          level = excluded.level, score = excluded.score, respondents = excluded.respondents, nps = excluded.nps, nps_answers = excluded.nps_answers,
          promoters = excluded.promoters, detractors = excluded.detractors, last_answer_at = excluded.last_answer_at, computed_at = now()`,
  );
  // Accounts whose answers all left the window (or were erased) have no level any more.
  await run(
    db,
    sql`delete from account_engagement e where e.org_id = ${orgId} ${acc(sql`e.account_id`)}
          and not exists (select 1 from accord_engagement_new n where n.account_id = e.account_id)`,
  );
  await run(
    db,
    sql`insert into engagement_snapshots as x (org_id, account_id, period, level, score, nps, respondents)
        select ${orgId}, n.account_id, date_trunc('month', now())::date, n.level, n.score, n.nps, n.respondents
          from accord_engagement_new n
          left join engagement_snapshots p on p.org_id = ${orgId} and p.account_id = n.account_id and p.period = date_trunc('month', now())::date
         where p.account_id is null or (p.level, p.score, p.nps, p.respondents) is distinct from (n.level, n.score::real, n.nps::real, n.respondents)
        on conflict (org_id, account_id, period) do update set level = excluded.level, score = excluded.score, nps = excluded.nps, respondents = excluded.respondents`,
  );
  await run(db, sql`drop table if exists accord_engagement_new`);
  await run(db, sql`drop table if exists accord_engagement_latest`);
  return { placed: placed.rowCount ?? 0, accounts: upserted.rowCount ?? 0, alerts: alerted.rowCount ?? 0 };
}

/** One account's engagement card: the stored roll-up, its monthly snapshots and the latest answers. */
export async function accountEngagementCard(db: DbOrTx, orgId: string, accountId: string) {
  const s = await loadEngagementSettings(db, orgId);
  const [{ rows: cur }, { rows: snaps }, { rows: answers }] = [
    await run<Record<string, unknown>>(db, sql`select * from account_engagement where org_id = ${orgId} and account_id = ${accountId}`),
    await run<Record<string, unknown>>(
      db,
      sql`select period::text as period, level, score, nps, respondents from engagement_snapshots where org_id = ${orgId} and account_id = ${accountId} order by period desc limit 24`,
    ),
    await run<Record<string, unknown>>(
      db,
      sql`select a.id, a.contact_id, c.full_name, a.placement, a.recommend, a.completed_at, a.comment, a.source
            from survey_answers a join contacts c on c.org_id = a.org_id and c.id = a.contact_id
           where a.org_id = ${orgId} and a.account_id = ${accountId} and a.completed_at is not null
           order by a.completed_at desc, a.id desc limit 20`,
    ),
  ];
  const e = cur[0];
  const score = num(e?.score);
  const previousScore = num(e?.previous_score);
  return {
    level: (e?.level as Placement | null) ?? null,
    score,
    respondents: Number(e?.respondents ?? 0),
    tooFew: Number(e?.respondents ?? 0) < s.minRespondents,
    minRespondents: s.minRespondents,
    nps: num(e?.nps),
    npsAnswers: Number(e?.nps_answers ?? 0),
    promoters: Number(e?.promoters ?? 0),
    detractors: Number(e?.detractors ?? 0),
    previousLevel: (e?.previous_level as Placement | null) ?? null,
    previousScore,
    previousNps: num(e?.previous_nps),
    trend: engagementTrend(previousScore, score),
    computedAt: (e?.computed_at as string | null) ?? null,
    lastAnswerAt: (e?.last_answer_at as string | null) ?? null,
    snapshots: snaps.reverse().map((r) => ({ period: String(r.period), level: (r.level as Placement | null) ?? null, score: num(r.score), nps: num(r.nps), respondents: Number(r.respondents) })),
    answers: answers.map((r) => ({
      id: r.id as string, contactId: r.contact_id as string, contactName: r.full_name as string, placement: (r.placement as Placement | null) ?? null,
      recommend: num(r.recommend), completedAt: (r.completed_at as string | null) ?? null, comment: (r.comment as string | null) ?? null, source: r.source as 'link' | 'import',
    })),
  };
}

/**
 * The seed's analysis on the organization's own accounts: per engagement level, the accounts' average
 * share of wallet, revenue growth, order value and relationship growth, each as an index of the
 * organization's average (docs/engagement.md says how each is measured).
 */
export async function engagementAnalysis(db: DbOrTx, orgId: string, segment?: SQL) {
  const { rows } = await run<Record<string, unknown>>(
    db,
    sql`with eng as (
       select e.account_id, e.level from account_engagement e
        where e.org_id = ${orgId} and e.level is not null ${segment ? sql`and e.account_id in ${segment}` : sql``}),
     base as (select base_currency from organizations where id = ${orgId}),
     ord as (
       select o.account_id,
              sum(o.amount_base) filter (where o.ordered_at > current_date - 365)::float8 as cur,
              sum(o.amount_base) filter (where o.ordered_at <= current_date - 365 and o.ordered_at > current_date - 730)::float8 as prev,
              avg(o.amount_base) filter (where o.ordered_at > current_date - 365)::float8 as avg_order
         from orders o
        where o.org_id = ${orgId} and o.deleted_at is null and o.status <> 'cancelled' and o.account_id in (select account_id from eng)
        group by o.account_id),
     lv as (select vocabulary, key, (meta->>'level')::float8 as level from vocab_terms
             where org_id = ${orgId} and vocabulary in ('supplier_status', 'relationship_depth') and meta ? 'level'),
     moved as (
       select h.account_id, sum(coalesce(lt.level, 0) - coalesce(lf.level, 0)) as change
         from account_status_history h
         left join lv lf on lf.vocabulary = h.field and lf.key = h.from_value
         left join lv lt on lt.vocabulary = h.field and lt.key = h.to_value
        where h.org_id = ${orgId} and h.changed_at >= now() - interval '365 days' and h.account_id in (select account_id from eng)
        group by h.account_id),
     per as (
       select e.level,
              case when a.total_annual_demand > 0 and (a.demand_currency is null or a.demand_currency = (select base_currency from base))
                   then least(1, coalesce(ord.cur, 0) / a.total_annual_demand::float8) end as wallet,
              coalesce(ord.cur, 0) as revenue,
              case when ord.prev > 0 then coalesce(ord.cur, 0) / ord.prev end as growth,
              ord.avg_order as order_value,
              case when coalesce(ss.level, 0) + coalesce(rd.level, 0) - coalesce(mv.change, 0) > 0
                   then (coalesce(ss.level, 0) + coalesce(rd.level, 0)) / (coalesce(ss.level, 0) + coalesce(rd.level, 0) - coalesce(mv.change, 0)) end as relationship
         from eng e
         join accounts a on a.org_id = ${orgId} and a.id = e.account_id and a.deleted_at is null
         left join ord on ord.account_id = e.account_id
         left join moved mv on mv.account_id = e.account_id
         left join lv ss on ss.vocabulary = 'supplier_status' and ss.key = a.supplier_status
         left join lv rd on rd.vocabulary = 'relationship_depth' and rd.key = a.relationship_depth)
     select level, count(*)::int as n,
            avg(wallet) as wallet, count(wallet)::int as wallet_n,
            avg(revenue) as revenue, count(revenue)::int as revenue_n,
            avg(growth) as growth, count(growth)::int as growth_n,
            avg(order_value) as order_value, count(order_value)::int as order_value_n,
            avg(relationship) as relationship, count(relationship)::int as relationship_n
       from per group by rollup(level)`,
  );
  const { rows: npsRows } = await run<Record<string, unknown>>(
    db,
    sql`select coalesce(sum(nps_answers), 0)::int as n, coalesce(sum(promoters), 0)::int as p, coalesce(sum(detractors), 0)::int as d, count(*)::int as accounts
          from account_engagement e where e.org_id = ${orgId} ${segment ? sql`and e.account_id in ${segment}` : sql``}`,
  );
  const byLevel = new Map(rows.map((r) => [(r.level as string | null) ?? '*', r]));
  const org = byLevel.get('*');
  const distribution = Object.fromEntries(PLACEMENTS.map((p) => [p, Number(byLevel.get(p)?.n ?? 0)])) as Record<Placement, number>;
  const cols: Record<(typeof METRICS)[number], string> = { shareOfWallet: 'wallet', revenue: 'revenue', revenueGrowth: 'growth', orderValue: 'order_value', relationshipGrowth: 'relationship' };
  const thin = tooThin(distribution);
  const metrics = Object.fromEntries(
    METRICS.map((m) => {
      const c = cols[m];
      const orgAvg = num(org?.[c]);
      const levels = Object.fromEntries(
        PLACEMENTS.map((p) => {
          const r = byLevel.get(p);
          const n = Number(r?.[`${c}_n`] ?? 0);
          const avg = num(r?.[c]);
          return [p, { average: avg === null ? null : Math.round(avg * 10_000) / 10_000, index: indexOf(avg, orgAvg), n, thin: n < THIN_CELL }];
        }),
      ) as Record<Placement, { average: number | null; index: number | null; n: number; thin: boolean }>;
      return [m, {
        org: { average: orgAvg === null ? null : Math.round(orgAvg * 10_000) / 10_000, n: Number(org?.[`${c}_n`] ?? 0) }, levels,
        gapPercent: gapPercent(levels.fully_engaged.average, levels.actively_disengaged.average),
        seed: seedComparison(levels.fully_engaged, levels.actively_disengaged, thin),
      }];
    }),
  );
  const t = npsRows[0]!;
  const n = Number(t.n);
  const p = Number(t.p);
  const d = Number(t.d);
  return {
    placed: Number(org?.n ?? 0),
    accountsWithAnswers: Number(t.accounts),
    tooThin: thin,
    nps: { nps: n ? Math.round(((p - d) / n) * 1000) / 10 : null, n, promoters: p, passives: n - p - d, detractors: d },
    distribution,
    metrics: metrics as never,
    thinCell: THIN_CELL,
    thinTotal: THIN_TOTAL,
    seed: { fullyEngaged: SEED.fullyEngaged, activelyDisengaged: SEED.activelyDisengaged, gap: [...SEED.gap] },
  };
}

export { DEFAULT_ENGAGEMENT_SETTINGS };

export const NPS_BY = ['needType', 'portfolioType', 'owner', 'month'] as const;
export type NpsBy = (typeof NPS_BY)[number];

/**
 * NPS with its counts by need type, portfolio type or account owner (each respondent's latest answer in
 * the window, as the roll-up counts them), or by month of answer (every completed answer: NPS over time).
 */
export async function npsBreakdown(db: DbOrTx, orgId: string, by: NpsBy) {
  const s = await loadEngagementSettings(db, orgId);
  const group = { needType: sql`a.need_type`, portfolioType: sql`a.portfolio_type`, owner: sql`a.owner_id::text`, month: sql`to_char(x.completed_at at time zone 'UTC', 'YYYY-MM')` }[by];
  const label = by === 'owner' ? sql`(select u.name from users u where u.org_id = ${orgId} and u.id::text = g.k)` : sql`null::text`;
  const source =
    by === 'month'
      ? sql`select x.recommend, x.account_id, x.completed_at from survey_answers x
             where x.org_id = ${orgId} and x.completed_at is not null and x.recommend is not null and x.completed_at >= now() - interval '24 months'`
      : sql`select distinct on (x.contact_id) x.recommend, x.account_id, x.completed_at from survey_answers x
             where x.org_id = ${orgId} and x.completed_at is not null and x.completed_at >= now() - make_interval(days => ${s.windowDays}::int)
             order by x.contact_id, x.completed_at desc, x.id desc`;
  const { rows } = await run<Record<string, unknown>>(
    db,
    sql`with x as (${source}),
         g as (select ${group} as k, count(*)::int as n, (count(*) filter (where x.recommend >= 9))::int as p, (count(*) filter (where x.recommend <= 6))::int as d
                 from x join accounts a on a.org_id = ${orgId} and a.id = x.account_id and a.deleted_at is null
                where x.recommend is not null group by 1)
        select g.k, ${label} as label, g.n, g.p, g.d from g order by ${by === 'month' ? sql`g.k` : sql`g.n desc, g.k`} nulls last`,
  );
  return rows.map((r) => {
    const n = Number(r.n);
    const p = Number(r.p);
    const d = Number(r.d);
    return { key: (r.k as string | null) ?? null, label: (r.label as string | null) ?? null, n, promoters: p, passives: n - p - d, detractors: d, nps: n ? Math.round(((p - d) / n) * 1000) / 10 : null };
  });
}

/**
 * The questionnaire survey results are imported against (features/imports): the items of the named
 * survey's version (its current one unless `version` is given) with the survey, or — without a survey —
 * the organization's item bank. Null when the survey or version is not the organization's.
 */
export async function importQuestionnaire(db: DbOrTx, orgId: string, surveyId?: string, version?: number):
  Promise<{ items: Item[]; survey?: { id: string; versionId: string; name: string; version: number } } | null> {
  if (!surveyId) {
    const { rows } = await run<{ items: unknown }>(db, sql`select settings->'surveyItems'->'items' as items from organizations where id = ${orgId}`);
    const items = rows[0]?.items;
    return { items: Array.isArray(items) ? (items as Item[]) : DEFAULT_ITEMS };
  }
  const { rows } = await run<{ id: string; name: string; version_id: string; number: number; items: Item[] }>(
    db,
    sql`select s.id, s.name, v.id as version_id, v.number, v.items from surveys s
          join survey_versions v on v.org_id = s.org_id and v.survey_id = s.id
         where s.org_id = ${orgId} and s.id = ${surveyId} and s.deleted_at is null
           and ${version === undefined ? sql`v.id = s.current_version_id` : sql`v.number = ${version}`}`,
  );
  const r = rows[0];
  return r ? { items: r.items, survey: { id: r.id, versionId: r.version_id, name: r.name, version: Number(r.number) } } : null;
}
