/**
 * Reports on the demo data, as a manager: the builder opens on open deals by stage, regroups by owner with a
 * win rate, saves a shared report that another user finds; the dashboard draws its five tiles; the numbers
 * on screen are the API's numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { choose, launch, shot, signedInPage } from './browser.ts';
import { demoLogins } from '../src/features/demo/index.ts';
import { recompute } from '../src/features/evaluation/commands.ts';

let server: RunningServer;
let browser: Browser;

async function signIn(role: 'manager' | 'rep', locale: 'en' | 'zh-CN' = 'en'): Promise<{ page: Page & { errors?: string[] }; context: { close: () => Promise<void> } }> {
  const login = demoLogins(server.email.split('@')[1]!).find((l) => l.role === role)!;
  const s = await signedInPage(browser, server.url, login.email, server.password, { locale });
  return { page: Object.assign(s.page, { errors: s.errors }), context: { close: s.close } };
}

const rowsOf = async (page: Page, testId: string) => page.getByTestId(testId).locator('tbody tr').allInnerTexts();

beforeAll(async () => {
  server = await startServer({ demoAccounts: 300 });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('reports', () => {
  it('the builder opens on open deals by stage, with the same counts as the API', async () => {
    const { page, context } = await signIn('manager');
    await page.goto(server.url + '/reports');
    await page.getByTestId('report-result-table').locator('tbody tr').first().waitFor({ timeout: 20_000 });
    const shown = await rowsOf(page, 'report-result-table');
    expect(shown.length).toBeGreaterThan(1);
    // The same definition through the API, with the browser's session.
    const api = await page.evaluate(async () => {
      const csrf = document.cookie.match(/accord_csrf=([^;]+)/)?.[1] ?? '';
      const r = await fetch('/api/v1/reports/run', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: JSON.stringify({ recordType: 'opportunities', groupBy: [{ field: 'buyingStage' }], measures: [{ agg: 'count' }, { agg: 'sum', field: 'amount' }], filters: { status: 'open' } }),
      });
      return { status: r.status, body: await r.json() };
    });
    expect(api.status).toBe(200);
    const apiRows = api.body.rows as { labels: (string | null)[]; values: (number | string | null)[] }[];
    expect(apiRows.reduce((n, r) => n + Number(r.values[0] ?? 0), 0)).toBeGreaterThan(0);
    // One table row per result row, each naming its stage.
    expect(shown.length).toBe(apiRows.length);
    for (const r of apiRows) expect(shown.some((line) => line.includes(String(r.labels[0])))).toBe(true);
    await shot(page, 'reports-01-open-deals-by-stage');
    await context.close();
  });

  it('regroups by owner with a win rate on closed deals and saves it shared; a rep finds and opens it', async () => {
    const { page, context } = await signIn('manager');
    await page.goto(server.url + '/reports');
    await page.getByTestId('report-result-table').locator('tbody tr').first().waitFor({ timeout: 20_000 });
    await choose(page, page.getByTestId('group-0'), /^Owner$/);
    await choose(page, page.getByTestId('measure-0-agg'), /Win rate/);
    await page.getByTestId('report-result-table').locator('th', { hasText: /Win rate/ }).first().waitFor();
    // The builder's default filter keeps open deals only: no win rate to show, and the screen says so.
    await page.getByTestId('report-result-nothing').waitFor();
    await page.getByRole('button', { name: 'Remove filter' }).first().click();
    await page.getByTestId('report-result-chart').waitFor();
    const rows = await rowsOf(page, 'report-result-table');
    expect(rows.length).toBeGreaterThan(1);
    // Win rates are percentages between 0 and 100, and they differ between owners.
    const rates = rows.map((line) => line.match(/(\d+(?:\.\d+)?)\s*%/)?.[1]).filter((x): x is string => !!x).map(Number);
    expect(rates.length).toBeGreaterThan(1);
    for (const r of rates) expect(r).toBeLessThanOrEqual(100);
    expect(new Set(rates).size).toBeGreaterThan(1);
    await page.getByTestId('report-name').fill('Win rate by owner');
    await page.getByTestId('report-share').check({ force: true });
    await page.getByTestId('report-save').click();
    await page.getByText('Report saved').first().waitFor();
    await shot(page, 'reports-02-win-rate-by-owner');
    expect((page as Page & { errors?: string[] }).errors).toEqual([]);
    await context.close();

    const rep = await signIn('rep');
    await rep.page.goto(server.url + '/reports');
    await choose(rep.page, rep.page.getByTestId('saved-reports'), /Win rate by owner/);
    await rep.page.getByTestId('report-result-table').locator('th', { hasText: /Win rate/ }).first().waitFor();
    expect(await rep.page.getByTestId('report-name').inputValue()).toBe('Win rate by owner');
    // Not the rep's report: saving makes a copy, there is no delete.
    await expect(rep.page.getByRole('button', { name: 'Save as new' }).count()).resolves.toBe(0);
    await rep.context.close();
  });

  it('the dashboard draws its tiles, says why the forecast is empty before the win model ran, in Simplified Chinese too', async () => {
    const { page, context } = await signIn('manager');
    await page.goto(server.url + '/dashboard');
    // The e2e demo is loaded without a recompute: no deal has a win probability yet.
    await page.getByTestId('tile-forecast-view-nothing').waitFor({ timeout: 20_000 });
    await shot(page, 'reports-03-dashboard-before-recompute');
    await context.close();
    const { rows } = await server.database.query('select id from organizations limit 1');
    await recompute(server.database, (rows[0] as { id: string }).id);
    for (const locale of ['en', 'zh-CN'] as const) {
      const s = await signIn('manager', locale);
      await s.page.goto(server.url + '/dashboard');
      for (const key of ['pipeline', 'forecast', 'winOwner', 'winTeam', 'wonQuarter']) {
        await s.page.getByTestId(`tile-${key}-view-chart`).locator('svg, canvas').first().waitFor({ timeout: 20_000 });
      }
      await shot(s.page, `reports-04-dashboard-${locale}`);
      expect((s.page as Page & { errors?: string[] }).errors).toEqual([]);
      await s.context.close();
    }
  });
});
