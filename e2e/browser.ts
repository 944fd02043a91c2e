/** Debian's Chromium through playwright-core (never a downloaded browser), plus screenshot helpers. */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOTS = new URL('../test-artifacts/screenshots/', import.meta.url).pathname;

export async function launch(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--lang=en-US'],
  });
}

export async function shot(page: Page, name: string) {
  // Let transitions and lazy chunks settle so the picture shows the screen, not a skeleton.
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: false });
}

/** Picks an option of a Mantine Select/combobox by its visible label. */
export async function choose(page: Page, input: ReturnType<Page['locator']>, option: string | RegExp) {
  await input.click();
  await page.getByRole('option', { name: option }).first().click();
}

/**
 * A page of a new browser context in the given language, signed in as the given user: signed in once
 * the login form is gone (the app's first screen replaced it). Page errors and console errors are
 * collected in `errors` for the tests that assert there are none.
 */
export async function signedInPage(browser: Browser, url: string, email: string, password: string, opts: { locale?: 'en' | 'zh-CN' | 'zh-TW'; height?: number } = {}): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: opts.height ?? 1000 }, locale: 'en-US' });
  await context.addInitScript((l) => localStorage.setItem('accord.locale', l), opts.locale ?? 'en');
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url + '/');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await page.locator('input[name=password]').waitFor({ state: 'detached', timeout: 20_000 });
  return { page, errors, close: () => context.close() };
}
