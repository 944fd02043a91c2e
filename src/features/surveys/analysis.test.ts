/**
 * The engagement analysis on an organization's own data (GET /api/v1/engagement): per level the index of
 * share of wallet, revenue, revenue growth, order value and relationship growth, the gap, and the
 * comparison with the seed's +23 % / −13 % — with no verdict below the stated minimum of answers.
 * Answers come in through the survey-results import, as an organization with answers from another tool would.
 */
import { uuidv7 } from 'uuidv7';
import { beforeAll, expect, it } from 'vitest';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { describeEachDb } from '../../../tests/helpers/db.ts';

const LEVEL_ANSWERS = {
  fully_engaged: '9,9,10,5,5,5,5,5,5,5,5',
  engaged: '8,8,8,4,4,4,4,3,3,3,3',
  not_engaged: '7,7,7,3,3,3,3,3,3,3,3',
  actively_disengaged: '3,3,2,1,2,1,2,2,2,1,1',
} as const;
// Orders of the last 12 months per account at each level: an organization average of 100.
const REVENUE = { fully_engaged: 123, engaged: 100, not_engaged: 90, actively_disengaged: 87 } as const;
const HEADER = 'email,answered_at,satisfaction,continue,recommend,confidence_1,confidence_2,integrity_1,integrity_2,pride_1,pride_2,passion_1,passion_2';

describeEachDb('engagement analysis on the organization’s own data', (mode) => {
  const t = useTestApp(mode);
  const q = async (text: string, params: unknown[] = []) => (await t.database.query(text, params)).rows as Record<string, unknown>[];
  const importAnswers = async (org: typeof t.org, perLevel: number) => {
    const lines: string[] = [];
    for (const level of Object.keys(LEVEL_ANSWERS) as (keyof typeof LEVEL_ANSWERS)[]) {
      for (let i = 0; i < perLevel; i++) {
        const a = uuidv7();
        const email = `${level}.${i}@${org.id.slice(0, 8)}.example`;
        await q(`insert into accounts (org_id, id, name, kind, total_annual_demand) values ($1, $2, $3, 'customer', 1000)`, [org.id, a, `${level} ${i}`]);
        await q(`insert into contacts (org_id, id, account_id, full_name, email) values ($1, $2, $3, $4, $5)`, [org.id, uuidv7(), a, `${level} ${i}`, email]);
        await q(`insert into orders (org_id, id, account_id, order_number, ordered_at, amount, currency, amount_base) values ($1, $2, $3, $4, current_date - 30, $5, 'CNY', $5)`,
          [org.id, uuidv7(), a, `${level}-${i}`, REVENUE[level]]);
        lines.push(`${email},2026-11-01,${LEVEL_ANSWERS[level]}`);
      }
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports?entity=survey_answers&wait=true', headers: { authorization: `Bearer ${org.users.manager.token}`, 'content-type': 'text/csv' }, payload: [HEADER, ...lines].join('\n') });
    expect(res.json(), res.body).toMatchObject({ inserted: perLevel * 4, errors: 0 });
  };

  beforeAll(async () => {
    await q(`update organizations set base_currency = 'CNY' where id = any($1::uuid[])`, [[t.org.id, t.other.id]]);
    await importAnswers(t.org, 10);
    await importAnswers(t.other, 4);
  });

  it('40 placed accounts: indexes per level, the gap, and the seed’s direction found in our data', async () => {
    const a = (await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/engagement' })).json();
    expect(a).toMatchObject({ placed: 40, tooThin: false, distribution: { fully_engaged: 10, engaged: 10, not_engaged: 10, actively_disengaged: 10 }, seed: { fullyEngaged: 23, activelyDisengaged: -13, gap: [24, 37] } });
    for (const m of ['shareOfWallet', 'revenue', 'orderValue'] as const) {
      const x = a.metrics[m];
      expect([x.levels.fully_engaged.index, x.levels.engaged.index, x.levels.not_engaged.index, x.levels.actively_disengaged.index], m).toEqual([123, 100, 90, 87]);
      expect(x.levels.fully_engaged).toMatchObject({ n: 10, thin: false });
      expect(x.gapPercent, m).toBe(41.4);
      expect(x.seed, m).toEqual({ fullyVsAverage: 23, disengagedVsAverage: -13, verdict: 'as_seed' });
    }
    expect(a.metrics.revenue.org.average).toBe(100);
    expect(a.metrics.shareOfWallet.org.average).toBe(0.1);
    // No orders the year before, no status history: nothing to measure, and no verdict.
    expect(a.metrics.revenueGrowth.levels.fully_engaged).toMatchObject({ index: null, n: 0, thin: true });
    expect(a.metrics.revenueGrowth.seed).toEqual({ fullyVsAverage: null, disengagedVsAverage: null, verdict: null });
    expect(a.metrics.relationshipGrowth.seed.verdict).toBeNull();
  });

  it('the opposite of the seed is reported as such, not smoothed over', async () => {
    // The disengaged accounts buy more this time.
    await q(`update orders o set amount = 200, amount_base = 200 from accounts a where a.org_id = o.org_id and a.id = o.account_id and o.org_id = $1 and a.name like 'actively_disengaged%'`, [t.org.id]);
    const a = (await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/engagement' })).json();
    expect(a.metrics.revenue.seed.verdict).toBe('opposite');
    expect(a.metrics.revenue.gapPercent).toBeLessThan(0);
    await q(`update orders o set amount = 87, amount_base = 87 from accounts a where a.org_id = o.org_id and a.id = o.account_id and o.org_id = $1 and a.name like 'actively_disengaged%'`, [t.org.id]);
  });

  it('16 placed accounts (another organization): the figures are shown, no verdict — too few answers', async () => {
    const a = (await t.as(t.other.users.viewer, { method: 'GET', url: '/api/v1/engagement' })).json();
    expect(a).toMatchObject({ placed: 16, tooThin: true, thinTotal: 30, thinCell: 5 });
    expect(a.metrics.revenue.levels.fully_engaged).toMatchObject({ index: 123, n: 4, thin: true });
    for (const m of ['shareOfWallet', 'revenue', 'revenueGrowth', 'orderValue', 'relationshipGrowth']) expect(a.metrics[m].seed.verdict, m).toBeNull();
  });
});
