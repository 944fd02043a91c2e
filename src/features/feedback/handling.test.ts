/**
 * Problems resolved (DOMAIN §8 integrity) from complaint handling, through HTTP on both databases: an
 * account's complaints resolved on time, late, rejected, open overdue, old ones outside the window; the
 * SQL counts against rules.ts classifyComplaint on the same rows; the engagement page's grid; the alert
 * when a key account's complaint goes overdue; tenant isolation.
 */
import { beforeAll, expect, it } from 'vitest';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { slaSweep } from './commands.ts';
import { board } from './queries.ts';
import { classifyComplaint, countsForHandling, emptyHandlingCounts, type HandlingCounts } from './rules.ts';

const H = 3_600_000;

describeEachDb('problems resolved: complaint handling beside the engagement level', (mode) => {
  const t = useTestApp(mode);
  let key: string;
  let plain: string;
  let calm: string;
  const ids: Record<string, string> = {};
  const q = async (s: string, p: unknown[] = []) => (await t.database.query(s, p)).rows as Record<string, unknown>[];
  const ago = (hours: number) => new Date(Date.now() - hours * H).toISOString();

  const complaint = async (accountId: string, text: string, extra: Record<string, unknown> = {}) => {
    const r = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/feedback', payload: { accountId, channel: 'trade_association', kind: 'complaint', text, ...extra } });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string; version: number; dueAt: string };
  };

  beforeAll(async () => {
    const { rep } = t.org.users;
    const account = async (name: string) => (await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name } })).json().id as string;
    key = await account('深圳光明照明工程有限公司');
    plain = await account('Harbor Lighting Ltd');
    calm = await account('Quiet Customer GmbH');
    await q(`update accounts set portfolio_type = 'key' where org_id = $1 and id = $2`, [t.org.id, key]);
    // The survey placed the key account engaged (integrity agreed): the complaints will say otherwise.
    await q(`insert into account_engagement (org_id, account_id, level, score, respondents) values ($1, $2, 'engaged', 2.1, 3), ($1, $3, 'fully_engaged', 2.8, 2)`, [t.org.id, key, calm]);

    // Resolved on time through the whole workflow.
    const c = await complaint(key, '灯具频闪，要求更换');
    let v = c.version;
    for (const [to, extra] of [['acknowledged', {}], ['assessed', { severity: 'medium', impact: '两个项目返工' }], ['investigating', {}], ['responded', {}], ['resolved', {}]] as const) {
      const r = await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${c.id}/transition`, payload: { to, version: v, ...extra } });
      expect(r.statusCode, r.body).toBe(200);
      v = r.json().version;
    }
    ids.onTime = c.id;
    // Resolved after its deadline, rejected, overdue and open, and a late one received 13 months ago (outside the window).
    ids.late = (await complaint(key, 'Delivery two weeks late')).id;
    await q(`update feedback set status = 'closed', outcome = 'resolved', due_at = $3, resolved_at = $4, closed_at = $4 where org_id = $1 and id = $2`, [t.org.id, ids.late, ago(48), ago(24)]);
    ids.rejected = (await complaint(key, '说明书太薄')).id;
    await q(`update feedback set status = 'rejected', outcome = 'rejected', resolved_at = now(), close_reason = 'not a defect' where org_id = $1 and id = $2`, [t.org.id, ids.rejected]);
    ids.overdue = (await complaint(key, 'Drivers failing on site, nobody called back')).id;
    await q(`update feedback set due_at = $3, warn_at = $4 where org_id = $1 and id = $2`, [t.org.id, ids.overdue, ago(2), ago(5)]);
    ids.old = (await complaint(key, 'Old late complaint')).id;
    await q(`update feedback set status = 'closed', outcome = 'resolved', received_at = $3, occurred_at = $3, due_at = $4, resolved_at = $5 where org_id = $1 and id = $2`, [t.org.id, ids.old, ago(24 * 400), ago(24 * 399), ago(24 * 390)]);
    // The other account: one open within its deadline, one past it but waiting for the customer, one closed without a resolution.
    ids.open = (await complaint(plain, 'Quote still missing')).id;
    ids.waiting = (await complaint(plain, 'Need replacement parts')).id;
    await q(`update feedback set due_at = $3, paused_at = $4 where org_id = $1 and id = $2`, [t.org.id, ids.waiting, ago(1), ago(3)]);
    ids.dropped = (await complaint(plain, 'Customer went silent')).id;
    await q(`update feedback set status = 'closed', close_reason = 'no answer' where org_id = $1 and id = $2`, [t.org.id, ids.dropped]);
  });

  it("an account's complaints by how they were handled, its level beside the survey's, labelled as derived", async () => {
    const res = await t.as(t.org.users.viewer, { method: 'GET', url: `/api/v1/accounts/${key}/complaint-handling` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      derived: true, windowDays: 365, level: 'at_risk', surveyLevel: 'engaged', conflictsWithSurvey: true, keyAccount: true,
      counts: { on_time: 1, late: 1, rejected: 1, closed_unresolved: 0, open: 0, open_overdue: 1 }, settled: 2, onTimeShare: 0.5,
    });
    const other = (await t.as(t.org.users.rep, { method: 'GET', url: `/api/v1/accounts/${plain}/complaint-handling` })).json();
    expect(other).toMatchObject({ level: 'mixed', keyAccount: false, surveyLevel: null, conflictsWithSurvey: false, counts: { open: 2, open_overdue: 0, closed_unresolved: 1 }, settled: 1, onTimeShare: 0 });
    const none = (await t.as(t.org.users.rep, { method: 'GET', url: `/api/v1/accounts/${calm}/complaint-handling` })).json();
    expect(none).toMatchObject({ level: 'none', surveyLevel: 'fully_engaged', settled: 0, onTimeShare: null, counts: emptyHandlingCounts() });
  });

  it('the SQL counts are the pure rule applied to every complaint', async () => {
    const now = new Date();
    const all = await q(`select account_id, status, outcome, due_at, resolved_at, paused_at, coalesce(received_at, occurred_at) as received_at from feedback
      where org_id = $1 and status is not null and account_id is not null`, [t.org.id]);
    const expected = new Map<string, HandlingCounts>();
    for (const c of all) {
      const facts = { status: c.status as string, outcome: c.outcome as string | null, dueAt: c.due_at as string | null, resolvedAt: c.resolved_at as string | null, pausedAt: c.paused_at as string | null, receivedAt: c.received_at as string };
      if (!countsForHandling(facts, now)) continue;
      const m = expected.get(c.account_id as string) ?? emptyHandlingCounts();
      m[classifyComplaint(facts, now)]++;
      expected.set(c.account_id as string, m);
    }
    for (const id of [key, plain]) {
      expect((await t.as(t.org.users.rep, { method: 'GET', url: `/api/v1/accounts/${id}/complaint-handling` })).json().counts).toEqual(expected.get(id));
    }
  });

  it('the engagement page: accounts per survey level × handling, where they disagree, key accounts with overdue complaints', async () => {
    const res = await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/complaints/handling' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.derived).toBe(true);
    const row = (level: string | null) => body.rows.find((r: { surveyLevel: string | null }) => r.surveyLevel === level);
    expect(row('engaged')).toEqual({ surveyLevel: 'engaged', none: 0, in_progress: 0, good: 0, mixed: 0, at_risk: 1 });
    expect(row(null)).toMatchObject({ mixed: 1 });
    // An account without complaints counts nowhere: no complaints is no evidence either way.
    expect(row('fully_engaged')).toEqual({ surveyLevel: 'fully_engaged', none: 0, in_progress: 0, good: 0, mixed: 0, at_risk: 0 });
    expect(body.conflicts).toEqual([{ accountId: key, name: '深圳光明照明工程有限公司', surveyLevel: 'engaged', openOverdue: 1, onTimeShare: 0.5 }]);
    expect(body.keyAccountsOverdue).toEqual([{ accountId: key, name: '深圳光明照明工程有限公司', openOverdue: 1, surveyLevel: 'engaged' }]);
  });

  it("a key account's complaint going overdue alerts the account's owner, once; an ordinary account's does not", async () => {
    await slaSweep(t.database.db, t.org.id);
    await slaSweep(t.database.db, t.org.id);
    const keyed = await q(`select account_id, user_id, severity, data->>'feedbackId' as f from alerts where org_id = $1 and kind = 'key_account_complaint_overdue'`, [t.org.id]);
    expect(keyed).toEqual([{ account_id: key, user_id: t.org.users.rep.id, severity: 'critical', f: ids.overdue }]);
    expect((await q(`select count(*)::int as n from alerts where org_id = $1 and kind = 'complaint_sla_breach' and data->>'feedbackId' = $2`, [t.org.id, ids.overdue]))[0]!.n).toBe(1);
  });

  it('the complaint board (index-driven since migration 0022) gives what sorting every complaint gives: counts, overdue counts, cards in order', async () => {
    const actor = { orgId: t.org.id, userId: t.org.users.manager.id, role: 'manager', team: null, kind: 'user' } as const;
    const all = await q(`select id, status, due_at, paused_at from feedback where org_id = $1 and status is not null and deleted_at is null`, [t.org.id]);
    const open = ['received', 'acknowledged', 'assessed', 'investigating', 'responded'];
    const now = Date.now();
    const late = (r: Record<string, unknown>) => open.includes(r.status as string) && !r.paused_at && r.due_at !== null && new Date(r.due_at as string).getTime() < now;
    const due = (r: Record<string, unknown>) => (r.due_at === null ? Infinity : new Date(r.due_at as string).getTime());
    for (const limit of [1, 2, 50]) {
      const got = await board(t.database.db, actor as never, { limit });
      for (const col of got.columns) {
        const mine = all.filter((r) => r.status === col.status)
          .sort((a, b) => Number(late(b)) - Number(late(a)) || due(a) - due(b) || String(a.id).localeCompare(String(b.id)));
        expect(col.count, col.status).toBe(mine.length);
        expect(col.overdue, col.status).toBe(mine.filter(late).length);
        expect(col.items.map((i) => [i.id, i.overdue]), col.status).toEqual(mine.slice(0, limit).map((r) => [r.id, late(r)]));
      }
    }
  });

  it('another organization sees neither the account nor its complaints; a bad id is a 400', async () => {
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/accounts/${key}/complaint-handling` })).statusCode).toBe(404);
    const theirs = (await t.as(t.other.users.admin, { method: 'GET', url: '/api/v1/complaints/handling' })).json();
    expect(theirs.conflicts).toEqual([]);
    expect(theirs.keyAccountsOverdue).toEqual([]);
    expect(theirs.rows.every((r: Record<string, unknown>) => ['none', 'in_progress', 'good', 'mixed', 'at_risk'].every((k) => r[k] === 0))).toBe(true);
    expect((await t.as(t.org.users.rep, { method: 'GET', url: '/api/v1/accounts/not-a-uuid/complaint-handling' })).statusCode).toBe(400);
  });
});
