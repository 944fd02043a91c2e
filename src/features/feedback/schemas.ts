import { z } from 'zod';
import { customValues, isoDateTime, recordMeta, refName, webAddress } from '../../kernel/http-schemas.ts';
import { FEEDBACK_KINDS, JOURNEY_STEPS } from '../vocabularies/defaults.ts';
import { COMPLAINT_STATUSES, SEVERITIES } from './rules.ts';

export const STANCES = ['praise', 'criticism', 'neutral'] as const;
const text = (max = 200) => z.string().trim().max(max);
export const POLARITIES = ['positive', 'neutral', 'negative'] as const;
export const VISIBILITIES = ['public', 'private'] as const;

const writable = {
  accountId: z.uuid().nullable(),
  contactId: z.uuid().nullable(),
  personName: text(300).nullable(),
  personContact: text(320).nullable(),
  channel: text(63).min(1, 'Required'),
  kind: z.enum(FEEDBACK_KINDS),
  text: z.string().trim().min(1, 'Required').max(20_000),
  language: z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Expected a language tag such as zh-CN or en').nullable(),
  rating: z.number().min(0).max(100).nullable(),
  ratingScale: z.number().int().min(2).max(100).nullable(),
  sourceUrl: webAddress.nullable(),
  occurredAt: isoDateTime,
  visibility: z.enum(VISIBILITIES),
  ownerId: z.uuid().nullable(),
  severity: z.enum(SEVERITIES).nullable(),
  journeyStep: z.enum(JOURNEY_STEPS).nullable(),
  /** The products this feedback is about (kept in feedback_products; replaces the set when sent). */
  productIds: z.array(z.uuid()).max(20),
  custom: customValues,
};

export const feedbackCreate = z.object({ ...writable }).partial().required({ channel: true, kind: true, text: true }).strict();
export const feedbackUpdate = z.object({ ...writable, version: z.number().int() }).partial().strict();

export const feedbackRecord = z
  .object({
    ...recordMeta,
    accountId: z.uuid().nullable(),
    accountName: refName('account'),
    contactId: z.uuid().nullable(),
    contactName: refName('contact'),
    personName: z.string().nullable(),
    personContact: z.string().nullable(),
    channel: z.string(),
    kind: z.enum(FEEDBACK_KINDS),
    text: z.string(),
    language: z.string().nullable(),
    rating: z.string().nullable().describe('Decimal as a string'),
    ratingScale: z.number().nullable(),
    sourceUrl: z.string().nullable(),
    occurredAt: z.string(),
    visibility: z.enum(VISIBILITIES),
    sentiment: z.enum(POLARITIES).nullable(),
    sentimentScore: z.number().nullable().describe('P(positive) of the text model'),
    sentimentSource: z.enum(['rating', 'model', 'lexicon', 'user']).nullable(),
    sentimentLabel: z.enum(['positive', 'negative']).nullable(),
    labelledBy: z.uuid().nullable(),
    ownerId: z.uuid().nullable(),
    ownerName: refName('owner'),
    status: z.enum(COMPLAINT_STATUSES).nullable(),
    severity: z.enum(SEVERITIES).nullable(),
    impact: z.string().nullable(),
    receivedAt: z.string().nullable(),
    responseDueAt: z.string().nullable(),
    dueAt: z.string().nullable(),
    warnAt: z.string().nullable(),
    acknowledgedAt: z.string().nullable(),
    respondedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    outcome: z.enum(['resolved', 'rejected']).nullable(),
    closeReason: z.string().nullable(),
    pausedAt: z.string().nullable(),
    pausedMinutes: z.number(),
    warnedAt: z.string().nullable(),
    breachedAt: z.string().nullable(),
    escalatedTo: z.uuid().nullable(),
    journeyStep: z.enum(JOURNEY_STEPS).nullable(),
    suggestions: z.array(z.object({ rank: z.number().int(), text: z.string() })).nullable(),
    answeredAt: z.string().nullable(),
    answeredBy: z.uuid().nullable(),
    responseAlertedAt: z.string().nullable().describe('When the first-response alert went out (not acknowledged by responseDueAt)'),
    surveyAnswerId: z.uuid().nullable().describe('The survey answer this free text came from (channel survey)'),
    productIds: z.array(z.uuid()),
    products: z.array(z.object({ id: z.uuid(), code: z.string(), name: z.string(), nameI18n: z.record(z.string(), z.string()), productLine: z.string().nullable() })).describe('Read-only: the products, by name'),
    wom: z
      .array(z.object({ pointId: z.uuid(), name: z.string(), stance: z.enum(STANCES), status: z.enum(['suggested', 'confirmed', 'rejected']) }))
      .describe('Read-only: the word-of-mouth points the text mentions (suggested from the text, confirmed or rejected by a person)'),
  })
  .meta({ id: 'Feedback' });
