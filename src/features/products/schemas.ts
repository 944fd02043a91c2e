import { z } from 'zod';
import { currency, customValues, isoDate, recordMeta } from '../../kernel/http-schemas.ts';
import { fxRate } from '../orders/schemas.ts';
import { QUOTE_LANGUAGES, QUOTE_STATUSES } from './rules.ts';

const text = (max = 200) => z.string().trim().max(max);

export const LIFECYCLES = ['new', 'current', 'phased_out'] as const;

/** A decimal given as text or number, with at most `scale` decimals, not negative. */
const decimal = (digits: number, scale: number, what: string) =>
  z
    .union([z.string(), z.number()])
    .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
    .pipe(z.string().regex(new RegExp(`^\\d{1,${digits}}(\\.\\d{1,${scale}})?$`), `Expected ${what} with at most ${scale} decimals`));

export const quantity = decimal(11, 3, 'a quantity').refine((s) => Number(s) > 0, 'Must be greater than 0');
export const unitPrice = decimal(14, 4, 'a price');
export const discountPct = decimal(3, 2, 'a percentage').refine((s) => Number(s) <= 100, 'Must be between 0 and 100');

export const nameTranslations = z
  .object({ en: text(300).optional(), 'zh-CN': text(300).optional(), 'zh-TW': text(300).optional() })
  .strict()
  .describe('The name per language; `name` is shown where a language has none');

const productWritable = {
  code: text(64).min(1, 'Required').regex(/^[^\s]+$/, 'No spaces in a product code'),
  name: text(300).min(1, 'Required'),
  nameI18n: nameTranslations,
  productLine: text(63).nullable(),
  unit: text(20).min(1, 'Required'),
  description: z.string().max(20_000).nullable(),
  active: z.boolean(),
  lifecycle: z.enum(LIFECYCLES),
  firstOfKind: z.boolean(),
  custom: customValues.describe('Specifications, as the custom fields defined for products'),
};

export const productCreate = z.object({ ...productWritable }).partial().required({ code: true, name: true }).strict();
export const productUpdate = z.object({ ...productWritable, version: z.number().int() }).partial().strict();
export const product = z
  .object({
    ...recordMeta,
    code: z.string(),
    name: z.string(),
    nameI18n: z.record(z.string(), z.string()),
    productLine: z.string().nullable(),
    unit: z.string(),
    description: z.string().nullable(),
    active: z.boolean(),
    lifecycle: z.enum(LIFECYCLES),
    firstOfKind: z.boolean(),
  })
  .meta({ id: 'Product' });
export type Product = z.infer<typeof product>;

export const productUsage = z
  .object({
    accounts: z.array(z.object({ accountId: z.uuid(), accountName: z.string(), orders: z.number().int(), quantity: z.string(), amount: z.string(), currency: z.string() })),
    openDeals: z.array(z.object({ opportunityId: z.uuid(), name: z.string(), accountName: z.string(), quantity: z.string(), lineTotal: z.string(), currency: z.string().nullable() })),
    ordersByMonth: z.array(z.object({ month: z.string(), quantity: z.string(), amount: z.string(), currency: z.string() })),
  })
  .meta({ id: 'ProductUsage' });

const priceListWritable = {
  name: text(200).min(1, 'Required'),
  currency,
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  isDefault: z.boolean().describe('The default list of its currency (one per organization and currency)'),
  custom: customValues,
};
export const priceListCreate = z.object({ ...priceListWritable }).partial().required({ name: true, currency: true, validFrom: true }).strict();
export const priceListUpdate = z.object({ ...priceListWritable, version: z.number().int() }).partial().strict();
export const priceList = z
  .object({ ...recordMeta, name: z.string(), currency: z.string(), validFrom: z.string(), validTo: z.string().nullable(), isDefault: z.boolean(), itemCount: z.number().int() })
  .meta({ id: 'PriceList' });

export const priceItemInput = z.object({ productId: z.uuid(), minQuantity: quantity.optional(), unitPrice }).strict();
export const priceItemsPut = z.object({ items: z.array(priceItemInput).max(5000) }).strict().meta({ id: 'PriceItemsPut' });
export const priceItem = z.object({ id: z.uuid(), productId: z.uuid(), productCode: z.string(), productName: z.string(), minQuantity: z.string(), unitPrice: z.string() });
export const priceItems = z.object({ version: z.number().int(), items: z.array(priceItem) }).meta({ id: 'PriceItems' });

export const priceQuery = z.object({
  productId: z.uuid(),
  currency,
  quantity: z.string().regex(/^\d{1,11}(\.\d{1,3})?$/, 'Expected a quantity with at most 3 decimals').optional(),
  date: isoDate.optional(),
  priceListId: z.uuid().optional(),
});
export const pickedPrice = z.object({ priceListId: z.uuid(), minQuantity: z.string(), unitPrice: z.string() }).nullable();
export const priceAnswer = z.object({ price: pickedPrice, tiers: z.array(z.object({ priceListId: z.uuid(), minQuantity: z.string(), unitPrice: z.string() })) });

