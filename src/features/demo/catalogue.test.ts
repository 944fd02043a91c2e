import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../kernel/db/index.ts';
import { runMigrations } from '../../kernel/db/migrate.ts';
import { generateDemo } from './generate.ts';

describe('demo catalogue: products, price lists, deal and order lines consistent with the deals and orders', () => {
  let db: Database;
  let org: string;
  const q = async (text: string) => (await db.query(text, [org])).rows as Record<string, unknown>[];
  beforeAll(async () => {
    db = await openDatabase({ worker: false });
    await runMigrations(db);
    org = (await generateDemo(db, { accounts: 120, seed: 11, now: '2026-11-20T00:00:00Z' })).orgId;
  }, 300_000);
  afterAll(async () => db?.close());

  it('has the LED series with models, translations, specifications and certifications; price lists in USD, EUR, CNY with tiers', async () => {
    const lines = await q(`select p.product_line, count(*)::int as n from products p where org_id = $1 group by 1 order by 1`);
    expect(lines.map((l) => l.product_line)).toEqual(expect.arrayContaining(['panel', 'high_bay', 'street_light', 'downlight']));
    const [p] = await q(`select name_i18n, custom from products where org_id = $1 and code = 'ST-M-100'`);
    expect(p).toMatchObject({ name_i18n: { 'zh-CN': '模组路灯 100W', 'zh-TW': '模組路燈 100W' }, custom: { wattage: 100, ip_rating: 'IP66', certifications: ['CE', 'RoHS', 'CB', 'ENEC'] } });
    expect(await q(`select currency, is_default from price_lists where org_id = $1 order by currency`)).toEqual([
      { currency: 'CNY', is_default: true }, { currency: 'EUR', is_default: true }, { currency: 'USD', is_default: true },
    ]);
    const tiers = await q(`select i.min_quantity::text as m, i.unit_price::text as u from price_list_items i join price_lists l on l.org_id = i.org_id and l.id = i.price_list_id
      join products p on p.org_id = i.org_id and p.id = i.product_id where i.org_id = $1 and l.currency = 'USD' and p.code = 'PNL-6060-40' order by i.min_quantity`);
    expect(tiers).toEqual([{ m: '1.000', u: '18.5000' }, { m: '500.000', u: '17.5800' }, { m: '5000.000', u: '16.6500' }]);
    expect(await q(`select count(*)::int as n from vocab_terms where org_id = $1 and vocabulary = 'product_line' and active`)).toEqual([{ n: 12 }]);
  });

  it('every priced deal and order: amount = sum of its rounded lines; the lines name the family the record names; no phased-out product', async () => {
    const deals = await q(`select count(*)::int as n from opportunities where org_id = $1 and amount is not null`);
    const priced = await q(`select count(*)::int as n from opportunity_pricing where org_id = $1`);
    expect(Number(priced[0]!.n)).toBeGreaterThan(0.9 * Number(deals[0]!.n));
    expect(await q(`select count(*)::int as n from opportunities o join (select opportunity_id, sum(line_total) s from opportunity_lines where org_id = $1 group by 1) l
      on l.opportunity_id = o.id where o.org_id = $1 and o.amount <> l.s`)).toEqual([{ n: 0 }]);
    expect(await q(`select count(*)::int as n from opportunity_pricing p join opportunities o on o.org_id = p.org_id and o.id = p.opportunity_id
      where p.org_id = $1 and (p.amount <> o.amount or p.currency <> o.currency or p.amount_base <> round(o.amount * coalesce(p.fx_rate, 1), 2))`)).toEqual([{ n: 0 }]);
    expect(await q(`select count(*)::int as n from orders o join (select order_id, sum(line_total) s from order_lines where org_id = $1 group by 1) l
      on l.order_id = o.id where o.org_id = $1 and (o.amount <> l.s or o.amount_base <> round(l.s * coalesce(o.fx_rate, 1), 2))`)).toEqual([{ n: 0 }]);
    const orders = await q(`select count(*)::int as n, count(*) filter (where exists (select 1 from order_lines l where l.org_id = o.org_id and l.order_id = o.id))::int as lined from orders o where o.org_id = $1`);
    expect(Number(orders[0]!.lined)).toBe(Number(orders[0]!.n));
    expect(await q(`select count(*)::int as n from (select line_total, round(quantity * unit_price, 2) r from order_lines where org_id = $1
      union all select line_total, round(quantity * unit_price, 2) from opportunity_lines where org_id = $1) x where line_total <> r`)).toEqual([{ n: 0 }]);
    expect(await q(`select count(*)::int as n from order_lines l join products p on p.org_id = l.org_id and p.id = l.product_id where l.org_id = $1 and p.lifecycle = 'phased_out'`)).toEqual([{ n: 0 }]);
    // An order of "Downlights" carries downlights.
    const mismatched = await q(`select count(*)::int as n from order_lines l join orders o on o.org_id = l.org_id and o.id = l.order_id
      join products p on p.org_id = l.org_id and p.id = l.product_id where l.org_id = $1 and o.description like '%Downlights%' and p.product_line <> 'downlight'`);
    expect(mismatched).toEqual([{ n: 0 }]);
  });
});
