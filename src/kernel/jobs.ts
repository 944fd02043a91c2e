import { hostname } from 'node:os';
import type { Database } from './db/index.ts';

/**
 * Jobs (imports, recomputes) outlive the request that started them, so a process that dies in the
 * middle (kill -9, out of memory, power loss) used to leave them "running" for ever. Each process
 * registers itself in server_instances and beats every HEARTBEAT_MS; the database stamps the
 * process on each job it starts (migration 0004). A job whose process is gone is marked
 * `interrupted`, at start-up and then on every beat — on PostgreSQL with several servers only
 * jobs of instances that stopped beating (or whose pid is gone on this host) are touched.
 */
export const HEARTBEAT_MS = 10_000;
const staleSeconds = () => Math.max(15, Number(process.env.ACCORD_JOB_STALE_SECONDS ?? 60) || 60);

export const INTERRUPTED_MESSAGE = 'Interrupted: the process running this job stopped before it finished. Nothing after the last saved step was kept; run it again.';

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
};

/** Marks the jobs of dead processes interrupted; returns how many of each kind. */
export async function reapInterruptedJobs(database: Database): Promise<{ imports: number; recomputes: number }> {
  // Instances on this host whose pid is gone are dead now, whatever their last beat says.
  const { rows } = await database.query('select id, pid from server_instances where hostname = $1 and id <> $2', [hostname(), database.instanceId]);
  const gone = (rows as { id: string; pid: number }[]).filter((r) => r.pid !== process.pid && !pidAlive(r.pid)).map((r) => r.id);
  if (gone.length) await database.query('delete from server_instances where id = any($1::uuid[])', [gone]);
  // Embedded: the data-folder lock makes this process the only one, so every other owner is dead.
  const dead =
    database.mode === 'embedded'
      ? `(instance_id is null or instance_id <> $1)`
      : `(instance_id is null or (instance_id <> $1 and not exists (select 1 from server_instances s where s.id = instance_id and s.heartbeat_at > now() - make_interval(secs => $2))))`;
  const params = database.mode === 'embedded' ? [database.instanceId, INTERRUPTED_MESSAGE] : [database.instanceId, staleSeconds(), INTERRUPTED_MESSAGE];
  const msg = `$${params.length}`;
  const imports = await database.query(
    `update import_jobs set status = 'interrupted', message = ${msg}, finished_at = now() where status in ('pending', 'running') and ${dead}`,
    params,
  );
  const recomputes = await database.query(
    `update job_runs set status = 'interrupted', message = ${msg}, finished_at = now() where status = 'running' and ${dead}`,
    params,
  );
  return { imports: imports.rowCount, recomputes: recomputes.rowCount };
}

/**
 * Registers this process as a job owner, reaps what dead ones left, and keeps beating (and, on
 * PostgreSQL, reaping) until the returned stop function runs.
 */
export async function startJobOwner(database: Database, command: string, log: (s: string) => void = console.warn): Promise<() => Promise<void>> {
  await database.query(
    `insert into server_instances (id, pid, hostname, command) values ($1, $2, $3, $4)
     on conflict (id) do update set heartbeat_at = now()`,
    [database.instanceId, process.pid, hostname(), command.slice(0, 200)],
  );
  // Rows of instances silent for a day are of no use to anyone.
  await database.query(`delete from server_instances where heartbeat_at < now() - interval '1 day'`);
  const report = (r: { imports: number; recomputes: number }) => {
    if (r.imports || r.recomputes) log(`Marked ${r.imports} import(s) and ${r.recomputes} recompute(s) interrupted: the process running them had stopped`);
  };
  report(await reapInterruptedJobs(database));
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    beating = (async () => {
      await database.query('update server_instances set heartbeat_at = now() where id = $1', [database.instanceId]);
      if (database.mode === 'postgres') report(await reapInterruptedJobs(database));
    })().catch(() => undefined);
  }, HEARTBEAT_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await beating;
    await database.query('delete from server_instances where id = $1', [database.instanceId]).catch(() => undefined);
  };
}

/** Runs a job that has no table of its own (a recompute) as a job_runs row: running, then done or failed. */
export async function trackJob<T>(database: Database, orgId: string, kind: 'recompute', f: () => Promise<T>): Promise<T> {
  // The owner is passed as well as stamped by the trigger: on Citus the trigger runs on a worker without it.
  const { rows } = await database.query(`insert into job_runs (org_id, kind, instance_id) values ($1, $2, $3) returning id`, [orgId, kind, database.instanceId]);
  const id = (rows[0] as { id: string }).id;
  try {
    const out = await f();
    await database.query(`update job_runs set status = 'done', finished_at = now() where org_id = $1 and id = $2`, [orgId, id]);
    return out;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await database.query(`update job_runs set status = 'failed', message = $3, finished_at = now() where org_id = $1 and id = $2`, [orgId, id, message.slice(0, 2000)]).catch(() => undefined);
    throw e;
  }
}
