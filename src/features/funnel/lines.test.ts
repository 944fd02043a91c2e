/** Share of wallet and the acquisition funnel read per product line (issue #16), over HTTP on both databases. */
import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { createTestOrg, useTestApp, type TestUser } from '../../../tests/helpers/app.ts';

describeEachDb('double funnel per product line', (mode) => {
  const t = useTestApp(mode);
  const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  const ok = async (user: TestUser, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: Record<string, unknown>, ifMatch?: number) => {
    const r = await t.as(user, { method, url, ...(payload ? { payload } : {}), ...(ifMatch !== undefined ? { headers: { 'if-match': `"${ifMatch}"` } } : {}) });
    expect(r.statusCode, `${method} ${url}: ${r.body}`).toBeLessThan(300);
    return r.json();
  };

  it('per account: bought per line against the demand entered for it; unknown demand stays unknown; orders without lines stand apart', async () => {
    const org = await createTestOrg(t.database, 'Lines A');
    const { rep, viewer } = org.users;
    const k = Math.random().toString(36).slice(2, 7);
    const std = await ok(rep, 'POST', '/api/v1/products', { code: `S-${k}`, name: 'Panel', productLine: 'standard' });
    const acc = await ok(rep, 'POST', '/api/v1/products', { code: `A-${k}`, name: 'Bracket', productLine: 'accessories' });
    const loose = await ok(rep, 'POST', '/api/v1/products', { code: `N-${k}`, name: 'Sample', productLine: null });
    const a = await ok(rep, 'POST', '/api/v1/accounts', { name: `Buyer ${k}` });
    const order = async (lines: Record<string, unknown>[], extra: Record<string, unknown> = {}) => {
      const o = await ok(rep, 'POST', '/api/v1/orders', { accountId: a.id, orderedAt: day(10), amount: '1', currency: 'USD', ...extra });
      if (lines.length) await ok(rep, 'PUT', `/api/v1/orders/${o.id}/lines`, { lines }, o.version);
      return o;
    };
    await order([{ productId: std.id, quantity: '4', unitPrice: '100' }, { productId: acc.id, quantity: '2', unitPrice: '25' }, { productId: loose.id, quantity: '1', unitPrice: '5' }]);
    await order([{ productId: std.id, quantity: '1', unitPrice: '100' }], { currency: 'EUR', fxRate: '1.1' }); // 110.00 in USD
    await order([], { amount: '70' }); // bought, but of no line
    await order([{ productId: std.id, quantity: '100', unitPrice: '100' }], { status: 'cancelled' });
    await order([{ productId: std.id, quantity: '100', unitPrice: '100' }], { orderedAt: day(400) }); // outside the 12 months

    const before = await ok(viewer, 'GET', `/api/v1/accounts/${a.id}/wallet/lines`);
    expect(before.lines.map((l: { productLine: string | null; bought: string; noteCode: string | null; share: number | null }) => [l.productLine, l.bought, l.noteCode, l.share]))
      .toEqual([['standard', '510.00', 'no_demand', null], ['accessories', '50.00', 'no_demand', null], [null, '5.00', 'no_demand', null]]);
    expect(before.withoutLines).toEqual({ bought: '70.00', orders: 1 });

    // Demand for one line entered: its share; the other line is still unknown, not derived from anything.
    const put = (user: TestUser, version: number, lines: Record<string, unknown>[]) =>
      t.as(user, { method: 'PUT', url: `/api/v1/accounts/${a.id}/line-demand`, payload: { lines }, headers: { 'if-match': `"${version}"` } });
    expect((await put(viewer, before.version, [])).statusCode).toBe(403);
    const unknownLine = await put(rep, before.version, [{ productLine: 'lamps', annualDemand: '10' }]);
    expect(unknownLine.statusCode).toBe(400);
    expect(unknownLine.json().error.fields[0]).toMatchObject({ path: 'lines.0.productLine' });
    expect((await put(rep, before.version, [{ productLine: 'standard', annualDemand: '-1' }])).statusCode).toBe(400);
    const after = (await put(rep, before.version, [{ productLine: 'standard', annualDemand: '1000', estimated: false }, { productLine: 'services', annualDemand: '300' }])).json();
    expect(after.version).toBe(before.version + 1);
    const byLine = Object.fromEntries(after.lines.map((l: { productLine: string }) => [l.productLine, l]));
    expect(byLine.standard).toMatchObject({ bought: '510.00', annualDemand: '1000.00', share: 0.51, gap: '490.00', demandEstimated: false, noteCode: null });
    expect(byLine.services).toMatchObject({ bought: '0.00', annualDemand: '300.00', share: 0, gap: '300.00' });
    expect(byLine.accessories).toMatchObject({ bought: '50.00', annualDemand: null, share: null, noteCode: 'no_demand' });
    // A stale version is refused with the current account; another organization sees nothing.
    expect((await put(rep, before.version, [])).statusCode).toBe(409);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/accounts/${a.id}/wallet/lines` })).statusCode).toBe(404);
    expect((await t.as(t.other.users.admin, { method: 'PUT', url: `/api/v1/accounts/${a.id}/line-demand`, payload: { lines: [] }, headers: { 'if-match': `"${after.version}"` } })).statusCode).toBe(404);
    const history = (await t.database.query(`SELECT after FROM audit_log WHERE org_id = $1 AND entity = 'account' AND entity_id = $2 AND after ? 'lineDemand'`, [org.id, a.id])).rows;
    expect(history).toEqual([{ after: { lineDemand: [{ productLine: 'standard', annualDemand: '1000', currency: 'USD' }, { productLine: 'services', annualDemand: '300', currency: 'USD' }] } }]);

    // Organization-wide: a second buyer of the standard line without a demand for it counts under unknown.
    const b = await ok(rep, 'POST', '/api/v1/accounts', { name: `Other ${k}` });
    const ob = await ok(rep, 'POST', '/api/v1/orders', { accountId: b.id, orderedAt: day(5), amount: '1', currency: 'USD' });
    await ok(rep, 'PUT', `/api/v1/orders/${ob.id}/lines`, { lines: [{ productId: std.id, quantity: '2', unitPrice: '100' }] }, ob.version);
    const w = await ok(viewer, 'GET', '/api/v1/funnel/wallet/lines');
    const o = Object.fromEntries(w.lines.map((l: { productLine: string }) => [l.productLine, l]));
    expect(o.standard).toEqual({
      productLine: 'standard', buyers: 2, bought: '710.00', known: { accounts: 1, demand: '1000.00', bought: '510.00', share: 0.51, gap: '490.00' },
      unknown: { accounts: 1, bought: '200.00' }, foreignDemand: 0,
    });
    expect(o.services).toMatchObject({ buyers: 0, known: { accounts: 1, demand: '300.00', share: 0 } });
    expect(o.accessories).toMatchObject({ buyers: 1, known: { accounts: 0, share: null }, unknown: { accounts: 1, bought: '50.00' } });
    expect(w.withoutLines).toEqual({ bought: '70.00', orders: 1 });
    const mineOnly = await ok(viewer, 'GET', `/api/v1/funnel/wallet/lines?ownerId=${viewer.id}`);
    expect(mineOnly.lines).toEqual([]);
  });

  it('the acquisition funnel per product line counts only the deals that carry a product of that line', async () => {
    const org = await createTestOrg(t.database, 'Lines B');
    const { rep } = org.users;
    const k = Math.random().toString(36).slice(2, 7);
    const std = await ok(rep, 'POST', '/api/v1/products', { code: `S-${k}`, name: 'Panel', productLine: 'standard' });
    const acc = await ok(rep, 'POST', '/api/v1/accounts', { name: `Deals ${k}` });
    const withLine = await ok(rep, 'POST', '/api/v1/opportunities', { accountId: acc.id, name: 'With panels' });
    await ok(rep, 'PUT', `/api/v1/opportunities/${withLine.id}/lines`, { lines: [{ productId: std.id, quantity: '3', unitPrice: '10' }] }, withLine.version);
    await ok(rep, 'POST', '/api/v1/opportunities', { accountId: acc.id, name: 'Without lines' });
    const from = day(1);
    const to = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const all = await ok(rep, 'GET', `/api/v1/funnel/acquisition?from=${from}&to=${to}`);
    const std1 = await ok(rep, 'GET', `/api/v1/funnel/acquisition?from=${from}&to=${to}&productLine=standard`);
    const none = await ok(rep, 'GET', `/api/v1/funnel/acquisition?from=${from}&to=${to}&productLine=services`);
    expect(all.stages[0].deals).toBe(2);
    expect(std1.stages[0].deals).toBe(1);
    expect(std1.stages[0].openDeals + std1.stages.slice(1).reduce((s: number, x: { openDeals: number }) => s + x.openDeals, 0)).toBe(1);
    expect(none.stages.every((s: { deals: number }) => s.deals === 0)).toBe(true);
  });
});
