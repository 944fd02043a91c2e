import { and, eq } from 'drizzle-orm';
import pg from 'pg';
import { users } from '../../src/db/schema/index.ts';
import { runReport } from '../../src/features/reports/queries.ts';
import { definitionSchema } from '../../src/features/reports/schemas.ts';
import { createToken } from '../../src/features/users/commands.ts';
import type { Actor } from '../../src/kernel/actor.ts';
import { openDatabase } from '../../src/kernel/db/index.ts';
import type { BenchContext } from '../context.ts';
import type { Row } from '../lib/report.ts';
import { startServer } from '../lib/server.ts';
import { repeat, summarize } from '../lib/stats.ts';
import { ensureReportsOrg } from './reports-data.ts';

/** The sales dashboard's heaviest tile: every deal, by owner and quarter of its close, with value and win rate. */
export const OWNER_QUARTER = definitionSchema.parse({
  recordType: 'opportunities',
  groupBy: [{ field: 'ownerId' }, { field: 'closedAt', bucket: 'quarter' }],
  measures: [{ agg: 'count' }, { agg: 'sum', field: 'amount' }, { agg: 'winRate' }],
});

/**
 * The report API (HTTP, auth, validation, JSON) against the same statement sent raw, captured from
 * the report command itself, in the same run.
 */
export async function reportsSuite(ctx: BenchContext, log: (s: string) => void): Promise<Row[]> {
  const target = ctx.mode === 'postgres' ? 1_000_000 : 100_000;
  const org = await ensureReportsOrg(ctx.dbOptions, target, ctx.mode === 'postgres' ? 20_000 : 2_000, log);
  const captured: { query: string; params: unknown[] }[] = [];
  const logged = await openDatabase({ ...ctx.dbOptions, worker: false, logger: { logQuery: (query, params) => captured.push({ query, params }) } });
  const [manager] = await logged.db.select().from(users).where(and(eq(users.orgId, org.orgId), eq(users.role, 'manager'))).limit(1);
  const actor: Actor = { orgId: org.orgId, userId: manager!.id, role: 'manager', team: null, kind: 'user' };
  const token = await createToken(logged.db, actor, { name: 'bench-reports' });
  const sample = await runReport(logged.db, actor, OWNER_QUARTER);
  log(`report returns ${sample.rows.length} groups over ${org.deals.toLocaleString('en')} deals`);
  const main = captured.find((c) => /percentile_cont|count\(\*\)/i.test(c.query) && /group by/i.test(c.query))!;
  const runs = ctx.runs * 20;
  let raw: number[];
  if (ctx.mode === 'postgres') {
    await logged.close();
    const pool = new pg.Pool({ connectionString: ctx.dbOptions.url, max: 2 });
    raw = await repeat(runs, () => pool.query(main.query, main.params), 5);
    await pool.end();
  } else {
    raw = await repeat(runs, () => logged.query(main.query, main.params), 3);
    await logged.close();
  }
  const server = await startServer(ctx.serverEnv, ctx.port);
  try {
    const url = `${server.url}/api/v1/reports/run`;
    const init = { method: 'POST', headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' }, body: JSON.stringify(OWNER_QUARTER) };
    const first = await fetch(url, init);
    if (!first.ok) throw new Error(`report API answered ${first.status}: ${await first.text()}`);
    const api = await repeat(runs, async () => (await fetch(url, init)).arrayBuffer(), 5);
    const a = summarize(api);
    const b = summarize(raw);
    log(`report API p50 ${a.median.toFixed(1)} ms p99 ${a.p99.toFixed(1)} ms; raw SQL p50 ${b.median.toFixed(1)} ms p99 ${b.p99.toFixed(1)} ms`);
    const limit = ctx.mode === 'postgres' ? 200 : 2000;
    return [
      {
        id: 'report-owner-quarter',
        benchmark: `report API: deals by owner × close quarter (count, value by currency, win rate), ${org.deals.toLocaleString('en')} deals, ${sample.rows.length} groups`,
        accord: a.median,
        unit: 'ms p50',
        detail: `p99 ${a.p99.toFixed(1)} ms over ${a.runs} runs, spread ${(a.spread * 100).toFixed(0)} %`,
        baseline: b.median,
        baselineLabel: `same SQL sent raw, p99 ${b.p99.toFixed(1)} ms`,
        ratio: a.median / b.median,
        target: `p99 ≤ ${limit} ms`,
        met: a.p99 <= limit,
      },
    ];
  } finally {
    await server.stop();
  }
}
