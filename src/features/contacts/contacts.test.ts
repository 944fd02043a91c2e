import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp } from '../../../tests/helpers/app.ts';

describeEachDb('contacts API', (mode) => {
  const t = useTestApp(mode);
  const post = (payload: Record<string, unknown>, user = t.org.users.rep) => t.as(user, { method: 'POST', url: '/api/v1/contacts', payload });

  it('derives names, lower-cases email, finds Chinese partial names, and audits', async () => {
    const acc = (await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: '深圳明华照明有限公司' } })).json();
    const zh = await post({ fullName: '张伟', email: '  Zhang.Wei@MingHua.CN ', accountId: acc.id, consent: 'granted', language: 'zh-CN' });
    expect(zh.statusCode).toBe(201);
    expect(zh.json()).toMatchObject({ fullName: '张伟', lastName: '张', firstName: '伟', email: 'zhang.wei@minghua.cn', consent: 'granted', doNotEmail: false, ownerId: t.org.users.rep.id });
    const en = (await post({ firstName: 'Anna', lastName: 'Berg' })).json();
    expect(en.fullName).toBe('Anna Berg');
    const renamed = await t.as(t.org.users.rep, { method: 'PATCH', url: `/api/v1/contacts/${en.id}`, payload: { lastName: 'Lind', version: 1 } });
    expect(renamed.json()).toMatchObject({ fullName: 'Anna Lind', version: 2 });
    const found = (await t.as(t.org.users.viewer, { method: 'GET', url: `/api/v1/contacts?q=${encodeURIComponent('伟')}` })).json();
    expect(found.data.map((c: { id: string }) => c.id)).toEqual([zh.json().id]);
    const byEmail = (await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/contacts?q=MINGHUA' })).json();
    expect(byEmail.data).toHaveLength(1);
    const filtered = (await t.as(t.org.users.viewer, { method: 'GET', url: `/api/v1/contacts?accountId=${acc.id}&consent=granted&doNotEmail=false&language=zh-CN` })).json();
    expect(filtered.data.map((c: { id: string }) => c.id)).toEqual([zh.json().id]);
    const audit = await t.database.query(`select action from audit_log where org_id = $1 and entity = 'contact' and entity_id = $2 order by at`, [t.org.id, en.id]);
    expect(audit.rows.map((r) => (r as { action: string }).action)).toEqual(['create', 'update']);
  });

  it('validates email, consent, names, source and account references', async () => {
    const bad = await post({ fullName: 'X', email: 'not-an-email', consent: 'maybe', source: 'carrier_pigeon' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['email', 'consent']));
    const vocab = await post({ fullName: 'X', source: 'carrier_pigeon' });
    expect(vocab.json().error.fields).toEqual([{ path: 'source', message: expect.stringContaining('carrier_pigeon'), code: 'unknown_term', params: { vocabulary: 'lead_source', value: 'carrier_pigeon' } }]);
    const noName = await post({ email: 'a@b.example' });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().error.fields[0].path).toBe('fullName');
    const foreign = (await t.as(t.other.users.rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Other Org Co' } })).json();
    const cross = await post({ fullName: 'X', accountId: foreign.id });
    expect(cross.statusCode).toBe(400);
    expect(cross.json().error.fields).toEqual([{ path: 'accountId', message: 'Account not found', code: 'not_found', params: { entity: 'account' } }]);
    const gone = (await post({ fullName: 'Y' })).json();
    const acc = (await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Soon Gone' } })).json();
    await t.as(t.org.users.rep, { method: 'DELETE', url: `/api/v1/accounts/${acc.id}` });
    const toDeleted = await t.as(t.org.users.rep, { method: 'PATCH', url: `/api/v1/contacts/${gone.id}`, payload: { accountId: acc.id, version: 1 } });
    expect(toDeleted.statusCode).toBe(400);
  });

  it('conflicts, deletes, restores; permissions and tenant isolation', async () => {
    const { rep, rep2, otherTeamRep, viewer, manager } = t.org.users;
    const c = (await post({ fullName: 'Team Contact' })).json();
    expect((await post({ fullName: 'V' }, viewer)).statusCode).toBe(403);
    expect((await t.as(viewer, { method: 'PATCH', url: `/api/v1/contacts/${c.id}`, payload: { title: 'X', version: 1 } })).statusCode).toBe(403);
    expect((await t.as(otherTeamRep, { method: 'PATCH', url: `/api/v1/contacts/${c.id}`, payload: { title: 'X', version: 1 } })).statusCode).toBe(403);
    expect((await t.as(rep2, { method: 'PATCH', url: `/api/v1/contacts/${c.id}`, payload: { title: 'Buyer', version: 1 } })).statusCode).toBe(200);
    const stale = await t.as(manager, { method: 'PATCH', url: `/api/v1/contacts/${c.id}`, headers: { 'if-match': '"1"' }, payload: { title: 'Y' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.current).toMatchObject({ title: 'Buyer', version: 2 });
    expect((await t.as(rep, { method: 'DELETE', url: `/api/v1/contacts/${c.id}` })).statusCode).toBe(200);
    expect((await t.as(rep, { method: 'GET', url: `/api/v1/contacts/${c.id}` })).statusCode).toBe(404);
    expect((await t.as(rep, { method: 'POST', url: `/api/v1/contacts/${c.id}/restore` })).statusCode).toBe(200);
    const spy = t.other.users.admin;
    expect((await t.as(spy, { method: 'GET', url: `/api/v1/contacts/${c.id}` })).statusCode).toBe(404);
    expect((await t.as(spy, { method: 'GET', url: '/api/v1/contacts?q=Team' })).json().data).toEqual([]);
    expect((await t.as(spy, { method: 'PATCH', url: `/api/v1/contacts/${c.id}`, payload: { title: 'Z', version: 3 } })).statusCode).toBe(404);
  });
});
