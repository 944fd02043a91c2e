import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  accounts, contacts, opportunities, opportunityLines, opportunityPricing, orderLines, orders, organizations, priceListItems, priceLists, products,
} from '../../db/schema/index.ts';
import type { Actor } from '../../kernel/actor.ts';
import { requireWriter } from '../../kernel/actor.ts';
import { audit } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { conflict, FieldErrors, notFound, preconditionRequired } from '../../kernel/errors.ts';
import { opportunityResource } from '../opportunities/resource.ts';
import { orderResource } from '../orders/resource.ts';
import { resolveFx } from '../orders/rules.ts';
import { priceListResource, productResource, rowsOf } from './resource.ts';
import { addMoney, pickPrice, priceLine, toBase, type LineInput, type PriceListForPicking, type PricedLine } from './rules.ts';

const today = () => new Date().toISOString().slice(0, 10);

export async function baseCurrency(db: DbOrTx, orgId: string): Promise<string> {
  const [org] = await db.select({ base: organizations.baseCurrency }).from(organizations).where(eq(organizations.id, orgId));
  return org?.base ?? 'USD';
}

type ProductInfo = { id: string; code: string; name: string; nameI18n: Record<string, string>; unit: string; active: boolean; lifecycle: string; deletedAt: string | null };

export async function loadProducts(db: DbOrTx, orgId: string, ids: string[]): Promise<Map<string, ProductInfo>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: products.id, code: products.code, name: products.name, nameI18n: products.nameI18n, unit: products.unit, active: products.active, lifecycle: products.lifecycle, deletedAt: products.deletedAt })
    .from(products)
    .where(and(eq(products.orgId, orgId), inArray(products.id, [...new Set(ids)])));
  return new Map(rows.map((r) => [r.id, r]));
}

/** The price lists of a currency with their tiers for the given products only (one query). */
export async function loadPriceLists(db: DbOrTx, orgId: string, currency: string, productIds: string[]): Promise<PriceListForPicking[]> {
  if (!productIds.length) return [];
  const rows = await db
    .select({ id: priceLists.id, currency: priceLists.currency, validFrom: priceLists.validFrom, validTo: priceLists.validTo, isDefault: priceLists.isDefault,
      productId: priceListItems.productId, minQuantity: priceListItems.minQuantity, unitPrice: priceListItems.unitPrice })
    .from(priceLists)
    .innerJoin(priceListItems, and(eq(priceListItems.orgId, priceLists.orgId), eq(priceListItems.priceListId, priceLists.id)))
    .where(and(eq(priceLists.orgId, orgId), eq(priceLists.currency, currency), isNull(priceLists.deletedAt), inArray(priceListItems.productId, [...new Set(productIds)])));
  const lists = new Map<string, PriceListForPicking>();
  for (const r of rows) {
    const l = lists.get(r.id) ?? { id: r.id, currency: r.currency, validFrom: r.validFrom, validTo: r.validTo, isDefault: r.isDefault, items: [] };
    l.items.push({ productId: r.productId, minQuantity: r.minQuantity, unitPrice: r.unitPrice });
    lists.set(r.id, l);
  }
  return [...lists.values()];
}

/**
 * Prices a set of lines: products of the organization (active ones, unless already on the record),
 * prices from the lists of the currency valid on `date`. Errors are collected per line.
 */
async function priceAll(
  tx: DbOrTx,
  orgId: string,
  opts: { currency: string; date: string; priceListId?: string | null; lines: LineInput[]; alreadyUsed: Set<string> },
  errs: FieldErrors,
): Promise<PricedLine[]> {
  const ids = opts.lines.map((l) => l.productId);
  const found = await loadProducts(tx, orgId, ids);
  const lists = await loadPriceLists(tx, orgId, opts.currency, ids);
  const out: PricedLine[] = [];
  opts.lines.forEach((input, i) => {
    const p = found.get(input.productId);
    if (!p || p.deletedAt) return errs.add(`lines.${i}.productId`, 'Product not found', 'not_found', { entity: 'product' });
    if (!p.active && !opts.alreadyUsed.has(p.id)) return errs.add(`lines.${i}.productId`, `${p.code} is inactive and cannot be added`, 'deactivated');
    const picked = pickPrice(lists, { productId: p.id, currency: opts.currency, quantity: input.quantity, date: opts.date, priceListId: opts.priceListId ?? null });
    const { line, issues } = priceLine(input, picked, i);
    for (const x of issues) errs.add(x.path, x.message, x.code);
    if (line) out.push(line);
  });
  return out;
}

