/**
 * Walks the whole route table (including routes added after this test was written) and proves that
 * no user of organization A, whatever their role, can read or change anything of organization B:
 * B's records are created through each collection's own POST, then A attacks every route with B's
 * ids in the path, the query string and the body. No response to A may contain any id B has stored
 * anywhere, and B's stored data must be byte-for-byte unchanged at the end.
 */
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
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
  orgFingerprint,
  orgIds,
  paramSchema,
  RecordFactory,
  refCollection,
  tenantTables,
  uuidPaths,
  type RouteInfo,
} from './helpers/routes.ts';

const B_MARK = 'OrgBSecret';

describeEachDb('tenant isolation over every route', (mode) => {
  const t = useTestApp(mode);
  let routes: RouteInfo[];
  let names: string[];
  let inject: ReturnType<typeof makeInject>;
  let fa: RecordFactory;
  const aRec: Record<string, Record<string, unknown>> = {};
  const bRec: Record<string, Record<string, unknown>> = {};
  const bDeleted: Record<string, string> = {};
  let bIds: Set<string>;
  let bBefore: Record<string, string>;
  let tables: string[];
  const roles = () => Object.entries(t.org.users) as [string, TestUser][];

  /** Problems are collected so one run lists every leaking route, not just the first. */
  let problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  const report = () => {
    const found = problems;
    problems = [];
    if (found.length) throw new Error(`${found.length} problem(s):\n${found.join('\n')}`);
  };

  /** Whatever the status, A must never see B's ids or B's text (ids A itself sent don't count). */
  function assertNoLeak(res: LightMyRequestResponse, what: string, sent: unknown = '') {
    check(res.statusCode < 500, `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`);
    const body = res.body;
    const echoed = `${what} ${JSON.stringify(sent)}`.toLowerCase();
    const leaked = [...body.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi)]
      .map((m) => m[0].toLowerCase())
      .filter((id) => bIds.has(id) && !echoed.includes(id));
    check(!leaked.length, `${what} leaked org B ids ${leaked.join(', ')}: ${body.slice(0, 300)}`);
    check(!body.toLowerCase().includes(B_MARK.toLowerCase()), `${what} leaked org B text: ${body.slice(0, 300)}`);
  }

  /** A path value for B: its record of the route's collection, or any id B has. */
  const bParam = (route: RouteInfo) => (p: string) => {
    const s = paramSchema(route.op, p);
    if (p === 'id' || isUuidSchema(s)) {
      const c = collectionOf(route.url);
      const own = route.url.endsWith('/restore') ? bDeleted[c] : (bRec[c]?.id as string | undefined);
      return own ?? (bRec[refCollection(p, names) ?? '']?.id as string | undefined) ?? [...bIds][1]!;
    }
    return String(s?.enum?.[0] ?? 'x');
  };
  const hasIdParam = (r: RouteInfo) => r.params.some((p) => p === 'id' || isUuidSchema(paramSchema(r.op, p)));

  beforeAll(async () => {
    routes = await collectRoutes(t);
    names = collections(routes);
    inject = makeInject(t.app);
    fa = new RecordFactory(routes, inject, t.org, 'OrgA');
    const fb = new RecordFactory(routes, inject, t.other, B_MARK);
    for (const c of names) {
      const b = await fb.create(c);
      if (b) bRec[c] = b;
      const a = await fa.create(c);
      if (a) aRec[c] = a;
      // A deleted B record for every collection that has a recycle bin.
      if (routes.some((r) => r.method === 'POST' && r.url === `/api/v1/${c}/:id/restore`)) {
        const gone = await fb.create(c);
        const del = await inject(t.other.users.admin, { method: 'DELETE', url: `/api/v1/${c}/${gone!.id as string}`, headers: { 'if-match': `"${String(gone!.version ?? 1)}"` } });
        expect(del.statusCode, del.body).toBe(200);
        bDeleted[c] = gone!.id as string;
      }
    }
    tables = await tenantTables(t.database);
    bIds = await orgIds(t.database, t.other.id);
    bBefore = await orgFingerprint(t.database, t.other.id, tables);
  }, 600_000);

  it('finds the record collections and creates one of each in both organizations', () => {
    expect(names).toContain('accounts');
    for (const c of names) {
      expect(bRec[c], `no org B record for ${c}`).toBeDefined();
      expect(aRec[c], `no org A record for ${c}`).toBeDefined();
    }
    expect(bIds.size).toBeGreaterThan(names.length);
  });

  it('GET of any B id answers 404 and leaks nothing, for every role', { timeout: 600_000 }, async () => {
    const gets = routes.filter((r) => r.method === 'GET' && hasIdParam(r));
    expect(gets.length).toBeGreaterThan(0);
    for (const route of gets) {
      const url = fillPath(route.url, bParam(route));
      for (const [role, user] of roles()) {
        const res = await inject(user, { method: 'GET', url });
        assertNoLeak(res, `${role} GET ${url}`);
        // A plain record route must look exactly like a missing record.
        if (/\/:id$/.test(route.url)) check(res.statusCode === 404, `${role} GET ${route.url} with B's id → ${res.statusCode}`);
      }
    }
    report();
  });

  it('writes to any B id are refused (403/404, never 409 or 2xx), for every role', { timeout: 600_000 }, async () => {
    const writes = routes.filter((r) => r.method !== 'GET' && hasIdParam(r) && !isPublicAuthRoute(r));
    for (const route of writes) {
      const url = fillPath(route.url, bParam(route));
      const schema = bodySchema(route.op);
      const payload = schema ? await fa.payload(collectionOf(route.url), schema) : undefined;
      for (const [role, user] of roles()) {
        const res = await inject(user, { method: route.method, url, payload: payload as never, headers: { 'if-match': '"1"' } });
        assertNoLeak(res, `${role} ${route.method} ${url}`, payload);
        // 409 (stale version, "not deleted") would tell A the record exists.
        check([400, 403, 404].includes(res.statusCode), `${role} ${route.method} ${route.url} with B's id → ${res.statusCode} ${res.body.slice(0, 200)}`);
        if (route.params.length === 1 && /\/:id(\/restore)?$/.test(route.url)) {
          check([403, 404].includes(res.statusCode), `${role} ${route.method} ${route.url} with B's id → ${res.statusCode} (expected 403/404)`);
        }
      }
    }
    report();
  });

  it('bodies that reference B ids are rejected on every write route', { timeout: 600_000 }, async () => {
    const writes = routes.filter((r) => r.method !== 'GET' && !isPublicAuthRoute(r) && bodySchema(r.op));
    let checked = 0;
    for (const route of writes) {
      const schema = bodySchema(route.op)!;
      const c = collectionOf(route.url);
      // The path points at A's own record so only the body is foreign.
      const aParam = (p: string) => {
        const s = paramSchema(route.op, p);
        if (p === 'id' || isUuidSchema(s)) return (aRec[c]?.id as string | undefined) ?? '00000000-0000-4000-8000-000000000000';
        return String(s?.enum?.[0] ?? 'x');
      };
      for (const { path, array } of uuidPaths(schema)) {
        const field = path[path.length - 1]!;
        const target = refCollection(field, names) ?? c;
        const bId = target === 'users' ? t.other.users.rep.id : ((bRec[target]?.id as string | undefined) ?? (bRec[c]?.id as string));
        if (!bId) continue;
        const payload = await fa.payload(c, schema);
        let node = payload as Record<string, unknown>;
        for (const k of path.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
        node[field] = array ? [bId] : bId;
        // Current version so that only the foreign reference can be the reason for a refusal.
        let ifMatch = '"1"';
        if (route.params.length && aRec[c]) {
          const cur = await inject(t.org.users.admin, { method: 'GET', url: `/api/v1/${c}/${aRec[c].id as string}` });
          if (cur.statusCode === 200) ifMatch = `"${String((cur.json() as { version?: number }).version ?? 1)}"`;
        }
        const url = fillPath(route.url, aParam);
        const res = await inject(t.org.users.admin, { method: route.method, url, payload, headers: { 'if-match': ifMatch } });
        assertNoLeak(res, `admin ${route.method} ${url} with ${path.join('.')} = B's ${target}`, payload);
        check(res.statusCode >= 400, `${route.method} ${route.url} accepted org B's ${target} id in ${path.join('.')}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
    report();
  });

  it('lists, search and every other GET never show B, whatever the query', { timeout: 600_000 }, async () => {
    const gets = routes.filter((r) => r.method === 'GET' && !r.params.length);
    const filterNames = ['id', 'ids', 'ownerId', 'userId', 'entityId', 'orgId', ...names.map((n) => n.replace(/ies$/, 'y').replace(/s$/, '') + 'Id')];
    for (const route of gets) {
      const plain = ['', `q=${B_MARK}`, 'deleted=only', 'limit=500'];
      const withIds: string[] = [];
      // Only filters the route documents (list descriptions name their filterable fields).
      const documented = new Set([...(route.op?.description ?? '').matchAll(/\b([a-z][A-Za-z]*Id|id)\b/g)].map((m) => m[1]!));
      for (const f of filterNames.filter((n) => documented.has(n))) {
        const target = refCollection(f, names);
        const id = target ? (bRec[target]?.id as string | undefined) : (bRec[collectionOf(route.url)]?.id as string | undefined);
        if (id) withIds.push(`${f}=${id}`);
      }
      const ownId = bRec[collectionOf(route.url)]?.id as string | undefined;
      if (ownId) withIds.push(`id[in]=${ownId}`, `ids=${ownId}`);
      for (const p of route.op?.parameters?.filter((x) => x.in === 'query') ?? []) {
        if (isUuidSchema(p.schema) || /Id$/.test(p.name)) {
          const target = refCollection(p.name, names);
          withIds.push(`${p.name}=${(target && (bRec[target]?.id as string | undefined)) ?? (target === 'users' ? t.other.users.rep.id : [...bIds][1])}`);
        }
        else if (p.schema?.enum) for (const v of p.schema.enum) plain.push(`${p.name}=${String(v)}`);
      }
      for (const [role, user] of roles()) {
        // Every role sees the plain views; B's ids in filters are tried by a writer and a reader.
        const queries = role === 'admin' || role === 'rep' || role === 'viewer' ? [...plain, ...withIds] : plain;
        for (const q of queries) {
          const url = q ? `${route.url}?${q}` : route.url;
          assertNoLeak(await inject(user, { method: 'GET', url }), `${role} GET ${url}`);
        }
      }
    }
    report();
  });

  it('left every row of org B exactly as it was', async () => {
    expect(await orgFingerprint(t.database, t.other.id, tables)).toEqual(bBefore);
  });
});
