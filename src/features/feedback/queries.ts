/** Reads of the voice of the customer: the complaint board, SLA figures per month, a complaint's steps. */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/actor.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { businessMinutesBetween, COMPLAINT_STATUSES, isOpen, median, type ComplaintStatus } from './rules.ts';
import { loadServiceSettings } from './settings.ts';

const rows = <T>(r: unknown): T[] => (r as { rows: T[] }).rows;

type BoardRow = {
  id: string; status: ComplaintStatus; kind: string; channel: string; severity: string | null; text: string; accountId: string | null; accountName: string | null;
  personName: string | null; ownerId: string | null; ownerName: string | null; receivedAt: string | null; dueAt: string | null; paused: boolean; overdue: boolean; warned: boolean;
  n: number; late: number;
};

/**
 * Complaints by status, overdue first (then the nearest deadline), `limit` cards per column, with each
 * column's count and overdue count. Never sorts the organization's complaints: the counts are one
 * aggregate over the board index (migration 0022, index-only), the cards per status two index-ordered
 * top-N reads (the overdue ones, then the others), and only those cards are joined to their account and
 * owner. The single window query it replaces sorted every complaint (40k at 100k feedback items: 450 ms).
 */
export async function board(db: DbOrTx, actor: Actor, q: { accountId?: string; open?: boolean; limit?: number }) {
  const limit = q.limit ?? 50;
  const org = actor.orgId;
  const statuses = COMPLAINT_STATUSES.filter((st) => !q.open || isOpen(st));
  const scope = sql`f.org_id = ${org} and f.status is not null and f.deleted_at is null ${q.accountId ? sql`and f.account_id = ${q.accountId}` : sql``}`;
  const overdue = sql`(f.status in ('received', 'acknowledged', 'assessed', 'investigating', 'responded') and f.paused_at is null and f.due_at < now())`;
  const res = rows<BoardRow>(await db.execute(sql`
    with counts as (
      select f.status, count(*)::int as n, (count(*) filter (where ${overdue}))::int as late
        from feedback f where ${scope} and f.status in (select value from jsonb_array_elements_text(${JSON.stringify(statuses)}::jsonb)) group by f.status),
    cards as (
      select c.status, c.n, c.late, t.id, t.overdue, row_number() over (partition by c.status order by t.overdue desc, t.due_at asc nulls last, t.id) as rn
        from counts c cross join lateral (
          (select f.id, f.due_at, true as overdue from feedback f where ${scope} and f.status = c.status and ${overdue} order by f.due_at, f.id limit ${limit})
          union all
          (select f.id, f.due_at, false from feedback f where ${scope} and f.status = c.status and not coalesce(${overdue}, false) order by f.due_at asc nulls last, f.id limit ${limit})) t)
    select f.id, f.status, f.kind, f.channel, f.severity, left(f.text, 300) as text, f.account_id as "accountId", a.name as "accountName",
           f.person_name as "personName", f.owner_id as "ownerId", u.name as "ownerName", f.received_at as "receivedAt", f.due_at as "dueAt",
           (f.paused_at is not null) as paused, k.overdue, (f.warned_at is not null) as warned, k.n, k.late
      from cards k join feedback f on f.org_id = ${org} and f.id = k.id
      left join accounts a on a.org_id = f.org_id and a.id = f.account_id
      left join users u on u.org_id = f.org_id and u.id = f.owner_id
     where k.rn <= ${limit} order by k.rn`));
  const columns = COMPLAINT_STATUSES.filter((s) => !q.open || !['resolved', 'rejected', 'closed'].includes(s)).map((status) => {
    const items = res.filter((r) => r.status === status);
    return {
      status,
      count: items[0]?.n ?? 0,
      overdue: items[0]?.late ?? 0,
      items: items.map(({ n: _n, late: _l, ...r }) => ({ ...r, receivedAt: iso(r.receivedAt), dueAt: iso(r.dueAt) })),
    };
  });
  return { columns };
}

const iso = (v: string | null) => (v === null ? null : new Date(v).toISOString());

