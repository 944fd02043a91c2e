/**
 * Nothing cut off, nothing off-screen: every screen at a laptop's 1400 × 900 and a phone's 390 × 844,
 * in English, 简体中文 and 繁體中文. On each, no button, heading, tab, form label or column header
 * whose text overflows its box (scrollWidth > clientWidth, in itself or in the element that holds its
 * text), and no visible element whose right edge lies past the viewport — unless it sits inside a
 * container that scrolls (or clips) on purpose, such as a wide table's scroll area or the board.
 *
 * E2E_LAYOUT_SCREENS=accounts,pipeline and E2E_LAYOUT_LOCALES=zh-CN narrow a run while fixing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { launch, shot, signedInPage } from './browser.ts';

type Ids = { account: string; contact: string; opportunity: string; interaction: string; task: string };
type Screen = { name: string; path: (ids: Ids) => string; ready: string };

const SCREENS: Screen[] = [
  { name: 'accounts', path: () => '/accounts', ready: '[data-row-index="0"]' },
  { name: 'account', path: (i) => `/accounts/${i.account}`, ready: '[data-testid="record-title"]' },
  { name: 'contacts', path: () => '/contacts', ready: '[data-row-index="0"]' },
  { name: 'contact', path: (i) => `/contacts/${i.contact}`, ready: '[data-testid="record-title"]' },
  { name: 'opportunities', path: () => '/opportunities', ready: '[data-row-index="0"]' },
  { name: 'opportunity', path: (i) => `/opportunities/${i.opportunity}`, ready: '[data-testid="record-title"]' },
  { name: 'interactions', path: () => '/interactions', ready: '[data-row-index="0"]' },
  { name: 'interaction', path: (i) => `/interactions/${i.interaction}`, ready: '[data-testid="record-title"]' },
  { name: 'tasks', path: () => '/tasks', ready: '[data-testid="task-views"]' },
  { name: 'task', path: (i) => `/tasks/${i.task}`, ready: '[data-testid="record-title"]' },
  { name: 'pipeline', path: () => '/pipeline', ready: '[data-testid="pipeline-card"]' },
  { name: 'deal-buying-center', path: (i) => `/opportunities/${i.opportunity}/buying-center`, ready: 'main h1, main h2' },
  { name: 'buying-center', path: () => '/buying-center', ready: 'main h1, main h2' },
  { name: 'goals', path: () => '/goals', ready: 'main h1, main h2' },
  { name: 'funnel', path: () => '/funnel', ready: 'main h1, main h2' },
  { name: 'dashboard', path: () => '/dashboard', ready: 'main h1, main h2' },
  { name: 'reports', path: () => '/reports', ready: 'main h1, main h2' },
  { name: 'portfolio', path: () => '/portfolio', ready: 'main h1, main h2' },
  { name: 'profile', path: () => '/profile', ready: 'main h1, main h2' },
  { name: 'win-model', path: () => '/win-model', ready: 'main h1, main h2' },
  { name: 'imports', path: () => '/imports', ready: '[data-testid="import-dropzone"]' },
  { name: 'admin-users', path: () => '/admin/users', ready: 'main table' },
  { name: 'admin-vocabularies', path: () => '/admin/vocabularies', ready: 'main h1, main h2' },
  { name: 'admin-custom-fields', path: () => '/admin/custom-fields', ready: 'main h1, main h2' },
  { name: 'admin-security', path: () => '/admin/security', ready: 'main h1, main h2' },
  { name: 'me', path: () => '/me', ready: 'main h1, main h2' },
];

const VIEWPORTS = [{ name: 'laptop', width: 1400, height: 900 }, { name: 'phone', width: 390, height: 844 }] as const;
const LOCALES = ['en', 'zh-CN', 'zh-TW'] as const;

const only = (env: string | undefined) => (env ? new Set(env.split(',')) : null);
const screenFilter = only(process.env.E2E_LAYOUT_SCREENS);
const localeFilter = only(process.env.E2E_LAYOUT_LOCALES);

/**
 * Runs in the page: what is cut off or sticks out. Each problem names the element (tag, test id or
 * class, text) so a failure says where to look.
 */
