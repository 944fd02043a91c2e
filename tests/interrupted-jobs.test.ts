import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/kernel/db/index.ts';
import { runMigrations } from '../src/kernel/db/migrate.ts';
import { INTERRUPTED_MESSAGE, reapInterruptedJobs, startJobOwner } from '../src/kernel/jobs.ts';
import { createTestOrg } from './helpers/app.ts';
import { freePort } from './helpers/ports.ts';

const BIN = fileURLToPath(new URL('../bin/accord.js', import.meta.url));

async function startServer(env: Record<string, string>) {
  const port = await freePort();
  const proc = spawn(process.execPath, [BIN, 'serve', '--no-demo'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', ACCORD_RECOMPUTE_MINUTES: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200 && proc.exitCode === null; i++) {
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return { proc, url, output: () => output };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`server did not start: ${output}`);
}

const kill9 = async (proc: ChildProcess) => {
  const exited = once(proc, 'exit');
  proc.kill('SIGKILL');
  await exited;
};

const bigCsv = (rows: number) => ['name,country,kind', ...Array.from({ length: rows }, (_, i) => `Killed Import ${i},DE,customer`)].join('\n');

/** Starts an import through the API and kills the server (kill -9) while it runs; returns the job id. */
async function importThenKill(server: Awaited<ReturnType<typeof startServer>>, token: string): Promise<string> {
  const headers = { authorization: `Bearer ${token}` };
  const res = await fetch(`${server.url}/api/v1/imports?entity=accounts`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv', 'x-filename': 'big.csv' }, body: bigCsv(60_000) });
  expect(res.status).toBe(202);
  const job = (await res.json()) as { id: string; status: string };
  for (let i = 0; i < 600; i++) {
    const j = (await (await fetch(`${server.url}/api/v1/imports/${job.id}`, { headers })).json()) as { status: string };
    if (j.status === 'running') break;
    expect(j.status).toBe('pending');
    await new Promise((r) => setTimeout(r, 50));
  }
  await kill9(server.proc);
  return job.id;
}

describe('jobs of a killed server are marked interrupted [pglite]', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-jobs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kill -9 during an import: after the restart the job is interrupted with a message, not running', async () => {
    const setup = await openDatabase({ dataDir: dir, worker: false });
    await runMigrations(setup);
    const org = await createTestOrg(setup);
    await setup.close();

    const first = await startServer({ DATABASE_URL: '', ACCORD_DATA_DIR: dir });
    const jobId = await importThenKill(first, org.users.admin.token);

    const second = await startServer({ DATABASE_URL: '', ACCORD_DATA_DIR: dir });
    try {
      const job = (await (await fetch(`${second.url}/api/v1/imports/${jobId}`, { headers: { authorization: `Bearer ${org.users.admin.token}` } })).json()) as { status: string; message: string; finishedAt: string | null };
      expect(job).toMatchObject({ status: 'interrupted', message: INTERRUPTED_MESSAGE });
      expect(job.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    } finally {
      await kill9(second.proc);
    }
  }, 300_000);
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('jobs of dead servers only are reaped [postgres]', () => {
  const url = process.env.TEST_DATABASE_URL!;
  const open: Database[] = [];
  afterAll(async () => {
    for (const d of open) await d.close();
  });

  it('a killed server child is reaped at once (pid gone); a live instance keeps its job; a silent instance is reaped after the stale time', async () => {
    const a = await openDatabase({ url });
    open.push(a);
    await runMigrations(a);
    const org = await createTestOrg(a);
    const stopA = await startJobOwner(a, 'test a');

    const server = await startServer({ DATABASE_URL: url });
    const killedJob = await importThenKill(server, org.users.admin.token);

    // A live instance (a) with a running job, and a silent one (b) whose heartbeat is old.
    const job = async (db: Database) => (await db.query(`insert into job_runs (org_id, kind) values ($1, 'recompute') returning id`, [org.id])).rows[0] as { id: string };
    const live = await job(a);
    const b = await openDatabase({ url });
    open.push(b);
    await startJobOwner(b, 'test b');
    const silent = await job(b);
    await a.query(`update server_instances set heartbeat_at = now() - interval '10 minutes', hostname = 'another-host' where id = $1`, [b.instanceId]);

    const c = await openDatabase({ url });
    open.push(c);
    await reapInterruptedJobs(c);
    const status = async (table: string, id: string) => ((await c.query(`select status from ${table} where org_id = $1 and id = $2`, [org.id, id])).rows[0] as { status: string }).status;
    expect(await status('import_jobs', killedJob)).toBe('interrupted');
    expect(await status('job_runs', live.id)).toBe('running');
    expect(await status('job_runs', silent.id)).toBe('interrupted');
    await stopA();
  }, 300_000);
});
