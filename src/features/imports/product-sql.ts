/**
 * The set-based half of importing products, price lists (their tiers), deal lines and order lines, and
 * of a deal imported with a product column (issue #16; docs/import.md "Products, prices and lines").
 * Like sql.ts: every statement works on the whole staging table `t`; $1 is the organization, $2 the
 * external source (resolve steps) or the acting user (merge steps). Prices follow the same rules as
 * the API (products/rules.ts pickPrice, lineTotal), written in SQL so 100k lines need no row loop.
 */
import { isLineEntity, namesProducts, type ImportEntity } from './fields.ts';

// Same spelling as sql.ts addError (IMMUTABLE jsonb_object, see there).
const addError = (field: string, message: string) =>
  `ok = false, err = coalesce(err, '[]'::jsonb) || jsonb_object(ARRAY['field', '${field}', 'message', (${message})::text])`;

const BASE_CURRENCY = `(SELECT o.base_currency FROM organizations o WHERE o.id = $1)`;

/** Resolution columns of the entities that name a product (beside sql.ts WORK_COLUMNS). */
export function productWorkColumns(entity: ImportEntity): string[] {
  if (!namesProducts(entity)) return [];
  return [
    'res_product_id uuid', 'res_parent_id uuid', 'res_currency text', 'res_day date', 'res_fx numeric', 'res_list_price numeric', 'res_price_list_id uuid',
    'res_unit_price numeric', 'res_total numeric', 'res_default boolean',
  ];
}

const PARENT = {
  deal_lines: { table: 'opportunities', lines: 'opportunity_lines', fk: 'opportunity_id', entity: 'opportunities', idField: 'opportunity_id', what: 'deal' },
  order_lines: { table: 'orders', lines: 'order_lines', fk: 'order_id', entity: 'orders', idField: 'order_id', what: 'order' },
} as const;

/** Statements that find each row's product: by code, else by code or name in the product column; unknown → error unless created. */
function productSteps(t: string, createProducts: boolean): string[] {
  return [
    `UPDATE ${t} s SET res_product_id = p.id FROM products p
      WHERE s.ok AND s.product_key IS NOT NULL AND p.org_id = $1 AND lower(p.code) = s.product_key AND p.deleted_at IS NULL`,
    // The code is unique among deleted products too: a deleted one can be neither used nor created again.
    `UPDATE ${t} s SET ${addError('product_code', `'product ' || s.product_code || ' is deleted (restore it, or use another code)'`)} FROM products p
      WHERE s.ok AND s.res_product_id IS NULL AND s.product_key IS NOT NULL AND p.org_id = $1 AND lower(p.code) = s.product_key AND p.deleted_at IS NOT NULL`,
    // The product column holds a code or a name (in any of its translations); a name only counts when one product has it.
    `UPDATE ${t} s SET res_product_id = p.id FROM products p
      WHERE s.ok AND s.res_product_id IS NULL AND s.product_key IS NULL AND s.product_name_key IS NOT NULL AND p.org_id = $1 AND lower(p.code) = s.product_name_key AND p.deleted_at IS NULL`,
    `UPDATE ${t} s SET res_product_id = CASE WHEN m.n = 1 THEN m.id END,
        ok = CASE WHEN m.n = 1 THEN s.ok ELSE false END,
        err = CASE WHEN m.n = 1 THEN s.err ELSE coalesce(s.err, '[]'::jsonb) || jsonb_object(ARRAY['field', 'product', 'message', 'several products are named ' || s.product || ': ' || m.codes || ' (use product_code)']) END
      FROM (SELECT k.v, min(p.id::text)::uuid AS id, count(DISTINCT p.id) AS n, string_agg(DISTINCT p.code, ', ') AS codes
            FROM (SELECT DISTINCT product_name_key AS v FROM ${t} WHERE ok AND res_product_id IS NULL AND product_key IS NULL AND product_name_key IS NOT NULL) k
            JOIN products p ON p.org_id = $1 AND p.deleted_at IS NULL
              AND (lower(p.name) = k.v OR lower(p.name_i18n->>'en') = k.v OR lower(p.name_i18n->>'zh-CN') = k.v OR lower(p.name_i18n->>'zh-TW') = k.v)
            GROUP BY k.v) m
      WHERE s.ok AND s.res_product_id IS NULL AND s.product_key IS NULL AND s.product_name_key = m.v`,
    ...(createProducts ? [] : [
      `UPDATE ${t} SET ${addError('product_code', `CASE WHEN product_key IS NOT NULL THEN 'no product with code ' || product_code ELSE 'no product with code or name ' || product END || ' (or import with createProducts)'`)}
        WHERE ok AND res_product_id IS NULL AND (product_key IS NOT NULL OR product_name_key IS NOT NULL)`,
    ]),
  ];
}