/**
 * SLA figures per month of receipt (organization time), the last `months` months: received, resolved
 * (or rejected), resolved on time (by the deadline), on-time %, breached, and the medians of business
 * hours to the first response (acknowledgement) and to the resolution.
 */
export async function slaFigures(db: DbOrTx, orgId: string, months: number) {
  const settings = await loadServiceSettings(db, orgId);
  const off = settings.utcOffsetMinutes;
  const r = rows<{ month: string; received: string; ack: string | null; resolved: string | null; due: string | null; breached: string | null }>(await db.execute(sql`
    select to_char(f.received_at + make_interval(mins => ${off}::int), 'YYYY-MM') as month, f.received_at::text as received, f.acknowledged_at::text as ack,
           f.resolved_at::text as resolved, f.due_at::text as due, f.breached_at::text as breached
      from feedback f
     where f.org_id = ${orgId} and f.status is not null and f.deleted_at is null and f.received_at is not null
       and f.received_at >= date_trunc('month', now() + make_interval(mins => ${off}::int)) - make_interval(months => ${months - 1}::int) - make_interval(mins => ${off}::int)
     order by 1`));
  const byMonth = new Map<string, typeof r>();
  for (const x of r) byMonth.set(x.month, [...(byMonth.get(x.month) ?? []), x]);
  const out = [];
  const now = new Date(Date.now() + off * 60_000);
  for (let i = months - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    const month = d.toISOString().slice(0, 7);
    const list = byMonth.get(month) ?? [];
    const done = list.filter((x) => x.resolved);
    const onTime = done.filter((x) => x.due && Date.parse(x.resolved!) <= Date.parse(x.due)).length;
    const hours = (a: string, b: string) => Math.round((businessMinutesBetween(new Date(a), new Date(b), settings) / 60) * 10) / 10;
    out.push({
      month,
      received: list.length,
      resolved: done.length,
      onTime,
      onTimePct: done.length ? Math.round((onTime / done.length) * 1000) / 10 : null,
      medianFirstResponseHours: median(list.filter((x) => x.ack).map((x) => hours(x.received, x.ack!))),
      medianResolutionHours: median(done.map((x) => hours(x.received, x.resolved!))),
      breached: list.filter((x) => x.breached).length,
    });
  }
  return { months: out };
}

export async function transitionsOf(db: DbOrTx, orgId: string, feedbackId: string) {
  return rows<{ id: string; fromStatus: string | null; toStatus: string; at: string; by: string | null; byName: string | null; note: string | null }>(await db.execute(sql`
    select t.id, t.from_status as "fromStatus", t.to_status as "toStatus", t.at, t.by, u.name as "byName", t.note
      from complaint_transitions t left join users u on u.org_id = t.org_id and u.id = t.by
     where t.org_id = ${orgId} and t.feedback_id = ${feedbackId} order by t.at, t.id`)).map((t) => ({ ...t, at: new Date(t.at).toISOString() }));
}

/**
 * Complaints and sentiment next to the accounts' engagement level (DOMAIN §8: integrity is "problems
 * resolved"): per level, the accounts with feedback or a level, their complaints, how many are open, how
 * many were resolved and how many of those on time, and net sentiment. One aggregate; accounts without
 * a measured level are one group (`level: null`).
 */
