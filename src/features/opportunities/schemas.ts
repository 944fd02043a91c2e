import { z } from 'zod';
import { currency, customValues, isoDate, isoDateTime, money, recordMeta, refName, tagList } from '../../kernel/http-schemas.ts';

const text = (max = 200) => z.string().trim().max(max);

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const;

/** What a person may write; win probability, win reasons and coverage are computed and never written here. */
const writable = {
  accountId: z.uuid(),
  name: text(300).min(1, 'Required'),
  amount: money.nullable(),
  currency: currency.nullable(),
  expectedClose: isoDate.nullable(),
  buyingSituation: text(63).nullable(),
  buyingStage: text(63).min(1, 'Required'),
  status: z.enum(OPPORTUNITY_STATUSES),
  lostReason: text(63).nullable(),
  openedAt: isoDateTime.describe('When the deal was created or engaged in the source system (default: the earliest of now, closedAt and the first stageHistory entry)'),
  closedAt: isoDateTime.nullable().describe('Actual close date of a won or lost deal (default: when it was marked won or lost); not before openedAt, not in the future'),
  ownerId: z.uuid().nullable(),
  needType: text(63).nullable(),
  source: text(63).nullable(),
  competitors: z.array(z.string().trim().min(1).max(200)).max(50),
  tags: tagList,
  custom: customValues,
};

/** A stage the deal entered, and when: the past may be written (imports, migrations from other CRMs). */
export const stageEntryInput = z
  .object({
    stage: text(63).min(1, 'Required'),
    enteredAt: isoDateTime.describe('When the deal entered the stage; not before openedAt, not after closedAt, not in the future'),
  })
  .strict();

export const opportunityCreate = z
  .object({
    ...writable,
    stageHistory: z
      .array(stageEntryInput)
      .min(1)
      .max(100)
      .describe('The stages the deal went through, with their dates (any order; the latest is its current stage). Without it: a closed deal entered the first stage at openedAt and its final stage at closedAt, an open one is at its stage since openedAt.'),
  })
  .partial()
  .required({ accountId: true, name: true })
  .strict();
export const opportunityUpdate = z.object({ ...writable, version: z.number().int() }).partial().strict();

export const opportunity = z
  .object({
    ...recordMeta,
    accountId: z.uuid(),
    accountName: refName('account'),
    name: z.string(),
    amount: z.string().nullable(),
    currency: z.string().nullable(),
    expectedClose: z.string().nullable(),
    buyingSituation: z.string().nullable(),
    buyingStage: z.string(),
    stageEnteredAt: z.string(),
    status: z.enum(OPPORTUNITY_STATUSES),
    lostReason: z.string().nullable(),
    openedAt: z.string(),
    closedAt: z.string().nullable(),
    ownerId: z.uuid().nullable(),
    ownerName: refName('owner'),
    needType: z.string().nullable(),
    source: z.string().nullable(),
    competitors: z.array(z.string()),
    tags: z.array(z.string()),
    winProbability: z.number().nullable(),
    winReasons: z.array(z.unknown()).nullable(),
    coverageScore: z.number().nullable(),
    scoredAt: z.string().nullable(),
  })
  .meta({ id: 'Opportunity' });
export type Opportunity = z.infer<typeof opportunity>;

export const stageChange = z
  .object({
    id: z.uuid(),
    opportunityId: z.uuid(),
    fromStage: z.string().nullable(),
    toStage: z.string(),
    changedAt: z.string(),
    changedBy: z.uuid().nullable(),
  })
  .meta({ id: 'StageChange' });

export const stageHistoryAppend = z
  .object({ entries: z.array(stageEntryInput).min(1).max(100) })
  .strict()
  .meta({ id: 'StageHistoryAppend' });
