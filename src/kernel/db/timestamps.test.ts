import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { parseTimestamp } from './timestamps.ts';

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('parseTimestamp', () => {
  it('turns any PostgreSQL timestamp text, at any offset, into ISO 8601 UTC with milliseconds (microseconds cut)', () => {
    const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9998, 11, 31) }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (ms, micros, offsetMin) => {
          const local = new Date(ms + offsetMin * 60_000);
          const frac = `${pad(local.getUTCMilliseconds(), 3)}${pad(micros, 3)}`.replace(/0+$/, '');
          const off = `${offsetMin < 0 ? '-' : '+'}${pad(Math.trunc(offsetMin / 60))}${offsetMin % 60 ? `:${pad(offsetMin % 60)}` : ''}`;
          const text = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${frac ? `.${frac}` : ''}${off}`;
          expect(parseTimestamp(text)).toBe(new Date(ms).toISOString());
        },
      ),
    );
    expect(parseTimestamp('infinity')).toBe('infinity');
  });
});

describeEachDb('timestamps in API output', (mode) => {
  const t = useTestApp(mode);

  it('a timestamptz reads as the same ISO string on both databases, whatever the session time zone', async () => {
    const out = await t.database.withConnection(async (c) => {
      await c.query(`set time zone 'Asia/Shanghai'`);
      const { rows } = await c.query(`select '2026-12-02 18:04:39.123456+00'::timestamptz as a, '2026-12-02 18:04:39'::timestamp as b`);
      await c.query('reset time zone');
      return rows[0];
    });
    expect(out).toEqual({ a: '2026-12-02T18:04:39.123Z', b: '2026-12-02T18:04:39.000Z' });
  });

  it('records carry ISO 8601 UTC milliseconds, and paging by updatedAt loses no row of the same millisecond', async () => {
    const created = await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Stamp One', kind: 'customer' } });
    expect(created.statusCode).toBe(201);
    expect(created.json().createdAt).toMatch(ISO_MS);
    expect(created.json().updatedAt).toMatch(ISO_MS);
    // Three accounts in the same millisecond, apart only in microseconds.
    const ids: string[] = [];
    for (const us of ['100', '200', '300']) {
      const r = await t.as(t.org.users.admin, { method: 'POST', url: '/api/v1/accounts', payload: { name: `Stamp ${us}`, kind: 'customer' } });
      ids.push(r.json().id as string);
      await t.database.query(`update accounts set updated_at = '2030-01-01 00:00:00.123${us}+00' where org_id = $1 and id = $2`, [t.org.id, r.json().id]);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await t.as(t.org.users.admin, { method: 'GET', url: `/api/v1/accounts?sort=-updatedAt&limit=1${cursor ? `&cursor=${cursor}` : ''}` });
      expect(page.statusCode).toBe(200);
      const body = page.json() as { data: { id: string; updatedAt: string }[]; nextCursor: string | null };
      for (const r of body.data) {
        seen.push(r.id);
        if (ids.includes(r.id)) expect(r.updatedAt).toBe('2030-01-01T00:00:00.123Z');
      }
      cursor = body.nextCursor;
    } while (cursor && seen.length < 50);
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());
  });
});
