import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { BenchContext } from '../context.ts';
import type { Row } from '../lib/report.ts';
import { summarize } from '../lib/stats.ts';
import { startServer } from '../lib/server.ts';

const DIST = 'web/dist';

/** Gzipped size of what the browser must fetch before the first screen: the entry script, its preloads and CSS. */
export function initialBundle(): { jsKb: number; cssKb: number; files: string[] } {
  const html = readFileSync(`${DIST}/index.html`, 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  let js = 0;
  let css = 0;
  for (const r of refs) {
    const size = gzipSync(readFileSync(`${DIST}${r}`)).length;
    if (r.endsWith('.css')) css += size;
    else js += size;
  }
  return { jsKb: js / 1024, cssKb: css / 1024, files: refs };
}

/**
 * Time from navigation to the first rendered row of the accounts list, in a fresh browser context
 * each run (nothing cached), signed in through the real login endpoint.
 */
export async function webSuite(ctx: BenchContext, log: (s: string) => void): Promise<Row[]> {
  const bundle = initialBundle();
  log(`initial bundle ${bundle.jsKb.toFixed(0)} kB JS + ${bundle.cssKb.toFixed(0)} kB CSS (gzip), ${bundle.files.length} files`);
  const server = await startServer(ctx.serverEnv, ctx.port);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ctx.email, password: ctx.password }) });
    if (!login.ok) throw new Error(`login failed: ${login.status}`);
    const cookies = login.headers.getSetCookie().map((c) => {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=');
      return { name: name!, value: value!, url: server.url };
    });
    const times: number[] = [];
    for (let i = 0; i < ctx.runs + 1; i++) {
      const context = await browser.newContext();
      await context.addCookies(cookies);
      // Timed inside the page, from navigation start (performance.timeOrigin) to the first frame
      // after the first row is in the DOM: Playwright's own checks back off to every 500 ms and
      // would round the figure up by as much.
      // (No named functions inside: tsx's keepNames would wrap them in a helper the page lacks.)
      await context.addInitScript(() => {
        const w = window as unknown as { __firstRowMs?: number; __firstRowSeen?: boolean };
        new MutationObserver((_m, obs) => {
          if (w.__firstRowSeen || !document.querySelector('[data-row-index="0"]')) return;
          w.__firstRowSeen = true;
          obs.disconnect();
          requestAnimationFrame(() => {
            w.__firstRowMs = performance.now();
          });
        }).observe(document, { childList: true, subtree: true });
      });
      const page = await context.newPage();
      await page.goto(`${server.url}/accounts`);
      await page.waitForFunction(() => (window as unknown as { __firstRowMs?: number }).__firstRowMs !== undefined, undefined, { timeout: 30_000 });
      const ms = await page.evaluate(() => (window as unknown as { __firstRowMs: number }).__firstRowMs);
      if (i > 0) times.push(ms); // the first run warms the server, not the browser
      await context.close();
    }
    const s = summarize(times);
    log(`first row after ${s.median.toFixed(0)} ms (p99 ${s.p99.toFixed(0)})`);
    return [
      {
        id: 'web-first-row',
        benchmark: `web: accounts list, navigation → first rendered row (${ctx.scale.accounts.toLocaleString('en')} accounts, cold browser)`,
        accord: s.median,
        unit: 'ms',
        detail: `max ${s.max.toFixed(0)} ms over ${s.runs} runs`,
        target: '≤ 1500 ms',
        met: s.median <= 1500,
      },
      {
        id: 'web-bundle',
        benchmark: 'web: initial JS bundle (gzip)',
        accord: bundle.jsKb,
        unit: 'kB',
        detail: `+ ${bundle.cssKb.toFixed(0)} kB CSS`,
        target: '≤ 500 kB',
        met: bundle.jsKb <= 500,
      },
    ];
  } finally {
    await browser.close();
    await server.stop();
  }
}