export async function complaintsByEngagement(db: DbOrTx, orgId: string) {
  const r = rows<{ level: string | null; accounts: number; feedback: number; complaints: number; open: number; resolved: number; onTime: number; positive: number; neutral: number; negative: number }>(await db.execute(sql`
    with per as (
      select f.account_id,
             count(*)::int as feedback,
             (count(*) filter (where f.kind in ('complaint', 'public_attack')))::int as complaints,
             (count(*) filter (where f.status in ('received', 'acknowledged', 'assessed', 'investigating', 'responded')))::int as open,
             (count(*) filter (where f.resolved_at is not null))::int as resolved,
             (count(*) filter (where f.resolved_at is not null and f.due_at is not null and f.resolved_at <= f.due_at))::int as on_time,
             (count(*) filter (where f.sentiment = 'positive'))::int as positive,
             (count(*) filter (where f.sentiment = 'neutral'))::int as neutral,
             (count(*) filter (where f.sentiment = 'negative'))::int as negative
        from feedback f where f.org_id = ${orgId} and f.deleted_at is null and f.account_id is not null
       group by f.account_id)
    select e.level, count(*)::int as accounts, coalesce(sum(p.feedback), 0)::int as feedback, coalesce(sum(p.complaints), 0)::int as complaints,
           coalesce(sum(p.open), 0)::int as open, coalesce(sum(p.resolved), 0)::int as resolved, coalesce(sum(p.on_time), 0)::int as "onTime",
           coalesce(sum(p.positive), 0)::int as positive, coalesce(sum(p.neutral), 0)::int as neutral, coalesce(sum(p.negative), 0)::int as negative
      from per p full join (select account_id, level from account_engagement where org_id = ${orgId} and level is not null) e on e.account_id = p.account_id
     group by e.level`));
  const order = ['fully_engaged', 'engaged', 'not_engaged', 'actively_disengaged', null] as const;
  return {
    levels: order.map((level) => {
      const x = r.find((y) => y.level === level) ?? { level, accounts: 0, feedback: 0, complaints: 0, open: 0, resolved: 0, onTime: 0, positive: 0, neutral: 0, negative: 0 };
      const scored = x.positive + x.neutral + x.negative;
      return {
        ...x,
        level,
        complaintsPerAccount: x.accounts ? Math.round((x.complaints / x.accounts) * 100) / 100 : null,
        onTimePct: x.resolved ? Math.round((x.onTime / x.resolved) * 1000) / 10 : null,
        net: scored ? Math.round(((x.positive - x.negative) / scored) * 100) / 100 : null,
      };
    }),
  };
}

/**
 * The complaints due in one month (organization time), by local due date: what falls due when, for a
 * calendar. Open ones are marked overdue when their clock runs past the deadline.
 */
export async function complaintCalendar(db: DbOrTx, actor: Actor, month: string, now = new Date()) {
  const off = (await loadServiceSettings(db, actor.orgId)).utcOffsetMinutes;
  const start = new Date(Date.parse(`${month}-01T00:00:00Z`) - off * 60_000);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const end = new Date(Date.UTC(y, m, 1) - off * 60_000);
  const list = rows<{ id: string; status: ComplaintStatus; kind: string; severity: string | null; text: string; accountName: string | null; personName: string | null; dueAt: string; paused: boolean; resolvedAt: string | null }>(await db.execute(sql`
    select f.id, f.status, f.kind, f.severity, left(f.text, 160) as text, a.name as "accountName", f.person_name as "personName", f.due_at as "dueAt",
           (f.paused_at is not null) as paused, f.resolved_at as "resolvedAt"
      from feedback f left join accounts a on a.org_id = f.org_id and a.id = f.account_id
     where f.org_id = ${actor.orgId} and f.status is not null and f.deleted_at is null
       and f.due_at >= ${start.toISOString()}::timestamptz and f.due_at < ${end.toISOString()}::timestamptz
     order by f.due_at, f.id limit 2000`));
  type Item = (typeof list)[number] & { resolvedAt: string | null; overdue: boolean; open: boolean };
  const days = new Map<string, Item[]>();
  for (const c of list) {
    const due = new Date(c.dueAt);
    const date = new Date(due.getTime() + off * 60_000).toISOString().slice(0, 10);
    const open = (['received', 'acknowledged', 'assessed', 'investigating', 'responded'] as string[]).includes(c.status);
    const item = { ...c, dueAt: due.toISOString(), resolvedAt: iso(c.resolvedAt), overdue: open && !c.paused && due.getTime() < now.getTime(), open };
    days.set(date, [...(days.get(date) ?? []), item]);
  }
  return { month, days: [...days.entries()].map(([date, items]) => ({ date, items })) };
}
