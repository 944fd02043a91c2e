import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { createTestOrg, useTestApp } from '../../../tests/helpers/app.ts';

describeEachDb('account hierarchy', (mode) => {
  const t = useTestApp(mode);

  it('a parent is never the account itself nor one of its subsidiaries; parent filters the list', async () => {
    const { manager } = t.org.users;
    const mk = async (name: string, parentAccountId?: string) => {
      const r = await t.as(manager, { method: 'POST', url: '/api/v1/accounts', payload: { name, ...(parentAccountId ? { parentAccountId } : {}) } });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: string; version: number; parentAccountName: string | null };
    };
    const group = await mk('Group AG');
    const sub = await mk('Sub GmbH', group.id);
    const subsub = await mk('Sub-sub Sp. z o.o.', sub.id);
    expect(subsub.parentAccountName).toBe('Sub GmbH');
    const patch = (id: string, version: number, payload: object) => t.as(manager, { method: 'PATCH', url: `/api/v1/accounts/${id}`, headers: { 'if-match': `"${version}"` }, payload });
    const loop = await patch(group.id, group.version, { parentAccountId: subsub.id });
    expect(loop.statusCode).toBe(400);
    expect(loop.json().error.fields).toEqual([expect.objectContaining({ path: 'parentAccountId', message: 'This account is one of its subsidiaries: that would make a loop' })]);
    const self = await patch(sub.id, 1, { parentAccountId: sub.id });
    expect(self.json().error.fields).toEqual([expect.objectContaining({ path: 'parentAccountId', message: 'An account cannot be its own parent' })]);
    const foreign = (await t.as(t.other.users.admin, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Foreign' } })).json().id as string;
    const cross = await patch(sub.id, 1, { parentAccountId: foreign });
    expect(cross.json().error.fields).toEqual([expect.objectContaining({ path: 'parentAccountId', code: 'not_found' })]);
    // Moving a subsidiary elsewhere in the tree is fine; the list filters by parent.
    expect((await patch(subsub.id, 1, { parentAccountId: group.id })).statusCode).toBe(200);
    const kids = (await t.as(manager, { method: 'GET', url: `/api/v1/accounts?parent=${group.id}&sort=name` })).json().data.map((a: { name: string }) => a.name);
    expect(kids).toEqual(['Sub GmbH', 'Sub-sub Sp. z o.o.']);
    const top = (await t.as(manager, { method: 'GET', url: `/api/v1/accounts?parent[empty]=true&q=Group` })).json().data.map((a: { name: string }) => a.name);
    expect(top).toEqual(['Group AG']);
    // The database refuses a direct self-reference and a parent of another organization on its own.
    await expect(t.database.query(`update accounts set parent_account_id = id where org_id = $1 and id = $2`, [t.org.id, sub.id])).rejects.toThrow();
    await expect(t.database.query(`update accounts set parent_account_id = $3 where org_id = $1 and id = $2`, [t.org.id, sub.id, foreign])).rejects.toThrow();
  });

  it('the group rolls up deals, orders and share of wallet over all subsidiaries', async () => {
    const org = await createTestOrg(t.database, 'Org Group');
    const { manager } = org.users;
    const mk = async (payload: object) => (await t.as(manager, { method: 'POST', url: '/api/v1/accounts', payload })).json().id as string;
    const top = await mk({ name: 'Holding', totalAnnualDemand: '10000' });
    const a = await mk({ name: 'A Ltd', parentAccountId: top, totalAnnualDemand: '5000' });
    const a1 = await mk({ name: 'A1 Ltd', parentAccountId: a });
    const b = await mk({ name: 'B Ltd', parentAccountId: top, totalAnnualDemand: '1000', demandCurrency: 'EUR' });
    const deal = (accountId: string, amount: string, status: string, currency = 'USD') => t.as(manager, {
      method: 'POST', url: '/api/v1/opportunities',
      payload: { accountId, name: `D ${amount}`, amount, currency, status, ...(status === 'lost' ? { lostReason: 'price' } : {}) },
    });
    for (const [acc, amt, st, cur] of [[top, '100', 'open'], [a, '200', 'open'], [a1, '300', 'won'], [a1, '50', 'open', 'EUR'], [b, '400', 'won'], [b, '999', 'lost']] as const) {
      expect((await deal(acc, amt, st, cur)).statusCode).toBe(201);
    }
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    const order = (acc: string, at: string, amt: string, status = 'confirmed') =>
      t.database.query(`insert into orders (org_id, account_id, ordered_at, amount, currency, amount_base, status) values ($1,$2,$3,$4,'USD',$4,$5)`, [org.id, acc, at, amt, status]);
    await order(top, day(10), '1000');
    await order(a1, day(20), '2000');
    await order(a1, day(30), '5000', 'cancelled');
    await order(b, day(400), '7000'); // older than 12 months
    await order(b, day(40), '300');
    const g = (await t.as(manager, { method: 'GET', url: `/api/v1/accounts/${a1}/group` })).json();
    expect(g).toMatchObject({ parent: { id: a, name: 'A Ltd' }, root: { id: top, name: 'Holding' }, children: [] });
    const res = await t.as(manager, { method: 'GET', url: `/api/v1/accounts/${top}/group` });
    expect(res.statusCode, res.body).toBe(200);
    const h = res.json();
    expect(h.parent).toBeNull();
    expect(h.root).toEqual({ id: top, name: 'Holding' });
    expect(h.own).toMatchObject({ accounts: 1, openDeals: 1, openValue: '100.00', wonDeals: 0, orders12m: 1, bought12m: '1000.00', demand: '10000.00', shareOfWallet: 0.1 });
    expect(h.children.map((c: { name: string; subsidiaries: number }) => [c.name, c.subsidiaries])).toEqual([['A Ltd', 1], ['B Ltd', 0]]);
    expect(h.children[0].figures).toMatchObject({ accounts: 2, openDeals: 2, openValue: '200.00', wonDeals: 1, wonValue: '300.00', foreignDeals: 1, orders12m: 1, bought12m: '2000.00', demand: '5000.00', shareOfWallet: 0 });
    // B's demand is in EUR: left out of the demand, and its orders out of the share.
    expect(h.children[1].figures).toMatchObject({ accounts: 1, wonDeals: 1, wonValue: '400.00', orders12m: 1, bought12m: '300.00', demand: null, shareOfWallet: null });
    // Share of wallet counts the accounts that have a demand (as the org-wide wallet does): Holding's 1,000 of 15,000;
    // A1 bought 2,000 but has no demand of its own, B's demand is in EUR.
    expect(h.group).toEqual({
      accounts: 4, openDeals: 3, openValue: '300.00', wonDeals: 2, wonValue: '700.00', orders12m: 3, bought12m: '3300.00',
      demand: '15000.00', shareOfWallet: 0.0667, foreignDeals: 1,
    });
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/accounts/${top}/group` })).statusCode).toBe(404);
  });
});
