import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, foreignKey, index, jsonb, pgTable, primaryKey, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { id, orgId, ts } from './columns.ts';

export const organizations = pgTable('organizations', {
  id: uuid().primaryKey(),
  name: text().notNull(),
  slug: text().notNull().unique(),
  baseCurrency: char({ length: 3 }).notNull().default('USD'),
  locale: text().notNull().default('en'),
  /** Tunables of the domain rules (portfolio thresholds, reach window…); defaults live in the rules. */
  settings: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  createdAt: ts().notNull().defaultNow(),
});

export const users = pgTable(
  'users',
  {
    orgId: orgId(),
    id: id(),
    email: text().notNull(),
    name: text().notNull(),
    role: text({ enum: ['admin', 'manager', 'rep', 'viewer'] }).notNull(),
    department: text(),
    team: text(),
    locale: text(),
    passwordHash: text(),
    active: boolean().notNull().default(true),
    deactivatedAt: ts(),
    version: smallint().notNull().default(1),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // An email names one user per organization; login finds the organizations in login_emails and
    // tries each organization's user with it (auth/routes.ts).
    uniqueIndex('users_org_email_key').on(t.orgId, sql`lower(${t.email})`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    orgId: orgId(),
    id: id(),
    userId: uuid().notNull(),
    tokenHash: text().notNull(),
    csrfToken: text().notNull(),
    createdAt: ts().notNull().defaultNow(),
    expiresAt: ts().notNull(),
    lastSeenAt: ts().notNull().defaultNow(),
    /** Signed in while the organization requires two-factor and the user has none: may only enrol. */
    twoFactorPending: boolean().notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), uniqueIndex('sessions_token_key').on(t.orgId, t.tokenHash)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    orgId: orgId(),
    id: id(),
    userId: uuid().notNull(),
    name: text().notNull(),
    prefix: text().notNull(),
    tokenHash: text().notNull(),
    createdAt: ts().notNull().defaultNow(),
    lastUsedAt: ts(),
    expiresAt: ts(),
    revokedAt: ts(),
    /** read: safe methods only (GET/HEAD); full: everything the user's role allows. */
    scope: text({ enum: ['read', 'full'] }).notNull().default('full'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex('api_tokens_hash_key').on(t.orgId, t.tokenHash),
    check('api_tokens_scope_check', sql`${t.scope} in ('read', 'full')`),
  ],
);

/** A user's TOTP second factor; the secret is encrypted at rest (kernel/auth/secret-box.ts). */
export const userTwoFactor = pgTable(
  'user_two_factor',
  {
    orgId: orgId(),
    userId: uuid().notNull(),
    secretEnc: text().notNull(),
    /** Null while enrolment waits for the first correct code. */
    enabledAt: ts(),
    /** The last accepted 30-second step: a code is accepted once, never replayed within its window. */
    lastUsedStep: bigint({ mode: 'number' }),
    failedAttempts: smallint().notNull().default(0),
    failedSince: ts(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    foreignKey({ name: 'user_two_factor_user_fk', columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
  ],
);

/** One-time recovery codes; only their SHA-256 is kept. */
export const userRecoveryCodes = pgTable(
  'user_recovery_codes',
  {
    orgId: orgId(),
    userId: uuid().notNull(),
    codeHash: text().notNull(),
    usedAt: ts(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId, t.codeHash] }),
    foreignKey({ name: 'user_recovery_codes_user_fk', columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
  ],
);

/** Per-organization vocabularies (need types, buying stages, …): keys are stable, labels are per locale. */
export const vocabTerms = pgTable(
  'vocab_terms',
  {
    orgId: orgId(),
    vocabulary: text().notNull(),
    key: text().notNull(),
    label: jsonb().$type<Record<string, string>>().notNull(),
    position: smallint().notNull().default(0),
    active: boolean().notNull().default(true),
    /** Vocabulary-specific facts, e.g. a stage's rank or a supplier status's level. */
    meta: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    version: smallint().notNull().default(1),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.vocabulary, t.key] })],
);

export const customFieldDefs = pgTable(
  'custom_field_defs',
  {
    orgId: orgId(),
    id: id(),
    entity: text().notNull(),
    key: text().notNull(),
    label: jsonb().$type<Record<string, string>>().notNull(),
    type: text({ enum: ['text', 'number', 'date', 'select', 'multiselect', 'boolean'] }).notNull(),
    options: jsonb().$type<string[]>().notNull().default([]),
    required: boolean().notNull().default(false),
    position: smallint().notNull().default(0),
    version: smallint().notNull().default(1),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), uniqueIndex('custom_field_defs_key').on(t.orgId, t.entity, t.key)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    orgId: orgId(),
    id: id(),
    at: ts().notNull().defaultNow(),
    actorId: uuid(),
    actorKind: text({ enum: ['user', 'token', 'system'] }).notNull(),
    action: text().notNull(),
    entity: text().notNull(),
    entityId: uuid(),
    before: jsonb(),
    after: jsonb(),
    requestId: text(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('audit_log_entity').on(t.orgId, t.entity, t.entityId, t.at)],
);

export const savedViews = pgTable(
  'saved_views',
  {
    orgId: orgId(),
    id: id(),
    userId: uuid().notNull(),
    entity: text().notNull(),
    name: text().notNull(),
    shared: boolean().notNull().default(false),
    config: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    version: smallint().notNull().default(1),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] })],
);
