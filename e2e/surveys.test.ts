/**
 * Engagement surveys in the browser: a manager (in 简体中文) creates a survey and sends it to an account's
 * contacts, a recipient answers it on a 390 px phone through the link (switching language, one question by
 * keyboard), the account shows its level; the engagement page on the demo organization; a bad link's page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { launch, shot, signedInPage } from './browser.ts';
import { demoLogins } from '../src/features/demo/index.ts';

let server: RunningServer;
let browser: Browser;
let manager: { page: Page; errors: string[]; close: () => Promise<void> };
let link = '';
let accountId = '';

beforeAll(async () => {
  server = await startServer({ demoAccounts: 300 });
  browser = await launch();
  const login = demoLogins(server.email.split('@')[1]!).find((l) => l.role === 'manager')!;
  manager = await signedInPage(browser, server.url, login.email, server.password, { locale: 'zh-CN' });
  manager.page.setDefaultTimeout(30_000);
}, 300_000);

afterAll(async () => {
  await manager?.close();
  await browser?.close();
  await server?.close();
});

describe('engagement surveys', () => {
  it('a manager creates a survey in 简体中文 and creates links for an account’s contacts', async () => {
    const { page } = manager;
    // An account with a buying center, the way a manager would pick one.
    const { rows } = await server.database.query(
      `select a.id, a.name from accounts a where a.kind = 'customer' and exists (
         select 1 from buying_center_members m join opportunities o on o.org_id = m.org_id and o.id = m.opportunity_id where o.account_id = a.id)
       and (select count(*) from contacts c where c.account_id = a.id) >= 2
       and not exists (select 1 from survey_answers x where x.account_id = a.id) order by a.name limit 1`,
    );
    const account = rows[0] as { id: string; name: string };
    accountId = account.id;
    await page.goto(server.url + '/surveys');
    await page.getByTestId('surveys-page').waitFor();
    await page.getByRole('heading', { name: '调查' }).waitFor();
    await shot(page, '70-surveys-list');
    await page.getByTestId('survey-new').click();
    await page.getByTestId('survey-name').fill('2026 年客户敬业度调查');
    await page.getByTestId('survey-language').getByText('简体中文').click();
    await page.getByTestId('survey-create').click();
    await page.getByTestId('survey-page').waitFor();
    await page.getByText('2026 年客户敬业度调查').first().waitFor();

    const accounts = page.getByTestId('send-accounts');
    await accounts.click();
    await accounts.fill(account.name.slice(0, 6));
    await page.getByRole('option', { name: account.name }).first().click();
    await page.keyboard.press('Escape');
    await page.getByText('仅限采购中心成员').click();
    expect(await page.getByTestId('send-bc-only').isChecked()).toBe(false);
    await page.getByTestId('send-submit').click();
    await page.getByTestId('send-result').waitFor();
    const links = page.getByTestId('survey-link');
    expect(await links.count()).toBeGreaterThanOrEqual(2);
    link = (await links.first().innerText()).trim();
    expect(link).toMatch(/\/s\/s_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    await page.keyboard.press('Escape');
    await shot(page, '71-survey-links');
    await page.getByTestId('tab-questions').click();
    await page.getByTestId('items-save').waitFor();
    await shot(page, '72-survey-questions');
  });

  it('a recipient answers on a 390 px phone: language switch, keyboard, partial save, thanks page', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' });
    const phone = await ctx.newPage();
    phone.setDefaultTimeout(30_000);
    const errors: string[] = [];
    phone.on('pageerror', (e) => errors.push(e.message));
    await phone.goto(link);
    await phone.getByTestId('survey-answer').waitFor();
    // No horizontal scrolling on a phone, and nothing of the app around the questionnaire.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await phone.locator('nav, [data-testid="app-shell"]').count()).toBe(0);
    await phone.getByTestId('survey-lang').getByText('EN').click();
    await phone.getByText('How likely are you to recommend us', { exact: false }).waitFor();
    await shot(phone, '73-answer-phone-en');
    await phone.getByTestId('survey-lang').getByText('简').click();
    await phone.getByText('您向其他公司的同行推荐我们的可能性有多大？').waitFor();

    // The first question by keyboard: focus its 0, arrow right to 8.
    await phone.locator('[data-testid="q-sat"] input[value="0"]').focus();
    for (let i = 0; i < 8; i++) await phone.keyboard.press('ArrowRight');
    await expect.poll(() => phone.locator('[data-testid="q-sat"] input[value="8"]').isChecked()).toBe(true);
    await phone.locator('[data-testid="q-cont"] input[value="9"]').check();
    await phone.locator('[data-testid="q-rec"] input[value="10"]').check();
    for (const id of ['conf1', 'conf2', 'intg1', 'intg2', 'prid1']) await phone.locator(`[data-testid="q-${id}"] input[value="5"]`).check();
    await phone.locator('[data-testid="q-prid2"] input[value="dk"]').check();
    await phone.getByText('已保存').waitFor();
    // Saved as it goes: a reload keeps the answers.
    await phone.reload();
    await phone.getByTestId('survey-answer').waitFor();
    await expect.poll(() => phone.locator('[data-testid="q-rec"] input[value="10"]').isChecked()).toBe(true);
    await phone.getByTestId('q-prid2').scrollIntoViewIfNeeded();
    await shot(phone, '74-answer-phone-zh');
    // Sending with questions open says how many, and sends nothing.
    await phone.getByTestId('survey-submit').click();
    await phone.getByTestId('survey-missing').waitFor();
    await shot(phone, '75-answer-phone-missing');
    for (const id of ['pass1', 'pass2']) await phone.locator(`[data-testid="q-${id}"] input[value="4"]`).check();
    await phone.getByTestId('survey-comment').fill('<script>alert(1)</script> 交期很准');
    await phone.getByTestId('survey-submit').click();
    await phone.getByTestId('survey-thanks').waitFor();
    await shot(phone, '76-answer-phone-thanks');
    // Re-opening the link shows the thanks page again.
    await phone.reload();
    await phone.getByTestId('survey-thanks').waitFor();
    // A link that is not one of ours: a clear page, no data.
    await phone.goto(server.url + '/s/s_' + 'Q'.repeat(22) + '.' + 'Q'.repeat(43));
    await phone.getByTestId('survey-problem').waitFor();
    expect(await phone.getByTestId('survey-problem').getAttribute('data-problem')).toBe('notFound');
    await shot(phone, '77-answer-phone-bad-link');
    // A link of the format before migration 0017: replaced, and it says so.
    await phone.goto(server.url + '/s/s_' + 'Q'.repeat(43));
    await phone.getByTestId('survey-problem').waitFor();
    expect(await phone.getByTestId('survey-problem').getAttribute('data-problem')).toBe('outdated');
    await shot(phone, '77-answer-phone-old-link');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('the account shows its engagement level and NPS; the answer is on its timeline; results list the comment as text', async () => {
    const { page } = manager;
    await page.goto(`${server.url}/accounts/${accountId}`);
    const card = page.getByTestId('engagement-card');
    await card.waitFor();
    await expect.poll(() => card.getByTestId('engagement-level').getAttribute('data-level')).toBe('fully_engaged');
    expect(await card.getByTestId('engagement-nps').innerText()).toBe('100');
    await card.scrollIntoViewIfNeeded();
    await shot(page, '78-account-engagement-card');
    await page.goto(server.url + '/surveys');
    await page.getByRole('link', { name: '2026 年客户敬业度调查' }).click();
    await page.getByTestId('tab-results').click();
    await page.getByTestId('survey-results').waitFor();
    await page.getByText('<script>alert(1)</script> 交期很准').waitFor();
    // The answers' CSV from the results screen: the button's link, with the session's cookie.
    const href = await page.getByTestId('export-answers').getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/exports\/survey_answers\?surveyId=[0-9a-f-]{36}&version=1$/);
    const file = await page.request.fetch(server.url + href);
    expect(file.status()).toBe(200);
    const body = await file.text();
    expect(body.split('\n')[0]).toContain('item.conf1');
    expect(body).toContain('<script>alert(1)</script> 交期很准');
    await shot(page, '79-survey-results');
  });

  it('the engagement page shows the share-of-wallet index per level on the demo organization', async () => {
    const { page } = manager;
    const api = await (await page.request.fetch(`${server.url}/api/v1/engagement`)).json();
    expect(api.placed).toBeGreaterThanOrEqual(30);
    expect(api.tooThin).toBe(false);
    expect(api.metrics.shareOfWallet.levels.fully_engaged.index).toBeGreaterThan(api.metrics.shareOfWallet.levels.actively_disengaged.index);
    await page.goto(server.url + '/engagement');
    await page.getByTestId('engagement-page').waitFor();
    await page.getByTestId('engagement-distribution').locator('canvas').first().waitFor();
    await page.getByTestId('engagement-index').locator('canvas').first().waitFor();
    expect(await page.getByTestId('engagement-placed').innerText()).toBe(String(api.placed));
    const fe = Math.round(api.metrics.shareOfWallet.levels.fully_engaged.index);
    expect(await page.getByTestId('index-shareOfWallet-fully_engaged').innerText()).toContain(String(fe));
    expect(await page.getByTestId('engagement-thin').count()).toBe(0);
    await shot(page, '80-engagement-page');
    const npsBy = page.getByTestId('engagement-nps-by');
    await npsBy.scrollIntoViewIfNeeded();
    // No recompute has run on this server: every portfolio type is still unset, so by need type.
    await npsBy.getByText('需求类型').click();
    await expect.poll(() => npsBy.locator('tbody tr').count()).toBeGreaterThan(1);
    await shot(page, '81-engagement-nps-by');
    expect(manager.errors).toEqual([]);
  });
});