/** The deal or order each line belongs to: by Accord id, another organization's Accord id or the source's id, else by name/number (unique only). */
function parentSteps(entity: 'deal_lines' | 'order_lines', t: string, hasIds: boolean): string[] {
  const p = PARENT[entity];
  // Only a file with an id column looks records up by id: run on a file without one, these joins met
  // stale statistics of the parent table (PGlite has no autovacuum) with the parents outside, scanning
  // the staging table once per parent — 5 s for 5 000 lines that name no id at all.
  const steps = !hasIds ? [] : [
    `UPDATE ${t} s SET res_parent_id = r.id FROM ${p.table} r
      WHERE s.ok AND s.parent_uuid IS NOT NULL AND r.org_id = $1 AND r.id = s.parent_uuid AND r.deleted_at IS NULL`,
    `UPDATE ${t} s SET res_parent_id = r.id FROM external_ids x JOIN ${p.table} r ON r.org_id = x.org_id AND r.id = x.record_id AND r.deleted_at IS NULL
      WHERE s.ok AND s.res_parent_id IS NULL AND x.org_id = $1 AND x.entity = '${p.entity}'
        AND ((s.parent_uuid IS NOT NULL AND x.source = 'accord' AND x.external_id = s.parent_uuid::text) OR (s.parent_xid IS NOT NULL AND x.source = $2 AND x.external_id = s.parent_xid))`,
    `UPDATE ${t} SET ${addError(p.idField, `'no ${p.what} with id ' || ${p.idField}`)} WHERE ok AND res_parent_id IS NULL AND ${p.idField} IS NOT NULL`,
  ];
  if (entity === 'deal_lines') {
    // By name, and by the account's name too when the file has it (two customers may each have a deal "Warehouse lighting").
    steps.push(`UPDATE ${t} s SET res_parent_id = CASE WHEN m.n = 1 THEN m.id END,
        ok = m.n = 1,
        err = CASE WHEN m.n = 1 THEN s.err ELSE coalesce(s.err, '[]'::jsonb) || jsonb_object(ARRAY['field', 'opportunity', 'message', m.n || ' deals are named ' || s.opportunity || ' (add the account column, or use opportunity_id)']) END
      FROM (SELECT k.n AS name, k.a, min(o.id::text)::uuid AS id, count(*) AS n
            FROM (SELECT DISTINCT lower(opportunity) AS n, lower(account) AS a FROM ${t} WHERE ok AND res_parent_id IS NULL AND opportunity_id IS NULL AND opportunity IS NOT NULL) k
            JOIN opportunities o ON o.org_id = $1 AND o.deleted_at IS NULL AND lower(o.name) = k.n
            LEFT JOIN accounts a ON a.org_id = $1 AND a.id = o.account_id
            WHERE k.a IS NULL OR lower(a.name) = k.a GROUP BY k.n, k.a) m
      WHERE s.ok AND s.res_parent_id IS NULL AND s.opportunity_id IS NULL AND lower(s.opportunity) = m.name AND lower(s.account) IS NOT DISTINCT FROM m.a`);
    steps.push(`UPDATE ${t} SET ${addError('opportunity', `'no deal named ' || opportunity || coalesce(' at ' || account, '')`)} WHERE ok AND res_parent_id IS NULL`);
    // Currency and rate: the deal's lines' (kept), else the deal's own currency, else the base currency; the file's fx_rate wins.
    steps.push(`UPDATE ${t} s SET res_currency = c.cur, res_day = current_date,
        res_fx = CASE WHEN c.cur = ${BASE_CURRENCY} THEN NULL ELSE coalesce(s.fx_rate, c.fx) END
      FROM (SELECT o.id, btrim(coalesce(pr.currency, o.currency, ${BASE_CURRENCY})) AS cur, CASE WHEN pr.currency IS NOT NULL THEN pr.fx_rate END AS fx
            FROM opportunities o LEFT JOIN opportunity_pricing pr ON pr.org_id = o.org_id AND pr.opportunity_id = o.id
            WHERE o.org_id = $1 AND o.id IN (SELECT res_parent_id FROM ${t} WHERE ok)) c
      WHERE s.ok AND s.res_parent_id = c.id`);
    // A foreign-currency deal needs a rate from the file (any of its rows) or from its lines.
    steps.push(`UPDATE ${t} s SET ${addError('fx_rate', `'required for ' || s.res_currency || ' deals (base currency ' || ${BASE_CURRENCY} || ')'`)}
      WHERE s.ok AND s.res_currency <> ${BASE_CURRENCY} AND s.res_fx IS NULL
        AND NOT EXISTS (SELECT 1 FROM ${t} o WHERE o.res_parent_id = s.res_parent_id AND o.res_fx IS NOT NULL)`);
  } else {
    // An order's lines are priced in its currency on the day it was placed; its rate is its own. Found
    // by number, they take those in the same pass (one rewrite of the staging table, not two).
    steps.push(`UPDATE ${t} s SET res_parent_id = CASE WHEN m.n = 1 THEN m.id END,
        res_currency = CASE WHEN m.n = 1 THEN m.cur END, res_day = CASE WHEN m.n = 1 THEN m.day END, res_fx = CASE WHEN m.n = 1 THEN m.fx END,
        ok = m.n = 1,
        err = CASE WHEN m.n = 1 THEN s.err ELSE coalesce(s.err, '[]'::jsonb) || jsonb_object(ARRAY['field', 'order_number', 'message', m.n || ' orders have the number ' || s.order_number || ' (use order_id)']) END
      FROM (SELECT k.v, min(o.id::text)::uuid AS id, count(*) AS n, min(btrim(o.currency)) AS cur, min(o.ordered_at) AS day, min(o.fx_rate) AS fx
            FROM (SELECT DISTINCT order_number AS v FROM ${t} WHERE ok AND res_parent_id IS NULL AND order_id IS NULL AND order_number IS NOT NULL) k
            JOIN orders o ON o.org_id = $1 AND o.deleted_at IS NULL AND o.order_number = k.v GROUP BY k.v) m
      WHERE s.ok AND s.res_parent_id IS NULL AND s.order_id IS NULL AND s.order_number = m.v`);
    steps.push(`UPDATE ${t} SET ${addError('order_number', `'no order with number ' || order_number`)} WHERE ok AND res_parent_id IS NULL`);
    if (hasIds) {
      steps.push(`UPDATE ${t} s SET res_currency = btrim(o.currency), res_day = o.ordered_at, res_fx = o.fx_rate
        FROM orders o WHERE s.ok AND s.res_currency IS NULL AND o.org_id = $1 AND o.id = s.res_parent_id`);
    }
  }
  // An inactive product is not added to a record that does not already carry it (as the API refuses it).
  steps.push(`UPDATE ${t} s SET ${addError('product_code', `p.code || ' is inactive and cannot be added'`)} FROM products p
    WHERE s.ok AND p.org_id = $1 AND p.id = s.res_product_id AND NOT p.active
      AND NOT EXISTS (SELECT 1 FROM ${p.lines} l WHERE l.org_id = $1 AND l.${p.fk} = s.res_parent_id AND l.product_id = p.id)`);
  return steps;
}

