import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { collectRoutes, fillPath, tenantTables } from '../../../tests/helpers/routes.ts';
import { identifyingPattern, linkedRecordPattern, toLongRows } from './rules.ts';

it('the identifying pattern covers name orders, email and phones, escapes regex, skips short values', () => {
  const p = identifyingPattern({ fullName: 'Ann (Q) Lee', firstName: 'Ann', lastName: 'Lee', email: 'a.lee@x.example', phone: '+1 555', mobile: 'Li' })!;
  const re = new RegExp(p, 'i');
  for (const s of ['met ANN (Q) LEE today', 'ann lee', 'Lee Ann', 'mail a.lee@x.example', 'call +1 555']) expect(re.test(s), s).toBe(true);
  expect(re.test('a-lee@x-example')).toBe(false);
  expect(re.test('Li')).toBe(false);
  expect(identifyingPattern({ fullName: 'Li' })).toBeNull();
  expect(toLongRows({ contact: { id: 'c1', email: 'e', custom: { a: 1 } }, notes: [{ id: 'n1', body: 'b' }] })).toEqual([
    { section: 'contact', recordId: 'c1', field: 'id', value: 'c1' },
    { section: 'contact', recordId: 'c1', field: 'email', value: 'e' },
    { section: 'contact', recordId: 'c1', field: 'custom', value: '{"a":1}' },
    { section: 'notes', recordId: 'n1', field: 'id', value: 'n1' },
    { section: 'notes', recordId: 'n1', field: 'body', value: 'b' },
  ]);
});

it('short names are looked for only in linked records: whole words, CJK literally', () => {
  expect(identifyingPattern({ fullName: '王伟' })).toBeNull();
  expect(linkedRecordPattern({ fullName: '王伟' })).toBe('王伟');
  expect(linkedRecordPattern({ fullName: 'Li', email: 'li@x.example' })).toBe('li@x\\.example|\\mli\\M');
  expect(linkedRecordPattern({})).toBeNull();
});

