/** Form state validated as you type with a zod schema; server field errors land next to their field. */
import { useCallback, useMemo, useState } from 'react';
import type { z } from 'zod';
import { ApiError, type FieldError } from '../app/api.ts';

type Translate = (key: string, opts?: Record<string, unknown>) => string;
type Issue = { code: string; path: PropertyKey[]; message: string; minimum?: unknown; maximum?: unknown; format?: string; origin?: string };

/**
 * The server's schemas speak English; the user may not. Turn an issue into a message in the
 * user's language by its code (the English message is the fallback when no translator is given).
 */
export function localizeIssue(issue: Issue, value: unknown, t?: Translate): string {
  if (!t) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined || value === null || value === '' ? t('validation.required') : t('validation.invalid');
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) <= 1) return t('validation.required');
      if (issue.origin === 'string') return t('validation.tooShort', { min: Number(issue.minimum) });
      if (issue.origin === 'array') return t('validation.required');
      return t('validation.min', { min: Number(issue.minimum) });
    case 'too_big':
      return issue.origin === 'string' ? t('validation.tooLong', { max: Number(issue.maximum) }) : t('validation.max', { max: Number(issue.maximum) });
    case 'invalid_format':
      if (issue.format === 'email') return t('validation.email');
      if (issue.format === 'url') return t('validation.url');
      return t('validation.format');
    case 'invalid_value':
    case 'invalid_union':
      return t('validation.invalid');
    default:
      return t('validation.invalid');
  }
}

/** First message per path; pure, unit-tested. */
export function zodFieldErrors(schema: z.ZodType | z.ZodType[], values: unknown, t?: Translate): Record<string, string> {
  // Several schemas (ours and the server's) are checked side by side, not intersected: their
  // transforms (e.g. money number → string) would not merge.
  const issues = (Array.isArray(schema) ? schema : [schema]).flatMap((s) => {
    const r = s.safeParse(values);
    return r.success ? [] : r.error.issues;
  });
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? '_' : '_');
    if (issue.code === 'unrecognized_keys') continue;
    const top = issue.path[0];
    const value = top !== undefined && values && typeof values === 'object' ? (values as Record<string, unknown>)[String(top)] : undefined;
    if (!(key in out)) out[key] = localizeIssue(issue as unknown as Issue, value, t);
  }
  return out;
}

const ENTITY_KEYS = new Set(['account', 'contact', 'opportunity', 'user', 'interaction', 'task']);

/**
 * A server field error in the user's language, by its stable code; codes the app does not know
 * (or `invalid`, "read the message") keep the server's English message.
 */
export function localizeFieldError(f: FieldError, t?: Translate): string {
  if (!t || !f.code) return f.message;
  const p = f.params ?? {};
  switch (f.code) {
    case 'required':
      return t('validation.required');
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
      return localizeIssue({ code: f.code, path: [], message: f.message, origin: p.origin as string, minimum: p.minimum, maximum: p.maximum, format: p.format as string }, 'x', t);
    case 'invalid_type':
    case 'invalid_value':
      return t('validation.invalid');
    case 'not_found': {
      const entity = String(p.entity ?? '');
      return ENTITY_KEYS.has(entity) ? t('serverError.notFound', { what: t(`serverError.entity.${entity}`) }) : t('serverError.notFoundAny');
    }
    case 'unknown_field':
      return t('serverError.unknownField');
    case 'deactivated':
      return t('serverError.deactivated');
    case 'unknown_term':
      return t('serverError.unknownTerm', { value: String(p.value ?? '') });
    case 'mismatch':
      return t('serverError.mismatch');
    case 'already_exists':
      return t('serverError.alreadyExists');
    case 'out_of_range':
      return t('serverError.outOfRange');
    case 'wrong_password':
      return t('serverError.wrongPassword');
    default:
      return f.message;
  }
}

/** A one-line message for a toast: field problems are shown at their fields, so just point there. */
export function errorSummary(err: unknown, t: Translate): string {
  if (err instanceof ApiError && err.code === 'validation_error' && err.fields.length) return t('serverError.checkFields');
  return (err as Error).message;
}

/** First error per field, translated when `t` is given. */
export function serverFieldErrors(err: unknown, t?: Translate): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const f of err.fields) out[f.path.replace(/^body\./, '')] ??= localizeFieldError(f, t);
  return out;
}

/** Drop empty strings so optional fields are omitted rather than sent blank. */
export function compact(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === '' || v === undefined || v === null) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out;
}

export function useZodForm<T extends Record<string, unknown>>(schema: z.ZodType | z.ZodType[], initial: T, t?: Translate) {
  const [values, setValues] = useState<T>(initial);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<Record<string, string>>({});
  const clientErrors = useMemo(() => zodFieldErrors(schema, compactForValidation(values), t), [schema, values, t]);

  const set = useCallback((key: string, v: unknown) => {
    setValues((prev) => ({ ...prev, [key]: v }));
    setTouched((prev) => ({ ...prev, [key]: true }));
    setServer((prev) => {
      if (!(key in prev)) return prev;
      const { [key]: _, ...rest } = prev;
      return rest;
    });
  }, []);

  const errorOf = (key: string): string | undefined => server[key] ?? ((touched[key] || submitted) ? clientErrors[key] : undefined);

  return {
    values,
    set,
    setValues,
    errorOf,
    isValid: Object.keys(clientErrors).length === 0,
    clientErrors,
    /** Mark everything touched; returns whether the form may be sent. */
    validate: () => {
      setSubmitted(true);
      return Object.keys(clientErrors).length === 0;
    },
    setServerError: (err: unknown) => setServer(serverFieldErrors(err, t)),
    serverErrors: server,
    reset: (v: T) => {
      setValues(v);
      setTouched({});
      setSubmitted(false);
      setServer({});
    },
  };
}

/** Optional fields left empty validate as absent. */
function compactForValidation(values: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (v !== '' && v !== null && v !== undefined) out[k] = v;
  return out;
}
