/**
 * The products measurement (product-measure.ts, bench/products-win-model.ts) on both databases: on
 * the demo, whose deals pick their products regardless of how they end, no product variant improves
 * the held-out Brier beyond chance (what docs/evaluation.md reports); and the same measurement does
 * see products when they do decide: with every won deal's lines moved to one product line and every
 * lost deal's to another, "the deal's product lines" improves calibration with the whole interval
 * below zero. The rule (add a dimension only when it improves) is thereby shown to be able to say yes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDatabase } from '../../../tests/helpers/db.ts';
import type { Database } from '../../kernel/db/index.ts';
import { generateDemo } from '../demo/index.ts';
import { measureProductFeatures } from './product-measure.ts';

const tag = `${process.pid.toString(36)}${Date.now().toString(36)}`;

describeEachDb('products as an evaluation dimension (measured)', (mode) => {
  let db: Database;
  let orgId: string;
  beforeAll(async () => {
    db = await openTestDatabase(mode);
    orgId = (await generateDemo(db, { accounts: 300, slug: `prodm-${mode}-${tag}`, emailDomain: `prodm-${mode}-${tag}.accord.test` })).orgId;
  }, 600_000);
  afterAll(async () => db?.close());

  it('on the demo no product variant improves held-out calibration; planted product signal is found', async () => {
    const m = await measureProductFeatures(db, orgId, { resamples: 500 });
    expect(m.snapshots.heldOut).toBeGreaterThan(100);
    expect(m.snapshots.train).toBeGreaterThan(m.snapshots.heldOut);
    expect(m.productLines).toEqual(expect.arrayContaining(['panel', 'downlight', 'high_bay', 'street_light']));
    // Some accounts had bought before some of their deals, and not all (the history is point-in-time).
    expect(m.withHistory.train).toBeGreaterThan(0);
    expect(m.withHistory.train).toBeLessThan(m.snapshots.train);
    for (const v of m.variants) expect(v.brier).toBeGreaterThan(0);
    for (const c of m.comparisons) {
      expect(c.lo).toBeLessThanOrEqual(c.hi);
      expect(c.improves).toBe(false);
    }

    // Products decide now: won deals sell panels, lost ones downlights.
    await db.query(
      `update opportunity_lines l set product_id = (select p.id from products p where p.org_id = l.org_id and p.product_line = case when o.status = 'won' then 'panel' else 'downlight' end order by p.code limit 1)
        from opportunities o where l.org_id = $1 and o.org_id = $1 and o.id = l.opportunity_id and o.status in ('won', 'lost')`,
      [orgId],
    );
    const planted = await measureProductFeatures(db, orgId, { resamples: 500 });
    const deal = planted.comparisons.find((c) => c.variant === "+ the deal's product lines")!;
    expect(deal.improves).toBe(true);
    expect(deal.hi).toBeLessThan(0);
    expect(deal.diff).toBeLessThan(-0.05);
  }, 600_000);
});
