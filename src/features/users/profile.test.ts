import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { TEST_PASSWORD, useTestApp } from '../../../tests/helpers/app.ts';

describeEachDb('PATCH /api/v1/users/me', (mode) => {
  const t = useTestApp(mode);

  async function login(email: string, password = TEST_PASSWORD) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    const header = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    return { status: res.statusCode, header, csrf: res.statusCode === 200 ? (res.json() as { csrfToken: string }).csrfToken : '' };
  }
  const patchMe = (s: { header: string; csrf: string }, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PATCH', url: '/api/v1/users/me', headers: { cookie: s.header, 'x-csrf-token': s.csrf }, payload });

  it('any role changes their own name and language, without a version; the change is audited', async () => {
    const { viewer } = t.org.users;
    const r = await t.as(viewer, { method: 'PATCH', url: '/api/v1/users/me', payload: { name: 'Vera Viewer', locale: 'zh-TW' } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ id: viewer.id, name: 'Vera Viewer', locale: 'zh-TW', role: 'viewer' });
    expect(JSON.stringify(r.json())).not.toMatch(/password|hash/i);
    const back = await t.as(viewer, { method: 'PATCH', url: '/api/v1/users/me', payload: { locale: null } });
    expect(back.json()).toMatchObject({ locale: null, version: r.json().version + 1 });
    // A stale version, when sent, is a conflict like everywhere else.
    const stale = await t.as(viewer, { method: 'PATCH', url: '/api/v1/users/me', headers: { 'if-match': `"${r.json().version}"` }, payload: { name: 'X' } });
    expect(stale.statusCode).toBe(409);
    const audit = await t.database.query(`select count(*)::int as n from audit_log where org_id = $1 and entity = 'user' and entity_id = $2 and action = 'update'`, [t.org.id, viewer.id]);
    expect((audit.rows[0] as { n: number }).n).toBe(2);
  });

  it('refuses role, team and activation changes and unknown languages', async () => {
    const { rep } = t.org.users;
    for (const payload of [{ role: 'admin' }, { team: 'South' }, { active: false }, { locale: 'fr' }, { name: '' }]) {
      const r = await t.as(rep, { method: 'PATCH', url: '/api/v1/users/me', payload });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const me = (await t.as(rep, { method: 'GET', url: `/api/v1/users/${rep.id}` })).json();
    expect(me).toMatchObject({ role: 'rep', team: 'North', active: true });
  });

  it('a new password needs the current one and signs out the other sessions, not this one', async () => {
    const { rep2 } = t.org.users;
    const here = await login(rep2.email);
    const elsewhere = await login(rep2.email);
    const missing = await patchMe(here, { newPassword: 'a-brand-new-secret' });
    expect(missing.json().error.fields).toEqual([{ path: 'currentPassword', message: 'Required to set a new password', code: 'required' }]);
    const wrong = await patchMe(here, { currentPassword: 'not-my-password', newPassword: 'a-brand-new-secret' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields).toEqual([{ path: 'currentPassword', message: 'The current password is not correct', code: 'wrong_password' }]);
    const short = await patchMe(here, { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(short.json().error.fields[0]).toMatchObject({ path: 'newPassword', code: 'too_small', params: { minimum: 10 } });
    const ok = await patchMe(here, { currentPassword: TEST_PASSWORD, newPassword: 'a-brand-new-secret' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: here.header } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: elsewhere.header } })).statusCode).toBe(401);
    expect((await login(rep2.email)).status).toBe(401);
    expect((await login(rep2.email, 'a-brand-new-secret')).status).toBe(200);
    const logged = await t.database.query(`select after from audit_log where org_id = $1 and entity_id = $2 order by at desc limit 1`, [t.org.id, rep2.id]);
    expect(JSON.stringify(logged.rows[0])).toContain('(changed)');
    expect(JSON.stringify(logged.rows[0])).not.toContain('a-brand-new-secret');
  });

  it('only ever touches the caller: another organization’s user with the same token shape is not reachable', async () => {
    const before = (await t.as(t.other.users.rep, { method: 'GET', url: `/api/v1/users/${t.other.users.rep.id}` })).json();
    await t.as(t.org.users.manager, { method: 'PATCH', url: '/api/v1/users/me', payload: { name: 'Manager M' } });
    const after = (await t.as(t.other.users.rep, { method: 'GET', url: `/api/v1/users/${t.other.users.rep.id}` })).json();
    expect(after).toEqual(before);
  });
});
