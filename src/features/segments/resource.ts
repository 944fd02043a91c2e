import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { accounts, segments } from '../../db/schema/index.ts';
import type { Actor } from '../../kernel/actor.ts';
import { loadCustomFieldDefs } from '../../kernel/custom-fields.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { AppError, type FieldErrors, notFound } from '../../kernel/errors.ts';
import { escapeLike, parseListQuery } from '../../kernel/list.ts';
import { Resource } from '../../kernel/resource.ts';
import { accountResource } from '../accounts/resource.ts';
import { segment, segmentCreate, segmentUpdate, type SegmentDefinition } from './schemas.ts';

const RESERVED = new Set(['limit', 'cursor', 'sort', 'count', 'deleted', 'q']);

/** SQL conditions over accounts for a segment definition (the accounts list's parser, so the syntax is one). */
export async function definitionFilters(db: DbOrTx, orgId: string, def: SegmentDefinition): Promise<SQL[]> {
  const defs = await loadCustomFieldDefs(db, orgId, 'account');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(def.filters ?? {})) if (!RESERVED.has(k.replace(/\[.*$/, ''))) query[k] = v;
  const { request } = parseListQuery(query, accountResource.cfg.fields, defs, { sort: 'name', orgId });
  const out = [...request.filters];
  if (def.q) out.push(sql`(${accounts.name} ilike ${'%' + escapeLike(def.q) + '%'} or ${accounts.domain} ilike ${'%' + escapeLike(def.q) + '%'})`);
  return out;
}

function checkDefinition(def: SegmentDefinition, errs: FieldErrors, tx: DbOrTx, orgId: string) {
  for (const k of Object.keys(def.filters ?? {})) {
    if (RESERVED.has(k.replace(/\[.*$/, ''))) errs.add(`definition.filters.${k}`, 'Paging and sorting keys do not belong in a segment');
  }
  return definitionFilters(tx, orgId, def).catch((e: unknown) => {
    if (e instanceof AppError && e.fields) for (const f of e.fields) errs.add(`definition.filters.${f.path}`, f.message);
    else throw e;
  });
}

const s = segments;

export const segmentResource = new Resource({
  name: 'segments',
  entity: 'segment',
  label: 'Segment',
  table: s,
  schemas: { create: segmentCreate, update: segmentUpdate, record: segment },
  defaultSort: 'name',
  search: [s.name],
  fields: {
    id: { column: s.id, type: 'uuid' },
    name: { column: s.name, type: 'text' },
    entity: { column: s.entity, type: 'text' },
    createdBy: { column: s.createdBy, type: 'uuid' },
    createdAt: { column: s.createdAt, type: 'timestamp' },
    updatedAt: { column: s.updatedAt, type: 'timestamp' },
  },
  prepare: async (values, { tx, actor }, errs) => {
    if (values.definition) await checkDefinition(values.definition as SegmentDefinition, errs, tx, actor.orgId);
    return values;
  },
});

/** The account conditions of a saved segment of the actor's organization (404 for another tenant's). */
export async function segmentFilters(db: DbOrTx, actor: Actor, segmentId: string): Promise<SQL[]> {
  const [row] = await db
    .select({ definition: s.definition })
    .from(s)
    .where(and(eq(s.orgId, actor.orgId), eq(s.id, segmentId), isNull(s.deletedAt)));
  if (!row) throw notFound('Segment');
  return definitionFilters(db, actor.orgId, row.definition as SegmentDefinition);
}
