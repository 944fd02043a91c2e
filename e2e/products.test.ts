/**
 * Issue #16 end to end on the demo catalogue: a rep builds a three-line quote on a deal (the line editor,
 * live totals), previews it, downloads its PDF in Simplified Chinese (checked with pdftotext), the customer
 * accepts it and the order appears with its lines on the account. Screenshots of every product screen.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { launch, shot, signedInPage } from './browser.ts';
import { demoLogins } from '../src/features/demo/index.ts';
import { documentTotal } from '../src/features/products/rules.ts';

let server: RunningServer;
let browser: Browser;

async function signIn(role: 'manager' | 'rep', locale: 'en' | 'zh-CN' = 'en') {
  const login = demoLogins(server.email.split('@')[1]!).find((l) => l.role === role)!;
  return signedInPage(browser, server.url, login.email, server.password, { locale });
}

/** A JSON API call with the page's session (cookie + CSRF header). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of several shapes, read field by field by the test
async function apiIn(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, any> }> {
  return page.evaluate(async ({ method, path, body }) => {
    const csrf = document.cookie.match(/accord_csrf=([^;]+)/)?.[1] ?? '';
    const r = await fetch(`/api/v1${path}`, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, body: await r.json() };
  }, { method, path, body });
}

beforeAll(async () => {
  server = await startServer({ demoAccounts: 120 });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('products, quotes and order lines', () => {
  it('the catalogue, a product page and the price lists, in English and Simplified Chinese', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const { page, errors, close } = await signIn('manager', locale);
      await page.goto(server.url + '/products');
      await page.getByTestId('products-table').locator('tbody tr').nth(20).waitFor({ timeout: 20_000 });
      const text = await page.getByTestId('products-table').innerText();
      expect(text).toContain('ST-M-100');
      expect(text).toContain(locale === 'zh-CN' ? '模组路灯 100W' : 'Modular street light 100W');
      await shot(page, `products-01-list-${locale}`);
      await page.getByTestId('products-table').getByText('HB-UFO-150').click();
      await page.getByTestId('product-page').waitFor();
      // Which accounts buy it and its orders over time come from the demo's order lines.
      await page.getByTestId('product-buyers').locator('tbody tr').first().waitFor({ timeout: 20_000 });
      await page.getByTestId('product-orders-chart').locator('canvas').first().waitFor();
      await shot(page, `products-02-page-${locale}`);
      if (locale === 'en') {
        // In use: deleting is refused with the reason, the product stays.
        await page.getByTestId('product-delete').click();
        await page.getByTestId('product-delete-error').waitFor();
        expect(await page.getByTestId('product-delete-error').innerText()).toContain('Deactivate it or phase it out instead');
        await shot(page, 'products-03-delete-refused');
      }
      if (locale === 'en') {
        // A new product through the form: code, names in three languages, specifications (custom fields).
        await page.goto(server.url + '/products');
        await page.getByTestId('product-new').click();
        const form = page.getByTestId('product-form');
        await form.locator('input[name=code]').fill('PNL-E2E-1');
        await form.locator('input[name=name]').fill('Edge-lit panel 600×600 32W');
        await form.locator('input[name=nameZhCN]').fill('侧发光面板灯 600×600 32W');
        await form.getByLabel('Power (W)').fill('32');
        await shot(page, 'products-09-new-product-form');
        await page.getByTestId('product-save').click();
        await page.getByTestId('product-page').getByText('Edge-lit panel 600×600 32W').first().waitFor();
        expect(await page.getByTestId('product-page').innerText()).toContain('32');
      }
      await page.goto(server.url + '/price-lists');
      await page.getByTestId('price-items').locator('tbody tr').nth(5).waitFor({ timeout: 20_000 });
      await shot(page, `products-04-price-lists-${locale}`);
      // The refused delete is a 409 the browser logs; nothing else may fail.
      expect(errors.filter((e) => !e.includes('409'))).toEqual([]);
      await close();
    }
  });

  it('a rep builds a three-line quote, previews it, downloads the PDF in zh-CN, the customer accepts, the order has its lines', async () => {
    const { page, errors, close } = await signIn('rep');
    const acc = await apiIn(page, 'GET', '/accounts?country=CN&kind=customer&limit=1');
    expect(acc.status).toBe(200);
    const account = acc.body.data[0] as { id: string; name: string };
    const deal = await apiIn(page, 'POST', '/opportunities', { accountId: account.id, name: 'Warehouse and street retrofit', currency: 'USD', amount: '1000' });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    const products = (await apiIn(page, 'GET', '/products?limit=100')).body.data as { id: string; code: string; nameI18n: Record<string, string> }[];
    const byCode = (code: string) => products.find((p) => p.code === code)!;

    await page.goto(`${server.url}/opportunities/${deal.body.id}`);
    await page.getByTestId('tab-lines').click();
    await page.getByTestId('deal-lines').waitFor();
    const picks = [
      { code: 'HB-UFO-150', qty: '40' },
      { code: 'ST-M-100', qty: '600' }, // the 500+ tier
      { code: 'DL-20-AG', qty: '400', discount: '5', reason: 'Project price agreed with the buyer' },
    ];
    for (const [i, p] of picks.entries()) {
      await page.getByTestId('line-add').click();
      const row = page.getByTestId('deal-line').nth(i);
      const product = row.locator('input[aria-label="Product"]');
      await product.click();
      await product.fill(p.code);
      await page.getByRole('option', { name: new RegExp(`^${p.code}`) }).click();
      await row.locator('input[aria-label="Qty"]').fill(p.qty);
      if (p.discount) {
        await row.locator('input[aria-label="Disc. %"]').fill(p.discount);
        await row.locator('input[aria-label="Reason"]').fill(p.reason!);
      }
    }
    // Live totals with the list prices (USD list, tiers): 68.00 × 40, 91.20 × 600, 7.80 × 400 − 5 %.
    const expected = documentTotal([
      { quantity: '40', unitPrice: '68', discountPct: '0' }, { quantity: '600', unitPrice: '91.2', discountPct: '0' }, { quantity: '400', unitPrice: '7.8', discountPct: '5' },
    ]);
    expect(expected).toBe('60404.00');
    await page.getByTestId('lines-total').filter({ hasText: '60,404.00' }).waitFor({ timeout: 20_000 });
    await shot(page, 'products-05-deal-lines-editing');
    await page.getByTestId('lines-save').click();
    await page.getByTestId('lines-message').waitFor();
    const stored = await apiIn(page, 'GET', `/opportunities/${deal.body.id}`);
    expect(stored.body.amount).toBe('60404.00');
    // The deal's amount on the page follows its lines.
    await page.getByText('$60,404', { exact: false }).first().waitFor();

    await page.getByTestId('quote-create').click();
    await page.getByTestId('quote-row').first().waitFor();
    await shot(page, 'products-06-deal-lines-and-quote');
    await page.getByTestId('quote-preview').first().click();
    await page.getByTestId('preview-lang').getByText('Simplified Chinese').click();
    const frame = page.frameLocator('[data-testid=quote-frame]');
    await frame.getByText('报价单').first().waitFor({ timeout: 20_000 });
    expect(await frame.locator('[data-testid=quote-total]').innerText()).toContain('60,404.00');
    await shot(page, 'products-07-quote-preview-zh-CN');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('quote-pdf').click()]);
    const file = join(mkdtempSync(join(tmpdir(), 'accord-quote-')), 'quote.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const code of ['HB-UFO-150', 'ST-M-100', 'DL-20-AG']) expect(text).toContain(byCode(code).nameI18n['zh-CN']);
    expect(text).toContain('报价单');
    expect(text).toContain('60,404.00');
    expect(download.suggestedFilename()).toMatch(/^Q-\d{4}-\d{4}\.pdf$/);
    await page.keyboard.press('Escape');

    await page.getByTestId('quote-send').click();
    await page.getByTestId('quote-accept').click();
    await page.getByTestId('quote-order').waitFor();
    expect(await page.getByTestId('quote-status').first().textContent()).toBe('Accepted');
    await page.getByTestId('quote-order').click();
    await page.getByRole('tab', { name: 'Orders' }).click();
    const lines = page.getByTestId('account-order-line');
    await lines.first().waitFor({ timeout: 20_000 });
    const shown = await page.getByTestId('account-order-lines').innerText();
    for (const code of ['HB-UFO-150', 'ST-M-100', 'DL-20-AG']) expect(shown).toContain(code);
    expect(shown).toContain('$2,964.00'); // 400 × 7.80 − 5 %
    await page.getByTestId('account-order-lines').scrollIntoViewIfNeeded();
    await shot(page, 'products-08-account-order-lines');
    const quotes = (await apiIn(page, 'GET', `/quotes?opportunityId=${deal.body.id}`)).body.data;
    const order = await apiIn(page, 'GET', `/orders/${quotes[0].orderId}`);
    expect(order.body).toMatchObject({ amount: '60404.00', opportunityId: deal.body.id, accountId: account.id });
    expect(errors).toEqual([]);
    await close();
  });
});
