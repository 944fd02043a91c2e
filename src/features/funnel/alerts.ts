import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { accounts, alerts, users, vocabTerms } from '../../db/schema/index.ts';
import { requireWriter, type Actor } from '../../kernel/actor.ts';
import { audit } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { notFound } from '../../kernel/errors.ts';
import { fallSeverity, isFall } from './rules.ts';

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

type Change = { field: 'supplier_status' | 'relationship_depth'; from: string | null; to: string | null };

/**
 * Raises an alert when an account's supplier status (or relationship depth) falls — a lower meta.level in
 * the organization's vocabulary, e.g. preferred → passively phased out. Runs inside the account write.
 */
export async function alertOnStatusFall(tx: DbOrTx, actor: Actor, account: { id: string; name: unknown; ownerId: unknown }, changes: Change[]) {
  const relevant = changes.filter((c) => c.from && c.to);
  if (!relevant.length) return;
  const vocab = relevant.map((c) => c.field);
  const levels = await tx
    .select({ vocabulary: vocabTerms.vocabulary, key: vocabTerms.key, level: sql<number | null>`(${vocabTerms.meta}->>'level')::int` })
    .from(vocabTerms)
    .where(and(eq(vocabTerms.orgId, actor.orgId), inArray(vocabTerms.vocabulary, vocab)));
  const level = (v: string, k: string | null) => levels.find((l) => l.vocabulary === v && l.key === k)?.level ?? null;
  const rows = relevant
    .map((c) => ({ c, from: level(c.field, c.from), to: level(c.field, c.to) }))
    .filter((x) => isFall(x.from, x.to))
    .map(({ c, from, to }) => ({
      orgId: actor.orgId,
      kind: c.field === 'supplier_status' ? 'supplier_status_fall' : 'relationship_depth_fall',
      severity: c.field === 'supplier_status' ? fallSeverity(to!) : ('info' as const),
      accountId: account.id,
      userId: typeof account.ownerId === 'string' ? account.ownerId : null,
      data: { field: c.field, from: c.from, to: c.to, fromLevel: from, toLevel: to, accountName: account.name, changedBy: actor.kind === 'system' ? null : actor.userId },
    }));
  if (rows.length) await tx.insert(alerts).values(rows);
}

/** Reps see alerts on their own and their team's accounts; everyone else sees the organization's. */
export async function listAlerts(db: DbOrTx, actor: Actor, q: { open?: boolean; accountId?: string; kind?: string; limit?: number; id?: string }): Promise<Alert[]> {
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
