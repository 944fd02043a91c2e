import { expect, it } from 'vitest';
import { TEST_PASSWORD, useTestApp } from '../../../tests/helpers/app.ts';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { systemActor } from '../../kernel/actor.ts';
import { addUser } from '../users/commands.ts';
import { API_TOKEN_PREFIX, newOrgToken, newToken, tokenHash, tokenOrg } from '../../kernel/auth/secrets.ts';

describeEachDb('login when one email belongs to users of two organizations', (mode) => {
  const t = useTestApp(mode);

  it('signs into the organization whose user has the password given; the email is unique only within an organization', async () => {
    const email = `shared-${Date.now()}@test.example`;
    const add = (orgId: string, password: string) => t.database.db.transaction((tx) => addUser(tx, systemActor(orgId), { email, name: 'Shared Person', role: 'rep', password }));
    const inA = await add(t.org.id, TEST_PASSWORD);
    const inB = await add(t.other.id, 'another-password-entirely');
    await expect(add(t.org.id, 'x-password-long-enough')).rejects.toMatchObject({ status: 400 });

    const login = (password: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: email.toUpperCase(), password } });
    const a = await login(TEST_PASSWORD);
    expect(a.statusCode).toBe(200);
    expect(a.json()).toMatchObject({ user: { id: inA.id }, org: { id: t.org.id } });
    const b = await login('another-password-entirely');
    expect(b.statusCode).toBe(200);
    expect(b.json()).toMatchObject({ user: { id: inB.id }, org: { id: t.other.id } });
    expect((await login('wrong-password-here')).statusCode).toBe(401);
  });
});

describeEachDb('sign-in, sessions and tokens name their organization (distributable by org_id)', (mode) => {
  const t = useTestApp(mode);

  it('keeps login_emails in step with users: every user of both organizations, no other row', async () => {
    const email = `step-${Date.now()}@test.example`;
    await t.database.db.transaction((tx) => addUser(tx, systemActor(t.org.id), { email: email.toUpperCase(), name: 'Step', role: 'rep', password: TEST_PASSWORD }));
    for (const orgId of [t.org.id, t.other.id]) {
      const { rows: inUsers } = await t.database.query('select lower(email) as e from users where org_id = $1 order by 1', [orgId]);
      const { rows: inLogin } = await t.database.query('select email as e from login_emails where organization_id = $1 order by 1', [orgId]);
      expect(inLogin).toEqual(inUsers);
    }
    const { rows } = await t.database.query('select organization_id from login_emails where email = $1', [email]);
    expect(rows).toEqual([{ organization_id: t.org.id }]);
  });

  it('signs into the organization asked for by slug when the same email and password are in two', async () => {
    const email = `two-${Date.now()}@test.example`;
    const add = (orgId: string) => t.database.db.transaction((tx) => addUser(tx, systemActor(orgId), { email, name: 'Two Orgs', role: 'rep', password: TEST_PASSWORD }));
    const inA = await add(t.org.id);
    const inB = await add(t.other.id);
    const { rows } = await t.database.query('select id, slug from organizations where id = any($1::uuid[])', [[t.org.id, t.other.id]]);
    const slug = Object.fromEntries((rows as { id: string; slug: string }[]).map((r) => [r.id, r.slug]));
    const login = (organization?: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD, ...(organization ? { organization } : {}) } });
    // Without a choice: the oldest user with this password, as before.
    expect((await login()).json()).toMatchObject({ user: { id: inA.id }, org: { id: t.org.id } });
    expect((await login(slug[t.other.id])).json()).toMatchObject({ user: { id: inB.id }, org: { id: t.other.id } });
    expect((await login(slug[t.org.id])).json()).toMatchObject({ user: { id: inA.id } });
    expect((await login('no-such-organization')).statusCode).toBe(401);
  });

  it('session cookies and API tokens carry their organization; a token of the old format or of a forged organization is refused', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: t.org.users.rep.email, password: TEST_PASSWORD } });
    const cookie = res.cookies.find((c) => c.name === 'accord_session')!.value;
    expect(tokenOrg(cookie)).toBe(t.org.id);
    expect(tokenOrg(t.org.users.rep.token, API_TOKEN_PREFIX)).toBe(t.org.id);
    const me = (authorization: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization } });
    expect((await me(`Bearer ${t.org.users.rep.token}`)).statusCode).toBe(200);
    // The old format: acc_ and random bytes only.
    const old = newToken('acc_');
    await t.database.query(`insert into api_tokens (org_id, user_id, name, prefix, token_hash) values ($1, $2, 'old', 'acc_xxxx', $3)`, [t.org.id, t.org.users.rep.id, tokenHash(old)]);
    expect((await me(`Bearer ${old}`)).statusCode).toBe(401);
    // The same random part under another organization's key: not found there.
    const forged = API_TOKEN_PREFIX + newOrgToken(t.other.id).split('.')[0] + t.org.users.rep.token.slice(t.org.users.rep.token.indexOf('.'));
    expect(tokenOrg(forged, API_TOKEN_PREFIX)).toBe(t.other.id);
    expect((await me(`Bearer ${forged}`)).statusCode).toBe(401);
  });
});
