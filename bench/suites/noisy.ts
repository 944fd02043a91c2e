import type { BenchContext } from '../context.ts';
import type { Row } from '../lib/report.ts';
import { quietOrg } from '../lib/orgs.ts';
import { startServer } from '../lib/server.ts';
import { summarize, timeIt } from '../lib/stats.ts';

/** Searches that match widely (substring and trigram over accounts, contacts and deals). */
const HEAVY_TERMS = ['li', 'an', 'er', 'ma', 'on', 'el', 'in', 'ch'];

/**
 * Noisy neighbour: one organization runs five heavy searches at a time without pause while another
 * organization's trivial list (20 accounts) is timed; its p99 is compared with the same list
 * alone. On embedded PGlite (one connection) this is what the per-organization scheduler is for.
 */
export async function noisySuite(ctx: BenchContext, log: (s: string) => void): Promise<Row[]> {
  const quiet = await quietOrg(ctx.dbOptions);
  const server = await startServer(ctx.serverEnv, ctx.port);
  try {
    const trivial = async () => {
      const r = await fetch(`${server.url}/api/v1/accounts?limit=20&sort=name`, { headers: { authorization: `Bearer ${quiet.token}` } });
      if (!r.ok) throw new Error(`quiet list answered ${r.status}`);
      await r.arrayBuffer();
    };
    const samples = ctx.mode === 'postgres' ? 400 : 200;
    for (let i = 0; i < 20; i++) await trivial();
    const alone: number[] = [];
    for (let i = 0; i < samples; i++) alone.push(await timeIt(trivial));

    let stop = false;
    let searches = 0;
    let searchErrors = 0;
    const searchMs: number[] = [];
    const noisy = async (k: number) => {
      for (let i = k; !stop; i++) {
        const q = HEAVY_TERMS[i % HEAVY_TERMS.length]!;
        const t0 = performance.now();
        const r = await fetch(`${server.url}/api/v1/search?q=${q}&limit=50`, { headers: { authorization: `Bearer ${ctx.token}` } }).catch(() => undefined);
        if (!r?.ok) searchErrors++;
        await r?.arrayBuffer();
        searchMs.push(performance.now() - t0);
        searches++;
      }
    };
    const neighbours = Array.from({ length: 5 }, (_, k) => noisy(k));
    await new Promise((r) => setTimeout(r, 1000)); // let the five searches pile up
    const loaded: number[] = [];
    for (let i = 0; i < samples; i++) loaded.push(await timeIt(trivial));
    stop = true;
    await Promise.all(neighbours);

    const a = summarize(alone);
    const b = summarize(loaded);
    const s = summarize(searchMs);
    log(`trivial list alone p50 ${a.median.toFixed(1)} p99 ${a.p99.toFixed(1)} ms; next to 5 heavy searches p50 ${b.median.toFixed(1)} p99 ${b.p99.toFixed(1)} ms; ${searches} searches (p50 ${s.median.toFixed(0)} ms, ${searchErrors} errors)`);
    const target = ctx.mode === 'embedded' ? 100 : 50;
    return [
      {
        id: 'noisy-neighbour',
        benchmark: `noisy neighbour: another org's list of 20 while one org (${ctx.scale.contacts.toLocaleString('en')} contacts) runs 5 concurrent searches`,
        accord: b.p99,
        unit: 'ms p99',
        detail: `p50 ${b.median.toFixed(1)} ms; ${searches} searches ran alongside (p50 ${s.median.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms, ${searchErrors} errors)`,
        baseline: a.p99,
        baselineLabel: `same list, no neighbour (p50 ${a.median.toFixed(1)} ms)`,
        ratio: b.p99 / a.p99,
        target: `p99 ≤ ${target} ms`,
        met: b.p99 <= target && searchErrors === 0,
      },
    ];
  } finally {
    await server.stop();
  }
}
