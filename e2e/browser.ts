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
