import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, real, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { id, orgId, recordColumns, ts } from './columns.ts';
import { users } from './organizations.ts';
import { products } from './products.ts';
import { surveyAnswers } from './surveys.ts';
import { accounts, contacts } from './records.ts';

/**
 * Voice of the customer (DOMAIN §9): one row per thing a customer said, on any channel. A feedback of kind
 * complaint or public_attack is also a complaint (ISO 10002): the complaint_* columns hold its workflow and
 * deadlines; a question is a service case (journey step, ranked suggestions).
 */
export const feedback = pgTable(
  'feedback',
  {
    orgId: orgId(),
    id: id(),
    accountId: uuid(),
    contactId: uuid(),
    /** Someone not (yet) in the CRM: a name and how to reach them. */
    personName: text(),
    personContact: text(),
    /** Key of the organization's feedback_channel vocabulary. */
    channel: text().notNull(),
    kind: text({ enum: ['praise', 'complaint', 'public_attack', 'question', 'suggestion'] }).notNull(),
    text: text().notNull(),
    language: text(),
    rating: numeric({ precision: 6, scale: 2 }),
    ratingScale: smallint(),
    sourceUrl: text(),
    occurredAt: ts().notNull(),
    visibility: text({ enum: ['public', 'private'] }).notNull().default('private'),
    /** The label in use: the user's correction, else from the rating, else the text model's. */
    sentiment: text({ enum: ['positive', 'neutral', 'negative'] }),
    /** P(positive) of the text model (null when the rating or a person decided). */
    sentimentScore: real(),
    sentimentSource: text({ enum: ['rating', 'model', 'lexicon', 'user'] }),
    /** A person's correction; the organization's model learns from these (and from ratings). */
    sentimentLabel: text({ enum: ['positive', 'negative'] }),
    labelledBy: uuid(),
    /** One owner throughout (complaint handler, service case owner). */
    ownerId: uuid(),
    // ── complaint (kind complaint / public_attack) ──
    status: text({ enum: ['received', 'acknowledged', 'assessed', 'investigating', 'responded', 'resolved', 'rejected', 'closed'] }),
    severity: text({ enum: ['low', 'medium', 'high', 'critical'] }),
    impact: text(),
    receivedAt: ts(),
    responseDueAt: ts(),
    dueAt: ts(),
    warnAt: ts(),
    acknowledgedAt: ts(),
    respondedAt: ts(),
    resolvedAt: ts(),
    closedAt: ts(),
    outcome: text({ enum: ['resolved', 'rejected'] }),
    closeReason: text(),
    /** Waiting for the customer since (the clock stops); business minutes already spent waiting. */
    pausedAt: ts(),
    pausedMinutes: integer().notNull().default(0),
    warnedAt: ts(),
    breachedAt: ts(),
    escalatedTo: uuid(),
    /** When the first-response alert went out (no acknowledgement by responseDueAt); once per complaint. */
    responseAlertedAt: ts(),
    /** The survey answer whose free text this is (survey channel); unique, so the text lands once. */
    surveyAnswerId: uuid(),
    // ── service case (kind question) ──
    journeyStep: text({ enum: ['needs_analysis', 'solution_design', 'product_selection', 'supplier_screening', 'after_sales'] }),
    /** The answer: at least two suggestions, in priority order ([{rank, text}]). */
    suggestions: jsonb().$type<{ rank: number; text: string }[]>(),
    answeredAt: ts(),
    answeredBy: uuid(),
    ...recordColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'feedback_account_fk', columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    foreignKey({ name: 'feedback_contact_fk', columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    foreignKey({ name: 'feedback_owner_fk', columns: [t.orgId, t.ownerId], foreignColumns: [users.orgId, users.id] }),
    foreignKey({ name: 'feedback_survey_answer_fk', columns: [t.orgId, t.surveyAnswerId], foreignColumns: [surveyAnswers.orgId, surveyAnswers.id] }),
    uniqueIndex('feedback_org_survey_answer').on(t.orgId, t.surveyAnswerId).where(sql`${t.surveyAnswerId} is not null`),
    index('feedback_org_open_due')
      .on(t.orgId, t.dueAt)
      .where(sql`${t.status} in ('received', 'acknowledged', 'assessed', 'investigating', 'responded') and ${t.deletedAt} is null`),
    index('feedback_org_occurred').on(t.orgId, t.occurredAt, t.id),
    index('feedback_org_account_at').on(t.orgId, t.accountId, t.occurredAt),
    index('feedback_org_contact_at').on(t.orgId, t.contactId, t.occurredAt),
    index('feedback_org_complaints').on(t.orgId, t.status, t.dueAt).where(sql`${t.status} is not null`),
    // The complaint board: counts and first cards per status from the index alone (migration 0022).
    index('feedback_org_board').on(t.orgId, t.status, t.dueAt, t.id, t.pausedAt).where(sql`${t.status} is not null and ${t.deletedAt} is null`),
    index('feedback_org_unscored').on(t.orgId, t.id).where(sql`${t.sentiment} is null and ${t.deletedAt} is null`),
    index('feedback_org_unscheduled').on(t.orgId, t.id).where(sql`${t.kind} in ('complaint', 'public_attack') and ${t.dueAt} is null and ${t.deletedAt} is null`),
    index('feedback_org_labelled').on(t.orgId, t.sentimentSource).where(sql`${t.sentimentLabel} is not null or ${t.rating} is not null`),
  ],
);

/** Every step of a complaint's workflow, who took it and why (the audit log has them too). */
export const complaintTransitions = pgTable(
  'complaint_transitions',
  {
    orgId: orgId(),
    id: id(),
    feedbackId: uuid().notNull(),
    fromStatus: text(),
    toStatus: text().notNull(),
    at: ts().notNull().defaultNow(),
    by: uuid(),
    note: text(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'complaint_transitions_feedback_fk', columns: [t.orgId, t.feedbackId], foreignColumns: [feedback.orgId, feedback.id] }),
    index('complaint_transitions_org_feedback').on(t.orgId, t.feedbackId, t.at),
  ],
);

/** The products a feedback is about (none, one or several). */
export const feedbackProducts = pgTable(
  'feedback_products',
  { orgId: orgId(), feedbackId: uuid().notNull(), productId: uuid().notNull() },
  (t) => [
    primaryKey({ name: 'feedback_products_pk', columns: [t.orgId, t.feedbackId, t.productId] }),
    foreignKey({ name: 'feedback_products_feedback_fk', columns: [t.orgId, t.feedbackId], foreignColumns: [feedback.orgId, feedback.id] }),
    foreignKey({ name: 'feedback_products_product_fk', columns: [t.orgId, t.productId], foreignColumns: [products.orgId, products.id] }),
    index('feedback_products_org_product').on(t.orgId, t.productId, t.feedbackId),
  ],
);

/**
 * Per organization: when reads must run the catch-up (scoring, scheduling, SLA sweep). Writers that leave
 * work behind bump `gen`; a sweep stores the generation it saw and the next instant a deadline can fire.
 */
export const feedbackSweeps = pgTable(
  'feedback_sweeps',
  { orgId: orgId(), gen: integer().notNull().default(1), sweptGen: integer().notNull().default(0), nextDueAt: ts(), sweptAt: ts() },
  (t) => [primaryKey({ name: 'feedback_sweeps_pk', columns: [t.orgId] })],
);

/** Word-of-mouth points (口碑点, DOMAIN §9): at most three per product or per product line — three slots. */
export const womPoints = pgTable(
  'wom_points',
  {
    orgId: orgId(),
    id: id(),
    productId: uuid(),
    /** A key of the product_line vocabulary (a point of the whole line). */
    productLine: text(),
    slot: smallint().notNull(),
    name: text().notNull(),
    /** Words that suggest the point in a feedback's text (the name counts too). */
    keywords: jsonb().$type<string[]>().notNull().default([]),
    version: integer().notNull().default(1),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
    createdBy: uuid(),
    updatedBy: uuid(),
    deletedAt: ts(),
  },
  (t) => [
    primaryKey({ name: 'wom_points_pk', columns: [t.orgId, t.id] }),
    foreignKey({ name: 'wom_points_product_fk', columns: [t.orgId, t.productId], foreignColumns: [products.orgId, products.id] }),
    check('wom_points_slot_check', sql`${t.slot} between 1 and 3`),
    check('wom_points_scope_check', sql`(${t.productId} is null) <> (${t.productLine} is null)`),
    uniqueIndex('wom_points_product_slot').on(t.orgId, t.productId, t.slot).where(sql`${t.productId} is not null and ${t.deletedAt} is null`),
    uniqueIndex('wom_points_line_slot').on(t.orgId, t.productLine, t.slot).where(sql`${t.productLine} is not null and ${t.deletedAt} is null`),
  ],
);

/** A feedback mentions a point: suggested from the text, confirmed (or rejected) by a person; praise or criticism. */
export const feedbackWom = pgTable(
  'feedback_wom',
  {
    orgId: orgId(),
    feedbackId: uuid().notNull(),
    pointId: uuid().notNull(),
    stance: text({ enum: ['praise', 'criticism', 'neutral'] }).notNull(),
    status: text({ enum: ['suggested', 'confirmed', 'rejected'] }).notNull().default('suggested'),
    by: uuid(),
    at: ts().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'feedback_wom_pk', columns: [t.orgId, t.feedbackId, t.pointId] }),
    foreignKey({ name: 'feedback_wom_feedback_fk', columns: [t.orgId, t.feedbackId], foreignColumns: [feedback.orgId, feedback.id] }),
    foreignKey({ name: 'feedback_wom_point_fk', columns: [t.orgId, t.pointId], foreignColumns: [womPoints.orgId, womPoints.id] }),
    index('feedback_wom_org_point').on(t.orgId, t.pointId, t.status),
  ],
);
