import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachDb } from '../../tests/helpers/db.ts';
import { useTestApp } from '../../tests/helpers/app.ts';
import { accountResource } from '../features/accounts/resource.ts';

type Acc = { id: string; name: string; employees: number | null };

/** Reference order: values ascending or descending, empty values last either way, ties broken by id in the sort's direction. */
function expected(rows: Acc[], desc: boolean): string[] {
  const cmp = (a: Acc, b: Acc) => {
    if (a.employees !== b.employees) {
      if (a.employees === null) return 1;
      if (b.employees === null) return -1;
      return a.employees - b.employees;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  const sorted = [...rows].sort(cmp);
  const values = sorted.filter((r) => r.employees !== null);
  const nulls = sorted.filter((r) => r.employees === null);
  return (desc ? [...values.reverse(), ...nulls.reverse()] : sorted).map((r) => r.id);
}

describeEachDb('list pagination', (mode) => {
  const t = useTestApp(mode);

  it('pages through any mix of duplicates and nulls exactly once, in both directions', async () => {
    const { manager } = t.org.users;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }), { minLength: 0, maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        async (values, limit, desc) => {
          const tag = `pg-${Math.random().toString(36).slice(2, 10)}`;
          const rows: Acc[] = [];
          for (const employees of values) {
            const res = await t.as(manager, { method: 'POST', url: '/api/v1/accounts', payload: { name: `${tag} acct`, employees } });
            rows.push(res.json());
          }
          const seen: string[] = [];
          let cursor: string | null = null;
          for (let guard = 0; guard < 50; guard++) {
            const url: string = `/api/v1/accounts?name[starts]=${tag}&sort=${desc ? '-' : ''}employees&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
            const page = (await t.as(manager, { method: 'GET', url })).json();
            seen.push(...page.data.map((a: Acc) => a.id));
            cursor = page.nextCursor;
            if (!cursor) break;
          }
          expect(seen).toEqual(expected(rows, desc));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('a cursor reused with a different sort is a 400 naming the cursor; with its own sort it pages on', async () => {
    const { manager } = t.org.users;
    const tag = `cs-${Math.random().toString(36).slice(2, 10)}`;
    for (const n of [1, 2, 3]) await t.as(manager, { method: 'POST', url: '/api/v1/accounts', payload: { name: `${tag} ${n}`, employees: n } });
    const first = (await t.as(manager, { method: 'GET', url: `/api/v1/accounts?name[starts]=${tag}&sort=employees&limit=1` })).json() as { nextCursor: string };
    expect(first.nextCursor).toBeTruthy();
    for (const sort of ['-employees', 'name', '']) {
      const res = await t.as(manager, { method: 'GET', url: `/api/v1/accounts?name[starts]=${tag}&${sort ? `sort=${sort}&` : ''}limit=1&cursor=${first.nextCursor}` });
      expect(res.statusCode, sort).toBe(400);
      expect(res.json().error.fields[0].path).toBe('cursor');
    }
    const next = await t.as(manager, { method: 'GET', url: `/api/v1/accounts?name[starts]=${tag}&sort=employees&limit=1&cursor=${first.nextCursor}` });
    expect(next.statusCode).toBe(200);
    expect(next.json().data[0].name).toBe(`${tag} 2`);
  });

  it('a list with a text filter read in slices (the embedded database) pages exactly as the one statement, with its count', async () => {
    const { manager } = t.org.users;
    const tag = `sl${Math.random().toString(36).slice(2, 8)}`;
    const names = ['Li Ming', 'Lina Ash', 'Malin', 'Olive Line', 'li-ion', 'Aline', 'Emil Lind', 'Lumen Li', 'Nordlicht', 'Bo'];
    for (const [i, n] of names.entries()) {
      const r = await t.as(manager, { method: 'POST', url: '/api/v1/accounts', payload: { name: `${n} ${tag}`, employees: i % 4 === 0 ? null : i % 3, country: i % 2 ? 'DE' : 'CN' } });
      expect(r.statusCode).toBe(201);
    }
    const actor = { orgId: t.org.id, userId: manager.id, role: 'manager', team: null, kind: 'user' } as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('li', 'lin', 'LI', 'x', tag),
        fc.constantFrom('name', '-name', 'employees', '-employees', '-updatedAt', 'country'),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        async (q, sort, limit, slice, country) => {
          const query: Record<string, string> = { q, sort, limit: String(limit), count: 'true', ...(country ? { country: 'DE' } : {}) };
          for (let guard = 0; guard < 20; guard++) {
            const whole = await accountResource.list(t.database.db, actor, query, [], { sliceRows: 0 });
            const sliced = await accountResource.list(t.database.db, actor, query, [], { sliceRows: slice });
            expect(sliced).toEqual(whole);
            if (!whole.nextCursor) break;
            query.cursor = whole.nextCursor;
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
