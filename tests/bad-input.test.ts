/**
 * Malformed requests against every route of the table: each gets a clear 4xx with `error.code`
 * and a message, never a 5xx, never a stack trace or source path.
 */
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCursor } from '../src/kernel/list.ts';
import { UPLOAD_TMP_PREFIX } from '../src/kernel/uploads.ts';
import { buildServer } from '../src/server.ts';
import { useTestApp } from './helpers/app.ts';
import { describeEachDb } from './helpers/db.ts';
import { bodySchema, collectRoutes, fillPath, isPublicAuthRoute, isUuidSchema, makeInject, paramSchema, stringProps, type RouteInfo } from './helpers/routes.ts';

/** Routes that accept raw text bodies (CSV, vCard uploads) by design. */
const RAW_UPLOADS = ['/api/v1/imports'];
const STACK = /\n\s+at |node_modules|\.ts:\d+|\/src\/|failed query|params:|\binsert into\b|\bdelete from\b/i;

describeEachDb('bad input on every route', (mode) => {
  const t = useTestApp(mode);
  let routes: RouteInfo[];
  let inject: ReturnType<typeof makeInject>;
  let problems: string[] = [];

  /** Collects every mismatch so one run lists all offending routes. */
  function expectClear(res: LightMyRequestResponse, what: string, statuses: number[]) {
    let body: { error?: { code?: unknown; message?: unknown } } | undefined;
    try {
      body = JSON.parse(res.body) as typeof body;
    } catch {
      /* reported below */
    }
    if (!statuses.includes(res.statusCode)) problems.push(`${what} → ${res.statusCode} (expected ${statuses.join('/')}) ${res.body.slice(0, 200)}`);
    else if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string' || !body.error.message) problems.push(`${what} → no error.code/message: ${res.body.slice(0, 200)}`);
    if (STACK.test(res.body)) problems.push(`${what} → internals in the body: ${res.body.slice(0, 200)}`);
  }
  function report() {
    const found = problems;
    problems = [];
    if (found.length) throw new Error(`${found.length} problem(s):\n${found.join('\n')}`);
  }
  const validParam = (route: RouteInfo) => (p: string) => {
    const s = paramSchema(route.op, p);
    if (p === 'id' || isUuidSchema(s)) return '01890a5d-ac96-774b-bcce-b302099a8057';
    return String(s?.enum?.[0] ?? 'x');
  };
  const bodyRoutes = () => routes.filter((r) => r.method !== 'GET' && bodySchema(r.op) && r.url !== '/api/v1/auth/logout');

  beforeAll(async () => {
    routes = await collectRoutes(t);
    inject = makeInject(t.app);
  }, 300_000);

  it('malformed JSON, empty bodies and JSON that is not an object are 400 on every body route', { timeout: 600_000 }, async () => {
    for (const r of bodyRoutes()) {
      const url = fillPath(r.url, validParam(r));
      for (const payload of ['{"name":', '{', '', 'nul', '[1,2', '{"a":1,}', "{'a':1}"]) {
        const res = await inject(t.org.users.admin, { method: r.method, url, payload, headers: { 'content-type': 'application/json' } });
        expectClear(res, `${r.method} ${r.url} body ${JSON.stringify(payload)}`, [400]);
      }
      for (const payload of ['[]', '"text"', '42', 'null']) {
        const res = await inject(t.org.users.admin, { method: r.method, url, payload, headers: { 'content-type': 'application/json' } });
        expectClear(res, `${r.method} ${r.url} body ${payload}`, [400]);
      }
    }
    report();
  });

  it('a wrong content type is 415 and an oversized body 413, with a clear message', { timeout: 600_000 }, async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
    for (const r of bodyRoutes()) {
      const url = fillPath(r.url, validParam(r));
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const res = await inject(t.org.users.admin, { method: r.method, url, payload: 'name=x', headers: { 'content-type': type } });
        // Import routes take raw text uploads on purpose: there the body is parsed and refused as data.
        const raw = RAW_UPLOADS.some((p) => r.url.startsWith(p)) && type === 'text/plain';
        expectClear(res, `${r.method} ${r.url} as ${type}`, raw ? [400, 415] : [415]);
      }
      const res = await inject(t.org.users.admin, { method: r.method, url, payload: big, headers: { 'content-type': 'application/json' } });
      expectClear(res, `${r.method} ${r.url} with 1 MB+`, [413]);
      if (res.statusCode === 413 && !/too large/i.test(res.json().error.message)) problems.push(`${r.url}: 413 message is unclear: ${res.json().error.message}`);
    }
    // The login route too, before authentication.
    expectClear(await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: big, headers: { 'content-type': 'application/json' } }), 'login 1 MB+', [413]);
    report();
  });

  it('JSON nested too deeply or with too many keys is a 400 on every body route, and the server keeps answering', { timeout: 600_000 }, async () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const manyKeys = `{${Array.from({ length: 25_000 }, (_, i) => `"k${i}":1`).join(',')}}`;
    const cases: [string, string, string][] = [
      ['config 2000 deep', `{"name":"x","config":{"a":${deep(2000)}}}`, 'too_deep'],
      ['custom 2000 deep', `{"name":"x","custom":{"a":${deep(2000)}}}`, 'too_deep'],
      ['top level 5000 deep', deep(5000), 'too_deep'],
      ['33 levels', `{"a":${deep(32)}}`, 'too_deep'],
      ['25,000 keys', manyKeys, 'too_many_keys'],
      ['25,000 nested keys', `{"name":"x","config":${manyKeys}}`, 'too_many_keys'],
    ];
    for (const r of bodyRoutes()) {
      const url = fillPath(r.url, validParam(r));
      for (const [what, payload, code] of cases) {
        const res = await inject(t.org.users.admin, { method: r.method, url, payload, headers: { 'content-type': 'application/json', 'if-match': '"1"' } });
        expectClear(res, `${r.method} ${r.url} ${what}`, [400]);
        if (res.statusCode === 400 && res.json().error.code !== code) problems.push(`${r.method} ${r.url} ${what}: code ${res.json().error.code}, expected ${code}`);
      }
    }
    // The deep body that used to freeze the server, then an ordinary request: it answers at once.
    const started = Date.now();
    const stuck = inject(t.org.users.admin, { method: 'POST', url: '/api/v1/views', payload: `{"entity":"account","name":"deep","config":{"f":${deep(2000)}}}`, headers: { 'content-type': 'application/json' } });
    const normal = await inject(t.org.users.admin, { method: 'GET', url: '/api/v1/accounts?limit=1' });
    expect(normal.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    const deepRes = await Promise.race([stuck, new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000))]);
    expect(deepRes?.statusCode, 'the deep body got no answer within 5 s').toBe(400);
    // Within the limits a nested config is stored as given.
    const ok = await inject(t.org.users.admin, { method: 'POST', url: '/api/v1/views', payload: { entity: 'account', name: 'nested ok', config: { a: { b: { c: [1, [2, [3]]] } } } } });
    expect(ok.statusCode, ok.body).toBe(201);
    report();
  });

  it('NUL characters and lone surrogates in any string are a 400 naming the field (body, keys, query)', { timeout: 600_000 }, async () => {
    let checked = 0;
    for (const r of bodyRoutes().filter((x) => !isPublicAuthRoute(x))) {
      const url = fillPath(r.url, validParam(r));
      for (const { name } of stringProps(bodySchema(r.op))) {
        for (const bad of ['a\u0000b', 'x\ud800', '\udfffy']) {
          checked++;
          const res = await inject(t.org.users.admin, { method: r.method, url, payload: JSON.stringify({ [name]: bad }), headers: { 'content-type': 'application/json', 'if-match': '"1"' } });
          expectClear(res, `${r.method} ${r.url} ${name}=${JSON.stringify(bad)}`, [400]);
          const fields = res.statusCode === 400 ? ((res.json() as { error: { fields?: { path: string; code: string }[] } }).error.fields ?? []) : [];
          if (res.statusCode === 400 && !fields.some((f) => f.path === name && f.code === 'invalid_text')) problems.push(`${r.method} ${r.url} ${name}=${JSON.stringify(bad)}: not named: ${res.body.slice(0, 200)}`);
        }
      }
      // Inside nested values and in keys (custom fields, view configs, vocabulary meta).
      for (const payload of ['{"custom":{"a\\u0000":1}}', '{"config":{"x":["ok","\\u0000"]}}', '{"meta":{"k\\u0000":"v"}}', '{"tags":["a","\\ud800"]}']) {
        const res = await inject(t.org.users.admin, { method: r.method, url, payload, headers: { 'content-type': 'application/json', 'if-match': '"1"' } });
        expectClear(res, `${r.method} ${r.url} ${payload}`, [400]);
      }
    }
    expect(checked).toBeGreaterThan(50);
    // List filters and search.
    for (const r of routes.filter((x) => x.method === 'GET' && !x.params.length && !isPublicAuthRoute(x))) {
      for (const q of ['q=a%00b', 'name=%00', 'name[contains]=x%00']) {
        const res = await inject(t.org.users.admin, { method: 'GET', url: `${r.url}?${q}` });
        if (res.statusCode >= 500 || (res.statusCode === 200 && q.startsWith('q='))) problems.push(`GET ${r.url}?${q} → ${res.statusCode} ${res.body.slice(0, 150)}`);
      }
    }
    report();
  });

  it('impossible dates and date-times are a 400 naming the field on every route that takes one', { timeout: 600_000 }, async () => {
    let checked = 0;
    for (const r of bodyRoutes().filter((x) => !isPublicAuthRoute(x))) {
      const url = fillPath(r.url, validParam(r));
      for (const { name, kind } of stringProps(bodySchema(r.op))) {
        const bads = kind === 'date' ? ['2026-02-30', '0000-01-01', '2025-02-29', '2026-13-01', '2026-00-10'] : kind === 'datetime' ? ['2026-02-30T10:00:00Z', '0000-01-01T00:00:00Z', '2026-01-01T25:00:00Z'] : [];
        for (const bad of bads) {
          checked++;
          const res = await inject(t.org.users.admin, { method: r.method, url, payload: { [name]: bad }, headers: { 'if-match': '"1"' } });
          expectClear(res, `${r.method} ${r.url} ${name}=${bad}`, [400]);
          const fields = res.statusCode === 400 ? ((res.json() as { error: { fields?: { path: string }[] } }).error.fields ?? []) : [];
          if (res.statusCode === 400 && !fields.some((f) => f.path === name)) problems.push(`${r.method} ${r.url} ${name}=${bad}: not named: ${res.body.slice(0, 200)}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
    // Date filters on lists.
    for (const q of ['createdAt[gt]=2026-02-30', 'createdAt[lt]=0000-01-01T00:00:00Z']) {
      const res = await inject(t.org.users.admin, { method: 'GET', url: `/api/v1/accounts?${q}` });
      expectClear(res, `GET /api/v1/accounts?${q}`, [400]);
    }
    report();
  });

  it('malformed multipart on every upload route is a 400, viewers cannot upload, over-limit is a 413, and no temporary file is left', { timeout: 300_000 }, async () => {
    const uploads = routes.filter((r) => r.upload);
    expect(uploads.map((r) => r.url)).toEqual(expect.arrayContaining(['/api/v1/imports', '/api/v1/imports/preview']));
    // A private temporary directory: the count of upload spools in it must be back to zero.
    const tmp = await mkdtemp(join(tmpdir(), 'accord-bad-input-'));
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    const small = await buildServer({ database: t.database, config: { secureCookies: false, sessionDays: 1, bodyLimit: 1024 * 1024, uploadLimits: { admin: 2000, manager: 2000, rep: 2000, viewer: 0 } } });
    try {
      const part = (b: string) => `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nname\nAcme\n`;
      const broken: [string, string][] = [
        ['multipart/form-data; boundary=XyZ', part('XyZ')], // never closed
        ['multipart/form-data; boundary=XyZ', `--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n`], // headers cut off
        ['multipart/form-data', part('XyZ') + '--XyZ--\r\n'], // no boundary parameter
        ['multipart/form-data; boundary=Other', part('XyZ') + '--XyZ--\r\n'], // wrong boundary
        ['multipart/form-data; boundary=XyZ', 'garbage without any boundary'],
        ['multipart/form-data; boundary=XyZ', ''],
      ];
      for (const r of uploads) {
        const url = `${r.url}?entity=accounts`;
        for (const [type, payload] of broken) {
          const res = await inject(t.org.users.admin, { method: r.method, url, payload, headers: { 'content-type': type } });
          expectClear(res, `${r.method} ${r.url} multipart ${JSON.stringify(payload.slice(0, 30))} (${type})`, [400]);
        }
        const viewer = await inject(t.org.users.viewer, { method: r.method, url, payload: 'name\nAcme\n', headers: { 'content-type': 'text/csv' } });
        expectClear(viewer, `viewer ${r.method} ${r.url}`, [403]);
        const big = 'name\n' + 'Acme Corporation\n'.repeat(500);
        for (const user of [t.org.users.admin, t.org.users.rep]) {
          const raw = await small.inject({ method: r.method, url, payload: big, headers: { authorization: `Bearer ${user.token}`, 'content-type': 'text/csv' } });
          expectClear(raw, `${user.role} ${r.method} ${r.url} raw over the role's limit`, [413]);
          const form = `--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n${big}\r\n--XyZ--\r\n`;
          const multi = await small.inject({ method: r.method, url, payload: form, headers: { authorization: `Bearer ${user.token}`, 'content-type': 'multipart/form-data; boundary=XyZ' } });
          expectClear(multi, `${user.role} ${r.method} ${r.url} multipart over the role's limit`, [413]);
        }
        // A client that hangs up halfway.
        await small.inject({ method: r.method, url, payload: 'name\nAcme\n', headers: { authorization: `Bearer ${t.org.users.admin.token}`, 'content-type': 'text/csv' }, simulate: { error: true, end: false, split: false, close: false } }).catch(() => undefined);
        await small.inject({ method: r.method, url, payload: part('XyZ'), headers: { authorization: `Bearer ${t.org.users.admin.token}`, 'content-type': 'multipart/form-data; boundary=XyZ' }, simulate: { close: true, end: false, split: false, error: false } }).catch(() => undefined);
        // And a good upload still works (preview answers at once; the run is waited for).
        const ok = await small.inject({ method: r.method, url: `${url}&wait=true`, payload: 'name\nUpload Ok Co\n', headers: { authorization: `Bearer ${t.org.users.admin.token}`, 'content-type': 'text/csv' } });
        if (ok.statusCode !== 200) problems.push(`${r.method} ${r.url} valid small upload → ${ok.statusCode} ${ok.body.slice(0, 200)}`);
      }
      // Spools of background runs and aborted requests are removed shortly after.
      let left: string[] = [];
      for (let i = 0; i < 50; i++) {
        left = (await readdir(tmp)).filter((n) => n.startsWith(UPLOAD_TMP_PREFIX));
        if (!left.length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (left.length) problems.push(`${left.length} temporary upload(s) left behind: ${left.join(', ')}`);
    } finally {
      process.env.TMPDIR = savedTmp;
      if (savedTmp === undefined) delete process.env.TMPDIR;
      await small.close();
      await rm(tmp, { recursive: true, force: true });
    }
    report();
  });

  it('__proto__ and constructor payloads are refused and pollute nothing', { timeout: 600_000 }, async () => {
    for (const r of bodyRoutes().filter((x) => !isPublicAuthRoute(x))) {
      const url = fillPath(r.url, validParam(r));
      for (const payload of ['{"__proto__":{"polluted":true}}', '{"name":"x","__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"custom":{"__proto__":{"polluted":true}}}']) {
        const res = await inject(t.org.users.admin, { method: r.method, url, payload, headers: { 'content-type': 'application/json', 'if-match': '"1"' } });
        if (res.statusCode >= 500) problems.push(`${r.method} ${r.url} ${payload} → ${res.statusCode}`);
        if (STACK.test(res.body)) problems.push(`${r.method} ${r.url} ${payload} → internals in the body`);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    report();
  });

  it('malformed ids in the path are 400 (not 404 or 500) on every route', { timeout: 600_000 }, async () => {
    const withId = routes.filter((r) => r.params.some((p) => p === 'id' || isUuidSchema(paramSchema(r.op, p))) && !isPublicAuthRoute(r));
    expect(withId.length).toBeGreaterThan(0);
    for (const r of withId) {
      for (const bad of ['not-a-uuid', '123', '01890a5d-ac96-774b-bcce-b302099a805', '01890a5d-ac96-774b-bcce-b302099a8057x', "' or 1=1 --", '%E0%A4%A']) {
        const url = r.url.replace(/:([A-Za-z0-9_]+)/g, (_, p: string) => (p === 'id' || isUuidSchema(paramSchema(r.op, p)) ? bad : validParam(r)(p)));
        const res = await inject(t.org.users.admin, { method: r.method, url, payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {}, headers: { 'if-match': '"1"' } });
        expectClear(res, `${r.method} ${url}`, [400]);
      }
    }
    report();
  });

  it('lists refuse unknown parameters, bad cursors, limits and sorts with the field named', { timeout: 600_000 }, async () => {
    // A list is any GET without path parameters that answers { data: [], nextCursor }.
    const lists: string[] = [];
    for (const r of routes.filter((x) => x.method === 'GET' && !x.params.length)) {
      const res = await inject(t.org.users.admin, { method: 'GET', url: r.url });
      if (res.statusCode === 200 && 'nextCursor' in (res.json() as object)) lists.push(r.url);
    }
    expect(lists).toContain('/api/v1/accounts');
    const cases: [string, string][] = [
      ['no_such_field=1', 'no_such_field'],
      ['name[explode]=1', 'name[explode]'],
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${Buffer.from('[1,"x"]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'cursor'],
      ['limit=0', 'limit'],
      ['limit=100000', 'limit'],
      ['limit=abc', 'limit'],
      ['sort=no_such_field', 'sort'],
      ['deleted=maybe', 'deleted'],
      ['count=perhaps', 'count'],
      [`q=${'x'.repeat(500)}`, 'q'],
      ['createdAt[gt]=yesterday', 'createdAt[gt]'],
    ];
    for (const url of lists) {
      for (const [q, field] of cases) {
        const res = await inject(t.org.users.admin, { method: 'GET', url: `${url}?${q}` });
        expectClear(res, `GET ${url}?${q.slice(0, 60)}`, [400]);
        const fields = res.statusCode === 400 ? ((res.json() as { error: { fields?: { path: string }[] } }).error.fields ?? []) : [];
        if (res.statusCode === 400 && !fields.some((f) => f.path === field || f.path.startsWith(field))) problems.push(`GET ${url}?${q.slice(0, 40)}: the 400 does not name ${field}: ${res.body.slice(0, 200)}`);
      }
      // A cursor is bound to the sort it was made for: reused with another sort it is a 400, not a wrong page.
      const alien = encodeCursor('m', '01890a5d-ac96-774b-bcce-b302099a8057', 'some-other-sort');
      const resorted = await inject(t.org.users.admin, { method: 'GET', url: `${url}?cursor=${alien}` });
      expectClear(resorted, `GET ${url} with a cursor of another sort`, [400]);
      if (resorted.statusCode === 400 && !((resorted.json() as { error: { fields?: { path: string }[] } }).error.fields ?? []).some((f) => f.path === 'cursor')) problems.push(`GET ${url}: cursor of another sort not named`);
      // A cursor from a valid page with a tampered value type must not crash the query.
      const tampered = Buffer.from(JSON.stringify([{ nested: [1] }, '01890a5d-ac96-774b-bcce-b302099a8057'])).toString('base64url');
      const res = await inject(t.org.users.admin, { method: 'GET', url: `${url}?cursor=${tampered}` });
      if (res.statusCode >= 500) problems.push(`GET ${url} with a tampered cursor → ${res.statusCode}`);
    }
    report();
  });

  it('every response carries the security headers: every route (signed in and not), errors, 404s, the docs', { timeout: 300_000 }, async () => {
    const expected = { 'content-security-policy': /frame-ancestors 'none'/, 'x-content-type-options': /^nosniff$/, 'x-frame-options': /^DENY$/, 'referrer-policy': /./, 'cross-origin-opener-policy': /same-origin/ };
    const check = (res: LightMyRequestResponse, what: string) => {
      for (const [h, re] of Object.entries(expected)) if (!re.test(String(res.headers[h] ?? ''))) problems.push(`${what} → ${res.statusCode} without ${h}`);
      if (/script-src[^;]*'unsafe-inline'/.test(String(res.headers['content-security-policy']))) problems.push(`${what}: inline scripts allowed`);
    };
    for (const r of routes) {
      const url = fillPath(r.url, validParam(r));
      check(await inject(t.org.users.admin, { method: r.method, url, payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} }), `${r.method} ${r.url}`);
      check(await t.app.inject({ method: r.method, url }), `anonymous ${r.method} ${r.url}`);
    }
    for (const url of ['/api/v1/health', '/api/openapi.json', '/api/docs/', '/api/docs/static/index.html', '/api/v1/nope', '/%zz', '/some/spa/route']) {
      const res = await t.app.inject({ method: 'GET', url });
      check(res, `GET ${url}`);
    }
    // The docs UI still loads under the policy: its page only references same-origin scripts.
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(docs.statusCode).toBe(200);
    for (const src of [...docs.body.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!)) {
      expect(src.startsWith('/api/docs/'), src).toBe(true);
      const js = await t.app.inject({ method: 'GET', url: src });
      expect(js.statusCode, src).toBe(200);
      check(js, `GET ${src}`);
    }
    expect(docs.body).not.toMatch(/<script>(?!\s*<\/script>)|<script(?![^>]*\bsrc=)[^>]*>[^<\s]/);
    check(await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: '{', headers: { 'content-type': 'application/json' } }), 'malformed login');
    report();
  });

  it('unknown routes and methods answer a JSON 404, unauthenticated calls a JSON 401', async () => {
    const nf = await inject(t.org.users.admin, { method: 'GET', url: '/api/v1/no-such-thing' });
    expectClear(nf, 'GET /api/v1/no-such-thing', [404]);
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: { name: 'x' } });
    expectClear(anon, 'anonymous POST', [401]);
    report();
  });
});
