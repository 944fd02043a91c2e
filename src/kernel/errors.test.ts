import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FieldErrors, withCode } from './errors.ts';
import { buildApp, issueToFieldErrors, type ValidationItem } from './http.ts';
import type { Database } from './db/index.ts';

/** The shape fastify-type-provider-zod 7 gives the error handler for each zod issue. */
function items(schema: z.ZodType, value: unknown): ValidationItem[] {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a failure');
  return r.error.issues.map((issue) => {
    const { path, code, message, ...rest } = issue as unknown as { path: PropertyKey[]; code: string; message: string } & Record<string, unknown>;
    return { keyword: code, instancePath: `/${path.join('/')}`, message, params: rest };
  });
}
const map = (schema: z.ZodType, value: unknown) => items(schema, value).flatMap((v) => issueToFieldErrors(v, 'body'));

describe('zod issues → field errors with stable codes', () => {
  const s = z
    .object({
      name: z.string().trim().min(1, 'Required').max(5),
      code: z.string().min(3),
      email: z.email(),
      employees: z.number().int().min(0).max(100),
      kind: z.enum(['customer', 'prospect']),
      tags: z.array(z.string()).min(1),
    })
    .strict();

  it('names the reason and carries the numbers a translation needs, never the input', () => {
    const out = map(s, { name: 'toolongname', code: 'ab', email: 'nope', employees: 500, kind: 'alien', tags: [], extra: 1, more: 2 });
    const by = Object.fromEntries(out.map((f) => [f.path, f]));
    expect(by.name).toMatchObject({ code: 'too_big', params: { origin: 'string', maximum: 5 } });
    expect(by.code).toMatchObject({ code: 'too_small', params: { origin: 'string', minimum: 3 } });
    expect(by.email).toMatchObject({ code: 'invalid_format', params: { format: 'email' } });
    expect(by.employees).toMatchObject({ code: 'too_big', params: { origin: 'number', maximum: 100 } });
    expect(by.kind).toMatchObject({ code: 'invalid_value', params: { values: ['customer', 'prospect'] } });
    expect(by.tags).toMatchObject({ code: 'too_small', params: { origin: 'array', minimum: 1 } });
    expect(by.extra).toEqual({ path: 'extra', message: 'Unknown field', code: 'unknown_field' });
    expect(by.more).toEqual({ path: 'more', message: 'Unknown field', code: 'unknown_field' });
    expect(JSON.stringify(out)).not.toContain('toolongname');
    // Every error keeps its English message for clients that do not translate.
    for (const f of out) expect(f.message.length).toBeGreaterThan(0);
  });

  it('a missing value or an empty required string is `required`; a wrong type is `invalid_type`', () => {
    const out = map(s, { name: '  ', employees: 'many' });
    const by = Object.fromEntries(out.map((f) => [f.path, f]));
    expect(by.name).toEqual({ path: 'name', message: 'Required', code: 'required' });
    expect(by.code).toMatchObject({ code: 'required' });
    expect(by.employees).toMatchObject({ code: 'invalid_type', params: { expected: 'number' } });
  });

  it('refinements and unions fall back to `invalid`; a root issue points at the request part', () => {
    const refined = z.string().refine((v) => v === 'x', 'Must be x');
    expect(map(refined, 'y')).toEqual([{ path: 'body', message: 'Must be x', code: 'invalid' }]);
    expect(map(z.union([z.string(), z.number()]), true)[0]).toMatchObject({ code: 'invalid' });
  });

  it('older nested issue shape still maps', () => {
    const v: ValidationItem = { keyword: 'custom', instancePath: '', params: { issue: { code: 'too_small', path: ['qty'], message: 'Too small', origin: 'number', minimum: 1 } } };
    expect(issueToFieldErrors(v)).toEqual([{ path: 'qty', message: 'Too small', code: 'too_small', params: { origin: 'number', minimum: 1 } }]);
  });
});

describe('server checks', () => {
  it('carry their code and params; an unlabelled error is sent as invalid (or required for a bare "Required")', () => {
    const errs = new FieldErrors();
    errs.add('accountId', 'Account not found', 'not_found', { entity: 'account' });
    errs.add('custom.x', 'Required');
    errs.add('custom.y', 'Not a date');
    expect(errs.list.map(withCode)).toEqual([
      { path: 'accountId', message: 'Account not found', code: 'not_found', params: { entity: 'account' } },
      { path: 'custom.x', message: 'Required', code: 'required' },
      { path: 'custom.y', message: 'Not a date', code: 'invalid' },
    ]);
  });
});

describe('error responses never echo SQL, parameters or secrets', () => {
  it('wrapped driver errors, client errors with internal text and unexpected errors', async () => {
    const app = await buildApp({ database: { mode: 'pglite', db: {} } as unknown as Database, config: { secureCookies: false, sessionDays: 1, bodyLimit: 1024 } });
    const sqlText = 'Failed query: select * from users where password_hash = $1\nparams: s3cret-value';
    const cases: [string, Error, number][] = [
      ['wrapped-format', Object.assign(new Error(sqlText), { cause: { code: '22P02' } }), 400],
      ['wrapped-unique', Object.assign(new Error(sqlText), { cause: { code: '23505', constraint: 'users_email_key', detail: 'Key (email)=(a@b.c) already exists.' } }), 409],
      ['wrapped-unknown', Object.assign(new Error(sqlText), { cause: { code: 'XX000' } }), 500],
      // A statement timeout (PostgreSQL's statement_timeout, the embedded call timeout) and a lost
      // connection are the database's state, not a bug: 503 with Retry-After.
      ['wrapped-timeout', Object.assign(new Error(sqlText), { cause: { code: '57014' } }), 503],
      ['timeout', Object.assign(new Error('The embedded database did not answer a read within 30000 ms'), { code: '57014' }), 503],
      ['connection-lost', Object.assign(new Error(sqlText), { cause: { code: '08006' } }), 503],
      ['client-with-sql', Object.assign(new Error(sqlText), { statusCode: 400 }), 400],
      ['plain', new Error(`connect postgres://accord:pw@db/accord failed at /work/src/x.ts:1`), 500],
    ];
    for (const [name, err] of cases) app.get(`/t/${name}`, { config: { public: true } }, async () => { throw err; });
    await app.ready();
    for (const [name, , status] of cases) {
      const res = await app.inject({ method: 'GET', url: `/t/${name}` });
      expect(res.statusCode, name).toBe(status);
      expect(res.body, name).not.toMatch(/select|password_hash|s3cret|params|postgres:|\/src\/|a@b\.c/i);
      expect(res.json().error.code, name).toBeTypeOf('string');
      if (status === 503) expect(res.headers['retry-after'], name).toBe('5');
    }
    expect((await app.inject({ method: 'GET', url: '/t/timeout' })).json().error.code).toBe('timeout');
    await app.close();
  });
});
