/**
 * Record lists on a phone (390 × 844) are cards, not a table squeezed to the screen: each card's
 * title is the record's link, a few fields follow with their labels, lists and scores as badges.
 * Paging, search, sorting and selection still work; an account's orders are cards too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { launch, shot, signedInPage } from './browser.ts';

let server: RunningServer;
let browser: Browser;
let page: Page;
let errors: string[] = [];
let close: () => Promise<void>;

beforeAll(async () => {
  server = await startServer({ demoAccounts: 60 });
  browser = await launch();
  ({ page, errors, close } = await signedInPage(browser, server.url, server.email, server.password, { locale: 'zh-CN' }));
  await page.setViewportSize({ width: 390, height: 844 });
});

afterAll(async () => {
  await close?.();
  await browser?.close();
  await server?.close();
});

const api = async <T>(path: string): Promise<T> => (await (await page.request.get(`${server.url}/api/v1/${path}`)).json()) as T;
const cards = () => page.getByTestId('data-card');

describe('lists on a phone are cards', () => {
  for (const entity of ['accounts', 'contacts', 'opportunities', 'interactions', 'tasks'] as const) {
    it(`${entity}: cards with a linked title and two to four labelled fields, no table`, async () => {
      await page.goto(`${server.url}/${entity}`);
      // Tasks open on "my open" tasks; all of them show the cards with content.
      if (entity === 'tasks') await page.getByTestId('task-views').getByText('全部').click().catch(() => {});
      await cards().first().waitFor();
      expect(await page.getByTestId('data-table').count()).toBe(0);
      const card = cards().first();
      const link = card.getByTestId('data-card-title').getByRole('link');
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^/${entity}/[0-9a-f-]{36}$`));
      expect((await link.textContent())!.trim()).not.toBe('');
      const labels = await card.locator('dt').allTextContents();
      expect(labels.length).toBeGreaterThanOrEqual(2);
      expect(labels.length).toBeLessThanOrEqual(4);
      for (const l of labels) expect(l).toMatch(/\p{Script=Han}/u);
      // Nothing wider than the phone.
      for (const right of await cards().evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right))) expect(right).toBeLessThanOrEqual(390);
      await shot(page, `mobile-list-${entity}`);
      // The card opens its record.
      await link.click();
      await page.getByTestId('record-title').waitFor();
      expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/${entity}/`));
    });
  }

  it('opportunities show stage and status as badges under the title', async () => {
    await page.goto(`${server.url}/opportunities`);
    await cards().first().waitFor();
    const badges = cards().first().locator('.accord-data-card-badges .mantine-Badge-root');
    expect(await badges.count()).toBeGreaterThanOrEqual(2);
  });

  it('scrolling to the end loads the next page', async () => {
    const total = (await api<{ total: number }>('contacts?limit=1&count=true')).total;
    expect(total).toBeGreaterThan(60);
    await page.goto(`${server.url}/contacts`);
    await cards().first().waitFor();
    const next = page.waitForResponse((r) => r.url().includes('/api/v1/contacts?') && r.url().includes('cursor='));
    for (let i = 0; i < 30; i++) {
      await page.mouse.wheel(0, 2000);
      await page.waitForTimeout(100);
      if (await page.locator('[data-row-index="55"]').count()) break;
    }
    expect((await next).status()).toBe(200);
    await page.locator('[data-row-index="60"]').waitFor();
  });

  it('searching narrows the cards; sorting by name puts the first name first', async () => {
    await page.goto(`${server.url}/accounts`);
    await cards().first().waitFor();
    await page.getByTestId('cards-sort').click();
    await page.getByRole('option', { name: '名称' }).click();
    const first = (await api<{ data: { name: string }[] }>('accounts?limit=1&sort=name')).data[0]!.name;
    await cards().first().getByTestId('data-card-title').filter({ hasText: first }).waitFor();
    expect(await page.getByTestId('cards-sort-direction').getAttribute('data-direction')).toBe('asc');
    await page.getByTestId('cards-sort-direction').click();
    const last = (await api<{ data: { name: string }[] }>('accounts?limit=1&sort=-name')).data[0]!.name;
    await cards().first().getByTestId('data-card-title').filter({ hasText: last }).waitFor();
    await page.getByPlaceholder(/搜索/).first().fill(first);
    await cards().first().getByTestId('data-card-title').filter({ hasText: first }).waitFor();
    await expect.poll(() => cards().count()).toBeLessThanOrEqual(3);
    await page.getByPlaceholder(/搜索/).first().fill('');
  });

  it('selecting cards brings up the bulk actions; select all takes every loaded card', async () => {
    await page.goto(`${server.url}/accounts`);
    await cards().nth(1).waitFor();
    await cards().nth(1).locator('input[type=checkbox]').check();
    await page.getByText('已选 1 条').waitFor();
    expect(await cards().nth(1).getAttribute('data-selected')).toBe('true');
    // The card was selected, not opened.
    expect(new URL(page.url()).pathname).toBe('/accounts');
    await page.getByTestId('cards-toolbar').locator('input[type=checkbox]').check();
    const loaded = await page.locator('[data-row-index]').evaluateAll((els) => els.length);
    expect(loaded).toBeGreaterThan(1);
    await shot(page, 'mobile-list-selected');
  });

  it("an account's orders are cards too", async () => {
    const withOrders = (await api<{ data: { accountId: string }[] }>('orders?limit=1')).data[0]!.accountId;
    await page.goto(`${server.url}/accounts/${withOrders}`);
    await page.getByRole('tab', { name: '订单' }).click();
    const related = page.getByTestId('related-cards').first();
    await related.locator('[data-testid="related-card"]').first().waitFor();
    expect(await page.getByRole('tabpanel').locator('table').count()).toBe(0);
    expect(await related.locator('[data-testid="related-card"]').first().locator('dt').count()).toBeGreaterThanOrEqual(2);
    // The order's status in words, not its stored key.
    expect(await related.textContent()).not.toMatch(/confirmed|shipped|delivered|invoiced|cancelled/);
    expect(await related.textContent()).toMatch(/已确认|已发货|已交付|已开票|已取消/);
    await shot(page, 'mobile-account-orders');
    expect(errors).toEqual([]);
  });
});
