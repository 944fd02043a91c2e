import { pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';

/**
 * Global: which organizations have a user with this (lowercased) email, for sign-in. No org_id column
 * on purpose — on Citus it is a reference table, every other table with org_id is distributed by it
 * (migration 0015). Written with users in the same transaction (users/commands.ts syncLoginEmails).
 */
export const loginEmails = pgTable(
  'login_emails',
  {
    email: text().notNull(),
    organizationId: uuid().notNull(),
  },
  (t) => [primaryKey({ name: 'login_emails_pk', columns: [t.email, t.organizationId] })],
);
