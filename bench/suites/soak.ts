import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { BenchContext } from '../context.ts';
import type { Row } from '../lib/report.ts';
import { startServer } from '../lib/server.ts';

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

/**
 * One import of the same 500 accounts, with a changing column: after the first run it merges
 * duplicates. New names each time grew the organization by 8,000 accounts (60 %) in 30 minutes, and
 * memory and job times grew with it; a soak looks for leaks, not for a growing data set.
 */
async function importOnce(url: string, authorization: string, i: number) {
  const csv = ['name,country,kind,city', ...Array.from({ length: 500 }, (_, k) => `Soak import ${k},FR,prospect,Lyon ${i}`)].join('\n');
  const r = await fetch(`${url}/api/v1/imports?entity=accounts&wait=true`, { method: 'POST', headers: { authorization, 'content-type': 'text/csv' }, body: csv });
  await r.arrayBuffer();
  return r;
}

async function recomputeOnce(url: string, authorization: string) {
  const r = await fetch(`${url}/api/v1/evaluation/recompute`, { method: 'POST', headers: { authorization } });
  await r.arrayBuffer();
  return r;
}

/**
 * Soak: mixed traffic for `soakMinutes` against one server on 127.0.0.1 — autocannon drives reads
 * (lists, searches, a record) and writes (new accounts), while a side loop runs a small import and a
 * recompute in turn. Reports errors, 5xx, p99 and resident memory at start and end (growth ≤ 10 %).
 *
 * The soak is a test of staying up, not of throughput: it sends a fixed rate (`soakRate`) well
 * under what the server answers, so that a request that times out is a fault and not a queue. At
 * rate 0 it sends as fast as answered: eight clients against the embedded database's one
 * connection then queue (6 req/s, p99 8.8 s and 15 client timeouts > 10 s in 3 minutes).
 */
