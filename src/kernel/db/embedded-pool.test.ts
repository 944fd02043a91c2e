import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../server.ts';
import { runInDbContext } from '../tenant-context.ts';
import { FairScheduler } from './embedded-pool.ts';
import { openDatabase } from './index.ts';

const config = { secureCookies: false, sessionDays: 14, bodyLimit: 1024 * 1024 };
const deepJson = (depth: number) => `select (repeat('[', ${depth}) || repeat(']', ${depth}))::json as j`;
const read = <T>(f: () => Promise<T>) => runInDbContext({ kind: 'read', orgId: () => 'org-a' }, f);
/** Settles or says it hung: a hang must fail the test, not time it out. */
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p.then((v) => ({ value: v }), (e: unknown) => ({ error: e as Error & { code?: string } })), new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms))]);

describe('embedded worker: every call answers or fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-worker-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a value that breaks the worker (JSON nested 5,000 deep) is answered with an error, and the connection stays usable', async () => {
    const database = await openDatabase({ worker: true, dataDir: dir, timeouts: { readMs: 5000 } });
    try {
      const r = await within(read(() => database.query(deepJson(5000))), 30_000);
      expect(r).not.toBe('hung');
      expect((r as { error: Error }).error.message).toMatch(/could not send its answer|call stack|did not answer/i);
      // The worker may have been restarted to get out of it, which takes a while on a busy machine.
      const after = await within(database.query('select 2 as n'), 120_000);
      expect(after).toEqual({ value: expect.objectContaining({ rows: [{ n: 2 }] }) });
      expect(await database.health()).toEqual({ ok: true });
    } finally {
      await database.close();
    }
  }, 240_000);

  it('a call past its timeout fails with 57014; the worker on a data folder is restarted and answers again', async () => {
    const database = await openDatabase({ worker: true, dataDir: dir, timeouts: { readMs: 500 } });
    try {
      await database.query('create table kept (n int)');
      await database.query('insert into kept values (7)');
      const started = Date.now();
      const r = await within(read(() => database.query('select pg_sleep(5)')), 20_000);
      expect(r).not.toBe('hung');
      expect((r as { error: { code?: string } }).error.code).toBe('57014');
      expect(Date.now() - started).toBeLessThan(4000);
      // The lock was released and the restarted worker sees the committed data.
      const after = await within(database.query('select n from kept'), 60_000);
      expect(after).toEqual({ value: expect.objectContaining({ rows: [{ n: 7 }] }) });
      expect(await database.health()).toEqual({ ok: true });
    } finally {
      await database.close();
    }
  }, 240_000);

  it('a transaction cut by a restart does not go on as autocommitted statements', async () => {
    const database = await openDatabase({ worker: true, dataDir: dir, timeouts: { readMs: 4000 } });
    try {
      const r = await within(
        read(() =>
          database.withConnection(async (c) => {
            await c.query('begin');
            await c.query('insert into kept values (8)');
            await c.query('select pg_sleep(20)').catch(() => undefined);
            await c.query('insert into kept values (9)');
            await c.query('commit');
          }),
        ),
        60_000,
      );
      expect((r as { error: { code?: string } }).error.code).toBe('08006');
      const { rows } = await database.query('select n from kept order by n');
      expect(rows).toEqual([{ n: 7 }]);
    } finally {
      await database.close();
    }
  }, 240_000);

  it('an in-memory database that stops answering is reported by /api/v1/health as 503 with the reason', async () => {
    const database = await openDatabase({ worker: true, timeouts: { readMs: 300 } });
    const app = await buildServer({ database, config });
    try {
      expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
      await within(read(() => database.query('select pg_sleep(3)')), 10_000);
      // Terminating the stuck worker takes a moment; meanwhile the health check says it is restarting.
      for (let i = 0; i < 100 && /restarting/.test((await database.health()).reason ?? ''); i++) await new Promise((r) => setTimeout(r, 100));
      const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ ok: false, database: 'embedded', reason: expect.stringMatching(/stopped answering/) });
      // Later calls fail at once instead of waiting for ever.
      const later = await within(database.query('select 1'), 2000);
      expect((later as { error: { code?: string } }).error.code).toBe('08006');
    } finally {
      await app.close();
      await database.close();
    }
  }, 240_000);
});

