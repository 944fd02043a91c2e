import { sql } from 'drizzle-orm';
import {
  boolean, char, check, date, foreignKey, index, integer, numeric, pgTable, primaryKey, real, smallint, text, uuid, jsonb,
} from 'drizzle-orm/pg-core';
import { id, orgId, recordColumns, ts } from './columns.ts';
import { users } from './organizations.ts';


export const accounts = pgTable(
  'accounts',
  {
    orgId: orgId(),
    id: id(),
    name: text().notNull(),
    /** customer | prospect | partner (design institute, agent…) | competitor */
    kind: text().notNull().default('prospect'),
    domain: text(),
    website: text(),
    industry: text(),
    country: char({ length: 2 }),
    region: text(),
    city: text(),
    address: text(),
    phone: text(),
    employees: integer(),
    annualRevenue: numeric({ precision: 18, scale: 2 }),
    /** What the account buys per year of what we sell, in `demandCurrency` (entered or estimated). */
    totalAnnualDemand: numeric({ precision: 18, scale: 2 }),
    demandCurrency: char({ length: 3 }),
    demandEstimated: boolean().notNull().default(false),
    ownerId: uuid(),
    needType: text(),
    /** price | balanced | quality: how the account weighs price against value. */
    priceOrientation: text(),
    supplierStatus: text(),
    relationshipDepth: text(),
    source: text(),
    aisasStep: text(),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    // Computed by evaluation/classification; never written by the record API.
    tier: text(),
    buyingStage: text(),
    fitScore: real(),
    fitReasons: jsonb().$type<unknown[]>(),
    attractiveness: real(),
    relationshipScore: real(),
    portfolioType: text(),
    priceDriven: boolean(),
    scoredAt: ts(),
    /** The group this account belongs to (a subsidiary's parent); never a descendant of itself. */
    parentAccountId: uuid(),
    ...recordColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'accounts_owner_fk', columns: [t.orgId, t.ownerId], foreignColumns: [users.orgId, users.id] }),
    foreignKey({ name: 'accounts_parent_fk', columns: [t.orgId, t.parentAccountId], foreignColumns: [t.orgId, t.id] }),
    check('accounts_parent_not_self', sql`${t.parentAccountId} is null or ${t.parentAccountId} <> ${t.id}`),
    index('accounts_org_parent').on(t.orgId, t.parentAccountId).where(sql`${t.parentAccountId} is not null`),
    index('accounts_name_trgm').using('gin', t.name.op('gin_trgm_ops')),
    // Text search matches name OR domain: both sides need a trigram index for a bitmap OR.
    index('accounts_domain_trgm').using('gin', t.domain.op('gin_trgm_ops')),
    index('accounts_org_name').on(t.orgId, t.name, t.id),
    index('accounts_org_updated').on(t.orgId, t.updatedAt, t.id),
    index('accounts_org_domain').on(t.orgId, t.domain),
    index('accounts_org_owner').on(t.orgId, t.ownerId),
  ],
);

export const contacts = pgTable(
  'contacts',
  {
    orgId: orgId(),
    id: id(),
    accountId: uuid(),
    firstName: text(),
    lastName: text(),
    fullName: text().notNull(),
    title: text(),
    department: text(),
    language: text(),
    email: text(),
    phone: text(),
    mobile: text(),
    country: char({ length: 2 }),
    city: text(),
    /** unknown | granted | denied: permission to send marketing email. */
    consent: text().notNull().default('unknown'),
    /** A contact who said "don't email me" is never emailed again, whatever consent says. */
    doNotEmail: boolean().notNull().default(false),
    ownerId: uuid(),
    source: text(),
    aisasStep: text(),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    /** Set when the person's data was erased on request (privacy/commands.ts): the row is an anonymous stub. */
    erasedAt: ts(),
    ...recordColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'contacts_account_fk', columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    foreignKey({ name: 'contacts_owner_fk', columns: [t.orgId, t.ownerId], foreignColumns: [users.orgId, users.id] }),
    index('contacts_name_trgm').using('gin', t.fullName.op('gin_trgm_ops')),
    index('contacts_email_trgm').using('gin', t.email.op('gin_trgm_ops')),
    index('contacts_org_account').on(t.orgId, t.accountId),
    index('contacts_org_email').on(t.orgId, sql`lower(${t.email})`),
    index('contacts_org_updated').on(t.orgId, t.updatedAt, t.id),
  ],
);

