/**
 * One rule for every string a request carries (body, query string, path parameters, object keys):
 * no NUL character (PostgreSQL text and JSONB cannot hold it; it used to end in a 500) and no lone
 * UTF-16 surrogate (not encodable as UTF-8; it used to be replaced silently with U+FFFD). Either is a
 * 400 naming the field, before validation and before any handler runs.
 */
import type { FastifyInstance } from 'fastify';
import { badRequest, type FieldError } from './errors.ts';

/** Why a string cannot be stored as given, or undefined when it can. */
export function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'Contains a NUL character (\\u0000)';
  if (!(s as string & { isWellFormed(): boolean }).isWellFormed()) return 'Contains an unpaired UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

const printable = (k: string) => k.replaceAll('\u0000', '\\u0000').replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

/** Every bad string (and key) in a parsed JSON value or query object, with its dotted path. */
export function findTextProblems(value: unknown, path: string[] = [], out: FieldError[] = [], limit = 20): FieldError[] {
  if (out.length >= limit) return out;
  if (typeof value === 'string') {
    const p = textProblem(value);
    if (p) out.push({ path: path.join('.') || 'body', message: p, code: 'invalid_text' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findTextProblems(v, [...path, String(i)], out, limit));
  } else if (value && typeof value === 'object' && isPlain(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = textProblem(k);
      if (p) out.push({ path: [...path, printable(k)].join('.'), message: `Field name: ${p}`, code: 'invalid_text' });
      else findTextProblems(v, [...path, k], out, limit);
    }
  }
  return out;
}

/** Data objects only (parsed query strings have a bare prototype): an upload's stream or a Buffer is not walked. */
const isPlain = (v: object) => !ArrayBuffer.isView(v) && typeof (v as { pipe?: unknown }).pipe !== 'function';

export function registerTextRules(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    // No route matched: the 404 handler answers, whatever the path holds.
    if (req.is404) return;
    const found = [
      ...findTextProblems(req.params),
      ...findTextProblems(req.query),
      ...(req.body !== undefined ? findTextProblems(req.body) : []),
    ];
    if (found.length) throw badRequest(found.map((f) => `${f.path}: ${f.message}`).join('; '), found);
  });
}
