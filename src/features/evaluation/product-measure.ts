/**
 * Do products improve the win model's held-out calibration? (issue #16: "products become a dimension
 * of the evaluation where it improves held-out calibration; say what you measured".) The measurement
 * that decides, re-runnable on any organization: `npx tsx bench/products-win-model.ts [--accounts N]
 * [--url …]`, and run on a small demo by product-measure.test.ts. Nothing is written.
 *
 * The win model's own closed-deal snapshots and held-out split (queries.ts SNAPSHOTS_SQL, rules.ts
 * isHeldOut), its inputs as deployed, and beside them, per snapshot:
 * - **bought before**: how many orders the account had placed before the deal left that stage (the
 *   account's history with us, without products — the control);
 * - **lines bought before**: for each product line, whether the account had bought it (an order line
 *   of one of its products on an order placed before then) — what the derived profile could see;
 * - **deal's lines**: for each product line, its share of the deal's line totals. Lines have no
 *   history (like amounts, docs/evaluation.md): these are the lines as they are now.
 * Each variant is trained on the training snapshots (the model's regularized logistic regression) and
 * scored on the held-out ones; the Brier difference gets a paired bootstrap interval over held-out
 * deals. A variant improves calibration only when the whole interval is below zero.
 */
import type { Database } from '../../kernel/db/index.ts';
import { SNAPSHOTS_SQL } from './queries.ts';
import { aucSorted, calibration, evaluationSettings, isHeldOut, pairedBrierBootstrap, predictLogistic, trainLogistic } from './rules.ts';

type Snapshot = {
  deal_id: string; won: boolean; stage_rank: number; days: number; coverage: number; engagement: number; amount: number; fit: number;
  orders_before: number; lines_before: string[] | null; deal_lines: Record<string, number> | null;
};

export type VariantScore = { name: string; brier: number | null; skill: number | null; auc: number | null };
export type Comparison = { base: string; variant: string; diff: number; lo: number; hi: number; improves: boolean };
export type ProductMeasurement = {
  snapshots: { train: number; heldOut: number; heldOutDeals: number };
  /** Snapshots whose account had bought something before / whose deal has lines. */
  withHistory: { train: number; heldOut: number };
  withDealLines: { train: number; heldOut: number };
  productLines: string[];
  variants: VariantScore[];
  comparisons: Comparison[];
};

/** The snapshots with the account's order history and product lines as they were when the deal left the stage, and the deal's lines. */
async function loadSnapshots(database: Database, orgId: string): Promise<Snapshot[]> {
  const stages = (await database.query(`select key, meta from vocab_terms where org_id = $1 and vocabulary = 'buying_stage' and active order by position, key`, [orgId])).rows as { key: string; meta: Record<string, unknown> }[];
  const ranks = Object.fromEntries(stages.map((s, i) => [s.key, typeof s.meta?.rank === 'number' ? s.meta.rank : i + 1]));
  const { rows } = await database.query(
    `with s as (${SNAPSHOTS_SQL.replace(/\bselect s\.id as deal_id\b/, 'select s.left_at, s.id as deal_id')}),
          hist as (
            select s.deal_id, s.stage, s.entered, count(distinct o.id)::int as orders_before,
                   array_agg(distinct p.product_line) filter (where p.product_line is not null) as lines_before
              from s join orders o on o.org_id = $1 and o.account_id = s.account_id and o.deleted_at is null and o.status <> 'cancelled'
                and o.ordered_at < s.left_at::date
              left join order_lines l on l.org_id = $1 and l.order_id = o.id
              left join products p on p.org_id = $1 and p.id = l.product_id
             group by 1, 2, 3),
          dl as (
            select x.opportunity_id, jsonb_object_agg(x.line, x.share) as lines from (
              select l.opportunity_id, p.product_line as line, (sum(l.line_total) / nullif(sum(sum(l.line_total)) over (partition by l.opportunity_id), 0))::float8 as share
                from opportunity_lines l join products p on p.org_id = $1 and p.id = l.product_id
               where l.org_id = $1 and p.product_line is not null group by 1, 2) x
             where x.share is not null group by 1)
     select s.deal_id, s.won, s.stage_rank, s.days, s.coverage, s.engagement, s.amount, coalesce(ac.fit_score, 50)::float8 as fit,
            coalesce(h.orders_before, 0) as orders_before, h.lines_before, dl.lines as deal_lines
       from s join accounts ac on ac.org_id = $1 and ac.id = s.account_id
       left join hist h on h.deal_id = s.deal_id and h.stage = s.stage and h.entered = s.entered
       left join dl on dl.opportunity_id = s.deal_id
      order by s.deal_id, s.entered`,
    [orgId, JSON.stringify(ranks), 20_000],
  );
  return rows as Snapshot[];
}

