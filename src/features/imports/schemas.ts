/** Request and response shapes of /api/v1/imports and /api/v1/exports (zod only: the web app imports this). */
import { z } from 'zod';
import { EXPORT_ENTITIES, IMPORT_ENTITIES } from './fields.ts';

export const importEntitySchema = z.enum(IMPORT_ENTITIES);
export const importFormatSchema = z.enum(['csv', 'vcard']);
export const onDuplicateSchema = z.enum(['skip', 'update']);

/** Column header → target field key ('' or absent: the column is ignored). */
export const mappingSchema = z.record(z.string(), z.string());

const boolish = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');
/** Multipart uploads carry the mapping as a JSON string. */
const mappingField = z.union([mappingSchema, z.string().transform((s, ctx) => {
  try {
    return mappingSchema.parse(JSON.parse(s));
  } catch {
    ctx.addIssue({ code: 'custom', message: 'mapping must be a JSON object of header → field' });
    return z.NEVER;
  }
})]);

/** A file's values → terms (rules.ts ValueMap): per field, value → term key, null (empty), or several fields at once (a stage → status + buying stage). */
export const valueMapSchema = z.record(z.string(), z.record(z.string(), z.union([z.string(), z.null(), z.record(z.string(), z.string().nullable())])));
const valueMapField = z.union([valueMapSchema, z.string().transform((s, ctx) => {
  try {
    return valueMapSchema.parse(JSON.parse(s));
  } catch {
    ctx.addIssue({ code: 'custom', message: 'valueMap must be a JSON object of field → { value → term }' });
    return z.NEVER;
  }
})]);

/** Options that change how rows are read: shared by the import and its preview. */
const readingOptions = {
  /** The source system of the file's external ids ("salesforce", "hubspot", "pipedrive"…) when the file has no external_source column. */
  externalSource: z.string().trim().min(1).max(100).optional().describe('Source system of the external ids (default "import")'),
  valueMap: valueMapField.optional().describe('Per field: file value → term key, null for empty, or an object setting several fields (stage → status + buying stage)'),
  dateOrder: z.enum(['ymd', 'mdy', 'dmy']).optional().describe('How to read 03/05/2026: mdy (US), dmy; default only year-first dates'),
  withoutAccount: z.enum(['reject', 'placeholder']).optional().describe('A record without any account reference: a row error (default) or attached to one shared placeholder account'),
  placeholderAccountName: z.string().trim().min(1).max(300).optional().describe('Name of the placeholder account (default "Unknown account")'),
  surveyId: z.string().uuid().optional().describe('Survey results: the Accord survey the answers count in; its items are the mapping targets item.<id> (default: the item bank, answers in no survey)'),
  surveyVersion: z.coerce.number().int().min(1).max(100000).optional().describe('Survey results: the version of that survey the file answers (default its current version)'),
};

/** Options of an import, as query string or multipart fields next to the file. */
export const importOptionsSchema = z.object({
  entity: importEntitySchema,
  format: importFormatSchema.default('csv'),
  mapping: mappingField.optional(),
  dryRun: boolish.default(false),
  onDuplicate: onDuplicateSchema.default('skip'),
  /** Contacts (and, when asked, other records) whose account is given by name but unknown create it. */
  createAccounts: boolish.optional(),
  /** Price lists, lines and deals that name an unknown product: create it (code and name from the file) instead of a row error. */
  createProducts: boolish.optional().describe('Create products the file names that do not exist (default: a row error)'),
  /** Accounts whose names are at least this similar (pg_trgm, 0–1) count as duplicates. */
  similarity: z.coerce.number().min(0.3).max(1).optional(),
  /** Owners (by email or full name) that match no user become inactive users without a login. */
  createUsers: boolish.optional().describe('Create missing owners as inactive users without a login (default: a row error)'),
  ...readingOptions,
});
export type ImportOptionsInput = z.input<typeof importOptionsSchema>;

export const previewOptionsSchema = z.object({
  entity: importEntitySchema,
  format: importFormatSchema.default('csv'),
  mapping: mappingField.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  ...readingOptions,
});

export const suggestMappingBodySchema = z.object({
  entity: importEntitySchema,
  headers: z.array(z.string()).max(500),
});
export const suggestMappingResponseSchema = z.object({ mapping: mappingSchema });

export const rowErrorSchema = z.object({ line: z.number().int(), field: z.string().nullable(), message: z.string() });
export type RowError = z.infer<typeof rowErrorSchema>;

