import autocannon from 'autocannon';
import pg from 'pg';
import { openDatabase } from '../../src/kernel/db/index.ts';
import { accountResource } from '../../src/features/accounts/resource.ts';
import type { Actor } from '../../src/kernel/actor.ts';
import { load, repeat, summarize } from '../lib/stats.ts';
import type { Row } from '../lib/report.ts';
import type { BenchContext } from '../context.ts';
import { startServer } from '../lib/server.ts';

/** A page of 50 accounts filtered, sorted and searched: the list every user opens all day. */
export const LIST_QUERY = { limit: '50', sort: 'name', country: 'DE', kind: 'customer', q: 'licht' };

/**
 * The list API against the same SQL sent raw. The SQL is captured from the list command itself,
 * so the baseline is exactly the query Accord runs, minus HTTP, auth, validation and JSON.
 */
export async function listSuite(ctx: BenchContext, log: (s: string) => void): Promise<Row[]> {
  const captured: { query: string; params: unknown[] }[] = [];
  const actor: Actor = { orgId: ctx.orgId, userId: ctx.userId, role: 'manager', team: null, kind: 'user' };
  const qs = new URLSearchParams(LIST_QUERY).toString();

  // Baseline first: in embedded mode the data folder can have only one owner at a time.
  let raw: { seq: number[]; loaded?: { latencies: number[]; perSecond: number } };
  const logged = await openDatabase({ ...ctx.dbOptions, worker: false, logger: { logQuery: (query, params) => captured.push({ query, params }) } });
  const sample = await accountResource.list(logged.db, actor, { ...LIST_QUERY });
  log(`list returns ${sample.data.length} rows (first: ${sample.data[0]?.name ?? '—'})`);
  // The page query itself (the custom-field lookup before it has an ORDER BY too).
  const main = captured.find((c) => /from "accounts"/i.test(c.query) && /limit/i.test(c.query))!;
  if (ctx.mode === 'postgres') {
    await logged.close();
    const pool = new pg.Pool({ connectionString: ctx.dbOptions.url, max: 32 });
    const seq = await repeat(ctx.runs * 40, () => pool.query(main.query, main.params), 20);
    const loaded = await load(32, ctx.loadSeconds * 1000, () => pool.query(main.query, main.params));
    await pool.end();
    raw = { seq, loaded };
  } else {
    const seq = await repeat(ctx.runs * 20, () => logged.query(main.query, main.params), 10);
    await logged.close();
    raw = { seq };
  }

  const server = await startServer(ctx.serverEnv, ctx.port);
  try {
    const url = `${server.url}/api/v1/accounts?${qs}`;
    const headers = { authorization: `Bearer ${ctx.token}` };
    const first = await fetch(url, { headers });
    if (!first.ok) throw new Error(`list API answered ${first.status}: ${await first.text()}`);
    const seq = await repeat(ctx.runs * (ctx.mode === 'postgres' ? 40 : 20), async () => {
      const r = await fetch(url, { headers });
      await r.arrayBuffer();
    }, 20);
    const ac = await autocannon({ url, connections: 32, duration: ctx.loadSeconds, headers });
    const rss = server.peakRssMb();
    const a = summarize(seq);
    const b = summarize(raw.seq);
    log(`list API p50 ${a.median.toFixed(1)} ms p99 ${a.p99.toFixed(1)} ms; raw SQL p50 ${b.median.toFixed(1)} ms; load ${ac.requests.average} req/s, p99 ${ac.latency.p99} ms, errors ${ac.errors + ac.non2xx}`);
    const rows: Row[] = [
      {
        id: 'list-latency',
        benchmark: `list API: page of 50 accounts, filter + sort + search, ${ctx.scale.accounts.toLocaleString('en')} accounts`,
        accord: a.median,
        unit: 'ms p50',
        detail: `p99 ${a.p99.toFixed(1)} ms, spread ${(a.spread * 100).toFixed(0)} %`,
        baseline: b.median,
        baselineLabel: `same SQL, p99 ${b.p99.toFixed(1)} ms`,
        ratio: a.median / b.median,
        target: 'p99 ≤ 25 ms; ≤ 2× raw SQL',
        met: a.p99 <= 25 && a.median / b.median <= 2,
      },
      {
        id: 'list-load',
        benchmark: 'list API under load (autocannon, 32 connections)',
        accord: ac.requests.average,
        unit: 'req/s',
        detail: `p50 ${ac.latency.p50} ms, p99 ${ac.latency.p99} ms, non-2xx ${ac.non2xx}`,
        ...(raw.loaded ? { baseline: raw.loaded.perSecond, baselineLabel: `same SQL, 32 clients, p99 ${summarize(raw.loaded.latencies).p99.toFixed(1)} ms`, ratio: raw.loaded.perSecond / ac.requests.average } : {}),
        target: 'p99 ≤ 25 ms',
        met: ac.latency.p99 <= 25 && ac.non2xx === 0,
        higherIsBetter: true,
      },
      {
        id: 'memory',
        benchmark: `server memory serving ${ctx.scale.accounts.toLocaleString('en')} accounts (peak RSS after load)`,
        accord: rss,
        unit: 'MB',
        target: ctx.mode === 'postgres' ? '≤ 300 MB' : '≤ 700 MB',
        met: rss <= (ctx.mode === 'postgres' ? 300 : 700),
      },
    ];
    return rows;
  } finally {
    await server.stop();
  }
}
