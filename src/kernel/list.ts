import { and, asc, desc, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { FieldErrors } from './errors.ts';
import { isCalendarDate, isCalendarDateTime } from './http-schemas.ts';

/** How a field can be filtered and sorted in list queries. */
export type FieldType = 'text' | 'number' | 'date' | 'timestamp' | 'boolean' | 'uuid' | 'enum' | 'tags';
export interface FieldSpec {
  column: AnyColumn | SQL;
  type: FieldType;
  values?: readonly string[];
  /**
   * The same column for one organization's query, when `column` reaches another table through the
   * row's own org_id: naming the organization outright keeps the statement on one shard on Citus,
   * which cannot prove a subquery correlated through the outer row single-shard.
   */
  forOrg?: (orgId: string) => SQL;
}
export type FieldMap = Record<string, FieldSpec>;

/** The field as one organization's query uses it (see FieldSpec.forOrg). */
export const fieldForOrg = (spec: FieldSpec, orgId: string): FieldSpec => (spec.forOrg ? { ...spec, column: spec.forOrg(orgId) } : spec);

export type CustomFieldType = 'text' | 'number' | 'date' | 'select' | 'multiselect' | 'boolean';
export interface CustomFieldDef {
  key: string;
  type: CustomFieldType;
  options: string[];
  required: boolean;
}

export const OPERATORS = ['eq', 'ne', 'in', 'nin', 'contains', 'starts', 'gt', 'gte', 'lt', 'lte', 'empty'] as const;
export type Operator = (typeof OPERATORS)[number];
const RESERVED = new Set(['limit', 'cursor', 'sort', 'q', 'count', 'deleted']);

const OPS_BY_TYPE: Record<FieldType, readonly Operator[]> = {
  text: ['eq', 'ne', 'in', 'nin', 'contains', 'starts', 'gt', 'gte', 'lt', 'lte', 'empty'],
  number: ['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'empty'],
  date: ['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'empty'],
  timestamp: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'empty'],
  boolean: ['eq', 'ne', 'empty'],
  uuid: ['eq', 'ne', 'in', 'nin', 'empty'],
  enum: ['eq', 'ne', 'in', 'nin', 'empty'],
  tags: ['eq', 'in', 'nin', 'empty'],
};

export interface ListRequest {
  limit: number;
  cursor?: [unknown, string];
  /** The sort as requested (`-updatedAt`), which next cursors carry. */
  sort: string;
  sortField: string;
  sortDesc: boolean;
  q?: string;
  count: boolean;
  deleted: 'exclude' | 'only';
  filters: SQL[];
}

export interface ParsedList {
  request: ListRequest;
  sortExpr: AnyColumn | SQL;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function coerce(type: FieldType, raw: string, values?: readonly string[]): { ok: true; value: unknown } | { ok: false; message: string } {
  switch (type) {
    case 'number': {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `"${raw}" is not a number` };
    }
    case 'date':
      return DATE_RE.test(raw) && isCalendarDate(raw) ? { ok: true, value: raw } : { ok: false, message: `"${raw}" is not a date (YYYY-MM-DD)` };
    case 'timestamp':
      return (DATE_RE.test(raw) ? isCalendarDate(raw) : isCalendarDateTime(raw, { offset: 'optional' })) ? { ok: true, value: new Date(raw).toISOString() } : { ok: false, message: `"${raw}" is not a date-time` };
    case 'boolean':
      return raw === 'true' || raw === 'false' ? { ok: true, value: raw === 'true' } : { ok: false, message: 'Use true or false' };
    case 'uuid':
      return UUID_RE.test(raw) ? { ok: true, value: raw.toLowerCase() } : { ok: false, message: `"${raw}" is not an id` };
    case 'enum':
      return !values || values.includes(raw) ? { ok: true, value: raw } : { ok: false, message: `Use one of: ${values.join(', ')}` };
    default:
      return { ok: true, value: raw };
  }
}

const splitList = (v: string | string[]) => (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== '');

export function customSpec(def: CustomFieldDef): FieldSpec {
  const path = sql.raw(`'${def.key.replace(/'/g, "''")}'`);
  switch (def.type) {
    case 'number':
      return { column: sql`(custom->>${path})::numeric`, type: 'number' };
    case 'date':
      return { column: sql`(custom->>${path})::date`, type: 'date' };
    case 'boolean':
      return { column: sql`(custom->>${path})::boolean`, type: 'boolean' };
    case 'multiselect':
      return { column: sql`(custom->${path})`, type: 'tags', values: def.options };
    case 'select':
      return { column: sql`(custom->>${path})`, type: 'enum', values: def.options };
    default:
      return { column: sql`(custom->>${path})`, type: 'text' };
  }
}

function condition(spec: FieldSpec, op: Operator, raw: string | string[], path: string, errs: FieldErrors): SQL | undefined {
  const col = spec.column;
  const isJsonTags = spec.type === 'tags' && !(col as { columnType?: string }).columnType;
  if (op === 'empty') {
    const v = Array.isArray(raw) ? raw[0] : raw;
    if (v !== 'true' && v !== 'false') return errs.add(path, 'Use empty=true or empty=false'), undefined;
    let isEmpty: SQL;
    if (spec.type === 'tags') isEmpty = isJsonTags ? sql`(${col} is null or ${col} = '[]'::jsonb)` : sql`(${col} is null or cardinality(${col}) = 0)`;
    else if (spec.type === 'text' || spec.type === 'enum') isEmpty = sql`(${col} is null or ${col} = '')`;
    else isEmpty = sql`${col} is null`;
    return v === 'true' ? isEmpty : sql`not ${isEmpty}`;
  }
  const list = op === 'in' || op === 'nin' ? splitList(raw) : [Array.isArray(raw) ? raw[raw.length - 1]! : raw];
  if (!list.length) return errs.add(path, 'Give at least one value'), undefined;
  const vals: unknown[] = [];
  for (const r of list) {
    const c = coerce(spec.type === 'tags' ? 'enum' : spec.type, r, spec.type === 'tags' ? undefined : spec.values);
    if (!c.ok) return errs.add(path, c.message), undefined;
    vals.push(c.value);
  }
  const v = vals[0];
  if (spec.type === 'tags') {
    const arr = vals as string[];
    if (isJsonTags) {
      const any = sql`${col} ?| ${sql`array[${sql.join(arr.map((x) => sql`${x}`), sql`, `)}]::text[]`}`;
      return op === 'nin' ? sql`not coalesce(${any}, false)` : any;
    }
    const lit = sql`array[${sql.join(arr.map((x) => sql`${x}`), sql`, `)}]::text[]`;
    if (op === 'eq') return sql`${col} @> ${lit}`;
    return op === 'nin' ? sql`not (${col} && ${lit})` : sql`${col} && ${lit}`;
  }
  const listSql = () => sql.join(vals.map((x) => sql`${x}`), sql`, `);
  switch (op) {
    case 'eq':
      return sql`${col} = ${v}`;
    case 'ne':
      return sql`${col} is distinct from ${v}`;
    case 'in':
      return sql`${col} in (${listSql()})`;
    case 'nin':
      return sql`(${col} is null or ${col} not in (${listSql()}))`;
    case 'contains':
      return sql`${col} ilike ${'%' + escapeLike(String(v)) + '%'}`;
    case 'starts':
      return sql`${col} ilike ${escapeLike(String(v)) + '%'}`;
    case 'gt':
      return sql`${col} > ${v}`;
    case 'gte':
      return sql`${col} >= ${v}`;
    case 'lt':
      return sql`${col} < ${v}`;
    case 'lte':
      return sql`${col} <= ${v}`;
  }
  return undefined;
}

/** A keyset position, bound to the sort (`-updatedAt`, `name`…) it was taken in. */
export function encodeCursor(value: unknown, id: string, sort: string): string {
  return Buffer.from(JSON.stringify([value, id, sort])).toString('base64url');
}

function decodeCursor(raw: string): { at: [unknown, string]; sort: string } | undefined {
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    // The value becomes a SQL parameter compared with the sort column: only scalars (a tampered
    // cursor with an object or array inside used to end in a 500).
    if (Array.isArray(v) && v.length === 3) {
      const [value, id, sort] = v as [unknown, unknown, unknown];
      const scalar = value === null || ['string', 'number', 'boolean'].includes(typeof value);
      if (scalar && typeof id === 'string' && UUID_RE.test(id) && typeof sort === 'string') return { at: [value, id], sort };
    }
  } catch {
    /* reported below */
  }
  return undefined;
}

/**
 * Turns a list request's query string into SQL conditions. Filters are `field=value` (eq) or
 * `field[op]=value`; custom fields are `custom.<key>[op]=value`. Every problem is reported by field.
 */
export function parseListQuery(
  query: Record<string, string | string[] | undefined>,
  fields: FieldMap,
  customDefs: CustomFieldDef[],
  defaults: { sort: string; maxLimit?: number; orgId?: string } = { sort: '-updatedAt' },
): ParsedList {
  const errs = new FieldErrors();
  const maxLimit = defaults.maxLimit ?? 500;
  const one = (k: string) => {
    const v = query[k];
    return Array.isArray(v) ? v[v.length - 1] : v;
  };
  const customByKey = new Map(customDefs.map((d) => [d.key, d]));
  const specFor = (name: string): FieldSpec | undefined => {
    if (name.startsWith('custom.')) {
      const def = customByKey.get(name.slice(7));
      return def ? customSpec(def) : undefined;
    }
    const spec = Object.hasOwn(fields, name) ? fields[name] : undefined;
    return spec && defaults.orgId ? fieldForOrg(spec, defaults.orgId) : spec;
  };

  let limit = 50;
  const rawLimit = one('limit');
  if (rawLimit !== undefined) {
    const n = Number(rawLimit);
    if (!Number.isInteger(n) || n < 1 || n > maxLimit) errs.add('limit', `Use a whole number from 1 to ${maxLimit}`);
    else limit = n;
  }
  const sortRaw = one('sort') ?? defaults.sort;
  const sortDesc = sortRaw.startsWith('-');
  const sortField = sortDesc ? sortRaw.slice(1) : sortRaw;
  const sortSpec = specFor(sortField);
  if (!sortSpec || sortSpec.type === 'tags') errs.add('sort', `Cannot sort by "${sortField}"`);
  let cursor: [unknown, string] | undefined;
  const rawCursor = one('cursor');
  if (rawCursor) {
    const decoded = decodeCursor(rawCursor);
    if (!decoded) errs.add('cursor', 'Invalid cursor');
    // A position in one order means nothing in another: the page would silently skip or repeat rows.
    else if (decoded.sort !== sortRaw) errs.add('cursor', `This cursor belongs to sort=${decoded.sort}; request the first page again for sort=${sortRaw}`, 'mismatch');
    else cursor = decoded.at;
  }
  const countRaw = one('count');
  const deletedRaw = one('deleted');
  if (deletedRaw !== undefined && deletedRaw !== 'only' && deletedRaw !== 'exclude') errs.add('deleted', 'Use deleted=only to list deleted records');
  const q = one('q')?.trim();

  const filters: SQL[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || RESERVED.has(key)) continue;
    const m = /^([A-Za-z0-9_.-]+?)(?:\[([a-z]+)\])?$/.exec(key);
    const name = m?.[1];
    const op = (m?.[2] ?? 'eq') as Operator;
    const spec = name ? specFor(name) : undefined;
    if (!name || !spec) {
      errs.add(key, 'Unknown field', 'unknown_field');
      continue;
    }
    if (!OPERATORS.includes(op) || !OPS_BY_TYPE[spec.type].includes(op)) {
      errs.add(key, `Operator "${op}" does not apply; use ${OPS_BY_TYPE[spec.type].join(', ')}`);
      continue;
    }
    const c = condition(spec, op, value, key, errs);
    if (c) filters.push(c);
  }
  errs.throwIfAny('Invalid list query');
  return {
    request: {
      limit,
      cursor,
      sort: sortRaw,
      sortField,
      sortDesc,
      q: q || undefined,
      count: countRaw === 'true' || countRaw === '1',
      deleted: deletedRaw === 'only' ? 'only' : 'exclude',
      filters,
    },
    sortExpr: sortSpec!.column,
  };
}

