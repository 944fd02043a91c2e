import { expect, it } from 'vitest';
import fc from 'fast-check';
import { globalSearch } from './queries.ts';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp, type TestUser } from '../../../tests/helpers/app.ts';

describeEachDb('global search', (mode) => {
  const t = useTestApp(mode);
  const mk = async (url: string, payload: Record<string, unknown>, user: TestUser = t.org.users.rep) => {
    const r = await t.as(user, { method: 'POST', url, payload });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string };
  };
  const search = async (q: string, user: TestUser = t.org.users.viewer, extra = '') =>
    (await t.as(user, { method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}${extra}` })).json().data as { type: string; id: string; title: string; subtitle: string | null }[];

  it('finds Chinese names by any part, prefix matches first, across accounts, contacts and deals', async () => {
    const full = await mk('/api/v1/accounts', { name: '深圳明华照明有限公司', city: '深圳', country: 'CN' });
    const prefix = await mk('/api/v1/accounts', { name: '明华灯饰' });
    const person = await mk('/api/v1/contacts', { fullName: '李明华', email: 'li@minghua.cn', accountId: full.id });
    const deal = await mk('/api/v1/opportunities', { accountId: full.id, name: '明华 2027 展厅照明' });
    await mk('/api/v1/accounts', { name: '明华 Other Org' }, t.other.users.rep);
    const gone = await mk('/api/v1/accounts', { name: '明华已删除' });
    await t.as(t.org.users.rep, { method: 'DELETE', url: `/api/v1/accounts/${gone.id}` });
    const hits = await search('明华');
    expect(hits.map((h) => h.id).sort()).toEqual([full.id, prefix.id, person.id, deal.id].sort());
    // Prefix matches (明华灯饰, 明华 2027…) before matches inside a name.
    expect(hits.slice(0, 2).map((h) => h.id).sort()).toEqual([prefix.id, deal.id].sort());
    expect(hits.find((h) => h.id === full.id)).toEqual({ type: 'account', id: full.id, title: '深圳明华照明有限公司', subtitle: '深圳 · CN' });
    expect(hits.find((h) => h.id === person.id)).toMatchObject({ type: 'contact', subtitle: 'li@minghua.cn · 深圳明华照明有限公司' });
    expect(hits.find((h) => h.id === deal.id)).toMatchObject({ type: 'opportunity', subtitle: '深圳明华照明有限公司' });
    expect((await search('明华', t.other.users.viewer)).map((h) => h.title)).toEqual(['明华 Other Org']);
  });

  it('names before addresses: an account and a deal called Lumen come before people who only have a lumen e-mail', async () => {
    const people = [];
    for (const n of ['Ann Ash', 'Bo Birch', 'Cy Cedar']) people.push(await mk('/api/v1/contacts', { fullName: n, email: `${n.split(' ')[0]!.toLowerCase()}@lumenova.example` }));
    const acc = await mk('/api/v1/accounts', { name: 'Großhandel Lumenova' });
    const deal = await mk('/api/v1/opportunities', { accountId: acc.id, name: 'Retrofit for Lumenova' });
    const named = await mk('/api/v1/contacts', { fullName: 'Lumenova Desk', accountId: acc.id });
    const hits = (await search('lumenova')).map((h) => h.id);
    expect(hits.slice(0, 3).sort()).toEqual([acc.id, deal.id, named.id].sort());
    expect(hits.slice(3).sort()).toEqual(people.map((p) => p.id).sort());
  });

  it('ranks prefix before substring, tolerates typos by similarity, finds emails, honours limit', async () => {
    const tail = await mk('/api/v1/accounts', { name: 'Super Lumenwerk' });
    const head = await mk('/api/v1/accounts', { name: 'Lumenwerk Tech' });
    const hits = await search('lumenwerk');
    expect(hits.map((h) => h.id)).toEqual([head.id, tail.id]);
    const typo = await mk('/api/v1/accounts', { name: 'Nordlicht GmbH' });
    expect((await search('Nordlict')).map((h) => h.id)).toContain(typo.id);
    const c = await mk('/api/v1/contacts', { fullName: 'Eva Sommer', email: 'eva.sommer@sonnenschein.example' });
    expect((await search('SONNENSCHEIN')).map((h) => h.id)).toEqual([c.id]);
    expect(await search('lumenwerk', t.org.users.viewer, '&limit=1')).toHaveLength(1);
    expect((await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/search?q=' })).statusCode).toBe(400);
    expect((await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/search?q=a&limit=1000' })).statusCode).toBe(400);
    expect(await search('%_\\')).toEqual([]);
  });

  it('the sliced search of the embedded database returns exactly what the one query returns', async () => {
    const names = ['Li Ming', 'Lina Ash', 'Malin Lighting', '李明', '明利照明', 'Olive Line', 'li-ion Co', 'Aline', 'Emil Lind', 'Lumen Li'];
    const acc = [];
    for (const n of names) acc.push(await mk('/api/v1/accounts', { name: `${n} Slice`, domain: `${n.replace(/[^a-z]/gi, '').toLowerCase() || 'x'}-slice.example` }));
    for (const [i, n] of names.entries()) {
      await mk('/api/v1/contacts', { fullName: `${n} Person`, email: `p${i}@lin-slice.example`, accountId: acc[i]!.id });
      await mk('/api/v1/opportunities', { accountId: acc[(i + 3) % acc.length]!.id, name: `${n} retrofit` });
    }
    const actor = { orgId: t.org.id, userId: t.org.users.viewer.id, role: 'viewer', team: null, kind: 'user' } as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('li', 'Li', 'lin', 'slice', '明', 'line', 'lumen', 'xq', 'a', 'on'), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 7 }), async (q, limit, slice) => {
        const whole = await globalSearch(t.database.db, actor, q, limit, 0);
        const sliced = await globalSearch(t.database.db, actor, q, limit, slice);
        expect(sliced).toEqual(whole);
      }),
      { numRuns: 25 },
    );
  });
});
