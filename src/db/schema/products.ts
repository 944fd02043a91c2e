import { sql } from 'drizzle-orm';
import { boolean, char, check, date, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { id, orgId, recordColumns, ts } from './columns.ts';
import { accounts, opportunities, orders } from './records.ts';

/** What the organization sells (issue #16). The code (SKU) is unique per organization, deleted rows included. */
export const products = pgTable(
  'products',
  {
    orgId: orgId(),
    id: id(),
    code: text().notNull(),
    name: text().notNull(),
    /** Names per locale (en, zh-CN, zh-TW); `name` is the one shown when a locale has none. */
    nameI18n: jsonb('name_i18n').$type<Record<string, string>>().notNull().default({}),
    /** A key of the product_line vocabulary. */
    productLine: text(),
    unit: text().notNull().default('pcs'),
    description: text(),
    active: boolean().notNull().default(true),
    lifecycle: text({ enum: ['new', 'current', 'phased_out'] }).notNull().default('current'),
    /** First of its kind: buyers ask for references ("show us N installations"), DOMAIN §7. */
    firstOfKind: boolean().notNull().default(false),
    ...recordColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex('products_org_code').on(t.orgId, sql`lower(${t.code})`),
    index('products_org_line').on(t.orgId, t.productLine),
    index('products_org_updated').on(t.orgId, t.updatedAt, t.id),
    check('products_lifecycle', sql`${t.lifecycle} in ('new', 'current', 'phased_out')`),
  ],
);

/** Prices in one currency for a validity period; one default list per organization and currency. */
export const priceLists = pgTable(
  'price_lists',
  {
    orgId: orgId(),
    id: id(),
    name: text().notNull(),
    currency: char({ length: 3 }).notNull(),
    validFrom: date({ mode: 'string' }).notNull(),
    validTo: date({ mode: 'string' }),
    isDefault: boolean().notNull().default(false),
    ...recordColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex('price_lists_org_default').on(t.orgId, t.currency).where(sql`${t.isDefault} and ${t.deletedAt} is null`),
    check('price_lists_valid', sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
  ],
);

/** A product's unit price from a minimum quantity on (volume tiers: several rows per product). */
export const priceListItems = pgTable(
  'price_list_items',
  {
    orgId: orgId(),
    id: id(),
    priceListId: uuid().notNull(),
    productId: uuid().notNull(),
    minQuantity: numeric({ precision: 14, scale: 3 }).notNull().default('1'),
    unitPrice: numeric({ precision: 18, scale: 4 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'price_list_items_list_fk', columns: [t.orgId, t.priceListId], foreignColumns: [priceLists.orgId, priceLists.id] }).onDelete('cascade'),
    foreignKey({ name: 'price_list_items_product_fk', columns: [t.orgId, t.productId], foreignColumns: [products.orgId, products.id] }),
    uniqueIndex('price_list_items_tier').on(t.orgId, t.priceListId, t.productId, t.minQuantity),
    index('price_list_items_org_product').on(t.orgId, t.productId),
  ],
);

/** Columns shared by deal lines and order lines. */
const lineColumns = () => ({
  orgId: orgId(),
  id: id(),
  position: smallint().notNull(),
  productId: uuid().notNull(),
  description: text(),
  quantity: numeric({ precision: 14, scale: 3 }).notNull(),
  /** The price list's price for this quantity, when there was one (null: priced by hand). */
  listPrice: numeric({ precision: 18, scale: 4 }),
  unitPrice: numeric({ precision: 18, scale: 4 }).notNull(),
  discountPct: numeric({ precision: 5, scale: 2 }).notNull().default('0'),
  discountReason: text(),
  /** quantity × unitPrice × (1 − discount), rounded half away from zero to cents (products/rules.ts). */
  lineTotal: numeric({ precision: 18, scale: 2 }).notNull(),
  priceListId: uuid(),
  createdAt: ts().notNull().defaultNow(),
});

export const opportunityLines = pgTable(
  'opportunity_lines',
  { ...lineColumns(), opportunityId: uuid().notNull() },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'opportunity_lines_opp_fk', columns: [t.orgId, t.opportunityId], foreignColumns: [opportunities.orgId, opportunities.id] }),
    foreignKey({ name: 'opportunity_lines_product_fk', columns: [t.orgId, t.productId], foreignColumns: [products.orgId, products.id] }),
    foreignKey({ name: 'opportunity_lines_list_fk', columns: [t.orgId, t.priceListId], foreignColumns: [priceLists.orgId, priceLists.id] }),
    index('opportunity_lines_org_opp').on(t.orgId, t.opportunityId, t.position),
    index('opportunity_lines_org_product').on(t.orgId, t.productId),
  ],
);

