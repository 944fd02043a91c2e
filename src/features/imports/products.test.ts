/**
 * Import and export of products, price lists (tiers), deal lines and order lines, and deals imported
 * with a product column (issue #16, docs/import.md "Products, prices and lines"), on both databases.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDatabase } from '../../../tests/helpers/db.ts';
import type { Database } from '../../kernel/db/index.ts';
import { exportCsv } from '../exports/commands.ts';
import { lineTotal } from '../products/rules.ts';
import { importFile, type ImportFileOptions } from './commands.ts';
import type { ExportEntity } from './fields.ts';
import { makeOrg, type TestOrg } from './testing/db.ts';

const src = (s: string) => Readable.from([Buffer.from(s)]);

describeEachDb('imports of products, prices and lines', (mode) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(mode);
  });
  afterAll(() => database.close());

  const imp = (org: TestOrg, o: Partial<ImportFileOptions> & Pick<ImportFileOptions, 'entity' | 'source'>) =>
    importFile(database, { orgId: org.orgId, actorId: org.userId, format: 'csv', ...o });
  const rows = async (sql: string, params: unknown[]) => (await database.query(sql, params)).rows as Record<string, unknown>[];
  const exported = async (org: TestOrg, entity: ExportEntity) => {
    let text = '';
    for await (const c of exportCsv(database, { orgId: org.orgId, entity })) text += String(c);
    return text.replace(/^\uFEFF/, '');
  };

  /** An organization with a catalogue, a USD list with tiers and a deal at an account. */
  async function catalogue(base = 'USD') {
    const org = await makeOrg(database, base);
    await imp(org, { entity: 'products', source: src('SKU,产品名称,产品线,单位,生命周期\nP-100,LED panel 600,Standard products,pcs,在售\nH-200,High bay 150W,standard,pcs,New\nX-1,Old tube,accessories,pcs,停产\n') });
    await imp(org, {
      entity: 'price_lists',
      source: src('Price list,Currency,Valid from,Default,SKU,Min quantity,Unit price\nStandard,USD,2020-01-01,yes,P-100,1,10.00\nStandard,USD,2020-01-01,yes,P-100,100,8.50\nStandard,USD,2020-01-01,yes,H-200,1,120\n'),
    });
    await imp(org, { entity: 'accounts', source: src('Company\nAcme Lighting\nBorealis GmbH\n') });
    await imp(org, { entity: 'opportunities', source: src('Deal,Company\nWarehouse retrofit,Acme Lighting\nWarehouse retrofit,Borealis GmbH\nOffice,Acme Lighting\n') });
    return org;
  }

  it('imports products with Chinese headers and labels; duplicates by code in the file and the database; update keeps the code', async () => {
    const org = await makeOrg(database);
    const other = await makeOrg(database);
    // Another organization's product with the same code neither collides nor counts as a duplicate.
    await imp(other, { entity: 'products', source: src('code,name\nP-100,Theirs\n') });
    const csv = '产品编号,产品名称,英文名称,产品线,生命周期,启用,首创\nP-100,LED 面板灯,LED panel,标准产品,在售,是,否\np-100,Again,,,,,\nS-1,路灯,,Services,停产,否,是\nB-1,Bad,,nonsense,,,\n';
    const r = await imp(org, { entity: 'products', source: src(csv) });
    expect(r).toMatchObject({ totalRows: 4, inserted: 2, duplicates: 1, errors: 1 });
    expect(r.errorRows.map((e) => [e.line, e.field])).toEqual([[3, '_duplicate'], [5, 'product_line']]);
    expect(await rows(`SELECT code, name, name_i18n, product_line, lifecycle, active, first_of_kind, unit FROM products WHERE org_id = $1 ORDER BY code`, [org.orgId])).toEqual([
      { code: 'P-100', name: 'LED 面板灯', name_i18n: { en: 'LED panel' }, product_line: 'standard', lifecycle: 'current', active: true, first_of_kind: false, unit: 'pcs' },
      { code: 'S-1', name: '路灯', name_i18n: {}, product_line: 'services', lifecycle: 'phased_out', active: false, first_of_kind: true, unit: 'pcs' },
    ]);
    const up = await imp(org, { entity: 'products', onDuplicate: 'update', source: src('code,name,unit,name_zh_tw\nP-100,LED panel 600,box,LED 面板燈\n') });
    expect(up).toMatchObject({ inserted: 0, updated: 1 });
    expect(await rows(`SELECT code, name, unit, name_i18n, version FROM products WHERE org_id = $1 AND code = 'P-100'`, [org.orgId])).toEqual([
      { code: 'P-100', name: 'LED panel 600', unit: 'box', name_i18n: { en: 'LED panel', 'zh-TW': 'LED 面板燈' }, version: 2 },
    ]);
    // A deleted product keeps its code: a new one cannot take it (a row error, not a crash on the unique index).
    await database.query(`UPDATE products SET deleted_at = now() WHERE org_id = $1 AND code = 'S-1'`, [org.orgId]);
    const again = await imp(org, { entity: 'products', source: src('code,name\ns-1,New street light\n') });
    expect(again.errorRows).toEqual([expect.objectContaining({ field: 'code', message: expect.stringContaining('deleted product') })]);
    expect(await rows(`SELECT name FROM products WHERE org_id = $1`, [other.orgId])).toEqual([{ name: 'Theirs' }]);
  });

  it('imports price lists with volume tiers; a new tier lands next to the old ones; unknown products are errors or created, as chosen', async () => {
    const org = await catalogue();
    expect(await rows(`SELECT l.name, btrim(l.currency) AS currency, l.is_default, l.valid_from::text AS valid_from, p.code, i.min_quantity::text AS q, i.unit_price::text AS price
      FROM price_list_items i JOIN price_lists l ON l.org_id = i.org_id AND l.id = i.price_list_id JOIN products p ON p.org_id = i.org_id AND p.id = i.product_id
      WHERE i.org_id = $1 ORDER BY p.code, i.min_quantity`, [org.orgId])).toEqual([
      { name: 'Standard', currency: 'USD', is_default: true, valid_from: '2020-01-01', code: 'H-200', q: '1.000', price: '120.0000' },
      { name: 'Standard', currency: 'USD', is_default: true, valid_from: '2020-01-01', code: 'P-100', q: '1.000', price: '10.0000' },
      { name: 'Standard', currency: 'USD', is_default: true, valid_from: '2020-01-01', code: 'P-100', q: '100.000', price: '8.5000' },
    ]);
    const r = await imp(org, { entity: 'price_lists', source: src('price_list,product,min_quantity,unit_price\nstandard,LED panel 600,500,7.9\nStandard,P-100,100,8.00\nStandard,NEW-9,1,3\n') });
    expect(r).toMatchObject({ inserted: 1, duplicates: 1, errors: 1, productsCreated: 0 });
    expect(r.errorRows.filter((e) => e.field !== '_duplicate')).toEqual([expect.objectContaining({ line: 4, field: 'product_code', message: expect.stringContaining('no product with code or name NEW-9') })]);
    const created = await imp(org, { entity: 'price_lists', createProducts: true, source: src('price_list,currency,product_code,product,unit_price\nExport,EUR,NEW-9,Downlight 9W,3\n') });
    expect(created).toMatchObject({ inserted: 1, errors: 0, productsCreated: 1 });
    expect(await rows(`SELECT code, name FROM products WHERE org_id = $1 AND code = 'NEW-9'`, [org.orgId])).toEqual([{ code: 'NEW-9', name: 'Downlight 9W' }]);
    // "Standard" now exists in one currency; a second currency makes the name ambiguous without a currency column.
    await imp(org, { entity: 'price_lists', source: src('price_list,currency,product_code,unit_price\nStandard,EUR,P-100,9\n') });
    const amb = await imp(org, { entity: 'price_lists', source: src('price_list,product_code,min_quantity,unit_price\nStandard,H-200,50,100\n') });
    expect(amb.errorRows).toEqual([expect.objectContaining({ field: 'currency', message: expect.stringContaining('EUR, USD') })]);
    const version = await rows(`SELECT version FROM price_lists WHERE org_id = $1 AND name = 'Standard' AND currency = 'USD'`, [org.orgId]);
    expect(version).toEqual([{ version: 2 }]);
  });

  it('a price list\'s validity from the file applies to an existing list too; bad or disagreeing dates are row errors', async () => {
    const org = await catalogue();
    const list = async () => (await rows(`SELECT valid_from::text AS "from", valid_to::text AS "to", version FROM price_lists WHERE org_id = $1 AND name = 'Standard'`, [org.orgId]))[0];
    expect(await list()).toEqual({ from: '2020-01-01', to: null, version: 1 });
    const r = await imp(org, { entity: 'price_lists', source: src('price_list,currency,valid_from,valid_to,product_code,min_quantity,unit_price\nStandard,USD,2021-01-01,2030-12-31,P-100,1000,7\n') });
    expect(r).toMatchObject({ inserted: 1, errors: 0 });
    expect(await list()).toEqual({ from: '2021-01-01', to: '2030-12-31', version: 2 });
    // An end before the list's start (its own, the file leaving it empty), an end before the row's start,
    // rows of one list that disagree: row errors; nothing of the list changes for them.
    const bad = await imp(org, {
      entity: 'price_lists',
      source: src('price_list,currency,valid_from,valid_to,product_code,min_quantity,unit_price\n'
        + 'Standard,USD,,2020-06-30,P-100,2000,6\n'
        + 'Standard,USD,2022-05-01,2022-04-01,H-200,10,110\n'
        + 'Fresh,USD,2024-01-01,,P-100,1,11\n'
        + 'Fresh,USD,2024-02-01,,H-200,1,111\n'
        + 'Later,USD,,2001-01-01,P-100,1,12\n'),
    });
    expect(bad).toMatchObject({ inserted: 1, errors: 4 });
    expect(bad.errorRows.map((e) => [e.line, e.field, e.message])).toEqual([
      [2, 'valid_to', 'price list Standard would end (2020-06-30) before it starts (2021-01-01)'],
      [3, 'valid_to', 'must not be before valid_from'],
      [5, 'valid_from', 'valid_from 2024-02-01 differs from line 4 (2024-01-01) for price list Fresh'],
      [6, 'valid_to', expect.stringMatching(/^price list Later would end \(2001-01-01\) before it starts \(\d{4}-\d{2}-\d{2}\)$/)],
    ]);
    expect(await list()).toEqual({ from: '2021-01-01', to: '2030-12-31', version: 2 });
    expect(await rows(`SELECT valid_from::text AS "from", valid_to FROM price_lists WHERE org_id = $1 AND name IN ('Fresh', 'Later') ORDER BY name`, [org.orgId])).toEqual([{ from: '2024-01-01', valid_to: null }]);
    // Empty cells keep the list's dates; a file naming only an existing price (a duplicate, skipped) still sets the list's validity.
    await imp(org, { entity: 'price_lists', source: src('price_list,currency,product_code,min_quantity,unit_price\nStandard,USD,H-200,500,100\n') });
    expect(await list()).toEqual({ from: '2021-01-01', to: '2030-12-31', version: 3 });
    const dup = await imp(org, { entity: 'price_lists', source: src('price_list,currency,valid_to,product_code,min_quantity,unit_price\nStandard,USD,2031-12-31,P-100,1,10\n') });
    expect(dup).toMatchObject({ inserted: 0, duplicates: 1, errors: 0 });
    expect(await list()).toEqual({ from: '2021-01-01', to: '2031-12-31', version: 4 });
  });

  it('imports deal lines priced from the tiers; the deal amount becomes the sum of its lines in one new version', async () => {
    const org = await catalogue();
    const csv = [
      'Deal,Company,SKU,Qty,Unit price,Discount,Discount reason',
      'Warehouse retrofit,Acme Lighting,P-100,150,,,', // tier from 100: 8.50 → 1275.00
      'Warehouse retrofit,Acme Lighting,H-200,3,110,,', // below list (120) without a reason
      'Warehouse retrofit,Acme Lighting,H-200,3,,5,Volume deal', // 120 × 3 × 0.95 = 342.00
      'Warehouse retrofit,,P-100,1,,,', // two deals of that name: the account is needed
      'Nowhere,Acme Lighting,P-100,1,,,',
      'Office,Acme Lighting,X-1,2,4.005,,', // phased out is still sellable on a deal (only quotes refuse it); no list price → typed
    ].join('\n');
    const r = await imp(org, { entity: 'deal_lines', source: src(csv) });
    expect(r).toMatchObject({ totalRows: 6, inserted: 3, errors: 3 });
    expect(r.errorRows.map((e) => [e.line, e.field])).toEqual([[3, 'discount_reason'], [5, 'opportunity'], [6, 'opportunity']]);
    const deals = await rows(`SELECT o.name, a.name AS account, o.amount::text AS amount, btrim(o.currency) AS currency, o.version, p.amount::text AS pricing, p.line_count
      FROM opportunities o JOIN accounts a ON a.org_id = o.org_id AND a.id = o.account_id LEFT JOIN opportunity_pricing p ON p.org_id = o.org_id AND p.opportunity_id = o.id
      WHERE o.org_id = $1 ORDER BY o.name, a.name`, [org.orgId]);
    expect(deals).toEqual([
      { name: 'Office', account: 'Acme Lighting', amount: '8.01', currency: 'USD', version: 2, pricing: '8.01', line_count: 1 },
      { name: 'Warehouse retrofit', account: 'Acme Lighting', amount: '1617.00', currency: 'USD', version: 2, pricing: '1617.00', line_count: 2 },
      { name: 'Warehouse retrofit', account: 'Borealis GmbH', amount: null, currency: null, version: 1, pricing: null, line_count: null },
    ]);
    const lines = await rows(`SELECT l.position, p.code, l.quantity::text AS q, l.list_price::text AS list, l.unit_price::text AS unit, l.discount_pct::text AS d, l.line_total::text AS total
      FROM opportunity_lines l JOIN products p ON p.org_id = l.org_id AND p.id = l.product_id JOIN opportunities o ON o.org_id = l.org_id AND o.id = l.opportunity_id
      WHERE l.org_id = $1 AND o.name = 'Warehouse retrofit' ORDER BY l.position`, [org.orgId]);
    expect(lines).toEqual([
      { position: 0, code: 'P-100', q: '150.000', list: '8.5000', unit: '8.5000', d: '0.00', total: '1275.00' },
      { position: 1, code: 'H-200', q: '3.000', list: '120.0000', unit: '120.0000', d: '5.00', total: '342.00' },
    ]);
    // The same file again: every line is a duplicate (its deal has a line of that product); nothing changes.
    const again = await imp(org, { entity: 'deal_lines', source: src('Deal,Company,SKU,Qty\nWarehouse retrofit,Acme Lighting,P-100,150\n') });
    expect(again).toMatchObject({ inserted: 0, duplicates: 1 });
    // Updating a line by its number re-prices it and the deal.
    const upd = await imp(org, { entity: 'deal_lines', onDuplicate: 'update', source: src('Deal,Company,Line no,SKU,Qty\nWarehouse retrofit,Acme Lighting,1,P-100,50\n') });
    expect(upd).toMatchObject({ updated: 1 });
    expect(await rows(`SELECT o.amount::text AS amount, o.version FROM opportunities o JOIN accounts a ON a.org_id = o.org_id AND a.id = o.account_id
      WHERE o.org_id = $1 AND o.name = 'Warehouse retrofit' AND a.name = 'Acme Lighting'`, [org.orgId])).toEqual([{ amount: '842.00', version: 3 }]);
  });

  it('a deal imported with a product column gets that line; an amount that disagrees with it is a row error', async () => {
    const org = await catalogue();
    const r = await imp(org, {
      entity: 'opportunities',
      source: src('Deal,Company,Product,Quantity,Amount\nStadium,Acme Lighting,High bay 150W,10,\nPlaza,Acme Lighting,P-100,,10\nMall,Acme Lighting,P-100,2,99\nPlain,Acme Lighting,,,500\n'),
    });
    expect(r).toMatchObject({ inserted: 3, errors: 1 });
    expect(r.errorRows).toEqual([expect.objectContaining({ line: 4, field: 'amount', message: expect.stringContaining('20.00') })]);
    expect(await rows(`SELECT o.name, o.amount::text AS amount, btrim(o.currency) AS currency, p.line_count, (SELECT count(*)::int FROM opportunity_lines l WHERE l.org_id = o.org_id AND l.opportunity_id = o.id) AS lines
      FROM opportunities o LEFT JOIN opportunity_pricing p ON p.org_id = o.org_id AND p.opportunity_id = o.id WHERE o.org_id = $1 AND o.name IN ('Stadium', 'Plaza', 'Plain') ORDER BY o.name`, [org.orgId])).toEqual([
      { name: 'Plain', amount: '500.00', currency: 'USD', line_count: null, lines: 0 },
      { name: 'Plaza', amount: '10.00', currency: 'USD', line_count: 1, lines: 1 },
      { name: 'Stadium', amount: '1200.00', currency: 'USD', line_count: 1, lines: 1 },
    ]);
  });

  it('an update import of deals keeps the amount of a deal that has lines, and says so; other fields still change', async () => {
    const org = await catalogue();
    await imp(org, { entity: 'deal_lines', source: src('Deal,Company,SKU,Qty\nOffice,Acme Lighting,P-100,10\n') });
    const r = await imp(org, {
      entity: 'opportunities', onDuplicate: 'update',
      source: src('Deal,Company,Amount,Currency,Stage\nOffice,Acme Lighting,99999,EUR,decision\nWarehouse retrofit,Borealis GmbH,500,,decision\n'),
    });
    expect(r).toMatchObject({ updated: 2, amountsKept: 1 });
    expect(await rows(`SELECT o.name, o.amount::text AS amount, btrim(o.currency) AS currency, o.buying_stage FROM opportunities o JOIN accounts a ON a.org_id = o.org_id AND a.id = o.account_id
      WHERE o.org_id = $1 AND ((o.name = 'Office' AND a.name = 'Acme Lighting') OR a.name = 'Borealis GmbH') ORDER BY o.name`, [org.orgId])).toEqual([
      { name: 'Office', amount: '100.00', currency: 'USD', buying_stage: 'decision' },
      { name: 'Warehouse retrofit', amount: '500.00', currency: 'USD', buying_stage: 'decision' },
    ]);
    const job = await rows(`SELECT message, amounts_kept, products_created FROM import_jobs WHERE org_id = $1 AND id = $2`, [org.orgId, r.jobId]);
    expect(String(job[0]!.message)).toContain('1 kept the amount their lines give them');
    expect(job[0]).toMatchObject({ amounts_kept: 1, products_created: 0 });
  });

  it('imports order lines by order number; the order amount and base amount follow its lines and rate', async () => {
    const org = await catalogue('CNY');
    await imp(org, { entity: 'price_lists', source: src('price_list,currency,valid_from,product_code,unit_price\nUS,USD,2020-01-01,P-100,10\n') });
    await imp(org, { entity: 'orders', source: src('Order number,Order date,Amount,Currency,FX rate,Company\nSO-1,2026-03-01,1,USD,7.1,Acme Lighting\nSO-2,2026-03-02,1,CNY,,Acme Lighting\n') });
    const r = await imp(org, { entity: 'order_lines', source: src('order_number,product_code,quantity,unit_price\nSO-1,P-100,3,\nSO-1,H-200,1,129.99\nSO-2,P-100,1,\nSO-9,P-100,1,1\n') });
    // SO-2 is in CNY: no CNY list has P-100 (the USD list does not count).
    expect(r.errorRows.map((e) => [e.line, e.field])).toEqual([[4, 'unit_price'], [5, 'order_number']]);
    expect(await rows(`SELECT order_number, amount::text AS amount, amount_base::text AS base, version FROM orders WHERE org_id = $1 ORDER BY order_number`, [org.orgId])).toEqual([
      { order_number: 'SO-1', amount: '159.99', base: '1135.93', version: 2 },
      { order_number: 'SO-2', amount: '1.00', base: '1.00', version: 1 },
    ]);
    // The lines were written with their keys checked as a set (commands.ts insertLinesAsSet): the
    // session's triggers are on again afterwards, and the keys still hold for everything else.
    expect(await rows(`SHOW session_replication_role`, [])).toEqual([{ session_replication_role: 'origin' }]);
    await database.query(`DELETE FROM price_list_items WHERE org_id = $1 AND product_id IN (SELECT id FROM products WHERE org_id = $1 AND code = 'H-200')`, [org.orgId]);
    await expect(database.query(`DELETE FROM products WHERE org_id = $1 AND code = 'H-200'`, [org.orgId])).rejects.toThrow(/order_lines_product_fk/);
  });

  it('line totals computed in SQL are the pricing rules\' (rounded once per line, half away from zero)', async () => {
    const org = await catalogue();
    await imp(org, { entity: 'orders', source: src('Order number,Order date,Amount,Company\nP-1,2026-03-01,1,Acme Lighting\n') });
    const line = fc.record({
      quantity: fc.tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: 999 })).map(([i, f]) => `${i}.${String(f).padStart(3, '0')}`),
      unitPrice: fc.tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 9_999 })).map(([i, f]) => `${i}.${String(f).padStart(4, '0')}`),
      discountPct: fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([i, f]) => `${i}.${String(f).padStart(2, '0')}`),
    });
    const sample = fc.sample(fc.array(line, { minLength: 40, maxLength: 40 }), { numRuns: 1, seed: 16 })[0]!;
    const csv = ['order_number,line_no,product_code,quantity,unit_price,discount_pct,discount_reason', ...sample.map((l, i) => `P-1,${i + 1},P-100,${l.quantity},${l.unitPrice},${l.discountPct},test`)].join('\n');
    const r = await imp(org, { entity: 'order_lines', source: src(csv) });
    expect(r).toMatchObject({ inserted: 40, errors: 0 });
    const got = await rows(`SELECT l.line_total::text AS t FROM order_lines l WHERE l.org_id = $1 ORDER BY l.position`, [org.orgId]);
    expect(got.map((g) => g.t)).toEqual(sample.map((l) => lineTotal(l)));
  });

  it('exports products, price lists and lines under the import keys; the files re-import into another organization', async () => {
    const org = await catalogue();
    await imp(org, { entity: 'deal_lines', source: src('Deal,Company,SKU,Qty\nOffice,Acme Lighting,P-100,10\nOffice,Acme Lighting,H-200,1\n') });
    const products = await exported(org, 'products');
    const [head, ...prows] = parse(products) as string[][];
    expect(head).toEqual(['id', 'code', 'name', 'name_en', 'name_zh_cn', 'name_zh_tw', 'product_line', 'unit', 'description', 'active', 'lifecycle', 'first_of_kind', 'external_source', 'external_id', 'created_at', 'updated_at']);
    expect(prows.map((r) => r[1])).toEqual(['P-100', 'H-200', 'X-1']);
    const lists = await exported(org, 'price_lists');
    expect((parse(lists) as string[][]).slice(1).map((r) => r.slice(1))).toEqual([
      ['Standard', 'USD', '2020-01-01', '', 'true', 'P-100', 'LED panel 600', '1', '10'],
      ['Standard', 'USD', '2020-01-01', '', 'true', 'P-100', 'LED panel 600', '100', '8.5'],
      ['Standard', 'USD', '2020-01-01', '', 'true', 'H-200', 'High bay 150W', '1', '120'],
    ]);
    const deals = await exported(org, 'deal_lines');
    const [dhead, ...drows] = parse(deals) as string[][];
    expect(dhead).toEqual(['id', 'opportunity_id', 'opportunity', 'account', 'fx_rate', 'line_no', 'product_code', 'product', 'quantity', 'unit_price', 'discount_pct', 'discount_reason', 'description', 'line_total', 'created_at']);
    expect(drows.map((r) => [r[2], r[3], r[5], r[6], r[8], r[13]])).toEqual([['Office', 'Acme Lighting', '1', 'P-100', '10', '100.00'], ['Office', 'Acme Lighting', '2', 'H-200', '1', '120.00']]);

    // Another organization: products, lists, accounts and deals first (the deals keep their Accord ids as external ids), then the lines.
    const next = await makeOrg(database);
    expect(await imp(next, { entity: 'products', source: src(products) })).toMatchObject({ inserted: 3, errors: 0 });
    expect(await imp(next, { entity: 'price_lists', source: src(lists) })).toMatchObject({ inserted: 3, errors: 0 });
    expect(await imp(next, { entity: 'accounts', source: src(await exported(org, 'accounts')) })).toMatchObject({ inserted: 2 });
    expect(await imp(next, { entity: 'opportunities', source: src(await exported(org, 'opportunities')) })).toMatchObject({ inserted: 3, errors: 0 });
    expect(await imp(next, { entity: 'deal_lines', source: src(deals) })).toMatchObject({ inserted: 2, errors: 0 });
    expect(await rows(`SELECT o.name, o.amount::text AS amount FROM opportunities o WHERE o.org_id = $1 AND o.amount IS NOT NULL`, [next.orgId])).toEqual([{ name: 'Office', amount: '220.00' }]);
    // Tenant isolation: the first organization's deals are untouched and its lines not doubled.
    expect(await rows(`SELECT count(*)::int AS n FROM opportunity_lines WHERE org_id = $1`, [org.orgId])).toEqual([{ n: 2 }]);
  });

  it('file-level errors: lines without a product column or without their deal are refused before any row', async () => {
    const org = await catalogue();
    await expect(imp(org, { entity: 'deal_lines', source: src('Deal,Qty\nOffice,1\n') })).rejects.toThrow(/product_code \(or product\)/);
    await expect(imp(org, { entity: 'order_lines', source: src('SKU,Qty\nP-100,1\n') })).rejects.toThrow(/order_number \(or order_id\)/);
    await expect(imp(org, { entity: 'price_lists', source: src('SKU,Price\nP-100,1\n') })).rejects.toThrow(/price_list/);
  });
});
