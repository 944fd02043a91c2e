import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp, type TestUser } from '../../../tests/helpers/app.ts';
import { systemActor } from '../../kernel/actor.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import type { Row } from '../../kernel/resource.ts';
import { contactResource } from '../contacts/resource.ts';
import { taskResource } from '../tasks/resource.ts';

type Rec = Record<string, unknown> & { id: string; version: number };

describeEachDb('related names on records', (mode) => {
  const t = useTestApp(mode);
  const post = async (user: TestUser, url: string, payload: Record<string, unknown>) => {
    const r = await t.as(user, { method: 'POST', url, payload });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as Rec;
  };

  it('lists, gets and writes return the names of the account, contact, opportunity and owner', async () => {
    const { rep } = t.org.users;
    const acc = await post(rep, '/api/v1/accounts', { name: '华为技术有限公司' });
    expect(acc.ownerName).toBe('rep user');
    const contact = await post(rep, '/api/v1/contacts', { accountId: acc.id, fullName: '王小明' });
    expect(contact).toMatchObject({ accountName: '华为技术有限公司', ownerName: 'rep user' });
    const opp = await post(rep, '/api/v1/opportunities', { accountId: acc.id, name: 'Campus lighting' });
    expect(opp).toMatchObject({ accountName: '华为技术有限公司', ownerName: 'rep user' });
    const call = await post(rep, '/api/v1/interactions', { accountId: acc.id, opportunityId: opp.id, kind: 'call', occurredAt: '2026-01-05T10:00:00Z' });
    expect(call).toMatchObject({ accountName: '华为技术有限公司', opportunityName: 'Campus lighting', ownerName: 'rep user' });
    const task = await post(rep, '/api/v1/tasks', { title: 'Send quote', accountId: acc.id, opportunityId: opp.id, contactId: contact.id });
    expect(task).toMatchObject({ accountName: '华为技术有限公司', opportunityName: 'Campus lighting', contactName: '王小明', assigneeName: 'rep user' });
    const bare = await post(rep, '/api/v1/tasks', { title: 'Think' });
    expect(bare).toMatchObject({ accountName: null, opportunityName: null, contactName: null });

    // A rename shows everywhere at once: names are read, never copied.
    const renamed = await t.as(rep, { method: 'PATCH', url: `/api/v1/accounts/${acc.id}`, payload: { name: 'Huawei', version: acc.version } });
    expect(renamed.statusCode).toBe(200);
    const opps = (await t.as(rep, { method: 'GET', url: `/api/v1/opportunities?accountId=${acc.id}` })).json().data as Rec[];
    expect(opps.map((o) => o.accountName)).toEqual(['Huawei']);
    const one = (await t.as(rep, { method: 'GET', url: `/api/v1/tasks/${task.id}` })).json() as Rec;
    expect(one.accountName).toBe('Huawei');
    const ints = (await t.as(rep, { method: 'GET', url: `/api/v1/interactions?accountId=${acc.id}` })).json().data as Rec[];
    expect(ints[0]).toMatchObject({ accountName: 'Huawei', opportunityName: 'Campus lighting' });
  });

  it('sorts and filters by a related name', async () => {
    const { manager } = t.org.users;
    const names = ['Zeta Works', 'Alpha Mills', 'Mid Corp'];
    for (const name of names) {
      const a = await post(manager, '/api/v1/accounts', { name });
      await post(manager, '/api/v1/opportunities', { accountId: a.id, name: `Deal for ${name}`, tags: ['sort-test'] });
    }
    const asc = (await t.as(manager, { method: 'GET', url: '/api/v1/opportunities?tags=sort-test&sort=accountName' })).json().data as Rec[];
    expect(asc.map((o) => o.accountName)).toEqual(['Alpha Mills', 'Mid Corp', 'Zeta Works']);
    // Paging through a name sort with a cursor neither skips nor repeats.
    const first = (await t.as(manager, { method: 'GET', url: '/api/v1/opportunities?tags=sort-test&sort=-accountName&limit=2' })).json();
    const second = (await t.as(manager, { method: 'GET', url: `/api/v1/opportunities?tags=sort-test&sort=-accountName&limit=2&cursor=${first.nextCursor}` })).json();
    expect([...first.data, ...second.data].map((o: Rec) => o.accountName)).toEqual(['Zeta Works', 'Mid Corp', 'Alpha Mills']);
    const filtered = (await t.as(manager, { method: 'GET', url: `/api/v1/opportunities?accountName[contains]=${encodeURIComponent('mill')}` })).json().data as Rec[];
    expect(filtered.map((o) => o.name)).toEqual(['Deal for Alpha Mills']);
  });

  it('never shows another organization’s names, even for an id that exists there', async () => {
    const theirs = await post(t.other.users.rep, '/api/v1/accounts', { name: 'Other Org Secret Co' });
    const theirContact = await post(t.other.users.rep, '/api/v1/contacts', { fullName: 'Secret Person' });
    const mine = await post(t.org.users.rep, '/api/v1/contacts', { fullName: 'Plain Person' });
    // The API refuses such references, so hand the presenter a forged row directly.
    const forged = { ...mine, accountId: theirs.id, ownerId: t.other.users.rep.id } as Row;
    const [shown] = await contactResource.present(t.database.db, systemActor(t.org.id), [forged]);
    expect(shown).toMatchObject({ accountName: null, ownerName: null });
    const [task] = await taskResource.present(t.database.db, systemActor(t.org.id), [{ id: mine.id, version: 1, contactId: theirContact.id, accountId: theirs.id } as Row]);
    expect(task).toMatchObject({ accountName: null, contactName: null });
    // And through HTTP: filtering on the name finds nothing of theirs.
    const r = await t.as(t.org.users.manager, { method: 'GET', url: `/api/v1/contacts?accountName[contains]=Secret` });
    expect(r.json().data).toEqual([]);
    const body = JSON.stringify((await t.as(t.org.users.manager, { method: 'GET', url: '/api/v1/contacts?limit=500' })).json());
    expect(body).not.toContain('Other Org Secret Co');
  });

  it('resolves a whole page with one query per referenced table, not one per row', async () => {
    const { manager } = t.org.users;
    const accs = [];
    for (let k = 0; k < 4; k++) accs.push(await post(manager, '/api/v1/accounts', { name: `Batch ${k}` }));
    const rows: Row[] = accs.map((a, k) => ({ id: `00000000-0000-7000-8000-00000000000${k}`, version: 1, accountId: a.id, opportunityId: null, contactId: null, assigneeId: manager.id }));
    let selects = 0;
    const db = t.database.db;
    const counting = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === 'select') selects++;
        return Reflect.get(target, prop, receiver);
      },
    }) as unknown as DbOrTx;
    const shown = await taskResource.present(counting, systemActor(t.org.id), rows);
    expect(shown.map((r) => r.accountName)).toEqual(['Batch 0', 'Batch 1', 'Batch 2', 'Batch 3']);
    expect(shown.every((r) => r.assigneeName === 'manager user')).toBe(true);
    // accounts + users; opportunities and contacts have no ids on this page, so no query at all.
    expect(selects).toBe(2);
  });

  it('documents the names in OpenAPI as read-only fields of the records', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    const s = doc.components.schemas;
    expect(Object.keys(s.Opportunity!.properties)).toEqual(expect.arrayContaining(['accountName', 'ownerName']));
    expect(Object.keys(s.Task!.properties)).toEqual(expect.arrayContaining(['accountName', 'opportunityName', 'contactName', 'assigneeName']));
    expect(Object.keys(s.Interaction!.properties)).toEqual(expect.arrayContaining(['accountName', 'opportunityName', 'ownerName']));
    expect(Object.keys(s.Contact!.properties)).toEqual(expect.arrayContaining(['accountName', 'ownerName']));
    expect(Object.keys(s.Account!.properties)).toEqual(expect.arrayContaining(['ownerName']));
  });
});
