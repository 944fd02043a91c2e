import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { dealWithHistory } from '../goals/test-helpers.ts';

describeEachDb('AISAS journey', (mode) => {
  const t = useTestApp(mode);

  it('shows the AISAS flow and which sources bring accounts that win', async () => {
    const { rep } = t.org.users;
    const org = t.org.id;
    const mk = async (payload: object) => (await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload })).json().id as string;
    const a = await mk({ name: 'J-A', source: 'search_engine', aisasStep: 'action' });
    const b = await mk({ name: 'J-B', source: 'search_engine' });
    const c = await mk({ name: 'J-C' }); // source from its first interaction
    const touch = (acc: string, step: string, at: string, source: string | null = null) =>
      t.database.query(`insert into interactions (org_id, account_id, kind, occurred_at, aisas_step, source) values ($1,$2,'email',$3,$4,$5)`, [org, acc, at, step, source]);
    await touch(a, 'attention', '2026-02-01T10:00:00Z');
    await touch(a, 'interest', '2026-02-02T10:00:00Z');
    await touch(a, 'search', '2026-02-03T10:00:00Z');
    await touch(a, 'action', '2026-02-04T10:00:00Z');
    await touch(b, 'attention', '2026-02-01T10:00:00Z');
    await touch(b, 'interest', '2026-02-05T10:00:00Z');
    await touch(c, 'attention', '2026-02-01T09:00:00Z', 'trade_fair');
    await touch(c, 'share', '2026-03-01T09:00:00Z');
    await dealWithHistory(t, org, a, [['decision', '2026-02-10T10:00:00Z']], { status: 'won', closedAt: '2026-02-20T00:00:00Z' });
    await dealWithHistory(t, org, c, [['decision', '2026-02-10T10:00:00Z']], { status: 'won', closedAt: '2026-02-20T00:00:00Z' });
    await t.database.query(`insert into orders (org_id, account_id, ordered_at, amount, currency, amount_base) values ($1,$2,'2026-02-21',250,'USD',250)`, [org, a]);
    const r = await t.as(rep, { method: 'GET', url: '/api/v1/journey/aisas?from=2026-02-01&to=2026-02-28' });
    expect(r.statusCode).toBe(200);
    const j = r.json();
    expect(j.steps.map((s: { accounts: number }) => s.accounts)).toEqual([3, 2, 1, 1, 0]);
    expect(j.steps[3].accountsNow).toBe(1);
    expect(j.links).toEqual(expect.arrayContaining([{ from: 'attention', to: 'interest', accounts: 2 }, { from: 'search', to: 'action', accounts: 1 }]));
    const all = (await t.as(rep, { method: 'GET', url: '/api/v1/journey/aisas' })).json();
    const src = Object.fromEntries(all.sources.map((s: { source: string }) => [s.source, s]));
    expect(src.search_engine).toMatchObject({ accounts: 2, wonAccounts: 1, winRate: 0.5, wonValue: '250.00' });
    expect(src.trade_fair).toMatchObject({ accounts: 1, wonAccounts: 1, winRate: 1 });
    expect((await t.as(rep, { method: 'GET', url: '/api/v1/journey/aisas?from=2026-03-01&to=2026-02-01' })).statusCode).toBe(400);
  });
});
