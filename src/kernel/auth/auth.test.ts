import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { TEST_PASSWORD, useTestApp, type TestUser } from '../../../tests/helpers/app.ts';

describeEachDb('authentication and sessions', (mode) => {
  const t = useTestApp(mode);

  async function login(email: string, password = TEST_PASSWORD) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    const cookies = Object.fromEntries(res.cookies.map((c) => [c.name, c]));
    const header = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    return { res, cookies, header, csrf: res.statusCode === 200 ? (res.json() as { csrfToken: string }).csrfToken : '' };
  }
  const newUser = async (role: 'rep' | 'viewer' = 'rep') => {
    const email = `u-${Math.random().toString(36).slice(2)}@test.example`;
    const res = await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/users', payload: { email, name: 'Temp', role, team: 'North', password: TEST_PASSWORD } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; email: string; version: number };
  };

  it('login sets an HttpOnly session cookie and a readable CSRF cookie', async () => {
    const { res, cookies, csrf } = await login(t.org.users.rep.email);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: { email: t.org.users.rep.email, role: 'rep' }, org: { id: t.org.id } });
    expect(cookies.accord_session).toMatchObject({ httpOnly: true, path: '/', sameSite: 'Lax' });
    expect(cookies.accord_csrf?.httpOnly).toBeFalsy();
    expect(cookies.accord_csrf?.value).toBe(csrf);
    expect(res.body).not.toContain(cookies.accord_session!.value);
  });

  it('the email is matched case-insensitively and trimmed', async () => {
    const { res } = await login(`  ${t.org.users.viewer.email.toUpperCase()} `);
    expect(res.statusCode).toBe(200);
  });

  it('cookie-authenticated writes need the session’s x-csrf-token; reads do not', async () => {
    const { header, csrf } = await login(t.org.users.rep.email);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: header } });
    expect(me.statusCode).toBe(200);
    expect(me.json().csrfToken).toBe(csrf);
    const payload = { name: 'CSRF Co' };
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/accounts', headers: { cookie: header }, payload });
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('csrf');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/accounts', headers: { cookie: header, 'x-csrf-token': csrf + 'x' }, payload });
    expect(wrong.statusCode).toBe(403);
    // Another session's token is just as wrong.
    const other = await login(t.org.users.rep2.email);
    const crossed = await t.app.inject({ method: 'POST', url: '/api/v1/accounts', headers: { cookie: header, 'x-csrf-token': other.csrf }, payload });
    expect(crossed.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/accounts', headers: { cookie: header, 'x-csrf-token': csrf }, payload });
    expect(ok.statusCode).toBe(201);
    const count = await t.database.query(`select count(*)::int as n from accounts where org_id = $1 and name = 'CSRF Co'`, [t.org.id]);
    expect((count.rows[0] as { n: number }).n).toBe(1);
  });

  it('Bearer tokens work without CSRF; malformed or unknown tokens get 401', async () => {
    const res = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Bearer Co' } });
    expect(res.statusCode).toBe(201);
    for (const authorization of ['Bearer nope', 'Basic dXNlcjpwYXNz', 'Bearer', `Token ${t.org.users.rep.token}`]) {
      const r = await t.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: { authorization } });
      expect(r.statusCode, authorization).toBe(401);
      expect(r.json().error.code).toBe('unauthorized');
    }
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/accounts' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error).toMatchObject({ code: 'unauthorized', message: 'Sign in first' });
  });

  it('a session stops working once it expires', async () => {
    const { header } = await login(t.org.users.rep2.email);
    const before = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: header } });
    expect(before.statusCode).toBe(200);
    // As if its lifetime had passed: the expiry is checked against the database clock on every request.
    await t.database.query(`update sessions set expires_at = now() - interval '1 second' where org_id = $1 and user_id = $2`, [t.org.id, t.org.users.rep2.id]);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: header } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthorized');
  });

  it('a revoked or expired token stops working at once', async () => {
    const created = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'script' } });
    expect(created.statusCode).toBe(201);
    const tok = created.json() as { id: string; token: string };
    const user: TestUser = { ...t.org.users.rep, token: tok.token };
    expect((await t.as(user, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    const listed = (await t.as(t.org.users.rep, { method: 'GET', url: '/api/v1/tokens' })).json().data as { id: string }[];
    expect(listed.map((x) => x.id)).toContain(tok.id);
    expect(JSON.stringify(listed)).not.toContain(tok.token);
    expect((await t.as(t.org.users.rep, { method: 'DELETE', url: `/api/v1/tokens/${tok.id}` })).statusCode).toBe(200);
    const after = await t.as(user, { method: 'GET', url: '/api/v1/auth/me' });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toMatch(/revoked/i);

    // A token cannot be made already expired (400); one that reaches its expiry stops working.
    const expired = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'old', expiresAt: new Date(Date.now() + 3600_000).toISOString() } });
    expect(expired.statusCode).toBe(201);
    await t.database.query(`update api_tokens set expires_at = now() - interval '1 second' where org_id = $1 and id = $2`, [t.org.id, expired.json().id]);
    expect((await t.as({ ...t.org.users.rep, token: expired.json().token }, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
  });

  it('a deactivated user’s sessions and tokens stop working, and they cannot sign in', async () => {
    const u = await newUser();
    const session = await login(u.email);
    expect(session.res.statusCode).toBe(200);
    const tokenRes = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: session.header, 'x-csrf-token': session.csrf }, payload: { name: 'mine' } });
    expect(tokenRes.statusCode).toBe(201);
    const token = tokenRes.json().token as string;
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);

    const off = await t.as(t.org.users.admin, { method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: { 'if-match': `"${u.version}"` }, payload: { active: false } });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ active: false });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: { cookie: session.header } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    const again = await login(u.email);
    expect(again.res.statusCode).toBe(401);
    expect(again.res.json().error.message).toBe('Wrong email or password');
    // Reactivating does not bring old tokens back.
    await t.as(t.org.users.admin, { method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: { 'if-match': `"${off.json().version}"` }, payload: { active: true } });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    expect((await login(u.email)).res.statusCode).toBe(200);
  });

  it('a wrong password and an unknown email get the same 401', async () => {
    const wrong = await login(t.org.users.rep.email, 'not-the-password');
    const unknown = await login('nobody-here@test.example', 'not-the-password');
    expect(wrong.res.statusCode).toBe(401);
    expect(unknown.res.statusCode).toBe(401);
    expect(wrong.res.json()).toEqual(unknown.res.json());
    expect(wrong.res.cookies).toEqual([]);
  });

  it('logout ends the session', async () => {
    const s = await login(t.org.users.manager.email);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s.header, 'x-csrf-token': s.csrf } });
    expect(out.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.header } })).statusCode).toBe(401);
  });

  it('a password change ends the user’s sessions', async () => {
    const u = await newUser();
    const s = await login(u.email);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${u.id}`,
      headers: { cookie: s.header, 'x-csrf-token': s.csrf, 'if-match': `"${u.version}"` },
      payload: { password: 'a-brand-new-password' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.header } })).statusCode).toBe(401);
    expect((await login(u.email, 'a-brand-new-password')).res.statusCode).toBe(200);
  });

  it('repeated failed logins for one address are slowed down with a clear 429', async () => {
    const email = `target-${Math.random().toString(36).slice(2)}@test.example`;
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 12; i++) {
      last = await login(email, 'guess-' + i);
      statuses.push(last.res.statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const body = last!.res.json();
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/rate limit|too many|retry/i);
    // Other addresses are not locked out by someone guessing this one.
    expect((await login(t.org.users.otherTeamRep.email)).res.statusCode).toBe(200);
  });

  it('login input is validated without revealing anything', async () => {
    for (const payload of [{}, { email: 'x' }, { email: '', password: '' }, { email: 'a@b.c', password: 'x', extra: 1 }, { email: ['a'], password: {} }]) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().error.code).toBe('validation_error');
    }
  });

  it('each login issues a new session and ends the one the browser had; the old cookie no longer works', async () => {
    const first = await login(t.org.users.manager.email);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: first.header } })).statusCode).toBe(200);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { cookie: first.header }, payload: { email: t.org.users.manager.email, password: TEST_PASSWORD } });
    expect(again.statusCode).toBe(200);
    const second = again.cookies.find((c) => c.name === 'accord_session')!;
    expect(second.value).not.toBe(first.cookies.accord_session!.value);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: first.header } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `accord_session=${second.value}` } })).statusCode).toBe(200);
    // Another browser's session of the same user is not touched.
    const other = await login(t.org.users.manager.email);
    await login(t.org.users.manager.email);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: other.header } })).statusCode).toBe(200);
  });

  it('cookies are Secure when the request came over HTTPS (x-forwarded-proto behind a trusted proxy), not over plain HTTP', async () => {
    const { buildServer } = await import('../../server.ts');
    const proxied = await buildServer({ database: t.database, config: { secureCookies: false, sessionDays: 1, bodyLimit: 1024 * 1024, trustProxy: true } });
    try {
      const payload = { email: t.org.users.viewer.email, password: TEST_PASSWORD };
      const https = await proxied.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload });
      expect(https.statusCode).toBe(200);
      for (const c of https.cookies) expect(c.secure, c.name).toBe(true);
      const http = await proxied.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
      for (const c of http.cookies) expect(c.secure, c.name).toBeFalsy();
    } finally {
      await proxied.close();
    }
    // Without a trusted proxy the header is a client's claim and is ignored.
    const direct = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload: { email: t.org.users.viewer.email, password: TEST_PASSWORD } });
    for (const c of direct.cookies) expect(c.secure, c.name).toBeFalsy();
  });
});
