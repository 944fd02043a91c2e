/**
 * Voice of the customer, continued (issue #18): products on feedback and the figures per product and line,
 * word-of-mouth points (at most three, suggested, confirmed, charted), survey free text as feedback once,
 * the first-response alert in business hours on a fixed clock, and the catch-up that reads skip when nothing
 * can have changed. Through HTTP on both databases.
 */
import { beforeAll, expect, it } from 'vitest';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { DEFAULT_ITEMS } from '../surveys/items.ts';
import { catchUp, slaSweep } from './commands.ts';
import { complaintDeadlines, DEFAULT_SERVICE_SETTINGS } from './rules.ts';
import { surveyAnswersToFeedback } from './survey-feedback.ts';
import { bumpSweep, SAFETY_MS } from './sweep.ts';
import { POINT_FOCUS_MESSAGE } from './wom-rules.ts';

const H = 3_600_000;

describeEachDb('voice of the customer: products, word-of-mouth points, surveys, first response, catch-up', (mode) => {
  const t = useTestApp(mode);
  let accountId: string;
  let contactId: string;
  let lamp: string;
  let driver: string;
  let cable: string;
  const q = async (s: string, p: unknown[] = []) => (await t.database.query(s, p)).rows as Record<string, unknown>[];

  beforeAll(async () => {
    const { rep, manager } = t.org.users;
    accountId = (await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: '星辰照明' } })).json().id;
    contactId = (await t.as(rep, { method: 'POST', url: '/api/v1/contacts', payload: { fullName: '王芳', accountId, email: 'wang.fang@xc-light.cn' } })).json().id;
    const product = async (code: string, name: string, productLine: string) => {
      const r = await t.as(manager, { method: 'POST', url: '/api/v1/products', payload: { code, name, productLine } });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    lamp = await product('HB-200', 'High-bay 200W', 'standard');
    driver = await product('DRV-60', 'LED driver 60W', 'standard');
    cable = await product('CBL-5', 'Cable set', 'accessories');
  });

  const log = async (payload: Record<string, unknown>) => {
    const r = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/feedback', payload: { accountId, channel: 'review_site', visibility: 'public', ...payload } });
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  };

  it('feedback names its products; unknown or foreign products are refused; praise, complaints and sentiment per product and per line', async () => {
    const { rep, manager } = t.org.users;
    const bad = await t.as(rep, { method: 'POST', url: '/api/v1/feedback', payload: { accountId, channel: 'email', kind: 'praise', text: 'Good', productIds: ['00000000-0000-7000-8000-000000000001'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0]).toMatchObject({ path: 'productIds', code: 'not_found' });
    const foreign = (await t.as(t.other.users.manager, { method: 'POST', url: '/api/v1/products', payload: { code: 'X-1', name: 'Other org product' } })).json().id;
    const leak = await t.as(rep, { method: 'POST', url: '/api/v1/feedback', payload: { accountId, channel: 'email', kind: 'praise', text: 'Good', productIds: [foreign] } });
    expect(leak.statusCode).toBe(400);
    const notArray = await t.as(rep, { method: 'POST', url: '/api/v1/feedback', payload: { accountId, channel: 'email', kind: 'praise', text: 'Good', productIds: 'x' } });
    expect(notArray.statusCode).toBe(400);

    const a = await log({ kind: 'praise', text: '灯具做工精细，光线均匀，非常满意。', rating: 5, productIds: [lamp, driver] });
    expect(a.productIds).toEqual([lamp, driver].sort());
    expect(a.products.map((p: { code: string }) => p.code).sort()).toEqual(['DRV-60', 'HB-200']);
    await log({ kind: 'complaint', channel: 'email', visibility: 'private', text: 'Two drivers failed after a week, very disappointed.', productIds: [driver] });
    await log({ kind: 'praise', text: 'The cable set is great, easy to install.', rating: 5, productIds: [cable] });
    await log({ kind: 'suggestion', text: '希望提供更多色温选择。', productIds: [] });

    // Filter the list by product; edit the set (audited).
    const list = (await t.as(rep, { method: 'GET', url: `/api/v1/feedback?productIds=${driver}` })).json();
    expect(list.data).toHaveLength(2);
    const edited = await t.as(rep, { method: 'PATCH', url: `/api/v1/feedback/${a.id}`, payload: { productIds: [lamp], version: a.version } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().productIds).toEqual([lamp]);
    expect(await q(`select action, after from audit_log where org_id = $1 and entity_id = $2 and action = 'products' order by at`, [t.org.id, a.id])).toHaveLength(2);
    await t.as(rep, { method: 'PATCH', url: `/api/v1/feedback/${a.id}`, payload: { productIds: [lamp, driver], version: edited.json().version } });

    const byProduct = (await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/feedback/by-product' })).json();
    expect(byProduct.by).toBe('product');
    const row = (id: string) => byProduct.rows.find((r: { productId: string }) => r.productId === id);
    expect(row(driver)).toMatchObject({ code: 'DRV-60', total: 2, praise: 1, complaints: 1, positive: 1, negative: 1, net: 0 });
    expect(row(lamp)).toMatchObject({ total: 1, praise: 1, complaints: 0, positive: 1, net: 1 });
    expect(row(cable)).toMatchObject({ total: 1, praise: 1, productLine: 'accessories' });
    // Per line, a feedback naming two products of one line counts once.
    const byLine = (await t.as(rep, { method: 'GET', url: '/api/v1/feedback/by-product?by=line' })).json();
    const line = (k: string) => byLine.rows.find((r: { productLine: string }) => r.productLine === k);
    expect(line('standard')).toMatchObject({ total: 2, praise: 1, complaints: 1 });
    expect(line('accessories')).toMatchObject({ total: 1, praise: 1 });
    // Window and bad input.
    expect((await t.as(rep, { method: 'GET', url: `/api/v1/feedback/by-product?from=${new Date(Date.now() + H).toISOString()}` })).json().rows).toEqual([]);
    expect((await t.as(rep, { method: 'GET', url: '/api/v1/feedback/by-product?by=brand' })).statusCode).toBe(400);
    // The other organization sees none of it.
    expect((await t.as(t.other.users.admin, { method: 'GET', url: '/api/v1/feedback/by-product' })).json().rows).toEqual([]);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/products/${driver}/voice` })).statusCode).toBe(404);

    const voice = (await t.as(manager, { method: 'GET', url: `/api/v1/products/${driver}/voice?months=3` })).json();
    expect(voice.months).toHaveLength(3);
    expect(voice.totals).toMatchObject({ total: 2, praise: 1, complaints: 1 });
    expect(voice.months.at(-1)).toMatchObject({ total: 2, praise: 1, complaints: 1 });
  });

  it('word-of-mouth points: at most three per product with the reason, suggested from the text with praise vs criticism, confirmed by a person, charted with quotes', async () => {
    const { rep, manager } = t.org.users;
    const name = async (payload: Record<string, unknown>, who = manager) => t.as(who, { method: 'POST', url: '/api/v1/wom-points', payload });
    expect((await name({ productId: driver, name: 'Lifetime' }, rep)).statusCode).toBe(403);
    expect((await name({ name: 'Nothing' })).statusCode).toBe(400);
    expect((await name({ productId: driver, productLine: 'standard', name: 'Both' })).statusCode).toBe(400);
    const life = await name({ productId: driver, name: 'Driver lifetime', keywords: ['failed', '寿命', '故障', 'lifetime'] });
    expect(life.statusCode, life.body).toBe(201);
    expect(life.json()).toMatchObject({ slot: 1, keywords: ['failed', '寿命', '故障', 'lifetime'] });
    expect((await name({ productId: driver, name: 'driver LIFETIME' })).json().error.fields[0].code).toBe('duplicate');
    expect((await name({ productId: driver, name: 'Dimming', keywords: ['dimming', '调光'] })).json().slot).toBe(2);
    // A point of the whole line counts for the driver too.
    const delivery = await name({ productLine: 'standard', name: 'Delivery time', keywords: ['delivery', '交期', '交货', '发货'] });
    expect(delivery.json()).toMatchObject({ slot: 1, productLine: 'standard', productId: null });
    expect((await name({ productId: driver, name: 'Heat', keywords: ['heat', '发热'] })).json().slot).toBe(3);
    const fourth = await name({ productId: driver, name: 'Price' });
    expect(fourth.statusCode).toBe(400);
    expect(fourth.json().error).toMatchObject({ message: POINT_FOCUS_MESSAGE });
    expect(fourth.json().error.fields[0]).toMatchObject({ path: 'productId', code: 'too_many' });
    expect((await q(`select count(*)::int as n from wom_points where org_id = $1 and product_id = $2 and deleted_at is null`, [t.org.id, driver]))[0]!.n).toBe(3);

    // The existing complaint about the driver ("failed … disappointed") was tagged when the point was named.
    const existing = (await t.as(rep, { method: 'GET', url: `/api/v1/feedback?productIds=${driver}&kind=complaint` })).json().data[0];
    expect(existing.wom).toEqual([{ pointId: life.json().id, name: 'Driver lifetime', stance: 'criticism', status: 'suggested' }]);
    // New feedback: each clause carries its own stance.
    const mixed = await log({ kind: 'suggestion', text: 'Delivery was fast and on time, but the driver failed after two weeks.', productIds: [driver] });
    const tags = Object.fromEntries(mixed.wom.map((w: { name: string; stance: string }) => [w.name, w.stance]));
    expect(tags).toEqual({ 'Delivery time': 'praise', 'Driver lifetime': 'criticism' });
    const zh = await log({ kind: 'praise', text: '驱动电源寿命很长，用了三年没有故障，非常满意。', rating: 5, productIds: [driver] });
    expect(zh.wom.map((w: { name: string; stance: string }) => [w.name, w.stance])).toEqual([['Driver lifetime', 'praise']]);
    // No products named, no points suggested.
    expect((await log({ kind: 'praise', text: 'Driver lifetime is excellent.' })).wom).toEqual([]);

    // A person confirms one point with a stance; the other suggestion is rejected and not suggested again.
    const other = t.other.users.admin;
    expect((await t.as(other, { method: 'POST', url: `/api/v1/feedback/${mixed.id}/wom`, payload: { tags: [] } })).statusCode).toBe(404);
    const wrong = await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${mixed.id}/wom`, payload: { tags: [{ pointId: life.json().id, stance: 'awful' }] } });
    expect(wrong.statusCode).toBe(400);
    const foreignPoint = await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${zh.id}/wom`, payload: { tags: [{ pointId: delivery.json().id, stance: 'praise' }, { pointId: delivery.json().id, stance: 'praise' }] } });
    expect(foreignPoint.statusCode).toBe(400);
    const confirmed = await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${mixed.id}/wom`, payload: { tags: [{ pointId: life.json().id, stance: 'criticism' }] } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().wom).toEqual([
      { pointId: life.json().id, name: 'Driver lifetime', stance: 'criticism', status: 'confirmed' },
      { pointId: delivery.json().id, name: 'Delivery time', stance: 'praise', status: 'rejected' },
    ]);
    const again = await t.as(rep, { method: 'PATCH', url: `/api/v1/feedback/${mixed.id}`, payload: { text: 'Delivery was fast, but the driver failed after two weeks!', version: mixed.version } });
    expect(again.json().wom.find((w: { name: string }) => w.name === 'Delivery time').status).toBe('rejected');

    // The product's chart: mentions per point, praise vs criticism per month, quotes (confirmed first).
    const voice = (await t.as(t.org.users.viewer, { method: 'GET', url: `/api/v1/products/${driver}/voice?months=2` })).json();
    const p = (n: string) => voice.points.find((x: { name: string }) => x.name === n);
    expect(voice.points.map((x: { name: string }) => x.name)).toEqual(['Driver lifetime', 'Dimming', 'Heat', 'Delivery time']);
    expect(p('Driver lifetime')).toMatchObject({ scope: 'product', mentions: 3, confirmed: 1, praise: 1, criticism: 2 });
    expect(p('Driver lifetime').months.at(-1)).toEqual({ month: expect.any(String), praise: 1, criticism: 2, neutral: 0 });
    expect(p('Driver lifetime').quotes[0]).toMatchObject({ feedbackId: mixed.id, stance: 'criticism', status: 'confirmed' });
    expect(p('Delivery time')).toMatchObject({ scope: 'line', mentions: 0 });
    expect(p('Dimming')).toMatchObject({ mentions: 0, praise: 0, criticism: 0 });

    // Retiring a point frees its slot; a stale version is refused.
    const dim = (await t.as(rep, { method: 'GET', url: `/api/v1/wom-points?productId=${driver}` })).json().data.find((x: { name: string }) => x.name === 'Dimming');
    expect((await t.as(manager, { method: 'DELETE', url: `/api/v1/wom-points/${dim.id}` })).statusCode).toBe(428);
    expect((await t.as(manager, { method: 'DELETE', url: `/api/v1/wom-points/${dim.id}`, headers: { 'if-match': '"9"' } })).statusCode).toBe(409);
    expect((await t.as(manager, { method: 'DELETE', url: `/api/v1/wom-points/${dim.id}`, headers: { 'if-match': `"${dim.version}"` } })).statusCode).toBe(204);
    expect((await name({ productId: driver, name: 'Price', keywords: ['price', '价格'] })).json().slot).toBe(2);
    const renamed = await t.as(manager, { method: 'PATCH', url: `/api/v1/wom-points/${delivery.json().id}`, payload: { keywords: ['fast'], version: 1 } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ keywords: ['fast'], version: 2 });
    // The other organization cannot see or change the points.
    expect((await t.as(other, { method: 'GET', url: '/api/v1/wom-points' })).json().data).toEqual([]);
    expect((await t.as(other, { method: 'PATCH', url: `/api/v1/wom-points/${delivery.json().id}`, payload: { name: 'x', version: 2 } })).statusCode).toBe(404);
  });

  it('the free text of a completed survey answer lands once as survey feedback on the contact and the account, with a sentiment', async () => {
    const { manager, admin } = t.org.users;
    const s = await t.as(manager, { method: 'POST', url: '/api/v1/surveys', payload: { name: 'Engagement 2026', language: 'zh-CN' } });
    expect(s.statusCode, s.body).toBe(201);
    const sent = await t.as(manager, { method: 'POST', url: `/api/v1/surveys/${s.json().id}/recipients`, payload: { contactIds: [contactId] } });
    expect(sent.statusCode, sent.body).toBe(200);
    const token = sent.json().links[0].token as string;
    const answers = Object.fromEntries(DEFAULT_ITEMS.filter((i) => i.kind !== 'text').map((i) => [i.id, i.kind === 'score10' ? 3 : 2]));
    const put = (payload: object) => t.app.inject({ method: 'PUT', url: `/api/v1/public/surveys/${token}/answer`, payload });
    // Saved but not completed: not feedback yet.
    expect((await put({ answers, comment: '交期太慢，质量也很差，很失望。' })).statusCode).toBe(200);
    expect(await q(`select id from feedback where org_id = $1 and channel = 'survey'`, [t.org.id])).toEqual([]);
    expect((await put({ complete: true })).json().state).toBe('completed');
    const rows = await q(`select account_id, contact_id, kind, sentiment, sentiment_source, text, survey_answer_id from feedback where org_id = $1 and channel = 'survey'`, [t.org.id]);
    expect(rows).toEqual([{ account_id: accountId, contact_id: contactId, kind: 'suggestion', sentiment: 'negative', sentiment_source: expect.stringMatching(/^(model|lexicon)$/), text: '交期太慢，质量也很差，很失望。', survey_answer_id: expect.any(String) }]);
    // Once: the backfill, a second run and a double submit add nothing.
    expect((await t.as(admin, { method: 'POST', url: '/api/v1/feedback/from-surveys' })).json()).toEqual({ created: 0 });
    expect(await surveyAnswersToFeedback(t.database.db, t.org.id)).toBe(0);
    await put({ complete: true });
    expect(await q(`select id from feedback where org_id = $1 and channel = 'survey'`, [t.org.id])).toHaveLength(1);
    // A backfill picks up answers written without it (e.g. before this feature), once.
    await q(`delete from feedback where org_id = $1 and channel = 'survey'`, [t.org.id]);
    expect((await t.as(admin, { method: 'POST', url: '/api/v1/feedback/from-surveys' })).json()).toEqual({ created: 1 });
    expect((await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/feedback/from-surveys' })).statusCode).toBe(403);
    // On the contact's timeline like any feedback; the other organization's backfill finds nothing of ours.
    expect(JSON.stringify((await t.as(manager, { method: 'GET', url: `/api/v1/timeline?contactId=${contactId}` })).json())).toContain('交期太慢');
    expect((await t.as(t.other.users.admin, { method: 'POST', url: '/api/v1/feedback/from-surveys' })).json()).toEqual({ created: 0 });
  });

  it('first-response alert: a complaint not acknowledged within its first-response time (business hours) alerts its owner once; acknowledged or paused ones do not', async () => {
    const { rep } = t.org.users;
    // Friday 2026-11-06 16:00 in Shanghai (08:00Z): 8 business hours (medium, email ×1) run 2 h on Friday, 6 h on Monday → Monday 15:00 (07:00Z).
    const fri = '2026-11-06T08:00:00.000Z';
    const mk = async (text: string) => log({ kind: 'complaint', channel: 'email', visibility: 'private', occurredAt: fri, text });
    const late = await mk('没有人回复我们的投诉。');
    const acked = await mk('Nobody called back about the broken fixtures.');
    const paused = await mk('Still waiting for the replacement lenses.');
    const d = complaintDeadlines(new Date(fri), null, 1, 0, DEFAULT_SERVICE_SETTINGS);
    expect(late.responseDueAt).toBe('2026-11-09T07:00:00.000Z');
    expect(d.responseDueAt.toISOString()).toBe(late.responseDueAt);
    const ack = await t.as(rep, { method: 'POST', url: `/api/v1/feedback/${acked.id}/transition`, payload: { to: 'acknowledged', version: acked.version } });
    expect(ack.statusCode).toBe(200);
    await q(`update feedback set paused_at = $3 where org_id = $1 and id = $2`, [t.org.id, paused.id, fri]);
    const alerts = async (id: string) => q(`select kind, severity, user_id, data->>'responseDueAt' as due from alerts where org_id = $1 and data->>'feedbackId' = $2 and kind = 'complaint_first_response'`, [t.org.id, id]);
    // The weekend is not business time: Saturday noon and Monday 14:59 are still within the first-response time.
    for (const now of ['2026-11-07T04:00:00.000Z', '2026-11-09T06:59:00.000Z']) {
      await slaSweep(t.database.db, t.org.id, new Date(now));
      expect(await alerts(late.id)).toEqual([]);
    }
    const r = await slaSweep(t.database.db, t.org.id, new Date('2026-11-09T07:00:00.000Z'));
    expect(r.firstResponse).toBeGreaterThanOrEqual(1);
    expect(await alerts(late.id)).toEqual([{ kind: 'complaint_first_response', severity: 'warning', user_id: rep.id, due: expect.stringContaining('2026-11-09') }]);
    await slaSweep(t.database.db, t.org.id, new Date('2026-11-09T09:00:00.000Z'));
    expect(await alerts(late.id)).toHaveLength(1);
    expect(await alerts(acked.id)).toEqual([]);
    expect(await alerts(paused.id)).toEqual([]);
    expect((await q(`select response_alerted_at from feedback where org_id = $1 and id = $2`, [t.org.id, late.id]))[0]!.response_alerted_at).not.toBeNull();
    // Without an owner the alert goes to a manager.
    const orphan = await mk('Complaint nobody owns.');
    await q(`update feedback set owner_id = null where org_id = $1 and id = $2`, [t.org.id, orphan.id]);
    await slaSweep(t.database.db, t.org.id, new Date('2026-11-09T10:00:00.000Z'));
    expect((await alerts(orphan.id)).map((a) => a.user_id)).toEqual([t.org.users.manager.id]);
  });

  it('reads skip the catch-up when nothing can have changed (one lookup) and stay correct: bulk writes, deadlines coming due, the safety interval', async () => {
    const db = t.database.db;
    let statements = 0;
    const counting = new Proxy(db, { get: (target, key) => (key === 'execute' ? (q2: never) => (statements++, target.execute(q2)) : Reflect.get(target, key)) }) as DbOrTx;
    const now = new Date();
    await catchUp(db, t.org.id, now);
    statements = 0;
    expect(await catchUp(counting, t.org.id, now)).toEqual({ swept: false });
    expect(statements).toBe(1);

    // A bulk write (no sentiment, no deadlines) bumps: the next read scores and schedules it.
    await q(`insert into feedback (org_id, account_id, channel, kind, text, occurred_at) values ($1, $2, 'phone', 'complaint', '电话投诉：灯具闪烁严重，很不满意。', $3)`, [t.org.id, accountId, new Date(Date.now() - 2 * H).toISOString()]);
    await bumpSweep(db, t.org.id);
    const list = (await t.as(t.org.users.rep, { method: 'GET', url: '/api/v1/feedback?channel=phone' })).json().data;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ sentiment: 'negative', status: 'received' });
    expect(list[0].dueAt).not.toBeNull();

    // The next deadline is remembered: before it, no sweep; at it, the sweep runs and warns.
    const [state] = await q(`select next_due_at::text as next, gen, swept_gen from feedback_sweeps where org_id = $1`, [t.org.id]);
    expect(state!.gen).toBe(state!.swept_gen);
    const next = Date.parse(String(state!.next));
    const warnAt = Date.parse(list[0].warnAt);
    expect(next).toBeLessThanOrEqual(Math.min(warnAt, Date.now() + SAFETY_MS));
    expect(await catchUp(db, t.org.id, new Date(next - 1000))).toEqual({ swept: false });
    const far = new Date(Math.max(warnAt, next) + 1000);
    expect(await catchUp(db, t.org.id, far)).toEqual({ swept: true });
    if (warnAt < Date.parse(list[0].dueAt) && warnAt <= far.getTime()) {
      expect((await q(`select warned_at from feedback where org_id = $1 and id = $2`, [t.org.id, list[0].id]))[0]!.warned_at).not.toBeNull();
    }

    // A writer that forgot to bump is caught within the safety interval.
    await q(`insert into feedback (org_id, account_id, channel, kind, text, occurred_at) values ($1, $2, 'visit', 'praise', 'Excellent installation work, very happy.', $3)`, [t.org.id, accountId, new Date().toISOString()]);
    const at = new Date(far.getTime() + 1000);
    expect(await catchUp(db, t.org.id, at)).toEqual({ swept: false });
    expect(await catchUp(db, t.org.id, new Date(at.getTime() + SAFETY_MS + 1000))).toEqual({ swept: true });
    expect((await q(`select sentiment from feedback where org_id = $1 and channel = 'visit'`, [t.org.id]))[0]!.sentiment).toBe('positive');

    // Resuming a paused complaint moves its deadlines and bumps, so the next read sweeps.
    const c = await log({ kind: 'complaint', channel: 'email', visibility: 'private', text: 'Waiting on you.' });
    const w = await t.as(t.org.users.rep, { method: 'POST', url: `/api/v1/feedback/${c.id}/waiting`, payload: { waiting: true, version: c.version } });
    await catchUp(db, t.org.id);
    await t.as(t.org.users.rep, { method: 'POST', url: `/api/v1/feedback/${c.id}/waiting`, payload: { waiting: false, version: w.json().version } });
    expect(await catchUp(db, t.org.id)).toEqual({ swept: true });
    // Each organization has its own marker.
    const otherGen = async () => (await q(`select gen from feedback_sweeps where org_id = $1`, [t.other.id]))[0]?.gen ?? null;
    const before = await otherGen();
    await bumpSweep(db, t.org.id);
    expect(await otherGen()).toBe(before);
  });

  it('complaints by due date for a calendar (organization time), and complaints and sentiment per engagement level', async () => {
    const { rep, manager } = t.org.users;
    // Received Monday 2026-11-30 10:00 Shanghai; medium, email: 90 business hours → due on a local date the rule tells.
    const c = await log({ kind: 'complaint', channel: 'email', visibility: 'private', occurredAt: '2026-11-30T02:00:00.000Z', text: 'Calendar probe complaint' });
    const local = new Date(Date.parse(c.dueAt) + 480 * 60_000).toISOString();
    const cal = await t.as(rep, { method: 'GET', url: `/api/v1/complaints/calendar?month=${local.slice(0, 7)}` });
    expect(cal.statusCode, cal.body).toBe(200);
    const day = cal.json().days.find((d: { date: string }) => d.date === local.slice(0, 10));
    expect(day.items.find((i: { id: string }) => i.id === c.id)).toMatchObject({ status: 'received', open: true, dueAt: c.dueAt });
    for (const d of cal.json().days) for (const i of d.items) expect(new Date(Date.parse(i.dueAt) + 480 * 60_000).toISOString().slice(0, 10)).toBe(d.date);
    expect((await t.as(rep, { method: 'GET', url: '/api/v1/complaints/calendar?month=2026-13' })).statusCode).toBe(400);
    expect((await t.as(rep, { method: 'GET', url: '/api/v1/complaints/calendar' })).statusCode).toBe(400);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/complaints/calendar?month=${local.slice(0, 7)}` })).json().days).toEqual([]);

    await q(`insert into account_engagement (org_id, account_id, level, score, respondents) values ($1, $2, 'not_engaged', 0.8, 1)
             on conflict (org_id, account_id) do update set level = 'not_engaged'`, [t.org.id, accountId]);
    const [expected] = await q(`select (count(*) filter (where kind in ('complaint', 'public_attack')))::int as complaints, count(*)::int as feedback,
                                       (count(*) filter (where status in ('received', 'acknowledged', 'assessed', 'investigating', 'responded')))::int as open
                                  from feedback where org_id = $1 and account_id = $2`, [t.org.id, accountId]);
    const byLevel = (await t.as(manager, { method: 'GET', url: '/api/v1/complaints/by-engagement' })).json().levels;
    expect(byLevel.map((l: { level: string | null }) => l.level)).toEqual(['fully_engaged', 'engaged', 'not_engaged', 'actively_disengaged', null]);
    expect(byLevel.find((l: { level: string }) => l.level === 'not_engaged')).toMatchObject({ accounts: 1, ...expected, complaintsPerAccount: expected!.complaints });
    expect((await t.as(t.other.users.admin, { method: 'GET', url: '/api/v1/complaints/by-engagement' })).json().levels.every((l: { accounts: number }) => l.accounts === 0)).toBe(true);
  });
});
