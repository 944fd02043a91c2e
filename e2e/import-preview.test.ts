/**
 * The import preview speaks the app's words: a row's stage, status and language show as labels
 * (Decision, Won, English — 决策, 赢单, 英语), never the keys they are stored as; and in the value
 * tables a stage the import maps to won/lost says so instead of "no match".
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
  server = await startServer({ demoAccounts: 20 });
  browser = await launch();
});

afterAll(async () => {
  await close?.();
  await browser?.close();
  await server?.close();
});

async function open(locale: 'en' | 'zh-CN') {
  await close?.();
  ({ page, errors, close } = await signedInPage(browser, server.url, server.email, server.password, { locale, height: 1100 }));
}

async function upload(entity: string | RegExp, name: string, csv: string) {
  await page.goto(server.url + '/imports');
  await page.getByTestId('import-dropzone').waitFor();
  await choose(page, page.getByTestId('import-entity'), entity);
  await page.locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-preview').click();
  await page.getByTestId('import-preview-table').waitFor({ timeout: 20_000 });
}

const cells = async () => (await page.getByTestId('import-preview-table').locator('tbody td').allTextContents()).map((s) => s.trim());

const DEALS = 'Deal Name,Deal Stage,Amount,Associated Company\nAtlas retrofit,Decision,12000,Atlas Facilities\nAtlas phase 2,Closed Won,30000,Atlas Facilities\n';

describe('import preview: labels, not keys', () => {
  it('stages and statuses as their labels; Closed Won is "as won/lost", not "no match"', async () => {
    await open('en');
    await upload('Opportunities', 'deals.csv', DEALS);
    const shown = await cells();
    expect(shown).toContain('Decision');
    expect(shown).toContain('Won');
    expect(shown).not.toContain('decision');
    expect(shown).not.toContain('won');
    const won = page.getByTestId('values-buying_stage').getByRole('row').filter({ hasText: 'Closed Won' });
    await expect.poll(() => won.getByTestId('value-match').textContent()).toBe('as won/lost');
    // "Decision" is the term's label: matched by label.
    expect(await page.getByTestId('values-buying_stage').getByRole('row').filter({ hasText: /^Decision/ }).count()).toBeLessThanOrEqual(1);
    await shot(page, 'import-preview-01-labels-en');
  });

  it('in Chinese: 决策, 赢单, a language as its name', async () => {
    await open('zh-CN');
    await upload(/商机/, 'deals.csv', DEALS);
    const shown = await cells();
    expect(shown).toContain('决策');
    const won = page.getByTestId('values-buying_stage').getByRole('row').filter({ hasText: 'Closed Won' });
    await expect.poll(() => won.getByTestId('value-match').textContent()).toBe('作为赢单/输单');
    await shot(page, 'import-preview-02-labels-zh');

    await upload(/联系人/, 'contacts.csv', 'Name,Email,Language,Country,Account\n李雷,li.lei@atlas.cn,en,CN,Atlas Facilities\n');
    const contact = await cells();
    expect(contact).toContain('英语');
    expect(contact).toContain('中国');
    expect(contact).not.toContain('en');
    await shot(page, 'import-preview-03-contact-zh');
    expect(errors).toEqual([]);
  });
});
