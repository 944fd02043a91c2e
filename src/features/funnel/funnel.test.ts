import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { createTestOrg, useTestApp } from '../../../tests/helpers/app.ts';
import { dealWithHistory } from '../goals/test-helpers.ts';

describeEachDb('double funnel', (mode) => {
  const t = useTestApp(mode);
  const R = 'recognition_of_needs', E = 'evaluation_of_options', C = 'resolution_of_concerns', D = 'decision';

  it('acquisition funnel: accounts per stage, cohort conversion, median days, won and lost by stage and reason', async () => {
    const { rep, manager } = t.org.users;
    const org = t.org.id;
    const acc = async (name: string) => (await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name } })).json().id as string;
    const [a, b, c] = [await acc('F-A'), await acc('F-B'), await acc('F-C')];
    // A: R (2 days) → E (4 days) → R (1 day) → E → won on Jan 20
    await dealWithHistory(t, org, a, [[R, '2026-01-01T00:00:00Z'], [E, '2026-01-03T00:00:00Z'], [R, '2026-01-07T00:00:00Z'], [E, '2026-01-08T00:00:00Z'], [D, '2026-01-10T00:00:00Z']],
      { ownerId: rep.id, status: 'won', closedAt: '2026-01-20T00:00:00Z', amount: '1000.00' });
    // B: R (6 days) → lost at R for price
    await dealWithHistory(t, org, b, [[R, '2026-01-02T00:00:00Z']], { ownerId: rep.id, status: 'lost', lostReason: 'price', closedAt: '2026-01-08T00:00:00Z', amount: '500.00' });
    // C: straight to C, still open
    await dealWithHistory(t, org, c, [[C, '2026-01-05T00:00:00Z']], { ownerId: manager.id, amount: '300.00' });
    const res = await t.as(rep, { method: 'GET', url: '/api/v1/funnel/acquisition?from=2026-01-01&to=2026-01-31' });
    expect(res.statusCode).toBe(200);
    const f = res.json();
    const s = Object.fromEntries(f.stages.map((x: { stage: string }) => [x.stage, x]));
    expect([s[R].accounts, s[E].accounts, s[C].accounts, s[D].accounts]).toEqual([3, 2, 2, 1]);
    expect(s[R].toNext).toBeCloseTo(2 / 3, 3); // A and C went on, B did not
    expect(s[C].toNext).toBe(0.5); // of A (skipped C) and C, only A reached decision
    // stays in R that ended in January: 2, 1 (A) and 6 (B, closed) → median 2
    expect(s[R].medianDays).toBe(2);
    expect(s[E].medianDays).toBe(3); // 4 and 2
    expect(s[D].medianDays).toBe(10); // Jan 10 → closed Jan 20
    expect(f.won).toEqual({ deals: 1, accounts: 1, value: '1000.00' });
    expect(f.lost).toMatchObject({ deals: 1, value: '500.00', byStage: [{ stage: R, deals: 1 }], byReason: [{ reason: 'price', deals: 1 }] });
    expect(s[C]).toMatchObject({ openDeals: 1, openValue: '300.00' });
    const mine = (await t.as(rep, { method: 'GET', url: `/api/v1/funnel/acquisition?from=2026-01-01&to=2026-01-31&userId=${rep.id}` })).json();
    expect(mine.stages.map((x: { accounts: number }) => x.accounts)).toEqual([2, 1, 1, 1, 0]);
    const bad = await t.as(rep, { method: 'GET', url: '/api/v1/funnel/acquisition?from=2026-02-01&to=2026-01-01' });
    expect(bad.statusCode).toBe(400);
    expect((await t.as(rep, { method: 'GET', url: `/api/v1/funnel/acquisition?segmentId=${a}` })).statusCode).toBe(400);
  });

  it('history written after a deal closed (an import of 2017 deals) counts at the close: no negative stays, nothing in the import month', async () => {
    const org3 = await createTestOrg(t.database, 'Org History');
    const { manager } = org3.users;
    const acc = async (name: string) => (await t.as(manager, { method: 'POST', url: '/api/v1/accounts', payload: { name } })).json().id as string;
    const importedAt = new Date().toISOString();
    // X: entered R in March 2017, won June 15; its final stage was only written at the import.
    await dealWithHistory(t, org3.id, await acc('H-X'), [[R, '2017-03-01T00:00:00Z'], [D, importedAt]], { status: 'won', closedAt: '2017-06-15T00:00:00Z', amount: '100.00' });
    // Y: lost May 1 2017, its whole history written at the import.
    await dealWithHistory(t, org3.id, await acc('H-Y'), [[R, importedAt]], { status: 'lost', lostReason: 'price', closedAt: '2017-05-01T00:00:00Z' });
    const get = async (q: string) => (await t.as(manager, { method: 'GET', url: `/api/v1/funnel/acquisition${q}` })).json();
    const y2017 = await get('?from=2017-01-01&to=2017-12-31');
    const s = Object.fromEntries(y2017.stages.map((x: { stage: string }) => [x.stage, x]));
    expect([s[R].deals, s[E].deals, s[C].deals, s[D].deals]).toEqual([2, 1, 1, 1]);
    expect(s[R].medianDays).toBe(53); // X: 106 days, Y: 0 (bounded by its close), never −3,409
    expect(s[D].medianDays).toBe(0);
    expect(s[R].finishedStays).toBe(2);
    const all = await get(`?from=2000-01-01&to=${importedAt.slice(0, 10)}`);
    for (const st of all.stages) if (st.medianDays !== null) expect(st.medianDays, st.stage).toBeGreaterThanOrEqual(0);
    const thisMonth = await get('');
    expect(thisMonth.stages.map((x: { deals: number }) => x.deals)).toEqual([0, 0, 0, 0, 0]);
    expect(thisMonth.stages.every((x: { medianDays: number | null }) => x.medianDays === null)).toBe(true);
    // Where the screen opens instead: the last thing that happened is X's close, whatever the window (entries written later count at the close).
    expect(thisMonth.lastActivity).toBe('2017-06-15');
    expect(y2017.lastActivity).toBe('2017-06-15');
  });

  it('reverse funnel: share of wallet from orders in the base currency; foreign demand is left out with a reason', async () => {
    const { manager } = t.org.users;
    const org = t.org.id;
    const mk = async (payload: object) => (await t.as(manager, { method: 'POST', url: '/api/v1/accounts', payload })).json().id as string;
    const big = await mk({ name: 'W-Big', totalAnnualDemand: '100000', demandCurrency: 'USD' });
    const small = await mk({ name: 'W-Small', totalAnnualDemand: '1000', demandEstimated: true });
    const eur = await mk({ name: 'W-Eur', totalAnnualDemand: '5000', demandCurrency: 'EUR' });
    const today = new Date();
    const daysAgo = (n: number) => new Date(today.getTime() - n * 86_400_000).toISOString().slice(0, 10);
    const order = (acc: string, at: string, base: string, status = 'confirmed') =>
      t.database.query(`insert into orders (org_id, account_id, ordered_at, amount, currency, amount_base, status) values ($1,$2,$3,$4,'USD',$4,$5)`, [org, acc, at, base, status]);
    await order(big, daysAgo(10), '1000.00');
    await order(big, daysAgo(100), '1500.00');
    await order(big, daysAgo(400), '9999.00'); // older than 12 months
    await order(big, daysAgo(5), '7777.00', 'cancelled');
    await order(small, daysAgo(30), '800.00');
    await order(eur, daysAgo(30), '100.00');
    const w = (await t.as(manager, { method: 'GET', url: '/api/v1/funnel/wallet' })).json();
    expect(w.baseCurrency).toBe('USD');
    expect(w.totals).toMatchObject({ accounts: 2, demand: '101000.00', bought: '3300.00', gap: '97700.00' });
    expect(w.biggestGaps[0]).toMatchObject({ accountId: big, bought: '2500.00', share: 0.025, gap: '97500.00' });
    expect(w.biggestGaps[1]).toMatchObject({ accountId: small, share: 0.8, demandEstimated: true });
    expect(w.distribution.find((d: { bucket: string }) => d.bucket === '0-10').accounts).toBe(1);
    expect(w.distribution.find((d: { bucket: string }) => d.bucket === '75-100').accounts).toBe(1);
    expect(w.skipped).toEqual([expect.objectContaining({ accountId: eur, reason: expect.stringMatching(/EUR/) })]);

    const one = (await t.as(manager, { method: 'GET', url: `/api/v1/accounts/${big}/wallet?by=year&periods=3` })).json();
    expect(one.points).toHaveLength(3);
    expect(one.last12Months).toMatchObject({ bought: '2500.00', share: 0.025, gap: '97500.00' });
    const total = one.points.reduce((s: number, p: { bought: string }) => s + Number(p.bought), 0);
    expect(total).toBeCloseTo(1000 + 1500 + 9999, 2);
    const q = (await t.as(manager, { method: 'GET', url: `/api/v1/accounts/${eur}/wallet` })).json();
    expect(q.points).toHaveLength(8);
    expect(q.note).toMatch(/EUR/);
    expect(q.points[0].share).toBeNull();
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/accounts/${big}/wallet` })).statusCode).toBe(404);
  });

  it('a supplier-status fall raises an alert; history keeps every move; alerts can be acknowledged', async () => {
    const { rep, manager, otherTeamRep, viewer } = t.org.users;
    const acc = (await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Falling Co', supplierStatus: 'provisional', relationshipDepth: 'transactional' } })).json();
    const patch = async (version: number, payload: object) => (await t.as(rep, { method: 'PATCH', url: `/api/v1/accounts/${acc.id}`, headers: { 'if-match': `"${version}"` }, payload })).json();
    await patch(1, { supplierStatus: 'preferred', relationshipDepth: 'service' }); // rises: no alert
    await patch(2, { supplierStatus: 'passively_phased_out' }); // falls
    const bad = await t.as(rep, { method: 'PATCH', url: `/api/v1/accounts/${acc.id}`, headers: { 'if-match': '"3"' }, payload: { supplierStatus: 'gone' } });
    expect(bad.statusCode).toBe(400);
    const h = (await t.as(viewer, { method: 'GET', url: `/api/v1/accounts/${acc.id}/status-history` })).json();
    expect(h.supplierStatus).toBe('passively_phased_out');
    expect(h.history.filter((x: { field: string }) => x.field === 'supplier_status').map((x: { toValue: string; direction: string | null }) => [x.toValue, x.direction])).toEqual([
      ['provisional', null],
      ['preferred', 'up'],
      ['passively_phased_out', 'down'],
    ]);
    const alerts = (await t.as(manager, { method: 'GET', url: `/api/v1/alerts?open=true&accountId=${acc.id}` })).json().data;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'supplier_status_fall', severity: 'critical', accountName: 'Falling Co', userId: rep.id, data: { from: 'preferred', to: 'passively_phased_out' } });
    expect((await t.as(rep, { method: 'GET', url: '/api/v1/alerts' })).json().data.map((x: { id: string }) => x.id)).toContain(alerts[0].id);
    expect((await t.as(otherTeamRep, { method: 'GET', url: '/api/v1/alerts' })).json().data).toEqual([]);
    expect((await t.as(otherTeamRep, { method: 'POST', url: `/api/v1/alerts/${alerts[0].id}/ack` })).statusCode).toBe(404);
    expect((await t.as(viewer, { method: 'POST', url: `/api/v1/alerts/${alerts[0].id}/ack` })).statusCode).toBe(403);
    const ack = await t.as(manager, { method: 'POST', url: `/api/v1/alerts/${alerts[0].id}/ack` });
    expect(ack.statusCode).toBe(200);
    expect(ack.json().acknowledgedBy).toBe(manager.id);
    expect((await t.as(manager, { method: 'GET', url: `/api/v1/alerts?open=true&accountId=${acc.id}` })).json().data).toEqual([]);
    expect((await t.as(t.other.users.manager, { method: 'GET', url: '/api/v1/alerts' })).json().data).toEqual([]);
  });

  it('falls written in bulk (imports, demo data) are raised once, on the first look at the alerts', async () => {
    const third = await createTestOrg(t.database, 'Org C');
    const { manager } = third.users;
    const acc = (await t.as(manager, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Bulk Fall Co' } })).json();
    const hist = (from: string | null, to: string, daysAgo: number) =>
      t.database.query(`insert into account_status_history (org_id, account_id, field, from_value, to_value, changed_at) values ($1,$2,'supplier_status',$3,$4, now() - make_interval(days => $5::int))`,
        [third.id, acc.id, from, to, daysAgo]);
    await hist(null, 'strategic', 400);
    await hist('strategic', 'preferred', 300); // a fall, but too old to alarm
    await hist('preferred', 'actively_phased_out', 10);
    const list = async () => (await t.as(manager, { method: 'GET', url: `/api/v1/alerts?accountId=${acc.id}` })).json().data;
    const first = await list();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ kind: 'supplier_status_fall', severity: 'critical', data: { from: 'preferred', to: 'actively_phased_out' } });
    // an edit of the account later does not raise it twice
    await t.as(manager, { method: 'PATCH', url: `/api/v1/accounts/${acc.id}`, headers: { 'if-match': '"1"' }, payload: { supplierStatus: 'provisional' } });
    const again = await list();
    expect(again.filter((a: { data: { to: string } }) => a.data.to === 'actively_phased_out')).toHaveLength(1);
  });
});