type LineKind = 'opportunity' | 'order';
const LINE_TABLE = { opportunity: opportunityLines, order: orderLines } as const;

async function replaceLines(tx: DbOrTx, kind: LineKind, orgId: string, parentId: string, lines: PricedLine[]) {
  if (kind === 'opportunity') await tx.delete(opportunityLines).where(and(eq(opportunityLines.orgId, orgId), eq(opportunityLines.opportunityId, parentId)));
  else await tx.delete(orderLines).where(and(eq(orderLines.orgId, orgId), eq(orderLines.orderId, parentId)));
  if (!lines.length) return;
  const rows = lines.map((l, position) => ({ orgId, position, ...l, ...(kind === 'opportunity' ? { opportunityId: parentId } : { orderId: parentId }) }));
  await tx.insert(LINE_TABLE[kind] as typeof opportunityLines).values(rows as never);
}

export type LineRecord = {
  id: string; position: number; productId: string; productCode: string; productName: string; nameI18n: Record<string, string>; unit: string; lifecycle: string;
  description: string | null; quantity: string; listPrice: string | null; unitPrice: string; discountPct: string; discountReason: string | null; lineTotal: string; priceListId: string | null;
};

export async function readLines(db: DbOrTx, kind: LineKind, orgId: string, parentId: string): Promise<LineRecord[]> {
  const t = kind === 'opportunity' ? opportunityLines : orderLines;
  const parent = kind === 'opportunity' ? opportunityLines.opportunityId : orderLines.orderId;
  return db
    .select({
      id: t.id, position: t.position, productId: t.productId, productCode: products.code, productName: products.name, nameI18n: products.nameI18n, unit: products.unit,
      lifecycle: products.lifecycle, description: t.description, quantity: t.quantity, listPrice: t.listPrice, unitPrice: t.unitPrice, discountPct: t.discountPct,
      discountReason: t.discountReason, lineTotal: t.lineTotal, priceListId: t.priceListId,
    })
    .from(t)
    .innerJoin(products, and(eq(products.orgId, t.orgId), eq(products.id, t.productId)))
    .where(and(eq(t.orgId, orgId), eq(parent, parentId)))
    .orderBy(t.position);
}

const summary = (lines: { productId: string; quantity: string; unitPrice: string; discountPct: string; lineTotal: string }[]) =>
  lines.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice, discountPct: l.discountPct, lineTotal: l.lineTotal }));

// ---------- deal lines ----------

export async function getDealLines(db: DbOrTx, actor: Actor, opportunityId: string) {
  const opp = await opportunityResource.get(db, actor, opportunityId);
  const [pricing] = await db.select().from(opportunityPricing).where(and(eq(opportunityPricing.orgId, actor.orgId), eq(opportunityPricing.opportunityId, opportunityId)));
  return {
    version: opp.version,
    currency: pricing?.currency ?? ((opp.currency as string | null) ?? null),
    fxRate: pricing?.fxRate ?? null,
    amount: pricing?.amount ?? ((opp.amount as string | null) ?? null),
    amountBase: pricing?.amountBase ?? null,
    lines: await readLines(db, 'opportunity', actor.orgId, opportunityId),
  };
}

export interface DealLinesInput {
  currency?: string;
  fxRate?: string | null;
  priceListId?: string | null;
  lines: LineInput[];
}

/**
 * Replaces a deal's lines as one change of the deal: checked against the version the seller edited
 * (409 otherwise), priced, and the deal's amount set to their sum in the same transaction (a deal
 * without lines keeps the amount it has). The change is audited on the deal, with the lines before and after.
 */
