import { z } from 'zod';

/** API contracts of evaluation (zod only: the web app imports these). */

export const profileEntry = z.object({
  value: z.string(),
  won: z.number().int(),
  base: z.number().int(),
  wonShare: z.number(),
  baseShare: z.number(),
  lift: z.number().describe('share among the best accounts / share among the rest'),
  z: z.number().nullable().describe('two-proportion z statistic of the best accounts against the rest'),
  separates: z.boolean().describe('the value tells the best accounts from the rest beyond chance (|z| >= 3); only these move fit'),
  weight: z.number(),
  label: z.string(),
});

export const profileResponse = z
  .object({
    trainedAt: z.string().nullable(),
    wonAccounts: z.number().int().describe('the best accounts the profile learns from: ahead on win rate, then value won'),
    baseAccounts: z.number().int(),
    separates: z.boolean().describe('some attribute value separates the best accounts from the rest; if not, fit is unknown'),
    statement: z.string().nullable().describe('said instead of scores when nothing separates'),
    attributes: z.array(z.object({ attribute: z.string(), entries: z.array(profileEntry) })),
  })
  .meta({ id: 'IdealCustomerProfile' });
export type ProfileResponse = z.infer<typeof profileResponse>;

export const reliabilityBin = z.object({
  from: z.number(),
  to: z.number(),
  count: z.number().int(),
  meanPredicted: z.number().nullable(),
  observedRate: z.number().nullable(),
});

export const calibrationSchema = z.object({
  brier: z.number().nullable(),
  brierBaseline: z.number().nullable(),
  logLoss: z.number().nullable(),
  count: z.number().int(),
  positives: z.number().int(),
  bins: z.array(reliabilityBin),
});

const modelVerdict = z
  .enum(['suspicious', 'no_signal', 'useful'])
  .describe('suspicious: nearly perfect on held-out deals (a leak); no_signal: no better than the base rate; useful: beats it');

export const featureCheck = z.object({
  feature: z.string(),
  heldOutAuc: z.number().nullable().describe('AUC of the feature alone on held-out deals'),
  separatesPerfectly: z.boolean(),
  unsetWon: z.number().nullable().describe('share of won deals without a value (features where 0 means not recorded)'),
  unsetLost: z.number().nullable(),
  dropped: z.enum(['separates', 'placeholder']).nullable().describe('why the model was trained without it'),
  message: z.string().nullable(),
});

export const modelResponse = z
  .object({
    kind: z.enum(['win_logistic', 'win_stage_base']).nullable(),
    trainedAt: z.string().nullable(),
    /** Set when the model fell back to stage base rates: the screen says why. */
    fallback: z.string().nullable(),
    wonDeals: z.number().int(),
    lostDeals: z.number().int(),
    trainDeals: z.number().int(),
    testDeals: z.number().int(),
    calibration: calibrationSchema.nullable(),
    stageBaseCalibration: calibrationSchema.nullable(),
    coefficients: z.array(z.object({ feature: z.string(), coef: z.number(), mean: z.number(), sd: z.number() })),
    intercept: z.number().nullable(),
    stageRates: z.record(z.string(), z.number()),
    features: z.array(featureCheck).describe('each feature checked for a leak; dropped ones are not in the model'),
    honesty: z
      .object({ verdict: modelVerdict, skill: z.number().nullable(), heldOutAuc: z.number().nullable(), message: z.string().nullable() })
      .nullable()
      .describe('what the held-out figures mean; null before the first recompute'),
  })
  .meta({ id: 'WinModel' });
export type ModelResponse = z.infer<typeof modelResponse>;

export const recomputeResponse = z
  .object({
    accounts: z.number().int(),
    openDeals: z.number().int(),
    changed: z.object({ accounts: z.number().int(), openDeals: z.number().int(), coverage: z.number().int().describe('deals whose coverage score changed') }),
    profile: z.object({ wonAccounts: z.number().int(), baseAccounts: z.number().int(), values: z.number().int() }),
    winModel: z.object({
      kind: z.enum(['win_logistic', 'win_stage_base']),
      reason: z.string().optional(),
      brier: z.number().nullable(),
      brierBaseline: z.number().nullable(),
      heldOutDeals: z.number().int(),
      verdict: modelVerdict,
      skill: z.number().nullable().describe('Brier skill score over always predicting the base rate (0 = no better)'),
      droppedFeatures: z.array(z.string()).describe('features left out because they give the outcome away'),
    }),
    timingsMs: z.record(z.string(), z.number()).describe('how long each phase took; on PostgreSQL some run side by side'),
    spansMs: z
      .record(z.string(), z.tuple([z.number(), z.number()]))
      .describe('when each phase ran: [start, end] in ms from the start of the recompute'),
  })
  .meta({ id: 'RecomputeResult' });
export type RecomputeResponse = z.infer<typeof recomputeResponse>;

export const PORTFOLIO = ['key', 'development', 'maintenance', 'opportunity'] as const;
export const POSTURES = ['strategic_partnership', 'invest_while_profitable', 'build_loyalty', 'keep_in_touch', 'minimal_effort'] as const;

export const portfolioPoint = z.object({
  id: z.uuid(),
  name: z.string(),
  attractiveness: z.number(),
  relationship: z.number(),
  type: z.enum(PORTFOLIO),
  fitScore: z.number().nullable(),
  priceDriven: z.boolean(),
  tier: z.string().nullable(),
  needType: z.string().nullable(),
});

