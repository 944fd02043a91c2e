import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDatabase } from '../../../tests/helpers/db.ts';
import type { Database } from './index.ts';
import { analyzeStale, planRows, vacuumStale } from './statistics.ts';

describeEachDb('planner statistics and dead rows', (mode) => {
  let database: Database;
  const table = `stat_probe_${process.pid}_${Date.now() % 100000}`;
  beforeAll(async () => {
    database = await openTestDatabase(mode);
  });
  afterAll(async () => {
    await database.query(`drop table if exists ${table}`);
    await database.close();
  });

  it('analyzes stale tables in name order, whatever order they are asked in (no lock-order deadlocks)', async () => {
    await database.withConnection(async (c) => {
      const [a, b] = [`${table}_a`, `${table}_b`];
      try {
        for (const x of [a, b]) {
          await c.query(`create table ${x} (id int primary key)`);
          await c.query(`insert into ${x} select generate_series(1, 5000)`);
        }
        // Whatever order the catalog query returns them in (its plan decides), ANALYZE gets them sorted.
        const sent: string[] = [];
        const reversing = {
          async query(text: string) {
            sent.push(text);
            const r = await c.query(text);
            return /from pg_class/.test(text) ? { ...r, rows: [...r.rows].reverse() } : r;
          },
        };
        expect(await analyzeStale(reversing, [b, a])).toEqual([a, b]);
        expect(sent.filter((t) => t.startsWith('analyze'))).toEqual([`analyze (skip_locked) ${a}, ${b}`]);
      } finally {
        await c.query(`drop table if exists ${a}, ${b}`);
      }
    });
  });

  it('analyzes a bulk-loaded table once, and vacuums it only when many of its rows are dead', async () => {
    // One connection throughout: a backend's statistics are its own until flushed.
    await database.withConnection(async (c) => {
      await c.query(`create table ${table} (id int primary key, v int)`);
      await c.query(`insert into ${table} select g, 0 from generate_series(1, 20000) g`);
      expect(await analyzeStale(c, [table, 'no such; table'])).toEqual([table]);
      expect(await analyzeStale(c, [table])).toEqual([]);
      expect(await vacuumStale(c, [table])).toEqual([]);
      await c.query(`update ${table} set v = 1 where id <= 2000`);
      // 10 % dead: below the threshold.
      expect(await vacuumStale(c, [table])).toEqual([]);
      await c.query(`update ${table} set v = 2`);
      expect(await vacuumStale(c, [table])).toEqual([table]);
      const { rows } = await c.query(`select vacuum_count::int as vacuums, n_dead_tup::int as dead from pg_stat_user_tables where relname = $1`, [table]);
      const after = rows[0] as { vacuums: number; dead: number };
      expect(after.vacuums).toBe(1);
      // Embedded, nothing else holds a snapshot: the dead rows are gone and the next check has nothing
      // to do. On a shared server another session's open transaction (the other test files') may still
      // see them, and VACUUM keeps what someone can see.
      if (mode === 'pglite') {
        expect(after.dead).toBe(0);
        expect(await vacuumStale(c, [table])).toEqual([]);
      }
    });
  });
  it.runIf(mode === 'postgres')('skips a table another session holds (an ANALYZE or VACUUM in an open transaction) instead of waiting for it', async () => {
    const held = `${table}_held`;
    await database.query(`create table ${held} (id int primary key)`);
    await database.query(`insert into ${held} select generate_series(1, 5000)`);
    let release!: () => void;
    const holding = new Promise<void>((r) => { release = r; });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => { locked = r; });
    const holder = database.withConnection(async (c) => {
      await c.query('begin');
      await c.query(`lock table ${held} in share update exclusive mode`);
      locked();
      await holding;
      await c.query('rollback');
    });
    try {
      await isLocked;
      // Bounded by a timer only so that a regression fails here instead of hanging the file.
      const outcome = await Promise.race([
        database.withConnection((c) => analyzeStale(c, [held])).then(() => 'done'),
        new Promise((r) => setTimeout(() => r('waited'), 10_000)),
      ]);
      expect(outcome).toBe('done');
    } finally {
      release();
      await holder;
      await database.query(`drop table if exists ${held}`);
    }
  });

  it('analyzes a table whose statistics do not know an organization, though the table changed little overall', async () => {
    const shared = `${table}_orgs`;
    const [a, b] = ['018cc251-f018-7a51-b0db-3c5c1669e541', '018cc251-f018-7a51-b0db-3c5c1669e542'];
    await database.withConnection(async (c) => {
      try {
        await c.query(`create table ${shared} (org_id uuid not null, id int not null, primary key (org_id, id))`);
        await c.query(`insert into ${shared} select '${a}', g from generate_series(1, 20000) g`);
        // Analyzed the usual way (its counts flushed first): the statistics know only organization a.
        expect(await analyzeStale(c, [shared])).toEqual([shared]);
        // 400 rows of a new organization: 2 % of the table, far below the change threshold, and
        // unknown to the statistics — the planner guesses about one row for it.
        await c.query(`insert into ${shared} select '${b}', g from generate_series(1, 400) g`);
        expect(await analyzeStale(c, [shared])).toEqual([]);
        expect(await analyzeStale(c, [shared], { orgId: a })).toEqual([]);
        expect(await analyzeStale(c, [shared], { orgId: b })).toEqual([shared]);
        // Now known: nothing more to do for it.
        expect(await analyzeStale(c, [shared], { orgId: b })).toEqual([]);
        const guess = planRows((await c.query(`explain (format json) select 1 from ${shared} where org_id = '${b}'`)).rows);
        expect(guess).toBeGreaterThan(40);
        // A table without org_id is never probed, whatever organization is asked about.
        expect(await analyzeStale(c, [table], { orgId: b })).toEqual([]);
      } finally {
        await c.query(`drop table if exists ${shared}`);
      }
    });
  });
});

it('reads the row guess of an EXPLAIN (FORMAT JSON) answer as either driver returns it', () => {
  const doc = [{ Plan: { 'Node Type': 'Seq Scan', 'Plan Rows': 12 } }];
  expect(planRows([{ 'QUERY PLAN': doc }])).toBe(12);
  expect(planRows([{ 'QUERY PLAN': JSON.stringify(doc) }])).toBe(12);
  expect(planRows([])).toBeNull();
  expect(planRows([{ 'QUERY PLAN': [{}] }])).toBeNull();
});
