/**
 * End to end: log in, create an account with a Chinese name, add a contact, create an
 * opportunity, log an interaction at phone width, drag the deal on the pipeline board, import a
 * CSV, search, switch to 简体中文 — with a screenshot of every main screen.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { choose, launch, shot } from './browser.ts';

const ACCOUNT = '深圳光明照明科技有限公司';
const CONTACT = '王小明';
const DEAL = '光明 LED 面板灯采购';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const state: { accountUrl?: string; oppId?: string } = {};

async function endpointExists(method: string, path: string) {
  const res = await page.request.fetch(`${server.url}${path}`, { method, failOnStatusCode: false });
  return res.status() !== 404;
}

beforeAll(async () => {
  server = await startServer({ demoAccounts: 150 });
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  // Start in English on a fresh browser; the language switch later is the user's own choice.
  await context.addInitScript(() => {
    if (!localStorage.getItem('accord.locale')) localStorage.setItem('accord.locale', 'en');
  });
  page = await context.newPage();
  page.setDefaultTimeout(Number(process.env.E2E_TIMEOUT ?? 45_000));
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[14]/.test(m.text())) console.error('[console]', m.text().slice(0, 400));
  });
});

beforeEach(async () => {
  await page?.setViewportSize({ width: 1440, height: 900 });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Accord in the browser', () => {
  it('logs in', async () => {
    await page.goto(server.url + '/');
    await page.locator('input[name=email]').waitFor();
    await shot(page, '01-login');
    await page.locator('input[name=email]').fill(server.email);
    await page.locator('input[name=password]').fill(server.password);
    await page.locator('button[type=submit]').click();
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    await page.getByTestId('data-table').getByRole('row').nth(1).waitFor();
    await shot(page, '02-accounts-list');
  });

  it('creates an account with a Chinese name', async () => {
    await page.getByTestId('create-button').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Name/).fill(ACCOUNT);
    await choose(page, dialog.getByLabel(/^Country/), /^China/);
    await dialog.getByLabel(/^Website/).fill('not a url');
    await dialog.getByText('Enter a full web address like https://example.com').waitFor();
    await dialog.getByLabel(/^Website/).fill('https://gm-lighting.cn');
    await dialog.getByTestId('create-submit').click();
    await page.getByTestId('record-title').filter({ hasText: ACCOUNT }).waitFor();
    state.accountUrl = page.url();
    await shot(page, '03-account-page');
  });

  it('edits a field inline', async () => {
    await page.getByTestId('inline-city').click();
    await page.keyboard.type('深圳');
    await page.keyboard.press('Enter');
    await page.getByTestId('inline-city').filter({ hasText: '深圳' }).waitFor();
  });

  it('shows the other person\'s change on a 409 and re-applies mine', async () => {
    const id = state.accountUrl!.split('/').pop();
    const before = await (await page.request.get(`${server.url}/api/v1/accounts/${id}`)).json();
    const csrf = (await context.cookies()).find((c) => c.name === 'accord_csrf')?.value ?? '';
    // A colleague saves a new phone number while this page still shows the previous version.
    const other = await page.request.patch(`${server.url}/api/v1/accounts/${id}`, {
      data: { phone: '+86 755 1234 5678' },
      headers: { 'if-match': `"${before.version}"`, 'x-csrf-token': csrf },
    });
    expect(other.status()).toBe(200);
    await page.getByTestId('inline-employees').click();
    await page.keyboard.type('250');
    await page.keyboard.press('Enter');
    await page.getByTestId('conflict-reapply').waitFor();
    await page.getByRole('dialog').getByText('+86 755 1234 5678').waitFor();
    await shot(page, '03b-conflict-dialog');
    await page.getByTestId('conflict-reapply').click();
    await page.getByTestId('inline-employees').filter({ hasText: '250' }).waitFor();
    const after = await (await page.request.get(`${server.url}/api/v1/accounts/${id}`)).json();
    expect(after.phone).toBe('+86 755 1234 5678');
    expect(after.employees).toBe(250);
  });

  it('adds a contact to the account', async () => {
    await page.getByRole('tab', { name: 'Contacts' }).click();
    await page.getByTestId('add-contact').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Full name/).fill(CONTACT);
    await dialog.getByLabel(/^Title/).fill('采购经理');
    await dialog.getByLabel(/^Email/).fill('wang.xm@gm-lighting.cn');
    await dialog.getByTestId('create-submit').click();
    await page.getByTestId('record-title').filter({ hasText: CONTACT }).waitFor();
    await shot(page, '04-contact-page');
  });

  it('creates an opportunity', async () => {
    await page.goto(state.accountUrl!);
    await page.getByRole('tab', { name: 'Opportunities' }).click();
    await page.getByTestId('add-opportunity').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Name/).fill(DEAL);
    await choose(page, dialog.getByLabel(/^Buying stage/), 'Recognition of needs');
    await dialog.getByLabel(/^Amount/).fill('128000');
    await choose(page, dialog.getByLabel(/^Currency/), 'USD');
    await dialog.getByTestId('create-submit').click();
    await page.getByTestId('record-title').filter({ hasText: DEAL }).waitFor();
    state.oppId = page.url().split('/').pop();
    await shot(page, '05-opportunity-page');
  });

  it('logs an interaction at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('quick-log').click();
    await page.getByTestId('log-subject').fill('电话沟通面板灯规格');
    await page.getByTestId('log-submit').click();
    await page.getByTestId('timeline').getByText('电话沟通面板灯规格').waitFor();
    await shot(page, '06-opportunity-phone');
    await page.goto(state.accountUrl!);
    await page.getByTestId('record-title').waitFor();
    await shot(page, '07-account-phone');
  });

  it('drags the opportunity to the next stage on the board', async () => {
    await page.goto(server.url + '/pipeline');
    const card = page.locator(`[data-opp-id="${state.oppId}"]`);
    await card.waitFor();
    // The mouse can only grab what is on screen: a card low in its column is scrolled to first.
    await card.scrollIntoViewIfNeeded();
    const target = page.getByTestId('pipeline-column-evaluation_of_options');
    const from = (await card.boundingBox())!;
    const to = (await target.boundingBox())!;
    const patched = page.waitForResponse((r) => r.url().includes(`/opportunities/${state.oppId}`) && r.request().method() === 'PATCH');
    // Grab the card by its lower part: the title is a link that must stay clickable.
    await page.mouse.move(from.x + from.width / 2, from.y + from.height - 10);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height, { steps: 3 });
    await page.mouse.move(to.x + to.width / 2, to.y + 120, { steps: 12 });
    await page.mouse.up();
    expect((await patched).status()).toBe(200);
    await target.locator(`[data-opp-id="${state.oppId}"]`).waitFor();
    // The card names its account (sent by the server with the deal, no extra request per card).
    await expect(target.locator(`[data-opp-id="${state.oppId}"]`).getByTestId('pipeline-card-account').textContent()).resolves.toBe(ACCOUNT);
    await shot(page, '08-pipeline');
    // Every stage's column is on screen at this width: none hidden behind a horizontal scroll.
    const width = page.viewportSize()!.width;
    const columns = page.locator('[data-testid^="pipeline-column-"]');
    expect(await columns.count()).toBeGreaterThanOrEqual(5);
    for (const box of await columns.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right))) expect(box).toBeLessThanOrEqual(width);
    const saved = await page.request.get(`${server.url}/api/v1/opportunities/${state.oppId}`);
    expect((await saved.json()).buyingStage).toBe('evaluation_of_options');
  });

  it('shows account and contact names in the lists, linking to the records', async () => {
    await page.goto(server.url + '/opportunities');
    const row = page.getByTestId('data-table').getByRole('row').filter({ hasText: DEAL });
    await row.getByRole('link', { name: ACCOUNT }).waitFor();
    await shot(page, '08b-opportunities-list');
    await page.goto(server.url + '/contacts');
    const contact = page.getByTestId('data-table').getByRole('row').filter({ hasText: CONTACT });
    await contact.getByRole('link', { name: ACCOUNT }).click();
    await page.getByTestId('record-title').filter({ hasText: ACCOUNT }).waitFor();
    // The call logged on the deal names both its account and its opportunity.
    await page.goto(server.url + '/interactions');
    const call = page.getByTestId('data-table').getByRole('row').filter({ hasText: '电话沟通面板灯规格' });
    await call.getByRole('link', { name: ACCOUNT }).waitFor();
    await call.getByRole('link', { name: DEAL }).waitFor();
    await shot(page, '08c-interactions-list');
    await page.goto(server.url + '/tasks');
    // The task list opens on my open tasks; the demo's tasks are everyone's.
    await page.getByTestId('task-views').getByText('All').click();
    await page.getByTestId('data-table').getByRole('row').nth(1).waitFor();
    await shot(page, '08d-tasks-list');
  });

  it('imports a CSV', async (ctx) => {
    if (!(await endpointExists('GET', '/api/v1/imports'))) {
      console.warn('/api/v1/imports is not registered in src/features/registry.ts yet: import test skipped');
      ctx.skip();
    }
    await page.goto(server.url + '/imports');
    const csv = ['公司名称,国家,网站,员工数', '宁波新星照明有限公司,中国,https://nbxx-light.cn,120', 'Nordlicht GmbH,DE,https://nordlicht.de,45', ',CN,,3'].join('\n');
    await page.getByTestId('import-dropzone').waitFor();
    await shot(page, '09a-import-upload');
    await page.locator('input[type=file]').setInputFiles({ name: 'accounts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByTestId('import-next').click();
    await shot(page, '09-import-mapping');
    await page.getByTestId('import-preview').click();
    await page.getByTestId('import-run').waitFor();
    await shot(page, '10-import-preview');
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    await shot(page, '11-import-summary');
  });

  it('finds a record by part of its Chinese name', async (ctx) => {
    if (!(await endpointExists('GET', '/api/v1/search?q=x'))) {
      console.warn('GET /api/v1/search is not served yet: search test skipped');
      ctx.skip();
    }
    await page.goto(server.url + '/accounts');
    await page.getByTestId('data-table').getByRole('row').nth(1).waitFor();
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').fill('光明照明');
    await page.getByTestId('search-hit').filter({ hasText: ACCOUNT }).first().waitFor();
    await shot(page, '12-search');
    await page.getByTestId('search-hit').filter({ hasText: ACCOUNT }).first().click();
    await page.getByTestId('record-title').filter({ hasText: ACCOUNT }).waitFor();
  });

  it('shows admin screens', async () => {
    await page.goto(server.url + '/admin/users');
    await page.getByRole('table').first().waitFor();
    await shot(page, '13-admin-users');
    await page.goto(server.url + '/admin/vocabularies');
    await shot(page, '14-admin-vocabularies');
  });

  it('switches to 简体中文', async () => {
    await page.goto(server.url + '/accounts');
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: '简体中文' }).click();
    await page.getByRole('heading', { name: '客户' }).waitFor();
    await page.getByRole('navigation').getByText('商机').waitFor();
    await shot(page, '15-accounts-zh-CN');
    await page.goto(state.accountUrl!);
    await page.getByText('公司概况').waitFor();
    await shot(page, '16-account-zh-CN');
    await page.goto(server.url + '/pipeline');
    await page.getByText('需求确认').first().waitFor();
    await shot(page, '17-pipeline-zh-CN');
  });

  it('edits the profile and shows a server error in 简体中文; the language is saved on the user', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('profile-menu-item').click();
    await page.getByRole('heading', { name: '个人资料与设置' }).waitFor();
    // Only the server knows the password is wrong: its error comes back as a code and is shown in Chinese.
    await page.getByTestId('current-password').fill('not-my-password');
    await page.getByTestId('new-password').fill('another-long-password');
    await page.getByTestId('change-password').click();
    await page.getByText('当前密码不正确').waitFor();
    await shot(page, '18-profile-zh-CN');
    const me = await (await page.request.get(`${server.url}/api/v1/auth/me`)).json();
    expect(me.user.locale).toBe('zh-CN');
    await page.getByTestId('profile-name').fill('管理员 Ada');
    await page.getByTestId('profile-save').click();
    await page.getByTestId('user-menu').getByText('管理员 Ada').waitFor();
  });
});
