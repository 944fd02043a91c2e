import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { openDatabase } from '../src/kernel/db/index.ts';
import { runMigrations } from '../src/kernel/db/migrate.ts';
import { buildServer } from '../src/server.ts';
import { generateDemo, DEMO_PASSWORD } from '../src/features/demo/index.ts';
import { recompute } from '../src/features/evaluation/commands.ts';

const OUT = '/tmp/evalwork/shots/';
const database = await openDatabase({ worker: false });
await runMigrations(database);
const demo = await generateDemo(database, { accounts: Number(process.env.N ?? 300) });
const r = await recompute(database, demo.orgId);
console.log(JSON.stringify(r));
const app = await buildServer({ database, config: { secureCookies: false, sessionDays: 1, bodyLimit: 10 * 1024 * 1024 }, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
const admin = demo.logins.find((l) => l.role === 'manager') ?? demo.logins[0]!;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--lang=en-US'] });
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto(`${url}/login`);
await page.locator('input[name=email]').fill(admin.email);
await page.locator('input[name=password]').fill(admin.password ?? DEMO_PASSWORD);
await page.locator('input[name=password]').press('Enter');
await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 60000 });
const shot = async (name: string) => {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${OUT}${name}.png` });
};
for (const [path, name] of [['/portfolio', 'portfolio'], ['/win-model', 'win-model']] as const) {
  await page.goto(`${url}${path}`);
  await shot(name);
}
await page.goto(`${url}/portfolio`);
await page.getByTestId('top-fit').getByTestId('fit-badge').first().hover();
await shot('fit-why');
await page.mouse.move(5, 5);
await page.goto(`${url}/win-model`);
await page.getByTestId('top-deals').scrollIntoViewIfNeeded();
await page.getByTestId('top-deals').getByTestId('win-badge').first().hover();
await shot('win-why');
// Click-through from the matrix: the first key account's page.
const { rows } = await database.query(`select id from accounts where org_id = $1 and portfolio_type = 'key' and need_type is not null order by fit_score desc limit 1`, [demo.orgId]);
const id = (rows[0] as { id: string }).id;
await page.goto(`${url}/profile`);
await page.evaluate(() => localStorage.setItem('accord.locale', 'zh-CN'));
await page.reload();
await shot('profile-zh');
await page.goto(`${url}/portfolio`);
await shot('portfolio-zh');
await browser.close();
await app.close();
await database.close();