export async function putDealLines(db: Db, actor: Actor, opportunityId: string, version: number | undefined, input: DealLinesInput) {
  requireWriter(actor);
  if (version === undefined) throw preconditionRequired();
  return db.transaction(async (tx) => {
    const opp = await opportunityResource.get(tx, actor, opportunityId, { forUpdate: true });
    if (opp.version !== version) {
      const [current] = await opportunityResource.present(tx, actor, [opp]);
      throw conflict(`This opportunity was changed by someone else (you edited version ${version}, it is now ${opp.version})`, current);
    }
    await opportunityResource.assertCanEdit(tx, actor, opp);
    const errs = new FieldErrors();
    const [pricing] = await tx.select().from(opportunityPricing).where(and(eq(opportunityPricing.orgId, actor.orgId), eq(opportunityPricing.opportunityId, opportunityId)));
    const base = await baseCurrency(tx, actor.orgId);
    const currency = input.currency ?? pricing?.currency ?? (opp.currency as string | null) ?? base;
    const before = await readLines(tx, 'opportunity', actor.orgId, opportunityId);
    if (input.priceListId) {
      const [pl] = await tx.select({ currency: priceLists.currency }).from(priceLists).where(and(eq(priceLists.orgId, actor.orgId), eq(priceLists.id, input.priceListId), isNull(priceLists.deletedAt)));
      if (!pl) errs.add('priceListId', 'Price list not found', 'not_found', { entity: 'price list' });
      else if (pl.currency !== currency) errs.add('priceListId', `This price list is in ${pl.currency}, the lines in ${currency}`, 'mismatch');
    }
    const priced = await priceAll(tx, actor.orgId, { currency, date: today(), priceListId: input.priceListId, lines: input.lines, alreadyUsed: new Set(before.map((l) => l.productId)) }, errs);
    let fxRate: string | null = null;
    if (input.lines.length) {
      const keptRate = pricing && pricing.currency === currency ? pricing.fxRate : null;
      const fx = resolveFx(currency, base, input.fxRate !== undefined ? input.fxRate : keptRate);
      if (!fx.ok) errs.add('fxRate', fx.message, fx.code);
      else fxRate = fx.fxRate;
    }
    errs.throwIfAny();
    await replaceLines(tx, 'opportunity', actor.orgId, opportunityId, priced);
    const amount = addMoney(priced.map((l) => l.lineTotal));
    const by = actor.kind === 'system' ? null : actor.userId;
    const o = opportunities;
    let set: Record<string, unknown> = { version: sql`${o.version} + 1`, updatedAt: sql`now()`, updatedBy: by };
    if (priced.length) {
      const amountBase = toBase(amount, fxRate);
      const values = { currency, fxRate, amount, amountBase, lineCount: priced.length, updatedAt: sql`now()` };
      await tx.insert(opportunityPricing).values({ orgId: actor.orgId, opportunityId, ...values } as never)
        .onConflictDoUpdate({ target: [opportunityPricing.orgId, opportunityPricing.opportunityId], set: values as never });
      set = { ...set, amount, currency };
    } else {
      await tx.delete(opportunityPricing).where(and(eq(opportunityPricing.orgId, actor.orgId), eq(opportunityPricing.opportunityId, opportunityId)));
    }
    const [row] = await tx.update(o).set(set as never).where(and(eq(o.orgId, actor.orgId), eq(o.id, opportunityId))).returning();
    await audit(tx, actor, {
      action: 'update', entity: 'opportunity', entityId: opportunityId,
      before: { amount: opp.amount, currency: opp.currency, lines: summary(before) },
      after: { amount: row!.amount, currency: row!.currency, lines: summary(priced) },
    });
    return getDealLines(tx, actor, opportunityId);
  });
}

/** Whether a deal's amount comes from its lines (then it is not typed by hand). */
export async function hasLines(db: DbOrTx, orgId: string, opportunityId: string): Promise<boolean> {
  const [r] = await db.select({ n: opportunityPricing.lineCount }).from(opportunityPricing).where(and(eq(opportunityPricing.orgId, orgId), eq(opportunityPricing.opportunityId, opportunityId)));
  return !!r && r.n > 0;
}

// ---------- order lines ----------

export async function getOrderLines(db: DbOrTx, actor: Actor, orderId: string) {
  const ord = await orderResource.get(db, actor, orderId);
  return { version: ord.version, currency: ord.currency as string, amount: ord.amount as string, amountBase: ord.amountBase as string, lines: await readLines(db, 'order', actor.orgId, orderId) };
}

/** Replaces an order's lines; with lines, its amount is their sum and its base amount follows with its own fx rate. */
export async function putOrderLines(db: Db, actor: Actor, orderId: string, version: number | undefined, lines: LineInput[]) {
  requireWriter(actor);
  if (version === undefined) throw preconditionRequired();
  return db.transaction(async (tx) => {
    const ord = await orderResource.get(tx, actor, orderId, { forUpdate: true });
    if (ord.version !== version) throw conflict(`This order was changed by someone else (you edited version ${version}, it is now ${ord.version})`, ord);
    await orderResource.assertCanEdit(tx, actor, ord);
    const errs = new FieldErrors();
    const before = await readLines(tx, 'order', actor.orgId, orderId);
    const priced = await priceAll(tx, actor.orgId, { currency: ord.currency as string, date: ord.orderedAt as string, lines, alreadyUsed: new Set(before.map((l) => l.productId)) }, errs);
    errs.throwIfAny();
    await replaceLines(tx, 'order', actor.orgId, orderId, priced);
    const o = orders;
    const by = actor.kind === 'system' ? null : actor.userId;
    const set: Record<string, unknown> = { version: sql`${o.version} + 1`, updatedAt: sql`now()`, updatedBy: by };
    if (priced.length) {
      const amount = addMoney(priced.map((l) => l.lineTotal));
      Object.assign(set, { amount, amountBase: toBase(amount, (ord.fxRate as string | null) ?? null) });
    }
    const [row] = await tx.update(o).set(set as never).where(and(eq(o.orgId, actor.orgId), eq(o.id, orderId))).returning();
    await audit(tx, actor, {
      action: 'update', entity: 'order', entityId: orderId,
      before: { amount: ord.amount, amountBase: ord.amountBase, lines: summary(before) },
      after: { amount: row!.amount, amountBase: row!.amountBase, lines: summary(priced) },
    });
    return getOrderLines(tx, actor, orderId);
  });
}

