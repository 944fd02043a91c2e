import { createHmac } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { TEST_PASSWORD, useTestApp } from '../../../tests/helpers/app.ts';

process.env.ACCORD_SECRET_KEY ??= 'test-only-secret-key-0123456789abcdef';

// RFC 4226 / 6238 written out here, independent of the library the server uses.
function base32(s: string): Buffer {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of s.replace(/=+$/, '').toUpperCase()) bits += abc.indexOf(ch).toString(2).padStart(5, '0');
  const out: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}
function hotp(key: Buffer, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = createHmac('sha1', key).update(msg).digest();
  const o = h[h.length - 1]! & 0xf;
  const bin = ((h[o]! & 0x7f) << 24) | (h[o + 1]! << 16) | (h[o + 2]! << 8) | h[o + 3]!;
  return String(bin % 10 ** digits).padStart(digits, '0');
}
const step = (ms = Date.now()) => Math.floor(ms / 1000 / 30);
const codeAt = (secret: string, s: number) => hotp(base32(secret), s);

it('the test’s own TOTP matches RFC 6238’s published SHA-1 vectors', () => {
  const key = Buffer.from('12345678901234567890');
  expect(hotp(key, Math.floor(59 / 30), 8)).toBe('94287082');
  expect(hotp(key, Math.floor(1111111109 / 30), 8)).toBe('07081804');
  expect(hotp(key, Math.floor(2000000000 / 30), 8)).toBe('69279037');
});

