import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { complaintDeadlines, DEFAULT_SERVICE_SETTINGS } from './rules.ts';

const H = 3_600_000;
const ALWAYS_OPEN = { ...DEFAULT_SERVICE_SETTINGS, week: Array.from({ length: 7 }, () => [0, 1440] as [number, number]), holidays: [] as string[] };
const ZIP = '/work/shared/testdata/sentiment/online_shopping_9_cats.zip';

/** A few hundred real reviews (label 1/0) from the test corpus, read at run time; a built-in handful when it is absent. */
function sampleReviews(n: number): { text: string; positive: boolean }[] {
  if (!existsSync(ZIP)) {
    const base = [['质量很好，发货快', true], ['做工精细，很满意', true], ['非常好用，推荐', true], ['太差了，退货', false], ['质量不好，很失望', false], ['坏了，客服不理人', false]] as const;
    return Array.from({ length: n }, (_, i) => ({ text: `${base[i % base.length]![0]}（${i}）`, positive: base[i % base.length]![1] }));
  }
  const lines = execFileSync('unzip', ['-p', ZIP], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8').split('\n');
  const pick = lines.filter((l) => /^(水果|洗发水),[01],[^",\n]{6,80}$/.test(l.trim()));
  const out: { text: string; positive: boolean }[] = [];
  // The file is sorted by category and label: take every k-th line, then interleave deterministically.
  for (let i = 0; out.length < n && i < pick.length; i += Math.max(1, Math.floor(pick.length / n))) {
    const [, label, text] = pick[i]!.trim().split(',');
    out.push({ text: text!, positive: label === '1' });
  }
  return out.map((r, i) => ({ r, k: (i * 7919) % out.length })).sort((a, b) => a.k - b.k).map((x) => x.r);
}

describeEachDb('voice of the customer API', (mode) => {
  const t = useTestApp(mode);
  let accountId: string;
  let contactId: string;

  beforeAll(async () => {
    const { admin, rep } = t.org.users;
    // A calendar open around the clock, so the deadlines of this file do not depend on the day it runs.
    const cur = (await t.as(admin, { method: 'GET', url: '/api/v1/settings/service' })).json();
    const put = await t.as(admin, { method: 'PUT', url: '/api/v1/settings/service', payload: { ...ALWAYS_OPEN, version: cur.version } });
    expect(put.statusCode).toBe(200);
    accountId = (await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: '华南照明工程有限公司' } })).json().id;
    contactId = (await t.as(rep, { method: 'POST', url: '/api/v1/contacts', payload: { fullName: '李伟', accountId, email: 'li.wei@hn-light.cn' } })).json().id;
  });

  it('done when: a trade-association complaint in zh-CN gets its deadline, a warning, is resolved on time and closed; the manager sees the SLA figures', async () => {
    const { rep, manager } = t.org.users;
    const occurredAt = new Date(Date.now() - 36 * H).toISOString();
    const created = await t.as(rep, {
      method: 'POST',
      url: '/api/v1/feedback',
      payload: { accountId, contactId, channel: 'trade_association', kind: 'complaint', language: 'zh-CN', visibility: 'public', occurredAt, text: '贵司上批LED驱动电源故障率高，行业协会会员群里已有多家反映，请尽快处理。' },
    });
    expect(created.statusCode).toBe(201);
    const c = created.json();
    // Medium until assessed: 90 business hours × 0.5 for a trade association = 45 h; warned after 75 %.
    const d = complaintDeadlines(new Date(occurredAt), null, 0.5, 0, ALWAYS_OPEN);
    expect(c).toMatchObject({ status: 'received', ownerId: rep.id, sentiment: 'negative', receivedAt: occurredAt, dueAt: d.dueAt.toISOString(), warnAt: d.warnAt.toISOString() });
    expect(Date.parse(c.dueAt) - Date.parse(occurredAt)).toBe(45 * H);

    // 36 h in: past the warning point, before the deadline. Reading the board runs the sweep.
    const b = (await t.as(rep, { method: 'GET', url: '/api/v1/complaints/board' })).json();
    const card = b.columns.find((col: { status: string }) => col.status === 'received').items.find((i: { id: string }) => i.id === c.id);
    expect(card).toMatchObject({ warned: true, overdue: false, accountName: '华南照明工程有限公司' });
    const alerts = await t.database.query(`select kind, severity, user_id from alerts where org_id = $1 and data->>'feedbackId' = $2 order by kind`, [t.org.id, c.id]);
    // Nobody acknowledged it within its first-response time (4 h here) either.
    expect(alerts.rows).toEqual([
      { kind: 'complaint_first_response', severity: 'warning', user_id: rep.id },
      { kind: 'complaint_sla_warning', severity: 'warning', user_id: rep.id },
    ]);
    // Once only.
    await t.as(rep, { method: 'GET', url: '/api/v1/complaints/board' });
    expect((await t.database.query(`select 1 from alerts where org_id = $1 and data->>'feedbackId' = $2`, [t.org.id, c.id])).rows).toHaveLength(2);

    let v = c.version;
    const step = async (to: string, extra: Record<string, unknown> = {}) => {
      const r = await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${c.id}/transition`, payload: { to, version: v, ...extra } });
      expect(r.statusCode, r.body).toBe(200);
      v = r.json().version;
      return r.json();
    };
    await step('acknowledged', { note: '已电话联系李工' });
    const assessed = await step('assessed', { severity: 'medium', impact: '三个项目的驱动电源需更换' });
    expect(assessed.dueAt).toBe(d.dueAt.toISOString());
    await step('investigating');
    await step('responded', { note: '提供更换方案' });
    const resolved = await step('resolved');
    expect(resolved.outcome).toBe('resolved');
    expect(Date.parse(resolved.resolvedAt)).toBeLessThanOrEqual(Date.parse(resolved.dueAt));
    const closed = await step('closed', { reason: '客户确认更换完成' });
    expect(closed).toMatchObject({ status: 'closed', closeReason: '客户确认更换完成' });

    const steps = (await t.as(rep, { method: 'GET', url: `/api/v1/feedback/${c.id}/transitions` })).json().data;
    expect(steps.map((s: { toStatus: string }) => s.toStatus)).toEqual(['received', 'acknowledged', 'assessed', 'investigating', 'responded', 'resolved', 'closed']);
    const audited = await t.database.query(`select count(*)::int as n from audit_log where org_id = $1 and entity = 'feedback' and entity_id = $2 and action = 'transition'`, [t.org.id, c.id]);
    expect((audited.rows[0] as { n: number }).n).toBe(6);

    // Never deleted, and a closed complaint takes no more steps.
    const del = await t.as(manager, { method: 'DELETE', url: `/api/v1/feedback/${c.id}` });
    expect(del.statusCode).toBe(400);
    expect(del.json().error.message).toMatch(/never deleted/);
    expect((await t.database.query(`select deleted_at from feedback where org_id = $1 and id = $2`, [t.org.id, c.id])).rows).toEqual([{ deleted_at: null }]);
    expect((await t.as(rep, { method: 'GET', url: `/api/v1/feedback/${c.id}` })).statusCode).toBe(200);
    const again = await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${c.id}/transition`, payload: { to: 'investigating', version: v } });
    expect(again.statusCode).toBe(400);

    const sla = await t.as(manager, { method: 'GET', url: '/api/v1/complaints/sla?months=2' });
    expect(sla.statusCode).toBe(200);
    const month = new Date(Date.parse(occurredAt) + 480 * 60_000).toISOString().slice(0, 7);
    const m = sla.json().months.find((x: { month: string }) => x.month === month);
    expect(m).toMatchObject({ resolved: 1, onTime: 1, onTimePct: 100, breached: 0 });
    expect(m.medianFirstResponseHours).toBeGreaterThan(35.9);
    expect(m.medianResolutionHours).toBeGreaterThanOrEqual(m.medianFirstResponseHours);
    expect((await t.as(rep, { method: 'GET', url: '/api/v1/complaints/sla' })).statusCode).toBe(403);

    // On the account's and the contact's timeline.
    for (const q of [`accountId=${accountId}`, `contactId=${contactId}`]) {
      const tl = (await t.as(rep, { method: 'GET', url: `/api/v1/timeline?${q}` })).json().data;
      expect(tl.find((i: { id: string }) => i.id === c.id)).toMatchObject({ type: 'feedback', data: { kind: 'complaint', channel: 'trade_association', status: 'closed' } });
    }
  });

  it('a breach alerts and escalates to a manager; waiting for the customer stops the clock', async () => {
    const { rep, manager } = t.org.users;
    // News media: a quarter of the time. High: 45 h × 0.25 = 11 h 15 min — 30 h ago is long past.
    const late = (await t.as(rep, { method: 'POST', url: '/api/v1/feedback', payload: { accountId, channel: 'news_media', kind: 'public_attack', severity: 'high', occurredAt: new Date(Date.now() - 30 * H).toISOString(), text: 'Local paper: installer says the drivers burn out within months.' } })).json();
    expect(Date.parse(late.dueAt) - Date.parse(late.receivedAt)).toBe(11.25 * H);
    const waiting = (await t.as(rep, { method: 'POST', url: '/api/v1/feedback', payload: { accountId, channel: 'email', kind: 'complaint', severity: 'critical', occurredAt: new Date(Date.now() - 1 * H).toISOString(), text: 'Shipment arrived damaged, please advise.' } })).json();
    const paused = await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${waiting.id}/waiting`, payload: { waiting: true, version: waiting.version, note: 'asked for photos' } });
    expect(paused.json().pausedAt).not.toBeNull();
    // Its deadline (critical: 18 h) is far, but its warning point (13.5 h) too; move both into the past to prove the pause.
    await t.database.query(`update feedback set due_at = now() - interval '1 hour', warn_at = now() - interval '2 hours' where org_id = $1 and id = $2`, [t.org.id, waiting.id]);

    const board = (await t.as(manager, { method: 'GET', url: '/api/v1/complaints/board?open=true' })).json();
    const received = board.columns.find((c: { status: string }) => c.status === 'received');
    expect(received.items[0].id).toBe(late.id); // overdue first
    expect(received.overdue).toBeGreaterThanOrEqual(1);
    const got = (await t.as(rep, { method: 'GET', url: `/api/v1/feedback/${late.id}` })).json();
    expect(got).toMatchObject({ escalatedTo: manager.id });
    expect(got.breachedAt).not.toBeNull();
    const a = await t.database.query(`select kind, severity, user_id from alerts where org_id = $1 and data->>'feedbackId' = $2 order by kind`, [t.org.id, late.id]);
    expect(a.rows).toEqual([
      { kind: 'complaint_first_response', severity: 'warning', user_id: t.org.users.rep.id },
      { kind: 'complaint_sla_breach', severity: 'critical', user_id: manager.id },
    ]);
    const quiet = await t.database.query(`select warned_at, breached_at from feedback where org_id = $1 and id = $2`, [t.org.id, waiting.id]);
    expect(quiet.rows[0]).toEqual({ warned_at: null, breached_at: null });

    // The customer answers: the clock runs again, deadlines recomputed from the calendar.
    const resumed = await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${waiting.id}/waiting`, payload: { waiting: false, version: paused.json().version } });
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json().pausedAt).toBeNull();
    expect(Date.parse(resumed.json().dueAt)).toBeGreaterThan(Date.now());
  });

  it('refuses impossible steps and bad input with field errors', async () => {
    const { rep } = t.org.users;
    const c = (await t.as(rep, { method: 'POST', url: '/api/v1/feedback', payload: { personName: '王先生', personContact: '138 0000 0000', channel: 'phone', kind: 'complaint', text: '安装师傅没有按约定时间上门' } })).json();
    const tr = (payload: Record<string, unknown>) => t.as(rep, { method: 'POST', url: `/api/v1/feedback/${c.id}/transition`, payload: { version: c.version, ...payload } });
    expect((await tr({ to: 'resolved' })).json().error.fields[0].path).toBe('to');
    expect((await tr({ to: 'closed' })).json().error.fields[0].path).toBe('reason');
    expect((await tr({ to: 'bogus' })).statusCode).toBe(400);
    expect((await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${c.id}/transition`, payload: { to: 'acknowledged' } })).statusCode).toBe(428);
    const ack = (await tr({ to: 'acknowledged' })).json();
    const noSev = await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${c.id}/transition`, payload: { to: 'assessed', version: ack.version } });
    expect(noSev.json().error.fields[0].path).toBe('severity');
    // A complaint stays a complaint.
    const toPraise = await t.as(rep, { method: 'PATCH', url: `/api/v1/feedback/${c.id}`, payload: { kind: 'praise', version: ack.version } });
    expect(toPraise.json().error.fields.map((f: { path: string }) => f.path)).toContain('kind');

    const bad = await t.as(rep, { method: 'POST', url: '/api/v1/feedback', payload: { channel: 'carrier_pigeon', kind: 'rant', text: '', rating: 7, ratingScale: 5, sourceUrl: 'not a url', language: '中文' } });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().error.fields.map((f: { path: string }) => f.path);
    for (const p of ['kind', 'text', 'sourceUrl', 'language']) expect(paths).toContain(p);
    const who = await t.as(rep, { method: 'POST', url: '/api/v1/feedback', payload: { channel: 'carrier_pigeon', kind: 'praise', text: 'nice', rating: 7, ratingScale: 5 } });
    expect(who.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['channel', 'personName', 'rating']);
    const settings = await t.as(t.org.users.admin, { method: 'PUT', url: '/api/v1/settings/service', payload: { ...ALWAYS_OPEN, week: Array(7).fill(null), version: 1 } });
    expect(settings.statusCode).toBe(400);
  });

  it('permissions: viewers read only, other teams cannot handle a rep’s complaint, other tenants see nothing', async () => {
    const { rep, viewer, otherTeamRep, admin } = t.org.users;
    const c = (await t.as(rep, { method: 'POST', url: '/api/v1/feedback', payload: { accountId, channel: 'online_forum', kind: 'complaint', text: '论坛上有人说灯具色温不一致' } })).json();
    expect((await t.as(viewer, { method: 'POST', url: '/api/v1/feedback', payload: { accountId, channel: 'email', kind: 'praise', text: 'ok' } })).statusCode).toBe(403);
    expect((await t.as(viewer, { method: 'GET', url: `/api/v1/feedback/${c.id}` })).statusCode).toBe(200);
    expect((await t.as(otherTeamRep, { method: 'POST', url: `/api/v1/feedback/${c.id}/transition`, payload: { to: 'acknowledged', version: c.version } })).statusCode).toBe(403);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/feedback/${c.id}` })).statusCode).toBe(404);
    expect((await t.as(t.other.users.admin, { method: 'POST', url: `/api/v1/feedback/${c.id}/transition`, payload: { to: 'acknowledged', version: c.version } })).statusCode).toBe(404);
    const otherBoard = (await t.as(t.other.users.admin, { method: 'GET', url: '/api/v1/complaints/board' })).json();
    expect(otherBoard.columns.every((col: { count: number }) => col.count === 0)).toBe(true);
    expect((await t.as(rep, { method: 'PUT', url: '/api/v1/settings/service', payload: { ...ALWAYS_OPEN, version: 1 } })).statusCode).toBe(403);
    expect((await t.as(admin, { method: 'POST', url: '/api/v1/feedback', payload: { accountId: t.other.id, channel: 'email', kind: 'praise', text: 'x' } })).statusCode).toBe(400);
  });

  it('a question is answered with at least two ranked suggestions; the timeline shows them in order', async () => {
    const { rep } = t.org.users;
    const q = (await t.as(rep, { method: 'POST', url: '/api/v1/feedback', payload: { contactId, channel: 'brand_community', kind: 'question', journeyStep: 'solution_design', text: '仓库改造用什么灯具更节能？' } })).json();
    expect(q.accountId).toBe(accountId); // from the contact
    const one = await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${q.id}/answer`, payload: { suggestions: ['换LED高天棚灯'], version: q.version } });
    expect(one.statusCode).toBe(400);
    const same = await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${q.id}/answer`, payload: { suggestions: ['换LED', '换led'], version: q.version } });
    expect(same.statusCode).toBe(400);
    const ok = await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${q.id}/answer`, payload: { suggestions: ['换LED高天棚灯并加装感应控制', '分区照明，按货架通道布灯', '保留现有灯具，只换高效光源'], journeyStep: 'product_selection', version: q.version } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ journeyStep: 'product_selection', ownerId: rep.id, suggestions: [{ rank: 1, text: '换LED高天棚灯并加装感应控制' }, { rank: 2 }, { rank: 3, text: '保留现有灯具，只换高效光源' }] });
    const tl = (await t.as(rep, { method: 'GET', url: `/api/v1/timeline?contactId=${contactId}` })).json().data;
    expect(tl.find((i: { id: string }) => i.id === q.id).data.suggestions.map((s: { rank: number }) => s.rank)).toEqual([1, 2, 3]);
    const praise = (await t.as(rep, { method: 'POST', url: '/api/v1/feedback', payload: { accountId, channel: 'email', kind: 'praise', text: 'Great support, fast delivery' } })).json();
    expect((await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${praise.id}/answer`, payload: { suggestions: ['a', 'b'], version: praise.version } })).statusCode).toBe(400);
  });

  it('imported reviews get a sentiment; the model learns from ratings and corrections and shows held-out accuracy', async () => {
    const { admin, rep } = t.org.users;
    const reviews = sampleReviews(320);
    expect(reviews.length).toBeGreaterThan(200);
    // 240 rated reviews (5 or 1 stars, as the shop gave them) teach the model; 80 come without a rating.
    const rows = reviews.map((r, i) => [`"${r.text.replace(/"/g, '""')}"`, i < 240 ? (r.positive ? '5' : '1') : '', '评价网站', `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00+08:00`, `买家${i}`]);
    const csv = ['评价内容,评分,渠道,评价时间,昵称', ...rows.map((r) => r.join(',')), '"",5,评价网站,2026-11-02T10:00:00+08:00,空评价', '"很好",120,评价网站,2026-11-02T10:00:00+08:00,超出'].join('\n');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports?entity=feedback&wait=true', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv', 'x-filename': 'reviews.csv' }, payload: csv });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ inserted: reviews.length, errors: 2 });
    expect(res.json().errorRows.map((e: { field: string }) => e.field).sort()).toEqual(['rating', 'text']);

    const unscored = await t.database.query(`select count(*)::int as n from feedback where org_id = $1 and sentiment is null`, [t.org.id]);
    expect((unscored.rows[0] as { n: number }).n).toBe(0);
    const bySource = await t.database.query(`select sentiment_source as s, count(*)::int as n from feedback where org_id = $1 and channel = 'review_site' group by 1 order by 1`, [t.org.id]);
    expect(bySource.rows).toEqual([{ s: 'model', n: reviews.length - 240 }, { s: 'rating', n: 240 }]);
    const list = (await t.as(rep, { method: 'GET', url: '/api/v1/feedback?channel=review_site&sentimentSource=model&limit=200' })).json().data;
    const truth = new Map(reviews.map((r) => [r.text, r.positive ? 'positive' : 'negative']));
    const decided = list.filter((f: { sentiment: string }) => f.sentiment !== 'neutral');
    const right = decided.filter((f: { text: string; sentiment: string }) => truth.get(f.text) === f.sentiment).length;
    expect(right / decided.length).toBeGreaterThan(0.7);

    const model = (await t.as(rep, { method: 'GET', url: '/api/v1/sentiment/model' })).json();
    expect(model).toMatchObject({ mode: 'naive_bayes' });
    expect(model.labelled).toBeGreaterThanOrEqual(240);
    expect(model.testSize).toBeGreaterThan(20);
    expect(model.accuracy).toBeGreaterThan(model.baseline);
    console.log(`[sentiment] ${mode}: org model held-out accuracy ${model.accuracy.toFixed(3)} vs baseline ${model.baseline.toFixed(3)} (n=${model.testSize})`);

    // A person corrects a label: it sticks, the model counts it.
    const target = list[0];
    const flip = target.sentiment === 'positive' ? 'negative' : 'positive';
    const labelled = await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${target.id}/label`, payload: { label: flip, version: target.version } });
    expect(labelled.json()).toMatchObject({ sentiment: flip, sentimentSource: 'user', sentimentLabel: flip, labelledBy: rep.id });
    const after = (await t.as(rep, { method: 'GET', url: '/api/v1/sentiment/model' })).json();
    expect(after.labelled).toBe(model.labelled + 1);
  });
});
