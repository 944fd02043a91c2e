import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountLanguage, addMoney, canTransition, compareDecimal, documentTotal, effectiveStatus, lineTotal, pickPrice, priceLine, QUOTE_STATUSES, quoteNumber, roundTo, toBase,
  type PriceListForPicking,
} from './rules.ts';

/** Decimal text with up to `scale` decimals from an integer count of units. */
const dec = (maxUnits: number, scale: number) => fc.integer({ min: 0, max: maxUnits }).map((n) => {
  const s = String(n).padStart(scale + 1, '0');
  return scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s;
});
const qty = dec(10_000_000, 3).filter((s) => Number(s) > 0);
const price = dec(100_000_000, 4);
const pct = dec(10_000, 2);
const line = fc.record({ quantity: qty, unitPrice: price, discountPct: pct });
const cents = (s: string) => BigInt(s.replace('.', ''));

describe('line totals: exact decimals, rounded per line, then summed', () => {
  it('examples: half away from zero to cents', () => {
    expect(lineTotal({ quantity: '3', unitPrice: '19.99', discountPct: '0' })).toBe('59.97');
    expect(lineTotal({ quantity: '1', unitPrice: '0.125', discountPct: '0' })).toBe('0.13');
    expect(lineTotal({ quantity: '1', unitPrice: '0.1249', discountPct: '0' })).toBe('0.12');
    expect(lineTotal({ quantity: '7', unitPrice: '12.35', discountPct: '7.5' })).toBe('79.97'); // 79.96625
    expect(lineTotal({ quantity: '2.5', unitPrice: '3.3333', discountPct: '100' })).toBe('0.00');
    // Three lines of 0.005 each: the per-line rule gives 0.03, rounding the sum would give 0.02.
    expect(documentTotal([1, 2, 3].map(() => ({ quantity: '1', unitPrice: '0.005', discountPct: '0' })))).toBe('0.03');
    expect(roundTo('-0.005', 2)).toBe('-0.01');
    expect(toBase('1000.55', '1.0835')).toBe('1084.10');
    expect(toBase('10', null)).toBe('10.00');
  });

  it('a line total is within half a cent of the exact product (integer arithmetic vs. a scaled exact value)', () => {
    fc.assert(fc.property(line, (l) => {
      const t = cents(lineTotal(l));
      // exact value × 10^9 (scale 3 + 4 + 2): compare 2·|exact − t·10^7| ≤ 10^7.
      const q = BigInt(l.quantity.replace('.', '')), p = BigInt(l.unitPrice.replace('.', '')), d = BigInt(l.discountPct.replace('.', ''));
      const exact = (q * p * (10000n - d)) / 1n; // scale 3 + 4 + 4 = 11
      const diff = exact - t * 10n ** 9n;
      expect(2n * (diff < 0n ? -diff : diff) <= 10n ** 9n).toBe(true);
    }));
  });

  it('the total is the sum of the rounded lines, whatever their order; no discount and whole cents are exact', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
      const total = documentTotal(lines);
      expect(cents(total)).toBe(lines.reduce((s, l) => s + cents(lineTotal(l)), 0n));
      expect(documentTotal([...lines].reverse())).toBe(total);
    }));
    fc.assert(fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 10_000_000 }), (q, c) => {
      const unit = (c / 100).toFixed(2);
      expect(cents(lineTotal({ quantity: String(q), unitPrice: unit, discountPct: '0' }))).toBe(BigInt(q) * BigInt(c));
    }));
  });

  it('a bigger discount never gives a bigger line total; addMoney agrees with integer cents', () => {
    fc.assert(fc.property(qty, price, pct, pct, (q, p, a, b) => {
      const [lo, hi] = compareDecimal(a, b) <= 0 ? [a, b] : [b, a];
      expect(compareDecimal(lineTotal({ quantity: q, unitPrice: p, discountPct: hi }), lineTotal({ quantity: q, unitPrice: p, discountPct: lo }))).toBeLessThanOrEqual(0);
    }));
    fc.assert(fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 }), { maxLength: 20 }), (xs) => {
      const s = xs.map((c) => `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`);
      expect(cents(addMoney(s))).toBe(xs.reduce((a, c) => a + BigInt(c), 0n));
    }));
  });
});

