/**
 * Streamed exports: CSV of any importable entity (the same column keys the import reads, so an export
 * re-imports as is) and vCard 3.0/4.0 of contacts. Rows are read by keyset pagination on id in pages
 * of 2 000, each page one short query, so neither the file nor a connection is held for the whole export.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Database } from '../../kernel/db/index.ts';
import { loadCustomImportFields } from '../imports/commands.ts';
import { belongsToAccount, ENTITY_FIELDS, type ExportEntity } from '../imports/fields.ts';
import { CUSTOM_PREFIX, type ImportCustomField } from '../imports/rules.ts';
import type { ExportFilters } from '../imports/schemas.ts';
import { contactToVcard, type VcardContact } from '../imports/vcard.ts';

const PAGE = 2000;

const TABLE: Record<ExportEntity, string> = {
  accounts: 'accounts', contacts: 'contacts', opportunities: 'opportunities', interactions: 'interactions', orders: 'orders', feedback: 'feedback',
  products: 'products', price_lists: 'price_list_items', deal_lines: 'opportunity_lines', order_lines: 'order_lines',
};
/** The text column a free-text filter (`q`) searches, like the list API's search box. */
const SEARCH: Record<ExportEntity, string[]> = {
  accounts: ['x.name', 'x.domain'],
  contacts: ['x.full_name', 'x.email'],
  opportunities: ['x.name'],
  interactions: ['x.subject'],
  orders: ['x.order_number'],
  feedback: ['x.text'],
  products: ['x.code', 'x.name'],
  price_lists: ['x.price_list', 'x.product_code'],
  deal_lines: ['x.opportunity', 'x.product_code'],
  order_lines: ['x.order_number', 'x.product_code'],
};

/**
 * Price list items and lines are exported flat: each row with its list's, deal's or order's columns and
 * its product's code and name, under the import's field keys, so the file re-imports as it is. The
 * relation is cut to a page on the item's id like the others; its parent must not be deleted.
 */
const FLAT: Partial<Record<ExportEntity, (where: string) => string>> = {
  price_lists: (where) => `SELECT i.id, i.org_id, l.name AS price_list, btrim(l.currency) AS currency, l.valid_from::text AS valid_from, l.valid_to::text AS valid_to, l.is_default,
      p.code AS product_code, p.name AS product, trim_scale(i.min_quantity)::text AS min_quantity, trim_scale(i.unit_price)::text AS unit_price, NULL::uuid AS account_id, NULL::uuid AS owner_id
    FROM price_list_items i JOIN price_lists l ON l.org_id = i.org_id AND l.id = i.price_list_id AND l.deleted_at IS NULL
    JOIN products p ON p.org_id = i.org_id AND p.id = i.product_id
    WHERE ${where.replace(/\bx\./g, 'i.')} ORDER BY i.id`,
  deal_lines: (where) => `SELECT x.id, x.org_id, o.id::text AS opportunity_id, o.name AS opportunity, a.name AS account, pr.fx_rate::text AS fx_rate, x.position + 1 AS line_no,
      p.code AS product_code, p.name AS product, trim_scale(x.quantity)::text AS quantity, trim_scale(x.unit_price)::text AS unit_price, trim_scale(x.discount_pct)::text AS discount_pct,
      x.discount_reason, x.description, x.line_total::text AS line_total, o.account_id, o.owner_id, x.created_at, x.created_at AS updated_at
    FROM opportunity_lines x JOIN opportunities o ON o.org_id = x.org_id AND o.id = x.opportunity_id AND o.deleted_at IS NULL
    LEFT JOIN accounts a ON a.org_id = x.org_id AND a.id = o.account_id
    LEFT JOIN opportunity_pricing pr ON pr.org_id = x.org_id AND pr.opportunity_id = o.id
    JOIN products p ON p.org_id = x.org_id AND p.id = x.product_id
    WHERE ${where} ORDER BY x.id`,
  order_lines: (where) => `SELECT x.id, x.org_id, o.order_number, o.id::text AS order_id, x.position + 1 AS line_no,
      p.code AS product_code, p.name AS product, trim_scale(x.quantity)::text AS quantity, trim_scale(x.unit_price)::text AS unit_price, trim_scale(x.discount_pct)::text AS discount_pct,
      x.discount_reason, x.description, x.line_total::text AS line_total, o.account_id, NULL::uuid AS owner_id, x.created_at, x.created_at AS updated_at
    FROM order_lines x JOIN orders o ON o.org_id = x.org_id AND o.id = x.order_id AND o.deleted_at IS NULL
    JOIN products p ON p.org_id = x.org_id AND p.id = x.product_id
    WHERE ${where} ORDER BY x.id`,
};
/** Import fields a deal does not store itself: its product line is exported with the deal lines. */
const NOT_EXPORTED_OF: Partial<Record<ExportEntity, string[]>> = {
  opportunities: ['product_code', 'product', 'quantity', 'unit_price', 'discount_pct', 'discount_reason', 'fx_rate'],
};

