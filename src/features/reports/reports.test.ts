import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp, type TestUser } from '../../../tests/helpers/app.ts';
import fc from 'fast-check';
import { runReport } from './queries.ts';
import { bucketStart } from './rules.ts';
import type { ReportDefinition } from './schemas.ts';

type Deal = { owner: TestUser; status: 'open' | 'won' | 'lost'; amount: number; currency: string; created: Date; closed: Date | null; product: string };

const DAY = 86_400_000;
const round2 = (n: number) => Math.round(n * 100) / 100;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length / 2;
  return s.length % 2 ? s[Math.floor(m)]! : (s[m - 1]! + s[m]!) / 2;
};
const rate = (ds: Deal[]) => {
  const won = ds.filter((d) => d.status === 'won').length;
  const closed = ds.filter((d) => d.status !== 'open').length;
  return closed ? won / closed : null;
};
const groupBy = <K>(ds: Deal[], key: (d: Deal) => K) => {
  const m = new Map<K, Deal[]>();
  for (const d of ds) m.set(key(d), [...(m.get(key(d)) ?? []), d]);
  return m;
};

describeEachDb('reports', (mode) => {
  const t = useTestApp(mode);
  const deals: Deal[] = [];
  const run = (user: TestUser, definition: Record<string, unknown>) => t.as(user, { method: 'POST', url: '/api/v1/reports/run', payload: definition });

  beforeAll(async () => {
    const { admin, rep, rep2, otherTeamRep, manager } = t.org.users;
    expect((await t.as(admin, { method: 'POST', url: '/api/v1/custom-fields', payload: { entity: 'opportunity', key: 'product', label: { en: 'Product' }, type: 'select', options: ['lamp', 'panel', 'driver'] } })).statusCode).toBe(201);
    const account = (await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Report Co' } })).json() as { id: string };
    const owners = [rep, rep2, otherTeamRep, manager];
    // A small deterministic generator: every figure below is recomputed from these rows in JS.
    let seed = 12345;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 80; i++) {
      const created = new Date(Date.UTC(2025, 6, 1) + Math.floor(next() * 400) * DAY + Math.floor(next() * DAY));
      const s = next();
      const status = s < 0.3 ? 'open' : s < 0.65 ? 'won' : 'lost';
      const closed = status === 'open' ? null : new Date(created.getTime() + Math.floor(next() * 120 * DAY) + 3_600_000);
      deals.push({ owner: owners[Math.floor(next() * owners.length)]!, status, amount: round2(500 + next() * 20000), currency: next() < 0.2 ? 'EUR' : 'USD', created, closed, product: ['lamp', 'panel', 'driver'][i % 3]! });
    }
    const values = deals.map((d, i) => {
      const p = i * 9;
      return `($${p + 1}, $${p + 2}, $${p + 3}, 'Deal ${i}', $${p + 4}, $${p + 5}, 'decision', $${p + 6}, $${p + 7}, $${p + 7}, $${p + 8}, $${p + 9}, ${d.status === 'lost' ? "'price'" : 'null'})`;
    });
    const params = deals.flatMap((d) => [t.org.id, account.id, d.owner.id, d.amount, d.currency, d.status, d.created.toISOString(), d.closed?.toISOString() ?? null, JSON.stringify({ product: d.product })]);
    await t.database.query(
      `insert into opportunities (org_id, account_id, owner_id, name, amount, currency, buying_stage, status, created_at, opened_at, closed_at, custom, lost_reason) values ${values.join(', ')}`,
      params,
    );
    // A deleted deal and another organization's deal are never counted.
    await t.database.query(`insert into opportunities (org_id, account_id, owner_id, name, amount, currency, buying_stage, status, deleted_at) values ($1, $2, $3, 'Gone', 999999, 'USD', 'decision', 'won', now())`, [t.org.id, account.id, rep.id]);
    const otherAcc = (await t.as(t.other.users.rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Other Co' } })).json() as { id: string };
    await t.database.query(`insert into opportunities (org_id, account_id, owner_id, name, amount, currency, buying_stage, status) values ($1, $2, $3, 'Theirs', 5, 'USD', 'decision', 'won')`, [t.other.id, otherAcc.id, t.other.users.rep.id]);
  });

  it('count and sum per owner, split by currency, computed from the inserted rows', async () => {
    const res = await run(t.org.users.viewer, { recordType: 'opportunities', groupBy: [{ field: 'ownerId' }], measures: [{ agg: 'count' }, { agg: 'sum', field: 'amount' }, { agg: 'avg', field: 'amount' }, { agg: 'max', field: 'amount' }] });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.byCurrency).toBe(true);
    expect(body.measures.map((m: { key: string; unit: string }) => [m.key, m.unit])).toEqual([['count', 'count'], ['sum:amount', 'money'], ['avg:amount', 'money'], ['max:amount', 'money']]);
    const expected = [...groupBy(deals, (d) => `${d.owner.id}|${d.currency}`)].map(([k, ds]) => {
      const [owner, currency] = k.split('|');
      const sum = ds.reduce((a, d) => a + d.amount, 0);
      return { owner, currency, count: ds.length, sum: round2(sum), avg: round2(sum / ds.length), max: Math.max(...ds.map((d) => d.amount)) };
    });
    const got = body.rows.map((r: { keys: string[]; labels: string[]; currency: string; values: number[] }) => ({ owner: r.keys[0], currency: r.currency, count: r.values[0], sum: r.values[1], avg: round2(r.values[2]!), max: r.values[3] }));
    const sortKey = (x: { owner?: string; currency?: string }) => `${x.owner}|${x.currency}`;
    expect(got.sort((a: never, b: never) => sortKey(a).localeCompare(sortKey(b)))).toEqual(expected.sort((a, b) => sortKey(a).localeCompare(sortKey(b))));
    const repRow = body.rows.find((r: { keys: string[] }) => r.keys[0] === t.org.users.rep.id);
    expect(repRow.labels[0]).toBe('rep user');
  });

  it('win rate per owner, per team and per quarter of the close date; median cycle days', async () => {
    const res = await run(t.org.users.rep, { recordType: 'opportunities', groupBy: [{ field: 'ownerId' }], measures: [{ agg: 'winRate' }, { agg: 'cycleMedian' }, { agg: 'cycleAvg' }] });
    expect(res.statusCode).toBe(200);
    for (const [owner, ds] of groupBy(deals, (d) => d.owner.id)) {
      const row = res.json().rows.find((r: { keys: string[] }) => r.keys[0] === owner);
      const cycles = ds.filter((d) => d.closed).map((d) => (d.closed!.getTime() - d.created.getTime()) / DAY);
      expect(row.values[0]).toBeCloseTo(rate(ds)!, 10);
      expect(row.values[1]).toBeCloseTo(median(cycles), 6);
      expect(row.values[2]).toBeCloseTo(cycles.reduce((a, b) => a + b, 0) / cycles.length, 6);
    }
    const teamRes = await run(t.org.users.rep, { recordType: 'opportunities', groupBy: [{ field: 'ownerTeam' }], measures: [{ agg: 'winRate' }, { agg: 'count' }] });
    expect(teamRes.statusCode, teamRes.body).toBe(200);
    const team = teamRes.json();
    expect(team.byCurrency).toBe(false);
    const expectedTeams = [...groupBy(deals, (d) => d.owner.team)].map(([k, ds]) => [k, rate(ds), ds.length]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(team.rows.map((r: { keys: (string | null)[]; values: number[] }) => [r.keys[0], r.values[0], r.values[1]]).sort((a: string[], b: string[]) => String(a[0]).localeCompare(String(b[0])))).toEqual(
      expectedTeams.map(([k, r, n]) => [k, expect.closeTo(r as number, 10), n]),
    );
    const q = (await run(t.org.users.rep, { recordType: 'opportunities', groupBy: [{ field: 'closedAt', bucket: 'quarter' }], measures: [{ agg: 'winRate' }, { agg: 'count' }], filters: { 'status[in]': 'won,lost' } })).json();
    const expectedQ = [...groupBy(deals.filter((d) => d.closed), (d) => bucketStart('quarter', d.closed!))].sort(([a], [b]) => a.localeCompare(b));
    expect(q.rows.map((r: { keys: string[]; labels: string[]; values: number[] }) => [r.keys[0], r.values[1]])).toEqual(expectedQ.map(([k, ds]) => [k, ds.length]));
    q.rows.forEach((r: { keys: string[]; labels: string[]; values: number[] }, i: number) => {
      expect(r.values[0]).toBeCloseTo(rate(expectedQ[i]![1])!, 10);
      expect(r.labels[0]).toMatch(/^\d{4}-Q[1-4]$/);
    });
  });

  it('two group-bys (custom field × quarter) with a list filter, and won value by quarter', async () => {
    const res = await run(t.org.users.rep, {
      recordType: 'opportunities',
      groupBy: [{ field: 'custom.product' }, { field: 'createdAt', bucket: 'quarter' }],
      measures: [{ agg: 'count' }],
      filters: { 'amount[gte]': '5000', currency: 'USD' },
    });
    expect(res.statusCode).toBe(200);
    const sel = deals.filter((d) => d.amount >= 5000 && d.currency === 'USD');
    const expected = [...groupBy(sel, (d) => `${d.product}|${bucketStart('quarter', d.created)}`)].map(([k, ds]) => [...k.split('|'), ds.length]).sort((a, b) => String(a).localeCompare(String(b)));
    expect(res.json().rows.map((r: { keys: string[]; values: number[] }) => [...r.keys, r.values[0]])).toEqual(expected);
    const won = (await run(t.org.users.rep, { recordType: 'opportunities', groupBy: [{ field: 'closedAt', bucket: 'quarter' }], measures: [{ agg: 'sum', field: 'amount' }], filters: { status: 'won' } })).json();
    const wonQ = [...groupBy(deals.filter((d) => d.status === 'won'), (d) => `${bucketStart('quarter', d.closed!)}|${d.currency}`)].map(([k, ds]) => [...k.split('|'), round2(ds.reduce((a, d) => a + d.amount, 0))]).sort((a, b) => String(a).localeCompare(String(b)));
    expect(won.rows.map((r: { keys: string[]; currency: string; values: number[] }) => [r.keys[0], r.currency, r.values[0]])).toEqual(wonQ);
  });

  it('no group-by gives one total; the other organization sees only its own deal', async () => {
    const all = (await run(t.org.users.rep, { recordType: 'opportunities', measures: [{ agg: 'count' }] })).json();
    expect(all.rows).toEqual([{ keys: [], labels: [], currency: null, values: [deals.length] }]);
    const theirs = (await run(t.other.users.rep, { recordType: 'opportunities', measures: [{ agg: 'count' }, { agg: 'sum', field: 'amount' }] })).json();
    expect(theirs.rows).toEqual([{ keys: [], labels: [], currency: 'USD', values: [1, 5] }]);
  });

  it('answers field-level 400s for unknown fields, wrong aggregates and filters, never a 500', async () => {
    const bad = async (definition: Record<string, unknown>) => {
      const r = await run(t.org.users.rep, definition);
      expect(r.statusCode).toBe(400);
      return (r.json().error.fields as { path: string; code: string }[]).map((f) => `${f.path}:${f.code}`);
    };
    expect(await bad({ recordType: 'opportunities', groupBy: [{ field: 'nope' }], measures: [{ agg: 'sum', field: 'name' }, { agg: 'avg', field: 'custom.missing' }] })).toEqual(['groupBy.0.field:unknown_field', 'measures.0.field:invalid', 'measures.1.field:unknown_field']);
    expect(await bad({ recordType: 'accounts', measures: [{ agg: 'winRate' }] })).toEqual(['measures.0.agg:invalid']);
    expect(await bad({ recordType: 'opportunities', groupBy: [{ field: 'closedAt' }, { field: 'name', bucket: 'month' }], measures: [{ agg: 'count' }] })).toEqual(['groupBy.0.bucket:required', 'groupBy.1.bucket:invalid']);
    expect(await bad({ recordType: 'opportunities', measures: [{ agg: 'count' }], filters: { bogus: 'x', 'amount[contains]': '1', sort: 'name' } })).toEqual(['filters.sort:unknown_field', 'filters.bogus:unknown_field', 'filters.amount[contains]:invalid']);
    expect(await bad({ recordType: 'opportunities', measures: [{ agg: 'median' }] })).toEqual(['measures.0.agg:invalid_value']);
    expect(await bad({ recordType: 'deals', measures: [] })).toEqual(expect.arrayContaining(['recordType:invalid_value']));
    expect(await bad({ recordType: 'opportunities', groupBy: [{ field: "x'); drop table users; --" }], measures: [{ agg: 'count' }] })).toEqual(['groupBy.0.field:invalid_format']);
  });

  it('saved reports: shared ones visible to the organization, only the owner or an admin edits, versions guard edits, CSV export', async () => {
    const { rep, rep2, admin, viewer } = t.org.users;
    const definition = { recordType: 'opportunities', groupBy: [{ field: 'status' }], measures: [{ agg: 'count' }] };
    const mine = (await t.as(rep, { method: 'POST', url: '/api/v1/reports', payload: { name: 'My statuses', definition } })).json();
    const shared = await t.as(rep, { method: 'POST', url: '/api/v1/reports', payload: { name: 'Team statuses', definition, shared: true } });
    expect(shared.statusCode).toBe(201);
    const sh = shared.json();
    expect(sh).toMatchObject({ ownerId: rep.id, shared: true, version: 1, editable: true, definition: { ...definition, filters: {} } });
    const names = async (u: TestUser) => (await t.as(u, { method: 'GET', url: '/api/v1/reports' })).json().data.map((r: { name: string; editable: boolean }) => [r.name, r.editable]);
    expect(await names(rep)).toEqual([['My statuses', true], ['Team statuses', true]]);
    expect(await names(viewer)).toEqual([['Team statuses', false]]);
    expect((await t.as(viewer, { method: 'GET', url: `/api/v1/reports/${mine.id}/result` })).statusCode).toBe(404);
    const result = await t.as(viewer, { method: 'GET', url: `/api/v1/reports/${sh.id}/result` });
    expect(result.statusCode).toBe(200);
    const byStatus = Object.fromEntries([...groupBy(deals, (d) => d.status)].map(([k, ds]) => [k, ds.length]));
    expect(Object.fromEntries(result.json().rows.map((r: { keys: string[]; values: number[] }) => [r.keys[0], r.values[0]]))).toEqual(byStatus);
    expect((await t.as(viewer, { method: 'PATCH', url: `/api/v1/reports/${sh.id}`, payload: { name: 'x', version: 1 } })).statusCode).toBe(403);
    expect((await t.as(rep2, { method: 'DELETE', url: `/api/v1/reports/${sh.id}` })).statusCode).toBe(403);
    expect((await t.as(rep, { method: 'PATCH', url: `/api/v1/reports/${sh.id}`, payload: { name: 'x' } })).statusCode).toBe(428);
    const renamed = await t.as(admin, { method: 'PATCH', url: `/api/v1/reports/${sh.id}`, headers: { 'if-match': '"1"' }, payload: { name: 'Statuses (all)' } });
    expect(renamed.json()).toMatchObject({ name: 'Statuses (all)', version: 2 });
    const stale = await t.as(rep, { method: 'PATCH', url: `/api/v1/reports/${sh.id}`, payload: { name: 'y', version: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.current).toMatchObject({ name: 'Statuses (all)', version: 2 });
    const badSave = await t.as(rep, { method: 'POST', url: '/api/v1/reports', payload: { name: 'Bad', definition: { recordType: 'opportunities', groupBy: [{ field: 'nope' }], measures: [{ agg: 'count' }] } } });
    expect(badSave.statusCode).toBe(400);
    expect(badSave.json().error.fields[0].path).toBe('definition.groupBy.0.field');
    const csv = await t.as(viewer, { method: 'GET', url: `/api/v1/reports/${sh.id}/result/csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('status,status key,count');
    expect(lines.slice(1).sort()).toEqual(Object.entries(byStatus).map(([k, n]) => `${k},${k},${n}`).sort());
    // Another organization cannot read, run or change it.
    const other = t.other.users.admin;
    expect((await t.as(other, { method: 'GET', url: `/api/v1/reports/${sh.id}` })).statusCode).toBe(404);
    expect((await t.as(other, { method: 'GET', url: `/api/v1/reports/${sh.id}/result` })).statusCode).toBe(404);
    expect((await t.as(other, { method: 'PATCH', url: `/api/v1/reports/${sh.id}`, payload: { name: 'z', version: 2 } })).statusCode).toBe(404);
    expect(await names(other)).toEqual([]);
    expect((await t.as(rep, { method: 'DELETE', url: `/api/v1/reports/${mine.id}` })).statusCode).toBe(200);
  });

  it('a report run in slices and merged (the embedded database) equals the one statement, whatever the slice size', async () => {
    const actor = { orgId: t.org.id, userId: t.org.users.manager.id, role: 'manager', team: null, kind: 'user' } as const;
    // Every aggregate, every kind of group key (uuid, text, a team, a custom field, a time bucket),
    // a split by currency, a filter and a search.
    const groupings = [[], [{ field: 'ownerId' }], [{ field: 'ownerTeam' }], [{ field: 'status' }, { field: 'createdAt', bucket: 'month' }], [{ field: 'custom.product' }], [{ field: 'closedAt', bucket: 'quarter' }]];
    const measures = [
      [{ agg: 'count' }, { agg: 'sum', field: 'amount' }],
      [{ agg: 'winRate' }, { agg: 'cycleMedian' }, { agg: 'cycleAvg' }],
      [{ agg: 'avg', field: 'amount' }, { agg: 'min', field: 'amount' }, { agg: 'max', field: 'closedAt' }, { agg: 'min', field: 'createdAt' }],
      [{ agg: 'weightedSum', field: 'amount' }, { agg: 'count' }],
    ];
    const filters = [{}, { 'status[in]': 'won,lost' }, { q: 'Deal 1' }, { 'amount[gt]': '5000' }];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...groupings), fc.constantFrom(...measures), fc.constantFrom(...filters), fc.integer({ min: 1, max: 30 }), async (groupBy, ms, f, slice) => {
        const def = { recordType: 'opportunities', groupBy, measures: ms, filters: f } as unknown as ReportDefinition;
        const whole = await runReport(t.database.db, actor, def, '', 0);
        expect(whole.rows.length).toBeGreaterThan(0);
        expect(await runReport(t.database.db, actor, def, '', slice)).toEqual(whole);
      }),
      { numRuns: 30 },
    );
  });
});
