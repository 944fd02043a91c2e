import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import { reports } from '../../db/schema/index.ts';
import type { Actor } from '../../kernel/actor.ts';
import { audit, diff } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { conflict, forbidden, notFound, preconditionRequired } from '../../kernel/errors.ts';
import { runReport } from './queries.ts';
import { definitionSchema, type ReportDefinition } from './schemas.ts';

const r = reports;
const columns = {
  id: r.id,
  name: r.name,
  definition: r.definition,
  ownerId: r.ownerId,
  shared: r.shared,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
};
type ReportRow = { [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] };

/** The owner changes their report; an admin changes any; everyone else only reads the shared ones. */
const canEdit = (actor: Actor, row: { ownerId: string }) => row.ownerId === actor.userId || actor.role === 'admin';
// Stored definitions passed the schema when saved; parsing again fills defaults added since.
const present = (actor: Actor, row: ReportRow) => ({ ...row, definition: definitionSchema.parse(row.definition), editable: canEdit(actor, row) });
const visible = (actor: Actor): SQL => or(eq(r.ownerId, actor.userId), eq(r.shared, true))!;

export async function listReports(db: DbOrTx, actor: Actor) {
  const rows = await db.select(columns).from(r).where(and(eq(r.orgId, actor.orgId), visible(actor))).orderBy(asc(r.name), asc(r.id));
  return rows.map((row) => present(actor, row));
}

async function load(db: DbOrTx, actor: Actor, id: string, forUpdate = false) {
  const q = db.select(columns).from(r).where(and(eq(r.orgId, actor.orgId), eq(r.id, id), visible(actor)));
  const [row] = forUpdate ? await q.for('update') : await q;
  if (!row) throw notFound('Report');
  return row;
}

export async function getReport(db: DbOrTx, actor: Actor, id: string) {
  return present(actor, await load(db, actor, id));
}

/** A saved report's current figures (it is run afresh each time; nothing is cached). */
export async function reportResult(db: DbOrTx, actor: Actor, id: string) {
  const row = await load(db, actor, id);
  return runReport(db, actor, definitionSchema.parse(row.definition), 'definition');
}

export async function createReport(db: Db, actor: Actor, input: { name: string; definition: ReportDefinition; shared?: boolean }) {
  return db.transaction(async (tx) => {
    // A definition is saved only if it runs: unknown fields are reported now, not on every later read.
    await runReport(tx, actor, { ...input.definition, limit: 1 }, 'definition');
    const [row] = await tx
      .insert(r)
      .values({ orgId: actor.orgId, ownerId: actor.userId, name: input.name, definition: input.definition, shared: input.shared ?? false })
      .returning(columns);
    await audit(tx, actor, { action: 'create', entity: 'report', entityId: row!.id, after: row });
    return present(actor, row!);
  });
}

export async function updateReport(
  db: Db,
  actor: Actor,
  id: string,
  version: number | undefined,
  input: { name?: string; definition?: ReportDefinition; shared?: boolean; version?: number },
) {
  if (version === undefined) throw preconditionRequired();
  return db.transaction(async (tx) => {
    const before = await load(tx, actor, id, true);
    if (!canEdit(actor, before)) throw forbidden('Only the owner of a report or an admin can change it');
    if (before.version !== version) throw conflict(`This report was changed by someone else (you edited version ${version}, it is now ${before.version})`, present(actor, before));
    const { version: _v, ...rest } = input;
    if (rest.definition) await runReport(tx, actor, { ...rest.definition, limit: 1 }, 'definition');
    const [after] = await tx
      .update(r)
      .set({ ...rest, version: sql`${r.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(r.orgId, actor.orgId), eq(r.id, id)))
      .returning(columns);
    const d = diff(before, after!);
    await audit(tx, actor, { action: 'update', entity: 'report', entityId: id, before: d.before, after: d.after });
    return present(actor, after!);
  });
}

/** Reports are settings, not records: deleting one removes it. */
export async function deleteReport(db: Db, actor: Actor, id: string, version: number | undefined) {
  return db.transaction(async (tx) => {
    const before = await load(tx, actor, id, true);
    if (!canEdit(actor, before)) throw forbidden('Only the owner of a report or an admin can delete it');
    if (version !== undefined && before.version !== version) throw conflict('This report was changed by someone else', present(actor, before));
    await tx.delete(r).where(and(eq(r.orgId, actor.orgId), eq(r.id, id)));
    await audit(tx, actor, { action: 'delete', entity: 'report', entityId: id, before });
    return present(actor, before);
  });
}
