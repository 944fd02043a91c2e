/**
 * Times the demo generator: `npx tsx bench/generate-demo.ts --accounts 10000 [--url postgres://…] [--data-dir dir]`.
 * Embedded runs use a fresh in-memory PGlite unless --data-dir is given; server runs add a new org.
 * --fast loads without foreign-key triggers (superuser only); --worker true runs PGlite in its worker thread as the server does.
 */
import { openDatabase } from '../src/kernel/db/index.ts';
import { runMigrations } from '../src/kernel/db/migrate.ts';
import { generateDemo } from '../src/features/demo/index.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const accounts = Number(arg('accounts') ?? 10000);
const url = arg('url');
const dataDir = arg('data-dir');
const worker = arg('worker') === 'true';

const database = await openDatabase({ url, dataDir, worker });
await runMigrations(database);
const tag = `${Date.now().toString(36)}`;
let last = 0;
const result = await generateDemo(database, {
  accounts,
  seed: Number(arg('seed') ?? 1),
  now: arg('now') ?? '2026-11-20T12:00:00Z',
  slug: `bench-${tag}`,
  emailDomain: `${tag}.bench.demo`,
  fastLoad: process.argv.includes('--fast'),
  onProgress: (done, total, phase) => {
    const now = Date.now();
    if (now - last > 2000 || phase === 'done') {
      last = now;
      console.error(`${phase} ${done}/${total}`);
    }
  },
});
const rows = Object.values(result.counts).reduce((a, b) => a + b, 0);
const timings = Object.fromEntries(Object.entries(result.timings).map(([k, v]) => [k, Math.round(v)]));
console.log(JSON.stringify({
  mode: database.mode, worker, accounts, fastLoad: result.fastLoad, seconds: result.ms / 1000, rows,
  rowsPerSecond: Math.round(rows / (result.ms / 1000)), counts: result.counts, timings,
}, null, 1));
await database.close();
