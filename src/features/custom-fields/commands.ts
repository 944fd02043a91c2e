import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { customFieldDefs } from '../../db/schema/index.ts';
import { requireRole, type Actor } from '../../kernel/actor.ts';
import { audit, diff } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { conflict, fieldError, notFound, preconditionRequired } from '../../kernel/errors.ts';
import type { customFieldCreate, customFieldUpdate } from './schemas.ts';

export async function listCustomFields(db: DbOrTx, orgId: string, entity?: string) {
  const conds = [eq(customFieldDefs.orgId, orgId)];
  if (entity) conds.push(eq(customFieldDefs.entity, entity));
  const rows = await db.select().from(customFieldDefs).where(and(...conds)).orderBy(asc(customFieldDefs.entity), asc(customFieldDefs.position));
  return rows.map(({ orgId: _o, ...r }) => r);
}

export async function createCustomField(db: Db, actor: Actor, input: z.infer<typeof customFieldCreate>) {
  requireRole(actor, 'admin');
  return db.transaction(async (tx) => {
    const [dup] = await tx.select({ id: customFieldDefs.id }).from(customFieldDefs).where(and(eq(customFieldDefs.orgId, actor.orgId), eq(customFieldDefs.entity, input.entity), eq(customFieldDefs.key, input.key)));
    if (dup) throw fieldError('key', `The ${input.entity} already has a field "${input.key}"`);
    const [row] = await tx
      .insert(customFieldDefs)
      .values({ orgId: actor.orgId, entity: input.entity, key: input.key, label: input.label as Record<string, string>, type: input.type, options: input.options ?? [], required: input.required ?? false, position: input.position ?? 0 })
      .returning();
    await audit(tx, actor, { action: 'create', entity: 'custom_field', entityId: row!.id, after: row });
    const { orgId: _o, ...out } = row!;
    return out;
  });
}

export async function updateCustomField(db: Db, actor: Actor, id: string, version: number | undefined, input: z.infer<typeof customFieldUpdate>) {
  requireRole(actor, 'admin');
  if (version === undefined) throw preconditionRequired();
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(customFieldDefs).where(and(eq(customFieldDefs.orgId, actor.orgId), eq(customFieldDefs.id, id))).for('update');
    if (!before) throw notFound('Custom field');
    if (before.version !== version) throw conflict('This field was changed by someone else', before);
    if (input.options && before.type !== 'select' && before.type !== 'multiselect') throw fieldError('options', 'Only select fields have options');
    const { version: _v, ...rest } = input;
    const [after] = await tx
      .update(customFieldDefs)
      .set({ ...rest, label: (rest.label as Record<string, string> | undefined) ?? before.label, version: sql`${customFieldDefs.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(customFieldDefs.orgId, actor.orgId), eq(customFieldDefs.id, id)))
      .returning();
    const d = diff(before, after!);
    await audit(tx, actor, { action: 'update', entity: 'custom_field', entityId: id, ...d });
    const { orgId: _o, ...out } = after!;
    return out;
  });
}

/** Removes the definition; values already stored stay in the records' JSON but are no longer shown or validated. */
export async function deleteCustomField(db: Db, actor: Actor, id: string) {
  requireRole(actor, 'admin');
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(customFieldDefs).where(and(eq(customFieldDefs.orgId, actor.orgId), eq(customFieldDefs.id, id))).returning();
    if (!row) throw notFound('Custom field');
    await audit(tx, actor, { action: 'delete', entity: 'custom_field', entityId: id, before: row });
    const { orgId: _o, ...out } = row;
    return out;
  });
}
