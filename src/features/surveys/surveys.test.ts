import { beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { DEFAULT_ITEMS } from './items.ts';
import type { Item, Values } from './rules.ts';

type Row = Record<string, unknown>;
type Link = { recipientId: string; contactId: string; accountId: string; token: string; path: string; language: string };

/** Answers for every question of the default bank: each level at `level`, rational at `rational`, recommend at `recommend`. */
const answersFor = (o: { confidence: number; integrity: number; pride: number; passion: number; rational: number; recommend: number }): Values =>
  Object.fromEntries(
    DEFAULT_ITEMS.filter((i) => i.kind !== 'text').map((i) => [i.id, i.kind === 'agree5' ? o[i.level] : i.role === 'recommend' ? o.recommend : o.rational]),
  );
const ENGAGED_FULLY = { confidence: 5, integrity: 5, pride: 5, passion: 4, rational: 9, recommend: 10 };
const DISENGAGED = { confidence: 1, integrity: 2, pride: 1, passion: 1, rational: 3, recommend: 2 };

describeEachDb('engagement surveys', (mode) => {
  const t = useTestApp(mode);
  const q = async (text: string, params: unknown[] = []) => (await t.database.query(text, params)).rows as Row[];
  const accounts: string[] = [];
  const deciders: string[] = [];
  const users: string[] = [];
  const outsiders: string[] = [];
  let surveyId = '';
  let links: Link[] = [];
  const pub = (token: string) => t.app.inject({ method: 'GET', url: `/api/v1/public/surveys/${token}` });
  const put = (token: string, payload: unknown) => t.app.inject({ method: 'PUT', url: `/api/v1/public/surveys/${token}/answer`, payload: payload as object });
  const linkOf = (contactId: string) => links.find((l) => l.contactId === contactId)!;

  beforeAll(async () => {
    const { manager } = t.org.users;
    for (let i = 0; i < 20; i++) {
      const a = uuidv7();
      const o = uuidv7();
      const [d, u, x] = [uuidv7(), uuidv7(), uuidv7()];
      accounts.push(a);
      deciders.push(d);
      users.push(u);
      outsiders.push(x);
      await q(`insert into accounts (org_id, id, name, kind, owner_id) values ($1, $2, $3, 'customer', $4)`, [t.org.id, a, `客户 ${String(i).padStart(2, '0')}`, manager.id]);
      await q(`insert into contacts (org_id, id, account_id, full_name, language) values ($1, $2, $4, $5, 'zh-CN'), ($1, $3, $4, $6, 'zh'), ($1, $7, $4, $8, 'en')`, [t.org.id, d, u, a, `决策者 ${i}`, `使用者 ${i}`, x, `Outsider ${i}`]);
      await q(`insert into opportunities (org_id, id, account_id, name, buying_stage) values ($1, $2, $3, 'Deal', 'evaluation_of_options')`, [t.org.id, o, a]);
      await q(`insert into buying_center_members (org_id, opportunity_id, contact_id, roles, influence) values ($1, $2, $3, '{decider}', 5), ($1, $2, $4, '{user}', 2)`, [t.org.id, o, d, u]);
    }
  });

  it('a manager creates a survey in zh-CN: version 1 from the item bank', async () => {
    const res = await t.as(t.org.users.manager, { method: 'POST', url: '/api/v1/surveys', payload: { name: '2026 客户敬业度调查', language: 'zh-CN' } });
    expect(res.statusCode).toBe(201);
    const s = res.json();
    surveyId = s.id;
    expect(s).toMatchObject({ language: 'zh-CN', status: 'open', versions: 1, recipients: 0, completed: 0 });
    expect(s.currentVersion.number).toBe(1);
    expect((s.currentVersion.items as Item[]).map((i) => i.id)).toEqual(DEFAULT_ITEMS.map((i) => i.id));
  });

  it('refuses an item set without two items per level', async () => {
    const res = await t.as(t.org.users.manager, { method: 'POST', url: '/api/v1/surveys', payload: { name: 'Thin', items: DEFAULT_ITEMS.filter((i) => i.id !== 'prid2') } });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Fewer than two');
  });

  it('sends links to the buying-center members of 20 accounts; reps and viewers cannot; a second send skips them', async () => {
    const { manager, rep, viewer } = t.org.users;
    for (const u of [rep, viewer]) {
      expect((await t.as(u, { method: 'POST', url: `/api/v1/surveys/${surveyId}/recipients`, payload: { accountIds: accounts, buyingCenterOnly: true } })).statusCode).toBe(403);
    }
    const res = await t.as(manager, { method: 'POST', url: `/api/v1/surveys/${surveyId}/recipients`, payload: { accountIds: accounts, buyingCenterOnly: true } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ created: 40, skipped: 0 });
    links = body.links;
    expect(new Set(links.map((l) => l.contactId))).toEqual(new Set([...deciders, ...users]));
    expect(links.every((l) => /^s_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/.test(l.token) && l.path === `/s/${l.token}` && l.language === 'zh-CN')).toBe(true);
    // Only the hash is stored.
    const stored = await q(`select token_hash from survey_recipients where org_id = $1`, [t.org.id]);
    expect(stored.some((r) => links.some((l) => l.token === r.token_hash))).toBe(false);
    expect((await t.as(manager, { method: 'POST', url: `/api/v1/surveys/${surveyId}/recipients`, payload: { accountIds: accounts } })).json()).toMatchObject({ created: 20, skipped: 40 });
    const recipients = (await t.as(viewer, { method: 'GET', url: `/api/v1/surveys/${surveyId}/recipients` })).json().data as Row[];
    expect(recipients).toHaveLength(60);
    expect(JSON.stringify(recipients)).not.toMatch(/s_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/);
  });

  it('chooses by role: deciders only', async () => {
    const s = (await t.as(t.org.users.manager, { method: 'POST', url: '/api/v1/surveys', payload: { name: 'Deciders' } })).json();
    const res = (await t.as(t.org.users.manager, { method: 'POST', url: `/api/v1/surveys/${s.id}/recipients`, payload: { accountIds: accounts, roles: ['decider'] } })).json();
    expect(res.created).toBe(20);
    expect(new Set(res.links.map((l: Link) => l.contactId))).toEqual(new Set(deciders));
  });

  it('three answer through their links: partial save, completion, double submit, interaction on the timeline, the account shows level and NPS', async () => {
    const first = linkOf(deciders[0]!);
    const page = await pub(first.token);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ state: 'open', language: 'zh-CN', surveyName: '2026 客户敬业度调查', answers: {} });
    // Nothing of the organization but its name and the questionnaire.
    expect(Object.keys(page.json()).sort()).toEqual(['answers', 'comment', 'completedAt', 'items', 'language', 'orgName', 'state', 'surveyName']);
    const all = answersFor(ENGAGED_FULLY);
    const half = Object.fromEntries(Object.entries(all).slice(0, 5));
    const partial = await put(first.token, { answers: half });
    expect(partial.json()).toMatchObject({ state: 'open' });
    expect(partial.json().missing.length).toBe(Object.keys(all).length - 5);
    expect((await pub(first.token)).json().answers).toEqual(half);
    const early = await put(first.token, { complete: true });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.code).toBe('incomplete');
    const done = await put(first.token, { answers: { ...all, pass2: null }, comment: '<b>交期</b>要更准', complete: true });
    expect(done.statusCode).toBe(200);
    expect(done.json().state).toBe('completed');
    const again = await put(first.token, { answers: answersFor(DISENGAGED), complete: true });
    expect(again.json()).toEqual(done.json());
    const stored = await q(`select answers, comment, placement, recommend from survey_answers where org_id = $1 and recipient_id = $2`, [t.org.id, first.recipientId]);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ comment: '<b>交期</b>要更准', placement: 'fully_engaged', recommend: 10 });
    // The answer is on the contact's timeline as a survey_answer interaction.
    const timeline = await t.as(t.org.users.viewer, { method: 'GET', url: `/api/v1/timeline?contactId=${deciders[0]}` });
    expect(timeline.statusCode).toBe(200);
    expect(JSON.stringify(timeline.json())).toContain('survey_answer');
    const inter = await q(`select i.kind, i.account_id from interactions i join interaction_contacts c on c.org_id = i.org_id and c.interaction_id = i.id where i.org_id = $1 and c.contact_id = $2`, [t.org.id, deciders[0]]);
    expect(inter).toEqual([{ kind: 'survey_answer', account_id: accounts[0] }]);

    // Two more, on accounts 1 and 2.
    expect((await put(linkOf(deciders[1]!).token, { answers: answersFor({ ...ENGAGED_FULLY, pride: 3, passion: 3, recommend: 8 }), complete: true })).json().state).toBe('completed');
    expect((await put(linkOf(users[2]!).token, { answers: answersFor(DISENGAGED), complete: true })).json().state).toBe('completed');

    const card = (await t.as(t.org.users.rep, { method: 'GET', url: `/api/v1/accounts/${accounts[0]}/engagement` })).json();
    expect(card).toMatchObject({ level: 'fully_engaged', respondents: 1, tooFew: true, nps: 100, npsAnswers: 1 });
    expect(card.answers[0]).toMatchObject({ contactId: deciders[0], placement: 'fully_engaged', recommend: 10 });
    expect((await t.as(t.org.users.rep, { method: 'GET', url: `/api/v1/accounts/${accounts[1]}/engagement` })).json()).toMatchObject({ level: 'engaged', nps: 0 });
    expect((await t.as(t.org.users.rep, { method: 'GET', url: `/api/v1/accounts/${accounts[2]}/engagement` })).json()).toMatchObject({ level: 'actively_disengaged', nps: -100 });
    const results = (await t.as(t.org.users.viewer, { method: 'GET', url: `/api/v1/surveys/${surveyId}/results` })).json();
    expect(results).toMatchObject({ completed: 3, nps: { n: 3, promoters: 1, passives: 1, detractors: 1, nps: 0 }, placements: { fully_engaged: 1, engaged: 1, actively_disengaged: 1, not_engaged: 0 } });
    expect(results.comments[0].comment).toBe('<b>交期</b>要更准');
  });

  it('accounts and contacts lists show engagement level and NPS, and filter by them', async () => {
    const { viewer } = t.org.users;
    const list = (await t.as(viewer, { method: 'GET', url: `/api/v1/accounts?engagementLevel=fully_engaged` })).json();
    expect(list.data.map((a: Row) => a.id)).toEqual([accounts[0]]);
    expect(list.data[0]).toMatchObject({ engagementLevel: 'fully_engaged', nps: 100 });
    const sorted = (await t.as(viewer, { method: 'GET', url: `/api/v1/accounts?nps[lt]=50&sort=nps` })).json();
    expect(sorted.data.map((a: Row) => a.nps)).toEqual([-100, 0]);
    const contacts = (await t.as(viewer, { method: 'GET', url: `/api/v1/contacts?engagementLevel=actively_disengaged` })).json();
    expect(contacts.data.map((c: Row) => c.id)).toEqual([users[2]]);
    expect(contacts.data[0]).toMatchObject({ engagementLevel: 'actively_disengaged', npsScore: 2 });
  });

  it('the recompute rolls engagement up set-based and keeps the same levels', async () => {
    await q(`delete from account_engagement where org_id = $1`, [t.org.id]);
    const res = await t.as(t.org.users.manager, { method: 'POST', url: '/api/v1/evaluation/recompute' });
    expect(res.statusCode).toBe(200);
    expect(res.json().timingsMs.engagement).toBeGreaterThanOrEqual(0);
    const rows = await q(`select account_id, level, respondents from account_engagement where org_id = $1 order by level`, [t.org.id]);
    expect(rows).toEqual([
      { account_id: accounts[2], level: 'actively_disengaged', respondents: 1 },
      { account_id: accounts[1], level: 'engaged', respondents: 1 },
      { account_id: accounts[0], level: 'fully_engaged', respondents: 1 },
    ]);
  });

  it('a key account dropping a level raises an alert; the decider weighs more than the user', async () => {
    await q(`update accounts set portfolio_type = 'key' where org_id = $1 and id = $2`, [t.org.id, accounts[0]]);
    // The user of account 0 answers disengaged: the decider's weight (3 × 5/3 = 5) against the user's (1 × 2/3) keeps it fully engaged.
    await put(linkOf(users[0]!).token, { answers: answersFor(DISENGAGED), complete: true });
    let card = (await t.as(t.org.users.manager, { method: 'GET', url: `/api/v1/accounts/${accounts[0]}/engagement` })).json();
    expect(card).toMatchObject({ level: 'fully_engaged', respondents: 2, tooFew: false, nps: 0, previousNps: 100 });
    // An NPS fall of 100 points on a key account is an alarm of its own.
    let alerts = (await t.as(t.org.users.manager, { method: 'GET', url: `/api/v1/alerts?accountId=${accounts[0]}` })).json().data as Row[];
    expect(alerts.map((a) => a.kind)).toEqual(['nps_drop']);
    // The decider answers again on a new survey, now disengaged: the level drops.
    const s2 = (await t.as(t.org.users.manager, { method: 'POST', url: '/api/v1/surveys', payload: { name: 'Follow-up' } })).json();
    const l2 = (await t.as(t.org.users.manager, { method: 'POST', url: `/api/v1/surveys/${s2.id}/recipients`, payload: { contactIds: [deciders[0]] } })).json().links[0] as Link;
    expect((await put(l2.token, { answers: answersFor(DISENGAGED), complete: true })).json().state).toBe('completed');
    card = (await t.as(t.org.users.manager, { method: 'GET', url: `/api/v1/accounts/${accounts[0]}/engagement` })).json();
    expect(card).toMatchObject({ level: 'actively_disengaged', previousLevel: 'fully_engaged', trend: 'down' });
    alerts = (await t.as(t.org.users.manager, { method: 'GET', url: `/api/v1/alerts?accountId=${accounts[0]}&kind=engagement_level_drop` })).json().data as Row[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'critical', data: { fromLevel: 'fully_engaged', toLevel: 'actively_disengaged' } });
    // A maintenance account's drop raises nothing.
    await q(`update accounts set portfolio_type = 'maintenance' where org_id = $1 and id = $2`, [t.org.id, accounts[1]]);
    await put(linkOf(users[1]!).token, { answers: answersFor(DISENGAGED), complete: true });
    expect((await t.as(t.org.users.manager, { method: 'GET', url: `/api/v1/alerts?accountId=${accounts[1]}` })).json().data).toEqual([]);
  });

  it('answers are checked against the version: unknown items, out-of-range values, "don\'t know" on a 0–10 question', async () => {
    const tok = linkOf(deciders[5]!).token;
    for (const answers of [{ nope: 3 }, { sat: 11 }, { conf1: 0 }, { rec: null }]) {
      const res = await put(tok, { answers });
      expect(res.statusCode).toBe(400);
    }
    expect((await put(tok, { answers: { sat: 7 }, extra: 1 })).statusCode).toBe(400);
    expect((await q(`select count(*)::int as n from survey_answers a join survey_recipients r on r.org_id = a.org_id and r.id = a.recipient_id where a.org_id = $1 and r.contact_id = $2`, [t.org.id, deciders[5]]))[0]!.n).toBe(0);
  });

  it('editing a survey with answers makes a new version; answers and started links keep theirs, unanswered links move on', async () => {
    const cur = (await t.as(t.org.users.manager, { method: 'GET', url: `/api/v1/surveys/${surveyId}` })).json();
    const v1 = cur.currentVersion.id;
    const renamed = await t.as(t.org.users.manager, { method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, payload: { name: '2026 调查' }, headers: { 'if-match': `"${cur.version}"` } });
    expect(renamed.json()).toMatchObject({ versions: 1, currentVersionId: v1 });
    await put(linkOf(deciders[6]!).token, { answers: { sat: 6 } });
    const items = DEFAULT_ITEMS.map((i) => (i.id === 'conf1' ? { ...i, text: { ...i.text, 'zh-CN': '他们说到做到。' } } : i));
    const edited = await t.as(t.org.users.manager, { method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, payload: { items }, headers: { 'if-match': `"${renamed.json().version}"` } });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ versions: 2, currentVersion: { number: 2 } });
    const v2 = edited.json().currentVersionId;
    expect(v2).not.toBe(v1);
    const versionOf = async (contactId: string) => (await q(`select version_id from survey_recipients where org_id = $1 and survey_id = $2 and contact_id = $3`, [t.org.id, surveyId, contactId]))[0]!.version_id;
    expect(await versionOf(deciders[0]!)).toBe(v1);
    expect(await versionOf(deciders[6]!)).toBe(v1);
    expect(await versionOf(deciders[7]!)).toBe(v2);
    expect((await pub(linkOf(deciders[7]!).token)).json().items.find((i: Item) => i.id === 'conf1').text['zh-CN']).toBe('他们说到做到。');
    const versions = (await t.as(t.org.users.viewer, { method: 'GET', url: `/api/v1/surveys/${surveyId}/versions` })).json().data as Row[];
    expect(versions.map((v) => [v.number, (v.answers as number) > 0])).toEqual([[1, true], [2, false]]);
  });

  it('the item bank is editable per organization (managers) and new surveys start from it', async () => {
    const bank = (await t.as(t.org.users.rep, { method: 'GET', url: '/api/v1/survey-item-bank' })).json();
    expect(bank).toMatchObject({ isDefault: true, version: 0 });
    const items = (bank.items as Item[]).map((i) => (i.id === 'better' ? { ...i, text: { ...i.text, en: 'One thing we should change?' } } : i));
    expect((await t.as(t.org.users.rep, { method: 'PATCH', url: '/api/v1/survey-item-bank', payload: { items }, headers: { 'if-match': '"0"' } })).statusCode).toBe(403);
    const saved = await t.as(t.org.users.manager, { method: 'PATCH', url: '/api/v1/survey-item-bank', payload: { items }, headers: { 'if-match': '"0"' } });
    expect(saved.json()).toMatchObject({ isDefault: false, version: 1 });
    const s = (await t.as(t.org.users.manager, { method: 'POST', url: '/api/v1/surveys', payload: { name: 'From the bank' } })).json();
    expect(s.currentVersion.items.find((i: Item) => i.id === 'better').text.en).toBe('One thing we should change?');
    // The other organization still has the default bank.
    expect((await t.as(t.other.users.manager, { method: 'GET', url: '/api/v1/survey-item-bank' })).json().isDefault).toBe(true);
  });

  describe('tokens', () => {
    it('unknown, malformed, forged and enumerated tokens get a 404 and nothing else', async () => {
      const key = (orgId: string) => Buffer.from(orgId.replace(/-/g, ''), 'hex').toString('base64url');
      const mine = linkOf(deciders[9]!).token;
      const random = () => Buffer.from(uuidv7() + uuidv7()).toString('base64url').slice(0, 43);
      const tries = ['nope', mine.slice(0, -1) + (mine.endsWith('A') ? 'B' : 'A'), uuidv7(), '%2e%2e', 's_' + 'x'.repeat(200),
        // Our organization's key with a guessed secret; our secret under the other organization's key.
        `s_${key(t.org.id)}.${random()}`, `s_${key(t.other.id)}.${mine.split('.')[1]}`, `s_${key(t.org.id)}.${mine.split('.')[1]!.slice(1)}`];
      for (let i = 0; i < 20; i++) tries.push(`s_${key(uuidv7())}.${random()}`);
      for (const tok of tries) {
        const g = await pub(tok);
        // A token longer than any path parameter the router takes: 414 before any handler.
        expect(g.statusCode, tok).toBe(tok.length > 200 ? 414 : 404);
        expect(Object.keys(g.json())).toEqual(['error']);
        expect((await put(tok, { answers: { sat: 5 } })).statusCode).toBe(tok.length > 200 ? 414 : 404);
      }
    });

    it('links name their organization (one lookup by org and hash, distributable); links of the old format get a clear 410', async () => {
      const l = linkOf(deciders[9]!);
      const orgKey = Buffer.from(t.org.id.replace(/-/g, ''), 'hex').toString('base64url');
      expect(l.token.startsWith(`s_${orgKey}.`)).toBe(true);
      for (const old of ['s_' + 'A'.repeat(43), 's_' + Buffer.from(uuidv7() + uuidv7()).toString('base64url').slice(0, 43)]) {
        const g = await pub(old);
        expect(g.statusCode).toBe(410);
        expect(g.json()).toEqual({ error: { code: 'outdated', message: expect.stringContaining('ask the sender for a new link') } });
        expect((await put(old, { answers: { sat: 5 } })).json().error.code).toBe('outdated');
      }
      // Every unique index of the survey tables includes org_id (Citus distributes by it).
      const idx = await q(`select indexname, indexdef from pg_indexes where tablename in ('surveys', 'survey_versions', 'survey_recipients', 'survey_answers', 'account_engagement', 'engagement_snapshots') and indexdef like 'CREATE UNIQUE%'`);
      expect(idx.length).toBeGreaterThan(5);
      for (const i of idx) expect(String(i.indexdef), String(i.indexname)).toMatch(/\(org_id,/);
    });

    it('an expired link gets a clear 410; a completed one still shows its thanks page but takes nothing new', async () => {
      const l = linkOf(deciders[10]!);
      await q(`update survey_recipients set expires_at = now() - interval '1 day' where org_id = $1 and id = $2`, [t.org.id, l.recipientId]);
      const g = await pub(l.token);
      expect(g.statusCode).toBe(410);
      expect(g.json().error.code).toBe('expired');
      expect((await put(l.token, { answers: { sat: 5 } })).statusCode).toBe(410);
      const done = linkOf(deciders[0]!);
      await q(`update survey_recipients set expires_at = now() - interval '1 day' where org_id = $1 and id = $2`, [t.org.id, done.recipientId]);
      expect((await pub(done.token)).json()).toMatchObject({ state: 'completed' });
      expect((await put(done.token, { answers: { sat: 0 }, complete: true })).json().state).toBe('completed');
    });

    it('another organization sees nothing of the survey, its links or its answers', async () => {
      const { manager } = t.other.users;
      for (const url of [`/api/v1/surveys/${surveyId}`, `/api/v1/surveys/${surveyId}/recipients`, `/api/v1/surveys/${surveyId}/results`, `/api/v1/surveys/${surveyId}/versions`, `/api/v1/accounts/${accounts[0]}/engagement`]) {
        expect((await t.as(manager, { method: 'GET', url })).statusCode, url).toBe(404);
      }
      expect((await t.as(manager, { method: 'POST', url: `/api/v1/surveys/${surveyId}/links`, payload: {} })).statusCode).toBe(404);
      // Sending their survey to our accounts or contacts: refused, as ids that do not exist.
      const theirs = (await t.as(manager, { method: 'POST', url: '/api/v1/surveys', payload: { name: 'Theirs' } })).json();
      for (const payload of [{ accountIds: accounts }, { contactIds: deciders }]) {
        const res = await t.as(manager, { method: 'POST', url: `/api/v1/surveys/${theirs.id}/recipients`, payload });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.fields[0].code).toBe('not_found');
      }
      const analysis = (await t.as(manager, { method: 'GET', url: '/api/v1/engagement' })).json();
      expect(analysis.placed).toBe(0);
    });

    it('reissued links replace the old tokens; completed ones are not reissued', async () => {
      const l = linkOf(deciders[11]!);
      const res = await t.as(t.org.users.manager, { method: 'POST', url: `/api/v1/surveys/${surveyId}/links`, payload: { recipientIds: [l.recipientId] } });
      expect(res.statusCode).toBe(200);
      const fresh = res.json().links[0] as Link;
      expect(fresh.token).not.toBe(l.token);
      expect((await pub(l.token)).statusCode).toBe(404);
      expect((await pub(fresh.token)).statusCode).toBe(200);
      expect((await t.as(t.org.users.manager, { method: 'POST', url: `/api/v1/surveys/${surveyId}/links`, payload: { recipientIds: [linkOf(deciders[0]!).recipientId] } })).statusCode).toBe(404);
    });
  });

  it('the engagement page data: distribution with counts, and too thin to conclude on three accounts', async () => {
    const a = (await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/engagement' })).json();
    expect(a.placed).toBe(3);
    expect(a.tooThin).toBe(true);
    expect(a.distribution).toEqual({ fully_engaged: 0, engaged: 1, not_engaged: 0, actively_disengaged: 2 });
    expect(a.metrics.shareOfWallet.levels.actively_disengaged.thin).toBe(true);
  });

  it('NPS by portfolio type, need type, owner and month, with counts', async () => {
    const by = async (b: string) => (await t.as(t.org.users.viewer, { method: 'GET', url: `/api/v1/engagement/nps?by=${b}` })).json().data as Row[];
    const owner = await by('owner');
    // Every account here belongs to the manager: one group with every respondent's latest answer.
    expect(owner).toHaveLength(1);
    expect(owner[0]).toMatchObject({ key: t.org.users.manager.id, label: 'manager user' });
    const latest = (await q(`select count(distinct contact_id)::int as n from survey_answers where org_id = $1 and completed_at is not null`, [t.org.id]))[0]!.n;
    expect(owner[0]!.n).toBe(latest);
    const portfolio = await by('portfolioType');
    expect(portfolio.reduce((s, r) => s + (r.n as number), 0)).toBe(latest);
    expect(portfolio.find((r) => r.key === 'key')).toMatchObject({ n: 2, detractors: 2, nps: -100 });
    const month = await by('month');
    expect(month).toHaveLength(1);
    const all = (await q(`select count(*)::int as n from survey_answers where org_id = $1 and completed_at is not null`, [t.org.id]))[0]!.n;
    expect(month[0]!.n).toBe(all);
    expect((await t.as(t.org.users.viewer, { method: 'GET', url: `/api/v1/engagement/nps?by=nope` })).statusCode).toBe(400);
  });

  it('the public routes are throttled per address', async () => {
    let limited = 0;
    for (let i = 0; i < 130; i++) if ((await pub('s_' + 'Z'.repeat(43))).statusCode === 429) limited++;
    expect(limited).toBeGreaterThan(0);
  });
});
