import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, real, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { id, orgId, recordColumns, ts } from './columns.ts';
import { accounts, contacts, interactions } from './records.ts';

// ── Customer engagement surveys (DOMAIN §8; features/surveys, migration 0013) ──

/** A questionnaire of the organization; its items live in versions (an edit after answers makes a new one). */
export const surveys = pgTable(
  'surveys',
  {
    orgId: orgId(),
    id: id(),
    name: text().notNull(),
    /** en | zh-CN | zh-TW: the language for recipients whose own language is not one of the survey's. */
    language: text().notNull().default('en'),
    status: text({ enum: ['open', 'closed'] }).notNull().default('open'),
    currentVersionId: uuid(),
    ...recordColumns(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('surveys_org_updated').on(t.orgId, t.updatedAt, t.id)],
);

export const surveyVersions = pgTable(
  'survey_versions',
  {
    orgId: orgId(),
    id: id(),
    surveyId: uuid().notNull(),
    number: integer().notNull(),
    /** The items as asked (features/surveys/rules.ts Item[]), frozen once answered. */
    items: jsonb().$type<unknown[]>().notNull(),
    createdAt: ts().notNull().defaultNow(),
    createdBy: uuid(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'survey_versions_survey_fk', columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }),
    uniqueIndex('survey_versions_number').on(t.orgId, t.surveyId, t.number),
  ],
);

/** One link per contact and survey; only the SHA-256 of its token is kept. */
export const surveyRecipients = pgTable(
  'survey_recipients',
  {
    orgId: orgId(),
    id: id(),
    surveyId: uuid().notNull(),
    versionId: uuid().notNull(),
    contactId: uuid().notNull(),
    accountId: uuid(),
    tokenHash: text().notNull(),
    language: text().notNull(),
    expiresAt: ts().notNull(),
    createdAt: ts().notNull().defaultNow(),
    createdBy: uuid(),
    openedAt: ts(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'survey_recipients_survey_fk', columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }),
    foreignKey({ name: 'survey_recipients_version_fk', columns: [t.orgId, t.versionId], foreignColumns: [surveyVersions.orgId, surveyVersions.id] }),
    foreignKey({ name: 'survey_recipients_contact_fk', columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    foreignKey({ name: 'survey_recipients_account_fk', columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    // The token names its organization (`s_<org key>.<random>`, migration 0017): looked up by (org_id, token_hash).
    uniqueIndex('survey_recipients_token').on(t.orgId, t.tokenHash),
    uniqueIndex('survey_recipients_contact').on(t.orgId, t.surveyId, t.contactId),
  ],
);

/** An answer, partial until completed; imported results have no recipient. Scores are derived at each save. */
export const surveyAnswers = pgTable(
  'survey_answers',
  {
    orgId: orgId(),
    id: id(),
    surveyId: uuid(),
    versionId: uuid(),
    recipientId: uuid(),
    contactId: uuid().notNull(),
    accountId: uuid(),
    /** item id → 0–10 / 1–5, null = "don't know". */
    answers: jsonb().$type<Record<string, number | null>>().notNull().default({}),
    comment: text(),
    source: text({ enum: ['link', 'import'] }).notNull().default('link'),
    language: text(),
    startedAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
    completedAt: ts(),
    recommend: smallint(),
    satisfaction: real(),
    continuation: real(),
    rational: real(),
    confidence: real(),
    integrity: real(),
    pride: real(),
    passion: real(),
    emotional: real(),
    /** Set by the roll-up from the scores and the organization's thresholds. */
    placement: text(),
    interactionId: uuid(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ name: 'survey_answers_survey_fk', columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }),
    foreignKey({ name: 'survey_answers_version_fk', columns: [t.orgId, t.versionId], foreignColumns: [surveyVersions.orgId, surveyVersions.id] }),
    foreignKey({ name: 'survey_answers_recipient_fk', columns: [t.orgId, t.recipientId], foreignColumns: [surveyRecipients.orgId, surveyRecipients.id] }),
    foreignKey({ name: 'survey_answers_contact_fk', columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    foreignKey({ name: 'survey_answers_account_fk', columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    // No ON DELETE SET NULL: with org_id in the key it would null the organization too, and Citus refuses it; interactions are only soft-deleted.
    foreignKey({ name: 'survey_answers_interaction_fk', columns: [t.orgId, t.interactionId], foreignColumns: [interactions.orgId, interactions.id] }),
    uniqueIndex('survey_answers_recipient').on(t.orgId, t.recipientId),
    index('survey_answers_account').on(t.orgId, t.accountId, t.completedAt),
    index('survey_answers_contact').on(t.orgId, t.contactId, t.completedAt),
    index('survey_answers_survey').on(t.orgId, t.surveyId),
    check('survey_answers_recommend_range', sql`${t.recommend} between 0 and 10`),
  ],
);

/** Each account's engagement as of the last roll-up (and the one before, for the trend and the alarm). */
export const accountEngagement = pgTable(
  'account_engagement',
  {
    orgId: orgId(),
    accountId: uuid().notNull(),
    level: text(),
    score: real(),
    respondents: integer().notNull().default(0),
    nps: real(),
    npsAnswers: integer().notNull().default(0),
    promoters: integer().notNull().default(0),
    detractors: integer().notNull().default(0),
    previousLevel: text(),
    previousScore: real(),
    previousNps: real(),
    lastAnswerAt: ts(),
    computedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.accountId] }),
    foreignKey({ name: 'account_engagement_account_fk', columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    index('account_engagement_level').on(t.orgId, t.level),
  ],
);

/** The roll-up per account and month: the engagement trend. */
export const engagementSnapshots = pgTable(
  'engagement_snapshots',
  {
    orgId: orgId(),
    accountId: uuid().notNull(),
    period: date({ mode: 'string' }).notNull(),
    level: text(),
    score: real(),
    nps: real(),
    respondents: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.accountId, t.period] }),
    foreignKey({ name: 'engagement_snapshots_account_fk', columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
  ],
);
