import { sql } from 'drizzle-orm';
import {
  boolean, check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, smallint, text, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';
import { id, orgId, recordColumns, ts } from './columns.ts';
import { users } from './organizations.ts';
import { accounts, contacts, opportunities } from './records.ts';

// ── Buying center (DOMAIN §2) ───────────────────────────────────────────────

export const buyingCenterMembers = pgTable(
  'buying_center_members',
  {
    orgId: orgId(),
    id: id(),
    opportunityId: uuid().notNull(),
    contactId: uuid().notNull(),
    /** Keys of the organization's buying_role vocabulary; one contact may hold several roles. */
    roles: text().array().notNull().default(sql`'{}'::text[]`),
    influence: smallint().notNull().default(3),
    attitude: text({ enum: ['champion', 'supporter', 'neutral', 'skeptic', 'blocker'] }).notNull().default('neutral'),
    note: text(),
    ...recordColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'bcm_opportunity_fk', columns: [t.orgId, t.opportunityId], foreignColumns: [opportunities.orgId, opportunities.id] }),
    foreignKey({ name: 'bcm_contact_fk', columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    uniqueIndex('bcm_opportunity_contact').on(t.orgId, t.opportunityId, t.contactId),
    index('bcm_contact').on(t.orgId, t.contactId),
    check('bcm_influence_range', sql`${t.influence} between 1 and 5`),
  ],
);

/** Which of our users covers which buying-center member. */
export const buyingCenterCoverage = pgTable(
  'buying_center_coverage',
  {
    orgId: orgId(),
    memberId: uuid().notNull(),
    userId: uuid().notNull(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.memberId, t.userId] }),
    foreignKey({ name: 'bcc_member_fk', columns: [t.orgId, t.memberId], foreignColumns: [buyingCenterMembers.orgId, buyingCenterMembers.id] }).onDelete('cascade'),
    foreignKey({ name: 'bcc_user_fk', columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }),
    index('bcc_user').on(t.orgId, t.userId),
  ],
);

/** Typed links between contacts, also across accounts (colleague, reports to, friend, referred by…). */
export const contactLinks = pgTable(
  'contact_links',
  {
    orgId: orgId(),
    id: id(),
    fromContactId: uuid().notNull(),
    toContactId: uuid().notNull(),
    linkType: text().notNull(),
    strength: smallint().notNull().default(3),
    note: text(),
    ...recordColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'contact_links_from_fk', columns: [t.orgId, t.fromContactId], foreignColumns: [contacts.orgId, contacts.id] }),
    foreignKey({ name: 'contact_links_to_fk', columns: [t.orgId, t.toContactId], foreignColumns: [contacts.orgId, contacts.id] }),
    uniqueIndex('contact_links_unique').on(t.orgId, t.fromContactId, t.toContactId, t.linkType),
    index('contact_links_to').on(t.orgId, t.toContactId),
    check('contact_links_not_self', sql`${t.fromContactId} <> ${t.toContactId}`),
    check('contact_links_strength_range', sql`${t.strength} between 1 and 5`),
  ],
);

// ── Stages, goals and the double funnel (DOMAIN §6) ─────────────────────────

/** Every buying-stage transition of an opportunity; never rewritten by an edit. */
export const opportunityStageHistory = pgTable(
  'opportunity_stage_history',
  {
    orgId: orgId(),
    id: id(),
    opportunityId: uuid().notNull(),
    fromStage: text(),
    toStage: text().notNull(),
    changedAt: ts().notNull().defaultNow(),
    changedBy: uuid(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'osh_opportunity_fk', columns: [t.orgId, t.opportunityId], foreignColumns: [opportunities.orgId, opportunities.id] }),
    index('osh_opportunity').on(t.orgId, t.opportunityId, t.changedAt),
    index('osh_stage_at').on(t.orgId, t.toStage, t.changedAt),
  ],
);

export const stageExitCriteria = pgTable(
  'stage_exit_criteria',
  {
    orgId: orgId(),
    id: id(),
    stage: text().notNull(),
    label: jsonb().$type<Record<string, string>>().notNull(),
    position: smallint().notNull().default(0),
    active: boolean().notNull().default(true),
    ...recordColumns(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('sec_stage').on(t.orgId, t.stage)],
);

export const opportunityCriteriaChecks = pgTable(
  'opportunity_criteria_checks',
  {
    orgId: orgId(),
    opportunityId: uuid().notNull(),
    criterionId: uuid().notNull(),
    checkedAt: ts().notNull().defaultNow(),
    checkedBy: uuid(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.opportunityId, t.criterionId] }),
    foreignKey({ name: 'occ_opportunity_fk', columns: [t.orgId, t.opportunityId], foreignColumns: [opportunities.orgId, opportunities.id] }),
    foreignKey({ name: 'occ_criterion_fk', columns: [t.orgId, t.criterionId], foreignColumns: [stageExitCriteria.orgId, stageExitCriteria.id] }),
  ],
);