function findLayoutProblems(): string[] {
  const vw = document.documentElement.clientWidth;
  const out: string[] = [];
  const describe = (el: Element) => {
    const id = el.getAttribute('data-testid');
    const cls = [...el.classList].find((c) => c.startsWith('mantine-') && !c.startsWith('mantine-focus')) ?? el.classList[0] ?? '';
    const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}${id ? ` data-testid=${id}` : ''}${cls ? ` .${cls}` : ''}> "${text}"`;
  };
  const visible = (el: Element) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0;
  };
  // Hidden by an ancestor (a closed drawer, a collapsed nav, an inactive tab) is not on screen.
  const shown = (el: Element) => {
    for (let e: Element | null = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
      if (e.getAttribute('aria-hidden') === 'true') return false;
    }
    return true;
  };

  // 1. Text that does not fit its control: the control itself, or the span inside it that holds the text.
  const controls = document.querySelectorAll(
    'button, [role="button"], a.mantine-Button-root, h1, h2, h3, h4, h5, h6, [role="heading"], [role="tab"], label, th, [role="columnheader"], .mantine-SegmentedControl-label, .mantine-Badge-root',
  );
  for (const el of controls) {
    if (!visible(el) || !shown(el)) continue;
    // A record's own name may be long: record titles and table cells truncate data on purpose, never a control's words.
    if (el.closest('[data-allow-truncate]')) continue;
    const candidates = [el, ...el.querySelectorAll('span, div, p')];
    for (const c of candidates) {
      const h = c as HTMLElement;
      if (!h.clientWidth || (c !== el && !visible(c))) continue;
      // Only text: an element whose own children overflow (an icon's margin) is not cut-off text.
      const hasText = [...c.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim());
      if (!hasText) continue;
      if (h.scrollWidth > h.clientWidth + 1) {
        out.push(`cut off (${h.scrollWidth} > ${h.clientWidth}px): ${describe(el)}`);
        break;
      }
    }
  }

  // 2. Past the right edge of the viewport, unless a scrolling or clipping ancestor holds it.
  const clipped = (el: Element) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      // A scrolling (or clipping) container that itself ends inside the viewport keeps its content in it;
      // one that sticks out is no excuse: look further up.
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX) && e.getBoundingClientRect().right <= vw + 1) return true;
    }
    return false;
  };
  if (document.documentElement.scrollWidth > vw + 1) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${vw}px)`);
  const reported = new Set<Element>();
  for (const el of document.body.querySelectorAll('*')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right <= vw + 1 || r.left >= vw) continue;
    if (clipped(el) || !shown(el)) continue;
    // Report the outermost element only, not each of its children.
    let parentReported = false;
    for (let e = el.parentElement; e; e = e.parentElement) if (reported.has(e)) parentReported = true;
    reported.add(el);
    if (!parentReported) out.push(`past the right edge (${Math.round(r.right)} > ${vw}px): ${describe(el)}`);
  }
  return out;
}

let server: RunningServer;
let browser: Browser;
let ids: Ids;

beforeAll(async () => {
  server = await startServer({ demoAccounts: 30 });
  browser = await launch();
  const s = await signedInPage(browser, server.url, server.email, server.password);
  const first = async (path: string) => ((await (await s.page.request.get(`${server.url}/api/v1/${path}`)).json()) as { data: { id: string }[] }).data[0]!.id;
  // The deal with the most going on: an open one that has a buying center.
  ids = {
    account: await first('accounts?limit=1&sort=-employees'),
    contact: await first('contacts?limit=1'),
    opportunity: await first('opportunities?limit=1&status[eq]=open&sort=-amount'),
    interaction: await first('interactions?limit=1'),
    task: await first('tasks?limit=1'),
  };
  await s.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function walk(page: Page, screen: Screen): Promise<string[]> {
  await page.goto(server.url + screen.path(ids));
  await page.locator(screen.ready).first().waitFor({ timeout: 20_000 });
  await page.waitForLoadState('networkidle').catch(() => {});
  // Charts and lazy parts settle (fonts, echarts' first layout).
  await page.waitForTimeout(400);
  return page.evaluate(findLayoutProblems);
}

describe('nothing cut off or off-screen', () => {
  for (const locale of LOCALES) {
    if (localeFilter && !localeFilter.has(locale)) continue;
    for (const vp of VIEWPORTS) {
      it(`${locale} at ${vp.width} × ${vp.height}`, async () => {
        const s = await signedInPage(browser, server.url, server.email, server.password, { locale });
        await s.page.setViewportSize({ width: vp.width, height: vp.height });
        const problems: string[] = [];
        try {
          for (const screen of SCREENS) {
            if (screenFilter && !screenFilter.has(screen.name)) continue;
            const found = await walk(s.page, screen);
            problems.push(...found.map((p) => `${screen.name}: ${p}`));
            if (process.env.E2E_LAYOUT_SHOTS || found.length) await shot(s.page, `layout-${locale}-${vp.name}-${screen.name}`);
          }
        } finally {
          await s.close();
        }
        expect(problems).toEqual([]);
      });
    }
  }
});
