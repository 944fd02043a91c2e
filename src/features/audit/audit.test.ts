import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp } from '../../../tests/helpers/app.ts';

describeEachDb('audit log API', (mode) => {
  const t = useTestApp(mode);

  it('shows who changed what, before → after, newest first; reps only for records they can read', async () => {
    const { rep, manager, viewer } = t.org.users;
    const acc = (await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Audited Co' } })).json();
    await t.as(manager, { method: 'PATCH', url: `/api/v1/accounts/${acc.id}`, payload: { city: 'Ningbo', version: 1 } });
    await t.as(rep, { method: 'PATCH', url: `/api/v1/accounts/${acc.id}`, payload: { city: 'Suzhou', version: 2 } });
    const r = await t.as(viewer, { method: 'GET', url: `/api/v1/audit?entity=account&entityId=${acc.id}` });
    expect(r.statusCode).toBe(200);
    const entries = r.json().data;
    expect(entries.map((e: { action: string; actorId: string; before: unknown; after: unknown }) => [e.action, e.actorId, e.before, e.after])).toEqual([
      ['update', rep.id, { city: 'Ningbo' }, { city: 'Suzhou' }],
      ['update', manager.id, { city: null }, { city: 'Ningbo' }],
      ['create', rep.id, null, expect.objectContaining({ name: 'Audited Co' })],
    ]);
    expect(entries[0]).toMatchObject({ actorName: 'rep user', actorKind: 'token', entity: 'account', entityId: acc.id });
    const page1 = (await t.as(rep, { method: 'GET', url: `/api/v1/audit?entity=account&entityId=${acc.id}&limit=2` })).json();
    expect(page1.data).toHaveLength(2);
    const page2 = (await t.as(rep, { method: 'GET', url: `/api/v1/audit?entity=account&entityId=${acc.id}&limit=2&cursor=${page1.nextCursor}` })).json();
    expect(page2.data.map((e: { action: string }) => e.action)).toEqual(['create']);
    expect(page2.nextCursor).toBeNull();
    // Managers browse the whole log; others must name one record.
    const all = await t.as(manager, { method: 'GET', url: `/api/v1/audit?actorId=${manager.id}` });
    expect(all.json().data.map((e: { entityId: string }) => e.entityId)).toContain(acc.id);
    expect((await t.as(rep, { method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(400);
    expect((await t.as(rep, { method: 'GET', url: `/api/v1/audit?entity=user&entityId=${rep.id}` })).statusCode).toBe(403);
    expect((await t.as(rep, { method: 'GET', url: '/api/v1/audit?cursor=zzz&entity=account&entityId=' + acc.id })).statusCode).toBe(400);
    // Another organization sees neither the record nor its history.
    expect((await t.as(t.other.users.rep, { method: 'GET', url: `/api/v1/audit?entity=account&entityId=${acc.id}` })).statusCode).toBe(404);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/audit?entityId=${acc.id}` })).json().data).toEqual([]);
  });
});
