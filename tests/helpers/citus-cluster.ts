/**
 * A throw-away local Citus cluster: one coordinator and two workers, each its own PostgreSQL 15
 * instance (initdb under a temp dir, trust auth on 127.0.0.1, three free ports), with the citus
 * extension created in database `accord` on every node and the workers registered with
 * citus_add_node. It never touches the machine's own PostgreSQL server.
 *
 *   npx tsx tests/helpers/citus-cluster.ts                     # start, print the URL, stop on Ctrl-C
 *   npx tsx tests/helpers/citus-cluster.ts -- npx vitest run … # start, run the command with TEST_CITUS_URL set, stop
 *
 * Needs Citus built into PostgreSQL 15 (bash ../shared/vendor/citus/install.sh). As root, the
 * nodes run as the `postgres` user (PostgreSQL refuses to run as root).
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface CitusCluster {
  /** postgres://postgres@127.0.0.1:<port>/accord — the coordinator, where Accord connects. */
  url: string;
  ports: { coordinator: number; workers: number[] };
  dir: string;
  /** Adds one more worker (for growth and rebalance checks); returns its port. */
  addWorker(): Promise<number>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;
function run(cmd: string, args: string[]) {
  const [c, a] = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(c, a, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

async function sql(port: number, db: string, text: string) {
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: db });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

export async function startCitusCluster(opts: { workers?: number; shardCount?: number } = {}): Promise<CitusCluster> {
  if (!existsSync('/usr/lib/postgresql/15/lib/citus.so')) throw new Error('Citus is not installed: run `bash ../shared/vendor/citus/install.sh` (as root) first');
  const dir = mkdtempSync(join(tmpdir(), 'accord-citus-'));
  if (asRoot) spawnSync('chown', ['postgres:postgres', dir]);
  const started: string[] = [];

  const startNode = async (name: string) => {
    const port = await freePort();
    const data = join(dir, name);
    run(`${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        `port = ${port}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${data}'`,
        `shared_preload_libraries = 'citus'`,
        // A test cluster on a small shared machine: durability off, little memory, enough connections
        // for a few test pools plus the coordinator's connections to the workers.
        `fsync = off`,
        `synchronous_commit = off`,
        `full_page_writes = off`,
        `shared_buffers = '64MB'`,
        `max_connections = 300`,
        // Moving shards online (citus_rebalance_start, isolate_tenant_to_new_shard) uses logical replication.
        `wal_level = logical`,
        `citus.shard_count = ${opts.shardCount ?? 8}`,
        `citus.max_adaptive_executor_pool_size = 4`,
        '',
      ].join('\n'),
    );
    run(`${PG_BIN}/pg_ctl`, ['-D', data, '-l', join(data, 'server.log'), '-w', '-t', '60', 'start']);
    started.push(data);
    await sql(port, 'postgres', 'CREATE DATABASE accord');
    await sql(port, 'accord', 'CREATE EXTENSION citus');
    return port;
  };

  const stop = async () => {
    for (const data of started.reverse()) {
      try {
        run(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', 'fast', '-w', 'stop']);
      } catch {
        /* already down */
      }
    }
    started.length = 0;
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const coordinator = await startNode('coordinator');
    await sql(coordinator, 'accord', `SELECT citus_set_coordinator_host('127.0.0.1', ${coordinator})`);
    const workers: number[] = [];
    const addWorker = async () => {
      const port = await startNode(`worker${workers.length + 1}`);
      await sql(coordinator, 'accord', `SELECT citus_add_node('127.0.0.1', ${port})`);
      workers.push(port);
      return port;
    };
    for (let i = 0; i < (opts.workers ?? 2); i++) await addWorker();
    return { url: `postgres://postgres@127.0.0.1:${coordinator}/accord`, ports: { coordinator, workers }, dir, addWorker, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

// Run as a script: start, then either run the command after `--` or wait for a signal.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const sep = process.argv.indexOf('--');
  const command = sep >= 0 ? process.argv.slice(sep + 1) : [];
  const cluster = await startCitusCluster();
  console.error(`Citus coordinator ${cluster.url}; workers on ports ${cluster.ports.workers.join(', ')}; data in ${cluster.dir}`);
  let stopping = false;
  const finish = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await cluster.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void finish(130));
  process.on('SIGTERM', () => void finish(143));
  if (command.length) {
    const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env: { ...process.env, TEST_CITUS_URL: cluster.url } });
    child.on('exit', (code) => void finish(code ?? 1));
  } else {
    writeFileSync(join(cluster.dir, 'url'), cluster.url);
    console.log(cluster.url);
    setInterval(() => undefined, 1 << 30);
  }
}