// ---------- price list items ----------

export async function getPriceItems(db: DbOrTx, actor: Actor, priceListId: string) {
  const list = await priceListResource.get(db, actor, priceListId);
  const i = priceListItems;
  const items = await db
    .select({ id: i.id, productId: i.productId, productCode: products.code, productName: products.name, minQuantity: i.minQuantity, unitPrice: i.unitPrice })
    .from(i)
    .innerJoin(products, and(eq(products.orgId, i.orgId), eq(products.id, i.productId)))
    .where(and(eq(i.orgId, actor.orgId), eq(i.priceListId, priceListId)))
    .orderBy(products.code, i.minQuantity);
  return { version: list.version, items };
}

/** Replaces a price list's items (its tiers) as one versioned change of the list. */
export async function putPriceItems(db: Db, actor: Actor, priceListId: string, version: number | undefined, items: { productId: string; minQuantity?: string; unitPrice: string }[]) {
  requireWriter(actor);
  if (version === undefined) throw preconditionRequired();
  return db.transaction(async (tx) => {
    const list = await priceListResource.get(tx, actor, priceListId, { forUpdate: true });
    if (list.version !== version) throw conflict(`This price list was changed by someone else (you edited version ${version}, it is now ${list.version})`, list);
    await priceListResource.assertCanEdit(tx, actor, list);
    const errs = new FieldErrors();
    const found = await loadProducts(tx, actor.orgId, items.map((x) => x.productId));
    const seen = new Set<string>();
    items.forEach((it, n) => {
      const p = found.get(it.productId);
      if (!p || p.deletedAt) errs.add(`items.${n}.productId`, 'Product not found', 'not_found', { entity: 'product' });
      const key = `${it.productId}|${Number(it.minQuantity ?? '1')}`;
      if (seen.has(key)) errs.add(`items.${n}.minQuantity`, 'This product already has a price from this quantity in the list', 'already_exists');
      seen.add(key);
    });
    errs.throwIfAny();
    const before = await tx.select({ n: sql<number>`count(*)::int` }).from(priceListItems).where(and(eq(priceListItems.orgId, actor.orgId), eq(priceListItems.priceListId, priceListId)));
    await tx.delete(priceListItems).where(and(eq(priceListItems.orgId, actor.orgId), eq(priceListItems.priceListId, priceListId)));
    if (items.length) {
      await tx.insert(priceListItems).values(items.map((it) => ({ orgId: actor.orgId, priceListId, productId: it.productId, minQuantity: it.minQuantity ?? '1', unitPrice: it.unitPrice })));
    }
    const l = priceLists;
    await tx.update(l).set({ version: sql`${l.version} + 1`, updatedAt: sql`now()`, updatedBy: actor.kind === 'system' ? null : actor.userId }).where(and(eq(l.orgId, actor.orgId), eq(l.id, priceListId)));
    await audit(tx, actor, { action: 'update', entity: 'price_list', entityId: priceListId, before: { items: before[0]?.n ?? 0 }, after: { items: items.length } });
    return getPriceItems(tx, actor, priceListId);
  });
}

/** The price the lines would get, and every tier of the product in that currency valid on the day. */
export async function priceFor(db: DbOrTx, actor: Actor, q: { productId: string; currency: string; quantity?: string; date?: string; priceListId?: string }) {
  const lists = await loadPriceLists(db, actor.orgId, q.currency, [q.productId]);
  const date = q.date ?? today();
  const price = pickPrice(lists, { productId: q.productId, currency: q.currency, quantity: q.quantity ?? '1', date, priceListId: q.priceListId ?? null });
  const tiers = lists
    .filter((l) => l.validFrom <= date && (l.validTo === null || date <= l.validTo))
    .flatMap((l) => l.items.map((it) => ({ priceListId: l.id, minQuantity: it.minQuantity, unitPrice: it.unitPrice })));
  return { price, tiers };
}