export const opportunities = pgTable(
  'opportunities',
  {
    orgId: orgId(),
    id: id(),
    accountId: uuid().notNull(),
    name: text().notNull(),
    amount: numeric({ precision: 18, scale: 2 }),
    currency: char({ length: 3 }),
    expectedClose: date({ mode: 'string' }),
    buyingSituation: text(),
    buyingStage: text().notNull(),
    stageEnteredAt: ts().notNull().defaultNow(),
    status: text({ enum: ['open', 'won', 'lost'] }).notNull().default('open'),
    lostReason: text(),
    /** When the deal was created or engaged in the source system (imports keep their own date). */
    openedAt: ts().notNull().defaultNow(),
    /** The actual close date; never before openedAt. */
    closedAt: ts(),
    ownerId: uuid(),
    needType: text(),
    source: text(),
    competitors: text().array().notNull().default(sql`'{}'::text[]`),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    // Computed by evaluation.
    winProbability: real(),
    winReasons: jsonb().$type<unknown[]>(),
    coverageScore: real(),
    scoredAt: ts(),
    ...recordColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'opportunities_account_fk', columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    foreignKey({ name: 'opportunities_owner_fk', columns: [t.orgId, t.ownerId], foreignColumns: [users.orgId, users.id] }),
    index('opportunities_name_trgm').using('gin', t.name.op('gin_trgm_ops')),
    index('opportunities_org_account').on(t.orgId, t.accountId),
    index('opportunities_org_stage').on(t.orgId, t.status, t.buyingStage),
    index('opportunities_org_updated').on(t.orgId, t.updatedAt, t.id),
    index('opportunities_org_opened').on(t.orgId, t.openedAt),
    index('opportunities_org_closed').on(t.orgId, t.closedAt),
    // Reports by owner and close date (win rate, won value per quarter) read only these columns: an
    // index-only scan instead of the whole row (features/reports; bench/suites/reports.ts).
    // Drizzle cannot declare INCLUDE: the migration (0010) adds status, currency and amount to it.
    index('opportunities_report_owner_close').on(t.orgId, t.ownerId, t.closedAt).where(sql`${t.deletedAt} is null`),
  ],
);

export const interactions = pgTable(
  'interactions',
  {
    orgId: orgId(),
    id: id(),
    accountId: uuid().notNull(),
    opportunityId: uuid(),
    kind: text().notNull(),
    direction: text({ enum: ['inbound', 'outbound', 'internal'] }).notNull().default('outbound'),
    subject: text(),
    body: text(),
    occurredAt: ts().notNull(),
    durationMinutes: integer(),
    aisasStep: text(),
    source: text(),
    /** User who logged it; the participants on our side are in interaction_users. */
    ownerId: uuid(),
    ...recordColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'interactions_account_fk', columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    foreignKey({ name: 'interactions_opportunity_fk', columns: [t.orgId, t.opportunityId], foreignColumns: [opportunities.orgId, opportunities.id] }),
    index('interactions_org_account_at').on(t.orgId, t.accountId, t.occurredAt),
    index('interactions_org_opportunity').on(t.orgId, t.opportunityId),
    index('interactions_org_occurred').on(t.orgId, t.occurredAt, t.id),
    // The recompute's windowed counts (recent interactions per account, a snapshot's last 90 days,
    // last reach of a contact) read only live rows and only these columns: partial indexes let them
    // be answered from the index alone, without visiting a heap page per interaction.
    index('interactions_live_occurred').on(t.orgId, t.occurredAt, t.accountId, t.id).where(sql`${t.deletedAt} is null`),
    index('interactions_live_account_at').on(t.orgId, t.accountId, t.occurredAt).where(sql`${t.deletedAt} is null`),
  ],
);