describe('pickPrice', () => {
  const P = 'p1';
  const list = (o: Partial<PriceListForPicking> & { id: string }): PriceListForPicking => ({ currency: 'USD', validFrom: '2026-01-01', validTo: null, isDefault: false, items: [], ...o });

  it('examples: tiers, default list, validity, currency, chosen list', () => {
    const std = list({ id: 'a', isDefault: true, items: [{ productId: P, minQuantity: '1', unitPrice: '10' }, { productId: P, minQuantity: '100', unitPrice: '9' }, { productId: P, minQuantity: '1000', unitPrice: '8' }] });
    const promo = list({ id: 'b', validFrom: '2026-06-01', validTo: '2026-06-30', items: [{ productId: P, minQuantity: '1', unitPrice: '7' }] });
    const eur = list({ id: 'c', currency: 'EUR', isDefault: true, items: [{ productId: P, minQuantity: '1', unitPrice: '9.5' }] });
    const lists = [promo, std, eur];
    const ask = (quantity: string, date = '2026-03-01', extra = {}) => pickPrice(lists, { productId: P, currency: 'USD', quantity, date, ...extra });
    expect(ask('1')).toEqual({ priceListId: 'a', minQuantity: '1', unitPrice: '10' });
    expect(ask('99.999')?.unitPrice).toBe('10');
    expect(ask('100')?.unitPrice).toBe('9');
    expect(ask('5000')?.unitPrice).toBe('8');
    expect(ask('1', '2026-06-15')?.priceListId).toBe('a'); // the default list wins over a newer one
    expect(ask('1', '2026-06-15', { priceListId: 'b' })?.unitPrice).toBe('7');
    expect(ask('1', '2025-12-31')).toBeNull(); // before any list is valid
    expect(pickPrice(lists, { productId: P, currency: 'EUR', quantity: '3', date: '2026-03-01' })?.unitPrice).toBe('9.5');
    expect(pickPrice(lists, { productId: 'other', currency: 'USD', quantity: '3', date: '2026-03-01' })).toBeNull();
    // A list whose smallest tier is above the quantity is passed over.
    expect(pickPrice([list({ id: 'x', isDefault: true, items: [{ productId: P, minQuantity: '50', unitPrice: '1' }] }), list({ id: 'y', items: [{ productId: P, minQuantity: '1', unitPrice: '2' }] })],
      { productId: P, currency: 'USD', quantity: '10', date: '2026-02-01' })?.priceListId).toBe('y');
  });

  const day = fc.integer({ min: 0, max: 700 }).map((n) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
  const arbList = fc.record({
    id: fc.uuid(), currency: fc.constantFrom('USD', 'EUR'), validFrom: day, span: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }), isDefault: fc.boolean(),
    items: fc.array(fc.record({ productId: fc.constantFrom('p1', 'p2'), minQuantity: fc.constantFrom('1', '10', '100', '1000'), unitPrice: price }), { maxLength: 6 }),
  }).map(({ span, ...l }) => ({ ...l, validTo: span === null ? null : new Date(Date.parse(l.validFrom) + span * 86_400_000).toISOString().slice(0, 10) }));
  const arbAsk = fc.record({ productId: fc.constantFrom('p1', 'p2'), currency: fc.constantFrom('USD', 'EUR'), quantity: qty, date: day });

  it('only a list of that currency valid that day, the highest tier not above the quantity, the same whatever the order of the lists', () => {
    fc.assert(fc.property(fc.uniqueArray(arbList, { selector: (l) => l.id, maxLength: 6 }), arbAsk, (lists, ask) => {
      const got = pickPrice(lists, ask);
      const usable = lists.filter((l) => l.currency === ask.currency && l.validFrom <= ask.date && (l.validTo === null || ask.date <= l.validTo)
        && l.items.some((i) => i.productId === ask.productId && compareDecimal(i.minQuantity, ask.quantity) <= 0));
      if (!usable.length) {
        expect(got).toBeNull();
        return;
      }
      const chosen = lists.find((l) => l.id === got!.priceListId)!;
      expect(usable).toContain(chosen);
      const tiers = chosen.items.filter((i) => i.productId === ask.productId && compareDecimal(i.minQuantity, ask.quantity) <= 0);
      expect(tiers.every((i) => compareDecimal(i.minQuantity, got!.minQuantity) <= 0)).toBe(true);
      if (usable.some((l) => l.isDefault)) expect(chosen.isDefault).toBe(true);
      expect(pickPrice([...lists].reverse(), ask)).toEqual(got);
    }));
  });
});