/** A deal's priced lines as a whole: their currency, fx rate and totals (present only while it has lines). */
export const opportunityPricing = pgTable(
  'opportunity_pricing',
  {
    orgId: orgId(),
    opportunityId: uuid().notNull(),
    currency: char({ length: 3 }).notNull(),
    fxRate: numeric({ precision: 18, scale: 8 }),
    amount: numeric({ precision: 18, scale: 2 }).notNull(),
    amountBase: numeric({ precision: 18, scale: 2 }).notNull(),
    lineCount: integer().notNull(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.opportunityId] }),
    foreignKey({ name: 'opportunity_pricing_opp_fk', columns: [t.orgId, t.opportunityId], foreignColumns: [opportunities.orgId, opportunities.id] }),
  ],
);

export const orderLines = pgTable(
  'order_lines',
  { ...lineColumns(), orderId: uuid().notNull() },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'order_lines_order_fk', columns: [t.orgId, t.orderId], foreignColumns: [orders.orgId, orders.id] }),
    foreignKey({ name: 'order_lines_product_fk', columns: [t.orgId, t.productId], foreignColumns: [products.orgId, products.id] }),
    foreignKey({ name: 'order_lines_list_fk', columns: [t.orgId, t.priceListId], foreignColumns: [priceLists.orgId, priceLists.id] }),
    index('order_lines_org_order').on(t.orgId, t.orderId, t.position),
    index('order_lines_org_product').on(t.orgId, t.productId),
  ],
);

/** A quote: a numbered, frozen copy of a deal's lines sent to the customer; revisions keep the number. */
export const quotes = pgTable(
  'quotes',
  {
    orgId: orgId(),
    id: id(),
    number: text().notNull(),
    revision: integer().notNull().default(1),
    opportunityId: uuid().notNull(),
    accountId: uuid().notNull(),
    status: text({ enum: ['draft', 'sent', 'accepted', 'rejected', 'expired'] }).notNull().default('draft'),
    language: text().notNull().default('en'),
    currency: char({ length: 3 }).notNull(),
    fxRate: numeric({ precision: 18, scale: 8 }),
    total: numeric({ precision: 18, scale: 2 }).notNull(),
    totalBase: numeric({ precision: 18, scale: 2 }).notNull(),
    validUntil: date({ mode: 'string' }).notNull(),
    terms: text(),
    /** The lines as quoted (product code, names per locale, unit, quantity, prices, totals). */
    lines: jsonb().$type<unknown[]>().notNull(),
    sentAt: ts(),
    decidedAt: ts(),
    orderId: uuid(),
    ...recordColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'quotes_opp_fk', columns: [t.orgId, t.opportunityId], foreignColumns: [opportunities.orgId, opportunities.id] }),
    foreignKey({ name: 'quotes_account_fk', columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    foreignKey({ name: 'quotes_order_fk', columns: [t.orgId, t.orderId], foreignColumns: [orders.orgId, orders.id] }),
    uniqueIndex('quotes_org_number').on(t.orgId, t.number, t.revision),
    uniqueIndex('quotes_org_one_accepted').on(t.orgId, t.opportunityId).where(sql`${t.status} = 'accepted' and ${t.deletedAt} is null`),
    index('quotes_org_opp').on(t.orgId, t.opportunityId),
    check('quotes_status', sql`${t.status} in ('draft', 'sent', 'accepted', 'rejected', 'expired')`),
  ],
);

/** The last quote number given out per organization and year (allocated with one upsert: race-free). */
export const quoteCounters = pgTable(
  'quote_counters',
  { orgId: orgId(), year: integer().notNull(), last: integer().notNull() },
  (t) => [primaryKey({ columns: [t.orgId, t.year] })],
);

/**
 * A customer's annual demand for one product line (what it buys of that line from everyone), so share
 * of wallet reads per line. No row: the demand for that line is unknown (nothing is guessed).
 */
export const accountLineDemand = pgTable(
  'account_line_demand',
  {
    orgId: orgId(),
    accountId: uuid().notNull(),
    /** A key of the product_line vocabulary. */
    productLine: text().notNull(),
    annualDemand: numeric({ precision: 18, scale: 2 }).notNull(),
    currency: char({ length: 3 }).notNull(),
    estimated: boolean().notNull().default(true),
    updatedAt: ts().notNull().default(sql`now()`),
    updatedBy: uuid(),
  },
  (t) => [
    primaryKey({ name: 'account_line_demand_pk', columns: [t.orgId, t.accountId, t.productLine] }),
    foreignKey({ name: 'account_line_demand_account_fk', columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    check('account_line_demand_positive', sql`${t.annualDemand} >= 0`),
  ],
);
