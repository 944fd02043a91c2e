/**
 * Security and privacy in the browser: set up two-factor sign-in from the profile (QR code, first
 * code, recovery codes), sign in again with a code, see token scopes and last use on the profile,
 * and erase a contact's personal data from the contact page — with screenshots.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { launch, shot } from './browser.ts';

process.env.ACCORD_SECRET_KEY ??= 'e2e-only-secret-key-0123456789abcdefgh';

// RFC 6238 with SHA-1, computed here from the key the page shows (not through the server's library).
function base32(s: string): Buffer {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of s.replace(/\s|=/g, '').toUpperCase()) bits += abc.indexOf(ch).toString(2).padStart(5, '0');
  const out: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}
function totp(secret: string, step: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', base32(secret)).update(msg).digest();
  const o = h[h.length - 1]! & 0xf;
  return String((((h[o]! & 0x7f) << 24) | (h[o + 1]! << 16) | (h[o + 2]! << 8) | h[o + 3]!) % 1e6).padStart(6, '0');
}
const stepNow = () => Math.floor(Date.now() / 30_000);

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let secret = '';
let usedStep = 0;

beforeAll(async () => {
  server = await startServer({ demoAccounts: 20 });
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  await context.addInitScript(() => {
    if (!localStorage.getItem('accord.locale')) localStorage.setItem('accord.locale', 'en');
  });
  page = await context.newPage();
  page.setDefaultTimeout(Number(process.env.E2E_TIMEOUT ?? 45_000));
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn() {
  await page.goto(server.url + '/');
  await page.locator('input[name=email]').fill(server.email);
  await page.locator('input[name=password]').fill(server.password);
  await page.locator('button[type=submit]').click();
}

describe('security and privacy in the browser', () => {
  it('sets up two-factor sign-in from the profile with a QR code', async () => {
    await signIn();
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    await page.goto(server.url + '/me');
    await page.getByTestId('two-factor-start').click();
    await page.getByTestId('two-factor-qr').waitFor();
    await expect.poll(() => page.getByTestId('two-factor-qr').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(100);
    secret = (await page.getByTestId('two-factor-secret').innerText()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByTestId('two-factor-card').scrollIntoViewIfNeeded();
    await shot(page, '40-two-factor-enrol');

    await page.getByTestId('two-factor-code').fill('000000');
    await page.getByTestId('two-factor-confirm').click();
    await page.getByRole('alert').filter({ hasText: 'wrong or was already used' }).waitFor();

    usedStep = stepNow();
    await page.getByTestId('two-factor-code').fill(totp(secret, usedStep));
    await page.getByTestId('two-factor-confirm').click();
    const codes = page.getByTestId('recovery-codes');
    await codes.waitFor();
    expect((await codes.locator('code').allInnerTexts()).length).toBe(10);
    await shot(page, '41-two-factor-recovery-codes');
    await page.getByTestId('recovery-saved').click();
    await page.getByText('Recovery codes left: 10').waitFor();
  });

  it('signs in again with a code from the app', async () => {
    await context.clearCookies();
    await signIn();
    const code = page.getByTestId('login-code');
    await code.waitFor();
    await shot(page, '42-login-code');
    // The code that turned it on was used: it is refused even inside its 30 seconds.
    await code.fill(totp(secret, usedStep));
    await page.locator('button[type=submit]').click();
    await page.getByRole('alert').filter({ hasText: 'wrong or was already used' }).waitFor();
    await code.fill(totp(secret, Math.max(usedStep + 1, stepNow())));
    await page.locator('button[type=submit]').click();
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
  });

  it('shows token scopes and last use on the profile', async () => {
    await page.goto(server.url + '/me');
    await page.getByText('API tokens').first().waitFor();
    await page.getByLabel('Token name').fill('Dashboard (read-only)');
    await page.getByTestId('token-scope').getByText('Read-only').click();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByTestId('token-secret').waitFor();
    const secretToken = await page.getByTestId('token-secret').innerText();
    const write = await page.request.fetch(`${server.url}/api/v1/accounts`, { method: 'POST', headers: { authorization: `Bearer ${secretToken}` }, data: { name: 'Nope' }, failOnStatusCode: false });
    expect(write.status()).toBe(403);
    const read = await page.request.fetch(`${server.url}/api/v1/accounts?limit=1`, { headers: { authorization: `Bearer ${secretToken}` } });
    expect(read.status()).toBe(200);
    await page.reload();
    const row = page.getByRole('row').filter({ hasText: 'Dashboard (read-only)' });
    await row.getByText('Read-only', { exact: true }).waitFor();
    expect(await row.getByTestId('token-last-used').innerText()).not.toBe('Never');
    await row.scrollIntoViewIfNeeded();
    await shot(page, '43-profile-tokens');
  });

  it('erases a contact’s personal data from the contact page, after a confirmation', async () => {
    const list = await page.request.fetch(`${server.url}/api/v1/contacts?limit=1`);
    const contact = (await list.json()).data[0] as { id: string; fullName: string; email: string | null };
    await page.goto(`${server.url}/contacts/${contact.id}`);
    await page.getByTestId('privacy-card').waitFor();
    const exported = await page.request.fetch(`${server.url}/api/v1/contacts/${contact.id}/personal-data?format=json`);
    expect((await exported.json()).contact.fullName).toBe(contact.fullName);
    await page.getByTestId('privacy-erase').click();
    await page.getByTestId('privacy-erase-sure').waitFor();
    await expect.poll(() => page.getByTestId('privacy-erase-confirm').isDisabled()).toBe(true);
    await shot(page, '44-contact-erase-confirm');
    await page.getByTestId('privacy-erase-sure').check();
    await page.getByTestId('privacy-erase-confirm').click();
    await page.waitForURL(/\/contacts$/);
    const after = await page.request.fetch(`${server.url}/api/v1/contacts/${contact.id}/personal-data`);
    const body = await after.json();
    expect(body.contact.fullName).toBe('Erased contact');
    expect(body.contact.erasedAt).not.toBeNull();
    const search = await page.request.fetch(`${server.url}/api/v1/search?q=${encodeURIComponent(contact.fullName)}`);
    expect(JSON.stringify(await search.json())).not.toContain(contact.id);
  });
});
