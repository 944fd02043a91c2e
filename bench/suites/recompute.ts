import { openDatabase } from '../../src/kernel/db/index.ts';
import { recompute } from '../../src/features/evaluation/commands.ts';
import { recomputeCoverage } from '../../src/features/buying-center/queries.ts';
import type { BenchContext } from '../context.ts';
import type { Row } from '../lib/report.ts';
import { repeat, summarize } from '../lib/stats.ts';
import { startServer } from '../lib/server.ts';

/**
 * The physical floor for a recompute: one hand-written statement that reads the same data
 * (every account, its interactions, orders and open deals) and writes one value per account —
 * rolled back so the data stays as it was.
 */
const BASELINE_SQL = `
  with ia as (select account_id, count(*) as n from interactions where org_id = $1 group by account_id),
       oa as (select account_id, sum(amount_base) as bought from orders where org_id = $1 and ordered_at > current_date - 365 group by account_id),
       pa as (select account_id, sum(amount) as pipeline from opportunities where org_id = $1 and status = 'open' group by account_id)
  update accounts a set scored_at = now(),
    fit_score = coalesce(ia.n, 0)::real, relationship_score = coalesce(oa.bought, 0)::real, attractiveness = coalesce(pa.pipeline, 0)::real
  from accounts a2
    left join ia on ia.account_id = a2.id
    left join oa on oa.account_id = a2.id
    left join pa on pa.account_id = a2.id
  where a.org_id = $1 and a2.org_id = $1 and a.id = a2.id`;

export async function recomputeSuite(ctx: BenchContext, log: (s: string) => void): Promise<Row[]> {
  const database = await openDatabase({ ...ctx.dbOptions, worker: false });
  try {
    const baseline = await repeat(ctx.runs, () =>
      database.withConnection(async (c) => {
        await c.query('begin');
        try {
          await c.query(BASELINE_SQL, [ctx.orgId]);
        } finally {
          await c.query('rollback');
        }
      }),
    );
    const runs = await repeat(ctx.runs, async () => {
      await recomputeCoverage(database, ctx.orgId);
      await recompute(database, ctx.orgId);
    });
    const a = summarize(runs);
    const b = summarize(baseline);
    log(`recompute ${(a.median / 1000).toFixed(2)} s (spread ${(a.spread * 100).toFixed(0)} %); hand-written aggregate ${(b.median / 1000).toFixed(2)} s`);
    return [
      {
        id: 'recompute',
        benchmark: `recompute all scores (fit, tier, portfolio, coverage, win probability), ${ctx.scale.accounts.toLocaleString('en')} accounts / ${ctx.scale.interactions.toLocaleString('en')} interactions`,
        accord: a.median / 1000,
        unit: 's',
        detail: `spread ${(a.spread * 100).toFixed(0)} %`,
        baseline: b.median / 1000,
        baselineLabel: 'one hand-written aggregate + update',
        ratio: a.median / b.median,
        target: '≤ 10 s; ≤ 1.5×',
        met: a.median <= 10_000 && a.median / b.median <= 1.5,
      },
    ];
  } finally {
    await database.close();
  }
}

/**
 * How long the server's event loop stops answering while a recompute runs: /health is polled every
 * 5 ms during POST /evaluation/recompute; the worst answer time is the stall.
 */
export async function stallSuite(ctx: BenchContext, log: (s: string) => void): Promise<Row[]> {
  const server = await startServer(ctx.serverEnv, ctx.port);
  try {
    const ping = async () => {
      const t0 = performance.now();
      await (await fetch(`${server.url}/api/v1/health`)).arrayBuffer();
      return performance.now() - t0;
    };
    const idle = summarize(await repeat(50, ping, 5));
    let running = true;
    const pings: number[] = [];
    const poller = (async () => {
      while (running) {
        pings.push(await ping());
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/v1/evaluation/recompute`, { method: 'POST', headers: { authorization: `Bearer ${ctx.token}` } });
    const took = performance.now() - t0;
    running = false;
    await poller;
    if (!res.ok) throw new Error(`recompute answered ${res.status}: ${await res.text()}`);
    const worst = Math.max(...pings);
    log(`recompute over HTTP took ${(took / 1000).toFixed(1)} s; ${pings.length} health pings, worst ${worst.toFixed(0)} ms (idle p99 ${idle.p99.toFixed(1)} ms)`);
    return [
      {
        id: 'stall',
        benchmark: `event-loop stall during a recompute (${ctx.mode === 'embedded' ? 'PGlite in its worker' : 'PostgreSQL'})`,
        accord: worst,
        unit: 'ms max',
        detail: `${pings.length} pings over ${(took / 1000).toFixed(1)} s`,
        baseline: idle.p99,
        baselineLabel: 'idle p99 ping',
        target: '≤ 50 ms',
        met: worst <= 50,
      },
    ];
  } finally {
    await server.stop();
  }
}
