/**
 * `npm run bench`: Accord's figures next to the physical baseline measured in the same run.
 * PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise. Not part of `npm test`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { and, eq } from 'drizzle-orm';
import { organizations, users } from '../src/db/schema/index.ts';
import { openDatabase, type OpenOptions } from '../src/kernel/db/index.ts';
import { runMigrations } from '../src/kernel/db/migrate.ts';
import { DEMO_PASSWORD, generateDemo } from '../src/features/demo/index.ts';
import { createToken } from '../src/features/users/commands.ts';
import type { BenchContext } from './context.ts';
import { markdown, regressions, save, type Results, type Row } from './lib/report.ts';
import { listSuite } from './suites/list.ts';
import { extraSuites } from './suites/index.ts';

const program = new Command('bench')
  .option('--accounts <n>', 'accounts in the scored organization (recompute, stall, web)', (v) => Number(v))
  .option('--list-accounts <n>', 'accounts in the organization the list API and memory are measured on (default 1,000,000 on PostgreSQL, --accounts embedded)', (v) => Number(v))
  .option('--runs <n>', 'timed runs per measurement (≥ 5)', (v) => Number(v), 5)
  .option('--load-seconds <n>', 'duration of each load test', (v) => Number(v), 10)
  .option('--only <suites>', 'comma-separated: list,import,order-lines,recompute,engagement,stall,web,noisy,reports,voc,soak')
  .option('--feedback-items <n>', 'feedback items for the voice-of-the-customer suite (default 100,000 on PostgreSQL, 20,000 embedded)', (v) => Number(v))
  .option('--soak-minutes <n>', 'length of the soak (mixed traffic) in minutes', (v) => Number(v), 30)
  .option('--soak-rate <n>', 'requests per second of the soak in all (default 5 embedded, 25 PostgreSQL; 0 = as fast as answered)', (v) => Number(v))
  .option('--import-rows <n>', 'contacts in the import benchmark file (default 1,000,000 on PostgreSQL, 100,000 embedded)', (v) => Number(v))
  .option('--order-line-rows <n>', 'order lines in the order-lines import benchmark file (default 100,000)', (v) => Number(v))
  .option('--port <n>', 'port for the server under test (default: a free one)', (v) => Number(v), 0)
  .parse();
const opts = program.opts<{ feedbackItems?: number; soakMinutes: number; soakRate?: number; importRows?: number; orderLineRows?: number; accounts?: number; listAccounts?: number; runs: number; loadSeconds: number; only?: string; port: number }>();

const url = process.env.DATABASE_URL;
const mode: BenchContext['mode'] = url ? 'postgres' : 'embedded';
// Embedded PGlite is single-threaded WebAssembly: it is measured at a tenth of the server's scale.
const accounts = opts.accounts ?? (mode === 'postgres' ? 100_000 : 10_000);
// The recompute target is set at 100k accounts, the list and memory targets at a million.
const listAccounts = opts.listAccounts ?? (mode === 'postgres' ? 1_000_000 : accounts);
const dataDir = resolve(`bench/data/embedded-${accounts}`);
const dbOptions: OpenOptions = url ? { url } : { dataDir };
const log = (s: string) => console.log(`  ${s}`);

type Prepared = { orgId: string; userId: string; email: string; token: string; scale: BenchContext['scale']; generationRow?: Row };

async function prepare(accounts: number): Promise<Prepared> {
  const database = await openDatabase({ ...dbOptions, worker: false });
  await runMigrations(database);
  const slug = `bench-${accounts}`;
  let [org] = await database.db.select().from(organizations).where(eq(organizations.slug, slug));
  let generationRow: Row | undefined;
  if (!org) {
    console.log(`Generating the demo organization with ${accounts.toLocaleString('en')} accounts…`);
    const bar = new cliProgress.SingleBar({ format: '  {phase} [{bar}] {percentage}% | {value}/{total} | ETA {eta}s' }, cliProgress.Presets.shades_classic);
    bar.start(accounts, 0, { phase: 'setup' });
    // One more touch per account than the demo: ~10 interactions per account, so 100k accounts carry
    // the 1M interactions the recompute target is stated for.
    const res = await generateDemo(database, {
      accounts, slug, emailDomain: `${slug}.accord.demo`, seed: 7, fastLoad: true, extraTouches: 1, onProgress: (done, _total, phase) => bar.update(done, { phase }),
    });
    bar.stop();
    // As autovacuum would (PGlite has none): the generator's own updates leave dead rows behind.
    await database.query('vacuum analyze');
    const rows = Object.values(res.counts).reduce((a, b) => a + b, 0);
    generationRow = { id: `generate-${accounts}`, benchmark: `demo generator (${accounts.toLocaleString('en')} accounts, all tables)`, accord: (rows * 1000) / res.ms, unit: 'rows/s', detail: `${rows.toLocaleString('en')} rows in ${(res.ms / 1000).toFixed(1)} s`, target: '—', higherIsBetter: true };
    [org] = await database.db.select().from(organizations).where(eq(organizations.slug, slug));
  }
  const [manager] = await database.db.select().from(users).where(and(eq(users.orgId, org!.id), eq(users.role, 'manager'))).limit(1);
  const token = await createToken(database.db, { orgId: org!.id, userId: manager!.id, role: 'manager', team: null, kind: 'user' }, { name: 'bench' });
  const counts = await database.query(
    `select (select count(*) from accounts where org_id = $1)::int as accounts, (select count(*) from contacts where org_id = $1)::int as contacts, (select count(*) from interactions where org_id = $1)::int as interactions`,
    [org!.id],
  );
  await database.close();
  return { orgId: org!.id, userId: manager!.id, email: manager!.email, token: token.token, scale: counts.rows[0] as BenchContext['scale'], generationRow };
}

async function main() {
  const started = Date.now();
  console.log(`Accord benchmarks on ${mode === 'postgres' ? 'PostgreSQL' : 'embedded PGlite'}; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
  const p = await prepare(accounts);
  const only = opts.only ? new Set(opts.only.split(',')) : undefined;
  // The million-account organization is generated (once) only when the list suite is to run.
  const l = listAccounts === accounts || (only && !only.has('list')) ? p : await prepare(listAccounts);
  const tmpDir = join(tmpdir(), `accord-bench-${process.pid}`);
  mkdirSync(tmpDir, { recursive: true });
  const ctx: BenchContext = {
    mode,
    dbOptions,
    serverEnv: url ? { DATABASE_URL: url } : { ACCORD_DATA_DIR: dataDir },
    orgId: p.orgId,
    userId: p.userId,
    token: p.token,
    email: p.email,
    password: DEMO_PASSWORD,
    port: opts.port,
    runs: Math.max(5, opts.runs),
    loadSeconds: opts.loadSeconds,
    scale: p.scale,
    tmpDir,
    importRows: opts.importRows ?? (mode === 'postgres' ? 1_000_000 : 100_000),
    orderLineRows: opts.orderLineRows,
    soakMinutes: opts.soakMinutes,
    soakRate: opts.soakRate ?? (mode === 'postgres' ? 25 : 5),
    feedbackItems: opts.feedbackItems,
  };
  const listCtx: BenchContext = { ...ctx, orgId: l.orgId, userId: l.userId, token: l.token, email: l.email, scale: l.scale };
  const rows: Row[] = [p.generationRow, l === p ? undefined : l.generationRow].filter((r): r is Row => r !== undefined);
  const suites: [string, (c: BenchContext, l: typeof log) => Promise<Row[]>, BenchContext][] = [
    ['list', listSuite, listCtx],
    ...extraSuites.map(([name, suite]): [string, typeof suite, BenchContext] => [name, suite, ctx]),
  ];
  for (const [name, suite, suiteCtx] of suites) {
    if (only && !only.has(name)) continue;
    console.log(`\n▶ ${name}`);
    try {
      rows.push(...(await suite(suiteCtx, log)));
    } catch (e) {
      console.error(`  ${name} failed: ${e instanceof Error ? e.stack : String(e)}`);
      rows.push({ id: name, benchmark: `${name} (failed: ${e instanceof Error ? e.message : String(e)})`, accord: NaN, unit: '', target: '—', met: false });
    }
  }
  const results: Results = { at: new Date().toISOString(), database: mode, machine: `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`, scale: { ...ctx.scale, ...(l === p ? {} : { listAccounts: l.scale.accounts }) }, rows };
  const name = `latest-${mode}`;
  const regress = regressions(results, `bench/results/${name}.json`);
  // A partial run (--only) updates its own rows and keeps the others of the last full run.
  if (only && existsSync(`bench/results/${name}.json`)) {
    const previous = JSON.parse(readFileSync(`bench/results/${name}.json`, 'utf8')) as Results;
    const fresh = new Set(rows.map((r) => r.id));
    results.rows = [...previous.rows.filter((r) => !fresh.has(r.id)).map((r) => ({ ...r, at: r.at ?? previous.at })), ...rows.map((r) => ({ ...r, at: results.at }))];
  }
  save(results, 'bench/results', name);
  console.log('\n' + markdown(results));
  for (const r of regress) console.log(r);
  console.log(`\nWrote bench/results/${name}.json and .md in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

await main();