/**
 * The price of each line (pickPrice in SQL): lists of the line's currency valid on its day; the
 * default list first, then the most recently valid, then by id; in a list the highest tier not
 * above the quantity; a list without such a tier is passed over. Looked up once per distinct
 * (product, currency, day, quantity). Then the line total, rounded once to cents (lineTotal), and the
 * rules of a line: a price is needed, a discount or a price below the list needs a reason.
 */
function priceSteps(t: string): string[] {
  // Multiplying by 0.01 rather than dividing by 100 keeps every digit (numeric products are exact).
  const total = (price: string) => `round(s.quantity * ${price} * (100 - coalesce(s.discount_pct, 0)) * 0.01, 2)`;
  return [
    // The distinct keys and their prices are materialized first: the staging table's statistics
    // predate the resolution (its res_ columns were empty when it was analyzed), and the planner, taking
    // the keys for one row, ran the price lookup once per line (100k lookups for 3 000 keys, 2.8 of a
    // 23 s import). List price, unit price and total are then written in one pass over the lines.
    `WITH k AS MATERIALIZED (
        SELECT DISTINCT res_product_id AS pid, res_currency AS cur, res_day AS day, quantity AS q FROM ${t} WHERE ok AND res_product_id IS NOT NULL AND quantity IS NOT NULL),
      x AS MATERIALIZED (
        SELECT k.pid, k.cur, k.day, k.q, p.unit_price, p.price_list_id FROM k
        CROSS JOIN LATERAL (SELECT i.unit_price, i.price_list_id FROM price_list_items i
          JOIN price_lists l ON l.org_id = i.org_id AND l.id = i.price_list_id AND l.deleted_at IS NULL
          WHERE i.org_id = $1 AND i.product_id = k.pid AND btrim(l.currency) = k.cur AND l.valid_from <= k.day AND (l.valid_to IS NULL OR k.day <= l.valid_to) AND i.min_quantity <= k.q
          ORDER BY l.is_default DESC, l.valid_from DESC, l.id, i.min_quantity DESC LIMIT 1) p)
    UPDATE ${t} s SET res_list_price = x.unit_price, res_price_list_id = x.price_list_id,
        res_unit_price = coalesce(s.unit_price, x.unit_price), res_total = ${total('coalesce(s.unit_price, x.unit_price)')}
      FROM x WHERE s.ok AND s.res_product_id = x.pid AND s.res_currency = x.cur AND s.res_day = x.day AND s.quantity = x.q`,
    // Lines without a list price: the typed price, if any.
    `UPDATE ${t} s SET res_unit_price = s.unit_price, res_total = ${total('s.unit_price')}
      WHERE s.ok AND s.quantity IS NOT NULL AND s.res_unit_price IS NULL AND s.unit_price IS NOT NULL`,
    `UPDATE ${t} SET ${addError('unit_price', `'no price list has a price for this product, quantity and date: give the unit price'`)} WHERE ok AND quantity IS NOT NULL AND res_unit_price IS NULL`,
    `UPDATE ${t} SET ${addError('discount_reason', `'required when the price is below the list price or discounted'`)}
      WHERE ok AND quantity IS NOT NULL AND discount_reason IS NULL AND (coalesce(discount_pct, 0) > 0 OR (res_list_price IS NOT NULL AND res_unit_price < res_list_price))`,
    `UPDATE ${t} SET ${addError('unit_price', `'the line total ' || res_total || ' is too large'`)} WHERE ok AND res_total >= 1e16`,
  ];
}

/**
 * The staging table is analyzed once its lines know their product and deal or order. Analyzed only
 * after the COPY, every res_ column was empty to the planner; with the parents' own statistics as
 * stale (PGlite has no autovacuum; the lines were just written), the recompute of the orders' amounts
 * joined "one" line to "one" parent and rescanned the staging table per line — quadratic: 13 s for
 * 5 000 order lines in a database the size of the embedded benchmark's, hours for 100 000. Analyzed
 * again here (a tenth of a second per 100k rows), the later joins are planned as what they are.
 */
const REANALYZE = (t: string) => `ANALYZE ${t}`;

