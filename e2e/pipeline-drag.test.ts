/**
 * The whole pipeline card is the drag handle: grabbing a deal by its title (the part one reaches for)
 * moves it to another stage, and the server has the new stage; a plain click on the same title opens
 * the deal instead of starting a drag, and the click that ends a drag opens nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { launch, shot, signedInPage } from './browser.ts';

let server: RunningServer;
let browser: Browser;
let page: Page;
let errors: string[] = [];
let close: () => Promise<void>;

beforeAll(async () => {
  server = await startServer({ demoAccounts: 30 });
  browser = await launch();
  ({ page, errors, close } = await signedInPage(browser, server.url, server.email, server.password));
  await page.setViewportSize({ width: 1400, height: 900 });
});

afterAll(async () => {
  await close?.();
  await browser?.close();
  await server?.close();
});

async function stageOf(id: string): Promise<string> {
  return ((await (await page.request.get(`${server.url}/api/v1/opportunities/${id}`)).json()) as { buyingStage: string }).buyingStage;
}

describe('pipeline: drag by the title, click to open', () => {
  it('drags a deal by its title to the next stage; the API has the new stage and the page stays on the board', async () => {
    await page.goto(server.url + '/pipeline');
    const card = page.getByTestId('pipeline-column-recognition_of_needs').getByTestId('pipeline-card').first();
    await card.waitFor();
    const id = (await card.getAttribute('data-opp-id'))!;
    await card.scrollIntoViewIfNeeded();
    const title = card.locator('a').first();
    const from = (await title.boundingBox())!;
    const target = page.getByTestId('pipeline-column-evaluation_of_options');
    const to = (await target.boundingBox())!;
    const patched = page.waitForResponse((r) => r.url().includes(`/opportunities/${id}`) && r.request().method() === 'PATCH');
    // Pressed on the title's text, the very middle of the link.
    await page.mouse.move(from.x + from.width / 3, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 3 + 10, from.y + from.height / 2 + 4, { steps: 3 });
    await page.mouse.move(to.x + to.width / 2, to.y + 120, { steps: 12 });
    await page.mouse.up();
    expect((await patched).status()).toBe(200);
    await target.locator(`[data-opp-id="${id}"]`).waitFor();
    expect(await stageOf(id)).toBe('evaluation_of_options');
    // The drop did not follow the title's link.
    await page.waitForTimeout(300);
    expect(new URL(page.url()).pathname).toBe('/pipeline');
    await shot(page, 'pipeline-drag-by-title');
  });

  it('a drag by the title dropped back in its own column opens nothing and moves nothing', async () => {
    await page.goto(server.url + '/pipeline');
    const card = page.getByTestId('pipeline-column-resolution_of_concerns').getByTestId('pipeline-card').first();
    await card.waitFor();
    const id = (await card.getAttribute('data-opp-id'))!;
    const from = (await card.locator('a').first().boundingBox())!;
    await page.mouse.move(from.x + 20, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 60, from.y + from.height / 2 + 30, { steps: 8 });
    await page.mouse.move(from.x + 22, from.y + from.height / 2 + 1, { steps: 8 });
    await page.mouse.up();
    await page.waitForTimeout(500);
    expect(new URL(page.url()).pathname).toBe('/pipeline');
    expect(await stageOf(id)).toBe('resolution_of_concerns');
  });

  it('a plain click on the title opens the deal, and moves nothing', async () => {
    await page.goto(server.url + '/pipeline');
    const card = page.getByTestId('pipeline-column-decision').getByTestId('pipeline-card').first();
    await card.waitFor();
    const id = (await card.getAttribute('data-opp-id'))!;
    const name = (await card.locator('a').first().textContent())!;
    await card.locator('a').first().click();
    await page.waitForURL(`**/opportunities/${id}`);
    await page.getByTestId('record-title').filter({ hasText: name }).waitFor();
    expect(await stageOf(id)).toBe('decision');
    expect(errors).toEqual([]);
  });
});