/** SQL for one export column; the default is the column of the same name. Subqueries name the organization as $1, not x.org_id: a sharded database (Citus) routes only what names it. */
function columnExpr(entity: ExportEntity, key: string): string {
  if (FLAT[entity]) return `x.${key}`;
  if (entity === 'feedback') {
    // The products a feedback names, every one in each column ("; " between them: the import splits names on semicolons only).
    const products = (col: string) => `(SELECT string_agg(p.${col}, '; ' ORDER BY p.code) FROM feedback_products fp JOIN products p ON p.org_id = fp.org_id AND p.id = fp.product_id
               WHERE fp.org_id = $1 AND fp.feedback_id = x.id)`;
    if (key === 'product_code') return products('code');
    if (key === 'product') return products('name');
    // The contact it came from (by email, as the import looks it up).
    if (key === 'contact_email') return `(SELECT c.email FROM contacts c WHERE c.org_id = $1 AND c.id = x.contact_id)`;
  }
  if (entity === 'products' && key.startsWith('name_')) return `x.name_i18n->>'${({ name_en: 'en', name_zh_cn: 'zh-CN', name_zh_tw: 'zh-TW' } as Record<string, string>)[key]}'`;
  switch (key) {
    case 'tags':
    case 'competitors':
      return `array_to_string(x.${key}, '; ')`;
    case 'owner':
      return `(SELECT u.email FROM users u WHERE u.org_id = $1 AND u.id = x.owner_id)`;
    case 'account':
      return `acc.name`;
    case 'account_domain':
      return `acc.domain`;
    case 'contact_email':
      return `(SELECT string_agg(c.email, '; ' ORDER BY lower(c.email), c.email) FROM interaction_contacts ic JOIN contacts c ON c.org_id = ic.org_id AND c.id = ic.contact_id
               WHERE ic.org_id = $1 AND ic.interaction_id = x.id)`;
    case 'parent_account':
      return `(SELECT p.name FROM accounts p WHERE p.org_id = $1 AND p.id = x.parent_account_id)`;
    case 'parent_account_id':
      return `x.parent_account_id::text`;
    case 'external_source':
    case 'external_id':
      return `(SELECT e.${key === 'external_id' ? 'external_id' : 'source'} FROM external_ids e
               WHERE e.org_id = $1 AND e.entity = '${entity}' AND e.record_id = x.id AND e.source <> 'accord' ORDER BY e.created_at, e.source LIMIT 1)`;
    case 'occurred_at':
      return `to_char(x.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
    default:
      return entity === 'orders' && key === 'fx_rate' ? `x.fx_rate::text` : `x.${key}`;
  }
}

/** Import-only fields: the external ids are written once each as external_source/external_id, account_id names the account. */
const NOT_EXPORTED = new Set(['id', 'external_id', 'external_source', 'account_external_id']);

/**
 * The record's id first (another organization importing the file keeps it as an external id of
 * source "accord", and the file's account_id columns resolve by it), the import's field keys, then
 * the record's first source-system id, so a round trip keeps it.
 */
export function exportColumns(entity: ExportEntity, custom: Pick<ImportCustomField, 'key'>[] = []): string[] {
  // Lines also carry their total (not an import field: the import computes it), for the reader.
  if (entity === 'deal_lines' || entity === 'order_lines') return ['id', ...ENTITY_FIELDS[entity].map((f) => f.key), 'line_total', 'created_at'];
  if (entity === 'price_lists') return ['id', ...ENTITY_FIELDS[entity].map((f) => f.key)];
  const skip = new Set(NOT_EXPORTED_OF[entity] ?? []);
  return ['id', ...ENTITY_FIELDS[entity].map((f) => f.key).filter((k) => !NOT_EXPORTED.has(k) && !skip.has(k)), ...custom.map((f) => CUSTOM_PREFIX + f.key), 'external_source', 'external_id', 'created_at', 'updated_at'];
}

/** A custom field's value as the import reads it back: several choices joined by "; ", booleans as true/false. */
function customExpr(f: Pick<ImportCustomField, 'key' | 'type'>): string {
  // Keys are checked on definition (lower-case letters, digits, _); quoted as a literal all the same.
  const key = `'${f.key.replace(/'/g, "''")}'`;
  return f.type === 'multiselect'
    ? `(SELECT string_agg(v, '; ') FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(x.custom->${key}) = 'array' THEN x.custom->${key} END) v)`
    : `x.custom->>${key}`;
}

