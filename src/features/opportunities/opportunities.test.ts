import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp, type TestUser } from '../../../tests/helpers/app.ts';

describeEachDb('opportunities API', (mode) => {
  const t = useTestApp(mode);
  const account = async (user: TestUser = t.org.users.rep, name = 'Deal Co') =>
    (await t.as(user, { method: 'POST', url: '/api/v1/accounts', payload: { name } })).json() as { id: string };
  const patch = (id: string, version: number, payload: Record<string, unknown>, user: TestUser = t.org.users.rep) =>
    t.as(user, { method: 'PATCH', url: `/api/v1/opportunities/${id}`, payload: { ...payload, version } });

  it('starts at the first stage and records every stage move, backwards included, never rewritten', async () => {
    const { rep, manager } = t.org.users;
    const acc = await account();
    const created = await t.as(rep, { method: 'POST', url: '/api/v1/opportunities', payload: { accountId: acc.id, name: 'Hotel lighting', amount: 120000.5, currency: 'EUR', competitors: ['Philips'] } });
    expect(created.statusCode).toBe(201);
    const opp = created.json();
    expect(opp).toMatchObject({ buyingStage: 'recognition_of_needs', status: 'open', amount: '120000.50', currency: 'EUR', competitors: ['Philips'], closedAt: null });
    let v = 1;
    const moves: [string, TestUser][] = [['evaluation_of_options', rep], ['resolution_of_concerns', manager], ['evaluation_of_options', rep], ['decision', rep]];
    let enteredAt = opp.stageEnteredAt as string;
    for (const [stage, user] of moves) {
      const r = await patch(opp.id, v, { buyingStage: stage }, user);
      expect(r.statusCode).toBe(200);
      v = r.json().version;
      expect(r.json().stageEnteredAt > enteredAt).toBe(true);
      enteredAt = r.json().stageEnteredAt;
    }
    // Edits that do not move the stage leave the history alone.
    const edit = await patch(opp.id, v, { name: 'Hotel lighting 2027', buyingStage: 'decision' });
    expect(edit.json().stageEnteredAt).toBe(enteredAt);
    v = edit.json().version;
    const hist = (await t.as(rep, { method: 'GET', url: `/api/v1/opportunities/${opp.id}/stage-history` })).json().data;
    expect(hist.map((h: { fromStage: string | null; toStage: string; changedBy: string }) => [h.fromStage, h.toStage, h.changedBy])).toEqual([
      [null, 'recognition_of_needs', rep.id],
      ['recognition_of_needs', 'evaluation_of_options', rep.id],
      ['evaluation_of_options', 'resolution_of_concerns', manager.id],
      ['resolution_of_concerns', 'evaluation_of_options', rep.id],
      ['evaluation_of_options', 'decision', rep.id],
    ]);
    expect(hist.at(-1).changedAt).toBe(enteredAt);
    const rows = await t.database.query(`select count(*)::int as n from opportunity_stage_history where org_id = $1 and opportunity_id = $2`, [t.org.id, opp.id]);
    expect(rows.rows[0]).toEqual({ n: 5 });
  });

  it('closes and reopens: lost needs a reason, won/lost set closedAt, reopening clears it', async () => {
    const acc = await account();
    const opp = (await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/opportunities', payload: { accountId: acc.id, name: 'Close me', buyingStage: 'decision' } })).json();
    expect(opp.buyingStage).toBe('decision');
    const noReason = await patch(opp.id, 1, { status: 'lost' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields).toEqual([{ path: 'lostReason', message: 'Required when the opportunity is lost', code: 'required' }]);
    const lost = await patch(opp.id, 1, { status: 'lost', lostReason: 'price' });
    expect(lost.json()).toMatchObject({ status: 'lost', lostReason: 'price', version: 2 });
    expect(lost.json().closedAt).toEqual(expect.any(String));
    const reopened = (await patch(opp.id, 2, { status: 'open' })).json();
    expect(reopened).toMatchObject({ status: 'open', closedAt: null, lostReason: null });
    const won = (await patch(opp.id, 3, { status: 'won' })).json();
    expect(won.closedAt).toEqual(expect.any(String));
  });

  it('validates vocabularies, amount with currency, computed fields and references', async () => {
    const { rep } = t.org.users;
    const acc = await account();
    const bad = await t.as(rep, {
      method: 'POST',
      url: '/api/v1/opportunities',
      payload: { accountId: acc.id, name: 'X', buyingStage: 'dreaming', buyingSituation: 'impulse', needType: 'astronaut', source: 'tv', amount: '100' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['buyingSituation', 'buyingStage', 'currency', 'needType', 'source']);
    const computed = await t.as(rep, { method: 'POST', url: '/api/v1/opportunities', payload: { accountId: acc.id, name: 'X', winProbability: 0.9 } });
    expect(computed.statusCode).toBe(400);
    const noAccount = await t.as(rep, { method: 'POST', url: '/api/v1/opportunities', payload: { name: 'X' } });
    expect(noAccount.statusCode).toBe(400);
    const foreign = await account(t.other.users.rep, 'Foreign');
    const cross = await t.as(rep, { method: 'POST', url: '/api/v1/opportunities', payload: { accountId: foreign.id, name: 'X' } });
    expect(cross.json().error.fields).toEqual([{ path: 'accountId', message: 'Account not found', code: 'not_found', params: { entity: 'account' } }]);
    const opp = (await t.as(rep, { method: 'POST', url: '/api/v1/opportunities', payload: { accountId: acc.id, name: 'X', amount: '5', currency: 'USD' } })).json();
    const drop = await patch(opp.id, 1, { currency: null });
    expect(drop.json().error.fields).toEqual([{ path: 'currency', message: 'Required together with an amount', code: 'required' }]);
  });

  it('conflicts, deletes, restores; permissions and tenant isolation', async () => {
    const { rep, otherTeamRep, viewer } = t.org.users;
    const acc = await account();
    const opp = (await t.as(rep, { method: 'POST', url: '/api/v1/opportunities', payload: { accountId: acc.id, name: 'Guarded' } })).json();
    expect((await patch(opp.id, 1, { name: 'V' }, viewer)).statusCode).toBe(403);
    expect((await patch(opp.id, 1, { name: 'O' }, otherTeamRep)).statusCode).toBe(403);
    expect((await patch(opp.id, 1, { name: 'Mine' })).statusCode).toBe(200);
    expect((await patch(opp.id, 1, { name: 'Stale' })).statusCode).toBe(409);
    expect((await t.as(rep, { method: 'DELETE', url: `/api/v1/opportunities/${opp.id}` })).statusCode).toBe(200);
    expect((await t.as(rep, { method: 'GET', url: `/api/v1/opportunities/${opp.id}` })).statusCode).toBe(404);
    expect((await t.as(rep, { method: 'POST', url: `/api/v1/opportunities/${opp.id}/restore` })).statusCode).toBe(200);
    const list = (await t.as(viewer, { method: 'GET', url: `/api/v1/opportunities?accountId=${acc.id}&status=open&buyingStage=recognition_of_needs` })).json();
    expect(list.data.map((o: { id: string }) => o.id)).toEqual([opp.id]);
    const spy = t.other.users.admin;
    expect((await t.as(spy, { method: 'GET', url: `/api/v1/opportunities/${opp.id}` })).statusCode).toBe(404);
    expect((await t.as(spy, { method: 'GET', url: `/api/v1/opportunities/${opp.id}/stage-history` })).statusCode).toBe(404);
    expect((await t.as(spy, { method: 'GET', url: '/api/v1/opportunities?q=Mine' })).json().data).toEqual([]);
  });
});