// ---------- product page ----------

/** Which accounts buy the product, which open deals carry it, and its orders per month (last 24 months). */
export async function productUsage(db: DbOrTx, actor: Actor, productId: string) {
  await productResource.get(db, actor, productId, { includeDeleted: true });
  const org = actor.orgId;
  const accountsRows = await rowsOf<{ accountId: string; accountName: string; orders: number; quantity: string; amount: string; currency: string }>(db, sql`
    select a.id as "accountId", a.name as "accountName", count(distinct o.id)::int as orders, sum(l.quantity)::text as quantity, sum(l.line_total)::text as amount, o.currency as currency
    from ${orderLines} l
    join ${orders} o on o.org_id = l.org_id and o.id = l.order_id and o.deleted_at is null and o.status <> 'cancelled'
    join ${accounts} a on a.org_id = o.org_id and a.id = o.account_id and a.deleted_at is null
    where l.org_id = ${org} and l.product_id = ${productId}
    group by a.id, a.name, o.currency order by sum(l.line_total) desc limit 50`);
  const dealRows = await rowsOf<{ opportunityId: string; name: string; accountName: string; quantity: string; lineTotal: string; currency: string | null }>(db, sql`
    select d.id as "opportunityId", d.name, a.name as "accountName", sum(l.quantity)::text as quantity, sum(l.line_total)::text as "lineTotal", d.currency
    from ${opportunityLines} l
    join ${opportunities} d on d.org_id = l.org_id and d.id = l.opportunity_id and d.deleted_at is null and d.status = 'open'
    join ${accounts} a on a.org_id = d.org_id and a.id = d.account_id
    where l.org_id = ${org} and l.product_id = ${productId}
    group by d.id, d.name, a.name, d.currency order by sum(l.line_total) desc limit 50`);
  const months = await rowsOf<{ month: string; quantity: string; amount: string; currency: string }>(db, sql`
    select to_char(date_trunc('month', o.ordered_at), 'YYYY-MM') as month, sum(l.quantity)::text as quantity, sum(l.line_total)::text as amount, o.currency
    from ${orderLines} l
    join ${orders} o on o.org_id = l.org_id and o.id = l.order_id and o.deleted_at is null and o.status <> 'cancelled'
    where l.org_id = ${org} and l.product_id = ${productId} and o.ordered_at >= (date_trunc('month', current_date) - interval '23 months')::date
    group by 1, o.currency order by 1`);
  return { accounts: accountsRows, openDeals: dealRows, ordersByMonth: months };
}

/** The lines of an account's orders, newest order first (what the customer bought, product by product). */
export async function accountOrderLines(db: DbOrTx, actor: Actor, accountId: string) {
  const [acc] = await db.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.orgId, actor.orgId), eq(accounts.id, accountId)));
  if (!acc) throw notFound('Account');
  const l = orderLines;
  const data = await db
    .select({
      id: l.id, position: l.position, productId: l.productId, productCode: products.code, productName: products.name, nameI18n: products.nameI18n, unit: products.unit,
      lifecycle: products.lifecycle, description: l.description, quantity: l.quantity, listPrice: l.listPrice, unitPrice: l.unitPrice, discountPct: l.discountPct,
      discountReason: l.discountReason, lineTotal: l.lineTotal, priceListId: l.priceListId, orderId: orders.id, orderNumber: orders.orderNumber, orderedAt: orders.orderedAt, currency: orders.currency,
    })
    .from(l)
    .innerJoin(orders, and(eq(orders.orgId, l.orgId), eq(orders.id, l.orderId), isNull(orders.deletedAt)))
    .innerJoin(products, and(eq(products.orgId, l.orgId), eq(products.id, l.productId)))
    .where(and(eq(l.orgId, actor.orgId), eq(orders.accountId, accountId)))
    .orderBy(sql`${orders.orderedAt} desc`, sql`${orders.id} desc`, l.position)
    .limit(500);
  return { data };
}

/** The contacts' languages and the country of an account (for the quote's language). */
export async function accountLanguageFacts(db: DbOrTx, orgId: string, accountId: string) {
  const [acc] = await db.select({ country: accounts.country, name: accounts.name }).from(accounts).where(and(eq(accounts.orgId, orgId), eq(accounts.id, accountId)));
  const langs = await db.select({ language: contacts.language }).from(contacts).where(and(eq(contacts.orgId, orgId), eq(contacts.accountId, accountId), isNull(contacts.deletedAt)));
  return { country: acc?.country ?? null, name: acc?.name ?? '', languages: langs.map((l) => l.language) };
}
