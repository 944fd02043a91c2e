/**
 * Engagement level and NPS as list columns and filters of accounts and contacts (`engagementLevel=engaged`,
 * `nps[lt]=0`, `sort=-nps`): correlated lookups of the roll-up (accounts) and of the latest completed
 * answer (contacts), and one query per page to show them. Imported by the accounts and contacts resources.
 */
import { sql, type AnyColumn } from 'drizzle-orm';
import type { Actor } from '../../kernel/actor.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import type { FieldSpec } from '../../kernel/list.ts';
import type { Row } from '../../kernel/resource.ts';
import { PLACEMENTS } from './rules.ts';
import { uuids } from './sql.ts';

export function accountEngagementFields(orgId: AnyColumn, id: AnyColumn): Record<'engagementLevel' | 'nps', FieldSpec> {
  return {
    engagementLevel: { column: sql`(select e.level from account_engagement e where e.org_id = ${orgId} and e.account_id = ${id})`, type: 'enum', values: PLACEMENTS },
    nps: { column: sql`(select e.nps from account_engagement e where e.org_id = ${orgId} and e.account_id = ${id})`, type: 'number' },
  };
}

const latest = (orgId: AnyColumn, id: AnyColumn, col: string) =>
  sql`(select a.${sql.raw(col)} from survey_answers a where a.org_id = ${orgId} and a.contact_id = ${id} and a.completed_at is not null order by a.completed_at desc, a.id desc limit 1)`;

export function contactEngagementFields(orgId: AnyColumn, id: AnyColumn): Record<'engagementLevel' | 'npsScore', FieldSpec> {
  return {
    engagementLevel: { column: latest(orgId, id, 'placement'), type: 'enum', values: PLACEMENTS },
    npsScore: { column: latest(orgId, id, 'recommend'), type: 'number' },
  };
}

type Rows = { rows: Record<string, unknown>[] };

export async function withAccountEngagement(db: DbOrTx, actor: Actor, rows: Row[]): Promise<Row[]> {
  if (!rows.length) return rows;
  const { rows: found } = (await db.execute(
    sql`select account_id, level, nps from account_engagement where org_id = ${actor.orgId} and account_id = any(${uuids(rows.map((r) => r.id))})`,
  )) as unknown as Rows;
  const by = new Map(found.map((f) => [f.account_id as string, f]));
  return rows.map((r) => {
    const f = by.get(r.id);
    return { ...r, engagementLevel: (f?.level as string | null) ?? null, nps: f?.nps === null || f?.nps === undefined ? null : Number(f.nps) };
  });
}

export async function withContactEngagement(db: DbOrTx, actor: Actor, rows: Row[]): Promise<Row[]> {
  if (!rows.length) return rows;
  const { rows: found } = (await db.execute(
    sql`select distinct on (contact_id) contact_id, placement, recommend from survey_answers
         where org_id = ${actor.orgId} and contact_id = any(${uuids(rows.map((r) => r.id))}) and completed_at is not null
         order by contact_id, completed_at desc, id desc`,
  )) as unknown as Rows;
  const by = new Map(found.map((f) => [f.contact_id as string, f]));
  return rows.map((r) => {
    const f = by.get(r.id);
    return { ...r, engagementLevel: (f?.placement as string | null) ?? null, npsScore: f?.recommend === null || f?.recommend === undefined ? null : Number(f.recommend) };
  });
}