describeEachDb('two-factor sign-in', (mode) => {
  const t = useTestApp(mode);

  async function login(email: string, extra: Record<string, string> = {}) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD, ...extra } });
    const header = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const csrf = res.statusCode === 200 ? (res.json() as { csrfToken: string }).csrfToken : '';
    const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: { cookie: header, 'x-csrf-token': csrf }, ...(payload ? { payload } : {}) });
    return { res, header, csrf, call };
  }
  async function newUser() {
    const email = `tf-${Math.random().toString(36).slice(2)}@test.example`;
    const res = await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/users', payload: { email, name: 'Two Factor', role: 'rep', password: TEST_PASSWORD } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; email: string };
  }
  const sessionCount = async (userId: string) =>
    ((await t.database.query(`select count(*)::int as n from sessions where org_id = $1 and user_id = $2`, [t.org.id, userId])).rows[0] as { n: number }).n;

  /** A user with two-factor on; returns the secret, recovery codes and the step its confirming code used. */
  async function enrolled() {
    const u = await newUser();
    const s = await login(u.email);
    const start = await s.call('POST', '/api/v1/auth/two-factor/enrol', {});
    expect(start.statusCode, start.body).toBe(200);
    const { secret } = start.json() as { secret: string };
    const used = step();
    const ok = await s.call('POST', '/api/v1/auth/two-factor/confirm', { code: codeAt(secret, used) });
    expect(ok.statusCode, ok.body).toBe(200);
    return { u, secret, used, recoveryCodes: (ok.json() as { recoveryCodes: string[] }).recoveryCodes, session: s };
  }

  it('enrolment: a secret, its otpauth URI and a QR code; only a right code turns it on', async () => {
    const u = await newUser();
    const s = await login(u.email);
    const start = await s.call('POST', '/api/v1/auth/two-factor/enrol', {});
    expect(start.statusCode, start.body).toBe(200);
    const body = start.json() as { secret: string; otpauthUri: string; qrDataUrl: string };
    expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(body.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(body.secret);
    expect(uri.searchParams.get('issuer')).toBe('Accord');
    expect(decodeURIComponent(uri.pathname)).toContain(u.email);
    expect(body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(Buffer.from(body.qrDataUrl.split(',')[1]!, 'base64').subarray(1, 4).toString()).toBe('PNG');

    // Stored encrypted: neither the base32 secret nor its bytes appear in the row.
    const row = (await t.database.query(`select secret_enc, enabled_at from user_two_factor where org_id = $1 and user_id = $2`, [t.org.id, u.id])).rows[0] as { secret_enc: string; enabled_at: string | null };
    expect(row.enabled_at).toBeNull();
    expect(row.secret_enc).not.toContain(body.secret);
    expect(row.secret_enc.startsWith('v1.')).toBe(true);

    let st = (await s.call('GET', '/api/v1/auth/two-factor')).json();
    expect(st).toMatchObject({ enabled: false, pendingEnrolment: true });
    // Not on yet: signing in still needs no code.
    expect((await login(u.email)).res.statusCode).toBe(200);

    const wrong = await s.call('POST', '/api/v1/auth/two-factor/confirm', { code: codeAt(body.secret, step() + 5) });
    // Signed in, a wrong code is a wrong field (400), not "your session ended" (401).
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'invalid_code', fields: [{ path: 'code', code: 'invalid_code' }] });
    const bad = await s.call('POST', '/api/v1/auth/two-factor/confirm', { code: 'x' });
    expect(bad.statusCode).toBe(400);

    const ok = await s.call('POST', '/api/v1/auth/two-factor/confirm', { code: codeAt(body.secret, step()) });
    expect(ok.statusCode, ok.body).toBe(200);
    const codes = (ok.json() as { recoveryCodes: string[] }).recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const stored = (await t.database.query(`select code_hash from user_recovery_codes where org_id = $1 and user_id = $2`, [t.org.id, u.id])).rows as { code_hash: string }[];
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(codes[0]!.replace('-', ''));

    st = (await s.call('GET', '/api/v1/auth/two-factor')).json();
    expect(st).toMatchObject({ enabled: true, pendingEnrolment: false, recoveryCodesLeft: 10 });
    // A second enrolment while on is refused, so nobody silently swaps the device.
    expect((await s.call('POST', '/api/v1/auth/two-factor/enrol', {})).statusCode).toBe(409);
    const audit = await t.database.query(`select action from audit_log where org_id = $1 and entity_id = $2 and action = 'enable_two_factor'`, [t.org.id, u.id]);
    expect(audit.rows).toHaveLength(1);
  });

  it('sign-in needs the code: none → "code required" and no session; wrong → 401; a code is accepted once', async () => {
    const { u, secret, used } = await enrolled();
    const before = await sessionCount(u.id);

    const none = await login(u.email);
    expect(none.res.statusCode).toBe(401);
    expect(none.res.json().error.code).toBe('two_factor_required');
    expect(none.res.cookies).toEqual([]);
    expect(await sessionCount(u.id)).toBe(before);

    const wrong = await login(u.email, { code: String((Number(codeAt(secret, step())) + 1) % 1e6).padStart(6, '0') });
    expect(wrong.res.statusCode).toBe(401);
    expect(wrong.res.json().error.code).toBe('invalid_code');
    expect(wrong.res.cookies).toEqual([]);

    // The code that confirmed enrolment is still inside its window, but was used: a replay.
    const replay = await login(u.email, { code: codeAt(secret, used) });
    expect(replay.res.statusCode).toBe(401);
    expect(replay.res.json().error.code).toBe('invalid_code');

    // The next step's code is within the accepted drift and not used yet.
    const next = codeAt(secret, used + 1);
    const ok = await login(u.email, { code: next });
    expect(ok.res.statusCode, ok.res.body).toBe(200);
    expect(ok.res.cookies.map((c) => c.name)).toContain('accord_session');
    expect((await ok.call('GET', '/api/v1/accounts')).statusCode).toBe(200);
    const again = await login(u.email, { code: next });
    expect(again.res.statusCode).toBe(401);
    expect(await sessionCount(u.id)).toBe(before + 1);

    // A wrong password with a right code says nothing about the second factor.
    const wrongPw = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: 'not-the-password', code: codeAt(secret, step()) } });
    expect(wrongPw.statusCode).toBe(401);
    expect(wrongPw.json().error.message).toBe('Wrong email or password');
  });

  it('recovery codes sign in once each', async () => {
    const { u, recoveryCodes, session } = await enrolled();
    const first = await login(u.email, { code: recoveryCodes[0]!.toUpperCase() });
    expect(first.res.statusCode, first.res.body).toBe(200);
    const reuse = await login(u.email, { code: recoveryCodes[0]! });
    expect(reuse.res.statusCode).toBe(401);
    expect(reuse.res.json().error.code).toBe('invalid_code');
    expect((await login(u.email, { code: recoveryCodes[1]!.replace('-', ' ') })).res.statusCode).toBe(200);
    expect((await session.call('GET', '/api/v1/auth/two-factor')).json().recoveryCodesLeft).toBe(8);
  });

  it('wrong codes are limited per user: after 5, even the right code gets 429 until the window passes', async () => {
    const { u, secret, used } = await enrolled();
    for (let i = 0; i < 5; i++) {
      const r = await login(u.email, { code: String(100000 + i) === codeAt(secret, step()) ? '999999' : String(100000 + i) });
      expect(r.res.statusCode).toBe(401);
    }
    const blocked = await login(u.email, { code: codeAt(secret, used + 1) });
    expect(blocked.res.statusCode).toBe(429);
    expect(blocked.res.json().error.code).toBe('rate_limited');
    // As if the 15 minutes had passed.
    await t.database.query(`update user_two_factor set failed_since = now() - interval '16 minutes' where org_id = $1 and user_id = $2`, [t.org.id, u.id]);
    expect((await login(u.email, { code: codeAt(secret, used + 1) })).res.statusCode).toBe(200);
    const row = (await t.database.query(`select failed_attempts from user_two_factor where org_id = $1 and user_id = $2`, [t.org.id, u.id])).rows[0] as { failed_attempts: number };
    expect(row.failed_attempts).toBe(0);
  });

  it('turning it off needs the password and a code; API tokens cannot manage it', async () => {
    const { u, recoveryCodes, session } = await enrolled();
    const wrongPw = await session.call('POST', '/api/v1/auth/two-factor/disable', { password: 'nope-nope-nope', code: recoveryCodes[0]! });
    expect(wrongPw.statusCode).toBe(400);
    expect(wrongPw.json().error.fields[0]).toMatchObject({ path: 'password', code: 'wrong_password' });
    const wrongCode = await session.call('POST', '/api/v1/auth/two-factor/disable', { password: TEST_PASSWORD, code: '000000' });
    expect(wrongCode.statusCode).toBe(400);
    expect(wrongCode.json().error.code).toBe('invalid_code');
    const off = await session.call('POST', '/api/v1/auth/two-factor/disable', { password: TEST_PASSWORD, code: recoveryCodes[0]! });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    expect((await login(u.email)).res.statusCode).toBe(200);

    const viaToken = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/auth/two-factor/enrol', payload: {} });
    expect(viaToken.statusCode).toBe(403);
  });

  it('an admin can reset a lost device; others cannot', async () => {
    const { u } = await enrolled();
    expect((await t.as(t.org.users.manager, { method: 'DELETE', url: `/api/v1/users/${u.id}/two-factor` })).statusCode).toBe(403);
    expect((await t.as(t.other.users.admin, { method: 'DELETE', url: `/api/v1/users/${u.id}/two-factor` })).statusCode).toBe(404);
    const reset = await t.as(t.org.users.admin, { method: 'DELETE', url: `/api/v1/users/${u.id}/two-factor` });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(await sessionCount(u.id)).toBe(0);
    expect((await login(u.email)).res.statusCode).toBe(200);
  });

  it('an organization that requires it makes users without it enrol at their next sign-in', async () => {
    const admin = t.org.users.admin;
    const cur = await t.as(admin, { method: 'GET', url: '/api/v1/organization/security' });
    expect(cur.json()).toMatchObject({ requireTwoFactor: false });
    expect((await t.as(t.org.users.manager, { method: 'PUT', url: '/api/v1/organization/security', payload: { requireTwoFactor: true, version: cur.json().version } })).statusCode).toBe(403);
    expect((await t.as(admin, { method: 'PUT', url: '/api/v1/organization/security', payload: { requireTwoFactor: true } })).statusCode).toBe(428);
    const on = await t.as(admin, { method: 'PUT', url: '/api/v1/organization/security', payload: { requireTwoFactor: true, version: cur.json().version } });
    expect(on.statusCode, on.body).toBe(200);
    try {
      const u = await newUser();
      const s = await login(u.email);
      expect(s.res.statusCode).toBe(200);
      expect(s.res.json().twoFactorEnrolmentRequired).toBe(true);
      const me = await s.call('GET', '/api/v1/auth/me');
      expect(me.statusCode).toBe(200);
      expect(me.json().twoFactorEnrolmentRequired).toBe(true);
      for (const [method, url] of [['GET', '/api/v1/accounts'], ['GET', '/api/v1/contacts'], ['POST', '/api/v1/tokens']] as const) {
        const r = await s.call(method, url, method === 'POST' ? { name: 'sneaky' } : undefined);
        expect(r.statusCode, url).toBe(403);
        expect(r.json().error.code).toBe('two_factor_enrolment_required');
      }
      const start = await s.call('POST', '/api/v1/auth/two-factor/enrol', {});
      const secret = (start.json() as { secret: string }).secret;
      const ok = await s.call('POST', '/api/v1/auth/two-factor/confirm', { code: codeAt(secret, step()) });
      expect(ok.statusCode, ok.body).toBe(200);
      // The same session is a full one now.
      expect((await s.call('GET', '/api/v1/accounts')).statusCode).toBe(200);
      expect((await s.call('GET', '/api/v1/auth/me')).json().twoFactorEnrolmentRequired).toBeUndefined();
      // Required: it cannot be turned off by the user.
      const off = await s.call('POST', '/api/v1/auth/two-factor/disable', { password: TEST_PASSWORD, code: ok.json().recoveryCodes[0] });
      expect(off.statusCode).toBe(403);
      // Users with API tokens keep them working (tokens are not sessions).
      expect((await t.as(t.org.users.rep, { method: 'GET', url: '/api/v1/accounts' })).statusCode).toBe(200);
    } finally {
      await t.as(admin, { method: 'PUT', url: '/api/v1/organization/security', payload: { requireTwoFactor: false, version: on.json().version } });
    }
  });
});