export const portfolioQuery = z.object({
  limit: z.coerce.number().int().min(1).max(5000).optional().describe('Most points to return (default 2000); larger bases are sampled evenly'),
  segmentId: z.uuid().optional().describe('Only accounts in this saved segment'),
});

export const portfolioResponse = z
  .object({
    thresholds: z.object({ attractiveness: z.number(), relationship: z.number() }),
    total: z.number().int(),
    sampled: z.boolean(),
    counts: z.record(z.string(), z.number().int()),
    spread: z.object({ attractiveness: z.object({ min: z.number().nullable(), max: z.number().nullable() }), relationship: z.object({ min: z.number().nullable(), max: z.number().nullable() }) }).describe('lowest and highest value of each axis over all the accounts'),
    cannotSeparate: z
      .array(z.enum(['attractiveness', 'relationship']))
      .describe('axes on which every account sits within 1 point: they place all accounts alike and say nothing about them'),
    points: z.array(portfolioPoint),
  })
  .meta({ id: 'Portfolio' });
export type PortfolioResponse = z.infer<typeof portfolioResponse>;

export const fitReasonItem = z.object({
  label: z.string(),
  attribute: z.string().optional(),
  value: z.string().optional(),
  lift: z.number().optional(),
  weight: z.number().optional(),
  feature: z.string().optional(),
});

export const accountFitResponse = z
  .object({
    accountId: z.uuid(),
    fitScore: z.number().nullable(),
    reasons: z.array(fitReasonItem),
    attractiveness: z.number().nullable(),
    relationshipScore: z.number().nullable(),
    components: z
      .object({
        fit: z.number().nullable().describe('null when the profile separates nothing'),
        potential: z.number(),
        profitability: z.number(),
        shareOfWallet: z.number(),
        supplierStatus: z.number(),
        engagement: z.number(),
      })
      .nullable(),
    portfolioType: z.enum(PORTFOLIO).nullable(),
    posture: z.enum(POSTURES).nullable(),
    postureText: z.string().nullable(),
    priceDriven: z.boolean().nullable(),
    tier: z.string().nullable(),
    buyingStage: z.string().nullable(),
    needType: z.string().nullable(),
    needTypeSuggestions: z.array(z.object({ needType: z.string(), score: z.number(), evidence: z.array(z.string()) })),
    scoredAt: z.string().nullable(),
  })
  .meta({ id: 'AccountFit' });
export type AccountFitResponse = z.infer<typeof accountFitResponse>;

// ── Settings ────────────────────────────────────────────────────────────────

const share = z.number().min(0).max(100);
const attractivenessWeights = z.object({ fit: share, potential: share, profitability: share }).strict();
const relationshipWeights = z.object({ shareOfWallet: share, supplierStatus: share, engagement: share }).strict();
const fraction = z.number().min(0).max(1);

export const evaluationSettingsSchema = z
  .object({
    attractivenessThreshold: z.number().min(0).max(100).describe('portfolio: an account at or above it is high on attractiveness (0–100)'),
    relationshipThreshold: z.number().min(0).max(100).describe('portfolio: an account at or above it is high on relationship (0–100)'),
    attractivenessWeights: attractivenessWeights.describe('weights of fit, potential (demand) and profitability (price orientation), relative to each other; read back as percentages of their sum'),
    relationshipWeights: relationshipWeights.describe('weights of share of wallet, supplier status and engagement, relative to each other; read back as percentages of their sum'),
    tierCuts: z.object({ a: fraction, b: fraction }).strict().describe('strength tiers by size percentile: ≥ a → A, ≥ b → B, else C'),
    minWon: z.number().int().min(1).max(100000).describe('fewer won deals than this: the win model falls back to stage base rates'),
    minLost: z.number().int().min(1).max(100000).describe('the same for lost deals'),
    l2: z.number().min(0).max(1000).describe('L2 penalty of the win model'),
    holdoutShare: z.number().min(0).max(0.9).describe('share of closed deals held out to measure calibration'),
    engagementDays: z.number().int().min(1).max(3650).describe('engagement counts interactions in this many days'),
  })
  .strict();

export const settingsResponse = z
  .object({
    settings: evaluationSettingsSchema,
    defaults: evaluationSettingsSchema,
    version: z.number().int().describe('send it back as If-Match: "<version>" with a change'),
  })
  .meta({ id: 'EvaluationSettings' });
export type SettingsResponse = z.infer<typeof settingsResponse>;

/** A change: any of the settings (an axis's weights all three together: they are relative). Takes effect at the next recompute. */
export const settingsPatch = z
  .object({
    attractivenessThreshold: evaluationSettingsSchema.shape.attractivenessThreshold,
    relationshipThreshold: evaluationSettingsSchema.shape.relationshipThreshold,
    attractivenessWeights,
    relationshipWeights,
    tierCuts: z.object({ a: fraction, b: fraction }).partial().strict(),
    minWon: evaluationSettingsSchema.shape.minWon,
    minLost: evaluationSettingsSchema.shape.minLost,
    l2: evaluationSettingsSchema.shape.l2,
    holdoutShare: evaluationSettingsSchema.shape.holdoutShare,
    engagementDays: evaluationSettingsSchema.shape.engagementDays,
    version: z.number().int().optional().describe('the version you edited, if not sent as If-Match'),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatch>;
