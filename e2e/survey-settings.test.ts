/**
 * The survey settings screens in the browser: a manager (简体中文) rewords a question of the item bank,
 * is stopped by an empty translation, saves; then changes the engagement rules, is stopped by a broken
 * threshold pair, saves. A rep sees both read-only. An administrator imports survey results collected
 * elsewhere through the import wizard. Screenshots: 90-*, 91-*, 92-*.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { choose, launch, shot, signedInPage } from './browser.ts';
import { demoLogins } from '../src/features/demo/index.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ demoAccounts: 30 });
  browser = await launch();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const loginOf = (role: string) => demoLogins(server.email.split('@')[1]!).find((l) => l.role === role)!;
const orgSettings = async () => ((await server.database.query(`select settings from organizations o join users u on u.org_id = o.id where u.email = $1`, [server.email])).rows[0] as { settings: Record<string, unknown> }).settings;

describe('survey settings', () => {
  it('a manager edits the item bank in three languages, validated before it is sent', async () => {
    const m = loginOf('manager');
    const { page, errors, close } = await signedInPage(browser, server.url, m.email, server.password, { locale: 'zh-CN', height: 1300 });
    try {
      page.setDefaultTimeout(30_000);
      await page.goto(server.url + '/surveys');
      await page.getByTestId('survey-settings').click();
      await page.getByTestId('survey-settings-page').waitFor();
      await page.getByTestId('item-bank').waitFor();
      await page.getByTestId('item-bank-state').getByText('默认题目').waitFor();
      const cn = page.getByTestId('bank-text-conf1-zh-CN');
      await cn.fill('他们说到做到，交期从不延误。');
      const tw = page.getByTestId('bank-text-conf2-zh-TW');
      await tw.fill('');
      // The empty translation is marked on its field (the schema's message) and saving is off.
      await page.locator('[data-testid="bank-text-conf2-zh-TW"][aria-invalid="true"]').waitFor();
      expect(await page.getByTestId('bank-save').isDisabled()).toBe(true);
      await shot(page, '90-item-bank-error');
      await tw.fill('我可以放心依靠對接人告訴我的事情。');
      await page.getByTestId('bank-remove-prid2').click();
      // One pride item left: the bank rule says so and saving stays off.
      await page.getByTestId('bank-problems').getByText('自豪感至少需要两道题').waitFor();
      expect(await page.getByTestId('bank-save').isDisabled()).toBe(true);
      await page.getByTestId('bank-add-pride').click();
      await page.getByTestId('bank-text-prid2-en').fill('I mention them as a supplier with some pride.');
      await page.getByTestId('bank-text-prid2-zh-CN').fill('我会带着自豪提起这家供应商。');
      await page.getByTestId('bank-text-prid2-zh-TW').fill('我會帶著自豪提起這家供應商。');
      await page.getByTestId('bank-save').click();
      await page.getByTestId('item-bank-state').getByText('已编辑（第 1 版）').waitFor();
      await shot(page, '90-item-bank-saved');
      const bank = (await orgSettings()).surveyItems as { items: { id: string; text: Record<string, string> }[] };
      expect(bank.items.find((i) => i.id === 'conf1')!.text['zh-CN']).toBe('他们说到做到，交期从不延误。');
      expect(bank.items.find((i) => i.id === 'prid2')!.text['zh-TW']).toBe('我會帶著自豪提起這家供應商。');

      await page.getByTestId('tab-rules').click();
      await page.getByTestId('engagement-rules').waitFor();
      const disagree = page.getByTestId('rule-disagree');
      await disagree.fill('4.5');
      await page.getByText('须低于层级成立的分数').waitFor();
      expect(await page.getByTestId('rules-save').isDisabled()).toBe(true);
      await shot(page, '91-engagement-rules-error');
      await disagree.fill('2');
      await page.getByTestId('rule-windowDays').fill('180');
      await page.getByTestId('weight-decider').fill('4');
      await page.getByTestId('rules-save').click();
      await page.getByText('已保存').first().waitFor();
      await shot(page, '91-engagement-rules-saved');
      const s = (await orgSettings()).engagement as { windowDays: number; disagree: number; roleWeights: Record<string, number> };
      expect(s).toMatchObject({ windowDays: 180, disagree: 2, roleWeights: { decider: 4 } });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a rep reads the settings but cannot change them', async () => {
    const r = loginOf('rep');
    const { page, close } = await signedInPage(browser, server.url, r.email, server.password, { locale: 'en' });
    try {
      await page.goto(server.url + '/surveys/settings');
      await page.getByText('Only managers and administrators change these').waitFor();
      expect(await page.getByTestId('bank-save').count()).toBe(0);
      expect(await page.getByTestId('bank-text-conf1-zh-CN').inputValue()).toBe('他们说到做到，交期从不延误。');
      expect(await page.getByTestId('bank-text-conf1-en').getAttribute('readonly')).not.toBeNull();
      // The engagement page beside the seed: on 30 demo accounts too few answers for a reading.
      await page.goto(server.url + '/engagement');
      await page.getByTestId('engagement-vs-seed').waitFor();
      await page.getByTestId('engagement-vs-seed').scrollIntoViewIfNeeded();
      await shot(page, '93-engagement-vs-seed');
      expect(await page.getByTestId('seed-shareOfWallet').textContent()).toContain('Not enough answers to say');
    } finally {
      await close();
    }
  });

  it('the import wizard offers survey results: a file from another tool lands as answers of known contacts', async () => {
    const { rows } = await server.database.query(
      `select c.email from contacts c join users u on u.org_id = c.org_id where u.email = $1 and c.email is not null and c.account_id is not null and c.deleted_at is null
        order by c.email limit 2`, [server.email]);
    const [a, b] = (rows as { email: string }[]).map((r) => r.email);
    const before = Number(((await server.database.query(`select count(*)::int as n from survey_answers where source = 'import'`)).rows[0] as { n: number }).n);
    const csv = ['邮箱,提交时间,推荐,信心1,信心2,诚信1,诚信2,意见', `${a},2026-11-02,９,5,5.0,4,不知道,很好`, `${b},2026-11-03,N/A,2,1,1,2,`, `nobody@example.com,2026-11-03,7,3,3,3,3,`].join('\n');
    const { page, errors, close } = await signedInPage(browser, server.url, server.email, server.password, { locale: 'zh-CN', height: 1100 });
    try {
      page.setDefaultTimeout(30_000);
      await page.goto(server.url + '/imports');
      await page.getByTestId('import-dropzone').waitFor();
      await choose(page, page.getByTestId('import-entity'), '调查结果');
      await page.locator('input[type=file]').setInputFiles({ name: 'survey-results.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      await page.getByTestId('import-next').click();
      await page.getByTestId('import-survey-hint').waitFor();
      expect(await page.getByTestId('import-create-users').count()).toBe(0);
      await page.getByTestId('import-preview').click();
      await page.getByTestId('import-preview-table').waitFor({ timeout: 20_000 });
      await shot(page, '92-import-survey-results');
      await page.getByTestId('import-run').click();
      await page.getByTestId('import-summary').waitFor({ timeout: 30_000 });
      await shot(page, '92-import-survey-results-done');
      const after = Number(((await server.database.query(`select count(*)::int as n from survey_answers where source = 'import'`)).rows[0] as { n: number }).n);
      expect(after - before).toBe(2);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
