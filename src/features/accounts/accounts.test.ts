import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp } from '../../../tests/helpers/app.ts';

describeEachDb('accounts API', (mode) => {
  const t = useTestApp(mode);

  it('creates, reads, lists, searches Chinese names by part, and audits', async () => {
    const { rep } = t.org.users;
    const created = await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: '深圳明华照明有限公司', country: 'CN', needType: 'brand_owner', employees: 120 } });
    expect(created.statusCode).toBe(201);
    const acc = created.json();
    expect(acc).toMatchObject({ name: '深圳明华照明有限公司', country: 'CN', ownerId: rep.id, version: 1 });
    const got = await t.as(rep, { method: 'GET', url: `/api/v1/accounts/${acc.id}` });
    expect(got.headers.etag).toBe('"1"');
    const found = await t.as(rep, { method: 'GET', url: `/api/v1/accounts?q=${encodeURIComponent('明华')}&count=true` });
    expect(found.json().data.map((a: { id: string }) => a.id)).toContain(acc.id);
    expect(found.json().total).toBe(1);
    const audit = await t.database.query(`select action, entity from audit_log where org_id = $1 and entity_id = $2`, [t.org.id, acc.id]);
    expect(audit.rows).toEqual([{ action: 'create', entity: 'account' }]);
  });

  it('rejects a stale version with 409 and the current record', async () => {
    const { rep, manager } = t.org.users;
    const acc = (await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Nordlicht GmbH' } })).json();
    const first = await t.as(manager, { method: 'PATCH', url: `/api/v1/accounts/${acc.id}`, headers: { 'if-match': '"1"' }, payload: { city: 'Hamburg' } });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(2);
    const stale = await t.as(rep, { method: 'PATCH', url: `/api/v1/accounts/${acc.id}`, headers: { 'if-match': '"1"' }, payload: { city: 'Berlin' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.current).toMatchObject({ city: 'Hamburg', version: 2 });
    const missing = await t.as(rep, { method: 'PATCH', url: `/api/v1/accounts/${acc.id}`, payload: { city: 'Berlin' } });
    expect(missing.statusCode).toBe(428);
  });

  it('validates fields, vocabularies and unknown keys with field-level 400s', async () => {
    const { rep } = t.org.users;
    const bad = await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: '', country: 'China', bogus: 1 } });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'country']));
    const vocab = await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'X', needType: 'astronaut' } });
    expect(vocab.statusCode).toBe(400);
    expect(vocab.json().error.fields[0].path).toBe('needType');
    const json = await t.as(rep, { method: 'POST', url: '/api/v1/accounts', headers: { 'content-type': 'application/json' }, payload: '{"name":' });
    expect(json.statusCode).toBe(400);
    const badId = await t.as(rep, { method: 'GET', url: '/api/v1/accounts/not-an-id' });
    expect(badId.statusCode).toBe(400);
  });

  it('filters with operators, sorts and pages with a cursor', async () => {
    const { manager } = t.org.users;
    for (let i = 0; i < 7; i++) {
      await t.as(manager, { method: 'POST', url: '/api/v1/accounts', payload: { name: `Page Co ${i}`, employees: i * 10, tags: i % 2 ? ['odd'] : ['even'] } });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/accounts?name[starts]=Page%20Co&sort=employees&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.as(manager, { method: 'GET', url })).json();
      seen.push(...page.data.map((a: { name: string }) => a.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `Page Co ${i}`));
    const gt = (await t.as(manager, { method: 'GET', url: '/api/v1/accounts?name[starts]=Page&employees[gt]=30&tags=odd' })).json();
    expect(gt.data.map((a: { name: string }) => a.name).sort()).toEqual(['Page Co 5']);
    const unknown = await t.as(manager, { method: 'GET', url: '/api/v1/accounts?nope=1' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields[0].path).toBe('nope');
  });

  it('soft-deletes and restores; permissions by role and team', async () => {
    const { rep, rep2, otherTeamRep, viewer } = t.org.users;
    const acc = (await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Team Co' } })).json();
    expect((await t.as(viewer, { method: 'PATCH', url: `/api/v1/accounts/${acc.id}`, payload: { city: 'X', version: 1 } })).statusCode).toBe(403);
    expect((await t.as(otherTeamRep, { method: 'PATCH', url: `/api/v1/accounts/${acc.id}`, payload: { city: 'X', version: 1 } })).statusCode).toBe(403);
    expect((await t.as(rep2, { method: 'PATCH', url: `/api/v1/accounts/${acc.id}`, payload: { city: 'X', version: 1 } })).statusCode).toBe(200);
    expect((await t.as(rep, { method: 'DELETE', url: `/api/v1/accounts/${acc.id}` })).statusCode).toBe(200);
    expect((await t.as(rep, { method: 'GET', url: `/api/v1/accounts/${acc.id}` })).statusCode).toBe(404);
    const bin = (await t.as(rep, { method: 'GET', url: '/api/v1/accounts?deleted=only' })).json();
    expect(bin.data.map((a: { id: string }) => a.id)).toContain(acc.id);
    expect((await t.as(rep, { method: 'POST', url: `/api/v1/accounts/${acc.id}/restore` })).statusCode).toBe(200);
    expect((await t.as(rep, { method: 'GET', url: `/api/v1/accounts/${acc.id}` })).statusCode).toBe(200);
  });

  it('never shows or changes another organization’s account', async () => {
    const mine = (await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Secret Co' } })).json();
    const spy = t.other.users.admin;
    expect((await t.as(spy, { method: 'GET', url: `/api/v1/accounts/${mine.id}` })).statusCode).toBe(404);
    expect((await t.as(spy, { method: 'PATCH', url: `/api/v1/accounts/${mine.id}`, payload: { name: 'Hacked', version: 1 } })).statusCode).toBe(404);
    expect((await t.as(spy, { method: 'GET', url: '/api/v1/accounts?q=Secret' })).json().data).toEqual([]);
    expect((await t.as(spy, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Mine', ownerId: t.org.users.rep.id } })).statusCode).toBe(400);
  });

  it('gives every field error a stable code and params beside the English message', async () => {
    const { rep } = t.org.users;
    const bad = await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: '', employees: -1, country: 'China', kind: 'alien', colour: 'red' } });
    expect(bad.statusCode).toBe(400);
    const by = Object.fromEntries((bad.json().error.fields as { path: string }[]).map((f) => [f.path, f]));
    expect(by.name).toEqual({ path: 'name', message: 'Required', code: 'required' });
    expect(by.employees).toMatchObject({ code: 'too_small', params: { origin: 'number', minimum: 0 }, message: expect.any(String) });
    expect(by.country).toMatchObject({ code: 'invalid_format', message: 'Expected an ISO 3166 alpha-2 code such as CN' });
    expect(by.kind).toMatchObject({ code: 'invalid_value', params: { values: expect.arrayContaining(['customer']) } });
    expect(by.colour).toMatchObject({ code: 'unknown_field' });
    const vocab = await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'X', needType: 'telepathy', ownerId: t.other.users.rep.id } });
    expect(vocab.json().error.fields).toEqual([
      { path: 'needType', message: 'Unknown need type "telepathy"', code: 'unknown_term', params: { vocabulary: 'need_type', value: 'telepathy' } },
      { path: 'ownerId', message: 'User not found', code: 'not_found', params: { entity: 'user' } },
    ]);
    const noVersion = await t.as(rep, { method: 'PATCH', url: `/api/v1/accounts/${(await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'V' } })).json().id}`, payload: { name: 'W' } });
    expect(noVersion.json().error.fields).toEqual([{ path: 'version', message: 'Required', code: 'required' }]);
  });
});
