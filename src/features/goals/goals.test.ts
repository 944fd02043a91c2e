import { expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { dealWithHistory } from './test-helpers.ts';

describeEachDb('stage goals', (mode) => {
  const t = useTestApp(mode);
  const base = { periodKind: 'month', periodStart: '2026-03-01', targets: { recognition_of_needs: 4, evaluation_of_options: 3, resolution_of_concerns: 2 } };

  it('validates periods, targets, stages and roles with clear 4xx', async () => {
    const { manager, rep } = t.org.users;
    const post = (user = manager, payload: object) => t.as(user, { method: 'POST', url: '/api/v1/goals', payload });
    expect((await post(rep, base)).statusCode).toBe(403);
    const neg = await post(manager, { ...base, targets: { recognition_of_needs: -1 } });
    expect(neg.statusCode).toBe(400);
    const frac = await post(manager, { ...base, targets: { recognition_of_needs: 1.5 } });
    expect(frac.statusCode).toBe(400);
    const unknown = await post(manager, { ...base, targets: { astronaut: 3 } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields[0]).toMatchObject({ path: 'targets.astronaut' });
    const midMonth = await post(manager, { ...base, periodStart: '2026-03-05' });
    expect(midMonth.json().error.fields[0].path).toBe('periodStart');
    const q = await post(manager, { ...base, periodKind: 'quarter', periodStart: '2026-02-01' });
    expect(q.statusCode).toBe(400);
    const wrongEnd = await post(manager, { ...base, periodEnd: '2026-03-30' });
    expect(wrongEnd.json().error.fields[0]).toMatchObject({ path: 'periodEnd', message: 'A month starting 2026-03-01 ends 2026-03-31' });
    const team = await post(manager, { ...base, scope: 'team' });
    expect(team.json().error.fields[0].path).toBe('team');
  });

  it('rejects overlapping goals for the same scope and segment, allows other scopes', async () => {
    const { manager, rep } = t.org.users;
    const first = await t.as(manager, { method: 'POST', url: '/api/v1/goals', payload: { ...base, periodStart: '2025-01-01' } });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ periodEnd: '2025-01-31', scope: 'org' });
    const quarter = await t.as(manager, { method: 'POST', url: '/api/v1/goals', payload: { ...base, periodKind: 'quarter', periodStart: '2025-01-01' } });
    expect(quarter.statusCode).toBe(409);
    expect(quarter.json().error.message).toMatch(/2025-01-01 – 2025-01-31/);
    const mine = await t.as(manager, { method: 'POST', url: '/api/v1/goals', payload: { ...base, periodStart: '2025-01-01', scope: 'user', userId: rep.id } });
    expect(mine.statusCode).toBe(201);
    const team = await t.as(manager, { method: 'POST', url: '/api/v1/goals', payload: { ...base, periodKind: 'quarter', periodStart: '2025-01-01', scope: 'team', team: 'North' } });
    expect(team.statusCode).toBe(201);
    // moving the monthly goal into February frees January for the quarter? no: the quarter still covers February
    const moved = await t.as(manager, { method: 'PATCH', url: `/api/v1/goals/${first.json().id}`, payload: { version: 1, periodStart: '2025-04-01' } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().periodEnd).toBe('2025-04-30');
    const nowFree = await t.as(manager, { method: 'POST', url: '/api/v1/goals', payload: { ...base, periodKind: 'quarter', periodStart: '2025-01-01' } });
    expect(nowFree.statusCode).toBe(201);
  });

  it('keeps only one of several overlapping goals created at the same moment', async () => {
    const { manager } = t.org.users;
    // Each request checks for overlaps and then inserts: without serialization all of them would pass
    // the check before any insert commits (PostgreSQL runs them on separate connections).
    const results = await Promise.all(
      Array.from({ length: 6 }, () => t.as(manager, { method: 'POST', url: '/api/v1/goals', payload: { ...base, periodStart: '2024-06-01', scope: 'team', team: 'Race' } })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const { rows } = await t.database.query(`select count(*)::int as n from stage_goals where org_id = $1 and team = 'Race' and deleted_at is null`, [t.org.id]);
    expect(rows[0]).toEqual({ n: 1 });
  });

  it('counts distinct accounts per stage from the history: back-and-forth once, skips count, earlier reaches do not', async () => {
    const { manager, rep } = t.org.users;
    const org = t.org.id;
    const acc = async (name: string) => (await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name } })).json().id as string;
    const [a, b, c, d, e] = [await acc('A'), await acc('B'), await acc('C'), await acc('D'), await acc('E')];
    const R = 'recognition_of_needs', E = 'evaluation_of_options', C = 'resolution_of_concerns', D = 'decision';
    // A: enters R and E in March, falls back to R, re-enters E, and again: counts once for R and once for E.
    await dealWithHistory(t, org, a, [[R, '2026-03-02T09:00:00Z'], [E, '2026-03-05T09:00:00Z'], [R, '2026-03-10T09:00:00Z'], [E, '2026-03-12T09:00:00Z'], [R, '2026-03-13T09:00:00Z'], [E, '2026-03-20T09:00:00Z']], { ownerId: rep.id });
    // A again: a second deal in March at R — the account still counts once.
    await dealWithHistory(t, org, a, [[R, '2026-03-03T09:00:00Z']], { ownerId: rep.id });
    // B: reached R and E in February; in March moves back to R and forward to E again: nothing new in March; then C in March.
    await dealWithHistory(t, org, b, [[R, '2026-02-01T09:00:00Z'], [E, '2026-02-10T09:00:00Z'], [R, '2026-03-04T09:00:00Z'], [E, '2026-03-08T09:00:00Z'], [C, '2026-03-30T23:59:59Z']], { ownerId: rep.id });
    // C: created straight at decision in March: counts for R, E, C (skipped) and D.
    await dealWithHistory(t, org, c, [[D, '2026-03-15T12:00:00Z']], { ownerId: manager.id });
    // D: reaches R on April 1st 00:00 UTC — outside March.
    await dealWithHistory(t, org, d, [[R, '2026-04-01T00:00:00Z']], { ownerId: rep.id });
    // E: open at E since February, scored — the best candidate to reach C next; and one deal on the edge of the month.
    await dealWithHistory(t, org, e, [[R, '2026-02-02T09:00:00Z'], [E, '2026-02-20T09:00:00Z']], { ownerId: rep.id, winProbability: 0.7 });

    const goal = await t.as(manager, { method: 'POST', url: '/api/v1/goals', payload: base });
    expect(goal.statusCode).toBe(201);
    const res = await t.as(rep, { method: 'GET', url: `/api/v1/goals/${goal.json().id}/progress` });
    expect(res.statusCode).toBe(200);
    const p = res.json();
    const by = Object.fromEntries(p.stages.map((s: { stage: string }) => [s.stage, s]));
    expect(by[R].actual).toBe(2); // A, C
    expect(by[E].actual).toBe(2); // A, C
    expect(by[C].actual).toBe(2); // B, C (skipped)
    expect(by[R].accounts.map((x: { accountId: string }) => x.accountId).sort()).toEqual([a, c].sort());
    expect(by[C].accounts.find((x: { accountId: string }) => x.accountId === c).skipped).toBe(true);
    expect(by[C].accounts.find((x: { accountId: string }) => x.accountId === b).skipped).toBe(false);
    // the period is over: pace says achieved or missed
    expect(by[R].status).toBe('missed');
    expect(by[C].status).toBe('achieved');
    // closest to resolution of concerns: open deals at evaluation whose account has not counted for it — A's first deal and E (scored first)
    expect(by[C].closest.map((x: { accountId: string }) => x.accountId)).toEqual([e, a]);

    // a personal goal counts only that owner's deals
    const mine = await t.as(manager, { method: 'POST', url: '/api/v1/goals', payload: { ...base, scope: 'user', userId: manager.id } });
    const pm = (await t.as(manager, { method: 'GET', url: `/api/v1/goals/${mine.json().id}/progress` })).json();
    expect(pm.stages.map((s: { actual: number }) => s.actual)).toEqual([1, 1, 1]);
    // a team goal: North = rep + manager + rep2
    const north = await t.as(manager, { method: 'POST', url: '/api/v1/goals', payload: { ...base, scope: 'team', team: 'South' } });
    const pn = (await t.as(manager, { method: 'GET', url: `/api/v1/goals/${north.json().id}/progress` })).json();
    expect(pn.stages.map((s: { actual: number }) => s.actual)).toEqual([0, 0, 0]);
    // a segment goal counts only the segment's accounts (C is the manager's customer)
    await t.database.query(`update accounts set kind = 'customer' where org_id = $1 and id = $2`, [org, c]);
    const seg = await t.as(manager, { method: 'POST', url: '/api/v1/segments', payload: { name: 'Customers', entity: 'account', definition: { filters: { kind: 'customer' } } } });
    expect(seg.statusCode).toBe(201);
    const sg = await t.as(manager, { method: 'POST', url: '/api/v1/goals', payload: { ...base, segmentId: seg.json().id } });
    expect(sg.statusCode).toBe(201);
    const ps = (await t.as(manager, { method: 'GET', url: `/api/v1/goals/${sg.json().id}/progress` })).json();
    expect(ps.stages.map((s: { actual: number }) => s.actual)).toEqual([1, 1, 1]);
    const foreignSeg = await t.as(manager, { method: 'POST', url: '/api/v1/goals', payload: { ...base, periodStart: '2027-01-01', segmentId: uuidv7() } });
    expect(foreignSeg.json().error.fields[0].path).toBe('segmentId');
    // another organization sees nothing
    const foreign = await t.as(t.other.users.manager, { method: 'GET', url: `/api/v1/goals/${goal.json().id}/progress` });
    expect(foreign.statusCode).toBe(404);
  });
});

