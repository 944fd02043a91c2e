/**
 * The double funnel of an organization whose history is years old (an import of 2017 deals): it
 * opens on the last three months with activity and says so, instead of an empty current month;
 * a window with nothing in it says that in words, never as a funnel of full-width zero bars.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { launch, shot, signedInPage } from './browser.ts';
import { createTestOrg, TEST_PASSWORD, type TestContext } from '../tests/helpers/app.ts';
import { dealWithHistory } from '../src/features/goals/test-helpers.ts';

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer({ demoAccounts: 20 });
  const org = await createTestOrg(server.database, 'Old history');
  const t = { database: server.database } as TestContext;
  const account = async (name: string) => ((await server.database.query(`insert into accounts (org_id, name) values ($1, $2) returning id`, [org.id, name])).rows[0] as { id: string }).id;
  const importedAt = new Date().toISOString();
  await dealWithHistory(t, org.id, await account('Old Co'), [['recognition_of_needs', '2017-03-01T00:00:00Z'], ['decision', importedAt]], { status: 'won', closedAt: '2017-06-15T00:00:00Z', amount: '100.00' });
  await dealWithHistory(t, org.id, await account('Older Co'), [['recognition_of_needs', importedAt]], { status: 'lost', lostReason: 'price', closedAt: '2017-05-01T00:00:00Z' });
  browser = await launch();
  ({ page } = await signedInPage(browser, server.url, org.users.manager.email, TEST_PASSWORD));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the double funnel on old history', () => {
  it('opens on April–June 2017, where the deals are, and says why', async () => {
    await page.goto(server.url + '/funnel');
    await page.getByTestId('funnel-moved').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('funnel-from').inputValue()).toBe('2017-04-01');
    expect(await page.getByTestId('funnel-to').inputValue()).toBe('2017-06-30');
    await page.getByTestId('acquisition-chart').waitFor();
    expect(await page.getByTestId('acquisition-empty').count()).toBe(0);
    await page.getByTestId('acquisition-funnel').getByText(/Won: 1/).waitFor();
    await shot(page, 'funnel-history-01-moved');
  });

  it('a window chosen with nothing in it says so instead of drawing zero bars', async () => {
    await page.getByTestId('funnel-from').fill('2019-01-01');
    await page.getByTestId('funnel-to').fill('2019-03-31');
    await page.getByTestId('acquisition-empty').waitFor();
    expect(await page.getByTestId('acquisition-chart').count()).toBe(0);
    expect(await page.getByTestId('funnel-moved').count()).toBe(0);
    await shot(page, 'funnel-history-02-empty');
  });

  it('an account that bought more than its entered demand reads "more than the demand", not "gap $0"', async () => {
    const org = ((await server.database.query(`select u.org_id from users u where u.email like 'manager-%' order by u.created_at desc limit 1`)).rows[0] as { org_id: string }).org_id;
    const acc = ((await server.database.query(`insert into accounts (org_id, name, total_annual_demand, demand_currency) values ($1, 'Over Co', 1000, 'USD') returning id`, [org])).rows[0] as { id: string }).id;
    await server.database.query(`insert into orders (org_id, account_id, ordered_at, amount, currency, amount_base, status) values ($1, $2, current_date - 20, 1450, 'USD', 1450, 'confirmed')`, [org, acc]);
    await page.goto(`${server.url}/accounts/${acc}`);
    const headline = page.getByTestId('sow-headline');
    await headline.waitFor({ timeout: 20_000 });
    expect(await headline.innerText()).toMatch(/145\s?%.*more than the total annual demand entered/);
    expect(await headline.innerText()).not.toMatch(/gap/);
    await shot(page, 'funnel-history-03-above-demand');
  });
});
