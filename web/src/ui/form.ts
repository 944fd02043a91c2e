/** Form state validated as you type with a zod schema; server field errors land next to their field. */
import { useCallback, useMemo, useState } from 'react';
import type { z } from 'zod';
import { ApiError } from '../app/api.ts';

/** First message per top-level path; pure, unit-tested. */
export function zodFieldErrors(schema: z.ZodType, values: unknown): Record<string, string> {
  const r = schema.safeParse(values);
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

export function serverFieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const f of err.fields) out[f.path.replace(/^body\./, '')] ??= f.message;
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

export function useZodForm<T extends Record<string, unknown>>(schema: z.ZodType, initial: T) {
  const [values, setValues] = useState<T>(initial);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<Record<string, string>>({});
  const clientErrors = useMemo(() => zodFieldErrors(schema, compactForValidation(values)), [schema, values]);

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
    setServerError: (err: unknown) => setServer(serverFieldErrors(err)),
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