const isNotNullColumn = (e: AnyColumn | SQL) => (e as { notNull?: boolean }).notNull === true;

/**
 * Keyset condition after the cursor row, consistent with `orderFor`. Nulls sort as PostgreSQL's
 * default puts them (largest: last ascending, first descending), so a plain (org_id, col, id) index
 * serves both directions; non-null columns use a row comparison the planner turns into an index range.
 */
export function afterCursor(sortExpr: AnyColumn | SQL, idCol: AnyColumn, desc_: boolean, cursor: [unknown, string]): SQL {
  const [v, id] = cursor;
  // Nulls come last in both directions (see orderFor): after a null only nulls remain.
  if (v === null || v === undefined) return desc_ ? sql`(${sortExpr} is null and ${idCol} < ${id})` : sql`(${sortExpr} is null and ${idCol} > ${id})`;
  if (isNotNullColumn(sortExpr)) return desc_ ? sql`(${sortExpr}, ${idCol}) < (${v}, ${id})` : sql`(${sortExpr}, ${idCol}) > (${v}, ${id})`;
  return desc_
    ? sql`((${sortExpr}, ${idCol}) < (${v}, ${id}) or ${sortExpr} is null)`
    : sql`((${sortExpr}, ${idCol}) > (${v}, ${id}) or ${sortExpr} is null)`;
}

/**
 * Empty values sort last either way: "best fit first" must not open with the unscored accounts.
 * NOT NULL columns keep a plain DESC so a backward index scan still serves them (-updatedAt).
 */
export function orderFor(sortExpr: AnyColumn | SQL, idCol: AnyColumn, desc_: boolean): SQL[] {
  if (!desc_) return [sql`${sortExpr} asc`, asc(idCol)];
  return [isNotNullColumn(sortExpr) ? sql`${sortExpr} desc` : sql`${sortExpr} desc nulls last`, desc(idCol)];
}

export const allOf = (conds: (SQL | undefined)[]) => and(...conds.filter((c): c is SQL => !!c));
