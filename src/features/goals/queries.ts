import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../kernel/db/index.ts';

/** Which deals a count looks at: by owner, by the owner's team, by account segment. */
export interface DealScope {
  userId?: string | null;
  /** Only deals with a line of this product line (a key of the product_line vocabulary). */
  productLine?: string | null;
  team?: string | null;
  /** subquery of account ids (see segment-filter.ts) */
  segment?: SQL | null;
}

export interface Window {
  /** inclusive, YYYY-MM-DD (UTC day) */
  from: string;
  /** inclusive, YYYY-MM-DD (UTC day) */
  to: string;
}

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString();
const startOf = (d: string) => `${d}T00:00:00.000Z`;

async function rows<T>(db: DbOrTx, q: SQL): Promise<T[]> {
  const r = (await db.execute(q)) as unknown as { rows: T[] };
  return r.rows;
}

/**
 * Common table expressions every stage count builds on:
 *  stage_rank — the organization's buying stages with their rank (meta.rank, else position);
 *  scoped     — live deals of live accounts inside the scope;
 *  first_reach — per deal and stage X, the first moment the deal was at X or beyond
 *                (min changed_at over history rows whose to_stage rank ≥ rank(X)).
 * A deal that goes back and forth keeps one first_reach per stage, so it can count only once, and
 * only in the period it first got there.
 */
export function reachCtes(orgId: string, scope: DealScope): SQL {
  const conds: SQL[] = [sql`o.org_id = ${orgId}`, sql`o.deleted_at is null`];
  if (scope.userId) conds.push(sql`o.owner_id = ${scope.userId}`);
  if (scope.team) conds.push(sql`u.team = ${scope.team}`);
  if (scope.segment) conds.push(sql`o.account_id in ${scope.segment}`);
  // A product line (issue #16): the deals that carry a line of one of its products.
  if (scope.productLine) {
    conds.push(sql`o.id in (select l.opportunity_id from opportunity_lines l join products p on p.org_id = l.org_id and p.id = l.product_id
      where l.org_id = ${orgId} and p.product_line = ${scope.productLine})`);
  }
  return sql`
    stage_rank as (
      select key as stage, coalesce((meta->>'rank')::int, position::int) as rank
      from vocab_terms where org_id = ${orgId} and vocabulary = 'buying_stage'
    ),
    scoped as materialized (
      select o.id, o.account_id, o.name, o.owner_id, o.status, o.buying_stage, o.stage_entered_at, o.win_probability, o.closed_at
      from opportunities o
      join accounts a on a.org_id = o.org_id and a.id = o.account_id and a.deleted_at is null
      left join users u on u.org_id = o.org_id and u.id = o.owner_id
      where ${sql.join(conds, sql` and `)}
    ),
    -- A stage entry written after the deal closed (an import, an edit of a closed deal) counts at the close.
    hist as materialized (
      select h.opportunity_id, case when s.status <> 'open' and s.closed_at is not null then least(h.changed_at, s.closed_at) else h.changed_at end as changed_at,
        r.rank, h.to_stage
      from opportunity_stage_history h
      join scoped s on s.id = h.opportunity_id
      join stage_rank r on r.stage = h.to_stage
      where h.org_id = ${orgId}
    ),
    deal_rank as materialized (select opportunity_id, rank, min(changed_at) as first_at from hist group by opportunity_id, rank),
    first_reach as materialized (
      select s.stage, s.rank as stage_rank, d.opportunity_id, min(d.first_at) as reached_at
      from stage_rank s join deal_rank d on d.rank >= s.rank
      group by s.stage, s.rank, d.opportunity_id
    )`;
}

export interface StageReach {
  stage: string;
  rank: number;
  reached: number;
  /** deals (not accounts) whose first reach of this stage fell in the window and that have since reached the next stage */
  dealsReached: number;
  dealsAdvanced: number;
}

/** Distinct accounts per stage reaching it in the window — one query for all stages. */
export async function reachCounts(db: DbOrTx, orgId: string, scope: DealScope, w: Window): Promise<StageReach[]> {
  return rows<StageReach>(
    db,
    sql`with ${reachCtes(orgId, scope)},
    in_window as (
      select f.stage, f.stage_rank, f.opportunity_id, s.account_id
      from first_reach f join scoped s on s.id = f.opportunity_id
      where f.reached_at >= ${startOf(w.from)}::timestamptz and f.reached_at < ${nextDay(w.to)}::timestamptz
    ),
    next_rank as (select r.stage, (select min(r2.rank) from stage_rank r2 where r2.rank > r.rank) as next from stage_rank r),
    -- a deal has advanced when it has a first reach of the next rank at all (any time up to now)
    adv as (
      select i.stage, i.opportunity_id from in_window i
      join next_rank nr on nr.stage = i.stage
      join first_reach f2 on f2.opportunity_id = i.opportunity_id and f2.stage_rank = nr.next
    )
    select r.stage, r.rank,
      count(distinct i.account_id)::int as reached,
      count(distinct i.opportunity_id)::int as "dealsReached",
      (select count(distinct a.opportunity_id) from adv a where a.stage = r.stage)::int as "dealsAdvanced"
    from stage_rank r
    left join in_window i on i.stage = r.stage
    group by r.stage, r.rank
    order by r.rank`,
  );
}

