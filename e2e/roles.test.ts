/**
 * What a viewer sees: the records to read, no way to create, change, import or administer — not in
 * the menu, not by typing the address — and colleagues without their e-mail addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { launch, shot, signedInPage } from './browser.ts';
import { demoLogins } from '../src/features/demo/index.ts';

let server: RunningServer;
let browser: Browser;
let page: Page;
let errors: string[] = [];

beforeAll(async () => {
  server = await startServer({ demoAccounts: 40 });
  browser = await launch();
  const viewer = demoLogins(server.email.split('@')[1]!).find((l) => l.role === 'viewer')!;
  ({ page, errors } = await signedInPage(browser, server.url, viewer.email, server.password));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a viewer', () => {
  it('reads the accounts list and an account without create, bulk or logging controls', async () => {
    await page.goto(server.url + '/accounts');
    const table = page.getByTestId('data-table');
    await table.getByRole('row').nth(1).waitFor();
    expect(await page.getByTestId('create-button').count()).toBe(0);
    const nav = page.getByRole('navigation');
    expect(await nav.getByText('Import', { exact: true }).count()).toBe(0);
    expect(await nav.getByText('Administration', { exact: true }).count()).toBe(0);
    await shot(page, 'roles-01-viewer-list');
    // A row's first cell is a real link (a new tab, a copied address), and a plain click opens the record in the app.
    const link = table.getByRole('row').nth(1).getByRole('link').first();
    expect(await link.getAttribute('href')).toMatch(/^\/accounts\/[0-9a-f-]{36}$/);
    await link.click();
    await page.getByTestId('record-title').waitFor();
    await page.getByText('Timeline').first().waitFor();
    expect(await page.getByTestId('quick-log').count()).toBe(0);
    expect(await page.getByTestId('add-contact').count()).toBe(0);
  });

  it('typing /admin or /imports shows a page that is not for this role, and the API lists no colleague’s e-mail', async () => {
    for (const path of ['/admin', '/admin/users', '/imports']) {
      await page.goto(server.url + path);
      await page.getByText('This page is not for your role').waitFor();
    }
    await shot(page, 'roles-02-viewer-admin');
    const users = await page.evaluate(async () => (await (await fetch('/api/v1/users')).json()) as { data: { email: string | null }[] });
    expect(users.data.filter((u) => u.email !== null)).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
