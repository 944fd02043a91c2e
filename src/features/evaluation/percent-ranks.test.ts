import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../kernel/db/index.ts';
import { describeEachDb, openTestDatabase } from '../../../tests/helpers/db.ts';
import { percentRanks } from './queries.ts';

// The classification's size percentiles come from per-value counts instead of percent_rank() over
// every account; they must be the same numbers, ties, nulls and single rows included.
describeEachDb('percent ranks from per-value counts', (mode) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(mode);
  });
  afterAll(async () => {
    await db.close();
  });

  const compare = async (values: (number | null)[]) => {
    const { rows } = await db.query(
      `with base as (select k, v as x from unnest($1::float8[]) with ordinality as u(v, k)),
       ${percentRanks([['px', 'x', 'x is not null']])}
       select b.k::int as k, px.p as mine,
              case when b.x is not null then percent_rank() over (partition by b.x is null order by b.x) end as theirs
         from base b left join px on px.v = b.x
        order by b.k`,
      [values],
    );
    return rows as { k: number; mine: number | null; theirs: number | null }[];
  };

  it('matches percent_rank() exactly on random values with ties and nulls', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.integer({ min: -5, max: 20 }), { nil: null }), { maxLength: 60 }), async (values) => {
        for (const r of await compare(values)) expect(r.mine).toBe(r.theirs);
      }),
      { numRuns: 40 },
    );
  });

  it('gives 0 for a single value and for all-equal values', async () => {
    expect((await compare([7])).map((r) => r.mine)).toEqual([0]);
    expect((await compare([3, 3, 3, null])).map((r) => r.mine)).toEqual([0, 0, 0, null]);
    expect((await compare([1, 2, 2, 4])).map((r) => r.mine)).toEqual([0, 1 / 3, 1 / 3, 1]);
  });
});
