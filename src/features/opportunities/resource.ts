import { and, asc, eq, sql } from 'drizzle-orm';
import { accounts, opportunities, opportunityPricing, opportunityStageHistory, users, vocabTerms } from '../../db/schema/index.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { nameField, Resource, type NameSpec } from '../../kernel/resource.ts';
import { activeVocabKeys } from '../../kernel/vocab.ts';
import { checkDealDates, deriveOpportunity, earliest, impliedHistory, sortHistory, type OpportunityState, type StageEntry, type Status } from './rules.ts';
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
  virtual: ['stageHistory'],
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
    openedAt: { column: o.openedAt, type: 'timestamp' },
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
    // A deal with product lines takes its amount from them (features/products): it is not typed by hand.
    if (existing && (values.amount !== undefined || values.currency !== undefined)) {
      const [priced] = await tx.select({ n: opportunityPricing.lineCount }).from(opportunityPricing).where(and(eq(opportunityPricing.orgId, actor.orgId), eq(opportunityPricing.opportunityId, existing.id)));
      if (priced) for (const f of ['amount', 'currency'] as const) if (values[f] !== undefined && values[f] !== existing[f]) errs.add(f, 'This deal has product lines: its amount and currency come from them (edit the lines)', 'invalid');
    }
    const given = (values.stageHistory as StageEntry[] | undefined) ?? null;
    const history = given ? sortHistory(given) : null;
    if (history && values.buyingStage === undefined) out.buyingStage = history.at(-1)!.stage;
    else if (history && values.buyingStage !== history.at(-1)!.stage) errs.add('buyingStage', 'Must be the stage of the latest stageHistory entry', 'invalid');
    const first = existing ? null : await firstStage(tx, actor.orgId);
    if (!existing && out.buyingStage === undefined) {
      if (first) out.buyingStage = first;
      else errs.add('buyingStage', 'Required (the organization has no active buying stages)', 'required');
    }
    if (history) {
      const keys = (await activeVocabKeys(tx, actor.orgId, ['buying_stage'])).get('buying_stage') ?? new Set<string>();
      history.forEach((h, i) => {
        if (!keys.has(h.stage)) errs.add(`stageHistory.${i}.stage`, `Unknown buying stage "${h.stage}"`, 'unknown_term', { vocabulary: 'buying_stage', value: h.stage });
      });
    }
    const { errors, set } = deriveOpportunity(existing ? state(existing) : null, state({ ...existing, ...out }), { lostReason: values.lostReason !== undefined });
    for (const e of errors) errs.add(e.path, e.message, e.code);
    const now = new Date();
    const nowIso = now.toISOString();
    // A close date that is given wins over "closed now"; reopening clears it.
    if (set.closedAt === null) out.closedAt = null;
    const closedAt = values.closedAt !== undefined ? (values.closedAt as string | null)
      : set.closedAt === 'now' ? nowIso : set.closedAt === null ? null : ((existing?.closedAt as string | null | undefined) ?? null);
    // On create one clock dates everything (opening, first stage, close), so they cannot cross by a few milliseconds.
    if (set.closedAt === 'now' && values.closedAt == null) out.closedAt = existing ? sql`now()` : nowIso;
    if (set.lostReason !== undefined) out.lostReason = null;
    const openedAt = (values.openedAt as string | undefined) ?? (existing?.openedAt as string | undefined) ?? earliest(nowIso, closedAt, history?.[0]?.enteredAt);
    if (!existing) out.openedAt = openedAt;
    const status = (out.status as Status | undefined) ?? (existing?.status as Status | undefined) ?? 'open';
    for (const e of checkDealDates({ openedAt, closedAt, status }, history, now.getTime())) errs.add(e.path, e.message, e.code);
    if (!existing && typeof out.buyingStage === 'string') {
      const entries = history ?? impliedHistory({ openedAt, closedAt, status, stage: out.buyingStage, firstStage: first });
      out.stageHistory = entries;
      out.stageEnteredAt = entries.at(-1)!.enteredAt;
    } else if (set.stageEnteredAt) out.stageEnteredAt = sql`now()`;
    return out;
  },
  // DOMAIN §6: every step of the buying process is kept, the first one included (from = null).
  afterWrite: async ({ tx, actor, existing, input }, after) => {
    const by = actor.kind === 'system' ? null : actor.userId;
    if (!existing) {
      const entries = (input?.stageHistory as StageEntry[] | undefined) ?? [{ stage: after.buyingStage as string, enteredAt: after.stageEnteredAt as string }];
      await tx.insert(opportunityStageHistory).values(entries.map((e, i) => ({
        orgId: actor.orgId,
        opportunityId: after.id,
        fromStage: i === 0 ? null : entries[i - 1]!.stage,
        toStage: e.stage,
        changedAt: e.enteredAt,
        changedBy: by,
      })));
      return;
    }
    if (existing.buyingStage === after.buyingStage) return;
    await tx.insert(opportunityStageHistory).values({
      orgId: actor.orgId,
      opportunityId: after.id,
      fromStage: (existing.buyingStage as string | undefined) ?? null,
      toStage: after.buyingStage as string,
      changedAt: after.stageEnteredAt as string,
      changedBy: by,
    });
  },
});
