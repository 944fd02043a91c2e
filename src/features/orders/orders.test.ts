import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp, type TestUser } from '../../../tests/helpers/app.ts';
import { resolveFx } from './rules.ts';

it('resolveFx: foreign currency needs a rate, the base currency takes none', () => {
  expect(resolveFx('EUR', 'USD', null)).toEqual({ ok: false, message: 'required for EUR orders (base currency USD)', code: 'required' });
  expect(resolveFx('EUR', 'USD', '1.08')).toEqual({ ok: true, fxRate: '1.08', multiply: true });
  expect(resolveFx('USD', 'USD', null)).toEqual({ ok: true, fxRate: null, multiply: false });
  expect(resolveFx('USD', 'USD', '1.0')).toEqual({ ok: true, fxRate: null, multiply: false });
  expect(resolveFx('USD', 'USD', '7.1').ok).toBe(false);
});

describeEachDb('orders API', (mode) => {
  const t = useTestApp(mode);
  const mk = async (url: string, payload: Record<string, unknown>, user: TestUser = t.org.users.rep) => {
    const r = await t.as(user, { method: 'POST', url, payload });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string; version: number } & Record<string, unknown>;
  };

  it('requires fxRate for foreign-currency orders and computes amountBase on the server', async () => {
    const { rep } = t.org.users;
    const acc = await mk('/api/v1/accounts', { name: 'Order Co' });
    const missing = await t.as(rep, { method: 'POST', url: '/api/v1/orders', payload: { accountId: acc.id, orderedAt: '2026-10-01', amount: '1000', currency: 'EUR' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toEqual([{ path: 'fxRate', message: 'required for EUR orders (base currency USD)', code: 'required' }]);
    const eur = await mk('/api/v1/orders', { accountId: acc.id, orderedAt: '2026-10-01', amount: '1000.55', currency: 'EUR', fxRate: '1.0835' });
    expect(eur).toMatchObject({ amount: '1000.55', fxRate: '1.08350000', amountBase: '1084.10', status: 'confirmed' });
    const usd = await mk('/api/v1/orders', { accountId: acc.id, orderedAt: '2026-10-02', amount: 250, currency: 'USD' });
    expect(usd).toMatchObject({ amount: '250.00', fxRate: null, amountBase: '250.00' });
    const written = await t.as(rep, { method: 'POST', url: '/api/v1/orders', payload: { accountId: acc.id, orderedAt: '2026-10-02', amount: 1, currency: 'USD', amountBase: '999' } });
    expect(written.statusCode).toBe(400);
    // Changing the amount recomputes the base amount with the stored rate.
    const more = (await t.as(rep, { method: 'PATCH', url: `/api/v1/orders/${eur.id}`, payload: { amount: '2000', version: 1 } })).json();
    expect(more).toMatchObject({ amountBase: '2167.00', fxRate: '1.08350000' });
    // Another currency without a new rate: the old rate does not carry over.
    const cny = await t.as(rep, { method: 'PATCH', url: `/api/v1/orders/${eur.id}`, payload: { currency: 'CNY', version: 2 } });
    expect(cny.json().error.fields).toEqual([{ path: 'fxRate', message: 'required for CNY orders (base currency USD)', code: 'required' }]);
    const toBase = (await t.as(rep, { method: 'PATCH', url: `/api/v1/orders/${eur.id}`, payload: { currency: 'USD', version: 2 } })).json();
    expect(toBase).toMatchObject({ fxRate: null, amountBase: '2000.00' });
    await t.database.query(`update organizations set base_currency = 'EUR' where id = $1`, [t.other.id]);
    const otherAcc = await mk('/api/v1/accounts', { name: 'EU Co' }, t.other.users.rep);
    const inEur = await mk('/api/v1/orders', { accountId: otherAcc.id, orderedAt: '2026-10-02', amount: '10', currency: 'EUR' }, t.other.users.rep);
    expect(inEur.amountBase).toBe('10.00');
    const inUsd = await t.as(t.other.users.rep, { method: 'POST', url: '/api/v1/orders', payload: { accountId: otherAcc.id, orderedAt: '2026-10-02', amount: '10', currency: 'USD' } });
    expect(inUsd.json().error.fields[0].message).toBe('required for USD orders (base currency EUR)');
  });

  it('validates dates, deals of another account and foreign accounts; permissions; isolation', async () => {
    const { rep, otherTeamRep, viewer, manager } = t.org.users;
    const acc = await mk('/api/v1/accounts', { name: 'O1' });
    const acc2 = await mk('/api/v1/accounts', { name: 'O2' });
    const opp2 = await mk('/api/v1/opportunities', { accountId: acc2.id, name: 'D' });
    const bad = await t.as(rep, { method: 'POST', url: '/api/v1/orders', payload: { accountId: acc.id, opportunityId: opp2.id, orderedAt: '2026-13-45', amount: '1.234', currency: 'usd' } });
    expect(bad.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['amount', 'currency', 'orderedAt']);
    const cross = await t.as(rep, { method: 'POST', url: '/api/v1/orders', payload: { accountId: acc.id, opportunityId: opp2.id, orderedAt: '2026-10-01', amount: '1', currency: 'USD' } });
    expect(cross.json().error.fields).toEqual([{ path: 'opportunityId', message: 'This opportunity belongs to another account', code: 'mismatch', params: { entity: 'account' } }]);
    const foreignAcc = await mk('/api/v1/accounts', { name: 'F' }, t.other.users.rep);
    const foreign = await t.as(rep, { method: 'POST', url: '/api/v1/orders', payload: { accountId: foreignAcc.id, orderedAt: '2026-10-01', amount: '1', currency: 'USD' } });
    expect(foreign.json().error.fields).toEqual([{ path: 'accountId', message: 'Account not found', code: 'not_found', params: { entity: 'account' } }]);
    const ord = await mk('/api/v1/orders', { accountId: acc.id, orderedAt: '2026-10-01', amount: '1', currency: 'USD' });
    expect((await t.as(viewer, { method: 'POST', url: '/api/v1/orders', payload: { accountId: acc.id, orderedAt: '2026-10-01', amount: '1', currency: 'USD' } })).statusCode).toBe(403);
    const patch = (user: TestUser, version: number) => t.as(user, { method: 'PATCH', url: `/api/v1/orders/${ord.id}`, payload: { status: 'shipped', version } });
    expect((await patch(otherTeamRep, 1)).statusCode).toBe(403);
    expect((await patch(manager, 1)).statusCode).toBe(200);
    expect((await patch(rep, 1)).statusCode).toBe(409);
    expect((await t.as(rep, { method: 'DELETE', url: `/api/v1/orders/${ord.id}` })).statusCode).toBe(200);
    expect((await t.as(rep, { method: 'POST', url: `/api/v1/orders/${ord.id}/restore` })).statusCode).toBe(200);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/orders/${ord.id}` })).statusCode).toBe(404);
    const list = (await t.as(viewer, { method: 'GET', url: `/api/v1/orders?accountId=${acc.id}&amountBase[gte]=1` })).json();
    expect(list.data.map((o: { id: string }) => o.id)).toEqual([ord.id]);
  });
});