/** Resolution and row errors of the product entities (run with sql.ts resolveSteps). $1 org, $2 external source. */
export function productResolveSteps(entity: ImportEntity, t: string, opts: { createProducts?: boolean; hasParentIds?: boolean }): string[] {
  if (!namesProducts(entity)) return [];
  const steps = productSteps(t, !!opts.createProducts);
  if (isLineEntity(entity)) return [...steps, ...parentSteps(entity, t, opts.hasParentIds ?? true), REANALYZE(t), ...priceSteps(t)];
  if (entity === 'opportunities') {
    // A new deal with a product is priced in its own currency today.
    return [
      ...steps,
      // A deal's product without a quantity is one unit of it.
      `UPDATE ${t} SET quantity = 1 WHERE ok AND quantity IS NULL AND (product_key IS NOT NULL OR product_name_key IS NOT NULL)`,
      `UPDATE ${t} SET res_currency = coalesce(currency, ${BASE_CURRENCY}), res_day = current_date,
          res_fx = CASE WHEN coalesce(currency, ${BASE_CURRENCY}) = ${BASE_CURRENCY} THEN NULL ELSE fx_rate END
        WHERE ok AND quantity IS NOT NULL`,
      `UPDATE ${t} SET ${addError('fx_rate', `'required for a ' || res_currency || ' deal with a product (base currency ' || ${BASE_CURRENCY} || ')'`)}
        WHERE ok AND quantity IS NOT NULL AND res_currency <> ${BASE_CURRENCY} AND res_fx IS NULL`,
      ...priceSteps(t),
      // The deal's amount is its line's total: a different amount in the file is not silently dropped.
      `UPDATE ${t} SET ${addError('amount', `'differs from the product line''s total ' || res_total || ' (quantity × unit price − discount): leave it empty or correct it'`)}
        WHERE ok AND res_total IS NOT NULL AND amount IS NOT NULL AND amount <> res_total`,
    ];
  }
  // price_lists: the list by name (and currency when given); a name used by lists of several currencies needs the currency.
  return [
    ...steps,
    `UPDATE ${t} s SET res_parent_id = m.id, res_currency = m.cur
      FROM (SELECT DISTINCT ON (lower(l.name), btrim(l.currency)) lower(l.name) AS k, btrim(l.currency) AS cur, l.id FROM price_lists l
            WHERE l.org_id = $1 AND l.deleted_at IS NULL ORDER BY lower(l.name), btrim(l.currency), l.is_default DESC, l.valid_from DESC, l.id) m
      WHERE s.ok AND s.currency IS NOT NULL AND lower(s.price_list) = m.k AND s.currency = m.cur`,
    `UPDATE ${t} s SET res_parent_id = CASE WHEN m.n = 1 THEN m.id END, res_currency = CASE WHEN m.n = 1 THEN m.cur END,
        ok = m.n = 1,
        err = CASE WHEN m.n = 1 THEN s.err ELSE coalesce(s.err, '[]'::jsonb) || jsonb_object(ARRAY['field', 'currency', 'message', 'price lists named ' || s.price_list || ' exist in ' || m.curs || ': add the currency column']) END
      FROM (SELECT lower(l.name) AS k, count(DISTINCT btrim(l.currency)) AS n, min(l.id::text)::uuid AS id, min(btrim(l.currency)) AS cur, string_agg(DISTINCT btrim(l.currency), ', ') AS curs
            FROM price_lists l WHERE l.org_id = $1 AND l.deleted_at IS NULL GROUP BY lower(l.name)) m
      WHERE s.ok AND s.currency IS NULL AND lower(s.price_list) = m.k`,
    // A list the organization does not have is created (in the row's currency, else the base currency).
    `UPDATE ${t} SET res_currency = coalesce(currency, ${BASE_CURRENCY}) WHERE ok AND res_parent_id IS NULL`,
    // New lists that ask to be the default: one per currency (the index allows no second).
    `UPDATE ${t} s SET ${addError('is_default', `'two new price lists of ' || s.res_currency || ' cannot both be the default'`)}
      FROM (SELECT res_currency AS cur, min(lower(price_list)) AS first FROM ${t} WHERE ok AND res_parent_id IS NULL AND is_default GROUP BY 1) f
      WHERE s.ok AND s.res_parent_id IS NULL AND s.is_default AND s.res_currency = f.cur AND lower(s.price_list) <> f.first`,
    ...validitySteps(t),
  ];
}

/**
 * The validity a file gives a price list (`valid_from`, `valid_to`) is the list's, whether the import
 * creates it or it exists: rows of one list that disagree, or dates
 * that would make an existing list end before it starts are row errors (the API's rule: validTo not
 * before validFrom). An empty cell keeps what the list has.
 */
function validitySteps(t: string): string[] {
  const list = `lower(s.price_list) || '/' || s.res_currency`;
  const disagree = (col: 'valid_from' | 'valid_to') =>
    `UPDATE ${t} s SET ${addError(col, `'${col} ' || s.${col} || ' differs from line ' || f.line || ' (' || f.v || ') for price list ' || s.price_list`)}
      FROM (SELECT DISTINCT ON (${list}) ${list} AS k, line, ${col} AS v FROM ${t} s WHERE ok AND ${col} IS NOT NULL ORDER BY ${list}, line) f
      WHERE s.ok AND s.${col} IS NOT NULL AND ${list} = f.k AND s.${col} <> f.v`;
  return [
    // (valid_to before valid_from in the same row is refused when the row is read: rules.ts.)
    disagree('valid_from'),
    disagree('valid_to'),
    // With the list's own dates where the file leaves them empty (a new list starts today unless told).
    ...(['valid_to', 'valid_from'] as const).map((col) => `UPDATE ${t} s
      SET ${addError(col, `'price list ' || s.price_list || ' would end (' || coalesce(s.valid_to, l.valid_to) || ') before it starts (' || coalesce(s.valid_from, l.valid_from) || ')'`)}
      FROM price_lists l WHERE s.ok AND s.res_parent_id IS NOT NULL AND l.org_id = $1 AND l.id = s.res_parent_id
        AND ${col === 'valid_to' ? 's.valid_to IS NOT NULL' : 's.valid_to IS NULL AND s.valid_from IS NOT NULL'} AND coalesce(s.valid_to, l.valid_to) < coalesce(s.valid_from, l.valid_from)`),
    `UPDATE ${t} s SET ${addError('valid_to', `'price list ' || s.price_list || ' would end (' || s.valid_to || ') before it starts (' || coalesce(f.vf, current_date) || ')'`)}
      FROM (SELECT ${list} AS k, min(valid_from) AS vf FROM ${t} s WHERE ok AND res_parent_id IS NULL GROUP BY 1) f
      WHERE s.ok AND s.res_parent_id IS NULL AND s.valid_to IS NOT NULL AND ${list} = f.k AND s.valid_to < coalesce(f.vf, current_date)`,
  ];
}

