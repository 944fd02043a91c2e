/**
 * Survey answers out and back in: the CSV export of one survey version (who, account, when, NPS score
 * and band, level, free text, every item by id) and its re-import through the survey-result import,
 * naming the survey, which gives back the same answers in that survey's results. Also: imported
 * files whose item columns are mapped to the questionnaire's items (by id or by wording).
 */
import { parse } from 'csv-parse/sync';
import { uuidv7 } from 'uuidv7';
import { beforeAll, expect, it } from 'vitest';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { DEFAULT_ITEMS } from './items.ts';
import { ANSWER_EXPORT_COLUMNS } from './export.ts';
import type { Values } from './rules.ts';

type Row = Record<string, unknown>;
type Link = { contactId: string; token: string };

const SCORED = DEFAULT_ITEMS.filter((i) => i.kind !== 'text');
const answersFor = (level: number, rational: number, recommend: number): Values =>
  Object.fromEntries(SCORED.map((i) => [i.id, i.kind === 'agree5' ? level : i.role === 'recommend' ? recommend : rational]));

describeEachDb('survey answers: CSV export and re-import', (mode) => {
  const t = useTestApp(mode);
  const q = async (text: string, params: unknown[] = []) => (await t.database.query(text, params)).rows as Row[];
  const acc = { a: uuidv7(), b: uuidv7() };
  const who = { chen: uuidv7(), li: uuidv7(), zhao: uuidv7(), wu: uuidv7() };
  let surveyId = '';
  let links: Link[] = [];
  const put = (token: string, payload: unknown) => t.app.inject({ method: 'PUT', url: `/api/v1/public/surveys/${token}/answer`, payload: payload as object });
  const tokenOf = (contactId: string) => links.find((l) => l.contactId === contactId)!.token;
  const exportCsv = (user: { token: string }, query: string) => t.app.inject({ method: 'GET', url: `/api/v1/exports/survey_answers?${query}`, headers: { authorization: `Bearer ${user.token}` } });
  const importCsv = (csv: string, query: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1/imports?entity=survey_answers&wait=true&${query}`, headers: { authorization: `Bearer ${t.org.users.manager.token}`, 'content-type': 'text/csv', 'x-filename': 'answers.csv' }, payload: csv });
  const rowsOf = (csv: string) => parse(csv, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const ANSWER_COLS = `contact_id, account_id, survey_id, version_id, answers, comment, language, completed_at, recommend, satisfaction, continuation, rational, confidence, integrity, pride, passion, emotional, placement`;
  const answersOf = (survey: string) => q(`select ${ANSWER_COLS} from survey_answers where org_id = $1 and survey_id = $2 and completed_at is not null order by contact_id`, [t.org.id, survey]);

  beforeAll(async () => {
    const m = t.org.users.manager.id;
    await q(`insert into accounts (org_id, id, name, kind, owner_id, portfolio_type) values ($1, $2, '明华照明', 'customer', $4, 'key'), ($1, $3, 'Delta, "Trading"', 'customer', $4, null)`, [t.org.id, acc.a, acc.b, m]);
    await q(
      `insert into contacts (org_id, id, account_id, full_name, email, language) values
         ($1, $2, $6, '陈静', 'chen@minghua.cn', 'zh-CN'), ($1, $3, $6, 'Li Wei', null, 'zh-TW'), ($1, $4, $7, 'Zhao Min', 'zhao@delta.example', 'en'), ($1, $5, $7, 'Wu Lan', 'wu@delta.example', 'en')`,
      [t.org.id, who.chen, who.li, who.zhao, who.wu, acc.a, acc.b],
    );
    const s = await t.as(t.org.users.manager, { method: 'POST', url: '/api/v1/surveys', payload: { name: 'Engagement 2026', language: 'en' } });
    surveyId = s.json().id;
    const sent = await t.as(t.org.users.manager, { method: 'POST', url: `/api/v1/surveys/${surveyId}/recipients`, payload: { accountIds: [acc.a, acc.b] } });
    links = sent.json().links;
    // Three complete answers (one with "don't know" and a comment a CSV must quote), one only started.
    expect((await put(tokenOf(who.chen), { answers: { ...answersFor(5, 9, 10), pass2: null }, comment: '交期, 要"更准"\nsecond line', complete: true })).statusCode).toBe(200);
    expect((await put(tokenOf(who.li), { answers: answersFor(2, 5, 6), complete: true })).statusCode).toBe(200);
    expect((await put(tokenOf(who.zhao), { answers: answersFor(4, 8, 8), complete: true })).statusCode).toBe(200);
    expect((await put(tokenOf(who.wu), { answers: { conf1: 4 } })).statusCode).toBe(200);
  });

  it('exports every completed answer of the version: respondent, account, date, NPS, level, comment, items by id', async () => {
    const res = await exportCsv(t.org.users.viewer, `surveyId=${surveyId}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/survey-answers-v1-\d{4}-\d{2}-\d{2}\.csv/);
    const [header] = parse(res.body, { bom: true, to_line: 1 }) as string[][];
    expect(header).toEqual([...ANSWER_EXPORT_COLUMNS, ...SCORED.map((i) => `item.${i.id}`)]);
    const rows = rowsOf(res.body);
    // The started answer is not in it.
    expect(rows.map((r) => r.contact_name).sort()).toEqual(['Li Wei', 'Zhao Min', '陈静']);
    const stored = await q(`select id, contact_id, placement, to_char(completed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at from survey_answers where org_id = $1 and survey_id = $2 and completed_at is not null`, [t.org.id, surveyId]);
    const chen = rows.find((r) => r.contact_name === '陈静')!;
    const chenStored = stored.find((s) => s.contact_id === who.chen)!;
    expect(chen).toMatchObject({
      external_id: chenStored.id, external_source: 'accord', survey: 'Engagement 2026', survey_version: '1', contact_email: 'chen@minghua.cn', account: '明华照明', account_id: acc.a,
      answered_at: chenStored.at, recommend: '10', nps_band: 'promoter', level: chenStored.placement, comment: '交期, 要"更准"\nsecond line', language: 'zh-CN',
      'item.conf1': '5', 'item.pass2': 'dk', 'item.sat': '9', 'item.rec': '10',
    });
    expect(chen.level).toBe('fully_engaged');
    const li = rows.find((r) => r.contact_name === 'Li Wei')!;
    expect(li).toMatchObject({ contact_email: '', recommend: '6', nps_band: 'detractor', level: 'actively_disengaged', comment: '', 'item.conf1': '2' });
    expect(rows.find((r) => r.contact_name === 'Zhao Min')).toMatchObject({ account: 'Delta, "Trading"', recommend: '8', nps_band: 'passive' });
  });

  it('an unknown version is a 404, another organization gets a 404, a bad id a 400', async () => {
    expect((await exportCsv(t.org.users.manager, `surveyId=${surveyId}&version=1`)).statusCode).toBe(200);
    expect((await exportCsv(t.org.users.manager, `surveyId=${surveyId}&version=7`)).statusCode).toBe(404);
    expect((await exportCsv(t.other.users.manager, `surveyId=${surveyId}`)).statusCode).toBe(404);
    const bad = await exportCsv(t.org.users.manager, `surveyId=nope`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toContain('surveyId');
  });

  it('round trip: the exported file re-imports into the survey and gives back the same answers and results', async () => {
    const csv = (await exportCsv(t.org.users.manager, `surveyId=${surveyId}`)).body;
    const before = await answersOf(surveyId);
    const resultsBefore = (await t.as(t.org.users.manager, { method: 'GET', url: `/api/v1/surveys/${surveyId}/results` })).json();
    expect(before).toHaveLength(3);
    // Gone from Accord (as if lost, or moving to another organization) …
    await q(`delete from feedback where org_id = $1 and survey_answer_id in (select id from survey_answers where org_id = $1 and survey_id = $2)`, [t.org.id, surveyId]);
    await q(`delete from survey_answers where org_id = $1 and survey_id = $2 and completed_at is not null`, [t.org.id, surveyId]);
    expect(await answersOf(surveyId)).toEqual([]);
    // … and back from the file, as it was written: every column found by its header.
    const res = await importCsv(csv, `surveyId=${surveyId}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ totalRows: 3, inserted: 3, errors: 0, duplicates: 0 });
    const after = await answersOf(surveyId);
    expect(after).toEqual(before);
    const resultsAfter = (await t.as(t.org.users.manager, { method: 'GET', url: `/api/v1/surveys/${surveyId}/results` })).json();
    expect({ nps: resultsAfter.nps, placements: resultsAfter.placements, levels: resultsAfter.levels, completed: resultsAfter.completed })
      .toEqual({ nps: resultsBefore.nps, placements: resultsBefore.placements, levels: resultsBefore.levels, completed: resultsBefore.completed });
    expect(resultsAfter.comments.map((c: { comment: string }) => c.comment)).toEqual(['交期, 要"更准"\nsecond line']);
    // The file again: every row is a duplicate (the same response id), nothing added.
    expect((await importCsv(csv, `surveyId=${surveyId}`)).json()).toMatchObject({ inserted: 0, duplicates: 3 });
  });

  it('columns named by the question wording map to the survey\'s items; the answers count in its results', async () => {
    const s = await t.as(t.org.users.manager, { method: 'POST', url: '/api/v1/surveys', payload: { name: '外部问卷', language: 'zh-CN' } });
    const other = s.json().id as string;
    const text = (id: string) => DEFAULT_ITEMS.find((i) => i.id === id)!.text['zh-CN'];
    // Headers: the zh-CN question wording for two items, ids for the others, the fixed NPS column.
    const header = ['邮箱', '提交时间', '推荐', text('conf1'), text('conf2'), 'intg1', 'item.intg2', 'prid1', 'prid2', 'pass1', 'pass2', '意见'];
    const csv = [header.map((h) => `"${h}"`).join(','), 'zhao@delta.example,2026-10-01 10:00,9,5,4,4,4,不知道,4,4,5,好', 'wu@delta.example,2026-10-02,3,6,4,4,4,4,4,4,4,'].join('\n') + '\n';
    const preview = await t.app.inject({
      method: 'POST', url: `/api/v1/imports/preview?entity=survey_answers&surveyId=${other}`,
      headers: { authorization: `Bearer ${t.org.users.manager.token}`, 'content-type': 'text/csv' }, payload: csv,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json();
    expect(p.mapping).toMatchObject({ [text('conf1')]: 'item.conf1', [text('conf2')]: 'item.conf2', intg1: 'item.intg1', 'item.intg2': 'item.intg2', 推荐: 'recommend' });
    // The survey's items are the wizard's targets; the fixed level slots are not.
    const keys = (p.fields as { key: string; type: string }[]).map((f) => f.key);
    expect(keys).toEqual(expect.arrayContaining(SCORED.map((i) => `item.${i.id}`)));
    expect(keys).not.toContain('confidence_1');
    const res = await importCsv(csv, `surveyId=${other}`);
    expect(res.json()).toMatchObject({ inserted: 1, errors: 1 });
    // 6 on a 1–5 item is that item's error.
    expect(res.json().errorRows).toEqual([expect.objectContaining({ line: 3, field: 'item.conf1' })]);
    const [a] = await q(`select survey_id, version_id, answers, confidence, integrity, recommend, placement from survey_answers where org_id = $1 and survey_id = $2`, [t.org.id, other]);
    const [v] = await q(`select current_version_id from surveys where org_id = $1 and id = $2`, [t.org.id, other]);
    expect(a).toMatchObject({ survey_id: other, version_id: v!.current_version_id, recommend: 9, confidence: 4.5, integrity: 4, placement: 'fully_engaged' });
    // Keyed by the survey's item ids, like an answer given through a link; "don't know" kept as null.
    expect(a!.answers).toEqual({ rec: 9, conf1: 5, conf2: 4, intg1: 4, intg2: 4, prid1: null, prid2: 4, pass1: 4, pass2: 5 });
    const results = (await t.as(t.org.users.manager, { method: 'GET', url: `/api/v1/surveys/${other}/results` })).json();
    expect(results).toMatchObject({ completed: 1, nps: { n: 1, promoters: 1 }, placements: { fully_engaged: 1 } });
  });

  it('naming a survey: fixed level slots are refused, an unknown or foreign survey is a 400; without one, items map to the item bank', async () => {
    const slots = 'Email,Submitted,NPS,Confidence 1,Integrity 1\nzhao@delta.example,2026-09-01,9,4,4\n';
    // Suggested, they are left unmapped (the survey's items are the targets) …
    const suggested = await importCsv(slots, `surveyId=${surveyId}&dryRun=true`);
    expect(suggested.json()).toMatchObject({ inserted: 1, errors: 0 });
    const [job] = await q(`select mapping from import_jobs where org_id = $1 and id = $2`, [t.org.id, suggested.json().jobId]);
    expect(job!.mapping).toEqual({ Email: 'contact_email', Submitted: 'answered_at', NPS: 'recommend' });
    // … and chosen, refused.
    const mapping = encodeURIComponent(JSON.stringify({ Email: 'contact_email', Submitted: 'answered_at', NPS: 'recommend', 'Confidence 1': 'confidence_1' }));
    const refused = await importCsv(slots, `surveyId=${surveyId}&mapping=${mapping}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('item.<id>');
    for (const id of [uuidv7(), (await t.as(t.other.users.manager, { method: 'POST', url: '/api/v1/surveys', payload: { name: 'Theirs' } })).json().id]) {
      const r = await importCsv(slots, `surveyId=${id}`);
      expect(r.statusCode).toBe(400);
      expect(r.json().error.fields).toEqual([expect.objectContaining({ path: 'surveyId' })]);
    }
    expect((await importCsv(slots, `surveyId=${surveyId}&surveyVersion=5`)).json().error.fields).toEqual([expect.objectContaining({ path: 'surveyVersion' })]);
    // No survey: bank item ids and the fixed slots side by side; the answer is in no survey.
    const bank = 'Email,Submitted,NPS,item.conf1,conf2,Integrity 1\nwu@delta.example,2026-09-02 08:00,10,5,4,2\n';
    expect((await importCsv(bank, '')).json()).toMatchObject({ inserted: 1, errors: 0 });
    const [a] = await q(`select survey_id, answers, confidence, integrity from survey_answers where org_id = $1 and contact_id = $2 and completed_at = '2026-09-02 08:00'`, [t.org.id, who.wu]);
    expect(a).toMatchObject({ survey_id: null, answers: { rec: 10, conf1: 5, conf2: 4, integrity_1: 2 }, confidence: 4.5, integrity: 2 });
  });
});
