import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { accounts, auditLog, contacts, interactions, notes, opportunities, orders, tasks, users } from '../../db/schema/index.ts';
import { canWriteAny, type Actor } from '../../kernel/actor.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { badRequest, forbidden, notFound } from '../../kernel/errors.ts';

/** Record types anyone in the organization may read, so anyone may read their history. */
import { isCalendarDateTime } from '../../kernel/http-schemas.ts';

const READABLE = { account: accounts, contact: contacts, opportunity: opportunities, interaction: interactions, task: tasks, note: notes, order: orders } as const;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(raw: string): { at: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'string' && isCalendarDateTime(v[0], { offset: 'optional' }) && typeof v[1] === 'string' && UUID_RE.test(v[1])) return { at: v[0], id: v[1] };
  } catch {
    /* reported below */
  }
  throw badRequest('Invalid cursor', [{ path: 'cursor', message: 'Invalid cursor' }]);
}

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  actorId?: string;
  limit?: number;
  cursor?: string;
}

/**
 * The who/when/before→after of changes, newest first. Managers and admins read the whole log;
 * everyone else reads the history of one record at a time, and only of records they can read.
 */
export async function listAudit(db: DbOrTx, actor: Actor, f: AuditFilter) {
  if (!canWriteAny(actor)) {
    if (!f.entity || !f.entityId) {
      throw badRequest('Give entity and entityId: only managers and admins browse the whole audit log', [
        ...(!f.entity ? [{ path: 'entity', message: 'Required' }] : []),
        ...(!f.entityId ? [{ path: 'entityId', message: 'Required' }] : []),
      ]);
    }
    const table = READABLE[f.entity as keyof typeof READABLE];
    if (!table) throw forbidden(`Only managers and admins can read the history of ${f.entity} records`);
    const [found] = await db.select({ id: table.id }).from(table).where(and(eq(table.orgId, actor.orgId), eq(table.id, f.entityId)));
    if (!found) throw notFound('Record');
  }
  const a = auditLog;
  const limit = f.limit ?? 50;
  const conds: (SQL | undefined)[] = [
    eq(a.orgId, actor.orgId),
    f.entity ? eq(a.entity, f.entity) : undefined,
    f.entityId ? eq(a.entityId, f.entityId) : undefined,
    f.actorId ? eq(a.actorId, f.actorId) : undefined,
  ];
  if (f.cursor) {
    const c = decodeCursor(f.cursor);
    conds.push(sql`(${a.at}, ${a.id}) < (${c.at}::timestamptz, ${c.id}::uuid)`);
  }
  const rows = await db
    .select({
      id: a.id,
      at: a.at,
      actorId: a.actorId,
      actorName: users.name,
      actorKind: a.actorKind,
      action: a.action,
      entity: a.entity,
      entityId: a.entityId,
      before: a.before,
      after: a.after,
    })
    .from(a)
    .leftJoin(users, and(eq(users.orgId, a.orgId), eq(users.id, a.actorId)))
    .where(and(...conds))
    .orderBy(desc(a.at), desc(a.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  const last = data[data.length - 1];
  return { data, nextCursor: more && last ? Buffer.from(JSON.stringify([last.at, last.id])).toString('base64url') : null };
}