const IN_FILE = (t: string, key: string, what: string) => `UPDATE ${t} s SET dup_line = f.first, dup_reason = 'same ${what} as line ' || f.first
  FROM (SELECT ${key} AS k, min(line) AS first FROM ${t} s WHERE ok AND dup_line IS NULL GROUP BY 1 HAVING count(*) > 1) f
  WHERE s.ok AND s.dup_line IS NULL AND ${key} = f.k AND s.line <> f.first`;
const PRODUCT_KEY = `coalesce(s.res_product_id::text, coalesce(s.product_key, s.product_name_key))`;

/** Duplicates of the product entities: in the file (first line wins), then in the database. $1 org. */
export function productDuplicateSteps(entity: ImportEntity, t: string): string[] | undefined {
  switch (entity) {
    case 'products':
      return [
        IN_FILE(t, 'lower(s.code)', 'code'),
        `UPDATE ${t} s SET dup_of = p.id, dup_reason = 'a product with this code exists'
          FROM products p WHERE s.ok AND s.dup_line IS NULL AND p.org_id = $1 AND lower(p.code) = lower(s.code) AND p.deleted_at IS NULL`,
        `UPDATE ${t} s SET ${addError('code', `'a deleted product has the code ' || s.code || ' (restore it, or use another code)'`)}
          FROM products p WHERE s.ok AND s.dup_line IS NULL AND s.dup_of IS NULL AND p.org_id = $1 AND lower(p.code) = lower(s.code) AND p.deleted_at IS NOT NULL`,
      ];
    case 'price_lists':
      // A price is one tier: list, product and minimum quantity.
      return [
        IN_FILE(t, `lower(s.price_list) || '/' || s.res_currency || '/' || ${PRODUCT_KEY} || '/' || trim_scale(coalesce(s.min_quantity, 1))::text`, 'list, product and minimum quantity'),
        `UPDATE ${t} s SET dup_of = i.id, dup_reason = 'this list has a price for this product from this quantity'
          FROM price_list_items i WHERE s.ok AND s.dup_line IS NULL AND s.res_parent_id IS NOT NULL AND i.org_id = $1 AND i.price_list_id = s.res_parent_id
            AND i.product_id = s.res_product_id AND i.min_quantity = coalesce(s.min_quantity, 1)`,
      ];
    case 'deal_lines':
    case 'order_lines': {
      const p = PARENT[entity];
      // A line is its deal's/order's line number when the file gives one, else its product on that deal/order.
      return [
        IN_FILE(t, `s.res_parent_id::text || '/' || coalesce('#' || s.line_no, ${PRODUCT_KEY})`, `${p.what} and ${'line number or product'}`),
        `UPDATE ${t} s SET dup_of = l.id, dup_reason = 'this ${p.what} has line ' || (l.position + 1)
          FROM (SELECT DISTINCT ON (${p.fk}, position) ${p.fk} AS parent, position, id FROM ${p.lines} WHERE org_id = $1 AND ${p.fk} IN (SELECT res_parent_id FROM ${t} WHERE ok) ORDER BY ${p.fk}, position, id) l
          WHERE s.ok AND s.dup_line IS NULL AND s.line_no IS NOT NULL AND l.parent = s.res_parent_id AND l.position = s.line_no - 1`,
        `UPDATE ${t} s SET dup_of = l.id, dup_reason = 'this ${p.what} has a line of this product (line ' || (l.position + 1) || ')'
          FROM (SELECT DISTINCT ON (${p.fk}, product_id) ${p.fk} AS parent, product_id, position, id FROM ${p.lines} WHERE org_id = $1 AND ${p.fk} IN (SELECT res_parent_id FROM ${t} WHERE ok) ORDER BY ${p.fk}, product_id, position, id) l
          WHERE s.ok AND s.dup_line IS NULL AND s.line_no IS NULL AND l.parent = s.res_parent_id AND l.product_id = s.res_product_id`,
      ];
    }
    default:
      return undefined;
  }
}

/**
 * Products the file names that do not exist yet (createProducts): one per distinct code (or name),
 * with the file's code (the name when only a name is given) and name. $1 org, $2 actor.
 */
export function createProductsSql(t: string): [collect: string, insert: string, resolve: string] {
  return [
    `CREATE TEMP TABLE ${t}_prod AS SELECT DISTINCT ON (k) k, code, name, uuid_generate_v7() AS id FROM (
       SELECT coalesce(product_key, product_name_key) AS k, coalesce(product_code, product) AS code, coalesce(product, product_code) AS name, line
       FROM ${t} WHERE ok AND dup_line IS NULL AND res_product_id IS NULL AND coalesce(product_key, product_name_key) IS NOT NULL) d ORDER BY k, line`,
    `INSERT INTO products (org_id, id, code, name, created_by, updated_by) SELECT $1::uuid, n.id, n.code, n.name, $2::uuid, $2::uuid FROM ${t}_prod n ORDER BY n.id`,
    `UPDATE ${t} s SET res_product_id = n.id FROM ${t}_prod n WHERE s.ok AND s.res_product_id IS NULL AND n.k = coalesce(s.product_key, s.product_name_key)`,
  ];
}

const NEW = 's.ok AND s.dup_of IS NULL AND s.dup_line IS NULL';

