import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { uuidv7 } from 'uuidv7';
import { openDatabase, type Database } from '../../src/kernel/db/index.ts';
import { EMBEDDED_TEMP_BUFFERS, importFile } from '../../src/features/imports/commands.ts';
import type { BenchContext } from '../context.ts';
import type { Row } from '../lib/report.ts';
import { summarize } from '../lib/stats.ts';
import { dropOrganizations, wholeLines } from './import.ts';

const PRODUCTS = 200;
const LINES_PER_ORDER = 5;

/**
 * An order-lines CSV as an ERP exports it: order number, line number, SKU, quantity, and a unit price
 * on every other line (above the list price: the others take the price list's tier price).
 */
export async function writeOrderLinesCsv(file: string, rows: number) {
  const out = createWriteStream(file);
  out.write('Order number,Line no,SKU,Qty,Unit price\n');
  for (let i = 0; i < rows; i++) {
    const order = Math.floor(i / LINES_PER_ORDER);
    const line = `SO-${String(order).padStart(7, '0')},${(i % LINES_PER_ORDER) + 1},BP-${String((i * 7) % PRODUCTS).padStart(3, '0')},${(i % 50) + 1},${i % 2 ? '' : `${(i % 90) + 100}.50`}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** An organization with the catalogue (a default USD list, two tiers per product), one account and the file's orders — all set-based. */
export async function seedOrderLines(database: Database, rows: number, orgIds: string[]) {
  const orgId = uuidv7();
  const userId = uuidv7();
  orgIds.push(orgId);
  const orders = Math.ceil(rows / LINES_PER_ORDER);
  await database.query(`insert into organizations (id, name, slug, base_currency) values ($1, 'Order lines bench', $2, 'USD')`, [orgId, `order-lines-bench-${orgId}`]);
  await database.query(`insert into users (org_id, id, email, name, role) values ($1, $2, $3, 'Importer', 'admin')`, [orgId, userId, `import-${userId}@bench.example`]);
  await database.query(`insert into products (org_id, code, name) select $1, 'BP-' || lpad(g::text, 3, '0'), 'Bench product ' || g from generate_series(0, ${PRODUCTS - 1}) g`, [orgId]);
  const list = uuidv7();
  await database.query(`insert into price_lists (org_id, id, name, currency, valid_from, is_default) values ($1, $2, 'Bench USD', 'USD', '2000-01-01', true)`, [orgId, list]);
  await database.query(`insert into price_list_items (org_id, price_list_id, product_id, min_quantity, unit_price)
    select $1, $2, p.id, t.q, 20 + (hashtext(p.code) & 63) - t.off from products p cross join (values (1::numeric, 0), (25::numeric, 2)) t(q, off) where p.org_id = $1`, [orgId, list]);
  const account = uuidv7();
  await database.query(`insert into accounts (org_id, id, name) values ($1, $2, 'Bench buyer')`, [orgId, account]);
  await database.query(`insert into orders (org_id, account_id, order_number, ordered_at, amount, currency, amount_base, status)
    select $1, $2, 'SO-' || lpad(g::text, 7, '0'), current_date - (g % 300), 0, 'USD', 0, 'confirmed' from generate_series(0, ${orders - 1}) g`, [orgId, account]);
  await database.query('analyze orders, products, price_list_items');
  return { orgId, userId };
}

/**
 * Import of N order lines (order and product resolved by number and code, tier prices, line totals,
 * duplicates, the orders' amounts recomputed, audit) against the floor of the same run: a raw COPY of
 * the file into a bare table of text columns — the same target as the contacts import.
 */
export async function orderLinesSuite(ctx: BenchContext, log: (s: string) => void): Promise<Row[]> {
  const rows = ctx.orderLineRows ?? 100_000;
  const file = join(ctx.tmpDir, `order-lines-${rows}.csv`);
  await writeOrderLinesCsv(file, rows);
  log(`${rows.toLocaleString('en')} order lines, ${(statSync(file).size / 1e6).toFixed(1)} MB`);
  const database = await openDatabase({ ...ctx.dbOptions, worker: false });
  if (database.mode === 'embedded') await database.withConnection((c) => c.query(`SET temp_buffers = '${EMBEDDED_TEMP_BUFFERS}'`));
  const copyRuns: number[] = [];
  const importRuns: number[] = [];
  const orgIds: string[] = [];
  try {
    const runs = 3;
    for (let i = 0; i < runs; i++) {
      await database.withConnection(async (c) => {
        const t0 = performance.now();
        await c.query('create temp table bench_lines (order_number text, line_no text, sku text, qty text, unit_price text)');
        await c.copyIn('COPY bench_lines FROM STDIN (FORMAT csv)', wholeLines(file));
        copyRuns.push(performance.now() - t0);
        await c.query('drop table bench_lines');
      });
    }
    for (let i = 0; i < runs; i++) {
      const { orgId, userId } = await seedOrderLines(database, rows, orgIds);
      const t0 = performance.now();
      const r = await importFile(database, { orgId, actorId: userId, entity: 'order_lines', format: 'csv', source: file });
      importRuns.push(performance.now() - t0);
      if (i === 0) {
        const [check] = (await database.query(`select count(*)::int as n, count(*) filter (where amount > 0)::int as priced from orders where org_id = $1`, [orgId])).rows as { n: number; priced: number }[];
        log(`imported ${r.inserted.toLocaleString('en')}, duplicates ${r.duplicates}, errors ${r.errors}; ${check!.priced.toLocaleString('en')} of ${check!.n.toLocaleString('en')} orders now carry their lines' sum`);
        if (r.errors || r.inserted !== rows) throw new Error(`order lines import: ${r.inserted} inserted, ${r.errors} errors (first: ${JSON.stringify(r.errorRows[0])})`);
      }
    }
  } finally {
    try {
      await dropOrganizations(database, orgIds);
    } finally {
      await database.close();
    }
  }
  const a = summarize(importRuns);
  const b = summarize(copyRuns);
  const accordRate = (rows * 1000) / a.median;
  const copyRate = (rows * 1000) / b.median;
  log(`order lines import ${Math.round(accordRate).toLocaleString('en')} rows/s; raw COPY ${Math.round(copyRate).toLocaleString('en')} rows/s`);
  return [{
    id: 'import-order-lines',
    benchmark: `import ${rows.toLocaleString('en')} order lines from CSV (orders and products resolved, tier prices, totals, orders' amounts, audit)`,
    accord: accordRate,
    unit: 'rows/s',
    detail: `${(a.median / 1000).toFixed(1)} s, spread ${(a.spread * 100).toFixed(0)} %`,
    baseline: copyRate,
    baselineLabel: 'raw COPY of the same file into a bare table',
    ratio: copyRate / accordRate,
    target: '≥ 0.5× COPY',
    met: accordRate >= 0.5 * copyRate,
    higherIsBetter: true,
  }];
}
