/** Test and benchmark helper: a distinct organization with one admin user (tests never truncate or drop shared tables). */
import { uuidv7 } from 'uuidv7';
import type { Database } from '../../../kernel/db/index.ts';

export type TestOrg = { orgId: string; userId: string; userEmail: string };

export async function makeOrg(database: Database, baseCurrency = 'USD'): Promise<TestOrg> {
  const orgId = uuidv7();
  const userId = uuidv7();
  const userEmail = `imp-${userId}@example.test`;
  await database.query(`INSERT INTO organizations (id, name, slug, base_currency) VALUES ($1, $2, $3, $4)`, [orgId, 'Import test', `imp-${orgId}`, baseCurrency]);
  await database.query(`INSERT INTO users (org_id, id, email, name, role) VALUES ($1, $2, $3, 'Importer', 'admin')`, [orgId, userId, userEmail]);
  await database.query(`INSERT INTO login_emails (email, organization_id) VALUES (lower($1), $2)`, [userEmail, orgId]);
  return { orgId, userId, userEmail };
}
