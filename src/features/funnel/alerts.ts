import { and, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { accounts, alerts, users } from '../../db/schema/index.ts';
import { requireWriter, type Actor } from '../../kernel/actor.ts';
import { audit } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { notFound } from '../../kernel/errors.ts';

export const alert = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    severity: z.enum(['info', 'warning', 'critical']),
    accountId: z.uuid().nullable(),
    accountName: z.string().nullable(),
    opportunityId: z.uuid().nullable(),
    userId: z.uuid().nullable(),
    data: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    acknowledgedAt: z.string().nullable(),
    acknowledgedBy: z.uuid().nullable(),
  })
  .meta({ id: 'Alert' });
export type Alert = z.infer<typeof alert>;

/** Falls older than this are history, not alarms: the backfill leaves them out. */
const BACKFILL_DAYS = 180;

/**
 * Raises one alert per fall in account_status_history — a lower meta.level in the organization's vocabulary,
 * e.g. preferred → passively phased out (supplier status: warning, critical when phased out; relationship
 * depth: info). Set-based and idempotent (an alert remembers its history row), so the same statement serves
 * the account write (one account) and the backfill of histories written in bulk (imports, demo data).
 */
export async function raiseStatusFallAlerts(tx: DbOrTx, orgId: string, opts: { accountId?: string; sinceDays?: number } = {}): Promise<number> {
  const res = (await tx.execute(sql`
    insert into alerts (org_id, kind, severity, account_id, user_id, data, created_at)
    select h.org_id,
      case h.field when 'supplier_status' then 'supplier_status_fall' else 'relationship_depth_fall' end,
      case when h.field = 'relationship_depth' then 'info' when (vt.meta->>'level')::int <= 1 then 'critical' else 'warning' end,
      h.account_id, a.owner_id,
      jsonb_build_object('field', h.field, 'from', h.from_value, 'to', h.to_value, 'fromLevel', (vf.meta->>'level')::int,
        'toLevel', (vt.meta->>'level')::int, 'accountName', a.name, 'changedBy', h.changed_by, 'changedAt', h.changed_at, 'historyId', h.id),
      h.changed_at
    from account_status_history h
    join accounts a on a.org_id = h.org_id and a.id = h.account_id and a.deleted_at is null
    join vocab_terms vf on vf.org_id = h.org_id and vf.vocabulary = h.field and vf.key = h.from_value
    join vocab_terms vt on vt.org_id = h.org_id and vt.vocabulary = h.field and vt.key = h.to_value
    where h.org_id = ${orgId}
      ${opts.accountId ? sql`and h.account_id = ${opts.accountId}` : sql``}
      ${opts.sinceDays ? sql`and h.changed_at >= now() - make_interval(days => ${opts.sinceDays}::int)` : sql``}
      and (vt.meta->>'level')::int < (vf.meta->>'level')::int
      and not exists (
        select 1 from alerts x where x.org_id = h.org_id and x.account_id = h.account_id
          and x.kind in ('supplier_status_fall', 'relationship_depth_fall') and x.data->>'historyId' = h.id::text
      )`)) as unknown as { rowCount?: number | null };
  return res.rowCount ?? 0;
}

/** When this process last swept each organization's history for falls written in bulk (imports, demo data). */
const swept = new Map<string, number>();
const SWEEP_EVERY_MS = 10 * 60_000;
async function backfillOnce(db: DbOrTx, orgId: string) {
  const last = swept.get(orgId);
  if (last !== undefined && Date.now() - last < SWEEP_EVERY_MS) return;
  await raiseStatusFallAlerts(db, orgId, { sinceDays: BACKFILL_DAYS });
  swept.set(orgId, Date.now());
}

/** Reps see alerts on their own and their team's accounts; everyone else sees the organization's. */
export async function listAlerts(db: DbOrTx, actor: Actor, q: { open?: boolean; accountId?: string; kind?: string; limit?: number; id?: string }): Promise<Alert[]> {
  await backfillOnce(db, actor.orgId);
  const conds: SQL[] = [eq(alerts.orgId, actor.orgId)];
  if (q.id) conds.push(eq(alerts.id, q.id));
  if (q.open) conds.push(sql`${alerts.acknowledgedAt} is null`);
  if (q.accountId) conds.push(eq(alerts.accountId, q.accountId));
  if (q.kind) conds.push(eq(alerts.kind, q.kind));
  if (actor.role === 'rep') {
    conds.push(sql`(${alerts.userId} = ${actor.userId} or ${accounts.ownerId} = ${actor.userId}
      or exists (select 1 from ${users} u where u.org_id = ${actor.orgId} and u.id = coalesce(${accounts.ownerId}, ${alerts.userId}) and u.team = ${actor.team}))`);
  }
  const rows = await db
    .select({
      id: alerts.id,
      kind: alerts.kind,
      severity: alerts.severity,
      accountId: alerts.accountId,
      accountName: accounts.name,
      opportunityId: alerts.opportunityId,
      userId: alerts.userId,
      data: alerts.data,
      createdAt: alerts.createdAt,
      acknowledgedAt: alerts.acknowledgedAt,
      acknowledgedBy: alerts.acknowledgedBy,
    })
    .from(alerts)
    .leftJoin(accounts, and(eq(accounts.orgId, alerts.orgId), eq(accounts.id, alerts.accountId)))
    .where(and(...conds))
    .orderBy(sql`${alerts.createdAt} desc`, sql`${alerts.id} desc`)
    .limit(q.limit ?? 100);
  return rows as Alert[];
}

export async function acknowledgeAlert(db: Db, actor: Actor, id: string): Promise<Alert> {
  requireWriter(actor);
  return db.transaction(async (tx) => {
    // Whoever cannot see the alert cannot acknowledge it either.
    const [seen] = await listAlerts(tx, actor, { id });
    if (!seen) throw notFound('Alert');
    if (seen.acknowledgedAt) return seen;
    await tx
      .update(alerts)
      .set({ acknowledgedAt: sql`now()`, acknowledgedBy: actor.kind === 'system' ? null : actor.userId })
      .where(and(eq(alerts.orgId, actor.orgId), eq(alerts.id, id), sql`${alerts.acknowledgedAt} is null`));
    await audit(tx, actor, { action: 'acknowledge', entity: 'alert', entityId: id, after: { kind: seen.kind, accountId: seen.accountId } });
    const [after] = await listAlerts(tx, actor, { id });
    return after!;
  });
}
