import { z } from 'zod';
import { customValues, isoDate, recordMeta } from '../../kernel/http-schemas.ts';
import { bankProblems, LANGUAGES, LEVELS, PLACEMENTS, RATIONAL_ROLES, type Item } from './rules.ts';

const sentence = z.string().trim().min(1).max(500);
export const texts = z.object({ en: sentence, 'zh-CN': sentence, 'zh-TW': sentence }).strict();
export const itemId = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'Lower-case letters, digits and _, starting with a letter');

export const item = z.discriminatedUnion('kind', [
  z.object({ id: itemId, kind: z.literal('score10'), role: z.enum(RATIONAL_ROLES), text: texts }).strict(),
  z.object({ id: itemId, kind: z.literal('agree5'), level: z.enum(LEVELS), text: texts }).strict(),
  z.object({ id: itemId, kind: z.literal('text'), text: texts }).strict(),
]);

/** A whole questionnaire: the rational questions and at least two items per level (rules.bankProblems). */
export const items = z
  .array(item)
  .min(1)
  .max(60)
  .superRefine((v, ctx) => {
    for (const p of bankProblems(v as Item[])) ctx.addIssue({ code: 'custom', message: p });
  });

export const language = z.enum(LANGUAGES);
export const placement = z.enum(PLACEMENTS);

const writable = {
  name: z.string().trim().min(1, 'Required').max(200),
  language,
  status: z.enum(['open', 'closed']),
  /** The questionnaire; a survey without it starts from the organization's item bank. */
  items,
  custom: customValues,
};
export const surveyCreate = z.object(writable).partial().required({ name: true }).strict();
export const surveyUpdate = z.object({ ...writable, version: z.number().int() }).partial().strict();

export const surveyVersion = z.object({ id: z.uuid(), number: z.number().int(), items: z.array(item), createdAt: z.string(), answers: z.number().int() });

export const survey = z
  .object({
    ...recordMeta,
    name: z.string(),
    language,
    status: z.enum(['open', 'closed']),
    currentVersionId: z.uuid().nullable(),
    currentVersion: surveyVersion.nullable().describe('Read-only: the version new links ask'),
    versions: z.number().int().describe('Read-only: how many versions there are'),
    recipients: z.number().int().describe('Read-only: links created'),
    completed: z.number().int().describe('Read-only: completed answers'),
  })
  .meta({ id: 'Survey' });

export const sendBody = z
  .object({
    accountIds: z.array(z.uuid()).max(1000).optional(),
    segmentId: z.uuid().optional(),
    contactIds: z.array(z.uuid()).max(5000).optional(),
    /** Only contacts holding one of these buying-center roles (on any deal of their account). */
    roles: z.array(z.string().trim().min(1).max(63)).max(20).optional(),
    /** Only contacts who are in a buying center of their account (any role). */
    buyingCenterOnly: z.boolean().optional(),
    expiresInDays: z.number().int().min(1).max(365).optional(),
  })
  .strict();

export const link = z.object({
  recipientId: z.uuid(),
  contactId: z.uuid(),
  contactName: z.string(),
  email: z.string().nullable(),
  accountId: z.uuid().nullable(),
  accountName: z.string().nullable(),
  language,
  token: z.string(),
  /** Relative to the server: /s/<token>. */
  path: z.string(),
  expiresAt: z.string(),
});
export const sendResult = z.object({ created: z.number().int(), skipped: z.number().int().describe('contacts who already had a link to this survey'), links: z.array(link) });

export const reissueBody = z.object({ recipientIds: z.array(z.uuid()).min(1).max(5000).optional(), expiresInDays: z.number().int().min(1).max(365).optional() }).strict();

export const RECIPIENT_STATUS = ['sent', 'opened', 'started', 'completed', 'expired'] as const;
export const recipient = z.object({
  id: z.uuid(),
  contactId: z.uuid(),
  contactName: z.string(),
  accountId: z.uuid().nullable(),
  accountName: z.string().nullable(),
  language,
  status: z.enum(RECIPIENT_STATUS),
  expiresAt: z.string(),
  openedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  createdAt: z.string(),
});

const npsResult = z.object({ nps: z.number().nullable(), n: z.number().int(), promoters: z.number().int(), passives: z.number().int(), detractors: z.number().int() });
export const placementCounts = z.object(Object.fromEntries(PLACEMENTS.map((p) => [p, z.number().int()])) as Record<(typeof PLACEMENTS)[number], z.ZodNumber>);

export const surveyResults = z.object({
  recipients: z.number().int(),
  opened: z.number().int(),
  started: z.number().int(),
  completed: z.number().int(),
  nps: npsResult,
  placements: placementCounts,
  levels: z.object(Object.fromEntries(LEVELS.map((l) => [l, z.number().nullable()])) as Record<(typeof LEVELS)[number], z.ZodNullable<z.ZodNumber>>),
  comments: z.array(z.object({ contactName: z.string(), accountName: z.string().nullable(), comment: z.string(), completedAt: z.string() })),
});

