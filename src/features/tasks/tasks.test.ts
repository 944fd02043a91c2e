import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp, type TestUser } from '../../../tests/helpers/app.ts';

describeEachDb('tasks and notes API', (mode) => {
  const t = useTestApp(mode);
  const mk = async (url: string, payload: Record<string, unknown>, user: TestUser = t.org.users.rep) => {
    const r = await t.as(user, { method: 'POST', url, payload });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string; version: number } & Record<string, unknown>;
  };

  it('sets completedAt on done and clears it when reopened; promises are tasks of their own kind', async () => {
    const { rep } = t.org.users;
    const acc = await mk('/api/v1/accounts', { name: 'Task Co' });
    const task = await mk('/api/v1/tasks', { title: 'Send samples', kind: 'promise', accountId: acc.id, dueAt: '2026-12-01T09:00:00Z' });
    expect(task).toMatchObject({ kind: 'promise', status: 'open', priority: 2, assigneeId: rep.id, completedAt: null });
    const done = (await t.as(rep, { method: 'PATCH', url: `/api/v1/tasks/${task.id}`, payload: { status: 'done', version: 1 } })).json();
    expect(done.completedAt).toEqual(expect.any(String));
    const retitled = (await t.as(rep, { method: 'PATCH', url: `/api/v1/tasks/${task.id}`, payload: { title: 'Samples sent', version: 2 } })).json();
    expect(retitled.completedAt).toBe(done.completedAt);
    const reopened = (await t.as(rep, { method: 'PATCH', url: `/api/v1/tasks/${task.id}`, payload: { status: 'open', version: 3 } })).json();
    expect(reopened.completedAt).toBeNull();
    const mine = (await t.as(rep, { method: 'GET', url: `/api/v1/tasks?assigneeId=${rep.id}&kind=promise&status=open` })).json();
    expect(mine.data.map((x: { id: string }) => x.id)).toEqual([task.id]);
    expect((await t.as(rep, { method: 'PATCH', url: `/api/v1/tasks/${task.id}`, payload: { title: 'stale', version: 3 } })).statusCode).toBe(409);
    expect((await t.as(t.org.users.otherTeamRep, { method: 'PATCH', url: `/api/v1/tasks/${task.id}`, payload: { title: 'x', version: 4 } })).statusCode).toBe(403);
    expect((await t.as(t.org.users.viewer, { method: 'DELETE', url: `/api/v1/tasks/${task.id}` })).statusCode).toBe(403);
    expect((await t.as(rep, { method: 'DELETE', url: `/api/v1/tasks/${task.id}` })).statusCode).toBe(200);
    expect((await t.as(rep, { method: 'GET', url: `/api/v1/tasks/${task.id}` })).statusCode).toBe(404);
    expect((await t.as(rep, { method: 'POST', url: `/api/v1/tasks/${task.id}/restore` })).json()).toMatchObject({ deletedAt: null, version: 6 });
  });

  it('validates kinds, references across accounts and organizations', async () => {
    const acc = await mk('/api/v1/accounts', { name: 'T1' });
    const acc2 = await mk('/api/v1/accounts', { name: 'T2' });
    const opp2 = await mk('/api/v1/opportunities', { accountId: acc2.id, name: 'D2' });
    const bad = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/tasks', payload: { title: 'x', kind: 'wish', status: 'maybe', priority: 9 } });
    expect(bad.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['kind', 'priority', 'status']);
    const cross = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/notes', payload: { body: 'x', accountId: acc.id, opportunityId: opp2.id } });
    expect(cross.json().error.fields).toEqual([{ path: 'opportunityId', message: 'This opportunity belongs to another account', code: 'mismatch', params: { entity: 'account' } }]);
    const foreignContact = await mk('/api/v1/contacts', { fullName: 'Far Away' }, t.other.users.rep);
    const foreign = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/tasks', payload: { title: 'x', contactId: foreignContact.id, assigneeId: t.other.users.rep.id } });
    expect(foreign.json().error.fields.map((f: { path: string; message: string }) => `${f.path}: ${f.message}`).sort()).toEqual(['assigneeId: User not found', 'contactId: Contact not found']);
  });

  it('notes: authored by the writer, editable by their team, not by others; tenant isolation', async () => {
    const { rep, rep2, otherTeamRep, viewer } = t.org.users;
    const acc = await mk('/api/v1/accounts', { name: 'Note Co' });
    const note = await mk('/api/v1/notes', { body: '客户关心交期', accountId: acc.id, pinned: true });
    expect(note).toMatchObject({ authorId: rep.id, pinned: true });
    const patch = (user: TestUser, version: number) => t.as(user, { method: 'PATCH', url: `/api/v1/notes/${note.id}`, payload: { pinned: false, version } });
    expect((await patch(viewer, 1)).statusCode).toBe(403);
    expect((await patch(otherTeamRep, 1)).statusCode).toBe(403);
    expect((await patch(rep2, 1)).statusCode).toBe(200);
    expect((await patch(rep, 1)).statusCode).toBe(409);
    const found = (await t.as(viewer, { method: 'GET', url: `/api/v1/notes?q=${encodeURIComponent('交期')}&accountId=${acc.id}` })).json();
    expect(found.data.map((n: { id: string }) => n.id)).toEqual([note.id]);
    expect((await t.as(rep, { method: 'DELETE', url: `/api/v1/notes/${note.id}` })).statusCode).toBe(200);
    expect((await t.as(rep, { method: 'POST', url: `/api/v1/notes/${note.id}/restore` })).statusCode).toBe(200);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/notes/${note.id}` })).statusCode).toBe(404);
    const task = await mk('/api/v1/tasks', { title: 'Call back' });
    expect((await t.as(t.other.users.admin, { method: 'PATCH', url: `/api/v1/tasks/${task.id}`, payload: { title: 'x', version: 1 } })).statusCode).toBe(404);
  });
});
