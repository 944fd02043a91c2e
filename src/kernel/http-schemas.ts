import { z } from 'zod';

export const idParams = z.object({ id: z.uuid({ error: 'Not a valid id' }) });

export const errorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z
        .array(
          z.object({
            path: z.string(),
            message: z.string().describe('English; shown when the client has no translation for `code`'),
            code: z.string().describe('Stable reason, translatable: required, invalid_type, too_small, too_big, invalid_format, invalid_value, unknown_field, not_found, deactivated, unknown_term, already_exists, out_of_range, mismatch, wrong_password, invalid'),
            params: z.record(z.string(), z.unknown()).optional().describe('Details for the translated message, e.g. {origin, minimum} or {entity}'),
          }),
        )
        .optional(),
      current: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

export const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 428: errorBody } as const;

export const listQuerySchema = z
  .object({
    limit: z.string().optional().describe('Page size, 1–500 (default 50)'),
    cursor: z.string().optional().describe('nextCursor of the previous page'),
    sort: z.string().optional().describe('Field to sort by; prefix with - for descending'),
    q: z.string().max(200).optional().describe('Text search across names and emails (any language, substring)'),
    count: z.enum(['true', 'false', '1', '0']).optional().describe('Also return the total number of matches'),
    deleted: z.enum(['only', 'exclude']).optional().describe('deleted=only lists the recycle bin'),
  })
  .catchall(z.union([z.string(), z.array(z.string())]));

export const listResponse = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable(), total: z.number().int().optional() });

/** Money travels as a decimal string (no float rounding); numbers are accepted on input. */
export const money = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .pipe(z.string().regex(/^-?\d{1,16}(\.\d{1,2})?$/, 'Expected an amount with at most 2 decimals'));
/** A web address; a bare domain ("gm-lighting.cn") is read as https://gm-lighting.cn, as people type it. */
export const withScheme = (v: string) => (/^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(:\d+)?([/?#]|$)/i.test(v) ? `https://${v}` : v);
export const webAddress = z.string().trim().transform(withScheme).pipe(z.url().max(500));
export const currency = z.string().regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code such as USD');
export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'Expected an ISO 3166 alpha-2 code such as CN');
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date (YYYY-MM-DD)').refine((s) => !Number.isNaN(Date.parse(s)), 'Not a real date');
export const isoDateTime = z.iso.datetime({ offset: true, error: 'Expected an ISO 8601 date-time' });
export const customValues = z.record(z.string(), z.unknown());
export const tagList = z.array(z.string().trim().min(1).max(60)).max(50);

/** Fields every stored record returns. */
export const recordMeta = {
  id: z.uuid(),
  version: z.number().int(),
  custom: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.uuid().nullable(),
  updatedBy: z.uuid().nullable(),
  deletedAt: z.string().nullable(),
};

/** A read-only display name the server adds next to a reference id (`accountName` beside `accountId`); null when unset. */
export const refName = (of: string) => z.string().nullable().describe(`Read-only: the ${of}'s name, looked up by the server when read; not writable`);
