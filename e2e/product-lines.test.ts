/**
 * Issue #16 in the browser, beyond the quote: share of wallet per product line on the funnel screen
 * and on an account (demand per line entered in its dialog; a line without one says "demand unknown"),
 * and the import wizard offering products and lines (a deal-lines file previewed and imported).
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
  server = await startServer({ demoAccounts: 40 });
  browser = await launch();
  ({ page, errors, close } = await signedInPage(browser, server.url, server.email, server.password, { locale: 'en', height: 1200 }));
});

afterAll(async () => {
  await close?.();
  await browser?.close();
  await server?.close();
});

describe('product lines in the double funnel and the importer', () => {
  it('the funnel screen lists every product line; an account enters its demand per line and sees its share', async () => {
    await page.goto(server.url + '/funnel');
    const card = page.getByTestId('wallet-by-line');
    await card.locator('tbody tr').first().waitFor({ timeout: 30_000 });
    expect(await card.innerText()).toContain('Demand unknown');
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'product-lines-01-funnel');

    // The account that bought the most through order lines in the last 12 months.
    const r = await server.database.query(`SELECT o.account_id AS id FROM order_lines l JOIN orders o ON o.org_id = l.org_id AND o.id = l.order_id
      WHERE o.ordered_at > current_date - 365 AND o.status <> 'cancelled' GROUP BY o.account_id ORDER BY sum(l.line_total) DESC LIMIT 1`);
    const accountId = (r.rows[0] as { id: string }).id;
    await page.goto(`${server.url}/accounts/${accountId}`);
    const mine = page.getByTestId('account-wallet-by-line');
    await mine.locator('tbody tr').first().waitFor({ timeout: 30_000 });
    const firstLine = (await mine.locator('tbody tr').first().locator('td').first().innerText()).trim();
    expect(await mine.innerText()).toMatch(/demand unknown/i);
    await page.getByTestId('line-demand-edit').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(firstLine).fill('250000');
    await shot(page, 'product-lines-02-demand-dialog');
    await page.getByTestId('line-demand-save').click();
    await dialog.waitFor({ state: 'detached' });
    const row = mine.locator('tbody tr').filter({ hasText: firstLine });
    await expect.poll(async () => (await row.innerText()).includes('%'), { timeout: 15_000 }).toBe(true);
    await mine.scrollIntoViewIfNeeded();
    await shot(page, 'product-lines-03-account');
  });

  it('the import wizard offers products, price lists and lines; a deal-lines file is checked and imported', async () => {
    // An open deal priced in the base currency (a foreign one would need fx_rate in the file).
    const deal = (await server.database.query(`SELECT o.name, a.name AS account FROM opportunities o JOIN accounts a ON a.org_id = o.org_id AND a.id = o.account_id
      JOIN organizations g ON g.id = o.org_id LEFT JOIN opportunity_pricing p ON p.org_id = o.org_id AND p.opportunity_id = o.id
      WHERE o.status = 'open' AND o.deleted_at IS NULL AND coalesce(p.currency, o.currency, g.base_currency) = g.base_currency
        AND (SELECT count(*) FROM opportunities d WHERE d.org_id = o.org_id AND lower(d.name) = lower(o.name) AND d.account_id = o.account_id) = 1
      ORDER BY o.id LIMIT 1`)).rows[0] as { name: string; account: string };
    const product = (await server.database.query(`SELECT code FROM products WHERE active AND lifecycle <> 'phased_out' ORDER BY code LIMIT 1`)).rows[0] as { code: string };
    const csv = `Deal,Company,SKU,Qty,Unit price\n"${deal.name}","${deal.account}",${product.code},12,99.5\n"${deal.name}","${deal.account}",NOPE-1,1,1\n`.replace(',99.5', ',99999');
    await page.goto(server.url + '/imports');
    await page.getByTestId('import-dropzone').waitFor();
    await choose(page, page.getByTestId('import-entity'), 'Deal lines');
    await page.locator('input[type=file]').setInputFiles({ name: 'deal-lines.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-create-products').waitFor();
    await shot(page, 'product-lines-04-import-mapping');
    await page.getByTestId('import-preview').click();
    await page.getByTestId('import-preview-table').waitFor({ timeout: 20_000 });
    // The unknown product is the database side's finding: it shows on its row.
    await expect.poll(async () => (await page.getByTestId('import-preview-table').innerText()).includes('no product with code NOPE-1')).toBe(true);
    await shot(page, 'product-lines-05-import-preview');
    await page.getByTestId('import-run').click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 30_000 });
    await shot(page, 'product-lines-06-import-done');
    expect(await summary.innerText()).toMatch(/1 created/i);
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
