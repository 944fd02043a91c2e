import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp } from '../../../tests/helpers/app.ts';

describeEachDb('vocabularies API', (mode) => {
  const t = useTestApp(mode);
  type Term = { vocabulary: string; key: string; active: boolean; version: number; label: Record<string, string>; position: number };
  const terms = async (vocabulary: string) =>
    ((await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/vocabularies' })).json().data[vocabulary] ?? []) as Term[];

  it('every organization starts with the default vocabularies, labelled in three locales', async () => {
    const need = await terms('need_type');
    expect(need.length).toBeGreaterThan(0);
    expect(need[0]!.label.en).toBeTruthy();
  });

  it('only admins add or edit terms', async () => {
    for (const who of ['manager', 'rep', 'viewer'] as const) {
      const res = await t.as(t.org.users[who], { method: 'PUT', url: '/api/v1/vocabularies/need_type/astronaut', payload: { label: { en: 'Astronaut' } } });
      expect(res.statusCode, who).toBe(403);
    }
    expect((await terms('need_type')).map((x) => x.key)).not.toContain('astronaut');
  });

  it('a new term is usable on records at once; a deactivated one is refused on writes but kept by existing records', async () => {
    const { admin, rep } = t.org.users;
    const add = await t.as(admin, { method: 'PUT', url: '/api/v1/vocabularies/need_type/space_agency', payload: { label: { en: 'Space agency', 'zh-CN': '航天机构' } } });
    expect(add.statusCode, add.body).toBe(200);
    expect(add.json()).toMatchObject({ key: 'space_agency', active: true, version: 1 });
    const acc = await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Orbit Inc', needType: 'space_agency' } });
    expect(acc.statusCode, acc.body).toBe(201);

    const off = await t.as(admin, { method: 'PUT', url: '/api/v1/vocabularies/need_type/space_agency', payload: { label: { en: 'Space agency' }, active: false, version: 1 } });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ active: false, version: 2 });

    const refused = await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Orbit 2', needType: 'space_agency' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields).toEqual([expect.objectContaining({ path: 'needType' })]);
    const id = acc.json().id as string;
    const setAgain = await t.as(rep, { method: 'PATCH', url: `/api/v1/accounts/${id}`, headers: { 'if-match': '"1"' }, payload: { needType: 'space_agency' } });
    expect(setAgain.statusCode).toBe(400);

    // The record keeps its key and stays editable in other fields.
    const kept = await t.as(rep, { method: 'GET', url: `/api/v1/accounts/${id}` });
    expect(kept.json().needType).toBe('space_agency');
    const edit = await t.as(rep, { method: 'PATCH', url: `/api/v1/accounts/${id}`, headers: { 'if-match': '"1"' }, payload: { city: 'Houston' } });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({ needType: 'space_agency', city: 'Houston' });
    // Filtering by the retired key still finds it.
    const found = (await t.as(rep, { method: 'GET', url: '/api/v1/accounts?needType=space_agency' })).json().data as { id: string }[];
    expect(found.map((a) => a.id)).toEqual([id]);

    // Reactivated, it is accepted again.
    await t.as(admin, { method: 'PUT', url: '/api/v1/vocabularies/need_type/space_agency', payload: { label: { en: 'Space agency' }, active: true } });
    expect((await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Orbit 3', needType: 'space_agency' } })).statusCode).toBe(201);
  });

  it('edits keep the key, merge meta, and a stale version gets 409', async () => {
    const { admin } = t.org.users;
    const first = await t.as(admin, { method: 'PUT', url: '/api/v1/vocabularies/lead_source/trade_show_x', payload: { label: { en: 'Trade show' }, meta: { cost: 3 } } });
    expect(first.statusCode).toBe(200);
    const second = await t.as(admin, { method: 'PUT', url: '/api/v1/vocabularies/lead_source/trade_show_x', payload: { label: { en: 'Trade fair' }, meta: { region: 'EU' }, version: 1 } });
    expect(second.json()).toMatchObject({ key: 'trade_show_x', label: { en: 'Trade fair' }, meta: { cost: 3, region: 'EU' }, version: 2 });
    const stale = await t.as(admin, { method: 'PUT', url: '/api/v1/vocabularies/lead_source/trade_show_x', payload: { label: { en: 'Old' }, version: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.current).toMatchObject({ version: 2 });
  });

  it('editing one locale keeps the others; null removes a Chinese label; English cannot be removed', async () => {
    const { admin } = t.org.users;
    const url = '/api/v1/vocabularies/industry/lighting_x';
    const put = (payload: object) => t.as(admin, { method: 'PUT', url, payload });
    expect((await put({ label: { en: 'Lighting', 'zh-CN': '照明', 'zh-TW': '照明設備' } })).statusCode).toBe(200);
    const en = await put({ label: { en: 'Lighting & lamps' }, version: 1 });
    expect(en.json()).toMatchObject({ version: 2 });
    expect(en.json().label).toEqual({ en: 'Lighting & lamps', 'zh-CN': '照明', 'zh-TW': '照明設備' });
    const zh = await put({ label: { 'zh-TW': '燈具' }, version: 2 });
    expect(zh.json().label).toEqual({ en: 'Lighting & lamps', 'zh-CN': '照明', 'zh-TW': '燈具' });
    const removed = await put({ label: { 'zh-CN': null }, version: 3 });
    expect(removed.json().label).toEqual({ en: 'Lighting & lamps', 'zh-TW': '燈具' });
    expect((await put({ label: { en: null }, version: 4 })).statusCode).toBe(400);
    // A default term keeps its Chinese labels too when its English one is edited.
    const before = (await terms('need_type'))[0]!;
    const edited = await t.as(admin, { method: 'PUT', url: `/api/v1/vocabularies/need_type/${before.key}`, payload: { label: { en: 'Renamed' }, version: before.version } });
    expect(edited.json().label).toEqual({ ...before.label, en: 'Renamed' });
    expect(Object.keys(edited.json().label).sort()).toEqual(['en', 'zh-CN', 'zh-TW']);
  });

  it('rejects unknown vocabularies, malformed keys and labels without English', async () => {
    const { admin } = t.org.users;
    const cases: [string, unknown][] = [
      ['/api/v1/vocabularies/planets/mars', { label: { en: 'Mars' } }],
      ['/api/v1/vocabularies/need_type/Bad-Key', { label: { en: 'Bad' } }],
      ['/api/v1/vocabularies/need_type/ok_key', { label: { 'zh-CN': '无英文' } }],
      ['/api/v1/vocabularies/need_type/ok_key', { label: { en: 'x', fr: 'y' } }],
      ['/api/v1/vocabularies/need_type/ok_key', { label: { en: 'x' }, position: -1 }],
    ];
    for (const [url, payload] of cases) {
      const res = await t.as(admin, { method: 'PUT', url, payload: payload as object });
      expect(res.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
  });

  it('terms are per organization', async () => {
    await t.as(t.org.users.admin, { method: 'PUT', url: '/api/v1/vocabularies/industry/only_in_a', payload: { label: { en: 'Only in A' } } });
    const other = (await t.as(t.other.users.admin, { method: 'GET', url: '/api/v1/vocabularies' })).json().data.industry as Term[];
    expect(other.map((x) => x.key)).not.toContain('only_in_a');
    const use = await t.as(t.other.users.rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'B Co', industry: 'only_in_a' } });
    expect(use.statusCode).toBe(400);
  });
});
