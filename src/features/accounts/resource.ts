import { accounts, accountStatusHistory, users } from '../../db/schema/index.ts';
import { nameField, Resource, type NameSpec } from '../../kernel/resource.ts';
import { raiseStatusFallAlerts } from '../funnel/alerts.ts';
import { checkNoCycle } from './hierarchy.ts';
import { accountEngagementFields, withAccountEngagement } from '../surveys/list-fields.ts';
import { account, accountCreate, accountUpdate } from './schemas.ts';

const a = accounts;
const ownerName: NameSpec = { from: 'ownerId', table: users, column: users.name };
const parentAccountName: NameSpec = { from: 'parentAccountId', table: accounts, column: accounts.name };

export const accountResource = new Resource({
  name: 'accounts',
  entity: 'account',
  label: 'Account',
  table: a,
  schemas: { create: accountCreate, update: accountUpdate, record: account },
  defaultSort: '-updatedAt',
  search: [a.name, a.domain],
  ownerField: 'ownerId',
  names: { ownerName, parentAccountName },
  expand: withAccountEngagement,
  refs: { parentAccountId: { table: accounts, label: 'Parent account', softDeleted: true } },
  vocab: { needType: 'need_type', supplierStatus: 'supplier_status', relationshipDepth: 'relationship_depth', source: 'lead_source', industry: 'industry' },
  fields: {
    id: { column: a.id, type: 'uuid' },
    name: { column: a.name, type: 'text' },
    kind: { column: a.kind, type: 'text' },
    domain: { column: a.domain, type: 'text' },
    website: { column: a.website, type: 'text' },
    industry: { column: a.industry, type: 'text' },
    country: { column: a.country, type: 'text' },
    region: { column: a.region, type: 'text' },
    city: { column: a.city, type: 'text' },
    employees: { column: a.employees, type: 'number' },
    annualRevenue: { column: a.annualRevenue, type: 'number' },
    totalAnnualDemand: { column: a.totalAnnualDemand, type: 'number' },
    ownerId: { column: a.ownerId, type: 'uuid' },
    ownerName: nameField(ownerName, a.ownerId, a.orgId),
    needType: { column: a.needType, type: 'text' },
    priceOrientation: { column: a.priceOrientation, type: 'text' },
    supplierStatus: { column: a.supplierStatus, type: 'text' },
    relationshipDepth: { column: a.relationshipDepth, type: 'text' },
    source: { column: a.source, type: 'text' },
    aisasStep: { column: a.aisasStep, type: 'text' },
    parentAccountId: { column: a.parentAccountId, type: 'uuid' },
    /** Same as parentAccountId: `parent=<id>` lists an account's direct subsidiaries, `parent[empty]=true` the top-level accounts. */
    parent: { column: a.parentAccountId, type: 'uuid' },
    parentAccountName: nameField(parentAccountName, a.parentAccountId, a.orgId),
    tags: { column: a.tags, type: 'tags' },
    tier: { column: a.tier, type: 'text' },
    buyingStage: { column: a.buyingStage, type: 'text' },
    fitScore: { column: a.fitScore, type: 'number' },
    portfolioType: { column: a.portfolioType, type: 'text' },
    priceDriven: { column: a.priceDriven, type: 'boolean' },
    // Engagement (DOMAIN §8): the survey roll-up's level and NPS.
    ...accountEngagementFields(a.orgId, a.id),
    createdAt: { column: a.createdAt, type: 'timestamp' },
    updatedAt: { column: a.updatedAt, type: 'timestamp' },
  },
  prepare: async (values, { tx, actor, existing }, errs) => {
    if (existing && typeof values.parentAccountId === 'string') await checkNoCycle(tx, actor.orgId, existing.id, values.parentAccountId, errs);
    // A website without a domain gives us the domain: it is the key for duplicate detection.
    if (typeof values.website === 'string' && values.domain === undefined) {
      try {
        values.domain = new URL(values.website).hostname.replace(/^www\./, '').toLowerCase();
      } catch {
        /* the schema already checked the URL */
      }
    }
    return values;
  },
  // Supplier status and relationship depth keep their history (DOMAIN §6): every change is a row.
  afterWrite: async ({ tx, actor, existing }, after) => {
    const rows = (['supplierStatus', 'relationshipDepth'] as const)
      .filter((f) => (existing ? existing[f] !== after[f] : after[f] != null))
      .map((f) => ({
        orgId: actor.orgId,
        accountId: after.id,
        field: f === 'supplierStatus' ? ('supplier_status' as const) : ('relationship_depth' as const),
        fromValue: (existing?.[f] as string | null) ?? null,
        toValue: (after[f] as string | null) ?? null,
        changedBy: actor.kind === 'system' ? null : actor.userId,
      }));
    if (rows.length) await tx.insert(accountStatusHistory).values(rows);
    // A fall (e.g. preferred → passively phased out) is an alarm on the account and the manager's dashboard.
    if (existing && rows.length) await raiseStatusFallAlerts(tx, actor.orgId, { accountId: after.id });
  },
});
