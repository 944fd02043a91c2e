import { and, asc, eq, sql } from 'drizzle-orm';
import { opportunities, opportunityStageHistory } from '../../db/schema/index.ts';
import type { Actor } from '../../kernel/actor.ts';
import { audit } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { conflict, FieldErrors, preconditionRequired } from '../../kernel/errors.ts';
import { activeVocabKeys } from '../../kernel/vocab.ts';
import { opportunityResource } from './resource.ts';
import { checkDealDates, sortHistory, type StageEntry, type Status } from './rules.ts';

const h = opportunityStageHistory;

export async function stageHistoryOf(db: DbOrTx, orgId: string, opportunityId: string) {
  return db
    .select({ id: h.id, opportunityId: h.opportunityId, fromStage: h.fromStage, toStage: h.toStage, changedAt: h.changedAt, changedBy: h.changedBy })
    .from(h)
    .where(and(eq(h.orgId, orgId), eq(h.opportunityId, opportunityId)))
    .orderBy(asc(h.changedAt), asc(h.id));
}

/**
 * Writes stage entries with their own (past) dates into a deal's history: backfilling a deal that was
 * created before it was tracked here. Each entry's from-stage is re-derived from its predecessor in
 * time; when an entry is newer than the deal's current stage, the deal moves to it (a new version).
 */
export async function appendStageHistory(db: Db, actor: Actor, id: string, version: number | undefined, entries: StageEntry[]) {
  if (version === undefined) throw preconditionRequired();
  return db.transaction(async (tx) => {
    const existing = await opportunityResource.get(tx, actor, id, { forUpdate: true });
    if (existing.version !== version) {
      throw conflict(`This opportunity was changed by someone else (you edited version ${version}, it is now ${existing.version})`, existing);
    }
    await opportunityResource.assertCanEdit(tx, actor, existing);
    const errs = new FieldErrors();
    const keys = (await activeVocabKeys(tx, actor.orgId, ['buying_stage'])).get('buying_stage') ?? new Set<string>();
    entries.forEach((e, i) => {
      if (!keys.has(e.stage)) errs.add(`entries.${i}.stage`, `Unknown buying stage "${e.stage}"`, 'unknown_term', { vocabulary: 'buying_stage', value: e.stage });
    });
    const deal = { openedAt: existing.openedAt as string, closedAt: (existing.closedAt as string | null) ?? null, status: existing.status as Status };
    for (const e of checkDealDates(deal, entries, Date.now(), { history: 'entries' })) if (e.path.startsWith('entries.')) errs.add(e.path, e.message, e.code);
    errs.throwIfAny();
    const by = actor.kind === 'system' ? null : actor.userId;
    await tx.insert(h).values(sortHistory(entries).map((e) => ({ orgId: actor.orgId, opportunityId: id, fromStage: null, toStage: e.stage, changedAt: e.enteredAt, changedBy: by })));
    // One pass over the deal's rows: every entry comes from the stage before it in time.
    await tx.execute(sql`update opportunity_stage_history x set from_stage = p.prev
      from (select id, lag(to_stage) over (order by changed_at, id) as prev from opportunity_stage_history where org_id = ${actor.orgId} and opportunity_id = ${id}) p
      where x.org_id = ${actor.orgId} and x.id = p.id and x.from_stage is distinct from p.prev`);
    const [latest] = await tx
      .select({ stage: h.toStage, at: h.changedAt })
      .from(h)
      .where(and(eq(h.orgId, actor.orgId), eq(h.opportunityId, id)))
      .orderBy(sql`${h.changedAt} desc`, sql`${h.id} desc`)
      .limit(1);
    let current = existing;
    if (latest && Date.parse(latest.at) > Date.parse(existing.stageEnteredAt as string)) {
      const o = opportunities;
      const [row] = await tx
        .update(o)
        .set({ buyingStage: latest.stage, stageEnteredAt: latest.at, version: sql`${o.version} + 1`, updatedAt: sql`now()`, updatedBy: by })
        .where(and(eq(o.orgId, actor.orgId), eq(o.id, id)))
        .returning();
      current = opportunityResource.toRecord(row as Record<string, unknown>);
      await audit(tx, actor, {
        action: 'update', entity: 'opportunity', entityId: id,
        before: { buyingStage: existing.buyingStage, stageEnteredAt: existing.stageEnteredAt }, after: { buyingStage: current.buyingStage, stageEnteredAt: current.stageEnteredAt },
      });
    }
    return { version: current.version, data: await stageHistoryOf(tx, actor.orgId, id) };
  });
}
