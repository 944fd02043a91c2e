import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { TEST_PASSWORD, useTestApp } from '../../../tests/helpers/app.ts';

describeEachDb('users and tokens API', (mode) => {
  const t = useTestApp(mode);
  const email = () => `u-${Math.random().toString(36).slice(2)}@test.example`;

  it('colleagues are listed by name for everyone; e-mail addresses only for administrators and oneself', async () => {
    const { admin, viewer, rep } = t.org.users;
    const all = (await t.as(admin, { method: 'GET', url: '/api/v1/users' })).json().data as { id: string; email: string | null }[];
    expect(all.length).toBeGreaterThan(4);
    expect(all.every((u) => typeof u.email === 'string' && u.email.includes('@'))).toBe(true);
    for (const who of [viewer, rep, t.org.users.manager]) {
      const seen = (await t.as(who, { method: 'GET', url: '/api/v1/users' })).json().data as { id: string; name: string; email: string | null }[];
      expect(seen.map((u) => u.id).sort()).toEqual(all.map((u) => u.id).sort());
      expect(seen.filter((u) => u.email !== null).map((u) => u.id)).toEqual([who.id]);
      expect(seen.every((u) => u.name.length > 0)).toBe(true);
      const one = (await t.as(who, { method: 'GET', url: `/api/v1/users/${admin.id}` })).json();
      expect(one.email).toBeNull();
      expect(JSON.stringify(await t.as(who, { method: 'GET', url: '/api/v1/users' }).then((r) => r.body))).not.toContain(admin.email);
    }
  });

  it('a team file: people become inactive users without a login, matched again by name by a later deal import; all rows or none; admins only', async () => {
    const { admin, manager } = t.org.users;
    const members = [{ name: 'Zoë Ortega', team: 'Madrid office' }, { name: 'Kai Berg', email: 'kai.berg@office.example', role: 'manager' }, { name: 'rep user' }];
    expect((await t.as(manager, { method: 'POST', url: '/api/v1/users/import', payload: { members } })).statusCode).toBe(403);
    const bad = await t.as(admin, { method: 'POST', url: '/api/v1/users/import', payload: { members: [...members, { name: 'No Mail', email: 'not-an-email' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['members.3.email']);
    expect((await t.database.query(`select count(*)::int as n from users where org_id = $1 and name = 'Zoë Ortega'`, [t.org.id])).rows[0]).toEqual({ n: 0 });
    const dry = (await t.as(admin, { method: 'POST', url: '/api/v1/users/import', payload: { members, dryRun: true } })).json();
    expect(dry.created.map((c: { name: string }) => c.name)).toEqual(['Zoë Ortega', 'Kai Berg']);
    expect((await t.database.query(`select count(*)::int as n from users where org_id = $1 and name = 'Zoë Ortega'`, [t.org.id])).rows[0]).toEqual({ n: 0 });
    const res = await t.as(admin, { method: 'POST', url: '/api/v1/users/import', payload: { members } });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.existing).toEqual([expect.objectContaining({ line: 4, id: t.org.users.rep.id, matchedBy: 'name' })]);
    const made = (await t.database.query(`select name, email, team, role, active, password_hash from users where org_id = $1 and name in ('Zoë Ortega', 'Kai Berg') order by name`, [t.org.id])).rows;
    expect(made).toEqual([
      { name: 'Kai Berg', email: 'kai.berg@office.example', team: null, role: 'manager', active: false, password_hash: null },
      { name: 'Zoë Ortega', email: expect.stringMatching(/^zoe\.ortega\.[0-9a-f]{8}@imported\.invalid$/), team: 'Madrid office', role: 'rep', active: false, password_hash: null },
    ]);
    // They cannot sign in.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'kai.berg@office.example', password: 'anything-at-all-1' } })).statusCode).toBe(401);
    // The same file again changes nothing.
    const again = (await t.as(admin, { method: 'POST', url: '/api/v1/users/import', payload: { members } })).json();
    expect([again.created.length, again.existing.length]).toEqual([0, 3]);
    // A deal file naming them by name finds them without creating anyone.
    const { importFile } = await import('../imports/commands.ts');
    const { Readable } = await import('node:stream');
    const deals = 'Deal Name,Account Name,Deal owner\nMadrid fit-out,Prado Hotels,ZOE ORTEGA\n';
    const imp = await importFile(t.database, { orgId: t.org.id, actorId: admin.id, entity: 'opportunities', format: 'csv', source: Readable.from([Buffer.from(deals)]), createAccounts: true });
    expect(imp).toMatchObject({ inserted: 1, errors: 0, usersCreated: 0 });
  });

  it('only admins add users or change roles, teams and activation', async () => {
    const payload = { email: email(), name: 'New Person', role: 'rep', team: 'North', password: TEST_PASSWORD };
    for (const who of ['manager', 'rep', 'viewer'] as const) {
      const res = await t.as(t.org.users[who], { method: 'POST', url: '/api/v1/users', payload });
      expect(res.statusCode, who).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    const made = await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/users', payload });
    expect(made.statusCode).toBe(201);
    const u = made.json();
    expect(u).toMatchObject({ email: payload.email, role: 'rep', team: 'North', active: true });
    expect(JSON.stringify(u)).not.toMatch(/password|hash/i);
    for (const who of ['manager', 'rep', 'viewer'] as const) {
      for (const patch of [{ role: 'admin' }, { team: 'South' }, { active: false }, { name: 'Renamed' }]) {
        const res = await t.as(t.org.users[who], { method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: { 'if-match': '"1"' }, payload: patch });
        expect(res.statusCode, `${who} ${JSON.stringify(patch)}`).toBe(403);
      }
    }
    const promoted = await t.as(t.org.users.admin, { method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: { 'if-match': '"1"' }, payload: { role: 'manager' } });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ role: 'manager', version: 2 });
    const audit = await t.database.query(`select action from audit_log where org_id = $1 and entity = 'user' and entity_id = $2 order by at`, [t.org.id, u.id]);
    expect(audit.rows.map((r) => (r as { action: string }).action)).toEqual(['create', 'update']);
  });

  it('everyone edits their own name and locale, but not their own role; nobody deactivates themselves', async () => {
    const { rep, admin } = t.org.users;
    const cur = (await t.as(rep, { method: 'GET', url: `/api/v1/users/${rep.id}` })).json();
    const ok = await t.as(rep, { method: 'PATCH', url: `/api/v1/users/${rep.id}`, headers: { 'if-match': `"${cur.version}"` }, payload: { name: 'Rep Renamed', locale: 'zh-CN' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'Rep Renamed', locale: 'zh-CN' });
    const self = await t.as(rep, { method: 'PATCH', url: `/api/v1/users/${rep.id}`, headers: { 'if-match': `"${ok.json().version}"` }, payload: { role: 'admin' } });
    expect(self.statusCode).toBe(403);
    const adminSelf = (await t.as(admin, { method: 'GET', url: `/api/v1/users/${admin.id}` })).json();
    const off = await t.as(admin, { method: 'PATCH', url: `/api/v1/users/${admin.id}`, headers: { 'if-match': `"${adminSelf.version}"` }, payload: { active: false } });
    expect(off.statusCode).toBe(403);
  });

  it('edits need the current version', async () => {
    const u = (await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/users', payload: { email: email(), name: 'V', role: 'viewer', password: TEST_PASSWORD } })).json();
    expect((await t.as(t.org.users.admin, { method: 'PATCH', url: `/api/v1/users/${u.id}`, payload: { name: 'W' } })).statusCode).toBe(428);
    expect((await t.as(t.org.users.admin, { method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: { 'if-match': '"7"' }, payload: { name: 'W' } })).statusCode).toBe(409);
    expect((await t.as(t.org.users.admin, { method: 'PATCH', url: `/api/v1/users/${u.id}`, payload: { name: 'W', version: 1 } })).statusCode).toBe(200);
  });

  it('rejects duplicate emails within the organization (another organization may have the address), weak passwords and unknown roles', async () => {
    const dup = await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/users', payload: { email: t.org.users.rep.email.toUpperCase(), name: 'Dup', role: 'rep', password: TEST_PASSWORD } });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.fields[0].path).toBe('email');
    // An email is unique per organization: the same person may have a user in each.
    const elsewhere = await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/users', payload: { email: t.other.users.rep.email.toUpperCase(), name: 'Same person', role: 'rep', password: TEST_PASSWORD } });
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);
    expect(elsewhere.body).not.toContain(t.other.id);
    const weak = await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/users', payload: { email: email(), name: 'W', role: 'rep', password: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields[0].path).toBe('password');
    const role = await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/users', payload: { email: email(), name: 'W', role: 'owner', password: TEST_PASSWORD } });
    expect(role.statusCode).toBe(400);
  });

  it('lists only the organization’s users', async () => {
    const list = (await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/users' })).json().data as { id: string }[];
    const ids = list.map((u) => u.id);
    expect(ids).toContain(t.org.users.rep.id);
    expect(ids).not.toContain(t.other.users.rep.id);
  });

  it('non-admins see and revoke only their own tokens; admins see all of the organization', async () => {
    const mine = (await t.as(t.org.users.rep2, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'rep2 script' } })).json();
    const theirs = (await t.as(t.org.users.manager, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'manager script' } })).json();
    const repList = (await t.as(t.org.users.rep2, { method: 'GET', url: '/api/v1/tokens' })).json().data as { id: string; userId: string }[];
    expect(repList.every((x) => x.userId === t.org.users.rep2.id)).toBe(true);
    expect(repList.map((x) => x.id)).toContain(mine.id);
    const adminList = (await t.as(t.org.users.admin, { method: 'GET', url: '/api/v1/tokens' })).json().data as { id: string }[];
    expect(adminList.map((x) => x.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect((await t.as(t.org.users.rep2, { method: 'DELETE', url: `/api/v1/tokens/${theirs.id}` })).statusCode).toBe(404);
    expect((await t.as(t.org.users.admin, { method: 'DELETE', url: `/api/v1/tokens/${theirs.id}` })).statusCode).toBe(200);
    expect((await t.as({ ...t.org.users.manager, token: theirs.token }, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
  });

  it('passwords of spaces, control characters, one repeated character or a common leaked one are refused on create, admin change and own change', async () => {
    const bad = ['          ', ' '.repeat(12) + '\t', '\u3000'.repeat(12), '\u200b'.repeat(12), 'abc\u0001defghijk', '   short   ', 'aaaaaaaaaaaa', 'Password123', '  qwertyuiop  ', '1234567890'];
    const u = await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/users', payload: { email: email(), name: 'P', role: 'rep', password: TEST_PASSWORD } });
    expect(u.statusCode).toBe(201);
    for (const password of bad) {
      const made = await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/users', payload: { email: email(), name: 'W', role: 'rep', password } });
      expect(made.statusCode, JSON.stringify(password)).toBe(400);
      expect(made.json().error.fields.map((f: { path: string }) => f.path), JSON.stringify(password)).toContain('password');
      const changed = await t.as(t.org.users.admin, { method: 'PATCH', url: `/api/v1/users/${u.json().id}`, headers: { 'if-match': '"1"' }, payload: { password } });
      expect(changed.statusCode, JSON.stringify(password)).toBe(400);
      const own = await t.as(t.org.users.rep, { method: 'PATCH', url: '/api/v1/users/me', payload: { currentPassword: TEST_PASSWORD, newPassword: password } });
      expect(own.statusCode, JSON.stringify(password)).toBe(400);
      expect(own.json().error.fields.map((f: { path: string }) => f.path)).toContain('newPassword');
    }
    // A passphrase with inner spaces and any script is fine.
    const good = await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/users', payload: { email: email(), name: 'G', role: 'rep', password: '长城 长城 长城 ok!' } });
    expect(good.statusCode, good.body).toBe(201);
  });

  it('a token cannot expire in the past or on an impossible date', async () => {
    for (const expiresAt of [new Date(Date.now() - 60_000).toISOString(), '2020-01-01T00:00:00Z', '2030-02-30T00:00:00Z', 'tomorrow']) {
      const res = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'old', expiresAt } });
      expect(res.statusCode, expiresAt).toBe(400);
      expect(res.json().error.fields[0].path).toBe('expiresAt');
    }
    const ok = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'future', expiresAt: new Date(Date.now() + 86400_000).toISOString() } });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});