describe('priceLine', () => {
  const picked = { priceListId: 'l', minQuantity: '1', unitPrice: '10.00' };
  it('takes the list price; a discount or a lower price needs a reason; no list price needs a typed one', () => {
    expect(priceLine({ productId: 'p', quantity: '3' }, picked, 0)).toMatchObject({ line: { unitPrice: '10.00', listPrice: '10.00', lineTotal: '30.00', discountPct: '0' }, issues: [] });
    expect(priceLine({ productId: 'p', quantity: '3', discountPct: '5' }, picked, 1).issues).toEqual([{ path: 'lines.1.discountReason', message: 'Required when the price is below the list price or discounted', code: 'required' }]);
    expect(priceLine({ productId: 'p', quantity: '3', unitPrice: '9' }, picked, 0).issues[0]?.path).toBe('lines.0.discountReason');
    expect(priceLine({ productId: 'p', quantity: '3', unitPrice: '11' }, picked, 0).line?.lineTotal).toBe('33.00');
    expect(priceLine({ productId: 'p', quantity: '2', discountPct: '10', discountReason: 'Volume' }, picked, 0).line).toMatchObject({ lineTotal: '18.00', discountReason: 'Volume' });
    expect(priceLine({ productId: 'p', quantity: '2' }, null, 2).issues[0]).toMatchObject({ path: 'lines.2.unitPrice', code: 'required' });
    expect(priceLine({ productId: 'p', quantity: '2', unitPrice: '4.5' }, null, 0).line).toMatchObject({ listPrice: null, lineTotal: '9.00' });
  });
});

describe('quotes', () => {
  it('status moves draft → sent → accepted | rejected | expired only', () => {
    const allowed = QUOTE_STATUSES.flatMap((a) => QUOTE_STATUSES.filter((b) => a !== b && canTransition(a, b)).map((b) => `${a}>${b}`));
    expect(allowed.sort()).toEqual(['draft>sent', 'sent>accepted', 'sent>expired', 'sent>rejected']);
    fc.assert(fc.property(fc.array(fc.constantFrom(...QUOTE_STATUSES), { maxLength: 10 }), (steps) => {
      // Whatever path is tried, a final status is never left.
      let s: (typeof QUOTE_STATUSES)[number] = 'draft';
      for (const to of steps) if (canTransition(s, to)) {
        if (['accepted', 'rejected', 'expired'].includes(s)) expect(to).toBe(s);
        s = to;
      }
    }));
    expect(effectiveStatus('sent', '2026-01-31', '2026-02-01')).toBe('expired');
    expect(effectiveStatus('sent', '2026-01-31', '2026-01-31')).toBe('sent');
    expect(effectiveStatus('draft', '2026-01-31', '2026-02-01')).toBe('draft');
  });

  it('numbers and languages', () => {
    expect(quoteNumber(2026, 1)).toBe('Q-2026-0001');
    expect(quoteNumber(2026, 12345)).toBe('Q-2026-12345');
    expect(accountLanguage('US', ['zh-CN', 'zh_CN', 'en'])).toBe('zh-CN');
    expect(accountLanguage('CN', [])).toBe('zh-CN');
    expect(accountLanguage('HK', [null])).toBe('zh-TW');
    expect(accountLanguage('DE', ['de'])).toBe('en');
    expect(accountLanguage('CN', ['en-GB'])).toBe('en');
  });
});