export interface CountedAccount {
  stage: string;
  accountId: string;
  accountName: string;
  opportunityId: string;
  opportunityName: string;
  reachedAt: string;
  skipped: boolean;
}

/** The accounts behind each count (first `limit` per stage, earliest first). */
export async function countedAccounts(db: DbOrTx, orgId: string, scope: DealScope, w: Window, limit = 100): Promise<CountedAccount[]> {
  return rows<CountedAccount>(
    db,
    sql`with ${reachCtes(orgId, scope)},
    entered as (select distinct opportunity_id, to_stage from hist),
    firsts as (
      select distinct on (f.stage, s.account_id) f.stage, s.account_id, s.id as opportunity_id, s.name as opportunity_name, f.reached_at,
        e.opportunity_id is null as skipped
      from first_reach f join scoped s on s.id = f.opportunity_id
      left join entered e on e.opportunity_id = f.opportunity_id and e.to_stage = f.stage
      where f.reached_at >= ${startOf(w.from)}::timestamptz and f.reached_at < ${nextDay(w.to)}::timestamptz
      order by f.stage, s.account_id, f.reached_at
    ),
    ranked as (select x.*, row_number() over (partition by x.stage order by x.reached_at, x.account_id) as n from firsts x)
    select r.stage, r.account_id as "accountId", a.name as "accountName", r.opportunity_id as "opportunityId",
      r.opportunity_name as "opportunityName", r.reached_at::text as "reachedAt", r.skipped
    from ranked r join accounts a on a.org_id = ${orgId} and a.id = r.account_id
    where r.n <= ${limit}
    order by r.stage, r.reached_at`,
  );
}

export interface NextStepDeal {
  stage: string;
  opportunityId: string;
  opportunityName: string;
  accountId: string;
  accountName: string;
  ownerId: string | null;
  currentStage: string;
  stageEnteredAt: string;
  winProbability: number | null;
  criteriaDone: number;
  criteriaTotal: number;
}

/**
 * "The few calls that make the month": for each stage X, open deals sitting one step before X whose
 * account has not counted for X in the window; ranked by win probability (when scored), then by how much
 * of the current stage's exit checklist is done, then by how long they have waited.
 */
export async function closestToNextStep(db: DbOrTx, orgId: string, scope: DealScope, w: Window, limit = 10): Promise<NextStepDeal[]> {
  return rows<NextStepDeal>(
    db,
    sql`with ${reachCtes(orgId, scope)},
    counted as (
      select distinct f.stage, s.account_id from first_reach f join scoped s on s.id = f.opportunity_id
      where f.reached_at >= ${startOf(w.from)}::timestamptz and f.reached_at < ${nextDay(w.to)}::timestamptz
    ),
    prev as (
      select r.stage as target, (select r2.stage from stage_rank r2 where r2.rank < r.rank order by r2.rank desc limit 1) as before
      from stage_rank r
    ),
    crit as (
      select c.stage, s.id as opportunity_id, count(*)::int as total, count(k.criterion_id)::int as done
      from scoped s
      join stage_exit_criteria c on c.org_id = ${orgId} and c.stage = s.buying_stage and c.active and c.deleted_at is null
      left join opportunity_criteria_checks k on k.org_id = ${orgId} and k.opportunity_id = s.id and k.criterion_id = c.id
      group by c.stage, s.id
    ),
    cand as (
      select p.target as stage, s.id, s.name, s.account_id, s.owner_id, s.buying_stage, s.stage_entered_at, s.win_probability,
        coalesce(c.done, 0) as done, coalesce(c.total, 0) as total,
        row_number() over (
          partition by p.target
          order by s.win_probability desc nulls last,
            case when coalesce(c.total, 0) = 0 then 0 else c.done::float / c.total end desc,
            s.stage_entered_at
        ) as n
      from prev p
      join scoped s on s.buying_stage = p.before and s.status = 'open'
      left join crit c on c.opportunity_id = s.id
      where not exists (select 1 from counted k where k.stage = p.target and k.account_id = s.account_id)
    )
    select c.stage, c.id as "opportunityId", c.name as "opportunityName", c.account_id as "accountId", a.name as "accountName",
      c.owner_id as "ownerId", c.buying_stage as "currentStage", c.stage_entered_at::text as "stageEnteredAt",
      c.win_probability as "winProbability", c.done as "criteriaDone", c.total as "criteriaTotal"
    from cand c join accounts a on a.org_id = ${orgId} and a.id = c.account_id
    where c.n <= ${limit}
    order by c.stage, c.n`,
  );
}
