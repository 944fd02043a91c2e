import { z } from 'zod';
import { measureJson } from './json-limits.ts';

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
            code: z.string().describe('Stable reason, translatable: required, invalid_type, too_small, too_big, invalid_format, invalid_value, unknown_field, not_found, deactivated, unknown_term, already_exists, out_of_range, mismatch, wrong_password, invalid_text (NUL or unpaired surrogate), too_deep, too_many_keys, invalid'),
            params: z.record(z.string(), z.unknown()).optional().describe('Details for the translated message, e.g. {origin, minimum} or {entity}'),
          }),
        )
        .optional(),
      current: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

export const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 428: errorBody, 503: errorBody } as const;

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

const DATE_PART = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * A day that exists on the calendar, years 1–9999: `Date.parse` rolls 2026-02-30 over to March 2
 * and takes year 0, which PostgreSQL then refuses (a 500 or a silently different day).
 */
export function isCalendarDate(s: string): boolean {
  const m = DATE_PART.exec(s);
  if (!m || (s.length !== 10 && s[10] !== 'T' && s[10] !== ' ')) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

/** An ISO 8601 date-time with an offset whose date part exists and whose time is within the day. */
export function isCalendarDateTime(s: string, opts: { offset: 'required' | 'optional' } = { offset: 'required' }): boolean {
  const m = /^\d{4}-\d{2}-\d{2}[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(s);
  if (m && !m[4] && opts.offset === 'required') return false;
  if (!m || !isCalendarDate(s)) return false;
  return Number(m[1]) <= 23 && Number(m[2]) <= 59 && Number(m[3] ?? 0) <= 59 && !Number.isNaN(Date.parse(s));
}

/** The one date rule every feature uses (YYYY-MM-DD, a real calendar day). */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date (YYYY-MM-DD)').refine(isCalendarDate, 'Not a real calendar date');
/** The one date-time rule (ISO 8601 with Z or an offset, a real calendar day). */
export const isoDateTime = z.iso.datetime({ offset: true, error: 'Expected an ISO 8601 date-time', abort: true }).refine(isCalendarDateTime, 'Not a real calendar date-time');
/**
 * A JSON object stored as JSONB as given (custom values, view configs, settings): bounded in
 * depth, keys and serialized size so no single field can grow a row or a query without limit.
 */
export const jsonObject = (limits: { maxDepth?: number; maxKeys?: number; maxBytes?: number } = {}) => {
  const { maxDepth = 8, maxKeys = 1000, maxBytes = 64_000 } = limits;
  return z.record(z.string(), z.unknown()).superRefine((v, ctx) => {
    const text = JSON.stringify(v);
    if (text.length > maxBytes) ctx.addIssue({ code: 'too_big', origin: 'string', maximum: maxBytes, inclusive: true, message: `Too large (${Math.round(maxBytes / 1000)} kB at most)` });
    // The field itself is level 1.
    const shape = measureJson(text, { maxDepth, maxKeys });
    if (shape.depth > maxDepth) ctx.addIssue({ code: 'custom', message: `Nested more than ${maxDepth} levels` });
    if (shape.keys > maxKeys) ctx.addIssue({ code: 'custom', message: `More than ${maxKeys} keys` });
  });
};
export const customValues = jsonObject({ maxDepth: 3, maxKeys: 500, maxBytes: 256_000 });
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
