/**
 * Role rules on every record collection of the route table: viewers never write; reps change what
 * they own, what a teammate owns and what nobody owns, but not another team's; managers change all.
 */
import { looksLikeApi } from '../src/kernel/http.ts';
import { beforeAll, expect, it } from 'vitest';
import { useTestApp, type TestUser } from './helpers/app.ts';
import { describeEachDb } from './helpers/db.ts';
import { collections, collectRoutes, fillPath, isPublicTokenRoute, makeInject, orgFingerprint, pathSpellings, PUBLIC_TOKEN_ROUTES, RecordFactory, tenantTables, type RouteInfo } from './helpers/routes.ts';

/**
 * Administration collections have their own (admin-only) rules, tested in their features; saved
 * views and saved reports are personal (every user, viewers included, keeps their own; a shared
 * report is read by all and changed only by its owner or an admin — features/reports).
 */
const ADMIN_ONLY = new Set(['users', 'custom-fields', 'tokens', 'views', 'reports']);

describeEachDb('role rules on every record collection', (mode) => {
  const t = useTestApp(mode);
  let routes: RouteInfo[];
  let inject: ReturnType<typeof makeInject>;
  let factory: RecordFactory;
  let records: string[];
  const has = (method: string, url: string) => routes.some((r) => r.method === method && r.url === url);

  beforeAll(async () => {
    routes = await collectRoutes(t);
    inject = makeInject(t.app);
    factory = new RecordFactory(routes, inject, t.org, 'Perm');
    // Collections with the standard record routes.
    records = collections(routes).filter((c) => !ADMIN_ONLY.has(c) && has('PATCH', `/api/v1/${c}/:id`) && has('GET', `/api/v1/${c}/:id`));
  }, 300_000);

  it('no spelling of any route reaches a handler without credentials (401 or 404, never 2xx or 5xx)', { timeout: 600_000 }, async () => {
    const problems: string[] = [];
    let tried = 0;
    // Every route of the table (health, login and the survey token routes are the only public ones), each
    // path spelled every way a router or proxy might decode or normalise it.
    const guarded = routes.filter((r) => r.url !== '/api/v1/health' && r.url !== '/api/v1/auth/login' && !isPublicTokenRoute(r));
    // Nothing else is registered public.
    expect(guarded.filter((r) => r.public).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(guarded.length).toBeGreaterThan(20);
    for (const r of guarded) {
      const path = fillPath(r.url, () => '01890a5d-ac96-774b-bcce-b302099a8057');
      for (const url of pathSpellings(path)) {
        tried++;
        const res = await t.app.inject({ method: r.method, url, payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
        // A spelling that normalises to a path outside /api (`/api/%2e%2e/v1/…` is `/v1/…`) is a
        // client-side route of the web app when it is built: its page, not a handler.
        const webPage = res.statusCode === 200 && r.method === 'GET' && String(res.headers['content-type']).startsWith('text/html') && res.body.startsWith('<!doctype html>');
        if (webPage && !looksLikeApi(new URL(url, 'http://x').pathname)) continue;
        if (res.statusCode !== 401 && res.statusCode !== 404) problems.push(`anonymous ${r.method} ${url} → ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(tried).toBeGreaterThan(guarded.length * 10);
    if (problems.length) throw new Error(`${problems.length} of ${tried} requests got through:\n${problems.slice(0, 60).join('\n')}`);
  });

  it('the survey token routes answer an unknown token, however spelled, with 404 (or 400 for a NUL), never data', { timeout: 600_000 }, async () => {
    const open = routes.filter(isPublicTokenRoute);
    expect(open.map((r) => r.url).sort()).toEqual([...PUBLIC_TOKEN_ROUTES, ...PUBLIC_TOKEN_ROUTES].filter((u, i, a) => a.indexOf(u) === i).sort());
    const problems: string[] = [];
    for (const r of open) {
      for (const token of ['01890a5d-ac96-774b-bcce-b302099a8057', 's_' + 'A'.repeat(22) + '.' + 'A'.repeat(43)]) {
        const path = fillPath(r.url, () => token);
        for (const url of [path, ...pathSpellings(path)]) {
          const res = await t.app.inject({ method: r.method, url, payload: r.method === 'GET' ? undefined : {} });
          const webPage = res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/html');
          if (webPage && !looksLikeApi(new URL(url, 'http://x').pathname)) continue;
          const nul = url.includes('%00');
          if (!(res.statusCode === 404 || res.statusCode === 401 || (nul && res.statusCode === 400))) problems.push(`anonymous ${r.method} ${url} → ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
      }
    }
    if (problems.length) throw new Error(problems.join('\n'));
  });

  it('viewers can read but never create, change, delete or restore', { timeout: 600_000 }, async () => {
    const { viewer } = t.org.users;
    const tables = await tenantTables(t.database);
    const problems: string[] = [];
    for (const c of records) {
      const rec = await factory.create(c);
      const id = rec!.id as string;
      // feedback_sweeps is when reads last caught up (feedback/sweep.ts): a read may move it, like a session.
      const before = await orgFingerprint(t.database, t.org.id, tables, ['api_tokens', 'sessions', 'feedback_sweeps']);
      const payload = await factory.payload(c, undefined);
      const attempts: [string, string, unknown][] = [
        // The very payload an admin just created a record with: only the role can refuse it.
        ['POST', `/api/v1/${c}`, factory.lastPayload.get(c)],
        ['PATCH', `/api/v1/${c}/${id}`, payload],
        ['DELETE', `/api/v1/${c}/${id}`, undefined],
      ];
      if (has('POST', `/api/v1/${c}/:id/restore`)) attempts.push(['POST', `/api/v1/${c}/${id}/restore`, undefined]);
      if (has('POST', `/api/v1/${c}/bulk-update`)) attempts.push(['POST', `/api/v1/${c}/bulk-update`, { ids: [id], patch: {} }]);
      for (const [method, url, body] of attempts) {
        const res = await inject(viewer, { method: method as 'POST', url, payload: body, headers: { 'if-match': `"${String(rec!.version ?? 1)}"` } });
        if (res.statusCode !== 403) problems.push(`viewer ${method} ${url} → ${res.statusCode} ${res.body.slice(0, 150)}`);
      }
      const read = await inject(viewer, { method: 'GET', url: `/api/v1/${c}/${id}` });
      if (read.statusCode !== 200) problems.push(`viewer GET /api/v1/${c}/:id → ${read.statusCode}`);
      const after = await orgFingerprint(t.database, t.org.id, tables, ['api_tokens', 'sessions', 'feedback_sweeps']);
      if (JSON.stringify(after) !== JSON.stringify(before)) problems.push(`viewer attempts on ${c} changed data`);
    }
    if (problems.length) throw new Error(problems.join('\n'));
  });

  it('reps change their own, their team’s and unowned records, not another team’s; managers change all', { timeout: 600_000 }, async () => {
    const { rep, rep2, otherTeamRep, manager } = t.org.users;
    const problems: string[] = [];
    let checked = 0;
    for (const c of records) {
      // Collections whose records have an owner the creator becomes.
      const probe = await factory.create(c, otherTeamRep).catch(() => undefined);
      if (!probe || !('ownerId' in probe)) continue;
      checked++;
      const tryEdit = async (who: TestUser, id: string) => {
        const cur = (await inject(manager, { method: 'GET', url: `/api/v1/${c}/${id}` })).json() as { version: number };
        return (await inject(who, { method: 'PATCH', url: `/api/v1/${c}/${id}`, payload: {}, headers: { 'if-match': `"${cur.version}"` } })).statusCode;
      };
      const foreign = probe.id as string;
      const own = (await factory.create(c, rep))!.id as string;
      const team = (await factory.create(c, rep2))!.id as string;
      const expectations: [string, TestUser, string, number][] = [
        ['own', rep, own, 200],
        ['teammate’s', rep, team, 200],
        ['other team’s', rep, foreign, 403],
        ['other team’s (as manager)', manager, foreign, 200],
      ];
      // Unowned (the shared pool), if the collection allows no owner.
      const pool = (await factory.create(c, otherTeamRep))!;
      const unowned = await inject(manager, { method: 'PATCH', url: `/api/v1/${c}/${pool.id as string}`, payload: { ownerId: null }, headers: { 'if-match': `"${String(pool.version)}"` } });
      if (unowned.statusCode === 200) expectations.push(['unowned', rep, pool.id as string, 200]);
      for (const [what, who, id, status] of expectations) {
        const got = await tryEdit(who, id);
        if (got !== status) problems.push(`${c}: ${who.role} editing ${what} record → ${got} (expected ${status})`);
      }
      // Reps may not hand records to another team.
      const give = await inject(rep, { method: 'PATCH', url: `/api/v1/${c}/${own}`, payload: { ownerId: otherTeamRep.id }, headers: { 'if-match': `"${String(((await inject(rep, { method: 'GET', url: `/api/v1/${c}/${own}` })).json() as { version: number }).version)}"` } });
      if (give.statusCode !== 403) problems.push(`${c}: rep assigning to another team → ${give.statusCode}`);
    }
    expect(checked).toBeGreaterThan(0);
    if (problems.length) throw new Error(problems.join('\n'));
  });
});
