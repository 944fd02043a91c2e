import { z } from 'zod';

/** The record types a report can read (the list API's URL names). */
export const RECORD_TYPES = ['accounts', 'contacts', 'opportunities', 'interactions', 'tasks', 'orders'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Calendar buckets of a date field, in UTC; weeks start on Monday (ISO 8601). */
export const BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Bucket = (typeof BUCKETS)[number];

/**
 * count: rows; sum/avg/min/max: over a field; winRate: won ÷ (won + lost) of the closed deals;
 * cycleMedian/cycleAvg: days from open to close of the closed deals; weightedSum: Σ field × win probability.
 */
export const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max', 'winRate', 'cycleMedian', 'cycleAvg', 'weightedSum'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

const fieldName = z
  .string()
  .max(100)
  .regex(/^(custom\.)?[A-Za-z][A-Za-z0-9_-]*$/, 'Expected a field name such as ownerId or custom.product');

export const groupBySchema = z
  .object({
    field: fieldName.describe('A field of the record type, `ownerTeam` (the owner’s team), or `custom.<key>`'),
    bucket: z.enum(BUCKETS).optional().describe('For date fields: the calendar bucket (UTC)'),
  })
  .strict();
export type GroupBy = z.infer<typeof groupBySchema>;

export const measureSchema = z
  .object({
    agg: z.enum(AGGREGATES),
    field: fieldName.optional().describe('The measured field (sum, avg, min, max, weightedSum)'),
  })
  .strict();
export type Measure = z.infer<typeof measureSchema>;

/** Filters in the list API's syntax: `field` or `field[op]` → value(s); `q` searches as the list does. */
export const filtersSchema = z
  .record(z.string().max(120), z.union([z.string().max(2000), z.array(z.string().max(2000)).max(200)]))
  .refine((f) => Object.keys(f).length <= 50, 'At most 50 filters');

export const definitionSchema = z
  .object({
    recordType: z.enum(RECORD_TYPES),
    groupBy: z.array(groupBySchema).max(2, 'Group by at most two fields').default([]),
    measures: z.array(measureSchema).min(1, 'Choose at least one measure').max(12),
    filters: filtersSchema.default({}),
    limit: z.number().int().min(1).max(5000).optional().describe('Most groups returned (default 1000); `truncated` says when there were more'),
  })
  .strict()
  .meta({ id: 'ReportDefinition' });
export type ReportDefinition = z.infer<typeof definitionSchema>;
export type ReportDefinitionInput = z.input<typeof definitionSchema>;

const writable = {
  name: z.string().trim().min(1, 'Required').max(200),
  definition: definitionSchema,
  /** Shared reports are visible to everyone in the organization; only the owner or an admin changes them. */
  shared: z.boolean(),
};
export const reportCreate = z.object(writable).partial({ shared: true }).strict();
export const reportUpdate = z.object({ ...writable, version: z.number().int() }).partial().strict();

export const savedReport = z
  .object({
    id: z.uuid(),
    name: z.string(),
    definition: definitionSchema,
    ownerId: z.uuid(),
    shared: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    editable: z.boolean().describe('Whether the caller may change it'),
  })
  .meta({ id: 'SavedReport' });
export type SavedReport = z.infer<typeof savedReport>;

export const UNITS = ['count', 'number', 'money', 'base_money', 'ratio', 'days', 'date'] as const;

export const reportResult = z
  .object({
    recordType: z.enum(RECORD_TYPES),
    baseCurrency: z.string(),
    groupBy: z.array(z.object({ field: z.string(), bucket: z.enum(BUCKETS).nullable() })),
    measures: z.array(z.object({ key: z.string(), agg: z.enum(AGGREGATES), field: z.string().nullable(), unit: z.enum(UNITS) })),
    /** Money measures over fields whose currency varies by row are split by that currency (never added across currencies). */
    byCurrency: z.boolean(),
    rows: z.array(
      z.object({
        keys: z.array(z.string().nullable()).describe('Group values (bucket start date YYYY-MM-DD for time buckets)'),
        labels: z.array(z.string().nullable()).describe('Display names: user, account, vocabulary term, bucket label'),
        currency: z.string().nullable(),
        values: z.array(z.union([z.number(), z.string()]).nullable()).describe('One per measure, in order'),
      }),
    ),
    truncated: z.boolean(),
  })
  .meta({ id: 'ReportResult' });
export type ReportResult = z.infer<typeof reportResult>;
