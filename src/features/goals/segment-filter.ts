import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { accounts, segments } from '../../db/schema/index.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { loadCustomFieldDefs } from '../../kernel/custom-fields.ts';
import { fieldError } from '../../kernel/errors.ts';
import { parseListQuery } from '../../kernel/list.ts';
import { accountResource } from '../accounts/resource.ts';

/**
 * Resolves a segment into a set of account ids (a subquery), so goals and funnels filter in SQL.
 * The segments feature may install its own resolver (it owns the definition format); until then a
 * definition is read as an account list query ({"tier":"A","country[in]":"CN,DE"} or {filters:{…}}),
 * plus an optional static `accountIds` list.
 */
export type SegmentResolver = (db: DbOrTx, orgId: string, segmentId: string) => Promise<SQL>;
let resolver: SegmentResolver | null = null;
export function setSegmentResolver(r: SegmentResolver) {
  resolver = r;
}

export async function segmentAccountIds(db: DbOrTx, orgId: string, segmentId: string, path = 'segmentId'): Promise<SQL> {
  const [seg] = await db.select().from(segments).where(and(eq(segments.orgId, orgId), eq(segments.id, segmentId), isNull(segments.deletedAt)));
  if (!seg) throw fieldError(path, 'Segment not found');
  if (resolver) return resolver(db, orgId, segmentId);
  if (seg.entity !== 'account') throw fieldError(path, `Segment "${seg.name}" selects ${seg.entity}s, not accounts`);
  const def = seg.definition ?? {};
  if (Array.isArray(def.accountIds)) {
    const ids = (def.accountIds as unknown[]).filter((x): x is string => typeof x === 'string');
    return ids.length ? sql`(select unnest(${ids}::uuid[]))` : sql`(select null::uuid where false)`;
  }
  const raw = (typeof def.filters === 'object' && def.filters ? def.filters : def) as Record<string, unknown>;
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') query[k] = String(v);
    else if (Array.isArray(v)) query[k] = v.map(String);
  }
  try {
    const defs = await loadCustomFieldDefs(db, orgId, 'account');
    const { request } = parseListQuery(query, accountResource.cfg.fields, defs, { sort: 'name' });
    const where = and(eq(accounts.orgId, orgId), isNull(accounts.deletedAt), ...request.filters);
    return sql`(select ${accounts.id} from ${accounts} where ${where})`;
  } catch {
    throw fieldError(path, `Segment "${seg.name}" has a definition goals cannot read yet`);
  }
}