export const previewResponseSchema = z.object({
  encoding: z.string(),
  delimiter: z.string().nullable(),
  headers: z.array(z.string()),
  mapping: mappingSchema,
  /** Why the mapping cannot be imported yet (a required field has no column…), null when it can. */
  mappingError: z.string().nullable(),
  /** Fields of the entity, for the wizard's drop-downs: the built-in ones, then the organization's custom fields (`custom.<key>`, type `custom_<type>`, with their labels and options). */
  fields: z.array(z.object({
    key: z.string(),
    required: z.boolean(),
    type: z.string(),
    label: z.record(z.string(), z.string()).optional(),
    options: z.array(z.string()).optional(),
  })),
  rows: z.array(z.object({
    line: z.number().int(),
    values: z.record(z.string(), z.string().nullable()),
    errors: z.array(z.object({ field: z.string().nullable(), message: z.string() })),
  })),
  /** Every distinct value of each list column (vocabulary, fixed list, country) in the whole file, with its count and match: the value-mapping tables. */
  values: z.array(z.object({
    field: z.string(),
    header: z.string(),
    more: z.boolean().describe('More than 500 distinct values: only the first 500 are listed'),
    values: z.array(z.object({
      value: z.string(),
      count: z.number().int(),
      match: z.enum(['exact', 'case', 'label', 'none']),
      term: z.union([z.string(), z.record(z.string(), z.string()), z.null()]).describe('The suggested term (or fields, for a won/lost stage); null: none'),
    })),
  })),
});
export type PreviewResponse = z.infer<typeof previewResponseSchema>;

export const importResultSchema = z.object({
  jobId: z.string().uuid(),
  status: z.enum(['pending', 'running', 'done', 'failed', 'interrupted']),
  dryRun: z.boolean(),
  totalRows: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  duplicates: z.number().int(),
  errors: z.number().int(),
  accountsCreated: z.number().int(),
  /** Owners created as inactive users (createUsers). */
  usersCreated: z.number().int(),
  /** Records attached to the placeholder account (withoutAccount: placeholder). */
  placeholderAccountRows: z.number().int(),
  /** Products created because the file named them (createProducts). */
  productsCreated: z.number().int(),
  /** Updated deals (orders) that kept their amount and currency because their lines decide them (onDuplicate update). */
  amountsKept: z.number().int(),
  /** The first rows in error (all of them are in GET /imports/:id/errors.csv). */
  errorRows: z.array(rowErrorSchema),
});
export type ImportResult = z.infer<typeof importResultSchema>;

/** `interrupted`: the process running the job died; nothing after its last saved step was kept (run it again). */
export const importJobSchema = z.object({
  id: z.string().uuid(),
  entity: importEntitySchema,
  format: importFormatSchema,
  status: z.enum(['pending', 'running', 'done', 'failed', 'interrupted']),
  dryRun: z.boolean(),
  filename: z.string().nullable(),
  mapping: mappingSchema,
  options: z.record(z.string(), z.unknown()),
  totalRows: z.number().int(),
  processedRows: z.number().int(),
  phase: z.enum(['reading', 'merging', 'done']).nullable().describe('reading: processedRows counts the rows read; merging: every row is read and references, duplicates and writes are being done (one transaction, committed at the end); null: not started'),
  inserted: z.number().int(),
  updated: z.number().int(),
  duplicates: z.number().int(),
  errorCount: z.number().int(),
  accountsCreated: z.number().int(),
  usersCreated: z.number().int(),
  placeholderAccountRows: z.number().int(),
  /** Products created because the file named them (createProducts). */
  productsCreated: z.number().int(),
  /** Updated deals (orders) that kept their amount and currency because their lines decide them. */
  amountsKept: z.number().int(),
  message: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type ImportJob = z.infer<typeof importJobSchema>;

export const importJobParamsSchema = z.object({ id: z.string().uuid() });

/** Filters an export honours (a subset of the list API's). */
export const exportFiltersSchema = z.object({
  q: z.string().max(200).optional(),
  ownerId: z.string().uuid().optional(),
  accountId: z.string().uuid().optional(),
  updatedSince: z.string().datetime({ offset: true }).optional(),
  ids: z.union([z.array(z.string().uuid()), z.string().transform((s) => s.split(',').filter(Boolean))]).optional(),
});
export type ExportFilters = z.infer<typeof exportFiltersSchema>;

export const exportQuerySchema = exportFiltersSchema.extend({
  format: z.enum(['csv', 'vcard']).default('csv'),
  version: z.enum(['3.0', '4.0']).default('4.0'),
});
export const exportParamsSchema = z.object({ entity: z.enum(EXPORT_ENTITIES) });
