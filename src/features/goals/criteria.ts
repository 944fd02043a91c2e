import { and, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { opportunities, opportunityCriteriaChecks, stageExitCriteria, users } from '../../db/schema/index.ts';
import { canEditOwned, requireWriter, type Actor } from '../../kernel/actor.ts';
import { audit } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { fieldError, forbidden, notFound } from '../../kernel/errors.ts';
import { recordMeta } from '../../kernel/http-schemas.ts';
import { Resource } from '../../kernel/resource.ts';

const label = z
  .object({ en: z.string().trim().min(1).max(300), 'zh-CN': z.string().trim().min(1).max(300), 'zh-TW': z.string().trim().min(1).max(300) })
  .partial()
  .strict()
  .refine((l) => Object.keys(l).length > 0, 'Give the criterion a label in at least one language');
const writable = { stage: z.string().min(1).max(63), label, position: z.number().int().min(0).max(1000), active: z.boolean() };
export const criterionCreate = z.object(writable).partial().required({ stage: true, label: true }).strict();
export const criterionUpdate = z.object({ ...writable, version: z.number().int() }).partial().strict();
export const criterion = z
  .object({ ...recordMeta, stage: z.string(), label: z.record(z.string(), z.string()), position: z.number().int(), active: z.boolean() })
  .meta({ id: 'StageExitCriterion' });

const c = stageExitCriteria;
/** The checklist a deal should complete before leaving a stage ("needs confirmed in writing"); admins edit it. */
export const criteriaResource = new Resource({
  name: 'stage-criteria',
  entity: 'stage_exit_criterion',
  label: 'Exit criterion',
  table: c,
  schemas: { create: criterionCreate, update: criterionUpdate, record: criterion },
  defaultSort: 'position',
  search: [sql`${c.label}::text`],
  vocab: { stage: 'buying_stage' },
  fields: {
    id: { column: c.id, type: 'uuid' },
    stage: { column: c.stage, type: 'text' },
    position: { column: c.position, type: 'number' },
    active: { column: c.active, type: 'boolean' },
    updatedAt: { column: c.updatedAt, type: 'timestamp' },
  },
});

export const criterionState = z.object({
  id: z.uuid(),
  stage: z.string(),
  stageRank: z.number().int(),
  label: z.record(z.string(), z.string()),
  position: z.number().int(),
  checked: z.boolean(),
  checkedAt: z.string().nullable(),
  checkedBy: z.uuid().nullable(),
  /** the deal has moved beyond this criterion's stage without it being checked */
  skipped: z.boolean(),
});
export const dealCriteria = z
  .object({ opportunityId: z.uuid(), currentStage: z.string(), criteria: z.array(criterionState), skippedCount: z.number().int() })
  .meta({ id: 'DealCriteria' });
export type DealCriteria = z.infer<typeof dealCriteria>;

async function rows<T>(db: DbOrTx, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

/**
 * Per criterion of a stage S, when the deal first went past S: the first history row whose to_stage ranks
 * above S. A criterion unchecked at that moment (or still unchecked) is a skipped one.
 */
const passedCtes = (orgId: string) => sql`
  stage_rank as (
    select key as stage, coalesce((meta->>'rank')::int, position::int) as rank
    from vocab_terms where org_id = ${orgId} and vocabulary = 'buying_stage'
  ),
  crit as (
    select c.id, c.stage, r.rank, c.label, c.position from stage_exit_criteria c
    join stage_rank r on r.stage = c.stage
    where c.org_id = ${orgId} and c.active and c.deleted_at is null
  )`;

export async function dealCriteriaState(db: DbOrTx, actor: Actor, opportunityId: string): Promise<DealCriteria> {
  const [opp] = await db
    .select({ id: opportunities.id, stage: opportunities.buyingStage })
    .from(opportunities)
    .where(and(eq(opportunities.orgId, actor.orgId), eq(opportunities.id, opportunityId), sql`${opportunities.deletedAt} is null`));
  if (!opp) throw notFound('Opportunity');
  const list = await rows<z.infer<typeof criterionState>>(
    db,
    sql`with ${passedCtes(actor.orgId)},
    passed as materialized (
      select cr.id, min(h.changed_at) as passed_at
      from crit cr
      join opportunity_stage_history h on h.org_id = ${actor.orgId} and h.opportunity_id = ${opportunityId}
      join stage_rank r on r.stage = h.to_stage and r.rank > cr.rank
      group by cr.id
    )
    select cr.id, cr.stage, cr.rank as "stageRank", cr.label, cr.position::int as position,
      k.criterion_id is not null as checked, k.checked_at::text as "checkedAt", k.checked_by as "checkedBy",
      (p.passed_at is not null and (k.checked_at is null or k.checked_at > p.passed_at)) as skipped
    from crit cr
    left join passed p on p.id = cr.id
    left join opportunity_criteria_checks k on k.org_id = ${actor.orgId} and k.opportunity_id = ${opportunityId} and k.criterion_id = cr.id
    order by cr.rank, cr.position, cr.id`,
  );
  return { opportunityId, currentStage: opp.stage, criteria: list, skippedCount: list.filter((x) => x.skipped).length };
}

async function editableDeal(tx: DbOrTx, actor: Actor, opportunityId: string) {
  requireWriter(actor);
  const [opp] = await tx
    .select({ id: opportunities.id, ownerId: opportunities.ownerId, team: users.team })
    .from(opportunities)
    .leftJoin(users, and(eq(users.orgId, opportunities.orgId), eq(users.id, opportunities.ownerId)))
    .where(and(eq(opportunities.orgId, actor.orgId), eq(opportunities.id, opportunityId), sql`${opportunities.deletedAt} is null`));
  if (!opp) throw notFound('Opportunity');
  if (!canEditOwned(actor, opp.ownerId ? { id: opp.ownerId, team: opp.team } : null)) throw forbidden('Only the owner, their team or a manager can tick this deal’s checklist');
}

export async function checkCriterion(db: Db, actor: Actor, opportunityId: string, criterionId: string): Promise<DealCriteria> {
  await db.transaction(async (tx) => {
    await editableDeal(tx, actor, opportunityId);
    const [cr] = await tx.select().from(c).where(and(eq(c.orgId, actor.orgId), eq(c.id, criterionId), sql`${c.deletedAt} is null`));
    if (!cr) throw notFound('Exit criterion');
    if (!cr.active) throw fieldError('criterionId', 'This criterion is no longer in use');
    const done = await tx
      .insert(opportunityCriteriaChecks)
      .values({ orgId: actor.orgId, opportunityId, criterionId, checkedBy: actor.kind === 'system' ? null : actor.userId })
      .onConflictDoNothing()
      .returning();
    if (done.length) await audit(tx, actor, { action: 'check', entity: 'opportunity', entityId: opportunityId, after: { criterionId } });
  });
  return dealCriteriaState(db, actor, opportunityId);
}

export async function uncheckCriterion(db: Db, actor: Actor, opportunityId: string, criterionId: string): Promise<DealCriteria> {
  await db.transaction(async (tx) => {
    await editableDeal(tx, actor, opportunityId);
    const gone = await tx
      .delete(opportunityCriteriaChecks)
      .where(and(eq(opportunityCriteriaChecks.orgId, actor.orgId), eq(opportunityCriteriaChecks.opportunityId, opportunityId), eq(opportunityCriteriaChecks.criterionId, criterionId)))
      .returning();
    if (gone.length) await audit(tx, actor, { action: 'uncheck', entity: 'opportunity', entityId: opportunityId, before: { criterionId, checkedAt: gone[0]!.checkedAt } });
  });
  return dealCriteriaState(db, actor, opportunityId);
}

export const skippedDeal = z.object({
  opportunityId: z.uuid(),
  opportunityName: z.string(),
  accountId: z.uuid(),
  accountName: z.string(),
  ownerId: z.uuid().nullable(),
  currentStage: z.string(),
  status: z.string(),
  skipped: z.array(z.object({ criterionId: z.uuid(), stage: z.string(), label: z.record(z.string(), z.string()), passedAt: z.string() })),
});
export type SkippedDeal = z.infer<typeof skippedDeal>;

/** Deals that went past a stage without its checklist done; `from`/`to` (inclusive days) bound when they went past. */
export async function skippedCriteriaReport(db: DbOrTx, actor: Actor, q: { from?: string; to?: string; ownerId?: string; limit?: number }): Promise<SkippedDeal[]> {
  const conds: SQL[] = [sql`true`];
  const win: SQL[] = [sql`true`];
  if (q.from) win.push(sql`p.passed_at >= ${q.from}::date`);
  if (q.to) win.push(sql`p.passed_at < ${q.to}::date + 1`);
  if (q.ownerId) conds.push(sql`o.owner_id = ${q.ownerId}`);
  return rows<SkippedDeal>(
    db,
    sql`with ${passedCtes(actor.orgId)},
    deal_rank as materialized (
      select h.opportunity_id, r.rank, min(h.changed_at) as first_at
      from opportunity_stage_history h join stage_rank r on r.stage = h.to_stage
      where h.org_id = ${actor.orgId}
      group by h.opportunity_id, r.rank
    ),
    passed as materialized (
      select d.opportunity_id, cr.id as criterion_id, min(d.first_at) as passed_at
      from deal_rank d join crit cr on d.rank > cr.rank
      group by d.opportunity_id, cr.id
    ),
    x as materialized (
      select p.opportunity_id, p.criterion_id, p.passed_at, cr.stage, cr.rank, cr.label, cr.position from passed p
      join crit cr on cr.id = p.criterion_id
      left join opportunity_criteria_checks k on k.org_id = ${actor.orgId} and k.opportunity_id = p.opportunity_id and k.criterion_id = p.criterion_id
      where (k.criterion_id is null or k.checked_at > p.passed_at) and ${sql.join(win, sql` and `)}
    ),
    per_deal as materialized (
      select x.opportunity_id, max(x.passed_at) as last_passed,
        json_agg(json_build_object('criterionId', x.criterion_id, 'stage', x.stage, 'label', x.label, 'passedAt', x.passed_at::text) order by x.rank, x.position) as skipped
      from x group by x.opportunity_id
    )
    select o.id as "opportunityId", o.name as "opportunityName", o.account_id as "accountId", a.name as "accountName", o.owner_id as "ownerId",
      o.buying_stage as "currentStage", o.status, d.skipped
    from per_deal d
    join opportunities o on o.org_id = ${actor.orgId} and o.id = d.opportunity_id and o.deleted_at is null
    join accounts a on a.org_id = ${actor.orgId} and a.id = o.account_id
    where ${sql.join(conds, sql` and `)}
    order by d.last_passed desc
    limit ${q.limit ?? 200}`,
  );
}