/** The merge of a product entity: the insert, what follows it, and (onDuplicate update) the update. $1 org, $2 actor. */
export function productMergeSql(entity: ImportEntity, t: string): { insert: string; after: string[]; update: string } | undefined {
  switch (entity) {
    case 'products': {
      const i18n = `jsonb_strip_nulls(jsonb_object(ARRAY['en', s.name_en, 'zh-CN', s.name_zh_cn, 'zh-TW', s.name_zh_tw]))`;
      return {
        insert: `INSERT INTO products (org_id, id, code, name, name_i18n, product_line, unit, description, active, lifecycle, first_of_kind, custom, created_by, updated_by)
          SELECT $1::uuid, s.new_id, s.code, s.name, ${i18n}, s.product_line, coalesce(s.unit, 'pcs'), s.description, coalesce(s.active, true), coalesce(s.lifecycle, 'current'),
            coalesce(s.first_of_kind, false), coalesce(s.custom, '{}'::jsonb), $2::uuid, $2::uuid
          FROM ${t} s WHERE ${NEW} ORDER BY s.line`,
        after: [],
        // The file's non-empty values; the code is the key and stays as it is written.
        update: `UPDATE products r SET name = coalesce(s.name, r.name), name_i18n = r.name_i18n || ${i18n}, product_line = coalesce(s.product_line, r.product_line),
            unit = coalesce(s.unit, r.unit), description = coalesce(s.description, r.description), active = coalesce(s.active, r.active),
            lifecycle = coalesce(s.lifecycle, r.lifecycle), first_of_kind = coalesce(s.first_of_kind, r.first_of_kind), custom = r.custom || coalesce(s.custom, '{}'::jsonb),
            version = r.version + 1, updated_at = now(), updated_by = $2
          FROM (SELECT DISTINCT ON (dup_of) * FROM ${t} WHERE ok AND dup_of IS NOT NULL AND dup_line IS NULL ORDER BY dup_of, line) s
          WHERE r.org_id = $1 AND r.id = s.dup_of`,
      };
    }
    case 'price_lists':
      return {
        insert: `INSERT INTO price_list_items (org_id, id, price_list_id, product_id, min_quantity, unit_price)
          SELECT $1::uuid, s.new_id, coalesce(s.res_parent_id, n.id), s.res_product_id, coalesce(s.min_quantity, 1), s.unit_price
          FROM ${t} s LEFT JOIN ${t}_lists n ON s.res_parent_id IS NULL AND n.k = lower(s.price_list) AND n.cur = s.res_currency
          WHERE ${NEW} ORDER BY s.line`,
        after: [
          // Every existing list the file names is a new version of it (the API's rule for its items),
          // with the validity the file gives it (validitySteps checked it; an empty cell keeps the list's).
          `UPDATE price_lists l SET valid_from = coalesce(f.vf, l.valid_from), valid_to = coalesce(f.vt, l.valid_to), version = l.version + 1, updated_at = now(), updated_by = $2
            FROM (SELECT res_parent_id AS id, min(valid_from) AS vf, max(valid_to) AS vt FROM ${t} WHERE ok AND dup_line IS NULL AND res_parent_id IS NOT NULL GROUP BY 1) f
            WHERE l.org_id = $1 AND l.id = f.id`,
        ],
        update: `UPDATE price_list_items r SET unit_price = s.unit_price
          FROM (SELECT DISTINCT ON (dup_of) * FROM ${t} WHERE ok AND dup_of IS NOT NULL AND dup_line IS NULL ORDER BY dup_of, line) s
          WHERE r.org_id = $1 AND r.id = s.dup_of`,
      };
    case 'deal_lines':
    case 'order_lines': {
      const p = PARENT[entity];
      const cols = 'quantity, list_price, unit_price, discount_pct, discount_reason, line_total, price_list_id, description';
      return {
        // New lines go after the record's existing ones in file order, unless the file numbers them.
        insert: `INSERT INTO ${p.lines} (org_id, id, ${p.fk}, position, product_id, ${cols})
          SELECT $1::uuid, s.new_id, s.res_parent_id,
            coalesce(s.line_no - 1, coalesce(m.last, -1) + row_number() OVER (PARTITION BY s.res_parent_id, s.line_no IS NULL ORDER BY s.line)),
            s.res_product_id, s.quantity, s.res_list_price, s.res_unit_price, coalesce(s.discount_pct, 0), s.discount_reason, s.res_total, s.res_price_list_id, s.description
          FROM ${t} s LEFT JOIN (SELECT ${p.fk} AS parent, max(position) AS last FROM ${p.lines} WHERE org_id = $1 AND ${p.fk} IN (SELECT res_parent_id FROM ${t} WHERE ok) GROUP BY 1) m
            ON m.parent = s.res_parent_id
          WHERE ${NEW} ORDER BY s.line`,
        after: [],
        update: `UPDATE ${p.lines} r SET product_id = s.res_product_id, quantity = s.quantity, list_price = s.res_list_price, unit_price = s.res_unit_price,
            discount_pct = coalesce(s.discount_pct, 0), discount_reason = s.discount_reason, line_total = s.res_total, price_list_id = s.res_price_list_id,
            description = coalesce(s.description, r.description)
          FROM (SELECT DISTINCT ON (dup_of) * FROM ${t} WHERE ok AND dup_of IS NOT NULL AND dup_line IS NULL ORDER BY dup_of, line) s
          WHERE r.org_id = $1 AND r.id = s.dup_of`,
      };
    }
    default:
      return undefined;
  }
}

