import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp } from '../../../tests/helpers/app.ts';

describeEachDb('culture (Hofstede) API', (mode) => {
  const t = useTestApp(mode);

  it("reads an account's country beside ours, with the gaps to prepare for", async () => {
    const r = await t.as(t.org.users.rep, { method: 'GET', url: '/api/v1/culture/countries/DE?compare=CN' });
    expect(r.statusCode).toBe(200);
    const j = r.json();
    expect(j).toMatchObject({ country: 'DE', known: true, source: 'Germany', region: null, compare: { country: 'CN', known: true, source: 'China', region: null } });
    expect(j.dimensions.find((d: { dimension: string }) => d.dimension === 'uai')).toEqual({ dimension: 'uai', score: 65, level: 'high', compareScore: 30, gap: 35, bigGap: true, regional: false });
    expect(j.credit).toMatch(/Hofstede/);
  });

  it('says which scores are a regional estimate, and when a country has none', async () => {
    const ke = (await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/culture/countries/KE' })).json();
    expect(ke).toMatchObject({ known: true, source: null, region: 'Africa East', compare: null });
    expect(ke.dimensions.every((d: { regional: boolean; compareScore: null }) => d.regional && d.compareScore === null)).toBe(true);
    const mc = await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/culture/countries/MC?compare=DE' });
    expect(mc.statusCode).toBe(200);
    expect(mc.json()).toMatchObject({ country: 'MC', known: false, source: null, dimensions: [], compare: { country: 'DE', known: true } });
    const list = (await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/culture/countries' })).json();
    expect(list.data.length).toBeGreaterThan(100);
    expect(list.data.find((c: { country: string }) => c.country === 'EG')).toMatchObject({ source: 'Egypt', region: 'Arab countries', regional: ['pdi', 'idv', 'mas', 'uai'] });
  });

  it('rejects what is not a country code, field by field, and asks who is calling', async () => {
    for (const url of ['/api/v1/culture/countries/de', '/api/v1/culture/countries/DEU', '/api/v1/culture/countries/DE?compare=china', '/api/v1/culture/countries/DE?other=1']) {
      const r = await t.as(t.org.users.rep, { method: 'GET', url });
      expect(r.statusCode, url).toBe(400);
      expect(r.json().error.code, url).toBe('validation_error');
    }
    const bad = (await t.as(t.org.users.rep, { method: 'GET', url: '/api/v1/culture/countries/DE?compare=china' })).json();
    expect(JSON.stringify(bad.error)).toMatch(/compare/);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/culture/countries/DE' })).statusCode).toBe(401);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { parameters?: { name: string }[] }>>; components: { schemas: Record<string, unknown> } };
    expect(doc.paths['/api/v1/culture/countries/{country}']?.get?.parameters?.map((p) => p.name).sort()).toEqual(['compare', 'country']);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['CountryCulture', 'CultureCountries', 'EvaluationSettings']));
    expect(doc.paths['/api/v1/evaluation/settings']).toHaveProperty('patch');
  });

  it("keeps our own country for the whole organization, changed only with the version read, by managers and admins", async () => {
    const URL = '/api/v1/culture/home';
    const put = (user: 'manager' | 'admin' | 'rep', payload: object, version?: number) =>
      t.as(t.org.users[user], { method: 'PUT', url: URL, payload, headers: version === undefined ? {} : { 'if-match': `"${version}"` } });
    expect((await t.as(t.org.users.viewer, { method: 'GET', url: URL })).json()).toEqual({ country: null, version: 0 });
    expect((await put('manager', { country: 'CN' })).statusCode).toBe(428);
    expect((await put('rep', { country: 'CN' }, 0)).statusCode).toBe(403);
    expect((await put('manager', { country: 'china' }, 0)).statusCode).toBe(400);
    expect((await put('manager', { country: 'CN' }, 0)).json()).toEqual({ country: 'CN', version: 1 });
    const stale = await put('admin', { country: 'DE' }, 0);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.current).toEqual({ country: 'CN', version: 1 });
    expect((await put('admin', { country: null, version: 1 })).json()).toEqual({ country: null, version: 2 });
    expect((await put('admin', { country: 'CN' }, 2)).statusCode).toBe(200);
    // Audited; the other organization's stays unset; the evaluation settings' version is their own.
    const log = await t.database.query(`select after from audit_log where org_id = $1 and entity = 'culture_settings' order by at`, [t.org.id]);
    expect(log.rows.map((r) => (r as { after: { country: string | null } }).after.country)).toEqual(['CN', null, 'CN']);
    expect((await t.as(t.other.users.viewer, { method: 'GET', url: URL })).json()).toEqual({ country: null, version: 0 });
    expect((await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/evaluation/settings' })).json().version).toBe(0);
  });
});
