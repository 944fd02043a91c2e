/**
 * A CRM's deal export through the wizard, as an administrator: its stage names are mapped value by
 * value (Closed Won → status won), US dates are read month first, owners are matched by name and a
 * missing one is created, the source's ids make a second import update instead of duplicating;
 * an account export's unknown industry becomes a new term.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { choose, launch, shot, signedInPage } from './browser.ts';

let server: RunningServer;
let browser: Browser;
let page: Page;
let orgId: string;
let repName: string;

beforeAll(async () => {
  server = await startServer({ demoAccounts: 40 });
  orgId = ((await server.database.query('select id from organizations limit 1')).rows[0] as { id: string }).id;
  repName = ((await server.database.query(`select name from users where org_id = $1 and role = 'rep' and active order by name limit 1`, [orgId])).rows[0] as { name: string }).name;
  browser = await launch();
  ({ page } = await signedInPage(browser, server.url, server.email, server.password, { height: 1100 }));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const deals = () => [
  'Record ID,Deal Name,Deal Stage,Amount,Close Date,Deal owner,Associated Company',
  `9001,Atlas retrofit,Appointment Scheduled,12000,04/30/2027,${repName.toUpperCase()},Atlas Facilities`,
  `9002,Atlas phase 2,Closed Won,30000,03/15/2026,${repName},Atlas Facilities`,
  '9003,Borealis pilot,Closed Lost,5000,02/01/2026,Ghost Person,Borealis Labs',
].join('\n');

async function upload(entity: string, name: string, csv: string) {
  await page.goto(server.url + '/imports');
  await page.getByTestId('import-dropzone').waitFor();
  await choose(page, page.getByTestId('import-entity'), entity);
  await page.locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByTestId('import-next').click();
}

describe('a CRM deal history through the wizard', () => {
  it('maps stage values, reads US dates, matches and creates owners, keeps the source ids', async () => {
    await upload('Opportunities', 'hubspot-deals.csv', deals());
    await choose(page, page.getByTestId('import-date-order'), /Month\/day\/year/);
    await page.getByTestId('import-external-source').fill('hubspot');
    await page.getByTestId('import-create-users').check();
    await shot(page, 'import-history-01-options');
    await page.getByTestId('import-preview').click();
    const table = page.getByTestId('values-buying_stage');
    await table.waitFor({ timeout: 20_000 });
    // Closed Won / Closed Lost are recognised as statuses; Appointment Scheduled waits for a choice and its row is an error.
    await expect.poll(() => page.locator('input[aria-label="Import value Closed Won as"]').inputValue()).toBe('Status: won');
    expect(await page.locator('input[aria-label="Import value Closed Lost as"]').inputValue()).toBe('Status: lost');
    expect(await page.getByTestId('import-run').isDisabled()).toBe(false);
    await page.getByText('1 values have no match yet', { exact: false }).waitFor();
    await shot(page, 'import-history-02-values');
    await choose(page, page.locator('input[aria-label="Import value Appointment Scheduled as"]'), 'Recognition of needs');
    // A changed choice must be checked before importing.
    expect(await page.getByTestId('import-run').isDisabled()).toBe(true);
    await page.getByTestId('import-recheck').click();
    await page.getByText('Every value of the list columns has a place').waitFor();
    await page.getByRole('button', { name: 'Import 3 rows' }).waitFor();
    await shot(page, 'import-history-03-checked');
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    await shot(page, 'import-history-04-summary');

    const { rows } = await server.database.query(
      `select o.name, o.status, o.buying_stage, o.expected_close::text, to_char(o.closed_at at time zone 'UTC', 'YYYY-MM-DD') as closed, u.name as owner, u.active, a.name as account,
              (select x.external_id from external_ids x where x.org_id = o.org_id and x.entity = 'opportunities' and x.record_id = o.id and x.source = 'hubspot') as xid
         from opportunities o join accounts a on a.org_id = o.org_id and a.id = o.account_id left join users u on u.org_id = o.org_id and u.id = o.owner_id
        where o.org_id = $1 and o.name in ('Atlas retrofit', 'Atlas phase 2', 'Borealis pilot') order by o.name`, [orgId]);
    expect(rows).toEqual([
      { name: 'Atlas phase 2', status: 'won', buying_stage: expect.any(String), expected_close: null, closed: '2026-03-15', owner: repName, active: true, account: 'Atlas Facilities', xid: '9002' },
      { name: 'Atlas retrofit', status: 'open', buying_stage: 'recognition_of_needs', expected_close: '2027-04-30', closed: null, owner: repName, active: true, account: 'Atlas Facilities', xid: '9001' },
      { name: 'Borealis pilot', status: 'lost', buying_stage: expect.any(String), expected_close: null, closed: '2026-02-01', owner: 'Ghost Person', active: false, account: 'Borealis Labs', xid: '9003' },
    ]);
  });

  it('the same file again, with "update it", updates the three deals by their source ids', async () => {
    await upload('Opportunities', 'hubspot-deals.csv', deals().replace('Atlas retrofit,Appointment Scheduled,12000', 'Atlas retrofit,Appointment Scheduled,15500'));
    await choose(page, page.getByTestId('import-date-order'), /Month\/day\/year/);
    await page.getByTestId('import-external-source').fill('hubspot');
    await page.getByText('Update it').click();
    await page.getByTestId('import-preview').click();
    await page.getByTestId('values-buying_stage').waitFor({ timeout: 20_000 });
    // The stage created nothing to remember: the choice is made again (the CLI keeps it in a value-map file).
    await choose(page, page.locator('input[aria-label="Import value Appointment Scheduled as"]'), 'Recognition of needs');
    await page.getByTestId('import-recheck').click();
    await page.getByText('Every value of the list columns has a place').waitFor();
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    const { rows } = await server.database.query(`select count(*)::int as n, max(amount)::text as top from opportunities where org_id = $1 and name in ('Atlas retrofit', 'Atlas phase 2', 'Borealis pilot')`, [orgId]);
    expect(rows[0]).toEqual({ n: 3, top: '30000.00' });
    expect((await server.database.query(`select amount::text from opportunities where org_id = $1 and name = 'Atlas retrofit'`, [orgId])).rows[0]).toEqual({ amount: '15500.00' });
  });

  it('an industry in other case is matched; one the vocabulary does not have becomes a new term from the value table', async () => {
    await upload('Accounts', 'companies.csv', 'Company,Industry\nAurora Hotels,HOSPITALITY\nHarbour Supply,Ship chandlery\n');
    await page.getByTestId('import-preview').click();
    await page.getByTestId('values-industry').waitFor({ timeout: 20_000 });
    // "HOSPITALITY" is the term Hospitality in other case: matched, shown, chosen for the user.
    expect(await page.locator('input[aria-label="Import value HOSPITALITY as"]').inputValue()).toBe('Hospitality');
    await choose(page, page.locator('input[aria-label="Import value Ship chandlery as"]'), 'Add “Ship chandlery” as a new term');
    await page.getByTestId('import-recheck').click();
    await page.getByText('Every value of the list columns has a place').waitFor();
    await shot(page, 'import-history-05-new-term');
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    const { rows } = await server.database.query(
      `select a.industry, v.label->>'en' as label from accounts a join vocab_terms v on v.org_id = a.org_id and v.vocabulary = 'industry' and v.key = a.industry where a.org_id = $1 and a.name in ('Aurora Hotels', 'Harbour Supply') order by a.name`, [orgId]);
    expect(rows).toEqual([{ industry: 'hospitality', label: 'Hospitality' }, { industry: 'ship_chandlery', label: 'Ship chandlery' }]);
  });
});
