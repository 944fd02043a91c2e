import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { describeEachDb } from '../../../tests/helpers/db.ts';

describeEachDb('list export (GET /api/v1/exports/list/:entity)', (mode) => {
  const ctx = useTestApp(mode);

  it('streams every row of the list filter, in the list order, with raw values and the chosen columns', async () => {
    // 1 230 accounts: more than two pages of the export's reader and far more than the 50 a list screen loads.
    await ctx.database.query(
      `INSERT INTO accounts (org_id, id, name, country, annual_revenue, demand_currency)
       SELECT $1, gen_random_uuid(), 'Acct ' || lpad(g::text, 4, '0'), CASE WHEN g % 2 = 0 THEN 'CN' ELSE 'DE' END, 1200.5 * g, 'USD'
       FROM generate_series(1, 1230) g`,
      [ctx.org.id],
    );
    const res = await ctx.as(ctx.org.users.viewer, { method: 'GET', url: '/api/v1/exports/list/accounts?country[eq]=CN&sort=-name&columns=name,annualRevenue,createdAt,ownerId' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(615);
    expect(Object.keys(rows[0]!)).toEqual(['name', 'annualRevenue', 'createdAt', 'ownerId', 'ownerName']);
    expect(rows[0]!.name).toBe('Acct 1230');
    expect(rows[614]!.name).toBe('Acct 0002');
    // Raw values: a decimal amount without grouping, an ISO timestamp.
    expect(rows[0]!.annualRevenue).toBe('1476615.00');
    expect(rows[0]!.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const q = await ctx.as(ctx.org.users.viewer, { method: 'GET', url: '/api/v1/exports/list/accounts?q=Acct%20012' });
    const all = parse(q.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(all).toHaveLength(10);
    // No columns asked for: every column of the record.
    expect(Object.keys(all[0]!)).toEqual(expect.arrayContaining(['id', 'name', 'country', 'annualRevenue', 'fitScore', 'updatedAt']));

    // The other organization's export is empty; an unknown column or filter is a 400 naming it.
    const other = await ctx.as(ctx.other.users.admin, { method: 'GET', url: '/api/v1/exports/list/accounts' });
    expect(parse(other.body, { bom: true, columns: true })).toEqual([]);
    const bad = await ctx.as(ctx.org.users.viewer, { method: 'GET', url: '/api/v1/exports/list/accounts?columns=name,password' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0]).toMatchObject({ path: 'columns' });
    const badFilter = await ctx.as(ctx.org.users.viewer, { method: 'GET', url: '/api/v1/exports/list/accounts?nonsense[eq]=1' });
    expect(badFilter.statusCode).toBe(400);
  });
});
