import { sql } from 'drizzle-orm';
import { integer, jsonb, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Every tenant row carries its organization first: keys, indexes and Citus distribution all start here. */
export const orgId = () => uuid().notNull();
/** Ids are UUIDv7 (time-ordered); generated in JS for single writes, by uuid_generate_v7() in set-based SQL. */
export const id = () => uuid().notNull().default(sql`uuid_generate_v7()`);
export const ts = () => timestamp({ withTimezone: true, mode: 'string' });

/** Columns every editable record has: versioning for optimistic concurrency, soft delete, custom fields. */
export const recordColumns = () => ({
  version: integer().notNull().default(1),
  custom: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  createdAt: ts().notNull().defaultNow(),
  updatedAt: ts().notNull().defaultNow(),
  createdBy: uuid(),
  updatedBy: uuid(),
  deletedAt: ts(),
});
