import { expect, it } from 'vitest';
import { describeEachDb, openTestDatabase } from '../../../tests/helpers/db.ts';
import { generateDemo } from '../demo/index.ts';

describeEachDb('demo voice of the customer', (mode) => {
  it('has feedback in Chinese and English across channels and complaints in every state, with deadlines and history', async () => {
    const database = await openTestDatabase(mode);
    try {
      const demo = await generateDemo(database, { accounts: 60, slug: `voc-demo-${mode}-${Date.now()}`, emailDomain: `voc-${mode}-${Date.now()}.demo` });
      const q = async (s: string) => (await database.query(s, [demo.orgId])).rows as Record<string, unknown>[];
      // Per account: two templated items and one rated review; plus every demo survey comment, once.
      const comments = (await q(`select count(*)::int as n from survey_answers where org_id = $1 and completed_at is not null and coalesce(comment, '') <> ''`))[0]!.n as number;
      expect(comments).toBeGreaterThan(0);
      expect(demo.counts.feedback).toBe(180 + comments);
      expect((await q(`select count(*)::int as n from feedback where org_id = $1 and channel = 'survey' and survey_answer_id is not null`))[0]!.n).toBe(comments);
      expect((await q(`select count(*)::int as n from feedback where org_id = $1 and channel = 'review_site' and rating is not null`))[0]!.n).toBeGreaterThanOrEqual(60);
      const states = (await q(`select distinct status from feedback where org_id = $1 and status is not null order by 1`)).map((r) => r.status);
      expect(states).toEqual(['acknowledged', 'assessed', 'closed', 'investigating', 'received', 'rejected', 'resolved', 'responded']);
      const langs = (await q(`select distinct language from feedback where org_id = $1 order by 1`)).map((r) => r.language);
      expect(langs).toEqual(['en', 'zh-CN']);
      expect((await q(`select count(distinct channel)::int as n from feedback where org_id = $1`))[0]!.n).toBeGreaterThanOrEqual(10);
      expect(await q(`select id from feedback where org_id = $1 and (sentiment is null or (status is not null and due_at is null))`)).toEqual([]);
      // Its main products have their three word-of-mouth points, suggested on the feedback with praise and criticism.
      const points = await q(`select p.code, count(*)::int as n from wom_points w join products p on p.org_id = w.org_id and p.id = w.product_id where w.org_id = $1 group by p.code order by 1`);
      expect(points).toEqual(['DL-20-AG', 'HB-UFO-150', 'PNL-6060-40', 'ST-M-100'].map((code) => ({ code, n: 3 })));
      const stances = (await q(`select distinct stance from feedback_wom where org_id = $1 order by 1`)).map((r) => r.stance);
      expect(stances).toEqual(expect.arrayContaining(['criticism', 'praise']));
      expect((await q(`select count(*)::int as n from feedback f where f.org_id = $1 and f.channel <> 'survey' and not exists (select 1 from feedback_products x where x.org_id = f.org_id and x.feedback_id = f.id)`))[0]!.n).toBe(0);
      // Every complaint's history starts with "received" and ends at its status.
      const bad = await q(`select f.id from feedback f where f.org_id = $1 and f.status is not null and (
          (select t.to_status from complaint_transitions t where t.org_id = f.org_id and t.feedback_id = f.id order by t.at, t.id limit 1) is distinct from 'received'
       or (select t.to_status from complaint_transitions t where t.org_id = f.org_id and t.feedback_id = f.id order by t.at desc, t.id desc limit 1) is distinct from f.status)`);
      expect(bad).toEqual([]);
    } finally {
      await database.close();
    }
  }, 120_000);
});
