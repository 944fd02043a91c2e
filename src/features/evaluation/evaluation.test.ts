import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp, type TestContext } from '../../../tests/helpers/app.ts';
import { loadContext, loadStagedExamples, recompute, sliced } from './commands.ts';
import { openDatabase } from '../../kernel/db/index.ts';
import { ExampleSetBuilder } from './training.ts';
import { openDealRows, type ExampleRow } from './queries.ts';
import { closedDealExamples } from './test-helpers.ts';
import { DEFAULT_SETTINGS, portfolioType, scoreOpenDeal, type WinModelTerms, type WinReason } from './rules.ts';

/**
 * A hand-made history: brand owners in Germany win, importers in the US lose. The profile must
 * say so, and a fresh brand owner in Germany must out-rank a fresh importer in the US.
 */
async function seedHistory(t: TestContext, orgId: string) {
  const q = (text: string, params: unknown[]) => t.database.query(text, params);
  const mk = async (name: string, needType: string, country: string, employees: number, extra: Record<string, unknown> = {}) => {
    const { rows } = await q(
      `insert into accounts (org_id, name, kind, need_type, country, employees, price_orientation, total_annual_demand, supplier_status)
       values ($1, $2, 'customer', $3, $4, $5, $6, $7, $8) returning id`,
      [orgId, name, needType, country, employees, extra.priceOrientation ?? null, extra.demand ?? null, extra.supplierStatus ?? null],
    );
    return (rows[0] as { id: string }).id;
  };
  const deal = (accountId: string, status: 'won' | 'lost' | 'open', stage: string, lostReason: string | null = null) =>
    q(
      `insert into opportunities (org_id, account_id, name, buying_stage, status, lost_reason, amount, currency, stage_entered_at, closed_at)
       values ($1, $2, 'Deal', $3, $4, $5, 10000, 'USD', now() - interval '20 days', case when $4 = 'open' then null else now() - interval '5 days' end)`,
      [orgId, accountId, stage, status, lostReason],
    );
  for (let i = 0; i < 6; i++) {
    const id = await mk(`Brand ${i}`, 'brand_owner', 'DE', 300, { priceOrientation: 'quality', demand: 100000, supplierStatus: 'preferred' });
    await deal(id, 'won', 'decision');
    await q(`insert into orders (org_id, account_id, ordered_at, amount, currency, amount_base) values ($1, $2, current_date - 30, 40000, 'USD', 40000)`, [orgId, id]);
  }
  for (let i = 0; i < 6; i++) {
    const id = await mk(`Importer ${i}`, 'importer', 'US', 20, { priceOrientation: 'price' });
    await deal(id, 'lost', 'evaluation_of_options', 'price');
  }
  for (let i = 0; i < 4; i++) await mk(`Prospect ${i}`, i % 2 ? 'designer' : 'distributor', 'FR', 50);
  const match = await mk('Neue Marke GmbH', 'brand_owner', 'DE', 280);
  const nonMatch = await mk('Cheap Imports LLC', 'importer', 'US', 15);
  await deal(match, 'open', 'decision');
  await deal(nonMatch, 'open', 'recognition_of_needs');
  return { match, nonMatch };
}

/** `count` closed deals on one account, every `wonEvery`-th won, closed over the last `days` days. */
const addClosedDeals = (t: TestContext, accountId: string, o: { count: number; wonEvery: number; days: number }) =>
  t.database.query(
    `insert into opportunities (org_id, account_id, name, buying_stage, status, amount, currency, stage_entered_at, closed_at)
     select $1, $2, 'Old deal ' || g, (array['recognition_of_needs', 'evaluation_of_options', 'decision'])[1 + g % 3], case when g % $4 = 0 then 'won' else 'lost' end,
            1000 * g, 'USD', now() - make_interval(days => 30 + g % $5), now() - make_interval(days => g % $5)
       from generate_series(1, $3::int) g`,
    [t.org.id, accountId, o.count, o.wonEvery, o.days],
  );

