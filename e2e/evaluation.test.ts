/**
 * Evaluation in the browser: a manager recomputes, the portfolio matrix shows the four quadrants
 * and clicks through to an account, the profile shows lift bars, the win model its calibration,
 * and the fit and win badges explain themselves on hover; an account page shows its country's culture
 * (DOMAIN §10); a manager changes the evaluation settings; segments are shown and saved from the
 * accounts list — with screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { launch, shot } from './browser.ts';

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer({ demoAccounts: 300 });
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
  await context.addInitScript(() => localStorage.setItem('accord.locale', 'en'));
  page = await context.newPage();
  page.setDefaultTimeout(Number(process.env.E2E_TIMEOUT ?? 45_000));
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  await page.goto(server.url + '/');
  await page.locator('input[name=email]').fill(server.email);
  await page.locator('input[name=password]').fill(server.password);
  await page.locator('button[type=submit]').click();
  await page.getByRole('heading', { name: 'Accounts' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('evaluation screens', () => {
  it('recomputes and shows the portfolio matrix; a point opens its account', async () => {
    await page.goto(server.url + '/portfolio');
    await page.getByRole('button', { name: 'Recompute now' }).click();
    await page.getByText(/Recomputed \d+ accounts/).waitFor();
    await page.getByTestId('portfolio-matrix').locator('canvas').first().waitFor();
    await page.getByText('Keep at all costs; aim for a strategic partnership').first().waitFor();
    await shot(page, 'ev-01-portfolio');
    await page.getByTestId('top-fit').getByTestId('fit-badge').first().hover();
    await page.getByText('Axis components').waitFor();
    await shot(page, 'ev-02-fit-why');
    await page.getByTestId('top-fit').getByRole('link').first().click();
    await page.waitForURL(/\/accounts\/[0-9a-f-]{36}$/);
  });

  it('lists and the board show fit and win badges that explain themselves', async () => {
    await page.goto(server.url + '/accounts');
    const table = page.getByTestId('data-table');
    await table.getByTestId('fit-badge').first().waitFor();
    // Sort by fit, best first: the column is a real field of the list API.
    const sortBtn = page.getByRole('button', { name: 'Sort by Fit score' });
    await sortBtn.click();
    const sorted = page.waitForResponse((r) => r.url().includes('/api/v1/accounts?') && r.url().includes('sort=-fitScore'));
    await sortBtn.click();
    expect((await sorted).status()).toBe(200);
    await table.getByTestId('fit-badge').first().hover();
    await page.getByText(/: \d+\/100$/).waitFor();
    await shot(page, 'ev-06-accounts-fit');
    await page.goto(server.url + '/opportunities');
    await table.getByTestId('win-badge').first().hover();
    await page.getByText(/^Win probability: \d+ %$/).waitFor();
    await shot(page, 'ev-07-opportunities-win');
    await page.goto(server.url + '/pipeline');
    const card = page.getByTestId('pipeline-card').filter({ has: page.getByTestId('win-badge') }).first();
    await card.getByTestId('pipeline-card-account').waitFor();
    expect((await card.getByTestId('pipeline-card-account').textContent())?.length).toBeGreaterThan(0);
    await shot(page, 'ev-08-pipeline-badges');
  });

  it('shows the profile with lift bars and the calibrated win model', async () => {
    await page.goto(server.url + '/profile');
    await page.getByTestId('profile-needType').locator('canvas').waitFor();
    await shot(page, 'ev-03-profile');
    await page.goto(server.url + '/win-model');
    await page.getByTestId('calibration-chart').locator('canvas').waitFor();
    const brier = Number(await page.getByTestId('brier').textContent());
    expect(brier).toBeGreaterThan(0);
    expect(brier).toBeLessThan(0.25);
    // The demo's history carries signal and no leak: the page says it beats the base rate and drops nothing.
    await page.getByTestId('model-useful').waitFor();
    expect(await page.getByTestId('model-dropped').count()).toBe(0);
    expect(await page.getByTestId('model-no-signal').count()).toBe(0);
    await shot(page, 'ev-04-win-model');
    await page.getByTestId('top-deals').getByTestId('win-badge').first().hover();
    await page.getByText(/^Win probability: \d+ %$/).waitFor();
    await shot(page, 'ev-05-win-why');
  });
});

describe('honest answers on a history that says nothing (issues #14, #22, #23)', () => {
  it('names the leaking amount, says "no better than the base rate", "no attribute separates" and that the axes cannot separate', async () => {
    // A second organization: 40 accounts that all won two deals and lost two; lost deals carry
    // amount 0 (as a real CRM export had), stage and days are independent of the outcome.
    const { createTestOrg, TEST_PASSWORD } = await import('../tests/helpers/app.ts');
    const org = await createTestOrg(server.database, 'Flat History Ltd');
    await server.database.query(
      `with a as (
         insert into accounts (org_id, name, kind, industry, country)
         select $1, 'Flat ' || lpad(i::text, 2, '0'), 'customer', (array['retail', 'wholesale', 'construction'])[1 + i % 3], (array['DE', 'FR'])[1 + i % 2]
           from generate_series(0, 39) i returning id, name)
       insert into opportunities (org_id, account_id, name, buying_stage, status, amount, currency, stage_entered_at, closed_at)
       select $1, a.id, 'Deal ' || g, (array['recognition_of_needs', 'evaluation_of_options', 'decision'])[1 + (i + g) % 3],
              case when g < 2 then 'won' else 'lost' end, case when g < 2 then 10000 else 0 end, 'USD',
              now() - make_interval(days => 40 + (i * 13 + g * 7) % 40), now() - interval '30 days'
         from (select id, substr(name, 6)::int as i from a) a cross join generate_series(0, 3) g`,
      [org.id],
    );
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    const p = await context.newPage();
    p.setDefaultTimeout(Number(process.env.E2E_TIMEOUT ?? 45_000));
    try {
      await p.goto(server.url + '/');
      await p.evaluate(() => localStorage.setItem('accord.locale', 'en'));
      await p.goto(server.url + '/');
      await p.locator('input[name=email]').fill(org.users.manager.email);
      await p.locator('input[name=password]').fill(TEST_PASSWORD);
      await p.locator('button[type=submit]').click();
      await p.getByRole('heading', { name: 'Accounts' }).waitFor();

      await p.goto(server.url + '/win-model');
      await p.getByRole('button', { name: 'Recompute now' }).click();
      await p.getByText(/Recomputed \d+ accounts/).waitFor();
      await p.getByTestId('dropped-logAmount').getByText('amount was dropped: it separates won and lost deals perfectly, which means it was recorded after the outcome.').waitFor();
      await p.getByTestId('model-no-signal').getByText(/no better than the base rate/).waitFor();
      expect(await p.getByTestId('model-suspicious').count()).toBe(0);
      await shot(p, 'ev-11-model-no-signal-leak');

      await p.goto(server.url + '/profile');
      await p.getByTestId('profile-nothing-separates').getByText('No attribute separates your won accounts from the others yet.', { exact: false }).waitFor();
      await shot(p, 'ev-12-profile-nothing-separates');

      await p.goto(server.url + '/portfolio');
      await p.getByTestId('portfolio-cannot-separate').waitFor();
      expect(await p.getByTestId('portfolio-cannot-separate').textContent()).toMatch(/Every account sits at Attractiveness \d+.*Every account sits at Relationship \d+/);
      await shot(p, 'ev-13-portfolio-cannot-separate');

      // The same statements in Chinese.
      for (const [locale, dropped, noSignal] of [['zh-CN', '已舍弃金额', '不比基准率更好'], ['zh-TW', '已捨棄金額', '不比基準率更好']] as const) {
        await p.evaluate((l) => localStorage.setItem('accord.locale', l), locale);
        await p.goto(server.url + '/win-model');
        await p.getByTestId('dropped-logAmount').getByText(dropped, { exact: false }).waitFor();
        await p.getByTestId('model-no-signal').getByText(noSignal).first().waitFor();
        await shot(p, `ev-14-model-${locale}`);
        await p.goto(server.url + '/profile');
        await p.getByTestId('profile-nothing-separates').waitFor();
        await p.goto(server.url + '/portfolio');
        await p.getByTestId('portfolio-cannot-separate').waitFor();
        await shot(p, `ev-15-portfolio-${locale}`);
      }
    } finally {
      await context.close();
    }
  });
});

describe('evaluation settings', () => {
  it('a manager moves a portfolio threshold, saves, recomputes; a colleague\'s change in between is shown, not overwritten', async () => {
    await page.goto(server.url + '/portfolio');
    await page.getByTestId('evaluation-settings').click();
    const form = page.getByTestId('evaluation-settings-form');
    const threshold = form.getByTestId('setting-relationshipThreshold');
    await threshold.waitFor();
    expect(await threshold.inputValue()).toBe('50');
    await threshold.fill('70');
    await form.getByTestId('settings-save').click();
    await form.getByTestId('settings-saved').waitFor();
    await shot(page, 'ev-09-settings-saved');
    await form.getByRole('button', { name: 'Recompute now' }).click();
    await page.getByText(/Recomputed \d+ accounts/).waitFor();
    const portfolio = await (await page.request.get(`${server.url}/api/v1/evaluation/portfolio?limit=1`)).json();
    expect(portfolio.thresholds.relationship).toBe(70);

    // A colleague saves while this form is open: saving again shows their values instead.
    const current = await (await page.request.get(`${server.url}/api/v1/evaluation/settings`)).json();
    const csrf = (await page.context().cookies()).find((c) => c.name === 'accord_csrf')?.value ?? '';
    const other = await page.request.patch(`${server.url}/api/v1/evaluation/settings`, {
      data: { attractivenessThreshold: 40 },
      headers: { 'if-match': `"${current.version}"`, 'x-csrf-token': csrf },
    });
    expect(other.status()).toBe(200);
    await threshold.fill('50');
    await form.getByTestId('settings-save').click();
    await form.getByTestId('settings-conflict').waitFor();
    expect(await form.getByTestId('setting-attractivenessThreshold').inputValue()).toBe('40');
    expect(await threshold.inputValue()).toBe('70');
    await shot(page, 'ev-10-settings-conflict');
  });
});

describe('segments on the accounts list', () => {
  it('shows a saved segment as list filters, and saves the list\'s filters as a new segment', async () => {
    const csrf = (await page.context().cookies()).find((c) => c.name === 'accord_csrf')?.value ?? '';
    const created = await page.request.post(`${server.url}/api/v1/segments`, {
      data: { name: 'Brand owners', entity: 'account', definition: { filters: { 'needType[eq]': 'brand_owner' } } },
      headers: { 'x-csrf-token': csrf },
    });
    expect(created.status()).toBe(201);
    const seg = await created.json();
    const expected = (await (await page.request.get(`${server.url}/api/v1/segments/${seg.id}/accounts?count=true&limit=1`)).json()).total as number;
    expect(expected).toBeGreaterThan(0);

    await page.goto(server.url + '/accounts');
    await page.getByTestId('data-table').waitFor();
    await page.getByTestId('segment-menu').click();
    const filtered = page.waitForResponse((r) => r.url().includes('/api/v1/accounts?') && r.url().includes('needType[eq]=brand_owner') && r.url().includes('count=true'));
    await page.getByRole('menuitem', { name: 'Brand owners' }).click();
    expect((await (await filtered).json()).total).toBe(expected);
    await expect.poll(async () => (await page.getByTestId('list-total').textContent())?.replace(/\D/g, '')).toBe(String(expected));
    await shot(page, 'sg-01-segment-applied');

    await page.getByTestId('segment-menu').click();
    await page.getByTestId('segment-save').click();
    await page.getByTestId('segment-name').fill('Brand owners again');
    await page.getByTestId('segment-save-confirm').click();
    await page.getByText('Segment “Brand owners again” saved.').waitFor();
    const all = (await (await page.request.get(`${server.url}/api/v1/segments?limit=200`)).json()).data as { name: string; definition: { filters: Record<string, string> } }[];
    expect(all.find((x) => x.name === 'Brand owners again')?.definition.filters).toEqual({ 'needType[eq]': 'brand_owner' });
  });
});

describe('culture on the account page', () => {
  it("shows the account's country's six dimensions beside ours, with advice, in English and Chinese", async () => {
    const list = (await (await page.request.get(`${server.url}/api/v1/accounts?limit=200`)).json()) as { data: { id: string; country: string | null }[] };
    // A country far from the demo exporter's own (China) on several dimensions.
    const acc = list.data.find((a) => ['DE', 'US', 'GB', 'FR', 'NL', 'AU', 'SE'].includes(a.country ?? ''));
    expect(acc, 'a demo account in a western country').toBeDefined();
    await page.goto(`${server.url}/accounts/${acc!.id}`);
    const card = page.getByTestId('culture-card');
    await card.getByTestId('culture-pdi').waitFor();
    for (const d of ['pdi', 'idv', 'mas', 'uai', 'lto', 'ivr']) await card.getByTestId(`culture-${d}`).waitFor();
    // Individualism is high in every one of those countries: its advice is shown.
    await card.getByText("Speak to each person's own goals").waitFor();
    await page.evaluate(() => localStorage.removeItem('accord.culture.compare'));
    await card.getByTestId('culture-compare').click();
    await page.getByRole('option', { name: 'China' }).click();
    await card.getByText(/^\d+ apart$/).first().waitFor();
    // A manager makes it the organization's country: a browser that never chose one compares with it.
    await card.getByTestId('culture-set-home').click();
    await page.getByText('China is now our country for everyone.').waitFor();
    await page.evaluate(() => localStorage.removeItem('accord.culture.compare'));
    await page.reload();
    await card.getByText('Our country: China (for everyone)').waitFor();
    await card.getByText(/^\d+ apart$/).first().waitFor();
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'cu-01-account-culture');
    // The card speaks the user's language, and keeps the compared country.
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: '简体中文' }).click();
    await card.getByText('权力距离').waitFor();
    await card.getByText(/^相差 \d+$/).first().waitFor();
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'cu-02-account-culture-zh-CN');
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await card.getByText('Power distance').waitFor();
  });
});
