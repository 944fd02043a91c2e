import { z } from 'zod';
import { isoDate, recordMeta } from '../../kernel/http-schemas.ts';

/** stage key → number of accounts that should reach it; whole numbers, never negative. */
export const goalTargets = z
  .record(z.string().min(1).max(63), z.number({ error: 'Expected a whole number' }).int('Expected a whole number').min(0, 'A target cannot be negative').max(1_000_000))
  .refine((t) => Object.keys(t).length > 0, 'Set a target for at least one stage');

const writable = {
  periodKind: z.enum(['month', 'quarter']),
  periodStart: isoDate,
  periodEnd: isoDate,
  scope: z.enum(['org', 'team', 'user']),
  team: z.string().trim().min(1).max(100).nullable(),
  userId: z.uuid().nullable(),
  segmentId: z.uuid().nullable(),
  targets: goalTargets,
};

export const goalCreate = z
  .object(writable)
  .partial()
  .required({ periodKind: true, periodStart: true, targets: true })
  .strict()
  .describe('periodEnd defaults to the end of the month/quarter that periodStart begins; scope defaults to org');
export const goalUpdate = z.object({ ...writable, version: z.number().int() }).partial().strict();

export const goal = z
  .object({
    ...recordMeta,
    periodKind: z.enum(['month', 'quarter']),
    periodStart: z.string(),
    periodEnd: z.string(),
    scope: z.enum(['org', 'team', 'user']),
    team: z.string().nullable(),
    userId: z.uuid().nullable(),
    segmentId: z.uuid().nullable(),
    targets: z.record(z.string(), z.number()),
  })
  .meta({ id: 'StageGoal' });
export type Goal = z.infer<typeof goal>;

const countedAccount = z.object({
  accountId: z.uuid(),
  accountName: z.string(),
  opportunityId: z.uuid(),
  opportunityName: z.string(),
  reachedAt: z.string(),
  /** true when the deal jumped over this stage straight to a later one */
  skipped: z.boolean(),
});
const nextStepDeal = z.object({
  opportunityId: z.uuid(),
  opportunityName: z.string(),
  accountId: z.uuid(),
  accountName: z.string(),
  ownerId: z.uuid().nullable(),
  stage: z.string(),
  stageEnteredAt: z.string(),
  winProbability: z.number().nullable(),
  criteriaDone: z.number().int(),
  criteriaTotal: z.number().int(),
});

export const stageProgress = z.object({
  stage: z.string(),
  rank: z.number().int(),
  target: z.number().int(),
  actual: z.number().int(),
  expected: z.number(),
  remaining: z.number().int(),
  status: z.enum(['upcoming', 'achieved', 'on_track', 'behind', 'missed']),
  accounts: z.array(countedAccount).describe('Accounts that count (first 100)'),
  closest: z.array(nextStepDeal).describe('Open deals one step before this stage whose account has not counted yet, best first'),
});
export type StageProgress = z.infer<typeof stageProgress>;

export const goalProgress = z
  .object({
    goal,
    asOf: z.string(),
    elapsed: z.number().describe('Fraction of the period elapsed (0–1)'),
    semantics: z.string(),
    stages: z.array(stageProgress),
  })
  .meta({ id: 'GoalProgress' });
export type GoalProgress = z.infer<typeof goalProgress>;

export const REACH_SEMANTICS =
  'An account counts for stage X in the period when one of its deals (in scope) reached X — entered X or, having skipped it, a later stage — ' +
  'for the first time in that deal’s history within the period. Each account counts once per stage, however often its deals move back and forth.';
