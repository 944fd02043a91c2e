import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp, type TestUser } from '../../../tests/helpers/app.ts';

describeEachDb('timeline', (mode) => {
  const t = useTestApp(mode);
  const mk = async (url: string, payload: Record<string, unknown>, user: TestUser = t.org.users.rep) => {
    const r = await t.as(user, { method: 'POST', url, payload });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string; version: number };
  };
  type Item = { type: string; id: string; at: string; title: string | null; data: Record<string, unknown> };
  const get = async (qs: string, user: TestUser = t.org.users.viewer) => {
    const r = await t.as(user, { method: 'GET', url: `/api/v1/timeline?${qs}` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { data: Item[]; nextCursor: string | null };
  };

  it('merges every source newest first, pages by cursor, and scopes by account, deal and contact', async () => {
    const { rep, manager } = t.org.users;
    const acc = await mk('/api/v1/accounts', { name: 'Timeline Co' });
    const person = await mk('/api/v1/contacts', { fullName: '陈静', accountId: acc.id });
    const opp = await mk('/api/v1/opportunities', { accountId: acc.id, name: 'Showroom' });
    const i1 = await mk('/api/v1/interactions', { accountId: acc.id, kind: 'call', occurredAt: '2026-01-01T10:00:00Z', contactIds: [person.id], userIds: [rep.id, manager.id] });
    const note = await mk('/api/v1/notes', { body: 'Prefers WeChat', accountId: acc.id, contactId: person.id });
    const task = await mk('/api/v1/tasks', { title: 'Send catalogue', accountId: acc.id, opportunityId: opp.id });
    await t.as(rep, { method: 'PATCH', url: `/api/v1/opportunities/${opp.id}`, payload: { buyingStage: 'evaluation_of_options', version: 1 } });
    await t.as(rep, { method: 'PATCH', url: `/api/v1/accounts/${acc.id}`, payload: { supplierStatus: 'preferred', version: 1 } });
    const ord = await mk('/api/v1/orders', { accountId: acc.id, orderedAt: '2026-01-07', amount: '500', currency: 'USD', orderNumber: 'PO-1' });
    const i2 = await mk('/api/v1/interactions', { accountId: acc.id, opportunityId: opp.id, kind: 'visit', occurredAt: '2026-01-08T10:00:00Z', subject: 'Site visit' });
    const deleted = await mk('/api/v1/notes', { body: 'Oops', accountId: acc.id });
    await t.as(rep, { method: 'DELETE', url: `/api/v1/notes/${deleted.id}` });
    // Pin the times so the expected order does not depend on the clock.
    const q = (s: string, p: unknown[]) => t.database.query(s, p);
    await q(`update notes set created_at = '2026-01-02T00:00:00Z' where org_id = $1 and id = $2`, [t.org.id, note.id]);
    await q(`update tasks set created_at = '2026-01-03T00:00:00Z' where org_id = $1 and id = $2`, [t.org.id, task.id]);
    await q(`update opportunity_stage_history set changed_at = case when from_stage is null then '2026-01-04T00:00:00Z'::timestamptz else '2026-01-05T00:00:00Z'::timestamptz end where org_id = $1 and opportunity_id = $2`, [t.org.id, opp.id]);
    await q(`update account_status_history set changed_at = '2026-01-06T00:00:00Z' where org_id = $1 and account_id = $2`, [t.org.id, acc.id]);

    const all = await get(`accountId=${acc.id}`);
    expect(all.data.map((x) => [x.type, x.id === i1.id || x.id === i2.id || x.id === note.id || x.id === task.id || x.id === ord.id ? x.id : x.title])).toEqual([
      ['interaction', i2.id],
      ['order', ord.id],
      ['status_change', 'supplier_status'],
      ['stage_change', 'Showroom'],
      ['stage_change', 'Showroom'],
      ['task', task.id],
      ['note', note.id],
      ['interaction', i1.id],
    ]);
    expect(all.nextCursor).toBeNull();
    const call = all.data.at(-1)!;
    expect(call.data.contacts).toEqual([{ id: person.id, name: '陈静' }]);
    expect((call.data.users as { id: string }[]).map((u) => u.id).sort()).toEqual([rep.id, manager.id].sort());
    expect(all.data[3]!.data).toMatchObject({ from: 'recognition_of_needs', to: 'evaluation_of_options' });
    expect(all.data[2]!.data).toMatchObject({ field: 'supplier_status', from: null, to: 'preferred' });

    const paged: string[] = [];
    let before: string | null = null;
    do {
      const p = await get(`accountId=${acc.id}&limit=3${before ? `&before=${before}` : ''}`);
      expect(p.data.length).toBeLessThanOrEqual(3);
      paged.push(...p.data.map((x) => x.id));
      before = p.nextCursor;
    } while (before);
    expect(paged).toEqual(all.data.map((x) => x.id));
    const older = await get(`accountId=${acc.id}&before=2026-01-04T12:00:00Z`);
    expect(older.data.map((x) => x.type)).toEqual(['stage_change', 'task', 'note', 'interaction']);

    expect((await get(`opportunityId=${opp.id}`)).data.map((x) => x.type)).toEqual(['interaction', 'stage_change', 'stage_change', 'task']);
    expect((await get(`contactId=${person.id}`)).data.map((x) => x.id)).toEqual([note.id, i1.id]);
  });

  it('needs exactly one anchor, and never shows another organization’s history', async () => {
    const acc = await mk('/api/v1/accounts', { name: 'Private Timeline' });
    expect((await t.as(t.org.users.rep, { method: 'GET', url: '/api/v1/timeline' })).statusCode).toBe(400);
    expect((await t.as(t.org.users.rep, { method: 'GET', url: `/api/v1/timeline?accountId=${acc.id}&contactId=${acc.id}` })).statusCode).toBe(400);
    expect((await t.as(t.org.users.rep, { method: 'GET', url: `/api/v1/timeline?accountId=${acc.id}&before=garbage` })).statusCode).toBe(400);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/timeline?accountId=${acc.id}` })).statusCode).toBe(404);
  });
});
