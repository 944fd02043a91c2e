/**
 * Problems resolved (issue #18, DOMAIN §8 integrity) on the demo data: a key account's complaint goes
 * overdue; the account page shows its handling "at risk" beside the survey's level, labelled as derived
 * from complaints (en, zh-TW); the engagement page lists it among the key accounts with overdue
 * complaints and shows the survey level × handling grid (zh-CN).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { launch, shot, signedInPage } from './browser.ts';
import { demoLogins } from '../src/features/demo/index.ts';

let server: RunningServer;
let browser: Browser;

async function signIn(locale: 'en' | 'zh-CN' | 'zh-TW') {
  const login = demoLogins(server.email.split('@')[1]!).find((l) => l.role === 'manager')!;
  return signedInPage(browser, server.url, login.email, server.password, { locale, height: 1400 });
}

async function apiCall(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(async ([m, p, b]) => {
    const csrf = document.cookie.match(/accord_csrf=([^;]+)/)?.[1] ?? '';
    const r = await fetch(`/api/v1${p}`, { method: m as string, headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) }, body: b === undefined ? undefined : JSON.stringify(b) });
    return { status: r.status, body: await r.json() };
  }, [method, path, body] as const);
}

beforeAll(async () => {
  server = await startServer({ demoAccounts: 120 });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('problems resolved beside engagement', () => {
  let accountId: string;
  let name: string;

  it('a key account with an overdue complaint: at risk on its page, labelled as derived (en)', async () => {
    const { page, errors, close } = await signIn('en');
    // A key account of the demo (the portfolio is computed; the small demo may have none, so one is made key).
    const keys = await apiCall(page, 'GET', '/accounts?portfolioType[eq]=key&limit=1&sort=name');
    expect(keys.status).toBe(200);
    const pick = keys.body.data[0] ?? (await apiCall(page, 'GET', '/accounts?kind[eq]=customer&limit=1&sort=name')).body.data[0];
    accountId = pick.id;
    name = pick.name;
    const org = (await apiCall(page, 'GET', `/accounts/${accountId}`)).body.orgId ?? null;
    await server.database.query(`update accounts set portfolio_type = 'key' where id = $1${org ? ' and org_id = $2' : ''}`, org ? [accountId, org] : [accountId]);
    // News media, high severity: 45 h × 0.25 = 11 h 15 min of business time; received two weeks ago it is long overdue.
    const created = await apiCall(page, 'POST', '/feedback', {
      accountId, channel: 'news_media', kind: 'public_attack', severity: 'high', visibility: 'public',
      occurredAt: new Date(Date.now() - 14 * 86_400_000).toISOString(), text: 'Trade paper: the installer says our drivers burn out within months.',
    });
    expect(created.status).toBe(201);
    const h = await apiCall(page, 'GET', `/accounts/${accountId}/complaint-handling`);
    expect(h.body).toMatchObject({ level: 'at_risk', keyAccount: true, derived: true });
    expect(h.body.counts.open_overdue).toBeGreaterThanOrEqual(1);

    await page.goto(`${server.url}/accounts/${accountId}`);
    const card = page.getByTestId('account-handling');
    await card.waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('account-handling-level').innerText()).toBe('At risk');
    expect(await card.innerText()).toContain('not a survey answer');
    expect(await page.getByTestId('account-handling-key').innerText()).toContain('Key account with');
    await page.getByTestId('engagement-card').scrollIntoViewIfNeeded();
    await shot(page, 'voc-10-account-problems-resolved-en');
    expect(errors).toEqual([]);
    await close();
  });

  it('the same account in zh-TW', async () => {
    const { page, errors, close } = await signIn('zh-TW');
    await page.goto(`${server.url}/accounts/${accountId}`);
    await page.getByTestId('account-handling').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('account-handling-level').innerText()).toBe('有風險');
    await page.getByTestId('engagement-card').scrollIntoViewIfNeeded();
    await shot(page, 'voc-11-account-problems-resolved-zh-TW');
    expect(errors).toEqual([]);
    await close();
  });

  it('the engagement page: survey level × handling, and the key account among those with overdue complaints (zh-CN)', async () => {
    const { page, errors, close } = await signIn('zh-CN');
    await page.goto(`${server.url}/engagement`);
    const card = page.getByTestId('handling-overview');
    await card.waitFor({ timeout: 20_000 });
    const o = (await apiCall(page, 'GET', '/complaints/handling')).body;
    expect(await page.getByTestId('handling-key-overdue').innerText()).toContain(name);
    // Every cell shows the API's count.
    for (const r of o.rows) for (const k of ['none', 'in_progress', 'good', 'mixed', 'at_risk']) {
      expect(await page.getByTestId(`handling-${r.surveyLevel ?? 'none'}-${k}`).innerText()).toBe(String(r[k]));
    }
    expect(await card.innerText()).toContain('不计入问卷得分');
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'voc-12-engagement-problems-resolved-zh');
    expect(errors).toEqual([]);
    await close();
  });
});
