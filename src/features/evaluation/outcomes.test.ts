/**
 * The profile and the portfolio read what happened (issues #22, #23): hand-made histories where
 * every account has won something, through the HTTP API.
 */
import { beforeEach, expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { createTestOrg, useTestApp, type TestContext, type TestOrg } from '../../../tests/helpers/app.ts';

type Acc = { name: string; industry?: string | null; country?: string | null; won: number; lost: number; lostOnPrice?: number; amount?: number; ordered?: number };

/** Accounts with only the attributes given (no demand, status, price orientation typed in), and their closed deals and orders. */
async function seed(t: TestContext, org: TestOrg, accounts: Acc[]) {
  const q = (text: string, params: unknown[]) => t.database.query(text, params);
  const ids: Record<string, string> = {};
  for (const a of accounts) {
    const { rows } = await q(`insert into accounts (org_id, name, kind, industry, country) values ($1, $2, 'customer', $3, $4) returning id`, [org.id, a.name, a.industry ?? null, a.country ?? null]);
    const id = (rows[0] as { id: string }).id;
    ids[a.name] = id;
    await q(
      `insert into opportunities (org_id, account_id, name, buying_stage, status, lost_reason, amount, currency, stage_entered_at, closed_at)
       select $1, $2, 'Deal ' || g, 'decision', case when g <= $3::int then 'won' else 'lost' end,
              case when g > $3::int and g - $3::int <= $5::int then 'price' end, $6::numeric, 'USD', now() - interval '60 days', now() - make_interval(days => 10 + g)
         from generate_series(1, $3::int + $4::int) g`,
      [org.id, id, a.won, a.lost, a.lostOnPrice ?? 0, a.amount ?? 10000],
    );
    if (a.ordered) await q(`insert into orders (org_id, account_id, ordered_at, amount, currency, amount_base) values ($1, $2, current_date - 30, $3::numeric, 'USD', $3::numeric)`, [org.id, id, a.ordered]);
  }
  return ids;
}

describeEachDb('profile and portfolio read what happened', (mode) => {
  const t = useTestApp(mode);
  // Each test its own organization: the profile and the axes are read over a whole one.
  let org: TestOrg;
  beforeEach(async () => {
    org = await createTestOrg(t.database, 'Outcomes');
  });
  const recompute = async () => {
    const r = await t.as(org.users.manager, { method: 'POST', url: '/api/v1/evaluation/recompute' });
    expect(r.statusCode).toBe(200);
    return r.json();
  };
  const get = async (url: string) => (await t.as(org.users.viewer, { method: 'GET', url })).json();
  const fits = async () => (await t.database.query(`select name, fit_score from accounts where org_id = $1 order by name`, [org.id])).rows as { name: string; fit_score: number | null }[];

  it('says no attribute separates the accounts when none does, and leaves fit unknown instead of 50', async () => {
    // Every account has won; win rates 1/1 … 1/5 spread evenly over the three industries and two countries.
    const industries = ['lighting', 'retail', 'wholesale'];
    await seed(t, org, Array.from({ length: 30 }, (_, i) => ({ name: `A${String(i).padStart(2, '0')}`, industry: industries[i % 3], country: i % 2 ? 'DE' : 'FR', won: 1, lost: i % 5 })));
    const run = await recompute();
    expect(run.profile.wonAccounts).toBeGreaterThan(0);
    expect(run.profile.wonAccounts).toBeLessThan(30);
    const p = await get('/api/v1/evaluation/profile');
    expect(p.separates).toBe(false);
    expect(p.statement).toBe('No attribute separates your won accounts from the others yet');
    expect(p.attributes.flatMap((a: { entries: { separates: boolean }[] }) => a.entries).some((e: { separates: boolean }) => e.separates)).toBe(false);
    expect((await fits()).every((a) => a.fit_score === null)).toBe(true);
    const id = (await t.database.query(`select id from accounts where org_id = $1 limit 1`, [org.id])).rows[0] as { id: string };
    const why = await get(`/api/v1/accounts/${id.id}/fit`);
    expect(why.fitScore).toBeNull();
    expect(why.components.fit).toBeNull();
  });

  it('finds the one planted attribute that separates the best accounts', async () => {
    // Every account has won; the manufacturers win everything, the others one deal in four. Country is noise.
    await seed(t, org, [
      ...Array.from({ length: 10 }, (_, i) => ({ name: `M${i}`, industry: 'manufacturing', country: i % 2 ? 'DE' : 'FR', won: 4, lost: 0 })),
      ...Array.from({ length: 20 }, (_, i) => ({ name: `R${i}`, industry: i % 2 ? 'retail' : 'wholesale', country: i % 2 ? 'DE' : 'FR', won: 1, lost: 3 })),
    ]);
    const run = await recompute();
    expect(run.profile.wonAccounts).toBe(10);
    const p = await get('/api/v1/evaluation/profile');
    expect(p.separates).toBe(true);
    expect(p.statement).toBeNull();
    const sep = p.attributes.flatMap((a: { attribute: string; entries: { value: string; separates: boolean; lift: number }[] }) => a.entries.filter((e) => e.separates).map((e) => `${a.attribute}=${e.value}`));
    expect(sep).toContain('industry=manufacturing');
    expect(sep.filter((s: string) => s.startsWith('country='))).toEqual([]);
    const byName = new Map((await fits()).map((a) => [a.name, a.fit_score]));
    expect(byName.get('M0')!).toBeGreaterThan(50);
    expect(byName.get('R0')!).toBeLessThan(byName.get('M0')!);
  });

  it('places accounts on both axes by what they bought, won and lost', async () => {
    const ids = await seed(t, org, [
      ...Array.from({ length: 4 }, (_, i) => ({ name: `Big ${i}`, won: 3, lost: 0, amount: 80000, ordered: 150000 + 10000 * i })),
      ...Array.from({ length: 4 }, (_, i) => ({ name: `Mid ${i}`, won: 1, lost: 1, amount: 20000 + 1000 * i })),
      ...Array.from({ length: 4 }, (_, i) => ({ name: `Lost ${i}`, won: 0, lost: 3, lostOnPrice: 2, amount: 20000 + 1000 * i })),
    ]);
    await recompute();
    const pf = await get('/api/v1/evaluation/portfolio');
    expect(pf.cannotSeparate).toEqual([]);
    const pt = new Map(pf.points.map((x: { id: string; attractiveness: number; relationship: number; type: string }) => [x.id, x]));
    const at = (n: string) => pt.get(ids[n]!) as { attractiveness: number; relationship: number; type: string };
    for (let i = 0; i < 4; i++) {
      expect(at(`Big ${i}`).relationship).toBeGreaterThan(at(`Mid ${i}`).relationship);
      expect(at(`Mid ${i}`).relationship).toBeGreaterThan(at(`Lost ${i}`).relationship);
      expect(at(`Big ${i}`).attractiveness).toBeGreaterThan(at(`Lost ${i}`).attractiveness);
    }
    expect(at('Big 0').type).toBe('key');
    expect(at('Lost 0').type).toBe('opportunity');
    expect(new Set(pf.points.map((x: { type: string }) => x.type)).size).toBeGreaterThan(1);
  });

  it('says when the axes cannot separate the accounts', async () => {
    await seed(t, org, Array.from({ length: 6 }, (_, i) => ({ name: `Same ${i}`, won: 1, lost: 1 })));
    await recompute();
    const pf = await get('/api/v1/evaluation/portfolio');
    expect(pf.total).toBe(6);
    expect(pf.cannotSeparate).toEqual(['attractiveness', 'relationship']);
    expect(pf.spread.relationship.min).toBe(pf.spread.relationship.max);
  });
});
