import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp } from '../../../tests/helpers/app.ts';

describeEachDb('custom fields', (mode) => {
  const t = useTestApp(mode);
  const defs = [
    { key: 'note_text', type: 'text' },
    { key: 'plants', type: 'number' },
    { key: 'audit_date', type: 'date' },
    { key: 'grade', type: 'select', options: ['a', 'b', 'c'] },
    { key: 'certs', type: 'multiselect', options: ['iso9001', 'ce', 'ul'] },
    { key: 'strategic', type: 'boolean' },
  ] as const;
  const ids: Record<string, string> = {};
  const accounts: Record<string, string> = {};

  beforeAll(async () => {
    for (const d of defs) {
      const res = await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/custom-fields', payload: { entity: 'account', label: { en: d.key }, ...d } });
      expect(res.statusCode, res.body).toBe(201);
      ids[d.key] = res.json().id;
    }
    const rows: [string, Record<string, unknown>][] = [
      ['Alpha', { note_text: 'Loves LED', plants: 3, audit_date: '2026-03-01', grade: 'a', certs: ['iso9001', 'ce'], strategic: true }],
      ['Beta', { note_text: 'Price buyer', plants: 10, audit_date: '2025-12-31', grade: 'b', certs: ['ul'], strategic: false }],
      ['Gamma', {}],
    ];
    for (const [name, custom] of rows) {
      const res = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: `CF ${name}`, custom } });
      expect(res.statusCode, res.body).toBe(201);
      accounts[name] = res.json().id;
    }
  });

  it('only admins define, edit and remove fields', async () => {
    for (const who of ['manager', 'rep', 'viewer'] as const) {
      const res = await t.as(t.org.users[who], { method: 'POST', url: '/api/v1/custom-fields', payload: { entity: 'account', key: 'nope', label: { en: 'Nope' }, type: 'text' } });
      expect(res.statusCode, who).toBe(403);
      expect((await t.as(t.org.users[who], { method: 'PATCH', url: `/api/v1/custom-fields/${ids.note_text}`, payload: { required: true, version: 1 } })).statusCode).toBe(403);
      expect((await t.as(t.org.users[who], { method: 'DELETE', url: `/api/v1/custom-fields/${ids.note_text}` })).statusCode).toBe(403);
    }
    const list = (await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/custom-fields?entity=account' })).json().data as { key: string }[];
    expect(list.map((d) => d.key)).toEqual(expect.arrayContaining(defs.map((d) => d.key)));
  });

  it('definitions are validated: key format, options only for selects, unique keys', async () => {
    const { admin } = t.org.users;
    const bad = [
      { entity: 'account', key: 'Bad Key', label: { en: 'x' }, type: 'text' },
      { entity: 'account', key: 'sel', label: { en: 'x' }, type: 'select' },
      { entity: 'account', key: 'txt', label: { en: 'x' }, type: 'text', options: ['a'] },
      { entity: 'account', key: 'dup_opts', label: { en: 'x' }, type: 'select', options: ['a', 'a'] },
      { entity: 'planet', key: 'x', label: { en: 'x' }, type: 'text' },
      { entity: 'account', key: 'x', label: { en: 'x' }, type: 'color' },
      { entity: 'account', key: 'plants', label: { en: 'again' }, type: 'number' },
    ];
    for (const payload of bad) {
      const res = await t.as(admin, { method: 'POST', url: '/api/v1/custom-fields', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('values are checked against each type', async () => {
    const wrong: Record<string, unknown[]> = {
      note_text: [1, true, ['x'], 'x'.repeat(10_001)],
      plants: ['3', true, 'NaN'],
      audit_date: ['2026-13-01', '01/02/2026', 20260101, '2026-02-30x'],
      grade: ['d', 1, ['a']],
      certs: ['ce', ['ce', 'fda'], [1]],
      strategic: ['true', 1, 'yes'],
    };
    for (const [key, values] of Object.entries(wrong)) {
      for (const v of values) {
        const res = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Bad custom', custom: { [key]: v } } });
        expect(res.statusCode, `${key} = ${JSON.stringify(v).slice(0, 40)}`).toBe(400);
        expect(res.json().error.fields).toEqual([expect.objectContaining({ path: `custom.${key}` })]);
      }
    }
    const unknown = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Bad custom', custom: { not_defined: 1 } } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields[0]).toMatchObject({ path: 'custom.not_defined', message: 'Unknown custom field' });
    const dedup = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Dedup', custom: { certs: ['ce', 'ce'] } } });
    expect(dedup.json().custom.certs).toEqual(['ce']);
  });

  it('patches merge custom values; null removes one', async () => {
    const id = accounts.Alpha!;
    const cur = (await t.as(t.org.users.rep, { method: 'GET', url: `/api/v1/accounts/${id}` })).json();
    const res = await t.as(t.org.users.rep, { method: 'PATCH', url: `/api/v1/accounts/${id}`, headers: { 'if-match': `"${cur.version}"` }, payload: { custom: { plants: 4, note_text: null } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().custom).toEqual({ plants: 4, audit_date: '2026-03-01', grade: 'a', certs: ['iso9001', 'ce'], strategic: true });
  });

  it('list filters work on every custom type', async () => {
    const names = async (q: string) =>
      ((await t.as(t.org.users.viewer, { method: 'GET', url: `/api/v1/accounts?name[starts]=CF&${q.startsWith('sort=') ? '' : 'sort=name&'}${q}` })).json().data as { name: string }[]).map((a) => a.name);
    const ok = async (q: string, expected: string[]) => expect(await names(q), q).toEqual(expected.map((n) => `CF ${n}`));
    await ok('custom.note_text[contains]=price', ['Beta']);
    await ok('custom.note_text[empty]=true', ['Alpha', 'Gamma']); // Alpha's note was removed above
    await ok('custom.plants[gt]=3', ['Alpha', 'Beta']);
    await ok('custom.plants[gte]=10', ['Beta']);
    await ok('custom.plants[lt]=5', ['Alpha']);
    await ok('custom.audit_date[gte]=2026-01-01', ['Alpha']);
    await ok('custom.audit_date[lt]=2026-01-01', ['Beta']);
    await ok('custom.grade=b', ['Beta']);
    await ok('custom.grade[in]=a,b', ['Alpha', 'Beta']);
    await ok('custom.grade[empty]=true', ['Gamma']);
    await ok('custom.certs=ce', ['Alpha']);
    await ok('custom.certs[in]=ul,ce', ['Alpha', 'Beta']);
    await ok('custom.certs[nin]=ul', ['Alpha', 'Gamma']);
    await ok('custom.certs[empty]=true', ['Gamma']);
    await ok('custom.strategic=true', ['Alpha']);
    await ok('custom.strategic=false', ['Beta']);
    await ok('custom.strategic[empty]=true', ['Gamma']);
    await ok('sort=custom.plants', ['Alpha', 'Beta', 'Gamma']);
    for (const q of ['custom.plants[gt]=many', 'custom.audit_date[gt]=yesterday', 'custom.grade=z', 'custom.strategic=maybe', 'custom.nope=1', 'custom.plants[contains]=1']) {
      const res = await t.as(t.org.users.viewer, { method: 'GET', url: `/api/v1/accounts?${q}` });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
  });

  it('a required field is enforced on create and on edits that would empty it', async () => {
    const { admin, rep } = t.org.users;
    const def = await t.as(admin, { method: 'POST', url: '/api/v1/custom-fields', payload: { entity: 'account', key: 'erp_code', label: { en: 'ERP code' }, type: 'text', required: true } });
    expect(def.statusCode).toBe(201);
    const missing = await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'No ERP' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toEqual([{ path: 'custom.erp_code', message: 'Required', code: 'required' }]);
    const empty = await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Empty ERP', custom: { erp_code: '' } } });
    expect(empty.statusCode).toBe(400);
    const made = await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Has ERP', custom: { erp_code: 'E-1' } } });
    expect(made.statusCode).toBe(201);
    const clear = await t.as(rep, { method: 'PATCH', url: `/api/v1/accounts/${made.json().id}`, headers: { 'if-match': '"1"' }, payload: { custom: { erp_code: null } } });
    expect(clear.statusCode).toBe(400);
    // Removing the definition lifts the rule; stored values stay in the record.
    expect((await t.as(admin, { method: 'DELETE', url: `/api/v1/custom-fields/${def.json().id}` })).statusCode).toBe(200);
    expect((await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'No ERP' } })).statusCode).toBe(201);
    const kept = (await t.as(rep, { method: 'GET', url: `/api/v1/accounts/${made.json().id}` })).json();
    expect(kept.custom.erp_code).toBe('E-1');
  });

  it('editing a definition needs its version and keeps options to select types', async () => {
    const { admin } = t.org.users;
    expect((await t.as(admin, { method: 'PATCH', url: `/api/v1/custom-fields/${ids.grade}`, payload: { options: ['a', 'b', 'c', 'd'] } })).statusCode).toBe(428);
    const ok = await t.as(admin, { method: 'PATCH', url: `/api/v1/custom-fields/${ids.grade}`, headers: { 'if-match': '"1"' }, payload: { options: ['a', 'b', 'c', 'd'] } });
    expect(ok.statusCode).toBe(200);
    expect((await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Grade D', custom: { grade: 'd' } } })).statusCode).toBe(201);
    expect((await t.as(admin, { method: 'PATCH', url: `/api/v1/custom-fields/${ids.grade}`, headers: { 'if-match': '"1"' }, payload: { required: true } })).statusCode).toBe(409);
    expect((await t.as(admin, { method: 'PATCH', url: `/api/v1/custom-fields/${ids.plants}`, headers: { 'if-match': '"1"' }, payload: { options: ['x'] } })).statusCode).toBe(400);
  });

  it('definitions are per organization', async () => {
    const theirs = (await t.as(t.other.users.admin, { method: 'GET', url: '/api/v1/custom-fields' })).json().data as { key: string }[];
    expect(theirs.map((d) => d.key)).not.toContain('plants');
    const res = await t.as(t.other.users.rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'B', custom: { plants: 1 } } });
    expect(res.statusCode).toBe(400);
  });
});
