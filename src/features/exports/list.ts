/**
 * A record list as CSV, exactly as the list screen filters and sorts it: the same query string the
 * list API reads (field[op]=value filters, q, sort), every matching row rather than the page the
 * screen has loaded, and the raw stored values (ISO dates, decimal amounts, vocabulary keys), not
 * their display text. Rows are read page by page through the resource's own keyset-paginated list,
 * so the filters mean exactly what they mean on screen and no page is held longer than it is written.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { z } from 'zod';
import type { Actor } from '../../kernel/actor.ts';
import type { Db } from '../../kernel/db/index.ts';
import { loadCustomFieldDefs } from '../../kernel/custom-fields.ts';
import { FieldErrors } from '../../kernel/errors.ts';
import type { Resource } from '../../kernel/resource.ts';

const PAGE = '500';
/** Output-only keys that say nothing a spreadsheet needs (internal ids of who wrote the row, reasons as JSON). */
const SKIP = new Set(['custom', 'deletedAt', 'createdBy', 'updatedBy']);

/** Every column a record of this resource has: its record schema's keys, then its custom fields as `custom.<key>`. */
export async function listExportColumns(db: Db, actor: Actor, resource: Resource): Promise<string[]> {
  const shape = (resource.cfg.schemas.record as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  const defs = await loadCustomFieldDefs(db, actor.orgId, resource.cfg.entity);
  return [...Object.keys(shape).filter((k) => !SKIP.has(k)), ...defs.map((d) => `custom.${d.key}`)];
}

/** One cell: arrays joined by "; ", objects as JSON, booleans as true/false, null as empty. */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') {
    // The database's timestamp text ("2026-12-02 18:13:59.829+00") as ISO 8601 UTC, like the API's JSON.
    const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::?(\d{2}))?$/.exec(v);
    if (m) return new Date(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? '00'}`).toISOString();
  }
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x))).join('; ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function read(row: Record<string, unknown>, column: string): unknown {
  if (column.startsWith('custom.')) return (row.custom as Record<string, unknown> | null | undefined)?.[column.slice(7)];
  return row[column];
}

/**
 * Checks the requested columns (unknown ones are a 400 naming them) and returns the stream.
 * `columns` empty means all; a reference column (`accountId`) brings its name (`accountName`) beside it.
 */
export async function exportListCsv(
  db: Db,
  actor: Actor,
  resource: Resource,
  query: Record<string, string | string[] | undefined>,
  requested: string[],
): Promise<Readable> {
  const all = await listExportColumns(db, actor, resource);
  const errs = new FieldErrors();
  for (const c of requested) if (!all.includes(c)) errs.add('columns', `Unknown column "${c}"`, 'unknown_field', { value: c });
  errs.throwIfAny();
  const chosen = requested.length ? requested : all;
  const columns: string[] = [];
  for (const c of chosen) {
    columns.push(c);
    const name = c.endsWith('Id') ? c.replace(/Id$/, 'Name') : null;
    if (name && all.includes(name) && !chosen.includes(name)) columns.push(name);
  }
  const { cursor: _c, limit: _l, count: _n, columns: _cols, ...filters } = query;
  // The first page runs before the response starts, so a bad filter is still a 400, not a cut-off file.
  const first = await resource.list(db, actor, { ...filters, limit: PAGE });
  const csv = stringify({ header: true, columns, bom: true });
  const source = Readable.from(
    (async function* () {
      let page = first;
      for (;;) {
        for (const r of page.data) yield columns.map((c) => cell(read(r, c)));
        if (!page.nextCursor) return;
        page = await resource.list(db, actor, { ...filters, limit: PAGE, cursor: page.nextCursor });
      }
    })(),
  );
  source.on('error', (e) => csv.destroy(e));
  return source.pipe(csv);
}
