/**
 * Property-based abuse of every write endpoint under /api/v1 (found from the route table, so new
 * features are covered as they are registered): random JSON, wrong types, huge strings, deep
 * nesting, unknown fields, prototype-pollution keys, bad and foreign ids, junk headers.
 *
 * For every request: never a 5xx; a 4xx carries `error.code` and no stack trace; a refused request
 * leaves every row of the organization exactly as it was (nothing half-written, no audit entry);
 * and the other organization is never touched, whatever the outcome.
 *
 * FUZZ_RUNS (default 10) sets the number of generated requests per route.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { uuidv4 } from 'uuidv7';
import { useTestApp, type TestUser } from './helpers/app.ts';
import { describeEachDb } from './helpers/db.ts';
import {
  bodySchema,
  collectionOf,
  collections,
  collectRoutes,
  fillPath,
  isPublicAuthRoute,
  isUuidSchema,
  makeInject,
  minimalValue,
  orgFingerprints,
  paramSchema,
  RecordFactory,
  tenantTables,
  type JsonSchema,
  type RouteInfo,
} from './helpers/routes.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10);
// Token last-used times and sessions change on every authenticated request by design.
const BOOKKEEPING = ['api_tokens', 'sessions'];
// Stack frames, source paths and SQL text (a driver error's message) never reach a client.
const STACK = /\bat [^\n]*\(?[^\n]*:\d+:\d+\)?|node_modules|\.ts:\d+|failed query|params:|\binsert into\b|\bdelete from\b/i;

const BAD_IDS = ['not-a-uuid', '1', '0', '-1', '%00', '..%2F..', "1' or '1'='1", 'ä', 'x'.repeat(150), '00000000-0000-0000-0000-00000000000g', '{}'];

const junk = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom<unknown>(
      null,
      '',
      ' ',
      -1,
      1e308,
      -0,
      2 ** 53 + 1,
      1.5,
      true,
      [],
      {},
      'x'.repeat(100_000),
      '\u0000',
      'a\u0000b',
      String.fromCharCode(0xd800),
      'x' + String.fromCharCode(0xdc00),
      '\u0001\u001f\u007f\u009f',
      '\u202e\u200b\ufeff',
      '\t\n\r',
      -1e308,
      5e-324,
      Number.MAX_SAFE_INTEGER * 1024,
      -(2 ** 63),
      2 ** 64,
      '99999999999999999999999',
      '0000-01-01',
      '2025-02-29',
      '2026-02-30T10:00:00Z',
      '2026-01-01T25:61:00Z',
      JSON.parse('['.repeat(2000) + ']'.repeat(2000)),
      JSON.parse('{"a":'.repeat(500) + '1' + '}'.repeat(500)),
      '<script>alert(1)</script>',
      "'; drop table accounts; --",
      '2026-02-30',
      '9999-99-99T99:99:99Z',
      'NaN',
      '1e999',
      JSON.parse('['.repeat(50) + ']'.repeat(50)),
      JSON.parse('{"__proto__":{"polluted":1}}'),
      { constructor: { prototype: { polluted: 1 } } },
    ),
    fc.string({ maxLength: 500 }),
    fc.integer(),
    fc.double(),
  );

/** Raw request bodies that are not what a JSON client sends. */
const RAW_BODIES = [
  '{',
  '{"a":',
  '[]',
  'null',
  '"text"',
  '1e999999',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":1,"a":2}',
  '\u0000',
  '['.repeat(5000) + ']'.repeat(5000),
  `{"name":"x","config":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`,
  `{${Array.from({ length: 25_000 }, (_, i) => `"k${i}":1`).join(',')}}`,
  '{"name":"a\\u0000b"}',
  '{"name":"\\ud800"}',
];