describeEachDb('evaluation API', (mode) => {
  const t = useTestApp(mode);

  it('derives the profile from won accounts, ranks a matching account above a non-matching one, and explains it', async () => {
    const { manager, rep, viewer } = t.org.users;
    const { match, nonMatch } = await seedHistory(t, t.org.id);

    expect((await t.as(rep, { method: 'POST', url: '/api/v1/evaluation/recompute' })).statusCode).toBe(403);
    const run = await t.as(manager, { method: 'POST', url: '/api/v1/evaluation/recompute' });
    expect(run.statusCode).toBe(200);
    const result = run.json();
    expect(result.accounts).toBe(18);
    expect(result.openDeals).toBe(2);
    expect(result.changed).toMatchObject({ accounts: 18, openDeals: 2 });
    // Nothing changed since: a second run rewrites no row.
    const again = (await t.as(manager, { method: 'POST', url: '/api/v1/evaluation/recompute' })).json();
    expect(again.changed).toEqual({ accounts: 0, openDeals: 0, coverage: 0 });
    expect(result.profile).toMatchObject({ wonAccounts: 6, baseAccounts: 18 });
    expect(result.timingsMs.total).toBeGreaterThanOrEqual(0);

    const profile = (await t.as(viewer, { method: 'GET', url: '/api/v1/evaluation/profile' })).json();
    const need = profile.attributes.find((a: { attribute: string }) => a.attribute === 'needType');
    expect(need.entries[0]).toMatchObject({ value: 'brand_owner', won: 6 });
    expect(need.entries[0].lift).toBeGreaterThan(1.5);
    const country = profile.attributes.find((a: { attribute: string }) => a.attribute === 'country');
    expect(country.entries[0].value).toBe('DE');

    const get = async (id: string) => (await t.as(viewer, { method: 'GET', url: `/api/v1/accounts/${id}` })).json();
    const [m, n] = [await get(match), await get(nonMatch)];
    expect(m.fitScore).toBeGreaterThan(n.fitScore);
    expect(m.fitScore).toBeGreaterThan(50);
    // Six importers among twelve others are too few to call importers worse beyond chance: no vote, 50.
    expect(n.fitScore).toBeLessThanOrEqual(50);
    expect(m.fitReasons.length).toBeGreaterThan(0);
    expect(m.fitReasons.length).toBeLessThanOrEqual(3);
    expect(m.fitReasons.map((r: { label: string }) => r.label).join(' | ')).toMatch(/need type = brand owner: .*× as common among the best accounts/);
    expect(m.buyingStage).toBe('decision');
    expect(n.buyingStage).toBe('recognition_of_needs');

    const why = (await t.as(viewer, { method: 'GET', url: `/api/v1/accounts/${match}/fit` })).json();
    expect(why).toMatchObject({ accountId: match, portfolioType: m.portfolioType, tier: m.tier });
    expect(why.components.fit).toBeCloseTo(m.fitScore, 5);
    expect(why.posture).toBeTruthy();

    // The SQL classification agrees with the pure rule on every account.
    const { rows } = await t.database.query(
      `select attractiveness, relationship_score, portfolio_type, price_driven, price_orientation from accounts where org_id = $1`,
      [t.org.id],
    );
    for (const r of rows as { attractiveness: number; relationship_score: number; portfolio_type: string; price_driven: boolean; price_orientation: string | null }[]) {
      expect(r.portfolio_type).toBe(portfolioType(r.attractiveness, r.relationship_score, DEFAULT_SETTINGS));
      if (r.price_orientation === 'price') expect(r.price_driven).toBe(true);
    }

    // Six won and six lost deals are too few for a learned model: stage base rates, and the screen is told.
    const model = (await t.as(viewer, { method: 'GET', url: '/api/v1/evaluation/model' })).json();
    expect(model.kind).toBe('win_stage_base');
    expect(model.fallback).toMatch(/Too little history/);
    const deals = await t.database.query(`select account_id, win_probability, win_reasons from opportunities where org_id = $1 and status = 'open'`, [t.org.id]);
    const byAcc = new Map((deals.rows as { account_id: string; win_probability: number; win_reasons: unknown[] }[]).map((d) => [d.account_id, d]));
    expect(byAcc.get(match)!.win_probability).toBeGreaterThan(byAcc.get(nonMatch)!.win_probability);
    expect(byAcc.get(match)!.win_reasons.length).toBeGreaterThan(0);

    const portfolio = (await t.as(viewer, { method: 'GET', url: '/api/v1/evaluation/portfolio' })).json();
    expect(portfolio.total).toBe(18);
    expect(portfolio.points).toHaveLength(18);
    expect(portfolio.thresholds).toEqual({ attractiveness: 50, relationship: 50 });
    const sample = (await t.as(viewer, { method: 'GET', url: '/api/v1/evaluation/portfolio?limit=5' })).json();
    expect(sample).toMatchObject({ total: 18, sampled: true });
    expect(sample.points).toHaveLength(5);
  });

  it('keeps organizations apart', async () => {
    const spy = t.other.users.admin;
    const acc = await t.database.query(`select id from accounts where org_id = $1 limit 1`, [t.org.id]);
    const id = (acc.rows[0] as { id: string }).id;
    expect((await t.as(spy, { method: 'GET', url: `/api/v1/accounts/${id}/fit` })).statusCode).toBe(404);
    const run = (await t.as(spy, { method: 'POST', url: '/api/v1/evaluation/recompute' })).json();
    expect(run.accounts).toBe(0);
    expect((await t.as(spy, { method: 'GET', url: '/api/v1/evaluation/portfolio' })).json().total).toBe(0);
    const p = (await t.as(spy, { method: 'GET', url: '/api/v1/evaluation/profile' })).json();
    expect(p).toMatchObject({ wonAccounts: 0, baseAccounts: 0, attributes: [] });
  });

  it('saves segments over any dimension and lists their accounts', async () => {
    const { manager, viewer } = t.org.users;
    const bad = await t.as(manager, { method: 'POST', url: '/api/v1/segments', payload: { name: 'Bad', definition: { filters: { nope: 'x', 'fitScore[gt]': 'high' } } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['definition.filters.fitScore[gt]', 'definition.filters.nope']);
    const created = await t.as(manager, {
      method: 'POST',
      url: '/api/v1/segments',
      payload: { name: 'German brand owners', definition: { filters: { needType: 'brand_owner', country: 'DE', 'fitScore[gte]': '50' } } },
    });
    expect(created.statusCode).toBe(201);
    const seg = created.json();
    const list = (await t.as(viewer, { method: 'GET', url: `/api/v1/segments/${seg.id}/accounts?count=true&sort=name` })).json();
    expect(list.total).toBe(7);
    expect(list.data.every((a: { needType: string; country: string }) => a.needType === 'brand_owner' && a.country === 'DE')).toBe(true);
    const narrowed = (await t.as(viewer, { method: 'GET', url: `/api/v1/segments/${seg.id}/accounts?name[starts]=Neue` })).json();
    expect(narrowed.data.map((a: { name: string }) => a.name)).toEqual(['Neue Marke GmbH']);
    const pf = (await t.as(viewer, { method: 'GET', url: `/api/v1/evaluation/portfolio?segmentId=${seg.id}` })).json();
    expect(pf.total).toBe(7);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/segments/${seg.id}/accounts` })).statusCode).toBe(404);
    expect((await t.as(viewer, { method: 'POST', url: '/api/v1/segments', payload: { name: 'x', definition: { filters: {} } } })).statusCode).toBe(403);
  });

  it('reads large results through a cursor a slice at a time, inside the caller\'s transaction', async () => {
    await t.database.withConnection(async (c) => {
      await c.query('begin');
      try {
        const text = `select g, $1::text as tag from generate_series(1, 4500) g order by g`;
        const slices: unknown[][] = [];
        const r = await sliced(c, async (rows) => void slices.push(rows)).query(text, ['x']);
        expect(r).toMatchObject({ rows: [], rowCount: 4500 });
        expect(slices.map((s) => s.length)).toEqual([1000, 1000, 1000, 1000, 500]);
        expect(slices.flat()).toEqual((await c.query(text, ['x'])).rows);
        // The cursor is closed and the planner setting is back: the same name can be used again.
        expect((await sliced(c, async () => undefined).query('select 1 as one')).rowCount).toBe(1);
        const frac = await c.query('show cursor_tuple_fraction');
        expect(Object.values(frac.rows[0] as object)[0]).toBe('0.1');
      } finally {
        await c.query('rollback');
      }
      // A failing statement fails the call (and the caller rolls back).
      await c.query('begin');
      await expect(sliced(c, async () => undefined).query('select 1 / (g - 3) from generate_series(1, 5) g')).rejects.toThrow(/division by zero/);
      await c.query('rollback');
    });
  });

  it('loads the training snapshots through the cursor exactly as the one-piece query returns them', async () => {
    // 2,500 more closed deals on one account, so the snapshots span several fetches.
    const acc = ((await t.database.query(`select id from accounts where org_id = $1 order by name limit 1`, [t.org.id])).rows[0] as { id: string }).id;
    await addClosedDeals(t, acc, { count: 2500, wonEvery: 4, days: 200 });
    await t.database.withConnection(async (c) => {
      await c.query('begin');
      try {
        const ctx = await loadContext(c, t.org.id);
        const direct = new ExampleSetBuilder();
        direct.add((await closedDealExamples(c, t.org.id, ctx.stageRanks)) as ExampleRow[]);
        const expected = direct.finish();
        expect(expected.count).toBeGreaterThan(2500);
        // Staged: the snapshots into a temporary table, read through a cursor, then their fit.
        expect(await loadStagedExamples(c, t.org.id, ctx.stageRanks)).toEqual(expected);
      } finally {
        await c.query('rollback');
      }
    });
  });

  it('stores for every open deal what the win model gives for its features, and two recomputes at once both finish', async () => {
    const { manager } = t.org.users;
    const { match } = await seedHistory(t, t.org.id);
    // Enough won and lost history for the learned model.
    await addClosedDeals(t, match, { count: 120, wonEvery: 3, days: 90 });
    const [a, b] = await Promise.all([
      t.as(manager, { method: 'POST', url: '/api/v1/evaluation/recompute' }),
      t.as(manager, { method: 'POST', url: '/api/v1/evaluation/recompute' }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json().winModel.kind).toBe('win_logistic');
    // One ran after the other: the second found nothing left to rewrite (days in stage are whole days).
    const open = a.json().openDeals as number;
    expect(open).toBeGreaterThanOrEqual(2);
    const [fewer, more] = [a.json().changed.openDeals as number, b.json().changed.openDeals as number].sort((x, y) => x - y);
    expect(more).toBe(open);
    expect(fewer).toBe(0);
    const model = (await t.database.query(`select model from scoring_models where org_id = $1 and kind = 'win_logistic' and current`, [t.org.id])).rows[0] as { model: WinModelTerms };
    await t.database.withConnection(async (c) => {
      const ctx = await loadContext(c, t.org.id);
      const deals = await openDealRows(c, t.org.id, ctx.stageRanks);
      expect(deals).toHaveLength(open);
      for (const d of deals) {
        const s = scoreOpenDeal(model.model, {
          stage: d.stage, stageRank: d.stage_rank, daysInStage: d.days, fit: d.fit, coverage: d.coverage, engagement: d.engagement, amount: d.amount,
        });
        expect(d.win_probability).toBeCloseTo(s.p, 4);
        const stored = JSON.parse(d.win_reasons!) as WinReason[];
        expect(stored.map((r) => [r.feature, r.label])).toEqual(s.reasons.map((r) => [r.feature, r.label]));
        stored.forEach((r, i) => expect(r.weight).toBeCloseTo(s.reasons[i]!.weight, 2));
        expect(s.reasons.length).toBeGreaterThan(0);
      }
    });
  });

  it.runIf(mode === 'postgres')('runs in order on a pool of one connection (nothing waits for a second one)', async () => {
    await seedHistory(t, t.org.id);
    const before = process.env.DB_POOL_MAX;
    process.env.DB_POOL_MAX = '1';
    const one = await openDatabase({ url: process.env.TEST_DATABASE_URL! }).finally(() => {
      if (before === undefined) delete process.env.DB_POOL_MAX;
      else process.env.DB_POOL_MAX = before;
    });
    try {
      expect(one.connections).toBe(1);
      const r = await recompute(one, t.org.id);
      expect(r.accounts).toBeGreaterThan(0);
      expect(r.spansMs.coverage![1]).toBeLessThanOrEqual(r.spansMs.profile![0]);
    } finally {
      await one.close();
    }
  });
});