function pageQuery(entity: ExportEntity, filters: ExportFilters, custom: ImportCustomField[]): { sql: string; params: unknown[] } {
  const byKey = new Map(custom.map((f) => [CUSTOM_PREFIX + f.key, f]));
  const cols = exportColumns(entity, custom).map((k) =>
    k === 'id' ? 'x.id'
      : k === 'created_at' || k === 'updated_at' ? `to_char(x.${k} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ${k}`
        : byKey.has(k) ? `${customExpr(byKey.get(k)!)} AS "${k}"`
          : `${columnExpr(entity, k)} AS "${k}"`,
  );
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length + 2}`;
  };
  const q = filters.q;
  const search = (prefix: string) => `(${SEARCH[entity].map((c) => `${c.replace(/^x\./, prefix)} ILIKE ${p(`%${q!.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)}`).join(' OR ')})`;
  const flat = FLAT[entity];
  if (flat) {
    // Filters on the flat row (a line's deal owner and account), outside the relation that pages on the item's id.
    const cond: string[] = [];
    if (q) cond.push(search('y.'));
    if (filters.ownerId && entity === 'deal_lines') cond.push(`y.owner_id = ${p(filters.ownerId)}`);
    if (filters.accountId && entity !== 'price_lists') cond.push(`y.account_id = ${p(filters.accountId)}`);
    if (filters.updatedSince && entity !== 'price_lists') cond.push(`y.updated_at >= ${p(filters.updatedSince)}`);
    if (filters.ids?.length) cond.push(`y.id = ANY(${p(filters.ids)}::uuid[])`);
    const page = `(SELECT y.* FROM (${flat('x.org_id = $1 AND x.id > $2')}) y ${cond.length ? `WHERE ${cond.join(' AND ')}` : ''} ORDER BY y.id LIMIT ${PAGE})`;
    return { sql: `SELECT ${cols.join(', ')} FROM ${page} x ORDER BY x.id`, params };
  }
  const where = ['x.org_id = $1', 'x.deleted_at IS NULL', 'x.id > $2'];
  if (q) where.push(search('x.'));
  if (filters.ownerId && ENTITY_FIELDS[entity].some((f) => f.key === 'owner')) where.push(`x.owner_id = ${p(filters.ownerId)}`);
  if (filters.accountId && belongsToAccount(entity)) where.push(`x.account_id = ${p(filters.accountId)}`);
  if (filters.updatedSince) where.push(`x.updated_at >= ${p(filters.updatedSince)}`);
  if (filters.ids?.length) where.push(`x.id = ANY(${p(filters.ids)}::uuid[])`);
  const join = !belongsToAccount(entity) ? '' : `LEFT JOIN accounts acc ON acc.org_id = $1 AND acc.id = x.account_id`;
  // The page is cut on the primary key first, then joined: the join never sees more than one page.
  const page = `(SELECT * FROM ${TABLE[entity]} x WHERE ${where.join(' AND ')} ORDER BY x.id LIMIT ${PAGE})`;
  return { sql: `SELECT ${cols.join(', ')} FROM ${page} x ${join} ORDER BY x.id`, params };
}

async function* pages(database: Database, orgId: string, entity: ExportEntity, filters: ExportFilters, custom: ImportCustomField[] = []): AsyncGenerator<Record<string, unknown>[]> {
  const q = pageQuery(entity, filters, custom);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const r = await database.query(q.sql, [orgId, after, ...q.params]);
    const rows = r.rows as Record<string, unknown>[];
    if (!rows.length) return;
    yield rows;
    if (rows.length < PAGE) return;
    after = String(rows[rows.length - 1]!.id);
  }
}

export type ExportOptions = { orgId: string; entity: ExportEntity; filters?: ExportFilters };

/**
 * CSV with a header row of field keys (custom fields as `custom.<key>`); UTF-8 with a BOM so Excel
 * opens Chinese text correctly.
 */
export function exportCsv(database: Database, o: ExportOptions): Readable {
  return Readable.from(
    (async function* () {
      const custom = await loadCustomImportFields(database, o.orgId, o.entity);
      const columns = exportColumns(o.entity, custom);
      const options = { cast: { boolean: (b: boolean) => (b ? 'true' : 'false') } };
      yield '\uFEFF' + stringify([columns], options);
      for await (const rows of pages(database, o.orgId, o.entity, o.filters ?? {}, custom)) yield stringify(rows.map((r) => columns.map((c) => r[c])), options);
    })(),
  );
}

/** Contacts as vCard (4.0 by default), one card per contact, with the account as ORG. */
export function exportVcard(database: Database, o: { orgId: string; filters?: ExportFilters; version?: '3.0' | '4.0' }): Readable {
  const version = o.version ?? '4.0';
  return Readable.from(
    (async function* () {
      for await (const rows of pages(database, o.orgId, 'contacts', o.filters ?? {})) {
        let out = '';
        for (const r of rows) {
          const c: VcardContact = {
            id: String(r.id),
            fullName: String(r.full_name),
            firstName: (r.first_name as string | null) ?? null,
            lastName: (r.last_name as string | null) ?? null,
            title: (r.title as string | null) ?? null,
            department: (r.department as string | null) ?? null,
            language: (r.language as string | null) ?? null,
            email: (r.email as string | null) ?? null,
            phone: (r.phone as string | null) ?? null,
            mobile: (r.mobile as string | null) ?? null,
            country: (r.country as string | null) ?? null,
            city: (r.city as string | null) ?? null,
            consent: String(r.consent ?? 'unknown'),
            doNotEmail: r.do_not_email === true,
            tags: r.tags ? String(r.tags).split('; ').filter(Boolean) : [],
            accountName: (r.account as string | null) ?? null,
            updatedAt: (r.updated_at as string | null) ?? null,
          };
          out += contactToVcard(c, version);
        }
        yield out;
      }
    })(),
  );
}
