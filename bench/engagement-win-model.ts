/**
 * Does survey engagement improve the win model's held-out calibration? (issue #17: add it only if it does.)
 *
 *   npx tsx bench/engagement-win-model.ts [--accounts 300] [--url postgres://…]
 *
 * On the demo organization (or the first organization of a database given by --url): the win model's
 * closed-deal snapshots (evaluation/queries.ts SNAPSHOTS_SQL, the same held-out split), each with the
 * account's survey engagement **as it was when the deal left that stage** — the mean placement points
 * (0 actively disengaged … 3 fully engaged) of each respondent's latest answer completed before then,
 * within the window — and whether there was any. Trains the model's logistic regression with and
 * without those two inputs and prints the held-out Brier score, skill against the base rate, log loss
 * and AUC of each, and a paired bootstrap interval of the Brier difference. Nothing is written.
 */
import { openDatabase, type Database } from '../src/kernel/db/index.ts';
import { runMigrations } from '../src/kernel/db/migrate.ts';
import { generateDemo } from '../src/features/demo/index.ts';
import { SNAPSHOTS_SQL } from '../src/features/evaluation/queries.ts';
import { aucSorted, calibration, evaluationSettings, isHeldOut, predictLogistic, trainLogistic } from '../src/features/evaluation/rules.ts';
import { loadEngagementSettings } from '../src/features/surveys/queries.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

async function main() {
  const url = arg('url');
  const database: Database = await openDatabase(url ? { url, worker: false } : { worker: false });
  try {
    if (!url) {
      await runMigrations(database);
      await generateDemo(database, { accounts: Number(arg('accounts') ?? 300) });
    }
    const org = (await database.query(`select id, settings from organizations order by created_at limit 1`)).rows[0] as { id: string; settings: Record<string, unknown> };
    const settings = evaluationSettings(org.settings);
    const eng = await loadEngagementSettings(database.db, org.id);
    const stages = (await database.query(`select key, meta from vocab_terms where org_id = $1 and vocabulary = 'buying_stage' and active order by position, key`, [org.id])).rows as { key: string; meta: Record<string, unknown> }[];
    const ranks = Object.fromEntries(stages.map((s, i) => [s.key, typeof s.meta?.rank === 'number' ? s.meta.rank : i + 1]));
    // The snapshots with the point-in-time survey engagement of their account beside them.
    const { rows } = await database.query(
      `with s as (${SNAPSHOTS_SQL.replace(/\bselect s\.id as deal_id\b/, 'select s.left_at, s.id as deal_id')}),
            pts as (
              select s.deal_id, s.stage, s.entered, avg(array_position(array['actively_disengaged','not_engaged','engaged','fully_engaged']::text[], x.placement) - 1)::float8 as score, count(*)::int as n
                from s cross join lateral (
                  select distinct on (a.contact_id) a.placement from survey_answers a
                   where a.org_id = $1 and a.account_id = s.account_id and a.completed_at is not null and a.completed_at <= s.left_at
                     and a.completed_at > s.left_at - make_interval(days => $4::int)
                   order by a.contact_id, a.completed_at desc, a.id desc) x
               where x.placement is not null
               group by 1, 2, 3)
       select s.deal_id, s.won, s.stage_rank, s.days, s.coverage, s.engagement, s.amount, coalesce(ac.fit_score, 50)::float8 as fit,
              p.score, coalesce(p.n, 0) as respondents
         from s join accounts ac on ac.org_id = $1 and ac.id = s.account_id
         left join pts p on p.deal_id = s.deal_id and p.stage = s.stage and p.entered = s.entered
        order by s.deal_id, s.entered`,
      [org.id, JSON.stringify(ranks), 20_000, eng.windowDays],
    );
    type R = { deal_id: string; won: boolean; stage_rank: number; days: number; coverage: number; engagement: number; amount: number; fit: number; score: number | null; respondents: number };
    const all = rows as R[];
    const base = (r: R) => [Number(r.stage_rank), Math.log1p(Math.max(0, Number(r.days))), Number(r.fit), Number(r.coverage), Number(r.engagement), Math.log1p(Math.max(0, Number(r.amount)))];
    const withSurvey = (r: R) => [...base(r), r.score === null ? 0 : 1, r.score === null ? 0 : Number(r.score)];
    const train = all.filter((r) => !isHeldOut(r.deal_id, settings.holdoutShare));
    const test = all.filter((r) => isHeldOut(r.deal_id, settings.holdoutShare));
    const known = (xs: R[]) => xs.filter((r) => r.score !== null).length;
    console.log(`closed-deal snapshots: ${all.length} (train ${train.length}, held out ${test.length}); with a survey engagement known at the time: train ${known(train)}, held out ${known(test)}`);
    console.log(`deals: ${new Set(all.map((r) => r.deal_id)).size}, won share ${(all.filter((r) => r.won).length / Math.max(1, all.length)).toFixed(3)}`);
    const y = test.map((r) => (r.won ? 1 : 0));
    const report = (name: string, f: (r: R) => number[]) => {
      const m = trainLogistic(train.map(f), train.map((r) => (r.won ? 1 : 0)));
      const pred = test.map((r) => predictLogistic(m, f(r)));
      const c = calibration(pred, y);
      const auc = aucSorted(Float64Array.from(pred.filter((_, i) => y[i] === 1)).sort(), Float64Array.from(pred.filter((_, i) => y[i] === 0)).sort());
      const skill = c.brier !== null && c.brierBaseline ? 1 - c.brier / c.brierBaseline : null;
      console.log(`${name.padEnd(34)} Brier ${c.brier?.toFixed(4)}  base ${c.brierBaseline?.toFixed(4)}  skill ${skill?.toFixed(4)}  log loss ${c.logLoss?.toFixed(4)}  AUC ${auc?.toFixed(4)}`);
      return { brier: c.brier, skill, auc, pred };
    };
    const a = report('model inputs as deployed', base);
    const b = report('+ survey engagement at the time', withSurvey);
    // Paired bootstrap over held-out deals (a deal's snapshots stay together): the Brier difference's 95 % interval.
    const byDeal = new Map<string, number[]>();
    test.forEach((r, i) => byDeal.set(r.deal_id, [...(byDeal.get(r.deal_id) ?? []), i]));
    const groups = [...byDeal.values()];
    let seed = 17;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const diffs: number[] = [];
    for (let k = 0; k < 2000; k++) {
      let sa = 0;
      let sb = 0;
      let n = 0;
      for (let g = 0; g < groups.length; g++) {
        for (const i of groups[Math.floor(rand() * groups.length)]!) {
          sa += (a.pred[i]! - y[i]!) ** 2;
          sb += (b.pred[i]! - y[i]!) ** 2;
          n++;
        }
      }
      diffs.push((sb - sa) / n);
    }
    diffs.sort((p, q) => p - q);
    const lo = diffs[Math.floor(0.025 * diffs.length)]!;
    const hi = diffs[Math.floor(0.975 * diffs.length)]!;
    console.log(`Brier with − without engagement: ${((b.brier ?? 0) - (a.brier ?? 0)).toFixed(4)}, 95 % interval (paired bootstrap over ${groups.length} held-out deals) ${lo.toFixed(4)} … ${hi.toFixed(4)}`);
    console.log(hi < 0 ? 'survey engagement improves held-out calibration: the whole interval is below 0' : 'survey engagement does not improve held-out calibration beyond chance (the interval reaches 0): leave it out of the model');
  } finally {
    await database.close();
  }
}

void main();
