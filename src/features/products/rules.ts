/**
 * Pure rules of products, prices, lines and quotes (issue #16). No I/O: the web app's line editor
 * imports the same functions, so the totals it shows live are the totals the server stores.
 * Money is decimal text, computed exactly with big.js, never with floats. See docs/products.md.
 */
import Big from 'big.js';

// ---------- exact decimals ----------

// big.js: decimal arithmetic without binary floating point (0.1 + 0.2 is 0.3). Its "half up" rounds
// half away from zero, the commercial rounding of invoices. Division here is only by 100, which is
// exact at any precision.
const HALF_AWAY = Big.roundHalfUp;

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

export function isDecimal(s: string): boolean {
  return DECIMAL.test(s);
}

function big(s: string): Big {
  if (!DECIMAL.test(s.trim())) throw new Error(`Not a decimal: ${s}`);
  return new Big(s.trim());
}

/** "-0.00" reads as "0.00": a zero has no sign on a document. */
const fixed = (b: Big, scale: number) => (b.eq(0) ? new Big(0) : b).toFixed(scale);

/** `a` rounded to `scale` decimals, half away from zero. */
export function roundTo(a: string, scale: number): string {
  return fixed(big(a).round(scale, HALF_AWAY), scale);
}

/** The sum of amounts, each rounded to cents first. */
export function addMoney(values: string[]): string {
  return fixed(values.reduce((sum, v) => sum.plus(big(v).round(2, HALF_AWAY)), new Big(0)), 2);
}

export function compareDecimal(a: string, b: string): number {
  return big(a).cmp(big(b));
}

/** a × b exactly. */
export function multiply(a: string, b: string): string {
  return big(a).times(big(b)).toFixed();
}

// ---------- lines ----------

export interface LineAmounts {
  quantity: string;
  unitPrice: string;
  /** Percent off the unit price, 0–100. */
  discountPct: string;
}

/**
 * A line's total: quantity × unit price × (100 − discount) / 100, computed exactly and rounded once,
 * to cents, half away from zero. Each line is rounded on its own; the document total is the sum of
 * the rounded lines (what the customer sees on each line adds up to the total they see).
 */
export function lineTotal(l: LineAmounts): string {
  const exact = big(l.quantity).times(big(l.unitPrice)).times(new Big(100).minus(big(l.discountPct))).div(100);
  return fixed(exact.round(2, HALF_AWAY), 2);
}

/** The document total: the sum of the rounded line totals. */
export function documentTotal(lines: LineAmounts[]): string {
  return addMoney(lines.map(lineTotal));
}

/** The amount in the base currency: amount × fx rate, rounded to cents (an order's amount_base, the same way). */
export function toBase(amount: string, fxRate: string | null): string {
  return fxRate === null ? roundTo(amount, 2) : roundTo(multiply(amount, fxRate), 2);
}

// ---------- prices ----------

export interface PriceTier {
  productId: string;
  minQuantity: string;
  unitPrice: string;
}
export interface PriceListForPicking {
  id: string;
  currency: string;
  validFrom: string;
  validTo: string | null;
  isDefault: boolean;
  items: PriceTier[];
}
export interface PriceAsk {
  productId: string;
  currency: string;
  quantity: string;
  /** The day the price applies to (YYYY-MM-DD). */
  date: string;
  /** A list the seller chose: used first when it has a price. */
  priceListId?: string | null;
}
export interface PickedPrice {
  priceListId: string;
  minQuantity: string;
  unitPrice: string;
}

const validOn = (l: PriceListForPicking, day: string) => l.validFrom <= day && (l.validTo === null || day <= l.validTo);

/**
 * The unit price of a product for a quantity on a day in a currency. Candidate lists: that currency,
 * valid that day. Order of preference: the list asked for, then the default list, then the list that
 * became valid most recently (a newer list supersedes an older one), then by id. In a list, the tier
 * with the highest minimum quantity not above the quantity wins. A list without such a tier is passed
 * over. No candidate: null (the seller types the price).
 */
