/** An administrator imports a team file (an office's agents) from Administration → Users. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { launch, shot, signedInPage } from './browser.ts';

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer({ demoAccounts: 20 });
  browser = await launch();
  ({ page } = await signedInPage(browser, server.url, server.email, server.password));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('adds the people of a team file as inactive users, and says who already was one', async () => {
  const existing = ((await server.database.query(`select name from users where role = 'rep' and active order by name limit 1`)).rows[0] as { name: string }).name;
  await page.goto(server.url + '/admin');
  await page.getByTestId('team-import').waitFor();
  const csv = ['Sales Agent,Regional Office,E-mail', 'Moses Frase,Central,', 'Darcel Schlecht,Central,darcel@office.example', `${existing.toUpperCase()},East,`].join('\n');
  await page.getByTestId('team-import').locator('input[type=file]').setInputFiles({ name: 'sales_teams.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByTestId('team-import-result').getByText('2 people added as inactive users without a login, 1 already users.').waitFor({ timeout: 20_000 });
  await shot(page, 'team-import-01-result');
  const { rows } = await server.database.query(`select name, team, active from users where name in ('Moses Frase', 'Darcel Schlecht') order by name`);
  expect(rows).toEqual([{ name: 'Darcel Schlecht', team: 'Central', active: false }, { name: 'Moses Frase', team: 'Central', active: false }]);
});