export const lineInput = z
  .object({
    productId: z.uuid(),
    quantity,
    unitPrice: unitPrice.nullable().optional().describe('Default: the price list price for this quantity'),
    discountPct: discountPct.nullable().optional(),
    discountReason: text(500).nullable().optional().describe('Required with a discount or a price below the list price'),
    description: text(2000).nullable().optional(),
  })
  .strict();

export const dealLinesPut = z
  .object({
    currency: currency.optional().describe('Currency of the lines (default: the deal\'s, else the organization\'s base currency); becomes the deal\'s'),
    fxRate: fxRate.nullable().optional().describe('Units of the base currency per unit of `currency`; required when they differ'),
    priceListId: z.uuid().nullable().optional().describe('Price list to take prices from first (default: the default list of the currency)'),
    lines: z.array(lineInput).max(500),
  })
  .strict()
  .meta({ id: 'DealLinesPut' });

export const lineRecord = z.object({
  id: z.uuid(),
  position: z.number().int(),
  productId: z.uuid(),
  productCode: z.string(),
  productName: z.string(),
  nameI18n: z.record(z.string(), z.string()),
  unit: z.string(),
  lifecycle: z.string(),
  description: z.string().nullable(),
  quantity: z.string(),
  listPrice: z.string().nullable(),
  unitPrice: z.string(),
  discountPct: z.string(),
  discountReason: z.string().nullable(),
  lineTotal: z.string(),
  priceListId: z.uuid().nullable(),
});

export const dealLines = z
  .object({
    version: z.number().int().describe('The deal\'s version: send it as If-Match to change the lines'),
    currency: z.string().nullable(),
    fxRate: z.string().nullable(),
    amount: z.string().nullable(),
    amountBase: z.string().nullable(),
    lines: z.array(lineRecord),
  })
  .meta({ id: 'DealLines' });

export const orderLinesPut = z.object({ lines: z.array(lineInput).max(5000) }).strict().meta({ id: 'OrderLinesPut' });
export const orderLines = z
  .object({ version: z.number().int(), currency: z.string(), amount: z.string(), amountBase: z.string(), lines: z.array(lineRecord) })
  .meta({ id: 'OrderLines' });

export const quoteLine = z.object({
  productId: z.uuid(),
  code: z.string(),
  name: z.string(),
  nameI18n: z.record(z.string(), z.string()),
  unit: z.string(),
  description: z.string().nullable(),
  quantity: z.string(),
  listPrice: z.string().nullable(),
  unitPrice: z.string(),
  discountPct: z.string(),
  lineTotal: z.string(),
});

export const quote = z
  .object({
    ...recordMeta,
    number: z.string(),
    revision: z.number().int(),
    opportunityId: z.uuid(),
    accountId: z.uuid(),
    status: z.enum(QUOTE_STATUSES),
    language: z.enum(QUOTE_LANGUAGES),
    currency: z.string(),
    fxRate: z.string().nullable(),
    total: z.string(),
    totalBase: z.string(),
    validUntil: z.string(),
    terms: z.string().nullable(),
    lines: z.array(quoteLine),
    sentAt: z.string().nullable(),
    decidedAt: z.string().nullable(),
    orderId: z.uuid().nullable(),
  })
  .meta({ id: 'Quote' });
export type Quote = z.infer<typeof quote>;

export const quoteCreate = z
  .object({
    validUntil: isoDate.optional().describe('Default: 30 days from today'),
    terms: text(10_000).nullable().optional(),
    language: z.enum(QUOTE_LANGUAGES).optional().describe('Default: the account\'s language (its contacts\', else its country\'s)'),
  })
  .strict()
  .meta({ id: 'QuoteCreate' });

export const quoteUpdate = z
  .object({
    version: z.number().int().optional(),
    validUntil: isoDate.optional(),
    terms: text(10_000).nullable().optional(),
    language: z.enum(QUOTE_LANGUAGES).optional(),
    status: z.enum(QUOTE_STATUSES).optional().describe('draft → sent → accepted | rejected | expired'),
    createOrder: z.boolean().optional().describe('With status accepted: create the order with the quote\'s lines (default true)'),
    orderedAt: isoDate.optional().describe('The created order\'s date (default: today)'),
    winDeal: z.boolean().optional().describe('With status accepted: mark the deal won in the same transaction (default true; false leaves its status as it is)'),
  })
  .strict()
  .meta({ id: 'QuoteUpdate' });

export const quoteListQuery = z.object({ opportunityId: z.uuid().optional(), accountId: z.uuid().optional() });
export const langQuery = z.object({ lang: z.enum(QUOTE_LANGUAGES).optional() });
