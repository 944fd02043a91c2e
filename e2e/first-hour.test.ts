/**
 * A new user's first hour, end to end, with zero tolerance: account → contact → deal (money edited
 * inline) → meeting with participants → task with a priority and a due time → pipeline → buying
 * center → export of the whole list → Ctrl-K. Any console error, page error or failed request
 * (HTTP ≥ 400, or a request that did not complete — cancellations aside) fails the test.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { choose, launch, shot } from './browser.ts';

const ACCOUNT = '杭州晨光照明有限公司';
const CONTACT = '陈晓燕';
const DEAL = '晨光 筒灯 年度框架';
const MEETING = '现场会议：筒灯样品评审';
const TASK = '寄送修改后的报价';

let server: RunningServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const state: { accountUrl?: string; oppUrl?: string; oppId?: string } = {};

beforeAll(async () => {
  server = await startServer({ demoAccounts: 60 });
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US', acceptDownloads: true });
  await context.addInitScript(() => {
    if (!localStorage.getItem('accord.locale')) localStorage.setItem('accord.locale', 'en');
  });
  page = await context.newPage();
  page.setDefaultTimeout(Number(process.env.E2E_TIMEOUT ?? 45_000));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text().slice(0, 300)}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    // A query cancelled because its screen was left is not a failure.
    if (!/ERR_ABORTED|NS_BINDING_ABORTED/.test(r.failure()?.errorText ?? '')) problems.push(`failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function noProblems(step: string) {
  expect(problems, `${step}: ${problems.join('\n')}`).toEqual([]);
}

describe('a new user\'s first hour, without a single console error', () => {
  it('signs in (the login page asks nothing that fails)', async () => {
    await page.goto(server.url + '/');
    await page.locator('input[name=email]').waitFor();
    await page.waitForLoadState('networkidle');
    noProblems('login page');
    await page.locator('input[name=email]').fill(server.email);
    await page.locator('input[name=password]').fill(server.password);
    await page.locator('button[type=submit]').click();
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    noProblems('sign in');
  });

  it('creates an account, a contact and a deal, and edits the amount inline', async () => {
    await page.getByTestId('create-button').click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Name/).fill(ACCOUNT);
    await choose(page, dialog.getByLabel(/^Country/), /^China/);
    await dialog.getByLabel(/^Website/).fill('https://chenguang-light.cn');
    await dialog.getByTestId('create-submit').click();
    await page.getByTestId('record-title').filter({ hasText: ACCOUNT }).waitFor();
    state.accountUrl = page.url();

    await page.getByRole('tab', { name: 'Contacts' }).click();
    await page.getByTestId('add-contact').click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Full name/).fill(CONTACT);
    await dialog.getByLabel(/^Email/).fill('chen.xy@chenguang-light.cn');
    await dialog.getByTestId('create-submit').click();
    await page.getByTestId('record-title').filter({ hasText: CONTACT }).waitFor();

    await page.goto(state.accountUrl);
    await page.getByRole('tab', { name: 'Opportunities' }).click();
    await page.getByTestId('add-opportunity').click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Name/).fill(DEAL);
    // Starts at the first stage, in the organization's currency.
    expect(await dialog.getByLabel(/^Buying stage/).inputValue()).toBe('Recognition of needs');
    expect(await dialog.getByLabel(/^Currency/).inputValue()).toMatch(/^[A-Z]{3}$/);
    await dialog.getByLabel(/^Amount/).fill('128000');
    await choose(page, dialog.getByLabel(/^Currency/), 'USD');
    await dialog.getByTestId('create-submit').click();
    await page.getByTestId('record-title').filter({ hasText: DEAL }).waitFor();
    state.oppUrl = page.url();
    state.oppId = page.url().split('/').pop();

    // The stored amount ("128000.00") opens without an error; an unchanged save is fine; a new one saves.
    await page.getByTestId('inline-amount').click();
    const save = page.getByTestId('inline-save-amount');
    await save.waitFor();
    await expect(page.getByText('Enter a number').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="inline-save-amount"]').locator('xpath=ancestor::div[1]').locator('.mantine-InputWrapper-error').count()).resolves.toBe(0);
    await page.keyboard.press('Control+a');
    await page.keyboard.type('150000');
    await save.click();
    await page.getByTestId('inline-amount').filter({ hasText: '150,000' }).waitFor();
    noProblems('records');
  });

  it('logs a meeting with the contact and a colleague, and shows who took part', async () => {
    await page.getByTestId('quick-log').click();
    await choose(page, page.getByTestId('log-kind'), 'Meeting');
    await page.getByTestId('log-subject').fill(MEETING);
    await page.getByTestId('log-contacts').click();
    await page.getByRole('option', { name: CONTACT }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('log-submit').click();
    const entry = page.getByTestId('timeline').locator('.mantine-Timeline-item').filter({ hasText: MEETING });
    await entry.getByTestId('timeline-participants').filter({ hasText: CONTACT }).waitFor();
    await shot(page, 'fh-01-meeting-participants');
    await page.goto(server.url + '/interactions');
    const row = page.getByTestId('data-table').getByRole('row').filter({ hasText: MEETING });
    await row.getByTestId('participants').getByRole('link', { name: CONTACT }).waitFor();
    await shot(page, 'fh-02-interactions-participants');
    noProblems('meeting');
  });

  it('adds a high-priority task due yesterday; the task list opens on my open tasks and flags it overdue', async () => {
    await page.goto(server.url + '/tasks');
    await page.getByTestId('task-views').waitFor();
    await page.getByTestId('create-button').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Title/).fill(TASK);
    // A new task is mine unless I say otherwise, and can name its contact and deal.
    expect(await dialog.getByLabel(/^Assignee/).inputValue()).not.toBe('');
    await dialog.getByLabel(/^Contact/).waitFor();
    await dialog.getByLabel(/^Opportunity/).waitFor();
    await choose(page, dialog.getByLabel(/^Priority/), 'High');
    const yesterday = new Date(Date.now() - 86_400_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    await dialog.getByLabel(/^Due/).fill(`${yesterday.getFullYear()}-${pad(yesterday.getMonth() + 1)}-${pad(yesterday.getDate())}T09:00`);
    await dialog.getByTestId('create-submit').click();
    await page.getByTestId('record-title').filter({ hasText: TASK }).waitFor();
    await page.getByTestId('inline-priority').filter({ hasText: 'High' }).waitFor();
    // Inline: priority changes too.
    await page.getByTestId('inline-priority').click();
    await choose(page, page.locator('input[aria-label="Priority"]'), 'Low');
    await page.getByTestId('inline-priority').filter({ hasText: 'Low' }).waitFor();
    await page.goto(server.url + '/tasks');
    const row = page.getByTestId('data-table').getByRole('row').filter({ hasText: TASK });
    await row.getByTestId('overdue').waitFor();
    await expect(page.getByTestId('task-views').locator('input:checked').getAttribute('value')).resolves.toBe('mine');
    await page.getByTestId('task-reminders').click();
    await page.getByRole('dialog').getByRole('link', { name: TASK }).waitFor();
    await shot(page, 'fh-03-tasks-my-open');
    await page.keyboard.press('Escape');
    noProblems('task');
  });

  it('moves the deal on the pipeline and adds the contact to its buying center, readable', async () => {
    await page.goto(server.url + '/pipeline');
    const card = page.locator(`[data-opp-id="${state.oppId}"]`);
    await card.waitFor();
    const target = page.getByTestId('pipeline-column-evaluation_of_options');
    const from = (await card.boundingBox())!;
    const to = (await target.boundingBox())!;
    const patched = page.waitForResponse((r) => r.url().includes(`/opportunities/${state.oppId}`) && r.request().method() === 'PATCH');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height - 10);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height, { steps: 3 });
    await page.mouse.move(to.x + to.width / 2, to.y + 120, { steps: 12 });
    await page.mouse.up();
    expect((await patched).status()).toBe(200);
    await target.locator(`[data-opp-id="${state.oppId}"]`).waitFor();

    await page.goto(state.oppUrl!);
    await page.getByRole('tab', { name: 'Buying center' }).click();
    await page.getByTestId('add-member-contact').click();
    await page.getByRole('option', { name: new RegExp(CONTACT) }).click();
    await page.getByTestId('add-member').click();
    await page.getByTestId('members-table').getByText(CONTACT).waitFor();
    const map = page.getByTestId('buying-center-map');
    await map.locator('canvas').first().waitFor();
    await expect.poll(async () => Number(await map.getAttribute('data-label-px'))).toBeGreaterThanOrEqual(11);
    await shot(page, 'fh-04-buying-center');
    noProblems('pipeline and buying center');
  });

  it('exports the whole filtered list with raw values', async () => {
    await page.goto(server.url + '/opportunities');
    await page.getByTestId('data-table').getByRole('row').nth(1).waitFor();
    const total = Number((await page.getByTestId('list-total').textContent())!.replace(/\D/g, ''));
    expect(total).toBeGreaterThan(50);
    await page.getByTestId('export-button').click();
    const download = page.waitForEvent('download');
    await page.getByTestId('export-all').click();
    const file = readFileSync((await (await download).path())!, 'utf8');
    const lines = file.replace(/^\ufeff/, '').trim().split(/\r?\n/);
    expect(lines.length - 1).toBe(total);
    const mine = lines.find((l) => l.includes(DEAL))!;
    expect(mine).toContain('150000.00');
    expect(mine).toContain('evaluation_of_options');
    noProblems('export');
  });

  it('Ctrl-K: Enter right after typing opens the first hit of what was typed', async () => {
    await page.goto(server.url + '/accounts');
    await page.getByTestId('data-table').getByRole('row').nth(1).waitFor();
    await page.keyboard.press('Control+k');
    const input = page.getByTestId('search-input');
    // A previous query's results are on screen …
    await input.fill('Acme');
    await page.waitForTimeout(600);
    // … then the user types the name and presses Enter at once.
    await input.fill('晨光照明');
    await page.keyboard.press('Enter');
    await page.getByTestId('record-title').filter({ hasText: ACCOUNT }).waitFor();
    noProblems('search');
  });
});
