import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { savedViews } from '../../db/schema/index.ts';
import type { Actor } from '../../kernel/actor.ts';
import { audit, diff } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { conflict, forbidden, notFound, preconditionRequired } from '../../kernel/errors.ts';
import type { viewCreate, viewUpdate } from './schemas.ts';

const v = savedViews;
const columns = {
  id: v.id,
  userId: v.userId,
  entity: v.entity,
  name: v.name,
  shared: v.shared,
  config: v.config,
  version: v.version,
  createdAt: v.createdAt,
  updatedAt: v.updatedAt,
};
type ViewRow = { [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] };

const canEdit = (actor: Actor, row: { userId: string }) => row.userId === actor.userId || actor.role === 'admin';
const present = (actor: Actor, row: ViewRow) => ({ ...row, editable: canEdit(actor, row) });
/** A user sees their own views and everyone's shared ones. */
const visible = (actor: Actor): SQL => or(eq(v.userId, actor.userId), eq(v.shared, true))!;

export async function listViews(db: DbOrTx, actor: Actor, entity?: string) {
  const rows = await db
    .select(columns)
    .from(v)
    .where(and(eq(v.orgId, actor.orgId), visible(actor), entity ? eq(v.entity, entity) : undefined))
    .orderBy(asc(v.entity), asc(v.name), asc(v.id));
  return rows.map((r) => present(actor, r));
}

async function load(db: DbOrTx, actor: Actor, id: string, forUpdate = false) {
  const q = db.select(columns).from(v).where(and(eq(v.orgId, actor.orgId), eq(v.id, id), visible(actor)));
  const [row] = forUpdate ? await q.for('update') : await q;
  if (!row) throw notFound('View');
  return row;
}

export async function getView(db: DbOrTx, actor: Actor, id: string) {
  return present(actor, await load(db, actor, id));
}

export async function createView(db: Db, actor: Actor, input: z.infer<typeof viewCreate>) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(v)
      .values({ orgId: actor.orgId, userId: actor.userId, entity: input.entity, name: input.name, config: input.config ?? {}, shared: input.shared ?? false })
      .returning(columns);
    await audit(tx, actor, { action: 'create', entity: 'saved_view', entityId: row!.id, after: row });
    return present(actor, row!);
  });
}

export async function updateView(db: Db, actor: Actor, id: string, version: number | undefined, input: z.infer<typeof viewUpdate>) {
  if (version === undefined) throw preconditionRequired();
  return db.transaction(async (tx) => {
    const before = await load(tx, actor, id, true);
    if (!canEdit(actor, before)) throw forbidden('Only the owner of a view or an admin can change it');
    if (before.version !== version) throw conflict(`This view was changed by someone else (you edited version ${version}, it is now ${before.version})`, present(actor, before));
    const { version: _v, ...rest } = input;
    const [after] = await tx
      .update(v)
      .set({ ...rest, version: sql`${v.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(v.orgId, actor.orgId), eq(v.id, id)))
      .returning(columns);
    const d = diff(before, after!);
    await audit(tx, actor, { action: 'update', entity: 'saved_view', entityId: id, before: d.before, after: d.after });
    return present(actor, after!);
  });
}

/** Views are settings, not records: deleting one removes it (no recycle bin). */
export async function deleteView(db: Db, actor: Actor, id: string) {
  return db.transaction(async (tx) => {
    const before = await load(tx, actor, id, true);
    if (!canEdit(actor, before)) throw forbidden('Only the owner of a view or an admin can delete it');
    await tx.delete(v).where(and(eq(v.orgId, actor.orgId), eq(v.id, id)));
    await audit(tx, actor, { action: 'delete', entity: 'saved_view', entityId: id, before });
    return present(actor, before);
  });
}