export async function soakSuite(ctx: BenchContext, log: (s: string) => void): Promise<Row[]> {
  const minutes = ctx.soakMinutes ?? 30;
  const server = await startServer(ctx.serverEnv, ctx.port);
  const headers = { authorization: `Bearer ${ctx.token}`, 'content-type': 'application/json' };
  try {
    const first = await fetch(`${server.url}/api/v1/accounts?limit=1`, { headers });
    const sampleId = ((await first.json()) as { data: { id: string }[] }).data[0]?.id;
    // Warm up, then take the starting memory once the caches have filled — the jobs' too: the first
    // import and recompute grow the embedded database's WebAssembly heap to its working size, which
    // it keeps (512 -> 702 MB in a 5-minute soak that started measuring before them).
    await autocannon({ url: `${server.url}/api/v1/accounts?limit=50&sort=name`, connections: 4, duration: 10, headers });
    for (const warm of [importOnce, recomputeOnce]) if (!(await warm(server.url, headers.authorization, 0)).ok) throw new Error('warm-up job failed');
    const rssStart = rssMb(server.proc.pid!);
    let stop = false;
    let jobs = 0;
    let jobErrors = 0;
    const side = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          const r = await (i % 2 === 0 ? importOnce : recomputeOnce)(server.url, headers.authorization, i);
          if (!r.ok) jobErrors++;
          jobs++;
        } catch {
          jobErrors++;
        }
        await new Promise((r) => setTimeout(r, 5000));
      }
    })();
    // A line a minute (answers, client errors, memory, one quiet request's time) so a soak that
    // degrades says when.
    const t0 = Date.now();
    let answered = 0;
    const minute = setInterval(() => {
      const p0 = performance.now();
      void fetch(`${server.url}/api/v1/accounts/${sampleId}`, { headers })
        .then((r) => r.arrayBuffer())
        .then(() => log(`${((Date.now() - t0) / 60000).toFixed(0)} min: ${answered} answered, RSS ${rssMb(server.proc.pid!).toFixed(0)} MB, one record read ${(performance.now() - p0).toFixed(0)} ms`))
        .catch(() => log('progress probe failed'));
    }, 60_000);
    let n = 0;
    // What each non-2xx answer was, by route, so a failed soak says what failed.
    const failures = new Map<string, number>();
    const kindOf = (path: string) => path.replace(/[0-9a-f-]{36}/g, ':id').replace(/\?.*$/, '');
    const ac = await autocannon({
      url: server.url,
      connections: 8,
      ...(ctx.soakRate ? { overallRate: ctx.soakRate } : {}),
      duration: Math.round(minutes * 60),
      headers,
      requests: [
        {
          // Each request is built whole, never from the previous one (autocannon hands back the last
          // request object: a GET spread from a POST kept its body, and the server rightly refused the bytes).
          setupRequest: (_req, context) => {
            const k = n++ % 10;
            const get = (path: string) => ({ method: 'GET' as const, path, headers: { authorization: headers.authorization } });
            const next = (() => {
              if (k < 4) return get(`/api/v1/accounts?limit=50&sort=name&q=${['li', 'ma', 'er', 'an'][k]}`);
              if (k < 6) return get(`/api/v1/search?q=${['lum', 'led', 'gmbh'][k % 3]}&limit=10`);
              if (k < 8 && sampleId) return get(`/api/v1/accounts/${sampleId}`);
              if (k < 9) return get('/api/v1/contacts?limit=50');
              return { method: 'POST' as const, path: '/api/v1/accounts', headers, body: JSON.stringify({ name: `Soak write ${n}`, kind: 'prospect', country: 'DE' }) };
            })();
            (context as { route?: string }).route = `${next.method} ${kindOf(next.path)}`;
            return next;
          },
          onResponse: (status, body, context) => {
            answered++;
            if (status >= 200 && status < 300) return;
            const code = /"message":"([^"]{0,80})/.exec(body ?? '')?.[1] ?? (body ?? '').slice(0, 80);
            const key = `${(context as { route?: string }).route ?? '?'} → ${status} ${code}`.trim();
            failures.set(key, (failures.get(key) ?? 0) + 1);
          },
        },
      ],
    });
    stop = true;
    clearInterval(minute);
    await side;
    const rssEnd = rssMb(server.proc.pid!);
    const growth = (rssEnd - rssStart) / rssStart;
    const fiveXx = (ac as unknown as { '5xx': number })['5xx'] ?? 0;
    const codes = (ac as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
    for (const [code, { count }] of Object.entries(codes)) if (!code.startsWith('2') && !failures.size) failures.set(`HTTP ${code}`, count);
    const failed = [...failures.entries()].map(([k, v]) => `${k} ×${v}`).join(', ');
    if (failed) log(`non-2xx answers: ${failed}`);
    log(`soak ${minutes} min: ${ac.requests.total} requests, p99 ${ac.latency.p99} ms, errors ${ac.errors}, non-2xx ${ac.non2xx}, 5xx ${fiveXx}; ${jobs} imports/recomputes (${jobErrors} failed); RSS ${rssStart.toFixed(0)} → ${rssEnd.toFixed(0)} MB`);
    return [
      {
        id: 'soak',
        benchmark: `soak: ${minutes} min mixed reads, writes, imports and recomputes (autocannon, 8 connections, ${ctx.soakRate ? `${ctx.soakRate} req/s` : 'unthrottled'}, 127.0.0.1)`,
        accord: ac.latency.p99,
        unit: 'ms p99',
        detail: `${ac.requests.total.toLocaleString('en')} requests, ${ac.requests.average} req/s; errors ${ac.errors}, non-2xx ${ac.non2xx}, 5xx ${fiveXx}; ${jobs} jobs (${jobErrors} failed); RSS ${rssStart.toFixed(0)} → ${rssEnd.toFixed(0)} MB (${(growth * 100).toFixed(1)} %)${failed ? `; non-2xx: ${failed}` : ''}`,
        target: 'no errors, no 5xx, RSS growth ≤ 10 %',
        met: ac.errors === 0 && fiveXx === 0 && jobErrors === 0 && growth <= 0.1,
      },
    ];
  } finally {
    await server.stop();
  }
}
