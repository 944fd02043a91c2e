/**
 * The import wizard with the organization's custom fields: a column named like a custom field's label
 * is mapped to it, a wrong value is a row error in the preview, and the good rows keep typed values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { launch, shot, signedInPage } from './browser.ts';

let server: RunningServer;
let browser: Browser;
let page: Page;
let orgId: string;

beforeAll(async () => {
  server = await startServer({ demoAccounts: 40 });
  orgId = ((await server.database.query('select id from organizations limit 1')).rows[0] as { id: string }).id;
  for (const [key, type, label, options] of [
    ['year_established', 'number', { en: 'Year established', 'zh-CN': '成立年份' }, []],
    ['segment', 'select', { en: 'Segment' }, ['Enterprise', 'Mid-market', 'SMB']],
  ] as const) {
    await server.database.query(`insert into custom_field_defs (org_id, entity, key, label, type, options) values ($1, 'account', $2, $3, $4, $5)`,
      [orgId, key, JSON.stringify(label), type, JSON.stringify(options)]);
  }
  browser = await launch();
  ({ page } = await signedInPage(browser, server.url, server.email, server.password));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('import with custom fields', () => {
  it('maps “Year established” and “Segment” to the custom fields, reports the bad row, imports the good ones typed', async () => {
    await page.goto(server.url + '/imports');
    await page.getByTestId('import-dropzone').waitFor();
    // Halo Lights belongs to Lumen Works, named in the same file.
    const csv = ['Company,Year established,Segment,Parent company', 'Lumen Works,1987,enterprise,', 'Halo Lights,"2,004",SMB,Lumen Works', 'Bad Year Ltd,nineteen,SMB,'].join('\n');
    await page.locator('input[type=file]').setInputFiles({ name: 'accounts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByTestId('import-next').click();
    const target = (column: string) => page.locator(`input[aria-label="Field for column ${column}"]`);
    await expect.poll(() => target('Year established').inputValue(), { timeout: 15_000 }).toBe('Year established');
    expect(await target('Segment').inputValue()).toBe('Segment');
    expect(await target('Parent company').inputValue()).toBe('Parent account (name)');
    await shot(page, 'import-custom-01-mapping');
    await page.getByTestId('import-preview').click();
    await page.getByTestId('import-run').waitFor();
    await page.getByText('nineteen').first().waitFor();
    await shot(page, 'import-custom-02-preview');
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    const { rows } = await server.database.query(
      `select a.name, a.custom, p.name as parent from accounts a left join accounts p on p.org_id = a.org_id and p.id = a.parent_account_id
        where a.org_id = $1 and a.name in ('Lumen Works', 'Halo Lights', 'Bad Year Ltd') order by a.name`, [orgId]);
    expect(rows).toEqual([
      { name: 'Halo Lights', custom: { year_established: 2004, segment: 'SMB' }, parent: 'Lumen Works' },
      { name: 'Lumen Works', custom: { year_established: 1987, segment: 'Enterprise' }, parent: null },
    ]);
  });

  it('the parent’s page shows its group: the subsidiary, and deals rolled up', async () => {
    const parent = ((await server.database.query(`select id from accounts where org_id = $1 and name = 'Lumen Works'`, [orgId])).rows[0] as { id: string }).id;
    const child = ((await server.database.query(`select id from accounts where org_id = $1 and name = 'Halo Lights'`, [orgId])).rows[0] as { id: string }).id;
    await server.database.query(`insert into opportunities (org_id, account_id, name, amount, currency, buying_stage, status, closed_at) values ($1, $2, 'Halo rollout', 4200, 'USD', 'decision', 'won', now() - interval '3 days')`, [orgId, child]);
    await page.goto(`${server.url}/accounts/${parent}`);
    const card = page.getByTestId('group-card');
    await card.waitFor({ timeout: 20_000 });
    await card.getByTestId('group-child').filter({ hasText: 'Halo Lights' }).waitFor();
    await card.getByText('Group of 2 accounts').waitFor();
    await card.getByText('$4.2K').first().waitFor();
    await shot(page, 'import-custom-03-group');
    await card.getByTestId('group-child').click();
    await page.getByTestId('group-parent').filter({ hasText: 'Lumen Works' }).waitFor();
  });
});
