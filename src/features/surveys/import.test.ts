/**
 * Survey results collected with another tool, through the importer (entity `survey_answers`):
 * contacts found by email or by name at their account, odd real-world cells, every bad row reported
 * with its reason, a re-import adds nothing, and the answers roll up like answers given in Accord.
 */
import { parse } from 'csv-parse/sync';
import { uuidv7 } from 'uuidv7';
import { beforeAll, expect, it } from 'vitest';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { DEFAULT_ENGAGEMENT_SETTINGS, placeRespondent, respondentScores } from './rules.ts';
import { surveyRowScores } from '../imports/rules.ts';

type Row = Record<string, unknown>;

const HEADER = 'Response ID,Email,Name,Company,Submitted,Overall satisfaction,Likely to continue,NPS,Confidence 1,Confidence 2,Integrity 1,Integrity 2,Pride 1,Pride 2,Passion 1,Passion 2,Comments';

describeEachDb('survey results imported from another tool', (mode) => {
  const t = useTestApp(mode);
  const q = async (text: string, params: unknown[] = []) => (await t.database.query(text, params)).rows as Row[];
  const ids = { key: uuidv7(), dev: uuidv7(), other: uuidv7(), chen: uuidv7(), li: uuidv7(), wang1: uuidv7(), wang2: uuidv7(), zhao: uuidv7(), otherOrgContact: uuidv7() };
  const post = (user: { token: string }, csv: string, extra = '') =>
    t.app.inject({ method: 'POST', url: `/api/v1/imports?entity=survey_answers&wait=true${extra}`, headers: { authorization: `Bearer ${user.token}`, 'content-type': 'text/csv', 'x-filename': 'results.csv' }, payload: csv });

  // Lines 2…13 of the file (line 1 is the header): what each one tests is in the comment beside it.
  const rows = [
    'R-1,chen@minghua.cn,,,2026-10-02 09:30,9,9,１０,5,5.0,5,4,5,4,5,4,Keep the delivery dates', //    2 email; full-width 10, "5.0"
    'R-2,,Li Wei,明华照明,2026-10-03,N/A,8,9,4,4,4,不知道,4,4,4,4,', //                                   3 name + account; "N/A", "不知道"
    'R-3,zhao@minghua.cn,,,2026-10-04,,,9,,,,,,,,,', //                                                   4 NPS only: no placement
    'R-4,nobody@minghua.cn,,,2026-10-04,8,8,8,4,4,4,4,4,4,4,4,', //                                        5 unknown email
    'R-5,chen@minghua.cn,,,2026-10-05,8,8,11,4,4,4,4,4,4,4,4,', //                                         6 11 on 0–10
    'R-6,zhao@minghua.cn,,,2026-10-06,8,8,8,4.5,4,4,4,4,4,4,4,', //                                        7 4.5 on 1–5
    'R-7,,Wang Fang,明华照明,2026-10-06,8,8,8,4,4,4,4,4,4,4,4,', //                                        8 two contacts of that name
    'R-8,zhao@minghua.cn,,,2026-10-07,,,,,,,,,,,,nothing scored', //                                       9 no score at all
    'R-9,chen@minghua.cn,,,2026-10-02 09:30,9,9,10,5,5,5,4,5,4,5,4,', //                                 10 same person and moment as line 2
    'R-10,,Li Wei,Delta Trading,2026-10-08,9,9,10 - Extremely likely,Strongly agree,Agree,非常同意,同意,Neutral,Disagree,1,2,', // 11 labels; Li Wei of the other account
    'R-11,chen@minghua.cn,,,2099-01-01,9,9,9,5,5,5,5,5,5,5,5,', //                                        12 in the future
    'R-12,,Li Wei,,2026-10-09,9,9,9,5,5,5,5,5,5,5,5,', //                                                 13 a name without its account
  ];
  const csv = [HEADER, ...rows].join('\n') + '\n';

  beforeAll(async () => {
    const m = t.org.users.manager.id;
    await q(`insert into accounts (org_id, id, name, kind, owner_id, portfolio_type) values ($1, $2, '明华照明', 'customer', $5, 'key'), ($1, $3, 'Delta Trading', 'customer', $5, 'development'), ($1, $4, 'Empty Co', 'customer', $5, null)`,
      [t.org.id, ids.key, ids.dev, ids.other, m]);
    await q(
      `insert into contacts (org_id, id, account_id, full_name, email) values
         ($1, $2, $7, 'Chen Jing', 'Chen@Minghua.cn'), ($1, $3, $7, 'Li Wei', null), ($1, $4, $7, 'Wang Fang', null), ($1, $5, $7, 'Wang  Fang', 'wf2@minghua.cn'),
         ($1, $6, $7, 'Zhao Min', 'zhao@minghua.cn'), ($1, $9, $8, 'Li Wei', 'liwei@delta.example')`,
      [t.org.id, ids.chen, ids.li, ids.wang1, ids.wang2, ids.zhao, ids.key, ids.dev, uuidv7()],
    );
    // The other organization has a contact with the same email: never matched from this one.
    const oa = uuidv7();
    await q(`insert into accounts (org_id, id, name, kind) values ($1, $2, '明华照明', 'customer')`, [t.other.id, oa]);
    await q(`insert into contacts (org_id, id, account_id, full_name, email) values ($1, $2, $3, 'Chen Jing', 'chen@minghua.cn')`, [t.other.id, ids.otherOrgContact, oa]);
  });

  it('reps and viewers may not import survey results', async () => {
    for (const u of [t.org.users.rep, t.org.users.viewer]) expect((await post(u, csv)).statusCode).toBe(403);
    expect(await q(`select 1 from survey_answers where org_id = $1`, [t.org.id])).toEqual([]);
  });

  it('a file without anyone to attach an answer to, or without a score, is refused as a whole', async () => {
    const noWho = await post(t.org.users.manager, 'Submitted,NPS\n2026-10-01,9\n');
    expect(noWho.statusCode).toBe(400);
    expect(noWho.json().error.message).toContain('contact_email');
    const noScore = await post(t.org.users.manager, 'Email,Submitted,Comments\nchen@minghua.cn,2026-10-01,hi\n');
    expect(noScore.statusCode).toBe(400);
    expect(noScore.json().error.message).toContain('recommend');
  });

  it('a dry run counts exactly and saves nothing', async () => {
    const res = await post(t.org.users.manager, csv, '&dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true, totalRows: 12, inserted: 4, errors: 7, duplicates: 1 });
    expect(await q(`select 1 from survey_answers where org_id = $1`, [t.org.id])).toEqual([]);
    expect(await q(`select 1 from account_engagement where org_id = $1`, [t.org.id])).toEqual([]);
  });

  let jobId = '';
  it('imports the good rows and reports every bad one with its reason', async () => {
    const res = await post(t.org.users.manager, csv);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    jobId = r.jobId;
    expect(r).toMatchObject({ totalRows: 12, inserted: 4, errors: 7, duplicates: 1, accountsCreated: 0 });
    const errors = (await t.as(t.org.users.manager, { method: 'GET', url: `/api/v1/imports/${jobId}/errors.csv` })).body;
    const byLine = new Map((parse(errors.replace(/^\ufeff/, '')) as string[][]).slice(1).map((e) => [Number(e[0]), e[1]!]));
    expect([...byLine.keys()].sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10, 12, 13]);
    expect(byLine.get(5)).toContain('no contact with email nobody@minghua.cn');
    expect(byLine.get(6)).toContain('recommend: 11 is outside 0–10');
    expect(byLine.get(7)).toContain('confidence_1: "4.5" is not a whole number');
    expect(byLine.get(8)).toContain('several contacts of this account are named Wang Fang');
    expect(byLine.get(9)).toContain('no answer in this row');
    expect(byLine.get(10)).toContain('duplicate: same contact and answer time as line 2');
    expect(byLine.get(12)).toContain('answered_at: must not be in the future');
    expect(byLine.get(13)).toContain('contact_email: say who answered');
  });

  it('stores the answers with the scores Accord gives an answer through a link', async () => {
    const got = await q(
      `select contact_id, account_id, source, survey_id, recommend, satisfaction, rational, confidence, integrity, pride, passion, emotional, placement, answers, comment, completed_at, interaction_id
         from survey_answers where org_id = $1 order by completed_at`,
      [t.org.id],
    );
    expect(got.map((a) => [a.contact_id, a.account_id, a.source, a.survey_id])).toEqual([
      [ids.chen, ids.key, 'import', null], [ids.li, ids.key, 'import', null], [ids.zhao, ids.key, 'import', null], [expect.any(String), ids.dev, 'import', null],
    ]);
    const [chen, li, zhao, delta] = got as Row[];
    expect(chen).toMatchObject({ recommend: 10, confidence: 5, integrity: 4.5, pride: 4.5, passion: 4.5, placement: 'fully_engaged', comment: 'Keep the delivery dates' });
    expect(new Date(String(chen!.completed_at)).toISOString()).toBe('2026-10-02T09:30:00.000Z');
    // "N/A" on satisfaction is no answer (rational = continuation alone); "不知道" is answered but not scored.
    expect(li).toMatchObject({ satisfaction: null, rational: 8, integrity: 4, placement: 'fully_engaged' });
    expect((li!.answers as Record<string, unknown>).integrity_2).toBeNull();
    expect('satisfaction' in (li!.answers as object)).toBe(false);
    expect(zhao).toMatchObject({ recommend: 9, confidence: null, placement: null });
    // Labels: Strongly agree 5, Agree 4 → confidence 4.5; 非常同意/同意 → 4.5; pride Neutral/Disagree 2.5; passion 1, 2.
    expect(delta).toMatchObject({ recommend: 10, confidence: 4.5, integrity: 4.5, pride: 2.5, passion: 1.5, placement: 'engaged' });
    // The same rule as a link answer: respondentScores + placeRespondent on the row's values.
    const { scores } = surveyRowScores({ recommend: '10', confidence_1: '5', confidence_2: '4', integrity_1: '5', integrity_2: '4', pride_1: '3', pride_2: '2', passion_1: '1', passion_2: '2', satisfaction: '9', continue: '9' });
    expect(placeRespondent(scores, DEFAULT_ENGAGEMENT_SETTINGS)).toBe('engaged');
    expect(scores).toEqual(respondentScores(
      [{ id: 'a', kind: 'agree5', level: 'confidence', text: { en: '', 'zh-CN': '', 'zh-TW': '' } }, { id: 'b', kind: 'agree5', level: 'confidence', text: { en: '', 'zh-CN': '', 'zh-TW': '' } },
        { id: 'c', kind: 'agree5', level: 'integrity', text: { en: '', 'zh-CN': '', 'zh-TW': '' } }, { id: 'd', kind: 'agree5', level: 'integrity', text: { en: '', 'zh-CN': '', 'zh-TW': '' } },
        { id: 'e', kind: 'agree5', level: 'pride', text: { en: '', 'zh-CN': '', 'zh-TW': '' } }, { id: 'f', kind: 'agree5', level: 'pride', text: { en: '', 'zh-CN': '', 'zh-TW': '' } },
        { id: 'g', kind: 'agree5', level: 'passion', text: { en: '', 'zh-CN': '', 'zh-TW': '' } }, { id: 'h', kind: 'agree5', level: 'passion', text: { en: '', 'zh-CN': '', 'zh-TW': '' } },
        { id: 's', kind: 'score10', role: 'satisfaction', text: { en: '', 'zh-CN': '', 'zh-TW': '' } }, { id: 'k', kind: 'score10', role: 'continue', text: { en: '', 'zh-CN': '', 'zh-TW': '' } },
        { id: 'r', kind: 'score10', role: 'recommend', text: { en: '', 'zh-CN': '', 'zh-TW': '' } }],
      { a: 5, b: 4, c: 5, d: 4, e: 3, f: 2, g: 1, h: 2, s: 9, k: 9, r: 10 },
    ));
    // Each answer is a survey_answer interaction on the contact's timeline.
    const inter = await q(
      `select i.kind, i.subject, i.occurred_at, ic.contact_id from survey_answers a join interactions i on i.org_id = a.org_id and i.id = a.interaction_id
         join interaction_contacts ic on ic.org_id = i.org_id and ic.interaction_id = i.id where a.org_id = $1 and a.contact_id = $2`,
      [t.org.id, ids.chen],
    );
    expect(inter).toEqual([{ kind: 'survey_answer', subject: 'Survey (imported) — 10/10', occurred_at: expect.anything(), contact_id: ids.chen }]);
  });

  it('rolls the accounts up: level, NPS, respondents — on the account card and the engagement page', async () => {
    const card = (await t.as(t.org.users.rep, { method: 'GET', url: `/api/v1/accounts/${ids.key}/engagement` })).json();
    // Chen, Li: fully engaged (weight 1 each); Zhao gives NPS only. NPS: 10, 9, 9 → 3 promoters.
    expect(card).toMatchObject({ level: 'fully_engaged', respondents: 2, tooFew: false, nps: 100, npsAnswers: 3 });
    expect(card.answers.every((a: { source: string }) => a.source === 'import')).toBe(true);
    const analysis = (await t.as(t.org.users.manager, { method: 'GET', url: '/api/v1/engagement' })).json();
    expect(analysis).toMatchObject({ placed: 2, tooThin: true, distribution: { fully_engaged: 1, engaged: 1 } });
    const nps = (await t.as(t.org.users.manager, { method: 'GET', url: '/api/v1/engagement/nps?by=portfolioType' })).json().data;
    expect(nps).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'key', n: 3, nps: 100 }), expect.objectContaining({ key: 'development', n: 1, nps: 100 })]));
  });

  it('a re-import of the same file adds nothing (response id and person+moment); the other organization sees none of it', async () => {
    const again = (await post(t.org.users.admin, csv)).json();
    expect(again).toMatchObject({ inserted: 0, duplicates: 5, errors: 7 });
    // Without the response ids, person and moment still find them.
    const noIds = [HEADER.replace('Response ID,', ''), ...rows.map((r) => r.replace(/^R-\d+,/, ''))].join('\n');
    expect((await post(t.org.users.admin, noIds)).json()).toMatchObject({ inserted: 0, duplicates: 5 });
    expect((await q(`select count(*)::int as n from survey_answers where org_id = $1`, [t.org.id]))[0]!.n).toBe(4);
    expect((await q(`select count(*)::int as n from interactions where org_id = $1 and kind = 'survey_answer'`, [t.org.id]))[0]!.n).toBe(4);

    // Tenant isolation: in the other organization the same file finds only its own contact.
    const other = (await post(t.other.users.admin, csv)).json();
    expect(other).toMatchObject({ inserted: 1 });
    expect(await q(`select contact_id from survey_answers where org_id = $1`, [t.other.id])).toEqual([{ contact_id: ids.otherOrgContact }]);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/imports/${jobId}` })).statusCode).toBe(404);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/accounts/${ids.key}/engagement` })).statusCode).toBe(404);
  });

  it('odd cells in a Chinese file: blank, 不知道, full-width digits, 5.0 — and a key account that drops raises an alert', async () => {
    const zh = ['邮箱,提交时间,满意度,继续合作,推荐,信心1,信心2,诚信1,诚信2,自豪1,自豪2,热爱1,热爱2,意见',
      'chen@minghua.cn,2026-11-20,３,４,２,１,2.0,1,不知道,,,,,交期总是延误',
      'wf2@minghua.cn,2026年11月21日,,,,,,,,,,,,只有意见'].join('\r\n');
    const res = (await post(t.org.users.manager, zh)).json();
    expect(res).toMatchObject({ inserted: 1, errors: 1 });
    expect(res.errorRows).toEqual([{ line: 3, field: 'recommend', message: 'no answer in this row (every score is empty)' }]);
    const [a] = await q(`select recommend, confidence, integrity, pride, placement, rational from survey_answers where org_id = $1 and contact_id = $2 order by completed_at desc limit 1`, [t.org.id, ids.chen]);
    expect(a).toMatchObject({ recommend: 2, confidence: 1.5, integrity: 1, pride: null, placement: 'actively_disengaged', rational: 3.5 });
    // Chen (latest: actively disengaged) and Li (fully engaged): (0 + 3) / 2 = 1.5 → engaged, a drop from fully engaged.
    const card = (await t.as(t.org.users.manager, { method: 'GET', url: `/api/v1/accounts/${ids.key}/engagement` })).json();
    expect(card).toMatchObject({ level: 'engaged', previousLevel: 'fully_engaged' });
    const alerts = await q(`select kind from alerts where org_id = $1 and account_id = $2 order by kind`, [t.org.id, ids.key]);
    expect(alerts.map((x) => x.kind)).toEqual(['engagement_level_drop', 'nps_drop']);
  });
});
