import { and, asc, eq, sql } from 'drizzle-orm';
import { accounts, opportunities, opportunityStageHistory, users, vocabTerms } from '../../db/schema/index.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { nameField, Resource, type NameSpec } from '../../kernel/resource.ts';
import { deriveOpportunity, type OpportunityState } from './rules.ts';
import { opportunity, opportunityCreate, opportunityUpdate } from './schemas.ts';

const o = opportunities;
const accountName: NameSpec = { from: 'accountId', table: accounts, column: accounts.name };
const ownerName: NameSpec = { from: 'ownerId', table: users, column: users.name };

/** The first active buying stage by rank: where a new opportunity starts unless told otherwise. */
async function firstStage(tx: DbOrTx, orgId: string): Promise<string | null> {
  const [row] = await tx
    .select({ key: vocabTerms.key })
    .from(vocabTerms)
    .where(and(eq(vocabTerms.orgId, orgId), eq(vocabTerms.vocabulary, 'buying_stage'), eq(vocabTerms.active, true)))
    .orderBy(sql`coalesce((${vocabTerms.meta}->>'rank')::int, 1000)`, asc(vocabTerms.position), asc(vocabTerms.key))
    .limit(1);
  return row?.key ?? null;
}

const state = (r: Record<string, unknown>): OpportunityState => ({
  amount: (r.amount as string | null | undefined) ?? null,
  currency: (r.currency as string | null | undefined) ?? null,
  status: ((r.status as OpportunityState['status'] | undefined) ?? 'open'),
  lostReason: (r.lostReason as string | null | undefined) ?? null,
  buyingStage: (r.buyingStage as string | null | undefined) ?? null,
  closedAt: (r.closedAt as string | null | undefined) ?? null,
});

export const opportunityResource = new Resource({
  name: 'opportunities',
  entity: 'opportunity',
  label: 'Opportunity',
  table: o,
  schemas: { create: opportunityCreate, update: opportunityUpdate, record: opportunity },
  defaultSort: '-updatedAt',
  search: [o.name],
  ownerField: 'ownerId',
  names: { accountName, ownerName },
  vocab: {
    buyingSituation: 'buying_situation',
    buyingStage: 'buying_stage',
    lostReason: 'lost_reason',
    needType: 'need_type',
    source: 'lead_source',
  },
  refs: { accountId: { table: accounts, label: 'Account', softDeleted: true } },
  fields: {
    id: { column: o.id, type: 'uuid' },
    accountId: { column: o.accountId, type: 'uuid' },
    accountName: nameField(accountName, o.accountId, o.orgId),
    name: { column: o.name, type: 'text' },
    amount: { column: o.amount, type: 'number' },
    currency: { column: o.currency, type: 'text' },
    expectedClose: { column: o.expectedClose, type: 'date' },
    buyingSituation: { column: o.buyingSituation, type: 'text' },
    buyingStage: { column: o.buyingStage, type: 'text' },
    stageEnteredAt: { column: o.stageEnteredAt, type: 'timestamp' },
    status: { column: o.status, type: 'enum', values: ['open', 'won', 'lost'] },
    lostReason: { column: o.lostReason, type: 'text' },
    closedAt: { column: o.closedAt, type: 'timestamp' },
    ownerId: { column: o.ownerId, type: 'uuid' },
    ownerName: nameField(ownerName, o.ownerId, o.orgId),
    needType: { column: o.needType, type: 'text' },
    source: { column: o.source, type: 'text' },
    competitors: { column: o.competitors, type: 'tags' },
    tags: { column: o.tags, type: 'tags' },
    winProbability: { column: o.winProbability, type: 'number' },
    coverageScore: { column: o.coverageScore, type: 'number' },
    createdAt: { column: o.createdAt, type: 'timestamp' },
    updatedAt: { column: o.updatedAt, type: 'timestamp' },
  },
  prepare: async (values, { tx, actor, existing }, errs) => {
    const out = { ...values };
    if (!existing && out.buyingStage === undefined) {
      const stage = await firstStage(tx, actor.orgId);
      if (stage) out.buyingStage = stage;
      else errs.add('buyingStage', 'Required (the organization has no active buying stages)', 'required');
    }
    const { errors, set } = deriveOpportunity(existing ? state(existing) : null, state({ ...existing, ...out }), { lostReason: values.lostReason !== undefined });
    for (const e of errors) errs.add(e.path, e.message, e.code);
    if (set.closedAt !== undefined) out.closedAt = set.closedAt === 'now' ? sql`now()` : null;
    if (set.lostReason !== undefined) out.lostReason = null;
    if (set.stageEnteredAt) out.stageEnteredAt = sql`now()`;
    return out;
  },
  // DOMAIN §6: every step of the buying process is kept, the first one included (from = null).
  afterWrite: async ({ tx, actor, existing }, after) => {
    if (existing && existing.buyingStage === after.buyingStage) return;
    await tx.insert(opportunityStageHistory).values({
      orgId: actor.orgId,
      opportunityId: after.id,
      fromStage: (existing?.buyingStage as string | undefined) ?? null,
      toStage: after.buyingStage as string,
      changedAt: after.stageEnteredAt as string,
      changedBy: actor.kind === 'system' ? null : actor.userId,
    });
  },
});