export async function measureProductFeatures(database: Database, orgId: string, opts: { resamples?: number } = {}): Promise<ProductMeasurement> {
  const org = (await database.query(`select settings from organizations where id = $1`, [orgId])).rows[0] as { settings: Record<string, unknown> };
  const settings = evaluationSettings(org.settings);
  const all = await loadSnapshots(database, orgId);
  const productLines = [...new Set(all.flatMap((r) => [...(r.lines_before ?? []), ...Object.keys(r.deal_lines ?? {})]))].sort();
  const base = (r: Snapshot) => [Number(r.stage_rank), Math.log1p(Math.max(0, Number(r.days))), Number(r.fit), Number(r.coverage), Number(r.engagement), Math.log1p(Math.max(0, Number(r.amount)))];
  const history = (r: Snapshot) => [...base(r), Math.log1p(Number(r.orders_before))];
  const bought = (r: Snapshot) => productLines.map((l) => (r.lines_before?.includes(l) ? 1 : 0));
  const dealLines = (r: Snapshot) => productLines.map((l) => Number(r.deal_lines?.[l] ?? 0));
  const variants: [string, (r: Snapshot) => number[]][] = [
    ['model inputs as deployed', base],
    ['+ product lines bought before', (r) => [...base(r), ...bought(r)]],
    ['+ orders before', history],
    ['+ orders before + product lines bought before', (r) => [...history(r), ...bought(r)]],
    ["+ the deal's product lines", (r) => [...base(r), ...dealLines(r)]],
  ];
  const train = all.filter((r) => !isHeldOut(r.deal_id, settings.holdoutShare));
  const test = all.filter((r) => isHeldOut(r.deal_id, settings.holdoutShare));
  const y = test.map((r) => (r.won ? 1 : 0));
  const scores = new Map<string, { score: VariantScore; pred: number[] }>();
  for (const [name, f] of variants) {
    const m = trainLogistic(train.map(f), train.map((r) => (r.won ? 1 : 0)));
    const pred = test.map((r) => predictLogistic(m, f(r)));
    const c = calibration(pred, y);
    const auc = aucSorted(Float64Array.from(pred.filter((_, i) => y[i] === 1)).sort(), Float64Array.from(pred.filter((_, i) => y[i] === 0)).sort());
    const skill = c.brier !== null && c.brierBaseline ? 1 - c.brier / c.brierBaseline : null;
    scores.set(name, { score: { name, brier: c.brier, skill, auc }, pred });
  }
  const byDeal = new Map<string, number[]>();
  test.forEach((r, i) => byDeal.set(r.deal_id, [...(byDeal.get(r.deal_id) ?? []), i]));
  const groups = [...byDeal.values()];
  const compare = (a: string, b: string): Comparison => {
    const r = pairedBrierBootstrap(scores.get(a)!.pred, scores.get(b)!.pred, y, groups, { resamples: opts.resamples });
    return { base: a, variant: b, diff: r.diff, lo: r.lo, hi: r.hi, improves: r.hi < 0 };
  };
  const count = (xs: Snapshot[], p: (r: Snapshot) => boolean) => xs.filter(p).length;
  return {
    snapshots: { train: train.length, heldOut: test.length, heldOutDeals: groups.length },
    withHistory: { train: count(train, (r) => r.orders_before > 0), heldOut: count(test, (r) => r.orders_before > 0) },
    withDealLines: { train: count(train, (r) => !!r.deal_lines), heldOut: count(test, (r) => !!r.deal_lines) },
    productLines,
    variants: [...scores.values()].map((s) => s.score),
    comparisons: [
      compare('model inputs as deployed', '+ product lines bought before'),
      compare('+ orders before', '+ orders before + product lines bought before'),
      compare('model inputs as deployed', "+ the deal's product lines"),
      compare('model inputs as deployed', '+ orders before'),
    ],
  };
}
