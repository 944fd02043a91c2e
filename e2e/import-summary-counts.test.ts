/**
 * The import wizard's summary says what else a job did (issue #16): products created because a lines
 * file named them (createProducts) — on the dry run's counts as "to create" and on the summary — and
 * updated orders that kept the amount their lines give them. In zh-CN and zh-TW, read from the job
 * (GET /imports/:id), not only from the dry run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { choose, launch, shot, signedInPage } from './browser.ts';

let server: RunningServer;
let browser: Browser;
let page: Page;
let errors: string[] = [];
let close: () => Promise<void>;

beforeAll(async () => {
  server = await startServer({ demoAccounts: 20 });
  browser = await launch();
});

afterAll(async () => {
  await close?.();
  await browser?.close();
  await server?.close();
});

async function open(locale: 'zh-CN' | 'zh-TW') {
  await close?.();
  ({ page, errors, close } = await signedInPage(browser, server.url, server.email, server.password, { locale, height: 1200 }));
}

async function upload(entity: RegExp, name: string, csv: string, options: (p: Page) => Promise<void>) {
  await page.goto(server.url + '/imports');
  await page.getByTestId('import-dropzone').waitFor();
  await choose(page, page.getByTestId('import-entity'), entity);
  await page.locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByTestId('import-next').click();
  await options(page);
  await page.getByTestId('import-preview').click();
  await page.getByTestId('import-preview-table').waitFor({ timeout: 20_000 });
}

/** An order of the demo that has lines, with its account's name (unique) and its lines' sum. */
async function linedOrder(skip = 0) {
  const r = await server.database.query(`SELECT o.order_number, o.ordered_at::text AS day, a.name AS account, o.amount::text AS amount FROM orders o
    JOIN accounts a ON a.org_id = o.org_id AND a.id = o.account_id
    WHERE o.deleted_at IS NULL AND EXISTS (SELECT 1 FROM order_lines l WHERE l.org_id = o.org_id AND l.order_id = o.id)
      AND (SELECT count(*) FROM accounts b WHERE b.org_id = a.org_id AND lower(b.name) = lower(a.name)) = 1
      AND (SELECT count(*) FROM orders p WHERE p.org_id = o.org_id AND p.order_number = o.order_number) = 1
    ORDER BY o.id OFFSET ${skip} LIMIT 1`);
  return r.rows[0] as { order_number: string; day: string; account: string; amount: string };
}

describe('import summary: products created, amounts kept', () => {
  it('zh-CN: an order-lines file naming a new product, createProducts checked: 将创建产品 1, then 已创建产品 1', async () => {
    await open('zh-CN');
    const order = await linedOrder();
    const csv = `订单号,SKU,数量,单价\n${order.order_number},E2E-NEW-1,2,10.50\n`;
    await upload(/订单明细行/, 'order-lines.csv', csv, (p) => p.getByTestId('import-create-products').check());
    const preview = page.getByTestId('import-productsCreated');
    await preview.waitFor({ timeout: 20_000 });
    expect(await preview.innerText()).toContain('将创建产品');
    expect(await preview.innerText()).toContain('1');
    await shot(page, 'import-summary-01-products-to-create-zh-CN');
    await page.getByTestId('import-run').click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 60_000 });
    const created = summary.getByTestId('import-productsCreated');
    expect((await created.innerText()).replace(/\s+/g, ' ')).toMatch(/已创建产品 1/);
    expect(await summary.getByTestId('import-amountsKept').count()).toBe(0);
    await shot(page, 'import-summary-02-products-created-zh-CN');
    const made = await server.database.query(`SELECT count(*)::int AS n FROM products WHERE code = 'E2E-NEW-1'`);
    expect((made.rows[0] as { n: number }).n).toBe(1);
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('zh-TW: orders updated with another amount keep their lines\' sum: 保留明細金額 1', async () => {
    await open('zh-TW');
    const order = await linedOrder(1);
    const csv = `訂單號,訂單日期,金額,客戶\n${order.order_number},${order.day},1,"${order.account}"\n`;
    await upload(/^訂單$/, 'orders.csv', csv, (p) => p.getByLabel('更新').check());
    await page.getByTestId('import-amountsKept').waitFor({ timeout: 20_000 });
    await page.getByTestId('import-run').click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 60_000 });
    const kept = summary.getByTestId('import-amountsKept');
    expect((await kept.innerText()).replace(/\s+/g, ' ')).toMatch(/保留明細金額 1/);
    expect(await kept.innerText()).toContain('明細列合計');
    expect(await summary.getByTestId('import-productsCreated').count()).toBe(0);
    await shot(page, 'import-summary-03-amounts-kept-zh-TW');
    // The order was updated (a new version) but its amount is still its lines' sum.
    const after = await server.database.query(`SELECT amount::text AS amount FROM orders WHERE order_number = $1`, [order.order_number]);
    expect((after.rows[0] as { amount: string }).amount).toBe(order.amount);
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
