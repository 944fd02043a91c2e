/**
 * "Problems resolved" (DOMAIN §8 integrity) from complaint handling, per account: the counts of
 * rules.ts classifyComplaint in one aggregate (the same rule in SQL; a test checks they agree), the level
 * from complaintHandling in JS. A derived signal shown beside the survey's engagement level, never mixed
 * into its score.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../kernel/db/index.ts';
import type { Placement } from '../surveys/rules.ts';
import { complaintHandling, emptyHandlingCounts, HANDLING_LEVELS, HANDLING_WINDOW_DAYS, type Handling, type HandlingCounts, type HandlingLevel } from './rules.ts';

const rows = <T>(r: unknown): T[] => (r as { rows: T[] }).rows;

const OPEN = sql`f.status in ('received', 'acknowledged', 'assessed', 'investigating', 'responded')`;
const OUTCOME = sql`coalesce(f.outcome, case when f.status in ('resolved', 'rejected') then f.status end)`;

type CountRow = { accountId: string; name: string; level: Placement | null; portfolio: string | null } & HandlingCounts;

/**
 * classifyComplaint and countsForHandling in SQL, per account (one aggregate over the organization's
 * complaints, or one account's), with the account's name, survey level and portfolio type.
 */
async function handlingCounts(db: DbOrTx, orgId: string, now: Date, accountId?: string): Promise<CountRow[]> {
  const at = now.toISOString();
  return rows<CountRow>(await db.execute(sql`
    with c as (
      select f.account_id,
             (count(*) filter (where ${OUTCOME} = 'resolved' and (f.due_at is null or f.resolved_at is null or f.resolved_at <= f.due_at)))::int as on_time,
             (count(*) filter (where ${OUTCOME} = 'resolved' and f.resolved_at > f.due_at))::int as late,
             (count(*) filter (where ${OUTCOME} = 'rejected'))::int as rejected,
             (count(*) filter (where ${OUTCOME} is null and f.status = 'closed'))::int as closed_unresolved,
             (count(*) filter (where ${OPEN} and not (f.paused_at is null and f.due_at is not null and f.due_at <= ${at}::timestamptz)))::int as open,
             (count(*) filter (where ${OPEN} and f.paused_at is null and f.due_at is not null and f.due_at <= ${at}::timestamptz))::int as open_overdue
        from feedback f
       where f.org_id = ${orgId} and f.deleted_at is null and f.status is not null and f.account_id is not null
         ${accountId ? sql`and f.account_id = ${accountId}` : sql``}
         and (${OPEN} or coalesce(f.received_at, f.occurred_at) >= ${at}::timestamptz - make_interval(days => ${HANDLING_WINDOW_DAYS}))
       group by f.account_id)
    select c.account_id as "accountId", a.name, e.level, a.portfolio_type as portfolio, c.on_time, c.late, c.rejected, c.closed_unresolved, c.open, c.open_overdue
      from c join accounts a on a.org_id = ${orgId} and a.id = c.account_id and a.deleted_at is null
      left join account_engagement e on e.org_id = ${orgId} and e.account_id = c.account_id`));
}

const countsOf = (r: CountRow): HandlingCounts => ({ on_time: r.on_time, late: r.late, rejected: r.rejected, closed_unresolved: r.closed_unresolved, open: r.open, open_overdue: r.open_overdue });

export type AccountHandling = Handling & { derived: true; windowDays: number; surveyLevel: Placement | null; keyAccount: boolean };

/** One account's handling next to its survey level (account page). */
export async function accountHandling(db: DbOrTx, orgId: string, accountId: string, now = new Date()): Promise<AccountHandling> {
  const [r] = await handlingCounts(db, orgId, now, accountId);
  let surveyLevel = r?.level ?? null;
  let portfolio = r?.portfolio ?? null;
  if (!r) {
    const [a] = rows<{ level: Placement | null; portfolio: string | null }>(await db.execute(sql`
      select e.level, a.portfolio_type as portfolio from accounts a left join account_engagement e on e.org_id = a.org_id and e.account_id = a.id
       where a.org_id = ${orgId} and a.id = ${accountId}`));
    surveyLevel = a?.level ?? null;
    portfolio = a?.portfolio ?? null;
  }
  return { ...complaintHandling(r ? countsOf(r) : emptyHandlingCounts(), surveyLevel), derived: true, windowDays: HANDLING_WINDOW_DAYS, surveyLevel, keyAccount: portfolio === 'key' };
}

const SURVEY_LEVELS = ['fully_engaged', 'engaged', 'not_engaged', 'actively_disengaged', null] as const;

/**
 * The engagement page's view: accounts per survey level (and not placed) × handling level, the accounts
 * whose survey and complaints disagree, and the key accounts with open overdue complaints.
 */
export async function handlingOverview(db: DbOrTx, orgId: string, now = new Date()) {
  const info = await handlingCounts(db, orgId, now);
  const grid = new Map<string, Record<HandlingLevel, number>>(SURVEY_LEVELS.map((l) => [String(l), Object.fromEntries(HANDLING_LEVELS.map((h) => [h, 0])) as Record<HandlingLevel, number>]));
  const conflicts: { accountId: string; name: string; surveyLevel: Placement; openOverdue: number; onTimeShare: number | null }[] = [];
  const keyOverdue: { accountId: string; name: string; openOverdue: number; surveyLevel: Placement | null }[] = [];
  for (const a of info) {
    const h = complaintHandling(countsOf(a), a.level);
    grid.get(String(a.level))![h.level]++;
    if (h.conflictsWithSurvey) conflicts.push({ accountId: a.accountId, name: a.name, surveyLevel: a.level!, openOverdue: h.counts.open_overdue, onTimeShare: h.onTimeShare });
    if (a.portfolio === 'key' && h.counts.open_overdue > 0) keyOverdue.push({ accountId: a.accountId, name: a.name, openOverdue: h.counts.open_overdue, surveyLevel: a.level });
  }
  const byName = (x: { name: string; accountId: string }, y: { name: string; accountId: string }) => x.name.localeCompare(y.name) || x.accountId.localeCompare(y.accountId);
  return {
    derived: true as const,
    windowDays: HANDLING_WINDOW_DAYS,
    rows: SURVEY_LEVELS.map((level) => ({ surveyLevel: level, ...grid.get(String(level))! })),
    conflicts: conflicts.sort(byName).slice(0, 50),
    keyAccountsOverdue: keyOverdue.sort((x, y) => y.openOverdue - x.openOverdue || byName(x, y)).slice(0, 50),
  };
}