/** Price lists the file names that do not exist: created before their prices ($1 org, $2 actor). */
export function createPriceListsSql(t: string): string[] {
  return [
    `CREATE TEMP TABLE ${t}_lists AS SELECT k, cur, min(name) AS name, min(valid_from) AS valid_from, max(valid_to) AS valid_to, bool_or(coalesce(is_default, false)) AS is_default,
        uuid_generate_v7() AS id
      FROM (SELECT lower(price_list) AS k, res_currency AS cur, price_list AS name, valid_from, valid_to, is_default FROM ${t} WHERE ok AND dup_line IS NULL AND res_parent_id IS NULL) d
      GROUP BY k, cur`,
    // A new default takes the place of the currency's current one (the API's rule).
    `UPDATE price_lists l SET is_default = false, version = l.version + 1, updated_at = now(), updated_by = $2
      WHERE l.org_id = $1 AND l.is_default AND l.deleted_at IS NULL AND btrim(l.currency) IN (SELECT cur FROM ${t}_lists WHERE is_default)`,
    `INSERT INTO price_lists (org_id, id, name, currency, valid_from, valid_to, is_default, created_by, updated_by)
      SELECT $1::uuid, n.id, n.name, n.cur, coalesce(n.valid_from, current_date), n.valid_to, n.is_default, $2::uuid, $2::uuid
      FROM ${t}_lists n ORDER BY n.id`,
  ];
}

/**
 * After the lines: each deal or order that got or changed lines takes their sum as its amount (a new
 * version of it), as PUT …/lines does. A deal's pricing row keeps the currency, rate and base amount. $1 org, $2 actor.
 */
export function recomputeParentsSql(entity: ImportEntity, t: string, updating: boolean): string[] {
  const touched = `SELECT DISTINCT res_parent_id FROM ${t} WHERE ok AND dup_line IS NULL ${updating ? '' : 'AND dup_of IS NULL'} AND res_parent_id IS NOT NULL`;
  if (entity === 'deal_lines') {
    return [
      `INSERT INTO opportunity_pricing (org_id, opportunity_id, currency, fx_rate, amount, amount_base, line_count, updated_at)
        SELECT $1::uuid, sm.id, c.cur, c.fx, sm.amount, round(sm.amount * coalesce(c.fx, 1), 2), sm.n, now()
        FROM (SELECT l.opportunity_id AS id, sum(l.line_total) AS amount, count(*)::int AS n FROM opportunity_lines l
              WHERE l.org_id = $1 AND l.opportunity_id IN (${touched}) GROUP BY 1) sm
        JOIN (SELECT DISTINCT ON (res_parent_id) res_parent_id AS id, res_currency AS cur, res_fx AS fx FROM ${t}
              WHERE ok AND res_parent_id IS NOT NULL ORDER BY res_parent_id, res_fx IS NULL, line) c ON c.id = sm.id
        ON CONFLICT (org_id, opportunity_id) DO UPDATE SET currency = excluded.currency, fx_rate = excluded.fx_rate, amount = excluded.amount,
          amount_base = excluded.amount_base, line_count = excluded.line_count, updated_at = now()`,
      `UPDATE opportunities o SET amount = p.amount, currency = p.currency, version = o.version + 1, updated_at = now(), updated_by = $2
        FROM opportunity_pricing p WHERE o.org_id = $1 AND p.org_id = $1 AND p.opportunity_id = o.id AND o.id IN (${touched})`,
    ];
  }
  if (entity === 'order_lines') {
    return [
      `UPDATE orders o SET amount = sm.amount, amount_base = round(sm.amount * coalesce(o.fx_rate, 1), 2), version = o.version + 1, updated_at = now(), updated_by = $2
        FROM (SELECT l.order_id AS id, sum(l.line_total) AS amount FROM order_lines l WHERE l.org_id = $1 AND l.order_id IN (${touched}) GROUP BY 1) sm
        WHERE o.org_id = $1 AND o.id = sm.id`,
    ];
  }
  if (entity === 'opportunities') {
    // A new deal with a product: its line, and the pricing that makes its amount the line's.
    return [
      `INSERT INTO opportunity_lines (org_id, id, opportunity_id, position, product_id, quantity, list_price, unit_price, discount_pct, discount_reason, line_total, price_list_id)
        SELECT $1::uuid, uuid_generate_v7(), s.new_id, 0, s.res_product_id, s.quantity, s.res_list_price, s.res_unit_price, coalesce(s.discount_pct, 0), s.discount_reason, s.res_total, s.res_price_list_id
        FROM ${t} s WHERE ${NEW} AND s.res_product_id IS NOT NULL AND s.res_total IS NOT NULL ORDER BY s.line`,
      `INSERT INTO opportunity_pricing (org_id, opportunity_id, currency, fx_rate, amount, amount_base, line_count)
        SELECT $1::uuid, s.new_id, s.res_currency, s.res_fx, s.res_total, round(s.res_total * coalesce(s.res_fx, 1), 2), 1
        FROM ${t} s WHERE ${NEW} AND s.res_product_id IS NOT NULL AND s.res_total IS NOT NULL`,
    ];
  }
  return [];
}

/** A deal or order whose amount is the sum of its lines (SQL over the updated record `r`). */
export const LINED_DEAL = `EXISTS (SELECT 1 FROM opportunity_pricing lp WHERE lp.org_id = $1 AND lp.opportunity_id = r.id AND lp.line_count > 0)`;
export const LINED_ORDER = `EXISTS (SELECT 1 FROM order_lines ll WHERE ll.org_id = $1 AND ll.order_id = r.id)`;

/** How many updated deals/orders keep their amount or currency because their lines decide them (the job reports it). $1 org. */
export function amountsKeptSql(entity: 'opportunities' | 'orders', t: string): string {
  const table = entity;
  const lined = entity === 'opportunities' ? LINED_DEAL : LINED_ORDER;
  return `SELECT count(*)::int AS n FROM (SELECT DISTINCT ON (dup_of) * FROM ${t} WHERE ok AND dup_of IS NOT NULL AND dup_line IS NULL ORDER BY dup_of, line) s
    JOIN ${table} r ON r.org_id = $1 AND r.id = s.dup_of
    WHERE ${lined} AND ((s.amount IS NOT NULL AND s.amount <> r.amount) OR (s.currency IS NOT NULL AND s.currency <> btrim(r.currency)))`;
}