export const stageGoals = pgTable(
  'stage_goals',
  {
    orgId: orgId(),
    id: id(),
    periodKind: text({ enum: ['month', 'quarter'] }).notNull(),
    periodStart: date({ mode: 'string' }).notNull(),
    periodEnd: date({ mode: 'string' }).notNull(),
    /** org | team | user */
    scope: text({ enum: ['org', 'team', 'user'] }).notNull().default('org'),
    team: text(),
    userId: uuid(),
    segmentId: uuid(),
    /** stage key → number of accounts that should reach it in the period */
    targets: jsonb().$type<Record<string, number>>().notNull(),
    ...recordColumns(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('stage_goals_period').on(t.orgId, t.periodStart)],
);

/** History of supplier status and relationship depth per account (how the customer sees us). */
export const accountStatusHistory = pgTable(
  'account_status_history',
  {
    orgId: orgId(),
    id: id(),
    accountId: uuid().notNull(),
    field: text({ enum: ['supplier_status', 'relationship_depth'] }).notNull(),
    fromValue: text(),
    toValue: text(),
    changedAt: ts().notNull().defaultNow(),
    changedBy: uuid(),
    note: text(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'ash_account_fk', columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    index('ash_account').on(t.orgId, t.accountId, t.field, t.changedAt),
  ],
);

export const alerts = pgTable(
  'alerts',
  {
    orgId: orgId(),
    id: id(),
    kind: text().notNull(),
    severity: text({ enum: ['info', 'warning', 'critical'] }).notNull().default('warning'),
    accountId: uuid(),
    opportunityId: uuid(),
    userId: uuid(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts().notNull().defaultNow(),
    acknowledgedAt: ts(),
    acknowledgedBy: uuid(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('alerts_open').on(t.orgId, t.acknowledgedAt, t.createdAt)],
);

// ── Evaluation and classification (DOMAIN §3–§4) ────────────────────────────

/** Saved segments: a named filter over accounts usable by lists, goals and campaigns. */
export const segments = pgTable(
  'segments',
  {
    orgId: orgId(),
    id: id(),
    name: text().notNull(),
    entity: text().notNull().default('account'),
    definition: jsonb().$type<Record<string, unknown>>().notNull(),
    ...recordColumns(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] })],
);

/** Derived artefacts of a scoring run: the ideal customer profile, the win model and its calibration. */
export const scoringModels = pgTable(
  'scoring_models',
  {
    orgId: orgId(),
    id: id(),
    kind: text({ enum: ['icp', 'win_logistic', 'win_stage_base'] }).notNull(),
    trainedAt: ts().notNull().defaultNow(),
    model: jsonb().$type<Record<string, unknown>>().notNull(),
    metrics: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    current: boolean().notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('scoring_models_current').on(t.orgId, t.kind, t.current)],
);

// ── Imports ─────────────────────────────────────────────────────────────────

export const importJobs = pgTable(
  'import_jobs',
  {
    orgId: orgId(),
    id: id(),
    entity: text().notNull(),
    format: text({ enum: ['csv', 'vcard'] }).notNull(),
    /** `interrupted`: the process running it died (src/kernel/jobs.ts reaps it). */
    status: text({ enum: ['pending', 'running', 'done', 'failed', 'interrupted'] }).notNull().default('pending'),
    dryRun: boolean().notNull().default(false),
    filename: text(),
    mapping: jsonb().$type<Record<string, string>>().notNull().default({}),
    options: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    totalRows: integer().notNull().default(0),
    processedRows: integer().notNull().default(0),
    /** reading (processedRows counts the file's rows) → merging (references, duplicates, writes, one transaction) → done. */
    phase: text({ enum: ['reading', 'merging', 'done'] }),
    inserted: integer().notNull().default(0),
    updated: integer().notNull().default(0),
    duplicates: integer().notNull().default(0),
    errorCount: integer().notNull().default(0),
    /** Beside the counts above, what the job's result reports (migration 0020). */
    accountsCreated: integer().notNull().default(0),
    usersCreated: integer().notNull().default(0),
    placeholderAccountRows: integer().notNull().default(0),
    productsCreated: integer().notNull().default(0),
    amountsKept: integer().notNull().default(0),
    message: text(),
    createdBy: uuid(),
    createdAt: ts().notNull().defaultNow(),
    startedAt: ts(),
    finishedAt: ts(),
    /** The server_instances row of the process running it (stamped by a trigger, migration 0004). */
    instanceId: uuid(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] })],
);

/** Processes that run jobs, with a heartbeat: a job whose process stopped beating is interrupted. */
export const serverInstances = pgTable('server_instances', {
  id: uuid().primaryKey(),
  pid: integer().notNull(),
  hostname: text().notNull(),
  command: text().notNull(),
  startedAt: ts().notNull().defaultNow(),
  heartbeatAt: ts().notNull().defaultNow(),
});

/** Jobs without a table of their own (recomputes), with their owning process. */
export const jobRuns = pgTable(
  'job_runs',
  {
    orgId: orgId(),
    id: id(),
    kind: text({ enum: ['recompute'] }).notNull(),
    status: text({ enum: ['running', 'done', 'failed', 'interrupted'] }).notNull().default('running'),
    instanceId: uuid(),
    message: text(),
    startedAt: ts().notNull().defaultNow(),
    finishedAt: ts(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('job_runs_org_kind').on(t.orgId, t.kind, t.startedAt)],
);

export const importJobErrors = pgTable(
  'import_job_errors',
  {
    orgId: orgId(),
    jobId: uuid().notNull(),
    line: integer().notNull(),
    seq: smallint().notNull().default(0),
    field: text(),
    message: text().notNull(),
    raw: text(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.jobId, t.line, t.seq] }),
    foreignKey({ name: 'import_job_errors_job_fk', columns: [t.orgId, t.jobId], foreignColumns: [importJobs.orgId, importJobs.id] }).onDelete('cascade'),
  ],
);