export function pickPrice(lists: PriceListForPicking[], ask: PriceAsk): PickedPrice | null {
  const candidates = lists
    .filter((l) => l.currency === ask.currency && validOn(l, ask.date))
    .sort((a, b) => {
      const rank = (l: PriceListForPicking) => (ask.priceListId && l.id === ask.priceListId ? 0 : l.isDefault ? 1 : 2);
      return rank(a) - rank(b) || (a.validFrom < b.validFrom ? 1 : a.validFrom > b.validFrom ? -1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
  for (const l of candidates) {
    let best: PriceTier | null = null;
    for (const it of l.items) {
      if (it.productId !== ask.productId || compareDecimal(it.minQuantity, ask.quantity) > 0) continue;
      if (!best || compareDecimal(it.minQuantity, best.minQuantity) > 0) best = it;
    }
    if (best) return { priceListId: l.id, minQuantity: best.minQuantity, unitPrice: best.unitPrice };
  }
  return null;
}

// ---------- line input ----------

export interface LineInput {
  productId: string;
  quantity: string;
  unitPrice?: string | null;
  discountPct?: string | null;
  discountReason?: string | null;
  description?: string | null;
}
export interface PricedLine {
  productId: string;
  quantity: string;
  listPrice: string | null;
  unitPrice: string;
  discountPct: string;
  discountReason: string | null;
  description: string | null;
  lineTotal: string;
  priceListId: string | null;
}
export type LineIssue = { path: string; message: string; code: 'required' | 'invalid' };

/**
 * Prices one line: the unit price is the list price unless one is given; a price below the list
 * price or a discount needs a reason (someone will ask why); a product without a list price needs
 * a typed price.
 */
export function priceLine(input: LineInput, picked: PickedPrice | null, index: number): { line: PricedLine | null; issues: LineIssue[] } {
  const issues: LineIssue[] = [];
  const at = (f: string) => `lines.${index}.${f}`;
  const discountPct = input.discountPct ?? '0';
  const reason = input.discountReason?.trim() ? input.discountReason.trim() : null;
  const unitPrice = input.unitPrice ?? picked?.unitPrice ?? null;
  if (unitPrice === null) issues.push({ path: at('unitPrice'), message: 'No price list has a price for this product, quantity and date: type the unit price', code: 'required' });
  if (compareDecimal(discountPct, '0') < 0 || compareDecimal(discountPct, '100') > 0) issues.push({ path: at('discountPct'), message: 'Must be between 0 and 100', code: 'invalid' });
  const belowList = unitPrice !== null && picked !== null && compareDecimal(unitPrice, picked.unitPrice) < 0;
  if ((compareDecimal(discountPct, '0') > 0 || belowList) && !reason) {
    issues.push({ path: at('discountReason'), message: 'Required when the price is below the list price or discounted', code: 'required' });
  }
  if (compareDecimal(input.quantity, '0') <= 0) issues.push({ path: at('quantity'), message: 'Must be greater than 0', code: 'invalid' });
  if (issues.length || unitPrice === null) return { line: null, issues };
  return {
    line: {
      productId: input.productId,
      quantity: input.quantity,
      listPrice: picked?.unitPrice ?? null,
      unitPrice,
      discountPct,
      discountReason: reason,
      description: input.description?.trim() ? input.description.trim() : null,
      lineTotal: lineTotal({ quantity: input.quantity, unitPrice, discountPct }),
      priceListId: picked?.priceListId ?? null,
    },
    issues,
  };
}

// ---------- quotes ----------

export const QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'rejected', 'expired'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

const NEXT: Record<QuoteStatus, QuoteStatus[]> = {
  draft: ['sent'],
  sent: ['accepted', 'rejected', 'expired'],
  accepted: [],
  rejected: [],
  expired: [],
};

/** Whether a quote may move from one status to another: draft → sent → accepted | rejected | expired; the last three are final. */
export function canTransition(from: QuoteStatus, to: QuoteStatus): boolean {
  return from === to || NEXT[from].includes(to);
}

/** A sent quote past its validity reads as expired (and cannot be accepted any more). */
export function effectiveStatus(status: QuoteStatus, validUntil: string, today: string): QuoteStatus {
  return status === 'sent' && validUntil < today ? 'expired' : status;
}

/** Q-2026-0001: the year and the organization's running number in that year. */
export function quoteNumber(year: number, n: number): string {
  return `Q-${year}-${String(n).padStart(4, '0')}`;
}

export const QUOTE_LANGUAGES = ['en', 'zh-CN', 'zh-TW'] as const;
export type QuoteLanguage = (typeof QUOTE_LANGUAGES)[number];

/**
 * The account's language: the one most of its contacts use (en / zh-CN / zh-TW, ties to the first
 * seen), else from its country (CN → zh-CN; TW, HK, MO → zh-TW), else English.
 */
export function accountLanguage(country: string | null, contactLanguages: (string | null)[]): QuoteLanguage {
  const norm = (l: string | null): QuoteLanguage | null => {
    if (!l) return null;
    const s = l.trim().toLowerCase().replace('_', '-');
    if (s === 'zh-tw' || s === 'zh-hk' || s === 'zh-hant' || s === 'zh-mo') return 'zh-TW';
    if (s === 'zh' || s === 'zh-cn' || s === 'zh-hans' || s === 'zh-sg') return 'zh-CN';
    if (s === 'en' || s.startsWith('en-')) return 'en';
    return null;
  };
  const counts = new Map<QuoteLanguage, number>();
  for (const l of contactLanguages) {
    const n = norm(l);
    if (n) counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  let best: QuoteLanguage | null = null;
  for (const [l, c] of counts) if (best === null || c > counts.get(best)!) best = l;
  if (best) return best;
  if (country === 'CN') return 'zh-CN';
  if (country === 'TW' || country === 'HK' || country === 'MO') return 'zh-TW';
  return 'en';
}

/** A product's name in a language: its translation, else its main name. */
export function productName(p: { name: string; nameI18n: Record<string, string> | null | undefined }, lang: string): string {
  return p.nameI18n?.[lang]?.trim() || p.name;
}
