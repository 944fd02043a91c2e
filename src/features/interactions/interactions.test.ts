import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp, type TestUser } from '../../../tests/helpers/app.ts';

describeEachDb('interactions API', (mode) => {
  const t = useTestApp(mode);
  const mk = async (url: string, payload: Record<string, unknown>, user: TestUser = t.org.users.rep) => {
    const r = await t.as(user, { method: 'POST', url, payload });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string; version: number } & Record<string, unknown>;
  };

  it('stores participants on both sides in the same write and returns them on read and list', async () => {
    const { rep, rep2, manager } = t.org.users;
    const acc = await mk('/api/v1/accounts', { name: 'Participant Co' });
    const opp = await mk('/api/v1/opportunities', { accountId: acc.id, name: 'Deal' });
    const c1 = await mk('/api/v1/contacts', { fullName: '王芳', accountId: acc.id });
    const c2 = await mk('/api/v1/contacts', { fullName: 'Li Lei', accountId: acc.id });
    const created = await mk('/api/v1/interactions', {
      accountId: acc.id, opportunityId: opp.id, kind: 'visit', direction: 'outbound', occurredAt: '2026-11-02T09:30:00+08:00',
      subject: 'Factory visit', durationMinutes: 90, contactIds: [c1.id, c2.id, c1.id], userIds: [rep.id, manager.id],
    });
    expect(created).toMatchObject({ occurredAt: expect.stringMatching(/^2026-11-02[ T]01:30:00/), ownerId: rep.id });
    expect(created.contactIds).toEqual([c1.id, c2.id].sort());
    expect(created.userIds).toEqual([rep.id, manager.id].sort());
    const got = (await t.as(rep, { method: 'GET', url: `/api/v1/interactions/${created.id}` })).json();
    expect(got.contactIds).toEqual([c1.id, c2.id].sort());
    // Who took part, by name, so screens need no lookup per person (ordered by name).
    expect(got.participants).toEqual({
      contacts: [{ id: c2.id, name: 'Li Lei' }, { id: c1.id, name: '王芳' }],
      users: [{ id: manager.id, name: 'manager user' }, { id: rep.id, name: 'rep user' }],
    });
    const updated = await t.as(rep2, { method: 'PATCH', url: `/api/v1/interactions/${created.id}`, payload: { contactIds: [c2.id], userIds: [rep2.id], version: 1 } });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ contactIds: [c2.id], userIds: [rep2.id], version: 2 });
    const untouched = (await t.as(rep, { method: 'PATCH', url: `/api/v1/interactions/${created.id}`, payload: { subject: 'Visit', version: 2 } })).json();
    expect(untouched).toMatchObject({ contactIds: [c2.id], userIds: [rep2.id] });
    await mk('/api/v1/interactions', { accountId: acc.id, kind: 'call', occurredAt: '2026-11-03T10:00:00Z', contactIds: [c1.id] });
    const list = (await t.as(rep, { method: 'GET', url: `/api/v1/interactions?accountId=${acc.id}` })).json();
    expect(list.data.map((i: { kind: string; contactIds: string[] }) => [i.kind, i.contactIds])).toEqual([['call', [c1.id]], ['visit', [c2.id]]]);
    const byContact = (await t.as(rep, { method: 'GET', url: `/api/v1/interactions?contactIds=${c2.id}` })).json();
    expect(byContact.data.map((i: { id: string }) => i.id)).toEqual([created.id]);
    const rows = await t.database.query(`select count(*)::int as n from interaction_contacts where org_id = $1 and interaction_id = $2`, [t.org.id, created.id]);
    expect(rows.rows[0]).toEqual({ n: 1 });
    const audit = await t.database.query(`select action, before, after from audit_log where org_id = $1 and entity_id = $2 and action = 'participants' order by at, id`, [t.org.id, created.id]);
    expect(audit.rows).toHaveLength(2);
  });

  it('rejects unknown vocab, foreign references, a deal of another account, and unknown participants', async () => {
    const { rep } = t.org.users;
    const acc = await mk('/api/v1/accounts', { name: 'A1' });
    const acc2 = await mk('/api/v1/accounts', { name: 'A2' });
    const opp2 = await mk('/api/v1/opportunities', { accountId: acc2.id, name: 'Other deal' });
    const post = (payload: Record<string, unknown>) => t.as(rep, { method: 'POST', url: '/api/v1/interactions', payload: { accountId: acc.id, kind: 'call', occurredAt: '2026-11-03T10:00:00Z', ...payload } });
    const cross = await post({ opportunityId: opp2.id });
    expect(cross.statusCode).toBe(400);
    expect(cross.json().error.fields).toEqual([{ path: 'opportunityId', message: 'This opportunity belongs to another account', code: 'mismatch', params: { entity: 'account' } }]);
    const vocab = await post({ kind: 'telepathy' });
    expect(vocab.json().error.fields[0].path).toBe('kind');
    const badTime = await post({ occurredAt: 'yesterday' });
    expect(badTime.json().error.fields[0].path).toBe('occurredAt');
    const foreignAcc = await mk('/api/v1/accounts', { name: 'Foreign' }, t.other.users.rep);
    const foreignContact = await mk('/api/v1/contacts', { fullName: 'Foreign Person' }, t.other.users.rep);
    const foreign = await post({ accountId: foreignAcc.id, contactIds: [foreignContact.id], userIds: [t.other.users.rep.id] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.fields.map((f: { path: string; message: string }) => `${f.path}: ${f.message}`).sort()).toEqual([
      'accountId: Account not found',
      `contactIds: Contact not found: ${foreignContact.id}`,
      `userIds: User not found: ${t.other.users.rep.id}`,
    ]);
    const noRows = await t.database.query(`select count(*)::int as n from interactions where org_id = $1 and account_id = $2`, [t.org.id, acc.id]);
    expect(noRows.rows[0]).toEqual({ n: 0 });
  });

  it('conflicts, deletes, restores; permissions and tenant isolation', async () => {
    const { rep, otherTeamRep, viewer } = t.org.users;
    const acc = await mk('/api/v1/accounts', { name: 'Perm Co' });
    const it1 = await mk('/api/v1/interactions', { accountId: acc.id, kind: 'email', occurredAt: '2026-11-03T10:00:00Z', userIds: [rep.id] });
    const patch = (user: TestUser, version: number) => t.as(user, { method: 'PATCH', url: `/api/v1/interactions/${it1.id}`, payload: { subject: 'x', version } });
    expect((await patch(viewer, 1)).statusCode).toBe(403);
    expect((await patch(otherTeamRep, 1)).statusCode).toBe(403);
    expect((await patch(rep, 1)).statusCode).toBe(200);
    const stale = await patch(rep, 1);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.current).toMatchObject({ version: 2, userIds: [rep.id] });
    const del = await t.as(rep, { method: 'DELETE', url: `/api/v1/interactions/${it1.id}` });
    expect(del.json().userIds).toEqual([rep.id]);
    expect((await t.as(rep, { method: 'GET', url: `/api/v1/interactions/${it1.id}` })).statusCode).toBe(404);
    expect((await t.as(rep, { method: 'POST', url: `/api/v1/interactions/${it1.id}/restore` })).statusCode).toBe(200);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/interactions/${it1.id}` })).statusCode).toBe(404);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: '/api/v1/interactions' })).json().data).toEqual([]);
  });
});