/** Their side of an interaction. */
export const interactionContacts = pgTable(
  'interaction_contacts',
  {
    orgId: orgId(),
    interactionId: uuid().notNull(),
    contactId: uuid().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.interactionId, t.contactId] }),
    foreignKey({ name: 'interaction_contacts_interaction_fk', columns: [t.orgId, t.interactionId], foreignColumns: [interactions.orgId, interactions.id] }).onDelete('cascade'),
    foreignKey({ name: 'interaction_contacts_contact_fk', columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    index('interaction_contacts_contact').on(t.orgId, t.contactId),
  ],
);

/** Our side of an interaction. */
export const interactionUsers = pgTable(
  'interaction_users',
  {
    orgId: orgId(),
    interactionId: uuid().notNull(),
    userId: uuid().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.interactionId, t.userId] }),
    foreignKey({ name: 'interaction_users_interaction_fk', columns: [t.orgId, t.interactionId], foreignColumns: [interactions.orgId, interactions.id] }).onDelete('cascade'),
    foreignKey({ name: 'interaction_users_user_fk', columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }),
    index('interaction_users_user').on(t.orgId, t.userId),
  ],
);

export const tasks = pgTable(
  'tasks',
  {
    orgId: orgId(),
    id: id(),
    title: text().notNull(),
    description: text(),
    /** task | next_step | promise (a commitment made to the customer: part of every handover). */
    kind: text().notNull().default('task'),
    status: text({ enum: ['open', 'done', 'cancelled'] }).notNull().default('open'),
    priority: smallint().notNull().default(2),
    dueAt: ts(),
    completedAt: ts(),
    assigneeId: uuid(),
    accountId: uuid(),
    opportunityId: uuid(),
    contactId: uuid(),
    ...recordColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'tasks_assignee_fk', columns: [t.orgId, t.assigneeId], foreignColumns: [users.orgId, users.id] }),
    foreignKey({ name: 'tasks_account_fk', columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    foreignKey({ name: 'tasks_opportunity_fk', columns: [t.orgId, t.opportunityId], foreignColumns: [opportunities.orgId, opportunities.id] }),
    foreignKey({ name: 'tasks_contact_fk', columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    index('tasks_org_assignee').on(t.orgId, t.assigneeId, t.status),
    index('tasks_org_account').on(t.orgId, t.accountId),
  ],
);

export const notes = pgTable(
  'notes',
  {
    orgId: orgId(),
    id: id(),
    body: text().notNull(),
    pinned: boolean().notNull().default(false),
    authorId: uuid(),
    accountId: uuid(),
    opportunityId: uuid(),
    contactId: uuid(),
    ...recordColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'notes_account_fk', columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    foreignKey({ name: 'notes_opportunity_fk', columns: [t.orgId, t.opportunityId], foreignColumns: [opportunities.orgId, opportunities.id] }),
    foreignKey({ name: 'notes_contact_fk', columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    index('notes_org_account').on(t.orgId, t.accountId),
  ],
);

export const orders = pgTable(
  'orders',
  {
    orgId: orgId(),
    id: id(),
    accountId: uuid().notNull(),
    opportunityId: uuid(),
    orderNumber: text(),
    orderedAt: date({ mode: 'string' }).notNull(),
    amount: numeric({ precision: 18, scale: 2 }).notNull(),
    currency: char({ length: 3 }).notNull(),
    /** Units of the organization's base currency per unit of `currency`; required when they differ. */
    fxRate: numeric({ precision: 18, scale: 8 }),
    amountBase: numeric({ precision: 18, scale: 2 }).notNull(),
    status: text().notNull().default('confirmed'),
    description: text(),
    ...recordColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'orders_account_fk', columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    foreignKey({ name: 'orders_opportunity_fk', columns: [t.orgId, t.opportunityId], foreignColumns: [opportunities.orgId, opportunities.id] }),
    index('orders_org_account_at').on(t.orgId, t.accountId, t.orderedAt),
  ],
);

/** The source system's id of an imported record, per source (a record may come from several). */
export const externalIds = pgTable(
  'external_ids',
  {
    orgId: orgId(),
    entity: text().notNull(),
    source: text().notNull(),
    externalId: text().notNull(),
    recordId: uuid().notNull(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'external_ids_pk', columns: [t.orgId, t.entity, t.source, t.externalId] }),
    index('external_ids_record').on(t.orgId, t.entity, t.recordId),
  ],
);