export type FeedbackRecord = z.infer<typeof feedbackRecord>;

export const transitionBody = z
  .object({
    to: z.enum(COMPLAINT_STATUSES),
    version: z.number().int().optional(),
    severity: z.enum(SEVERITIES).optional(),
    impact: text(2000).optional(),
    reason: text(2000).optional(),
    note: text(5000).optional(),
  })
  .strict();

export const pauseBody = z.object({ waiting: z.boolean(), version: z.number().int().optional(), note: text(2000).optional() }).strict();
export const labelBody = z.object({ label: z.enum(['positive', 'negative']).nullable(), version: z.number().int().optional() }).strict();
export const answerBody = z
  .object({
    suggestions: z.array(z.string().trim().min(1).max(2000)).min(2, 'Answer with at least two suggestions, in order of priority').max(10),
    journeyStep: z.enum(JOURNEY_STEPS).optional(),
    version: z.number().int().optional(),
  })
  .strict();

export const complaintTransition = z.object({
  id: z.uuid(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  at: z.string(),
  by: z.uuid().nullable(),
  byName: z.string().nullable(),
  note: z.string().nullable(),
});

export const boardItem = z.object({
  id: z.uuid(),
  status: z.enum(COMPLAINT_STATUSES),
  kind: z.string(),
  channel: z.string(),
  severity: z.string().nullable(),
  text: z.string(),
  accountId: z.uuid().nullable(),
  accountName: z.string().nullable(),
  personName: z.string().nullable(),
  ownerId: z.uuid().nullable(),
  ownerName: z.string().nullable(),
  receivedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  paused: z.boolean(),
  overdue: z.boolean(),
  warned: z.boolean(),
});
export const boardQuery = z
  .object({
    accountId: z.uuid().optional(),
    open: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
export const boardResponse = z.object({
  columns: z.array(z.object({ status: z.enum(COMPLAINT_STATUSES), count: z.number().int(), overdue: z.number().int(), items: z.array(boardItem) })),
});

export const slaQuery = z.object({ months: z.coerce.number().int().min(1).max(36).optional() }).strict();
export const slaMonth = z.object({
  month: z.string().describe('YYYY-MM, the month complaints were received (organization time)'),
  received: z.number().int(),
  resolved: z.number().int(),
  onTime: z.number().int(),
  onTimePct: z.number().nullable(),
  medianFirstResponseHours: z.number().nullable().describe('Business hours from received to acknowledged'),
  medianResolutionHours: z.number().nullable().describe('Business hours from received to resolved or rejected'),
  breached: z.number().int(),
});
export const slaResponse = z.object({ months: z.array(slaMonth) });

export const modelStats = z
  .object({
    mode: z.enum(['lexicon', 'naive_bayes']),
    labelled: z.number().int(),
    positive: z.number().int(),
    negative: z.number().int(),
    trainSize: z.number().int(),
    testSize: z.number().int(),
    accuracy: z.number().nullable().describe('On the held-out fifth of the labelled feedback (split by text hash; duplicates counted once), model trained on the rest'),
    baseline: z.number().nullable().describe('Always answering the majority class, on the same held-out fifth'),
    lexiconAccuracy: z.number().nullable(),
    trainedAt: z.string(),
  })
  .meta({ id: 'SentimentModel' });

const dayHours = z.tuple([z.number().int().min(0).max(1440), z.number().int().min(0).max(1440)]).nullable();
const perSeverity = z.object({ low: z.number().min(0.25).max(2000), medium: z.number().min(0.25).max(2000), high: z.number().min(0.25).max(2000), critical: z.number().min(0.25).max(2000) }).strict();
export const serviceSettingsBody = z
  .object({
    utcOffsetMinutes: z.number().int().min(-720).max(840),
    week: z.array(dayHours).length(7),
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date (YYYY-MM-DD)')).max(400),
    responseHours: perSeverity,
    resolutionHours: perSeverity,
    warnAt: z.number().min(0.1).max(0.99),
    version: z.number().int().optional(),
  })
  .strict();
export const serviceSettingsResponse = serviceSettingsBody.omit({ version: true }).extend({ version: z.number().int() });

// ── Products ────────────────────────────────────────────────────────────────

const counts = {
  total: z.number().int(),
  praise: z.number().int().describe('Feedback of kind praise'),
  complaints: z.number().int().describe('Feedback of kind complaint or public attack'),
  positive: z.number().int(),
  neutral: z.number().int(),
  negative: z.number().int(),
  net: z.number().nullable().describe('(positive − negative) / scored, −1…1; null with nothing scored'),
};
export const voiceQuery = z
  .object({
    by: z.enum(['product', 'line']).optional().describe('One row per product (default) or per product line'),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    productLine: z.string().trim().min(1).max(63).optional(),
  })
  .strict();
export const voiceRow = z.object({
  productId: z.uuid().nullable(),
  code: z.string().nullable(),
  name: z.string().nullable(),
  nameI18n: z.record(z.string(), z.string()).nullable(),
  productLine: z.string().nullable(),
  ...counts,
});
export const voiceResponse = z.object({ by: z.enum(['product', 'line']), rows: z.array(voiceRow) });
export const voiceMonth = z.object({ month: z.string(), ...counts });
export const productVoiceQuery = z.object({ months: z.coerce.number().int().min(1).max(36).optional() }).strict();

// ── Word-of-mouth points ────────────────────────────────────────────────────

const keywords = z.array(z.string().trim().min(1).max(60)).max(20);
export const womPointCreate = z
  .object({
    productId: z.uuid().optional(),
    productLine: z.string().trim().min(1).max(63).optional(),
    name: z.string().trim().min(1, 'Required').max(80),
    keywords: keywords.optional(),
  })
  .strict();
export const womPointUpdate = z.object({ name: z.string().trim().min(1, 'Required').max(80).optional(), keywords: keywords.optional(), version: z.number().int().optional() }).strict();
export const womPoint = z
  .object({
    id: z.uuid(),
    productId: z.uuid().nullable(),
    productLine: z.string().nullable(),
    slot: z.number().int().min(1).max(3),
    name: z.string(),
    keywords: z.array(z.string()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WordOfMouthPoint' });
export const womListQuery = z.object({ productId: z.uuid().optional(), productLine: z.string().trim().min(1).max(63).optional() }).strict();
export const womTagsBody = z
  .object({
    tags: z.array(z.object({ pointId: z.uuid(), stance: z.enum(STANCES) }).strict()).max(6),
    version: z.number().int().optional(),
  })
  .strict();
export const womPointStats = womPoint.extend({
  scope: z.enum(['product', 'line']),
  mentions: z.number().int().describe('Feedback tagged with the point (suggested or confirmed; rejected ones do not count)'),
  confirmed: z.number().int(),
  praise: z.number().int(),
  criticism: z.number().int(),
  neutral: z.number().int(),
  months: z.array(z.object({ month: z.string(), praise: z.number().int(), criticism: z.number().int(), neutral: z.number().int() })),
  quotes: z.array(z.object({ feedbackId: z.uuid(), text: z.string(), stance: z.enum(STANCES), status: z.string(), occurredAt: z.string(), channel: z.string() })),
});
export const productVoiceResponse = z.object({
  productId: z.uuid(),
  productLine: z.string().nullable(),
  totals: z.object(counts),
  months: z.array(voiceMonth),
  points: z.array(womPointStats),
});

// ── Engagement and the calendar ─────────────────────────────────────────────

export const engagementComplaints = z.object({
  levels: z.array(
    z.object({
      level: z.enum(['fully_engaged', 'engaged', 'not_engaged', 'actively_disengaged']).nullable().describe('null: accounts with feedback but no measured engagement'),
      accounts: z.number().int(),
      feedback: z.number().int(),
      complaints: z.number().int(),
      open: z.number().int(),
      resolved: z.number().int(),
      onTime: z.number().int(),
      positive: z.number().int(),
      neutral: z.number().int(),
      negative: z.number().int(),
      complaintsPerAccount: z.number().nullable(),
      onTimePct: z.number().nullable(),
      net: z.number().nullable(),
    }),
  ),
});
export const calendarQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Expected a month (YYYY-MM)') }).strict();
export const calendarResponse = z.object({
  month: z.string(),
  days: z.array(
    z.object({
      date: z.string().describe('Local due date (organization time)'),
      items: z.array(
        z.object({
          id: z.uuid(), status: z.enum(COMPLAINT_STATUSES), kind: z.string(), severity: z.string().nullable(), text: z.string(), accountName: z.string().nullable(),
          personName: z.string().nullable(), dueAt: z.string(), paused: z.boolean(), resolvedAt: z.string().nullable(), overdue: z.boolean(), open: z.boolean(),
        }),
      ),
    }),
  ),
});

// ── Problems resolved (complaint handling beside the survey's engagement; docs/feedback.md) ──
const handlingCounts = z.object({
  on_time: z.number().int(), late: z.number().int(), rejected: z.number().int(), closed_unresolved: z.number().int(), open: z.number().int(), open_overdue: z.number().int(),
});
const handlingLevel = z.enum(['none', 'in_progress', 'good', 'mixed', 'at_risk']);
const surveyLevel = z.enum(['fully_engaged', 'engaged', 'not_engaged', 'actively_disengaged']);
export const accountHandlingResponse = z.object({
  derived: z.literal(true).describe('Derived from complaint handling, not a survey answer: shown beside the engagement level, never in its score'),
  windowDays: z.number().int(),
  level: handlingLevel,
  counts: handlingCounts.describe('Complaints received in the window (open ones whatever their age), by how they were handled'),
  settled: z.number().int(),
  onTimeShare: z.number().nullable(),
  surveyLevel: surveyLevel.nullable(),
  conflictsWithSurvey: z.boolean().describe('The survey says engaged or fully engaged while the complaints say at risk'),
  keyAccount: z.boolean(),
});
export const handlingOverviewResponse = z.object({
  derived: z.literal(true),
  windowDays: z.number().int(),
  rows: z.array(z.object({ surveyLevel: surveyLevel.nullable(), none: z.number().int(), in_progress: z.number().int(), good: z.number().int(), mixed: z.number().int(), at_risk: z.number().int() })),
  conflicts: z.array(z.object({ accountId: z.uuid(), name: z.string(), surveyLevel, openOverdue: z.number().int(), onTimeShare: z.number().nullable() })),
  keyAccountsOverdue: z.array(z.object({ accountId: z.uuid(), name: z.string(), openOverdue: z.number().int(), surveyLevel: surveyLevel.nullable() })),
});
