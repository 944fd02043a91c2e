import { and, eq, inArray, isNotNull, isNull, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { users } from '../db/schema/index.ts';
import { canEditOwned, requireWriter, type Actor } from './actor.ts';
import { audit, diff } from './audit.ts';
import { loadCustomFieldDefs, mergeCustom } from './custom-fields.ts';
import { sharedByTenants, type Db, type DbOrTx } from './db/index.ts';
import { badRequest, conflict, FieldErrors, forbidden, notFound, preconditionRequired } from './errors.ts';
import { afterCursor, allOf, encodeCursor, escapeLike, orderFor, parseListQuery, type FieldMap } from './list.ts';
import { activeVocabKeys } from './vocab.ts';
import { errorResponses, idParams, listQuerySchema, listResponse } from './http-schemas.ts';


export type Row = Record<string, unknown> & { id: string; version: number };
/** The columns every record table has (see db/schema/columns.ts). */
type RecordTable = PgTable & {
  orgId: AnyColumn;
  id: AnyColumn;
  version: AnyColumn;
  deletedAt: AnyColumn;
  updatedAt: AnyColumn;
  custom: AnyColumn;
};

export interface RefSpec {
  table: PgTable & { orgId: PgColumn; id: PgColumn };
  label: string;
  /** Reject references to soft-deleted rows (tables that have deleted_at). */
  softDeleted?: boolean;
}

/**
 * A read-only display name of a referenced row (e.g. `accountName` from `accountId`): resolved for a
 * whole page at once, one `id = ANY(...)` query per referenced table, always within the organization.
 */
export interface NameSpec {
  /** The row field holding the referenced id. */
  from: string;
  table: PgTable & { orgId: PgColumn; id: PgColumn };
  /** The column (or expression over `table`) that names the referenced row. */
  column: AnyColumn | SQL;
}

/**
 * The same name as a list field (`sort=accountName`, `accountName[contains]=…`): a correlated lookup of
 * the referenced row by its primary key, within the row's organization.
 */
export function nameField(spec: NameSpec, idColumn: AnyColumn, orgColumn: AnyColumn): { column: SQL; type: 'text'; forOrg: (orgId: string) => SQL } {
  const lookup = (org: AnyColumn | SQL) => sql`(select ${spec.column} from ${spec.table} where ${spec.table.orgId} = ${org} and ${spec.table.id} = ${idColumn})`;
  return { column: lookup(orgColumn), type: 'text', forOrg: (orgId) => lookup(sql`${orgId}::uuid`) };
}

export interface WriteContext {
  tx: DbOrTx;
  actor: Actor;
  existing: Row | null;
  /** The validated, prepared input of this write, including `virtual` fields (absent ones were not sent). */
  input?: Record<string, unknown>;
}

export interface ResourceConfig {
  /** URL segment and OpenAPI tag: `accounts`. */
  name: string;
  /** Audit and custom-field entity: `account`. */
  entity: string;
  label: string;
  table: RecordTable;
  schemas: { create: z.ZodObject; update: z.ZodObject; record: z.ZodType };
  fields: FieldMap;
  search: (AnyColumn | SQL)[];
  defaultSort?: string;
  /** Which column names the user responsible for a row (reps edit their own and their team's). */
  ownerField?: string;
  /** Field → vocabulary whose active keys it must use. */
  vocab?: Record<string, string>;
  /** Array field → vocabulary: every element must be an active key. */
  vocabArrays?: Record<string, string>;
  /** Field → referenced table, checked within the organization (another tenant's id reads as unknown). */
  refs?: Record<string, RefSpec>;
  /** Derives stored values from the validated input (e.g. full name, base-currency amount). */
  prepare?: (values: Record<string, unknown>, ctx: WriteContext, errs: FieldErrors) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Side effects inside the same transaction (histories, alerts, child rows). */
  afterWrite?: (ctx: WriteContext, after: Row) => Promise<void>;
  /**
   * Input fields that are not columns of the table (e.g. participant ids kept in a child table):
   * validated with the rest, never written to the row, handed to `afterWrite` in `ctx.input`.
   */
  virtual?: string[];
  /** Output field → the referenced row whose name it shows (`accountName` ← `accountId`); null when unset or not found. */
  names?: Record<string, NameSpec>;
  /** Adds read-only data to a page of rows in one set-based query (e.g. child ids); used by get, list, create and update. */
  expand?: (db: DbOrTx, actor: Actor, rows: Row[]) => Promise<Row[]>;
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

export function parseIfMatch(header: string | string[] | undefined, bodyVersion: unknown): number | undefined {
  if (typeof bodyVersion === 'number') return bodyVersion;
  const h = Array.isArray(header) ? header[0] : header;
  if (!h) return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(h.trim());
  if (!m) throw badRequest('If-Match must be the record version, e.g. "3"', [{ path: 'If-Match', message: 'Invalid version', code: 'invalid_format' }]);
  return Number(m[1]);
}

/**
 * Rows one statement of a list with a text filter reads on the embedded database (ILIKE over a
 * few columns costs a few µs a row there). Noisy-neighbour bench, five contact lists with q and a
 * count beside another organization's list of 20: 2,000-row slices p99 135 ms, 1,000-row ones 78 ms.
 */
export const LIST_SLICE_ROWS = 1000;

/** Commands and routes for one record type; every feature's plain CRUD comes from here. */
export class Resource {
  constructor(readonly cfg: ResourceConfig) {}

  private col(name: string): AnyColumn {
    return (this.cfg.table as unknown as Record<string, AnyColumn>)[name]!;
  }

  /** The row as the API returns it: with `expand`'s extra data. */
  async present(db: DbOrTx, actor: Actor, rows: Row[]): Promise<Row[]> {
    if (!rows.length) return rows;
    const named = this.cfg.names ? await this.withNames(db, actor, rows, this.cfg.names) : rows;
    return this.cfg.expand ? this.cfg.expand(db, actor, named) : named;
  }

  /** Fills the `names` fields of a page: one query per referenced table, whatever the page size. */
  private async withNames(db: DbOrTx, actor: Actor, rows: Row[], names: Record<string, NameSpec>): Promise<Row[]> {
    const byTable = new Map<NameSpec['table'], [string, NameSpec][]>();
    for (const entry of Object.entries(names)) {
      const list = byTable.get(entry[1].table) ?? [];
      list.push(entry);
      byTable.set(entry[1].table, list);
    }
    const out = rows.map((r) => ({ ...r }));
    for (const [table, specs] of byTable) {
      const ids = [...new Set(rows.flatMap((r) => specs.map(([, s]) => r[s.from]).filter((v): v is string => typeof v === 'string')))];
      const found = new Map<string, string>();
      // Several fields may name rows of the same table (owner and creator): still one query.
      const cols = new Map(specs.map(([, s]) => [s.column, s.column]));
      if (ids.length) {
        if (cols.size !== 1) throw new Error('names: one name column per referenced table');
        const [column] = [...cols.keys()];
        const res = (await db
          .select({ id: table.id, name: sql<string | null>`${column!}` })
          .from(table)
          .where(and(eq(table.orgId, actor.orgId), inArray(table.id, ids)))) as { id: string; name: string | null }[];
        for (const r of res) if (r.name !== null) found.set(r.id, r.name);
      }
      for (const r of out) for (const [field, s] of specs) r[field] = typeof r[s.from] === 'string' ? found.get(r[s.from] as string) ?? null : null;
    }
    return out as Row[];
  }

  private stored(values: Record<string, unknown>): Record<string, unknown> {
    if (!this.cfg.virtual?.length) return values;
    const out = { ...values };
    for (const k of this.cfg.virtual) delete out[k];
    return out;
  }

  toRecord(row: Record<string, unknown>): Row {
    const { orgId: _o, __sort: _s, ...rest } = row;
    return rest as Row;
  }

  private async ownerInfo(tx: DbOrTx, orgId: string, ownerId: unknown) {
    if (typeof ownerId !== 'string') return null;
    const [u] = await tx.select({ id: users.id, team: users.team, active: users.active }).from(users).where(and(eq(users.orgId, orgId), eq(users.id, ownerId)));
    return u ?? null;
  }

  private async checkRefsAndVocab(tx: DbOrTx, actor: Actor, values: Record<string, unknown>, errs: FieldErrors) {
    const { vocab = {}, vocabArrays = {}, refs = {} } = this.cfg;
    const needed = [...new Set([...Object.entries(vocab), ...Object.entries(vocabArrays)].filter(([f]) => values[f] !== undefined && values[f] !== null).map(([, v]) => v))];
    const keys = await activeVocabKeys(tx, actor.orgId, needed);
    for (const [field, vocabulary] of Object.entries(vocab)) {
      const v = values[field];
      if (v === undefined || v === null) continue;
      if (!keys.get(vocabulary)?.has(String(v))) errs.add(field, `Unknown ${vocabulary.replace(/_/g, ' ')} "${String(v)}"`, 'unknown_term', { vocabulary, value: String(v) });
    }
    for (const [field, vocabulary] of Object.entries(vocabArrays)) {
      const v = values[field];
      if (!Array.isArray(v)) continue;
      for (const item of v) if (!keys.get(vocabulary)?.has(String(item))) errs.add(field, `Unknown ${vocabulary.replace(/_/g, ' ')} "${String(item)}"`, 'unknown_term', { vocabulary, value: String(item) });
    }
    for (const [field, ref] of Object.entries(refs)) {
      const v = values[field];
      if (typeof v !== 'string') continue;
      const t = ref.table as unknown as Record<string, AnyColumn>;
      const conds: SQL[] = [eq(ref.table.orgId, actor.orgId), eq(ref.table.id, v)];
      if (ref.softDeleted && t.deletedAt) conds.push(isNull(t.deletedAt));
      const found = await tx.select({ id: ref.table.id }).from(ref.table).where(and(...conds)).limit(1);
      if (!found.length) errs.add(field, `${ref.label} not found`, 'not_found', { entity: ref.label.toLowerCase() });
    }
    if (this.cfg.ownerField && typeof values[this.cfg.ownerField] === 'string') {
      const o = await this.ownerInfo(tx, actor.orgId, values[this.cfg.ownerField]);
      if (!o) errs.add(this.cfg.ownerField, 'User not found', 'not_found', { entity: 'user' });
      else if (!o.active) errs.add(this.cfg.ownerField, 'This user is deactivated', 'deactivated');
    }
  }

  /** Throws 403 unless the actor may edit this row (owner, their team, a manager). */
  async assertCanEdit(tx: DbOrTx, actor: Actor, row: Record<string, unknown>) {
    requireWriter(actor);
    const field = this.cfg.ownerField;
    const ownerId = field ? row[field] : row.createdBy;
    const owner = await this.ownerInfo(tx, actor.orgId, ownerId);
    if (!canEditOwned(actor, owner ? { id: owner.id, team: owner.team } : null)) {
      throw forbidden(`Only the owner, their team or a manager can change this ${this.cfg.label.toLowerCase()}`);
    }
  }

  async get(db: DbOrTx, actor: Actor, id: string, opts: { includeDeleted?: boolean; forUpdate?: boolean } = {}): Promise<Row> {
    const conds = [eq(this.cfg.table.orgId, actor.orgId), eq(this.cfg.table.id, id)];
    if (!opts.includeDeleted) conds.push(isNull(this.cfg.table.deletedAt));
    const q = db.select().from(this.cfg.table as PgTable).where(and(...conds));
    const [row] = opts.forUpdate ? await q.for('update') : await q;
    if (!row) throw notFound(this.cfg.label);
    return this.toRecord(row as Record<string, unknown>);
  }

  /**
   * The ids of the first `limit` rows of `where` in the list's order, found by statements that each
   * read one id range of `sliceRows` rows plus the best rows found so far (re-read by id): exact,
   * because whether a row is in and where it sorts depends on that row only. With `count`, the
   * matching rows of each range are counted on the way.
   */
  private async slicedIds(db: DbOrTx, actor: Actor, where: SQL | undefined, base: SQL | undefined, order: SQL[], limit: number, sliceRows: number, count: boolean) {
    const t = this.cfg.table;
    const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
    let after = '00000000-0000-0000-0000-000000000000';
    let best: string[] = [];
    let total = 0;
    for (;;) {
      const upto = sql`coalesce((select id from bound), ${MAX_UUID}::uuid)`;
      const range = sql`${t.id} > ${after}::uuid and ${t.id} <= ${upto}`;
      const res = await db.execute(sql`
        with bound as (select ${t.id} as id from ${t as PgTable} where ${t.orgId} = ${actor.orgId} and ${t.id} > ${after}::uuid order by ${t.id} offset ${sliceRows - 1} limit 1)
        select (select id::text from bound) as upto,
               coalesce((select json_agg(x.id) from (
                 select ${t.id} as id from ${t as PgTable} where ${where} and (${range} or ${t.id} = any(${`{${best.join(',')}}`}::uuid[]))
                  order by ${sql.join(order, sql`, `)} limit ${limit}) x), '[]'::json) as ids,
               ${count ? sql`(select count(*)::int from ${t as PgTable} where ${base} and ${range})` : sql`0`} as n`);
      const row = res.rows[0] as { upto: string | null; ids: string[] | string; n: number };
      best = typeof row.ids === 'string' ? (JSON.parse(row.ids) as string[]) : row.ids;
      total += Number(row.n);
      if (!row.upto) break;
      after = row.upto;
    }
    return { ids: best, total };
  }

  async list(db: DbOrTx, actor: Actor, query: Record<string, string | string[] | undefined>, extra: SQL[] = [], opts: { sliceRows?: number } = {}) {
    const defs = await loadCustomFieldDefs(db, actor.orgId, this.cfg.entity);
    const { request: r, sortExpr } = parseListQuery(query, this.cfg.fields, defs, { sort: this.cfg.defaultSort ?? '-updatedAt', orgId: actor.orgId });
    const t = this.cfg.table;
    const search = r.q
      ? sql`(${sql.join(this.cfg.search.map((c) => sql`${c} ilike ${'%' + escapeLike(r.q!) + '%'}`), sql` or `)})`
      : undefined;
    const base = allOf([eq(t.orgId, actor.orgId), r.deleted === 'only' ? isNotNull(t.deletedAt) : isNull(t.deletedAt), search, ...r.filters, ...extra]);
    const where = r.cursor ? allOf([base, afterCursor(sortExpr, t.id, r.sortDesc, r.cursor)]) : base;
    // A text filter cannot use the list's indexes and reads every row of the organization: on the
    // embedded database's one connection, when it holds other organizations, in slices
    // (LIST_SLICE_ROWS), so they get their turns between two of them. The page is the one
    // statement's page exactly.
    const sliceRows = opts.sliceRows ?? (r.q && (await sharedByTenants(db)) ? LIST_SLICE_ROWS : 0);
    const sliced = sliceRows ? await this.slicedIds(db, actor, where, base, orderFor(sortExpr, t.id, r.sortDesc), r.limit + 1, sliceRows, !!r.count) : undefined;
    const rows = (await db
      // As text: the cursor must keep the full precision of a timestamp (the API shows milliseconds,
      // the column holds microseconds, and a cut value would skip rows in the same millisecond).
      .select({ ...this.columns(), __sort: sql`(${sortExpr})::text`.as('__sort') })
      .from(t as PgTable)
      .where(sliced ? and(eq(t.orgId, actor.orgId), inArray(t.id, sliced.ids.length ? sliced.ids : [ZERO_UUID]), where) : where)
      .orderBy(...orderFor(sortExpr, t.id, r.sortDesc))
      .limit(r.limit + 1)) as Record<string, unknown>[];
    const more = rows.length > r.limit;
    const page = more ? rows.slice(0, r.limit) : rows;
    const last = page[page.length - 1];
    let total: number | undefined = sliced && r.count ? sliced.total : undefined;
    if (r.count && !sliced) {
      const [c] = await db.select({ n: sql<number>`count(*)::int` }).from(t as PgTable).where(base);
      total = c?.n ?? 0;
    }
    return {
      data: await this.present(db, actor, page.map((row) => this.toRecord(row))),
      nextCursor: more && last ? encodeCursor(last.__sort ?? null, last.id as string, r.sort) : null,
      ...(total !== undefined ? { total } : {}),
    };
  }

  private columns(): Record<string, PgColumn> {
    const out: Record<string, PgColumn> = {};
    for (const [k, v] of Object.entries(this.cfg.table as unknown as Record<string, unknown>)) {
      if (v && typeof v === 'object' && 'columnType' in (v as object)) out[k] = v as PgColumn;
    }
    return out;
  }

  private async validated(tx: DbOrTx, actor: Actor, input: Record<string, unknown>, existing: Row | null) {
    const errs = new FieldErrors();
    const defs = await loadCustomFieldDefs(tx, actor.orgId, this.cfg.entity);
    const values: Record<string, unknown> = { ...input };
    if ('custom' in input || !existing) {
      values.custom = mergeCustom(defs, (existing?.custom as Record<string, unknown>) ?? null, input.custom as Record<string, unknown> | undefined, errs);
    }
    await this.checkRefsAndVocab(tx, actor, values, errs);
    const ctx = { tx, actor, existing };
    const prepared = this.cfg.prepare ? await this.cfg.prepare(values, ctx, errs) : values;
    errs.throwIfAny();
    return prepared;
  }

  async create(db: Db, actor: Actor, input: Record<string, unknown>): Promise<Row> {
    requireWriter(actor);
    return db.transaction(async (tx) => {
      const values = { ...input };
      const of = this.cfg.ownerField;
      if (of && values[of] === undefined && actor.kind !== 'system') values[of] = actor.userId;
      if (of && actor.role === 'rep' && typeof values[of] === 'string' && values[of] !== actor.userId) {
        const o = await this.ownerInfo(tx, actor.orgId, values[of]);
        if (o && !canEditOwned(actor, { id: o.id, team: o.team })) throw forbidden('Reps can assign records only to themselves or their team');
      }
      const prepared = await this.validated(tx, actor, values, null);
      const by = actor.userId === ZERO_UUID ? null : actor.userId;
      const [row] = await tx
        .insert(this.cfg.table as PgTable)
        .values({ ...this.stored(prepared), orgId: actor.orgId, createdBy: by, updatedBy: by } as never)
        .returning();
      const rec = this.toRecord(row as Record<string, unknown>);
      await audit(tx, actor, { action: 'create', entity: this.cfg.entity, entityId: rec.id, after: rec });
      await this.cfg.afterWrite?.({ tx, actor, existing: null, input: prepared }, rec);
      return (await this.present(tx, actor, [rec]))[0]!;
    });
  }

  async update(db: Db, actor: Actor, id: string, version: number | undefined, patch: Record<string, unknown>): Promise<Row> {
    requireWriter(actor);
    if (version === undefined) throw preconditionRequired();
    return db.transaction(async (tx) => {
      const existing = await this.get(tx, actor, id, { forUpdate: true });
      if (existing.version !== version) {
        const [current] = await this.present(tx, actor, [existing]);
        throw conflict(`This ${this.cfg.label.toLowerCase()} was changed by someone else (you edited version ${version}, it is now ${existing.version})`, current);
      }
      await this.assertCanEdit(tx, actor, existing);
      const of = this.cfg.ownerField;
      if (of && actor.role === 'rep' && typeof patch[of] === 'string' && patch[of] !== actor.userId) {
        const o = await this.ownerInfo(tx, actor.orgId, patch[of]);
        if (o && !canEditOwned(actor, { id: o.id, team: o.team })) throw forbidden('Reps can assign records only to themselves or their team');
      }
      const { version: _v, ...rest } = patch;
      const prepared = await this.validated(tx, actor, rest, existing);
      const rec = await this.writeUpdate(tx, actor, existing, prepared);
      return (await this.present(tx, actor, [rec]))[0]!;
    });
  }

  private async writeUpdate(tx: DbOrTx, actor: Actor, existing: Row, values: Record<string, unknown>): Promise<Row> {
    const t = this.cfg.table;
    const [row] = await tx
      .update(t as PgTable)
      .set({ ...this.stored(values), version: sql`${t.version} + 1`, updatedAt: sql`now()`, updatedBy: actor.userId === ZERO_UUID ? null : actor.userId } as never)
      .where(and(eq(t.orgId, actor.orgId), eq(t.id, existing.id)))
      .returning();
    const rec = this.toRecord(row as Record<string, unknown>);
    const d = diff(existing, rec);
    await audit(tx, actor, { action: 'update', entity: this.cfg.entity, entityId: rec.id, before: d.before, after: d.after });
    await this.cfg.afterWrite?.({ tx, actor, existing, input: values }, rec);
    return rec;
  }

  /** Applies one patch to many records (bulk edit/assign); each row is permission-checked and audited. */
  async bulkUpdate(db: Db, actor: Actor, ids: string[], patch: Record<string, unknown>): Promise<{ updated: number }> {
    requireWriter(actor);
    return db.transaction(async (tx) => {
      const t = this.cfg.table;
      const rows = (await tx
        .select()
        .from(t as PgTable)
        .where(and(eq(t.orgId, actor.orgId), inArray(t.id, ids), isNull(t.deletedAt)))
        .for('update')) as Record<string, unknown>[];
      if (rows.length !== new Set(ids).size) throw notFound(`One or more ${this.cfg.name}`);
      for (const r of rows) {
        const existing = this.toRecord(r);
        await this.assertCanEdit(tx, actor, existing);
        const prepared = await this.validated(tx, actor, patch, existing);
        await this.writeUpdate(tx, actor, existing, prepared);
      }
      return { updated: rows.length };
    });
  }

  async remove(db: Db, actor: Actor, id: string, version: number | undefined): Promise<Row> {
    requireWriter(actor);
    return db.transaction(async (tx) => {
      const existing = await this.get(tx, actor, id, { forUpdate: true });
      if (version !== undefined && existing.version !== version) throw conflict(`This ${this.cfg.label.toLowerCase()} was changed by someone else`, existing);
      await this.assertCanEdit(tx, actor, existing);
      const t = this.cfg.table;
      const [row] = await tx
        .update(t as PgTable)
        .set({ deletedAt: sql`now()`, version: sql`${t.version} + 1`, updatedAt: sql`now()` } as never)
        .where(and(eq(t.orgId, actor.orgId), eq(t.id, id)))
        .returning();
      await audit(tx, actor, { action: 'delete', entity: this.cfg.entity, entityId: id, before: { deletedAt: null }, after: { deletedAt: (row as Row).deletedAt } });
      return (await this.present(tx, actor, [this.toRecord(row as Record<string, unknown>)]))[0]!;
    });
  }

  async restore(db: Db, actor: Actor, id: string): Promise<Row> {
    requireWriter(actor);
    return db.transaction(async (tx) => {
      const existing = await this.get(tx, actor, id, { includeDeleted: true, forUpdate: true });
      if (!existing.deletedAt) throw conflict(`This ${this.cfg.label.toLowerCase()} is not deleted`, existing);
      await this.assertCanEdit(tx, actor, existing);
      const t = this.cfg.table;
      const [row] = await tx
        .update(t as PgTable)
        .set({ deletedAt: null, version: sql`${t.version} + 1`, updatedAt: sql`now()` } as never)
        .where(and(eq(t.orgId, actor.orgId), eq(t.id, id)))
        .returning();
      await audit(tx, actor, { action: 'restore', entity: this.cfg.entity, entityId: id, before: { deletedAt: existing.deletedAt }, after: { deletedAt: null } });
      return (await this.present(tx, actor, [this.toRecord(row as Record<string, unknown>)]))[0]!;
    });
  }

  /** The standard REST routes under /api/v1/<name>. */
  routes(app: FastifyInstance, getDb: (req: FastifyRequest) => Db) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const { name, label, schemas } = this.cfg;
    const tags = [name];
    const rec = schemas.record;
    const filterDoc = `Filters: \`field=value\` or \`field[op]=value\` with op in eq, ne, in, nin, contains, starts, gt, gte, lt, lte, empty; custom fields as \`custom.<key>[op]\`. Filterable fields: ${Object.keys(this.cfg.fields).join(', ')}.`;
    r.get(`/api/v1/${name}`, {
      schema: { tags, summary: `List ${name}`, description: filterDoc, querystring: listQuerySchema, response: { 200: listResponse(rec), ...errorResponses } },
      handler: async (req) => this.list(getDb(req), req.actor!, req.query as Record<string, string | string[] | undefined>),
    });
    r.get(`/api/v1/${name}/:id`, {
      schema: { tags, summary: `Get one ${label.toLowerCase()}`, params: idParams, response: { 200: rec, ...errorResponses } },
      handler: async (req, reply) => {
        const db = getDb(req);
        const [row] = await this.present(db, req.actor!, [await this.get(db, req.actor!, req.params.id)]);
        reply.header('etag', `"${row!.version}"`);
        return row;
      },
    });
    r.post(`/api/v1/${name}`, {
      schema: { tags, summary: `Create a ${label.toLowerCase()}`, body: schemas.create, response: { 201: rec, ...errorResponses } },
      handler: async (req, reply) => {
        const row = await this.create(getDb(req), req.actor!, req.body as Record<string, unknown>);
        reply.code(201).header('etag', `"${row.version}"`);
        return row;
      },
    });
    r.patch(`/api/v1/${name}/:id`, {
      schema: {
        tags,
        summary: `Update a ${label.toLowerCase()}`,
        description: 'Send the version you edited as `If-Match: "<version>"` (or `version` in the body). A stale version gets 409 with the current record.',
        params: idParams,
        body: schemas.update,
        response: { 200: rec, ...errorResponses },
      },
      handler: async (req, reply) => {
        const body = req.body as Record<string, unknown>;
        const row = await this.update(getDb(req), req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], body.version), body);
        reply.header('etag', `"${row.version}"`);
        return row;
      },
    });
    r.delete(`/api/v1/${name}/:id`, {
      schema: { tags, summary: `Delete a ${label.toLowerCase()} (soft; restorable)`, params: idParams, response: { 200: rec, ...errorResponses } },
      handler: async (req) => this.remove(getDb(req), req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], undefined)),
    });
    r.post(`/api/v1/${name}/:id/restore`, {
      schema: { tags, summary: `Restore a deleted ${label.toLowerCase()}`, params: idParams, response: { 200: rec, ...errorResponses } },
      handler: async (req) => this.restore(getDb(req), req.actor!, req.params.id),
    });
    r.post(`/api/v1/${name}/bulk-update`, {
      schema: {
        tags,
        summary: `Apply one change to many ${name}`,
        body: z.object({ ids: z.array(z.uuid()).min(1).max(1000), patch: schemas.update }).strict(),
        response: { 200: z.object({ updated: z.number().int() }), ...errorResponses },
      },
      handler: async (req) => {
        const { ids, patch } = req.body as { ids: string[]; patch: Record<string, unknown> };
        const { version: _v, ...rest } = patch;
        return this.bulkUpdate(getDb(req), req.actor!, ids, rest);
      },
    });
  }
}
