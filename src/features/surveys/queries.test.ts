import fc from 'fast-check';
import { expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { rollUpEngagement } from './queries.ts';
import { DEFAULT_ENGAGEMENT_SETTINGS, placeRespondent, respondentWeight, rollUpAccount, type Placement, type RespondentScores } from './rules.ts';

const level = fc.option(fc.integer({ min: 4, max: 20 }).map((x) => x / 4), { nil: null });
const answer = fc.record({
  confidence: level, integrity: level, pride: level, passion: level, emotional: level,
  rational: fc.option(fc.integer({ min: 0, max: 20 }).map((x) => x / 2), { nil: null }),
  recommend: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
  roles: fc.subarray(['decider', 'user', 'buyer', 'gatekeeper']),
  influence: fc.integer({ min: 1, max: 5 }),
  account: fc.integer({ min: 0, max: 9 }),
});

describeEachDb('engagement roll-up in SQL agrees with the rules', (mode) => {
  const t = useTestApp(mode);

  it('placement, weighted account level and NPS: SQL = rules.ts on 300 random answers (property)', async () => {
    const samples = fc.sample(answer, { numRuns: 300, seed: 17 });
    const org = t.org.id;
    const accounts = Array.from({ length: 10 }, () => uuidv7());
    const q = (text: string, params: unknown[]) => t.database.query(text, params);
    for (const [i, a] of accounts.entries()) {
      await q(`insert into accounts (org_id, id, name) values ($1, $2, $3)`, [org, a, `Roll-up ${i}`]);
      await q(`insert into opportunities (org_id, id, account_id, name, buying_stage) values ($1, $2, $2, 'Deal', 'decision')`, [org, a]);
    }
    const expected = new Map<string, { placement: Placement | null; weight: number; recommend: number | null }[]>();
    const rows: unknown[][] = [];
    for (const s of samples) {
      const contact = uuidv7();
      const acc = accounts[s.account]!;
      await q(`insert into contacts (org_id, id, account_id, full_name) values ($1, $2, $3, 'X')`, [org, contact, acc]);
      if (s.roles.length) await q(`insert into buying_center_members (org_id, opportunity_id, contact_id, roles, influence) values ($1, $2, $3, $4, $5)`, [org, acc, contact, `{${s.roles.join(',')}}`, s.influence]);
      rows.push([org, contact, acc, s.confidence, s.integrity, s.pride, s.passion, s.emotional, s.rational, s.recommend]);
      const scores: RespondentScores = { ...s, satisfaction: null, continue: null };
      const placement = placeRespondent(scores, DEFAULT_ENGAGEMENT_SETTINGS);
      const list = expected.get(acc) ?? [];
      list.push({ placement, weight: s.roles.length ? respondentWeight(s.roles, s.influence, DEFAULT_ENGAGEMENT_SETTINGS) : 1, recommend: s.recommend });
      expected.set(acc, list);
    }
    for (const r of rows) {
      await q(
        `insert into survey_answers (org_id, contact_id, account_id, confidence, integrity, pride, passion, emotional, rational, recommend, source, completed_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'import', now())`,
        r,
      );
    }
    await t.database.db.transaction((tx) => rollUpEngagement(tx, org));
    const placed = (await q(`select a.contact_id, a.confidence, a.integrity, a.pride, a.passion, a.emotional, a.rational, a.placement from survey_answers a where a.org_id = $1`, [org])).rows as Record<string, number | string | null>[];
    for (const p of placed) {
      const s = { confidence: p.confidence, integrity: p.integrity, pride: p.pride, passion: p.passion, emotional: p.emotional, rational: p.rational } as Record<string, number | null>;
      expect(p.placement).toBe(placeRespondent({ ...s, satisfaction: null, continue: null, recommend: null } as RespondentScores, DEFAULT_ENGAGEMENT_SETTINGS));
    }
    const stored = (await q(`select account_id, level, score, respondents, nps from account_engagement where org_id = $1`, [org])).rows as Record<string, unknown>[];
    expect(stored).toHaveLength(expected.size);
    for (const e of stored) {
      const want = rollUpAccount(expected.get(e.account_id as string)!, DEFAULT_ENGAGEMENT_SETTINGS);
      expect({ level: e.level, score: e.score === null ? null : Number(e.score), respondents: e.respondents, nps: e.nps === null ? null : Number(e.nps) }).toEqual({
        level: want.level, score: want.score, respondents: want.respondents, nps: want.nps.nps,
      });
    }
    // Idempotent: a second run changes nothing and raises nothing.
    const again = await t.database.db.transaction((tx) => rollUpEngagement(tx, org));
    expect(again).toEqual({ placed: 0, accounts: 0, alerts: 0 });
  });
});