describe('fair scheduling of the one embedded connection', () => {
  it('organizations take turns; jobs wait behind interactive calls but are not starved', async () => {
    const s = new FairScheduler();
    const order: string[] = [];
    const first = await s.acquire('a', 'interactive');
    const waits = [
      ...['a1', 'a2', 'a3', 'a4', 'a5'].map((n) => s.acquire('a', 'interactive').then((r) => (order.push(n), r()))),
      s.acquire('b', 'interactive').then((r) => (order.push('b1'), r())),
      s.acquire('job', 'job').then((r) => (order.push('job1'), r())),
      s.acquire('c', 'interactive').then((r) => (order.push('c1'), r())),
    ];
    first();
    await Promise.all(waits);
    // b and c do not wait for all of a's queue; the job gets its turn after JOB_TURN interactive calls.
    expect(order).toEqual(['a1', 'b1', 'c1', 'job1', 'a2', 'a3', 'a4', 'a5']);
  });

  it('a request that goes on after a light statement keeps its turn; after a heavy one, or when finished, the neighbour goes', async () => {
    const s = new FairScheduler();
    const quiet = {};
    const order: string[] = [];
    // Light: the quiet request's second statement comes right after its first and goes before the neighbour's.
    let r = await s.acquire('quiet', 'interactive', quiet);
    const neighbour = s.acquire('noisy', 'interactive', {}).then((rel) => (order.push('noisy'), rel));
    r();
    await Promise.resolve();
    r = await s.acquire('quiet', 'interactive', quiet);
    order.push('quiet again');
    r();
    (await neighbour)();
    expect(order).toEqual(['quiet again', 'noisy']);

    // Heavy: a hold longer than LIGHT_MS passes the turn on.
    order.length = 0;
    const heavy = {};
    r = await s.acquire('noisy', 'interactive', heavy);
    const other = s.acquire('quiet', 'interactive', quiet).then((rel) => (order.push('quiet'), rel));
    await new Promise((w) => setTimeout(w, FairScheduler.LIGHT_MS + 5));
    r();
    const again = s.acquire('noisy', 'interactive', heavy).then((rel) => (order.push('noisy again'), rel));
    (await other)();
    (await again)();
    expect(order).toEqual(['quiet', 'noisy again']);

    // Finished: the reservation ends at once, without waiting out the grace period.
    order.length = 0;
    r = await s.acquire('quiet', 'interactive', quiet);
    const waiting = s.acquire('noisy', 'interactive', {}).then((rel) => (order.push('noisy'), rel));
    r();
    s.finish(quiet);
    await Promise.resolve();
    await Promise.resolve();
    expect(order).toEqual(['noisy']);
    (await waiting)();
    expect(s.stats()).toEqual({ waiting: 0, heldMs: 0 });
  });

  it('a request gets at most MAX_RESERVED_TURNS reserved turns in a row, then queues behind its neighbour', async () => {
    const s = new FairScheduler();
    const busy = {};
    let r = await s.acquire('busy', 'interactive', busy);
    let neighbourServed = -1;
    const neighbour = s.acquire('other', 'interactive', {}).then((rel) => rel);
    let turns = 0;
    for (; turns < FairScheduler.MAX_RESERVED_TURNS + 5; turns++) {
      r();
      await Promise.resolve();
      const next = s.acquire('busy', 'interactive', busy);
      const first = await Promise.race([next.then(() => 'busy'), neighbour.then(() => 'other')]);
      if (first === 'other') {
        neighbourServed = turns;
        (await neighbour)();
        r = await next;
        break;
      }
      r = await next;
    }
    r();
    expect(neighbourServed).toBe(FairScheduler.MAX_RESERVED_TURNS);
  });

  it('a request that has used RESERVE_BUDGET_MS of connection time gets no more reservations, however light each statement', async () => {
    const s = new FairScheduler();
    const walker = {};
    // Statements just under LIGHT_MS, as a search's slices can be: each alone would earn a reservation.
    const step = FairScheduler.LIGHT_MS - 8;
    let r = await s.acquire('walker', 'interactive', walker);
    const neighbour = s.acquire('quiet', 'interactive', {});
    let turns = 0;
    for (;;) {
      await new Promise((w) => setTimeout(w, step));
      r();
      await Promise.resolve();
      const next = s.acquire('walker', 'interactive', walker);
      const first = await Promise.race([next.then(() => 'walker'), neighbour.then(() => 'quiet')]);
      r = await (first === 'quiet' ? ((await neighbour)(), next) : next);
      if (first === 'quiet') break;
      turns++;
    }
    r();
    // The neighbour went once the walker's time passed the budget, long before MAX_RESERVED_TURNS.
    expect(turns).toBeLessThanOrEqual(Math.ceil(FairScheduler.RESERVE_BUDGET_MS / step));
    expect(turns).toBeLessThan(FairScheduler.MAX_RESERVED_TURNS);
  });
});