describeEachDb('fuzzed writes on every route', (mode) => {
  const t = useTestApp(mode);
  let routes: RouteInfo[];
  let tables: string[];
  let inject: ReturnType<typeof makeInject>;
  let fa: RecordFactory;
  /** Ids the fuzzer may aim at: records made for it (never the test users or their tokens). */
  const pool: Record<string, string[]> = {};
  const foreign: Record<string, string> = {};

  beforeAll(async () => {
    routes = await collectRoutes(t);
    inject = makeInject(t.app);
    fa = new RecordFactory(routes, inject, t.org, 'Fuzz');
    const fb = new RecordFactory(routes, inject, t.other, 'Foreign');
    for (const c of collections(routes)) {
      pool[c] = [];
      for (let i = 0; i < 2; i++) {
        const r = await fa.create(c);
        if (r?.id) pool[c].push(r.id as string);
      }
      const b = await fb.create(c);
      if (b?.id) foreign[c] = b.id as string;
    }
    tables = await tenantTables(t.database);
  }, 600_000);

  function idArb(collection: string | undefined): fc.Arbitrary<string> {
    const mine = collection ? (pool[collection] ?? []) : [];
    const theirs = collection && foreign[collection] ? [foreign[collection]] : Object.values(foreign).slice(0, 1);
    const arbs: fc.Arbitrary<string>[] = [fc.constantFrom(...BAD_IDS), fc.constant(uuidv4()), fc.uuid()];
    if (mine.length) arbs.push(fc.constantFrom(...mine), fc.constantFrom(...mine));
    if (theirs.length) arbs.push(fc.constantFrom(...theirs));
    return fc.oneof(...arbs);
  }

  function paramArb(route: RouteInfo, p: string): fc.Arbitrary<string> {
    const s = paramSchema(route.op, p);
    if (p === 'id' || isUuidSchema(s)) return idArb(collectionOf(route.url));
    const valid = (s?.enum ?? []).map(String);
    return fc.oneof(...(valid.length ? [fc.constantFrom(...valid), fc.constantFrom(...valid)] : []), fc.constantFrom(...BAD_IDS), fc.string({ minLength: 1, maxLength: 80 }));
  }

  /** Bodies shaped like the route's schema with some values replaced by junk or foreign ids, plus unknown keys. */
  async function bodyArb(route: RouteInfo): Promise<fc.Arbitrary<unknown>> {
    const schema = bodySchema(route.op);
    const shapeless = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.string({ maxLength: 20 }), junk(), { maxKeys: 6 }));
    if (!schema) return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, shapeless);
    const full = (await fa.payload(collectionOf(route.url), schema, { all: true }).catch(() => ({}))) as Record<string, unknown>;
    const props = Object.entries((schema as JsonSchema).properties ?? {});
    const field = (name: string, s: JsonSchema): fc.Arbitrary<unknown> => {
      const options: fc.Arbitrary<unknown>[] = [junk()];
      if (name in full) options.push(fc.constant(full[name]), fc.constant(full[name]));
      if (isUuidSchema(s) || /Ids?$/.test(name)) options.push(idArb(undefined).map((id) => (/Ids$|^ids$/.test(name) ? [id] : id)));
      return fc.oneof(...options);
    };
    const shaped = fc
      .tuple(
        fc.record(Object.fromEntries(props.map(([k, s]) => [k, field(k, s)])), { requiredKeys: [] }),
        fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 30 }), junk(), { maxKeys: 3 }), { nil: undefined }),
      )
      .map(([known, unknown]) => ({ ...known, ...(unknown ?? {}) }));
    return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: shapeless }, { weight: 1, arbitrary: fc.constant(full) });
  }

  function checkResponse(res: LightMyRequestResponse, what: string): string | undefined {
    if (res.statusCode >= 500) return `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`;
    if (STACK.test(res.body)) return `${what} → stack trace or source path in the body: ${res.body.slice(0, 300)}`;
    if (res.statusCode >= 400) {
      let code: unknown;
      try {
        code = (JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } }).error?.code;
      } catch {
        return `${what} → ${res.statusCode} without a JSON body: ${res.body.slice(0, 200)}`;
      }
      if (typeof code !== 'string') return `${what} → ${res.statusCode} without error.code: ${res.body.slice(0, 200)}`;
    }
    return undefined;
  }

  it('no 5xx, clear 4xx, no partial write and no foreign write on any write route', { timeout: 900_000 }, async () => {
    const writes = routes.filter((r) => r.method !== 'GET' && !isPublicAuthRoute(r));
    expect(writes.length).toBeGreaterThan(5);
    const users: TestUser[] = [t.org.users.admin, t.org.users.admin, t.org.users.manager, t.org.users.rep, t.org.users.viewer];
    const orgs = [t.org.id, t.other.id];
    let state = await orgFingerprints(t.database, orgs, tables, BOOKKEEPING);
    const failures: string[] = [];

    for (const route of writes) {
      const params = fc.tuple(...route.params.map((p) => paramArb(route, p)));
      const body = await bodyArb(route);
      const raw = fc.constantFrom(...RAW_BODIES);
      const ifMatch = fc.option(fc.oneof(fc.constantFrom('"1"', '"2"', 'W/"1"', '*', '"-1"', '"99999999999999999999"', 'abc', ''), fc.string({ maxLength: 20 })), { nil: undefined });
      const request = fc.record({
        user: fc.constantFrom(...users),
        params,
        body: fc.oneof({ weight: 5, arbitrary: body.map((b) => ({ raw: false as const, b })) }, { weight: 1, arbitrary: raw.map((b) => ({ raw: true as const, b })) }),
        ifMatch,
      });
      // Building the body may create referenced records: start from the state after that.
      state = await orgFingerprints(t.database, orgs, tables, BOOKKEEPING);
      try {
        await fc.assert(
          fc.asyncProperty(request, async ({ user, params: values, body: { raw: isRaw, b }, ifMatch: im }) => {
            let i = 0;
            const url = route.params.length ? fillPath(route.url, () => values[i++]!) : route.url;
            const headers: Record<string, string> = {};
            if (im !== undefined) headers['if-match'] = im;
            if (isRaw || b !== undefined) headers['content-type'] = 'application/json';
            const res = await inject(user, { method: route.method, url, payload: isRaw ? b : b === undefined ? undefined : JSON.stringify(b), headers });
            const what = `${user.role} ${route.method} ${url}`;
            const problem = checkResponse(res, what);
            if (problem) throw new Error(problem);
            if (({} as Record<string, unknown>).polluted !== undefined) throw new Error(`${what} polluted Object.prototype`);
            const after = await orgFingerprints(t.database, orgs, tables, BOOKKEEPING);
            const before = state;
            state = after;
            if (differs(before[t.other.id]!, after[t.other.id]!)) {
              throw new Error(`${what} → ${res.statusCode} changed rows of the OTHER organization: ${changed(before[t.other.id]!, after[t.other.id]!)}`);
            }
            if (res.statusCode >= 400 && differs(before[t.org.id]!, after[t.org.id]!)) {
              throw new Error(`${what} → ${res.statusCode} refused but changed ${changed(before[t.org.id]!, after[t.org.id]!)}: ${res.body.slice(0, 200)}`);
            }
          }),
          { numRuns: RUNS, endOnFailure: true },
        );
      } catch (e) {
        const err = e as Error & { cause?: Error };
        const why = err.cause?.message ?? err.message.split('\n').find((l) => /Got error|→/.test(l)) ?? err.message;
        const example = err.message.split('\n').find((l) => l.startsWith('Counterexample')) ?? '';
        failures.push(`${route.method} ${route.url}: ${why.slice(0, 600)}\n   ${example.slice(0, 600)}`);
        state = await orgFingerprints(t.database, orgs, tables, BOOKKEEPING);
      }
    }
    if (failures.length) throw new Error(`${failures.length} route(s) failed:\n${failures.join('\n')}`);
  });

  it('the generated payloads reach the handlers (not everything is a 400)', async () => {
    // Guards the fuzzer itself: a valid full payload must be accepted on the account POST.
    const schema = bodySchema(routes.find((r) => r.method === 'POST' && r.url === '/api/v1/accounts')!.op)!;
    const payload = await minimalValue(schema, 'accounts', { idOf: async (c) => pool[c]?.[0], collections: collections(routes), marker: 'Fuzz' });
    const res = await inject(t.org.users.admin, { method: 'POST', url: '/api/v1/accounts', payload });
    expect(res.statusCode, res.body).toBe(201);
  });
});

/** Tables whose digest differs. Compared per key: the digest query's row order (hence key order) is not fixed. */
function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]);
}
const differs = (before: Record<string, string>, after: Record<string, string>) => changedTables(before, after).length > 0;
const changed = (before: Record<string, string>, after: Record<string, string>) => changedTables(before, after).join(', ');
