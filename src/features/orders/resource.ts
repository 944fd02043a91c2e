import { eq, sql } from 'drizzle-orm';
import { accounts, opportunities, orders, organizations } from '../../db/schema/index.ts';
import { Resource } from '../../kernel/resource.ts';
import { checkOpportunityAccount } from '../opportunities/queries.ts';
import { resolveFx } from './rules.ts';
import { order, orderCreate, orderUpdate } from './schemas.ts';

const o = orders;

export const orderResource = new Resource({
  name: 'orders',
  entity: 'order',
  label: 'Order',
  table: o,
  schemas: { create: orderCreate, update: orderUpdate, record: order },
  defaultSort: '-orderedAt',
  search: [o.orderNumber, o.description],
  refs: {
    accountId: { table: accounts, label: 'Account', softDeleted: true },
    opportunityId: { table: opportunities, label: 'Opportunity', softDeleted: true },
  },
  fields: {
    id: { column: o.id, type: 'uuid' },
    accountId: { column: o.accountId, type: 'uuid' },
    opportunityId: { column: o.opportunityId, type: 'uuid' },
    orderNumber: { column: o.orderNumber, type: 'text' },
    orderedAt: { column: o.orderedAt, type: 'date' },
    amount: { column: o.amount, type: 'number' },
    currency: { column: o.currency, type: 'text' },
    fxRate: { column: o.fxRate, type: 'number' },
    amountBase: { column: o.amountBase, type: 'number' },
    status: { column: o.status, type: 'enum', values: ['confirmed', 'shipped', 'delivered', 'invoiced', 'cancelled'] },
    createdBy: { column: o.createdBy, type: 'uuid' },
    createdAt: { column: o.createdAt, type: 'timestamp' },
    updatedAt: { column: o.updatedAt, type: 'timestamp' },
  },
  prepare: async (values, { tx, actor, existing }, errs) => {
    await checkOpportunityAccount(tx, actor.orgId, { ...existing, ...values }, errs);
    const touched = !existing || values.amount !== undefined || values.currency !== undefined || values.fxRate !== undefined;
    if (!touched) return values;
    const [org] = await tx.select({ base: organizations.baseCurrency }).from(organizations).where(eq(organizations.id, actor.orgId));
    const base = org?.base ?? 'USD';
    const currency = (values.currency ?? existing?.currency) as string;
    const amount = (values.amount ?? existing?.amount) as string;
    // A rate belongs to its currency: changing the currency without a new rate drops the old one.
    const keptRate = existing && existing.currency === currency ? ((existing.fxRate as string | null) ?? null) : null;
    const rate = values.fxRate !== undefined ? (values.fxRate as string | null) : keptRate;
    const fx = resolveFx(currency, base, rate);
    if (!fx.ok) {
      errs.add('fxRate', fx.message, fx.code);
      return values;
    }
    return {
      ...values,
      fxRate: fx.fxRate,
      amountBase: fx.multiply ? sql`round(${amount}::numeric * ${fx.fxRate}::numeric, 2)` : amount,
    };
  },
});
