import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDatabase } from '../../../tests/helpers/db.ts';
import type { Database } from './index.ts';

/** Yields `text` in pieces of `size` characters: rows straddle the pieces. */
async function* pieces(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

describeEachDb('COPY FROM STDIN through the kernel', (mode) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(mode);
  });
  afterAll(() => database.close());

  it('loads more than one batch of text-format rows that straddle chunk boundaries, none lost or cut', async () => {
    const n = 150_000;
    let text = '';
    for (let i = 0; i < n; i++) text += `${i}\trow number ${i} with some padding to pass eight megabytes in all ${'x'.repeat(i % 17)}\n`;
    expect(text.length).toBeGreaterThan(9 * 1024 * 1024);
    await database.withConnection(async (c) => {
      await c.query('create temp table copy_probe (n int, s text)');
      expect(await c.copyIn('COPY copy_probe (n, s) FROM STDIN', pieces(text, 4093))).toBe(n);
      const { rows } = await c.query(`select count(*)::int as rows, sum(n)::bigint as total, count(*) filter (where s not like 'row number %')::int as cut from copy_probe`);
      expect(rows[0]).toEqual({ rows: n, total: String((n * (n - 1)) / 2), cut: 0 });
    });
  });

  it('loads a CSV with a header and quoted line breaks whole, whatever its size', async () => {
    const n = 160_000;
    let text = 'n,s\n';
    for (let i = 0; i < n; i++) text += `${i},"line one ${i}\nline two, with a comma ${'y'.repeat(i % 23)}"\n`;
    expect(text.length).toBeGreaterThan(8 * 1024 * 1024);
    await database.withConnection(async (c) => {
      await c.query('create temp table copy_probe_csv (n int, s text)');
      expect(await c.copyIn('COPY copy_probe_csv (n, s) FROM STDIN (FORMAT csv, HEADER true)', pieces(text, 65_521))).toBe(n);
      const { rows } = await c.query(`select count(*)::int as rows, count(*) filter (where s like 'line one %' || chr(10) || 'line two, %')::int as whole from copy_probe_csv`);
      expect(rows[0]).toEqual({ rows: n, whole: n });
    });
  });
});
