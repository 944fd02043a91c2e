import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp, type TestUser } from '../../../tests/helpers/app.ts';

const year = new Date().getUTCFullYear();
const CHROMIUM = process.env.ACCORD_CHROMIUM ?? '/usr/bin/chromium';

describeEachDb('products, price lists, deal lines, quotes, order lines', (mode) => {
  const t = useTestApp(mode);
  const call = (user: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, ifMatch?: number) =>
    t.as(user, { method, url, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}), ...(ifMatch !== undefined ? { headers: { 'if-match': `"${ifMatch}"` } } : {}) });
  const ok = async (user: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, ifMatch?: number) => {
    const r = await call(user, method, url, payload, ifMatch);
    expect(r.statusCode, `${method} ${url}: ${r.body}`).toBeLessThan(300);
    return r.json();
  };
  const tag = () => Math.random().toString(36).slice(2, 8).toUpperCase();

  /** A catalogue of three products with a USD default list (tiers on the first) and a deal. */
  async function setup() {
    const { rep } = t.org.users;
    const k = tag();
    const panel = await ok(rep, 'POST', '/api/v1/products', { code: `PNL-${k}`, name: 'LED panel 600x600 40W', nameI18n: { 'zh-CN': 'LED面板灯 600x600 40W', 'zh-TW': 'LED面板燈 600x600 40W' }, productLine: 'standard', unit: 'pcs' });
    const bay = await ok(rep, 'POST', '/api/v1/products', { code: `HB-${k}`, name: 'High-bay UFO 150W', nameI18n: { 'zh-CN': '工矿灯 UFO 150W' }, productLine: 'standard' });
    const street = await ok(rep, 'POST', '/api/v1/products', { code: `ST-${k}`, name: 'Street light 100W', nameI18n: { 'zh-CN': '路灯 100W' }, firstOfKind: true, lifecycle: 'new' });
    const list = await ok(t.org.users.manager, 'POST', '/api/v1/price-lists', { name: `USD ${k}`, currency: 'USD', validFrom: '2020-01-01', isDefault: true });
    await ok(t.org.users.manager, 'PUT', `/api/v1/price-lists/${list.id}/items`, {
      items: [
        { productId: panel.id, minQuantity: '1', unitPrice: '25.50' }, { productId: panel.id, minQuantity: '100', unitPrice: '22.8' },
        { productId: bay.id, unitPrice: '89.99' }, { productId: street.id, unitPrice: '120.125' },
      ],
    }, 1);
    const acc = await ok(rep, 'POST', '/api/v1/accounts', { name: `Guangming ${k}`, country: 'CN' });
    const deal = await ok(rep, 'POST', '/api/v1/opportunities', { accountId: acc.id, name: 'Warehouse retrofit', amount: '5000', currency: 'USD' });
    return { panel, bay, street, list, acc, deal };
  }

  it('products: unique code per org (any case, deleted ones too), vocabulary line, permissions, isolation; deleting one in use is refused', async () => {
    const { rep, viewer } = t.org.users;
    const k = tag();
    const p = await ok(rep, 'POST', '/api/v1/products', { code: `DL-${k}`, name: 'Downlight 12W', productLine: 'standard', custom: {} });
    expect(p).toMatchObject({ code: `DL-${k}`, unit: 'pcs', active: true, lifecycle: 'current', firstOfKind: false, nameI18n: {} });
    const dup = await call(rep, 'POST', '/api/v1/products', { code: `dl-${k.toLowerCase()}`, name: 'Copy' });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.fields).toEqual([{ path: 'code', message: 'Another product has this code', code: 'already_exists' }]);
    const badLine = await call(rep, 'POST', '/api/v1/products', { code: `X-${k}`, name: 'X', productLine: 'no_such_line' });
    expect(badLine.json().error.fields).toEqual([{ path: 'productLine', message: 'Unknown product line "no_such_line"', code: 'unknown_term', params: { vocabulary: 'product_line', value: 'no_such_line' } }]);
    expect((await call(rep, 'POST', '/api/v1/products', { code: `X-${k}`, name: 'X', lifecycle: 'retired' })).json().error.fields[0].path).toBe('lifecycle');
    expect((await call(viewer, 'POST', '/api/v1/products', { code: `V-${k}`, name: 'V' })).statusCode).toBe(403);
    expect((await call(t.other.users.admin, 'GET', `/api/v1/products/${p.id}`)).statusCode).toBe(404);
    // The same code in another organization is fine.
    await ok(t.other.users.rep, 'POST', '/api/v1/products', { code: `DL-${k}`, name: 'Theirs' });
    const found = await ok(viewer, 'GET', `/api/v1/products?q=${encodeURIComponent('Downlight')}&code=DL-${k}`);
    expect(found.data.map((x: { id: string }) => x.id)).toEqual([p.id]);

    const { panel, list } = await setup();
    const refused = await call(rep, 'DELETE', `/api/v1/products/${panel.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('This product is used by 2 price list entr(ies): deactivate it (active: false) or phase it out instead of deleting it');
    const off = await ok(rep, 'PATCH', `/api/v1/products/${panel.id}`, { active: false, version: panel.version });
    expect(off.active).toBe(false);
    expect((await call(rep, 'DELETE', `/api/v1/products/${p.id}`)).statusCode).toBe(200);
    const again = await call(rep, 'POST', '/api/v1/products', { code: `DL-${k}`, name: 'Again' });
    expect(again.json().error.fields[0].message).toBe('A deleted product has this code: restore it instead');
    expect(list.isDefault).toBe(true);
  });

  it('price lists: one default per currency; tiers picked by quantity and day; stale versions refused', async () => {
    const { manager, rep } = t.org.users;
    const { panel, list } = await setup();
    const items = await ok(rep, 'GET', `/api/v1/price-lists/${list.id}/items`);
    expect(items.version).toBe(2);
    expect(items.items.filter((i: { productId: string }) => i.productId === panel.id).map((i: { minQuantity: string; unitPrice: string }) => [i.minQuantity, i.unitPrice])).toEqual([['1.000', '25.5000'], ['100.000', '22.8000']]);
    const price = (q: string, date = '2026-03-01') => ok(rep, 'GET', `/api/v1/prices?productId=${panel.id}&currency=USD&quantity=${q}&date=${date}`);
    expect((await price('99')).price).toMatchObject({ priceListId: list.id, unitPrice: '25.5000' });
    expect((await price('100')).price.unitPrice).toBe('22.8000');
    expect((await price('5', '2019-12-31')).price).toBeNull();
    expect((await ok(rep, 'GET', `/api/v1/prices?productId=${panel.id}&currency=EUR`)).price).toBeNull();
    // A newer default takes over; the old one is no longer the default.
    const next = await ok(manager, 'POST', '/api/v1/price-lists', { name: 'USD next', currency: 'USD', validFrom: '2020-01-01', isDefault: true });
    expect((await ok(rep, 'GET', `/api/v1/price-lists/${list.id}`)).isDefault).toBe(false);
    await ok(manager, 'PUT', `/api/v1/price-lists/${next.id}/items`, { items: [{ productId: panel.id, unitPrice: '24' }] }, next.version);
    expect((await price('99')).price).toMatchObject({ priceListId: next.id, unitPrice: '24.0000' });
    const stale = await call(manager, 'PUT', `/api/v1/price-lists/${next.id}/items`, { items: [] }, next.version);
    expect(stale.statusCode).toBe(409);
    const dupTier = await call(manager, 'PUT', `/api/v1/price-lists/${next.id}/items`, { items: [{ productId: panel.id, unitPrice: '1' }, { productId: panel.id, minQuantity: '1.000', unitPrice: '2' }] }, next.version + 1);
    expect(dupTier.json().error.fields).toEqual([{ path: 'items.1.minQuantity', message: 'This product already has a price from this quantity in the list', code: 'already_exists' }]);
    const badDates = await call(manager, 'POST', '/api/v1/price-lists', { name: 'Bad', currency: 'USD', validFrom: '2026-05-01', validTo: '2026-04-01' });
    expect(badDates.json().error.fields).toEqual([{ path: 'validTo', message: 'Must not be before validFrom', code: 'invalid' }]);
    const foreign = await call(t.other.users.admin, 'PUT', `/api/v1/price-lists/${next.id}/items`, { items: [] }, 1);
    expect(foreign.statusCode).toBe(404);
    // Back to the first list as the default for the other tests' sake.
    const cur = await ok(manager, 'GET', `/api/v1/price-lists/${list.id}`);
    await ok(manager, 'PATCH', `/api/v1/price-lists/${list.id}`, { isDefault: true, version: cur.version });
  });

  it('deal lines: priced from the list, discounts need a reason, amount = sum of rounded lines, versioned, audited; no lines keeps the amount', async () => {
    const { rep, otherTeamRep, viewer } = t.org.users;
    const { panel, bay, street, deal } = await setup();
    const url = `/api/v1/opportunities/${deal.id}/lines`;
    const lines = [
      { productId: panel.id, quantity: '120' }, // tier 100+: 22.80 × 120 = 2736.00
      { productId: bay.id, quantity: '7', discountPct: '7.5', discountReason: 'Trade fair offer' }, // 89.99 × 7 × 0.925 = 582.68525 → 582.69
      { productId: street.id, quantity: '3' }, // 120.125 × 3 = 360.375 → 360.38
    ];
    const noReason = await call(rep, 'PUT', url, { lines: [{ productId: bay.id, quantity: '1', discountPct: '5' }] }, deal.version);
    expect(noReason.json().error.fields).toEqual([{ path: 'lines.0.discountReason', message: 'Required when the price is below the list price or discounted', code: 'required' }]);
    expect((await call(rep, 'PUT', url, { lines }, undefined)).statusCode).toBe(428);
    expect((await call(viewer, 'PUT', url, { lines }, deal.version)).statusCode).toBe(403);
    expect((await call(otherTeamRep, 'PUT', url, { lines }, deal.version)).statusCode).toBe(403);
    const put = await ok(rep, 'PUT', url, { lines }, deal.version);
    expect(put.lines.map((l: { lineTotal: string; unitPrice: string; listPrice: string }) => [l.unitPrice, l.listPrice, l.lineTotal])).toEqual([
      ['22.8000', '22.8000', '2736.00'], ['89.9900', '89.9900', '582.69'], ['120.1250', '120.1250', '360.38'],
    ]);
    expect(put).toMatchObject({ version: deal.version + 1, currency: 'USD', amount: '3679.07', amountBase: '3679.07', fxRate: null });
    const after = await ok(rep, 'GET', `/api/v1/opportunities/${deal.id}`);
    expect(after).toMatchObject({ amount: '3679.07', currency: 'USD', version: deal.version + 1 });
    // Someone else's edit in between: the stale version is refused with the current deal.
    const stale = await call(rep, 'PUT', url, { lines: lines.slice(0, 1) }, deal.version);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.current.version).toBe(deal.version + 1);
    // The amount is the lines' now: typing it is refused; other fields still change.
    const typed = await call(rep, 'PATCH', `/api/v1/opportunities/${deal.id}`, { amount: '1', version: after.version });
    expect(typed.json().error.fields).toEqual([{ path: 'amount', message: 'This deal has product lines: its amount and currency come from them (edit the lines)', code: 'invalid' }]);
    const renamed = await ok(rep, 'PATCH', `/api/v1/opportunities/${deal.id}`, { name: 'Warehouse retrofit phase 1', amount: '3679.07', version: after.version });
    // In the deal's history (audit): the amount before and after, with the lines.
    const audit = await t.database.query(`select before, after from audit_log where org_id = $1 and entity = 'opportunity' and entity_id = $2 and after ? 'lines'`, [t.org.id, deal.id]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ before: { amount: '5000.00', lines: [] }, after: { amount: '3679.07' } });
    expect((audit.rows[0] as { after: { lines: unknown[] } }).after.lines).toHaveLength(3);
    // In EUR the base amount needs a rate and uses it (the orders' fx rule).
    const eur = await call(rep, 'PUT', url, { currency: 'EUR', lines: [{ productId: panel.id, quantity: '2', unitPrice: '30' }] }, renamed.version);
    expect(eur.json().error.fields).toEqual([{ path: 'fxRate', message: 'required for EUR orders (base currency USD)', code: 'required' }]);
    const inEur = await ok(rep, 'PUT', url, { currency: 'EUR', fxRate: '1.0835', lines: [{ productId: panel.id, quantity: '2', unitPrice: '30' }] }, renamed.version);
    expect(inEur).toMatchObject({ currency: 'EUR', fxRate: '1.08350000', amount: '60.00', amountBase: '65.01' });
    // No lines any more: the deal keeps the amount it had, and may be typed again.
    const none = await ok(rep, 'PUT', url, { lines: [] }, inEur.version);
    expect(none).toMatchObject({ lines: [], amount: '60.00', amountBase: null });
    expect((await ok(rep, 'PATCH', `/api/v1/opportunities/${deal.id}`, { amount: '100', version: none.version })).amount).toBe('100.00');
    // Another tenant's product is unknown here.
    const theirs = await ok(t.other.users.rep, 'POST', '/api/v1/products', { code: `T-${tag()}`, name: 'Theirs' });
    const cross = await call(rep, 'PUT', url, { currency: 'USD', lines: [{ productId: theirs.id, quantity: '1', unitPrice: '1' }] }, none.version + 1);
    expect(cross.json().error.fields).toEqual([{ path: 'lines.0.productId', message: 'Product not found', code: 'not_found', params: { entity: 'product' } }]);
    expect((await call(t.other.users.admin, 'GET', url)).statusCode).toBe(404);
  });

  it('quotes: numbers per org race-free, frozen lines, phased-out refused, draft → sent → accepted creates the order with its lines', async () => {
    const { rep, viewer } = t.org.users;
    const { panel, bay, street, deal } = await setup();
    const noLines = await call(rep, 'POST', `/api/v1/opportunities/${deal.id}/quotes`, {});
    expect(noLines.statusCode).toBe(400);
    const priced = await ok(rep, 'PUT', `/api/v1/opportunities/${deal.id}/lines`, { lines: [{ productId: panel.id, quantity: '10' }, { productId: bay.id, quantity: '2' }, { productId: street.id, quantity: '1' }] }, deal.version);
    expect(priced.amount).toBe('555.11'); // 255.00 + 179.98 + 120.13
    // Five quotes at once get five different consecutive numbers.
    const made = await Promise.all([1, 2, 3, 4, 5].map(() => call(rep, 'POST', `/api/v1/opportunities/${deal.id}/quotes`, { terms: 'FOB Shenzhen, 30% deposit' })));
    expect(made.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    const numbers = made.map((r) => r.json().number as string).sort();
    const first = Number(numbers[0]!.slice(-4));
    expect(numbers).toEqual([0, 1, 2, 3, 4].map((i) => `Q-${year}-${String(first + i).padStart(4, '0')}`));
    const q = made[0]!.json();
    expect(q).toMatchObject({ status: 'draft', revision: 1, language: 'zh-CN', currency: 'USD', total: '555.11', totalBase: '555.11' });
    expect(q.lines.map((l: { code: string; lineTotal: string }) => [l.code, l.lineTotal])).toEqual([[panel.code, '255.00'], [bay.code, '179.98'], [street.code, '120.13']]);
    expect((await call(t.other.users.admin, 'GET', `/api/v1/quotes/${q.id}`)).statusCode).toBe(404);
    expect((await call(viewer, 'PATCH', `/api/v1/quotes/${q.id}`, { status: 'sent', version: 1 })).statusCode).toBe(403);

    // The printable page in the account's language (Chinese account) and in English on request.
    const html = await call(viewer, 'GET', `/api/v1/quotes/${q.id}/html`);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body).toContain('报价单');
    expect(html.body).toContain('LED面板灯 600x600 40W');
    expect(html.body).toContain('555.11');
    const en = await call(viewer, 'GET', `/api/v1/quotes/${q.id}/html?lang=en`);
    expect(en.body).toContain('Quotation');
    expect(en.body).toContain('LED panel 600x600 40W');

    // Later line changes do not touch the quote (a frozen copy); a revision picks them up, same number.
    const changed = await ok(rep, 'PUT', `/api/v1/opportunities/${deal.id}/lines`, { lines: [{ productId: panel.id, quantity: '100' }] }, priced.version);
    expect((await ok(rep, 'GET', `/api/v1/quotes/${q.id}`)).total).toBe('555.11');
    const rev = await ok(rep, 'POST', `/api/v1/quotes/${q.id}/revise`, {});
    expect(rev).toMatchObject({ number: q.number, revision: 2, total: '2280.00', terms: 'FOB Shenzhen, 30% deposit' });

    // Status: draft cannot be accepted; a sent quote is frozen; accepting creates the order.
    expect((await call(rep, 'PATCH', `/api/v1/quotes/${rev.id}`, { status: 'accepted', version: 1 })).statusCode).toBe(409);
    const sent = await ok(rep, 'PATCH', `/api/v1/quotes/${rev.id}`, { status: 'sent', version: 1 });
    expect(sent.sentAt).not.toBeNull();
    const frozen = await call(rep, 'PATCH', `/api/v1/quotes/${rev.id}`, { terms: 'changed', version: sent.version });
    expect(frozen.statusCode).toBe(409);
    const accepted = await ok(rep, 'PATCH', `/api/v1/quotes/${rev.id}`, { status: 'accepted', orderedAt: '2026-11-20' }, sent.version);
    expect(accepted.status).toBe('accepted');
    expect(accepted.orderId).toBeTruthy();
    const order = await ok(rep, 'GET', `/api/v1/orders/${accepted.orderId}`);
    expect(order).toMatchObject({ accountId: deal.accountId, opportunityId: deal.id, orderNumber: `${q.number}-R2`, amount: '2280.00', amountBase: '2280.00', currency: 'USD', orderedAt: '2026-11-20' });
    const ol = await ok(viewer, 'GET', `/api/v1/orders/${accepted.orderId}/lines`);
    expect(ol.lines.map((l: { productCode: string; quantity: string; lineTotal: string }) => [l.productCode, l.quantity, l.lineTotal])).toEqual([[panel.code, '100.000', '2280.00']]);
    // One accepted quote per deal.
    const other = made[1]!.json();
    const s2 = await ok(rep, 'PATCH', `/api/v1/quotes/${other.id}`, { status: 'sent', version: 1 });
    const twice = await call(rep, 'PATCH', `/api/v1/quotes/${other.id}`, { status: 'accepted', version: s2.version });
    expect(twice.statusCode).toBe(409);
    expect((await ok(rep, 'GET', `/api/v1/quotes?opportunityId=${deal.id}`)).data).toHaveLength(6);

    // A phased-out product cannot be put on a new quote.
    const p = await ok(rep, 'GET', `/api/v1/products/${panel.id}`);
    await ok(rep, 'PATCH', `/api/v1/products/${panel.id}`, { lifecycle: 'phased_out', version: p.version });
    const refused = await call(rep, 'POST', `/api/v1/opportunities/${deal.id}/quotes`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0]).toMatchObject({ path: 'lines.0.productId', message: `${panel.code} is phased out and cannot be added to a new quote` });
    expect(changed.amount).toBe('2280.00');
  });

  it('accepting a quote wins the deal with the order, in one audited transaction; winDeal: false leaves the deal open', async () => {
    const { rep } = t.org.users;
    const { panel, deal } = await setup();
    const priced = await ok(rep, 'PUT', `/api/v1/opportunities/${deal.id}/lines`, { lines: [{ productId: panel.id, quantity: '4' }] }, deal.version);
    const q = await ok(rep, 'POST', `/api/v1/opportunities/${deal.id}/quotes`, {});
    const sent = await ok(rep, 'PATCH', `/api/v1/quotes/${q.id}`, { status: 'sent', version: q.version });
    const accepted = await ok(rep, 'PATCH', `/api/v1/quotes/${q.id}`, { status: 'accepted', version: sent.version });
    const won = await ok(rep, 'GET', `/api/v1/opportunities/${deal.id}`);
    expect(won).toMatchObject({ status: 'won', amount: '102.00', version: priced.version + 1 });
    expect(won.closedAt).toEqual(expect.any(String));
    // Quote, order and deal are written by one transaction: their audit entries carry its one time (now() is the transaction's start).
    const entries = (await t.database.query(
      `SELECT entity, action, at::text AS at, after->>'status' AS status FROM audit_log WHERE org_id = $1 AND entity_id = ANY($2::uuid[]) AND at >= (SELECT max(at) FROM audit_log WHERE org_id = $1 AND entity = 'quote' AND entity_id = $3)
       ORDER BY entity`, [t.org.id, [q.id, accepted.orderId, deal.id], q.id])).rows as { entity: string; action: string; at: string; status: string | null }[];
    expect(entries.map((e) => [e.entity, e.action, e.status])).toEqual([['opportunity', 'update', 'won'], ['order', 'create', 'confirmed'], ['quote', 'update', 'accepted']]);
    expect(new Set(entries.map((e) => e.at)).size).toBe(1);
    const stages = (await t.database.query(`SELECT count(*)::int AS n FROM orders WHERE org_id = $1 AND opportunity_id = $2`, [t.org.id, deal.id])).rows;
    expect(stages).toEqual([{ n: 1 }]);

    // Asked not to: the order is made, the deal stays open.
    const second = await setup();
    await ok(rep, 'PUT', `/api/v1/opportunities/${second.deal.id}/lines`, { lines: [{ productId: second.panel.id, quantity: '1' }] }, second.deal.version);
    const q2 = await ok(rep, 'POST', `/api/v1/opportunities/${second.deal.id}/quotes`, {});
    const s2 = await ok(rep, 'PATCH', `/api/v1/quotes/${q2.id}`, { status: 'sent', version: q2.version });
    const a2 = await ok(rep, 'PATCH', `/api/v1/quotes/${q2.id}`, { status: 'accepted', winDeal: false, version: s2.version });
    expect(a2.orderId).toBeTruthy();
    expect((await ok(rep, 'GET', `/api/v1/opportunities/${second.deal.id}`)).status).toBe('open');
    expect((await call(rep, 'PATCH', `/api/v1/quotes/${q2.id}`, { winDeal: 'yes', version: a2.version })).statusCode).toBe(400);
  });

  it('order lines: the amount becomes the sum, base amount with the order\'s own rate', async () => {
    const { rep } = t.org.users;
    const { panel, bay, acc } = await setup();
    const ord = await ok(rep, 'POST', '/api/v1/orders', { accountId: acc.id, orderedAt: '2026-10-01', amount: '1', currency: 'USD' });
    const out = await ok(rep, 'PUT', `/api/v1/orders/${ord.id}/lines`, { lines: [{ productId: panel.id, quantity: '3' }, { productId: bay.id, quantity: '1', unitPrice: '80', discountReason: 'Loyal customer' }] }, ord.version);
    expect(out).toMatchObject({ amount: '156.50', amountBase: '156.50', version: ord.version + 1 });
    expect((await call(rep, 'PUT', `/api/v1/orders/${ord.id}/lines`, { lines: [] }, ord.version)).statusCode).toBe(409);
    const usage = await ok(rep, 'GET', `/api/v1/products/${panel.id}/usage`);
    expect(usage.accounts).toEqual([{ accountId: acc.id, accountName: acc.name, orders: 1, quantity: '3.000', amount: '76.50', currency: 'USD' }]);
    expect(usage.ordersByMonth).toEqual([{ month: '2026-10', quantity: '3.000', amount: '76.50', currency: 'USD' }]);
  });

  it('the PDF: printed by headless Chromium when there is one, 503 with a clear message when there is none', async () => {
    const { rep } = t.org.users;
    const { panel, bay, street, deal } = await setup();
    await ok(rep, 'PUT', `/api/v1/opportunities/${deal.id}/lines`, { lines: [{ productId: panel.id, quantity: '10' }, { productId: bay.id, quantity: '2' }, { productId: street.id, quantity: '1' }] }, deal.version);
    const q = await ok(rep, 'POST', `/api/v1/opportunities/${deal.id}/quotes`, {});
    const saved = process.env.ACCORD_CHROMIUM;
    process.env.ACCORD_CHROMIUM = '/nonexistent/chromium';
    try {
      const none = await call(rep, 'GET', `/api/v1/quotes/${q.id}/pdf`);
      expect(none.statusCode).toBe(503);
      expect(none.json().error).toMatchObject({ code: 'pdf_unavailable' });
      expect(none.json().error.message).toMatch(/^The PDF cannot be made on this server: no headless Chromium could be started \(not found at \/nonexistent\/chromium\)/);
    } finally {
      if (saved === undefined) delete process.env.ACCORD_CHROMIUM;
      else process.env.ACCORD_CHROMIUM = saved;
    }
    if (!existsSync(CHROMIUM)) return;
    const pdf = await t.as(rep, { method: 'GET', url: `/api/v1/quotes/${q.id}/pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="${q.number}.pdf"`);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'quote-'));
    writeFileSync(join(dir, 'q.pdf'), pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'q.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain(q.number);
    expect(text).toContain('555.11');
    expect(text).toContain('LED面板灯');
  }, 60_000);
});