describeEachDb('personal data: export and erasure', (mode) => {
  const t = useTestApp(mode);
  // Each test seeds its own person (values unique to it), so one test's data cannot hide another's.
  let n = 0;
  function newPerson() {
    const tag = `${Math.random().toString(36).slice(2, 7)}${n++}`;
    const person = { firstName: 'Quillon', lastName: `Vexmoor${tag}`, email: `quillon.vexmoor.${tag}@privacy.example`, phone: `+86 755 ${1000 + n}${tag.length} 9${n}47` };
    const fullName = `${person.firstName} ${person.lastName}`;
    return { tag, person, fullName, secrets: [fullName, person.lastName, person.email, person.phone, `Chief Quill Officer ${tag}`, 'ZX-NICK-' + tag] };
  }

  async function post(url: string, payload: object) {
    const res = await t.as(t.org.users.admin, { method: 'POST', url, payload });
    expect(res.statusCode, `${url} ${res.body}`).toBe(201);
    return res.json() as { id: string };
  }

  async function seed() {
    const { tag, person, fullName, secrets } = newPerson();
    await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/custom-fields', payload: { entity: 'contact', key: `nick_${tag}`, label: { en: 'Nickname' }, type: 'text' } });
    const account = await post('/api/v1/accounts', { name: `Privacy Test Co ${tag}` });
    const contact = await post('/api/v1/contacts', { ...person, accountId: account.id, title: `Chief Quill Officer ${tag}`, consent: 'granted', custom: { [`nick_${tag}`]: 'ZX-NICK-' + tag } });
    const other = await post('/api/v1/contacts', { fullName: `Other Person ${tag}`, accountId: account.id });
    const opp = await post('/api/v1/opportunities', { accountId: account.id, name: `Privacy deal ${tag}` });
    const interaction = await post('/api/v1/interactions', { accountId: account.id, kind: 'meeting', occurredAt: '2026-03-01T10:00:00Z', subject: `Lunch with ${fullName}`, body: `Wrote to ${person.email}, call ${person.phone}`, contactIds: [contact.id, other.id] });
    const shared = await post('/api/v1/interactions', { accountId: account.id, kind: 'call', occurredAt: '2026-03-02T10:00:00Z', subject: 'Team call', contactIds: [other.id] });
    const ownNote = await post('/api/v1/notes', { contactId: contact.id, body: `${person.firstName} prefers tea` });
    const accountNote = await post('/api/v1/notes', { accountId: account.id, contactId: contact.id, body: `Ask ${fullName.toUpperCase()} about the budget` });
    const task = await post('/api/v1/tasks', { title: `Send ${fullName} the offer`, contactId: contact.id, accountId: account.id });
    const member = await t.as(t.org.users.admin, { method: 'POST', url: `/api/v1/opportunities/${opp.id}/buying-center/members`, payload: { contactId: contact.id, attitude: 'champion' } });
    expect(member.statusCode, member.body).toBe(201);
    return { tag, person, fullName, secrets, account, contact, other, opp, interaction, shared, ownNote, accountNote, task };
  }

  it('exports everything about the contact as JSON and CSV, for admins and managers only', async () => {
    const s = await seed();
    const { tag, person, fullName } = s;
    for (const u of [t.org.users.rep, t.org.users.viewer]) {
      expect((await t.as(u, { method: 'GET', url: `/api/v1/contacts/${s.contact.id}/personal-data` })).statusCode).toBe(403);
      expect((await t.as(u, { method: 'POST', url: `/api/v1/contacts/${s.contact.id}/erase`, payload: { confirm: true } })).statusCode).toBe(403);
    }
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/contacts/${s.contact.id}/personal-data` })).statusCode).toBe(404);
    const res = await t.as(t.org.users.manager, { method: 'GET', url: `/api/v1/contacts/${s.contact.id}/personal-data` });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.contact).toMatchObject({ id: s.contact.id, email: person.email, fullName, phone: person.phone, title: `Chief Quill Officer ${tag}` });
    expect(d.customFields).toEqual([expect.objectContaining({ key: `nick_${tag}`, value: 'ZX-NICK-' + tag })]);
    expect(d.consent).toMatchObject({ consent: 'granted', doNotEmail: false });
    expect(d.interactions.map((i: { id: string }) => i.id)).toEqual([s.interaction.id]);
    expect(d.buyingCenterRoles).toEqual([expect.objectContaining({ opportunityId: s.opp.id, attitude: 'champion' })]);
    expect(d.notes.map((n: { id: string }) => n.id).sort()).toEqual([s.ownNote.id, s.accountNote.id].sort());
    expect(d.tasks.map((x: { id: string }) => x.id)).toEqual([s.task.id]);
    expect(d.audit.some((a: { action: string; entityId: string }) => a.action === 'create' && a.entityId === s.contact.id)).toBe(true);
    expect(JSON.stringify(d)).not.toContain(`Other Person ${tag}`);

    const csv = await t.as(t.org.users.admin, { method: 'GET', url: `/api/v1/contacts/${s.contact.id}/personal-data?format=csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('section,record_id,field,value');
    expect(lines).toContain(`contact,${s.contact.id},email,${person.email}`);
    expect(csv.body).toContain(`notes,${s.ownNote.id},body,${person.firstName} prefers tea`);
    expect((await t.as(t.org.users.admin, { method: 'GET', url: `/api/v1/contacts/${s.contact.id}/personal-data?format=xml` })).statusCode).toBe(400);
  });

  it('after erasure no list, search, export, timeline, audit or database row holds the personal values', async () => {
    const s = await seed();
    const { person, secrets } = s;
    const routes = (await collectRoutes(t)).filter((r) => r.method === 'GET');
    const idFor = (url: string) => {
      const c = url.split('/')[3];
      return c === 'contacts' ? s.contact.id : c === 'accounts' ? s.account.id : c === 'opportunities' ? s.opp.id : c === 'interactions' ? s.interaction.id : c === 'notes' ? s.accountNote.id : c === 'tasks' ? s.task.id : undefined;
    };
    const urls = [
      ...routes.filter((r) => r.params.every(() => idFor(r.url))).map((r) => fillPath(r.url, () => idFor(r.url)!)),
      `/api/v1/search?q=${encodeURIComponent(person.lastName)}`,
      `/api/v1/search?q=${encodeURIComponent(person.email)}`,
      `/api/v1/contacts?q=${encodeURIComponent(person.lastName)}`,
      `/api/v1/contacts?deleted=only`,
      `/api/v1/timeline?accountId=${s.account.id}`,
      `/api/v1/timeline?contactId=${s.contact.id}`,
      `/api/v1/audit?entity=contact&entityId=${s.contact.id}`,
      `/api/v1/audit?limit=500`,
      `/api/v1/exports/contacts`,
      `/api/v1/exports/contacts?format=vcard`,
      `/api/v1/exports/interactions`,
      `/api/v1/exports/tasks`,
    ];
    const leaking = async () => {
      const found: string[] = [];
      for (const url of urls) {
        const res = await t.as(t.org.users.admin, { method: 'GET', url });
        const body = res.body.toLowerCase();
        for (const v of secrets) if (body.includes(v.toLowerCase())) found.push(`${url} has ${v}`);
      }
      return found;
    };
    const before = await leaking();
    // The walk must see the data before, or "nothing after" proves nothing.
    for (const where of ['/api/v1/search?q=', `/api/v1/contacts/${s.contact.id} `, '/api/v1/timeline?accountId', '/api/v1/audit?entity=contact', '/api/v1/exports/contacts ', 'format=vcard', '/api/v1/exports/interactions'])
      expect(before.some((f) => `${f.split(' has ')[0]} `.includes(where)), where).toBe(true);

    const erased = await t.as(t.org.users.manager, { method: 'POST', url: `/api/v1/contacts/${s.contact.id}/erase`, payload: { confirm: true } });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json().removed).toMatchObject({ participations: 1, buyingCenterRoles: 1 });
    expect(await leaking()).toEqual([]);

    // The database itself: no row of the organization, in any table, holds any of the values.
    const tables = await tenantTables(t.database);
    const stored: string[] = [];
    for (const table of tables) {
      const { rows } = await t.database.query(`select count(*)::int as n from "${table}" x where org_id = $1 and (${secrets.map((_, i) => `x::text ilike $${i + 2}`).join(' or ')})`, [t.org.id, ...secrets.map((v) => `%${v.replace(/[%_\\]/g, '\\$&')}%`)]);
      if ((rows[0] as { n: number }).n) stored.push(table);
    }
    expect(stored).toEqual([]);

    // What stays: an anonymous deleted stub, the other participant, the notes and tasks of the account (redacted), and the audit record of the erasure.
    const stub = (await t.database.query(`select full_name, email, erased_at, deleted_at, custom from contacts where org_id = $1 and id = $2`, [t.org.id, s.contact.id])).rows[0] as Record<string, unknown>;
    expect(stub).toMatchObject({ full_name: 'Erased contact', email: null, custom: {} });
    expect(stub.erased_at).not.toBeNull();
    expect(stub.deleted_at).not.toBeNull();
    expect((await t.as(t.org.users.admin, { method: 'GET', url: `/api/v1/notes/${s.ownNote.id}` })).statusCode).toBe(404);
    const note = (await t.as(t.org.users.admin, { method: 'GET', url: `/api/v1/notes/${s.accountNote.id}` })).json();
    expect(note.body).toBe('Ask [erased] about the budget');
    expect(note.contactId).toBeNull();
    const interaction = (await t.as(t.org.users.admin, { method: 'GET', url: `/api/v1/interactions/${s.interaction.id}` })).json();
    expect(interaction.subject).toBe('Lunch with [erased]');
    expect(interaction.contactIds).toEqual([s.other.id]);
    const log = (await t.as(t.org.users.admin, { method: 'GET', url: `/api/v1/audit?entity=contact&entityId=${s.contact.id}` })).json().data as { action: string; actorId: string; after: unknown }[];
    const entry = log.find((e) => e.action === 'erase')!;
    expect(entry.actorId).toBe(t.org.users.manager.id);
    expect(JSON.stringify(entry.after)).not.toMatch(/quillon/i);

    expect((await t.as(t.org.users.admin, { method: 'POST', url: `/api/v1/contacts/${s.contact.id}/erase`, payload: { confirm: true } })).statusCode).toBe(409);
    expect((await t.as(t.org.users.admin, { method: 'POST', url: `/api/v1/contacts/${s.other.id}/erase`, payload: {} })).statusCode).toBe(400);
    // The other organization's admin cannot erase (or even see) it.
    expect((await t.as(t.other.users.admin, { method: 'POST', url: `/api/v1/contacts/${s.other.id}/erase`, payload: { confirm: true } })).statusCode).toBe(404);
  });

  it('a one- or two-character name is erased from the records linked to the person, not from anyone else\'s', async () => {
    const account = await post('/api/v1/accounts', { name: `Short Names Co ${n++}` });
    const wang = await post('/api/v1/contacts', { fullName: '王伟', accountId: account.id });
    const li = await post('/api/v1/contacts', { fullName: 'Li', accountId: account.id });
    const namesake = await post('/api/v1/contacts', { fullName: 'Somebody Else', accountId: account.id });
    const met = await post('/api/v1/interactions', { accountId: account.id, kind: 'meeting', occurredAt: '2026-03-01T10:00:00Z', subject: '和王伟、Li 开会', body: 'Li said the Listing is fine; 王伟同意', contactIds: [wang.id, li.id] });
    const unrelated = await post('/api/v1/interactions', { accountId: account.id, kind: 'call', occurredAt: '2026-03-02T10:00:00Z', subject: '另一个王伟; Li Ming', contactIds: [namesake.id] });
    const note = await post('/api/v1/notes', { accountId: account.id, contactId: li.id, body: 'Call Li, not Lisa' });
    const task = await post('/api/v1/tasks', { title: '给王伟发报价', contactId: wang.id, accountId: account.id });
    for (const c of [wang, li]) {
      const res = await t.as(t.org.users.manager, { method: 'POST', url: `/api/v1/contacts/${c.id}/erase`, payload: { confirm: true } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const get = async (url: string) => (await t.as(t.org.users.admin, { method: 'GET', url })).json();
    const m = await get(`/api/v1/interactions/${met.id}`);
    expect(m.subject).toBe('和[erased]、[erased] 开会');
    expect(m.body).toBe('[erased] said the Listing is fine; [erased]同意');
    expect((await get(`/api/v1/notes/${note.id}`)).body).toBe('Call [erased], not Lisa');
    expect((await get(`/api/v1/tasks/${task.id}`)).title).toBe('给[erased]发报价');
    // Another person's record keeps the same short names: they may be someone else's.
    expect((await get(`/api/v1/interactions/${unrelated.id}`)).subject).toBe('另一个王伟; Li Ming');
  });
});
