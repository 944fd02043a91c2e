import { and, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { opportunityLines, orderLines, priceListItems, priceLists, products } from '../../db/schema/index.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { conflict } from '../../kernel/errors.ts';
import { Resource, type Row } from '../../kernel/resource.ts';
import { priceList, priceListCreate, priceListUpdate, product, productCreate, productUpdate } from './schemas.ts';

const p = products;

/** Where a product is used: lines of deals and orders, price list tiers (each a reason not to delete it). */
export async function productUse(db: DbOrTx, orgId: string, productId: string) {
  const [use] = await rowsOf<{ deals: number; orders: number; prices: number }>(db, sql`select
      (select count(*)::int from ${opportunityLines} where org_id = ${orgId} and product_id = ${productId}) as deals,
      (select count(*)::int from ${orderLines} where org_id = ${orgId} and product_id = ${productId}) as orders,
      (select count(*)::int from ${priceListItems} where org_id = ${orgId} and product_id = ${productId}) as prices`);
  return use!;
}

export async function rowsOf<T>(db: DbOrTx, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

class ProductResource extends Resource {
  /** A product on deals, orders or price lists keeps them readable: it can be deactivated, not deleted. */
  override async remove(db: Db, actor: Actor, id: string, version: number | undefined): Promise<Row> {
    const existing = await this.get(db, actor, id);
    const use = await productUse(db, actor.orgId, id);
    if (use.deals || use.orders || use.prices) {
      const parts = [use.deals && `${use.deals} deal line(s)`, use.orders && `${use.orders} order line(s)`, use.prices && `${use.prices} price list entr(ies)`].filter(Boolean);
      throw conflict(`This product is used by ${parts.join(', ')}: deactivate it (active: false) or phase it out instead of deleting it`, existing);
    }
    return super.remove(db, actor, id, version);
  }
}

export const productResource = new ProductResource({
  name: 'products',
  entity: 'product',
  label: 'Product',
  table: p,
  schemas: { create: productCreate, update: productUpdate, record: product },
  defaultSort: 'code',
  search: [p.code, p.name, sql`${p.nameI18n}::text`],
  vocab: { productLine: 'product_line' },
  fields: {
    id: { column: p.id, type: 'uuid' },
    code: { column: p.code, type: 'text' },
    name: { column: p.name, type: 'text' },
    productLine: { column: p.productLine, type: 'text' },
    unit: { column: p.unit, type: 'text' },
    active: { column: p.active, type: 'boolean' },
    lifecycle: { column: p.lifecycle, type: 'enum', values: ['new', 'current', 'phased_out'] },
    firstOfKind: { column: p.firstOfKind, type: 'boolean' },
    createdAt: { column: p.createdAt, type: 'timestamp' },
    updatedAt: { column: p.updatedAt, type: 'timestamp' },
  },
  prepare: async (values, { tx, actor, existing }, errs) => {
    if (typeof values.code === 'string') {
      // Deleted products keep their code: a restore must not collide, and old lines still name it.
      const conds = [eq(p.orgId, actor.orgId), sql`lower(${p.code}) = lower(${values.code})`];
      if (existing) conds.push(ne(p.id, existing.id));
      const [dup] = await tx.select({ id: p.id, deletedAt: p.deletedAt }).from(p).where(and(...conds)).limit(1);
      if (dup) errs.add('code', dup.deletedAt ? 'A deleted product has this code: restore it instead' : 'Another product has this code', 'already_exists');
    }
    return values;
  },
});

const l = priceLists;

export const priceListResource = new Resource({
  name: 'price-lists',
  entity: 'price_list',
  label: 'Price list',
  table: l,
  schemas: { create: priceListCreate, update: priceListUpdate, record: priceList },
  defaultSort: '-validFrom',
  search: [l.name],
  fields: {
    id: { column: l.id, type: 'uuid' },
    name: { column: l.name, type: 'text' },
    currency: { column: l.currency, type: 'text' },
    validFrom: { column: l.validFrom, type: 'date' },
    validTo: { column: l.validTo, type: 'date' },
    isDefault: { column: l.isDefault, type: 'boolean' },
    updatedAt: { column: l.updatedAt, type: 'timestamp' },
  },
  prepare: async (values, { tx, actor, existing }, errs) => {
    const from = (values.validFrom ?? existing?.validFrom) as string;
    const to = (values.validTo !== undefined ? values.validTo : existing?.validTo) as string | null;
    if (to && from && to < from) errs.add('validTo', 'Must not be before validFrom', 'invalid');
    const isDefault = (values.isDefault ?? existing?.isDefault) as boolean | undefined;
    const currency = (values.currency ?? existing?.currency) as string;
    if (isDefault && (values.isDefault || values.currency !== undefined)) {
      // One default per currency: making this one the default takes it from the other.
      const conds = [eq(l.orgId, actor.orgId), eq(l.currency, currency), eq(l.isDefault, true), isNull(l.deletedAt)];
      if (existing) conds.push(ne(l.id, existing.id));
      await tx.update(l).set({ isDefault: false, version: sql`${l.version} + 1`, updatedAt: sql`now()` }).where(and(...conds));
    }
    return values;
  },
  expand: async (db, actor, rows) => {
    const ids = rows.map((r) => r.id);
    const counts = await db
      .select({ id: priceListItems.priceListId, n: sql<number>`count(*)::int` })
      .from(priceListItems)
      .where(and(eq(priceListItems.orgId, actor.orgId), inArray(priceListItems.priceListId, ids)))
      .groupBy(priceListItems.priceListId);
    const by = new Map(counts.map((c) => [c.id, c.n]));
    return rows.map((r) => ({ ...r, itemCount: by.get(r.id) ?? 0 }));
  },
});