describeEachDb('stage goals on the live write path', (mode) => {
  const t = useTestApp(mode);

  it('counts a deal moved forward, back and forward again through the opportunities API once, this month', async () => {
    const { manager, rep2 } = t.org.users;
    const acc = (await t.as(rep2, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Live Co' } })).json();
    const created = await t.as(rep2, { method: 'POST', url: '/api/v1/opportunities', payload: { name: 'Live deal', accountId: acc.id, buyingStage: 'recognition_of_needs' } });
    expect(created.statusCode).toBe(201);
    let opp = created.json();
    for (const stage of ['evaluation_of_options', 'recognition_of_needs', 'evaluation_of_options', 'resolution_of_concerns']) {
      const r = await t.as(rep2, { method: 'PATCH', url: `/api/v1/opportunities/${opp.id}`, headers: { 'if-match': `"${opp.version}"` }, payload: { buyingStage: stage } });
      expect(r.statusCode).toBe(200);
      opp = r.json();
    }
    const bad = await t.as(rep2, { method: 'PATCH', url: `/api/v1/opportunities/${opp.id}`, headers: { 'if-match': `"${opp.version}"` }, payload: { buyingStage: 'astronaut' } });
    expect(bad.statusCode).toBe(400);
    const start = new Date().toISOString().slice(0, 8) + '01';
    const goal = await t.as(manager, { method: 'POST', url: '/api/v1/goals', payload: { periodKind: 'month', periodStart: start, scope: 'user', userId: rep2.id, targets: { recognition_of_needs: 1, evaluation_of_options: 2, resolution_of_concerns: 1, decision: 1 } } });
    expect(goal.statusCode).toBe(201);
    const p = (await t.as(rep2, { method: 'GET', url: `/api/v1/goals/${goal.json().id}/progress` })).json();
    expect(p.stages.map((s: { stage: string; actual: number }) => [s.stage, s.actual])).toEqual([
      ['recognition_of_needs', 1], ['evaluation_of_options', 1], ['resolution_of_concerns', 1], ['decision', 0],
    ]);
    expect(p.stages[0].status).toBe('achieved');
    expect(p.stages[3].closest.map((d: { opportunityId: string }) => d.opportunityId)).toEqual([opp.id]);
  });
});

describeEachDb('stage exit criteria', (mode) => {
  const t = useTestApp(mode);

  it('admins edit the checklist; deals tick it; skipping a stage unticked is flagged and reported', async () => {
    const { admin, manager, rep, otherTeamRep, viewer } = t.org.users;
    const mk = (user: typeof admin, stage: string, en: string, position = 0) =>
      t.as(user, { method: 'POST', url: '/api/v1/stage-criteria', payload: { stage, label: { en }, position } });
    expect((await mk(manager, 'recognition_of_needs', 'x')).statusCode).toBe(403);
    expect((await mk(admin, 'astronaut', 'x')).json().error.fields[0].path).toBe('stage');
    const c1 = (await mk(admin, 'recognition_of_needs', 'Needs confirmed in writing', 0)).json();
    const c2 = (await mk(admin, 'recognition_of_needs', 'Budget owner named', 1)).json();
    const c3 = (await mk(admin, 'evaluation_of_options', 'Shortlist known', 0)).json();
    const acc = (await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Checklist Co' } })).json().id;
    const opp = await dealWithHistory(t, t.org.id, acc, [['recognition_of_needs', '2026-05-01T10:00:00Z']], { ownerId: rep.id });
    const tick = await t.as(rep, { method: 'POST', url: `/api/v1/opportunities/${opp}/criteria/${c1.id}` });
    expect(tick.statusCode).toBe(200);
    expect(tick.json().criteria.map((x: { checked: boolean }) => x.checked)).toEqual([true, false, false]);
    expect((await t.as(otherTeamRep, { method: 'POST', url: `/api/v1/opportunities/${opp}/criteria/${c2.id}` })).statusCode).toBe(403);
    expect((await t.as(viewer, { method: 'POST', url: `/api/v1/opportunities/${opp}/criteria/${c2.id}` })).statusCode).toBe(403);
    // twice is harmless
    expect((await t.as(rep, { method: 'POST', url: `/api/v1/opportunities/${opp}/criteria/${c1.id}` })).statusCode).toBe(200);
    // the deal jumps to resolution of concerns: c2 and c3 were skipped
    await t.database.query(`insert into opportunity_stage_history (org_id, opportunity_id, from_stage, to_stage, changed_at) values ($1,$2,'recognition_of_needs','resolution_of_concerns',now())`, [t.org.id, opp]);
    await t.database.query(`update opportunities set buying_stage = 'resolution_of_concerns' where org_id = $1 and id = $2`, [t.org.id, opp]);
    const state = (await t.as(viewer, { method: 'GET', url: `/api/v1/opportunities/${opp}/criteria` })).json();
    expect(state.skippedCount).toBe(2);
    expect(state.criteria.filter((x: { skipped: boolean }) => x.skipped).map((x: { id: string }) => x.id)).toEqual([c2.id, c3.id]);
    // ticking after the fact is recorded but still reported as skipped
    await t.as(manager, { method: 'POST', url: `/api/v1/opportunities/${opp}/criteria/${c3.id}` });
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const report = (await t.as(manager, { method: 'GET', url: `/api/v1/stage-criteria/skipped?from=${today}&to=${today}` })).json();
    const mine = report.data.find((d: { opportunityId: string }) => d.opportunityId === opp);
    expect(mine.skipped.map((s: { criterionId: string }) => s.criterionId)).toEqual([c2.id, c3.id]);
    const none = (await t.as(manager, { method: 'GET', url: `/api/v1/stage-criteria/skipped?from=${tomorrow}` })).json();
    expect(none.data.find((d: { opportunityId: string }) => d.opportunityId === opp)).toBeUndefined();
    const untick = await t.as(rep, { method: 'DELETE', url: `/api/v1/opportunities/${opp}/criteria/${c1.id}` });
    expect(untick.json().criteria[0]).toMatchObject({ checked: false, skipped: true });
    expect((await t.as(rep, { method: 'GET', url: `/api/v1/opportunities/${acc}/criteria` })).statusCode).toBe(404);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/opportunities/${opp}/criteria` })).statusCode).toBe(404);
  });
});