export const tokenParams = z.object({ token: z.string().max(300) });

export const publicSurvey = z.object({
  state: z.enum(['open', 'completed']),
  orgName: z.string(),
  surveyName: z.string(),
  language,
  items: z.array(item),
  answers: z.record(z.string(), z.number().int().nullable()),
  comment: z.string().nullable(),
  completedAt: z.string().nullable(),
});

export const publicAnswer = z
  .object({
    answers: z.record(z.string().max(40), z.number().int().min(0).max(10).nullable()).optional(),
    comment: z.string().max(5000).nullable().optional(),
    language: language.optional(),
    complete: z.boolean().optional(),
  })
  .strict();
export const publicAnswerResult = z.object({ state: z.enum(['open', 'completed']), completedAt: z.string().nullable(), missing: z.array(z.string()) });

export const engagementSettingsBody = z
  .object({
    agree: z.number().min(1).max(5),
    disagree: z.number().min(1).max(5),
    rationalMin: z.number().min(0).max(10),
    minRespondents: z.number().int().min(1).max(50),
    npsDrop: z.number().min(1).max(200),
    windowDays: z.number().int().min(30).max(3650),
    linkDays: z.number().int().min(1).max(365),
    roleWeights: z.record(z.string().max(63), z.number().min(0).max(10)),
    version: z.number().int(),
  })
  .partial()
  .strict();
export const engagementSettingsResponse = z.object({
  agree: z.number(), disagree: z.number(), rationalMin: z.number(), minRespondents: z.number().int(), npsDrop: z.number(),
  windowDays: z.number().int(), linkDays: z.number().int(), roleWeights: z.record(z.string(), z.number()), version: z.number().int(),
});

export const itemBank = z.object({ items: z.array(item), version: z.number().int(), isDefault: z.boolean() });
export const itemBankPatch = z.object({ items, version: z.number().int().optional() }).strict();

export const accountEngagement = z.object({
  level: placement.nullable(),
  score: z.number().nullable(),
  respondents: z.number().int(),
  tooFew: z.boolean(),
  minRespondents: z.number().int(),
  nps: z.number().nullable(),
  npsAnswers: z.number().int(),
  promoters: z.number().int(),
  detractors: z.number().int(),
  previousLevel: placement.nullable(),
  previousScore: z.number().nullable(),
  previousNps: z.number().nullable(),
  trend: z.enum(['up', 'down', 'flat', 'unknown']),
  computedAt: z.string().nullable(),
  lastAnswerAt: z.string().nullable(),
  snapshots: z.array(z.object({ period: z.string(), level: placement.nullable(), score: z.number().nullable(), nps: z.number().nullable(), respondents: z.number().int() })),
  answers: z.array(
    z.object({
      id: z.uuid(), contactId: z.uuid(), contactName: z.string(), placement: placement.nullable(), recommend: z.number().int().nullable(),
      completedAt: z.string().nullable(), comment: z.string().nullable(), source: z.enum(['link', 'import']),
    }),
  ),
});

export const METRICS = ['shareOfWallet', 'revenue', 'revenueGrowth', 'orderValue', 'relationshipGrowth'] as const;
const metricCell = z.object({ average: z.number().nullable(), index: z.number().nullable(), n: z.number().int(), thin: z.boolean() });
const metricLevels = z.object({ fully_engaged: metricCell, engaged: metricCell, not_engaged: metricCell, actively_disengaged: metricCell });
const metric = z.object({
  org: z.object({ average: z.number().nullable(), n: z.number().int() }),
  levels: metricLevels,
  gapPercent: z.number().nullable(),
  seed: z.object({
    fullyVsAverage: z.number().nullable().describe('Fully engaged index − 100 (%): the seed reports +23'),
    disengagedVsAverage: z.number().nullable().describe('Actively disengaged index − 100 (%): the seed reports −13'),
    verdict: z.enum(['as_seed', 'mixed', 'opposite']).nullable().describe('null: not enough answers to say (the analysis or either end too thin)'),
  }),
});
export const engagementAnalysis = z.object({
  placed: z.number().int(),
  accountsWithAnswers: z.number().int(),
  tooThin: z.boolean(),
  nps: npsResult,
  distribution: placementCounts,
  metrics: z.object({ shareOfWallet: metric, revenue: metric, revenueGrowth: metric, orderValue: metric, relationshipGrowth: metric }),
  seed: z.object({ fullyEngaged: z.number(), activelyDisengaged: z.number(), gap: z.array(z.number()) }).describe("The seed's figures, for comparison"),
  thinCell: z.number().int(),
  thinTotal: z.number().int(),
});
export const npsRow = z.object({ key: z.string().nullable(), label: z.string().nullable(), n: z.number().int(), promoters: z.number().int(), passives: z.number().int(), detractors: z.number().int(), nps: z.number().nullable() });
export const engagementQuery = z.object({ segmentId: z.uuid().optional() }).strict();

export const importDate = isoDate;
