import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp } from '../../../tests/helpers/app.ts';

describeEachDb('opportunities carry their real history', (mode) => {
  const t = useTestApp(mode);
  const R = 'recognition_of_needs', E = 'evaluation_of_options', C = 'resolution_of_concerns', D = 'decision';
  const account = async (name: string) => (await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/accounts', payload: { name } })).json().id as string;
  const create = (payload: Record<string, unknown>) => t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/opportunities', payload });
  const history = async (id: string) =>
    ((await t.as(t.org.users.rep, { method: 'GET', url: `/api/v1/opportunities/${id}/stage-history` })).json().data as { fromStage: string | null; toStage: string; changedAt: string }[])
      .map((h) => [h.fromStage, h.toStage, new Date(h.changedAt).toISOString()]);

  it('a won deal of 2017 given only its dates enters the first stage when opened and its final stage when closed', async () => {
    const acc = await account('Hist 2017');
    const res = await create({ accountId: acc, name: 'Old win', buyingStage: D, status: 'won', openedAt: '2017-03-01T00:00:00Z', closedAt: '2017-06-15T00:00:00Z' });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    expect(new Date(o.openedAt).toISOString()).toBe('2017-03-01T00:00:00.000Z');
    expect(new Date(o.closedAt).toISOString()).toBe('2017-06-15T00:00:00.000Z');
    expect(new Date(o.stageEnteredAt).toISOString()).toBe('2017-06-15T00:00:00.000Z');
    expect(await history(o.id)).toEqual([[null, R, '2017-03-01T00:00:00.000Z'], [R, D, '2017-06-15T00:00:00.000Z']]);
    // It counts in 2017, not in the month it was entered.
    const then = (await t.as(t.org.users.rep, { method: 'GET', url: '/api/v1/funnel/acquisition?from=2017-01-01&to=2017-12-31' })).json();
    const now = (await t.as(t.org.users.rep, { method: 'GET', url: '/api/v1/funnel/acquisition' })).json();
    const reached = (f: { stages: { stage: string; deals: number }[] }, s: string) => f.stages.find((x) => x.stage === s)!.deals;
    expect([reached(then, R), reached(then, D)]).toEqual([1, 1]);
    expect(then.won.deals).toBe(1);
    expect([reached(now, R), reached(now, D), now.won.deals]).toEqual([0, 0, 0]);
    // Without a close date, a won deal still closes now; without an opening date it opens then.
    const fresh = (await create({ accountId: acc, name: 'New win', status: 'won' })).json();
    expect(Date.parse(fresh.closedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(fresh.openedAt)).toBeLessThanOrEqual(Date.parse(fresh.closedAt));
  });

  it('a stage history given on create is kept with its dates, oldest first, and sets the current stage', async () => {
    const acc = await account('Hist given');
    const res = await create({
      accountId: acc, name: 'Backfilled', status: 'lost', lostReason: 'price', closedAt: '2024-05-01T00:00:00Z',
      stageHistory: [{ stage: C, enteredAt: '2024-03-01T00:00:00Z' }, { stage: R, enteredAt: '2024-01-10T00:00:00Z' }, { stage: E, enteredAt: '2024-02-01T00:00:00Z' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    expect(o.buyingStage).toBe(C);
    expect(new Date(o.openedAt).toISOString()).toBe('2024-01-10T00:00:00.000Z'); // the first entry
    expect(await history(o.id)).toEqual([[null, R, '2024-01-10T00:00:00.000Z'], [R, E, '2024-02-01T00:00:00.000Z'], [E, C, '2024-03-01T00:00:00.000Z']]);
  });

  it('refuses dates that cannot be true, field by field', async () => {
    const acc = await account('Hist bad');
    const paths = async (payload: Record<string, unknown>) => {
      const r = await create({ accountId: acc, name: 'Bad', ...payload });
      expect(r.statusCode, r.body).toBe(400);
      return r.json().error.fields.map((f: { path: string; message: string }) => `${f.path}: ${f.message}`);
    };
    expect(await paths({ status: 'won', openedAt: '2020-02-01T00:00:00Z', closedAt: '2020-01-01T00:00:00Z' })).toEqual(['closedAt: Must not be before openedAt']);
    expect(await paths({ closedAt: '2020-01-01T00:00:00Z' })).toEqual(['closedAt: Only a won or lost opportunity has a close date']);
    expect(await paths({ openedAt: '2999-01-01T00:00:00Z' })).toEqual(['openedAt: Must not be in the future']);
    expect(await paths({ openedAt: 'yesterday' })).toEqual([expect.stringMatching(/^openedAt: /)]);
    expect(await paths({
      status: 'won', openedAt: '2020-01-01T00:00:00Z', closedAt: '2020-06-01T00:00:00Z',
      stageHistory: [{ stage: R, enteredAt: '2019-12-01T00:00:00Z' }, { stage: 'dreaming', enteredAt: '2020-02-01T00:00:00Z' }, { stage: D, enteredAt: '2020-07-01T00:00:00Z' }],
    })).toEqual([
      'stageHistory.1.stage: Unknown buying stage "dreaming"',
      'stageHistory.0.enteredAt: Must not be before openedAt',
      'stageHistory.2.enteredAt: Must not be after closedAt',
    ]);
    expect(await paths({ buyingStage: E, stageHistory: [{ stage: R, enteredAt: '2020-01-01T00:00:00Z' }] })).toEqual(['buyingStage: Must be the stage of the latest stageHistory entry']);
    // An edit is checked against the stored dates.
    const o = (await create({ accountId: acc, name: 'Edit me', status: 'won', openedAt: '2021-01-01T00:00:00Z', closedAt: '2021-03-01T00:00:00Z' })).json();
    const back = await t.as(t.org.users.rep, { method: 'PATCH', url: `/api/v1/opportunities/${o.id}`, payload: { version: o.version, closedAt: '2020-12-01T00:00:00Z' } });
    expect(back.json().error.fields).toEqual([expect.objectContaining({ path: 'closedAt', message: 'Must not be before openedAt' })]);
    const moved = await t.as(t.org.users.rep, { method: 'PATCH', url: `/api/v1/opportunities/${o.id}`, payload: { version: o.version, closedAt: '2021-04-01T00:00:00Z' } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(new Date(moved.json().closedAt).toISOString()).toBe('2021-04-01T00:00:00.000Z');
  });

  it('past stage entries can be written later: from-stages follow time, a newer entry moves the deal, versions are checked', async () => {
    const acc = await account('Hist append');
    const o = (await create({ accountId: acc, name: 'Append', openedAt: '2025-01-01T00:00:00Z' })).json();
    expect(await history(o.id)).toEqual([[null, R, '2025-01-01T00:00:00.000Z']]);
    const url = `/api/v1/opportunities/${o.id}/stage-history`;
    const entries = [{ stage: C, enteredAt: '2025-03-01T00:00:00Z' }, { stage: E, enteredAt: '2025-02-01T00:00:00Z' }];
    expect((await t.as(t.org.users.rep, { method: 'POST', url, payload: { entries } })).statusCode).toBe(428);
    expect((await t.as(t.org.users.rep, { method: 'POST', url, payload: { entries }, headers: { 'if-match': '"7"' } })).statusCode).toBe(409);
    const early = await t.as(t.org.users.rep, { method: 'POST', url, payload: { entries: [{ stage: E, enteredAt: '2024-01-01T00:00:00Z' }] }, headers: { 'if-match': `"${o.version}"` } });
    expect(early.json().error.fields).toEqual([expect.objectContaining({ path: 'entries.0.enteredAt', message: 'Must not be before openedAt' })]);
    const ok = await t.as(t.org.users.rep, { method: 'POST', url, payload: { entries }, headers: { 'if-match': `"${o.version}"` } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().version).toBe(o.version + 1);
    expect(await history(o.id)).toEqual([[null, R, '2025-01-01T00:00:00.000Z'], [R, E, '2025-02-01T00:00:00.000Z'], [E, C, '2025-03-01T00:00:00.000Z']]);
    const after = (await t.as(t.org.users.rep, { method: 'GET', url: `/api/v1/opportunities/${o.id}` })).json();
    expect(after).toMatchObject({ buyingStage: C, version: o.version + 1 });
    expect(new Date(after.stageEnteredAt).toISOString()).toBe('2025-03-01T00:00:00.000Z');
    // Others cannot write into it.
    expect((await t.as(t.org.users.viewer, { method: 'POST', url, payload: { entries }, headers: { 'if-match': `"${after.version}"` } })).statusCode).toBe(403);
    expect((await t.as(t.other.users.admin, { method: 'POST', url, payload: { entries }, headers: { 'if-match': `"${after.version}"` } })).statusCode).toBe(404);
  });

  it('openedAt and closedAt filter and sort the list', async () => {
    const acc = await account('Hist list');
    const mk = async (name: string, openedAt: string, closedAt: string) =>
      (await create({ accountId: acc, name, status: 'won', openedAt, closedAt })).json().id as string;
    const a = await mk('L-2019', '2019-01-01T00:00:00Z', '2019-05-01T00:00:00Z');
    const b = await mk('L-2018', '2018-01-01T00:00:00Z', '2018-03-01T00:00:00Z');
    await mk('L-2023', '2023-01-01T00:00:00Z', '2023-02-01T00:00:00Z');
    const list = (await t.as(t.org.users.rep, { method: 'GET', url: `/api/v1/opportunities?accountId=${acc}&openedAt[lt]=2020-01-01&sort=openedAt` })).json();
    expect(list.data.map((x: { id: string }) => x.id)).toEqual([b, a]);
    const closed = (await t.as(t.org.users.rep, { method: 'GET', url: `/api/v1/opportunities?accountId=${acc}&closedAt[gte]=2019-01-01&sort=-closedAt` })).json();
    expect(closed.data.map((x: { name: string }) => x.name)).toEqual(['L-2023', 'L-2019']);
  });
});
