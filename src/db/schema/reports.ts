import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { id, orgId, ts } from './columns.ts';

/** Saved report definitions (features/reports): the definition is validated by its zod schema before it is stored. */
export const reports = pgTable(
  'reports',
  {
    orgId: orgId(),
    id: id(),
    name: text().notNull(),
    definition: jsonb().$type<Record<string, unknown>>().notNull(),
    /** Who saved it: only they (or an admin) change or delete it. */
    ownerId: uuid().notNull(),
    /** Shared reports are visible to everyone in the organization. */
    shared: boolean().notNull().default(false),
    version: integer().notNull().default(1),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('reports_org_owner').on(t.orgId, t.ownerId)],
);