/**
 * Feedback names none, one or several products per row (issue #18): the codes in product_code, else the
 * codes or names (any translation) in product — the code column wins when a row has both, as for a line.
 * One row per named product in a side table `<t>_fp`; each must be a live product of the organization
 * (an inactive one may still be talked about), a name must be one product's; any that is not makes the
 * row an error naming every product it could not find. $1 org.
 */
export function feedbackProductSteps(t: string): string[] {
  const fp = `${t}_fp`;
  return [
    `CREATE TEMP TABLE ${fp} AS SELECT s.line, e.ref, lower(e.ref) AS k, s.product_code IS NOT NULL AS by_code, NULL::uuid AS product_id, NULL::text AS problem
      FROM ${t} s CROSS JOIN LATERAL unnest(string_to_array(coalesce(s.product_code, s.product), chr(31))) AS e(ref)
      WHERE s.ok AND coalesce(s.product_code, s.product) IS NOT NULL`,
    `UPDATE ${fp} f SET product_id = p.id FROM products p WHERE p.org_id = $1 AND lower(p.code) = f.k AND p.deleted_at IS NULL`,
    `UPDATE ${fp} f SET problem = 'product ' || f.ref || ' is deleted' FROM products p
      WHERE f.product_id IS NULL AND p.org_id = $1 AND lower(p.code) = f.k AND p.deleted_at IS NOT NULL`,
    `UPDATE ${fp} f SET product_id = CASE WHEN m.n = 1 THEN m.id END,
        problem = CASE WHEN m.n > 1 THEN 'several products are named ' || f.ref || ': ' || m.codes || ' (use product_code)' END
      FROM (SELECT k.v, min(p.id::text)::uuid AS id, count(DISTINCT p.id) AS n, string_agg(DISTINCT p.code, ', ') AS codes
            FROM (SELECT DISTINCT k AS v FROM ${fp} WHERE product_id IS NULL AND problem IS NULL AND NOT by_code) k
            JOIN products p ON p.org_id = $1 AND p.deleted_at IS NULL
              AND (lower(p.name) = k.v OR lower(p.name_i18n->>'en') = k.v OR lower(p.name_i18n->>'zh-CN') = k.v OR lower(p.name_i18n->>'zh-TW') = k.v)
            GROUP BY k.v) m
      WHERE f.product_id IS NULL AND f.problem IS NULL AND NOT f.by_code AND f.k = m.v`,
    `UPDATE ${t} s SET ok = false, err = coalesce(s.err, '[]'::jsonb) || jsonb_object(ARRAY['field', CASE WHEN m.by_code THEN 'product_code' ELSE 'product' END, 'message', m.message])
      FROM (SELECT line, bool_or(by_code) AS by_code,
                   string_agg(coalesce(problem, CASE WHEN by_code THEN 'no product with code ' ELSE 'no product with code or name ' END || ref), '; ' ORDER BY ref) AS message
            FROM ${fp} WHERE product_id IS NULL GROUP BY line) m
      WHERE s.line = m.line`,
  ];
}

/** After the feedback insert: the products each new feedback names. $1 org. */
export function feedbackProductsInsertSql(t: string): string {
  return `INSERT INTO feedback_products (org_id, feedback_id, product_id)
    SELECT DISTINCT $1::uuid, s.new_id, f.product_id FROM ${t}_fp f JOIN ${t} s ON s.line = f.line
    WHERE ${NEW} AND f.product_id IS NOT NULL
    ON CONFLICT DO NOTHING`;
}

/**
 * The lines' foreign keys, checked for the whole file at once (insertLinesAsSet in commands.ts): per
 * key, how many distinct records the new lines name and how many of them exist, each locked FOR KEY
 * SHARE as PostgreSQL's own per-row check locks it (so none can be deleted or re-keyed before the
 * commit). `guard` says whether the table has exactly these keys and no trigger of its own, and
 * whether this is Citus (whose workers check the keys) — anything else falls back to the ordinary
 * per-row checks. $1 org.
 */
export function lineReferenceChecks(entity: 'deal_lines' | 'order_lines', t: string): { guard: string; check: string } {
  const p = PARENT[entity];
  const refs = [
    { table: p.table, col: 'res_parent_id' },
    { table: 'products', col: 'res_product_id' },
    { table: 'price_lists', col: 'res_price_list_id' },
  ];
  const one = (r: { table: string; col: string }, i: number) => `(SELECT count(DISTINCT s.${r.col}) FROM ${t} s WHERE ${NEW} AND s.${r.col} IS NOT NULL) AS named_${i},
      (SELECT count(*) FROM (SELECT 1 FROM ${r.table} r WHERE r.org_id = $1 AND r.id IN (SELECT s.${r.col} FROM ${t} s WHERE ${NEW}) FOR KEY SHARE OF r) x) AS found_${i}`;
  return {
    guard: `SELECT (SELECT count(*) FROM pg_constraint c WHERE c.conrelid = '${p.lines}'::regclass AND c.contype = 'f') AS fks,
        (SELECT count(*) FROM pg_constraint c WHERE c.conrelid = '${p.lines}'::regclass AND c.contype = 'f'
           AND c.confrelid IN ('${p.table}'::regclass, 'products'::regclass, 'price_lists'::regclass)) AS known,
        (SELECT count(*) FROM pg_trigger g WHERE g.tgrelid = '${p.lines}'::regclass AND NOT g.tgisinternal) AS triggers,
        to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL AS citus`,
    check: `SELECT ${refs.map(one).join(',\n      ')}`,
  };
}
