import { Worker } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import { currentDbContext, onDbContextFinished } from '../tenant-context.ts';
import { DatabaseError, openPglite, runOnPglite, toErrorShape, type DbErrorShape, type RawResult } from './engine.ts';
import type { WorkerRequest } from './pglite-worker.ts';

/** Whether the database can serve; `reason` says why not. */
export interface Health {
  ok: boolean;
  reason?: string;
}

/** What the embedded pool needs from PGlite, whether it lives on this thread or in a worker. */
export interface EmbeddedEngine {
  /** Bumped each time the engine was restarted: a transaction begun on an older one is gone. */
  readonly generation: number;
  query(text: string, params: unknown[] | undefined, rowMode: 'array' | 'object', timeoutMs?: number): Promise<RawResult>;
  exec(text: string, timeoutMs?: number): Promise<void>;
  copyIn(text: string, data: Blob, timeoutMs?: number): Promise<number>;
  copyOut(text: string, timeoutMs?: number): Promise<Blob>;
  dump(timeoutMs?: number): Promise<Blob>;
  health(): Health;
  close(): Promise<void>;
}

export async function inlineEngine(dataDir?: string, loadDataDir?: Blob, instanceId?: string): Promise<EmbeddedEngine> {
  const db: PGlite = await openPglite(dataDir, loadDataDir, instanceId);
  // On this thread a statement runs to its end before any timer can fire, so there is no timeout
  // to enforce here (the CLI and tests use this engine; the server uses the worker).
  const wrap = async <T>(f: () => Promise<T>) => {
    try {
      return await f();
    } catch (e) {
      throw new DatabaseError(toErrorShape(e));
    }
  };
  return {
    generation: 0,
    query: (text, params, rowMode) => wrap(() => runOnPglite(db, text, params, rowMode)),
    exec: (text) => wrap(async () => void (await db.exec(text))),
    copyIn: (text, data) => wrap(async () => (await db.query(text, [], { blob: data })).affectedRows ?? 0),
    copyOut: (text) => wrap(async () => (await db.query(text)).blob ?? new Blob([])),
    dump: () => wrap(async () => db.dumpDataDir('gzip') as Promise<Blob>),
    health: () => ({ ok: !db.closed, ...(db.closed ? { reason: 'The embedded database is closed' } : {}) }),
    close: () => db.close(),
  };
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void; timer?: NodeJS.Timeout };
type Omit2<T> = T extends unknown ? Omit<T, 'id'> : never;
type Reply = { id: number; ok: boolean; result?: unknown; error?: DbErrorShape };

/** SQLSTATE 57014 (query_canceled) for a call that ran out of time; 08006 for a connection that was reset. */
const timedOut = (ms: number, op: string) =>
  new DatabaseError({ code: '57014', message: `The embedded database did not answer a ${op} within ${ms} ms; the call was cancelled and the database restarted` });
const connectionLost = (why: string) => new DatabaseError({ code: '08006', message: `The embedded database connection was reset (${why}); the statement and any open transaction were lost` });

export interface WorkerEngineOptions {
  /** Timeout of a call that names none (ms). */
  defaultTimeoutMs?: number;
  /** How long a (re)start may take (ms). */
  startTimeoutMs?: number;
  /** Stamped on the jobs this process runs (see openPglite). */
  instanceId?: string;
}

/**
 * PGlite in a worker thread, with every call answered: by the worker, by a timeout, or by the
 * worker's exit. A worker that stops answering is terminated (the only way to stop WebAssembly in
 * the middle of a statement) and, on a data folder, started again — Postgres recovers the folder
 * as after a crash. An in-memory database cannot be restarted without losing it, so it is marked
 * unhealthy instead and every later call fails.
 */
export async function workerEngine(dataDir?: string, opts: WorkerEngineOptions = {}): Promise<EmbeddedEngine> {
  // The worker is TypeScript like the rest: a two-line bootstrap registers tsx in the new thread
  // (loader hooks of the main thread do not reach workers on Node 20) and then loads it.
  const entry = new URL('./pglite-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  const defaultTimeout = opts.defaultTimeoutMs ?? 300_000;
  const startTimeout = opts.startTimeoutMs ?? 120_000;
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let generation = 0;
  let worker: Worker;
  let dead: string | undefined;
  let closing = false;
  let restarting: Promise<void> | undefined;

  const failAll = (e: unknown) => {
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(e);
    }
    pending.clear();
  };

  const spawn = () => {
    const w = new Worker(bootstrap, { eval: true, workerData: { dataDir, instanceId: opts.instanceId } });
    w.on('message', (m: Reply) => {
      if (w !== worker) return;
      if (m.id === -1) {
        dead = `The embedded database could not open: ${m.error?.message ?? 'unknown error'}`;
        failAll(new DatabaseError(m.error ?? { message: dead }));
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new DatabaseError(m.error!));
    });
    w.on('error', (e) => {
      if (w === worker) void restart(`the worker failed: ${e.message}`, connectionLost(e.message));
    });
    w.on('exit', (code) => {
      if (w === worker && !closing) void restart(`the worker exited with code ${code}`, connectionLost(`worker exit ${code}`));
    });
    return w;
  };

  const post = <T>(req: Omit2<WorkerRequest>, timeoutMs: number): Promise<T> => {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const p: Pending = { resolve: resolve as (v: unknown) => void, reject };
      p.timer = setTimeout(() => {
        if (!pending.has(id)) return;
        pending.delete(id);
        const e = timedOut(timeoutMs, req.op);
        reject(e);
        void restart(`a ${req.op} did not answer within ${timeoutMs} ms`, e);
      }, timeoutMs);
      pending.set(id, p);
      try {
        worker.postMessage({ ...req, id });
      } catch (e) {
        // A value that cannot be cloned (nested too deep) never reaches the worker.
        pending.delete(id);
        clearTimeout(p.timer);
        reject(new DatabaseError({ ...toErrorShape(e), code: '22023', message: `The statement's parameters could not be sent to the database: ${toErrorShape(e).message}` }));
      }
    });
  };

  function restart(why: string, cause: unknown): Promise<void> {
    if (restarting || closing || dead) return restarting ?? Promise.resolve();
    generation++;
    failAll(cause);
    const old = worker;
    restarting = (async () => {
      await old.terminate().catch(() => undefined);
      if (!dataDir) {
        dead = `The in-memory embedded database stopped answering (${why}) and cannot be restarted without losing its data`;
        return;
      }
      console.warn(`Embedded database restarted: ${why}`);
      worker = spawn();
      try {
        await post({ op: 'query', text: 'select 1', rowMode: 'array' }, startTimeout);
      } catch (e) {
        dead = `The embedded database did not come back after a restart (${why}): ${toErrorShape(e).message}`;
        await worker.terminate().catch(() => undefined);
      }
    })().finally(() => (restarting = undefined));
    return restarting;
  }

  const call = async <T>(req: Omit2<WorkerRequest>, timeoutMs?: number): Promise<T> => {
    if (restarting) await restarting;
    if (dead) throw new DatabaseError({ code: '08006', message: dead });
    return post<T>(req, timeoutMs ?? defaultTimeout);
  };

  worker = spawn();
  // Fail fast if PGlite cannot open the data folder.
  try {
    await post({ op: 'query', text: 'select 1', rowMode: 'array' }, startTimeout);
  } catch (e) {
    closing = true;
    await worker.terminate().catch(() => undefined);
    throw e;
  }
  return {
    get generation() {
      return generation;
    },
    query: (text, params, rowMode, t) => call<RawResult>({ op: 'query', text, params, rowMode }, t),
    exec: (text, t) => call<void>({ op: 'exec', text }, t),
    copyIn: async (text, data, t) => (await call<{ rowCount: number }>({ op: 'copyIn', text, data }, t)).rowCount,
    copyOut: (text, t) => call<Blob>({ op: 'copyOut', text }, t),
    dump: (t) => call<Blob>({ op: 'dump' }, t),
    health: () => (dead ? { ok: false, reason: dead } : restarting ? { ok: false, reason: 'The embedded database is restarting' } : { ok: true }),
    close: async () => {
      if (restarting) await restarting;
      closing = true;
      try {
        if (!dead) await post<void>({ op: 'close' }, 30_000);
      } finally {
        failAll(connectionLost('closed'));
        await worker.terminate();
      }
    },
  };
}

type Lane = 'interactive' | 'job';
type Waiter = () => void;

/**
 * The single PGlite connection handed out fairly. Callers queue per organization and the
 * organizations take turns (round-robin), so five slow searches of one tenant wait behind each
 * other while another tenant's list runs after at most the one statement in progress. Background
 * jobs queue behind interactive calls but get every JOB_TURN-th turn, so they are never starved.
 *
 * A request is several statements (who is asking, the custom fields, the page, the names it shows).
 * Without more, every one of them would queue behind a neighbour's statement again. So when a
 * *light* hold ends (shorter than LIGHT_MS) and others are waiting, the connection stays reserved for
 * GRACE_MS for the same request's next statement; a request that goes on with heavy statements, that
 * has had MAX_RESERVED_TURNS in a row or RESERVE_BUDGET_MS of connection time in all, or that says it
 * is done (`finish`), does not keep it. The quiet tenant then waits for the statement in
 * progress once per request instead of once per statement.
 */
export class FairScheduler {
  static readonly JOB_TURN = 4;
  static readonly LIGHT_MS = 25;
  static readonly GRACE_MS = 15;
  /** Reserved turns in a row one request may take before it queues like everyone else. */
  static readonly MAX_RESERVED_TURNS = 16;
  /**
   * Connection time (ms) after which a request is no longer given reservations at all. A list of
   * a few light statements stays well under it; a search walking its slices passes it after a few
   * and then takes turns like everyone else. Without it, slices just under LIGHT_MS chained
   * MAX_RESERVED_TURNS reservations and a quiet tenant's first statement waited 400 ms.
   */
  static readonly RESERVE_BUDGET_MS = 60;
  private readonly heldBy = new WeakMap<object, number>();
  private held = false;
  private heldSince = 0;
  private interactiveTurns = 0;
  private reservedFor: object | undefined;
  private reservedTurns = 0;
  private lastHolder: object | undefined;
  private reserveTimer: NodeJS.Timeout | undefined;
  private readonly lanes: Record<Lane, Map<string, Waiter[]>> = { interactive: new Map(), job: new Map() };

  /** `holder`: who asks (the request's context object), so that a reservation can be honoured. */
  acquire(key: string, lane: Lane, holder?: object): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        if (this.lastHolder !== holder) this.reservedTurns = 0;
        this.lastHolder = holder;
        this.held = true;
        this.heldSince = Date.now();
        let done = false;
        resolve(() => {
          if (done) return;
          done = true;
          this.held = false;
          const heldMs = Date.now() - this.heldSince;
          const total = holder ? (this.heldBy.get(holder) ?? 0) + heldMs : heldMs;
          if (holder) this.heldBy.set(holder, total);
          const light = heldMs < FairScheduler.LIGHT_MS && this.reservedTurns < FairScheduler.MAX_RESERVED_TURNS && total < FairScheduler.RESERVE_BUDGET_MS;
          if (holder && lane === 'interactive' && light && this.hasWaiters()) this.reserve(holder);
          else this.next();
        });
      };
      if (holder && this.reservedFor === holder && !this.held) {
        this.unreserve();
        this.reservedTurns++;
        grant();
        return;
      }
      const q = this.lanes[lane].get(key);
      if (q) q.push(grant);
      else this.lanes[lane].set(key, [grant]);
      if (!this.held && !this.reservedFor) this.next();
    });
  }

  /** The holder will ask no more (its request answered): a reservation for it ends now. */
  finish(holder: object): void {
    if (this.reservedFor !== holder) return;
    this.unreserve();
    this.next();
  }

  /** Calls waiting, and for how long the connection has been held (0 when free). */
  stats(): { waiting: number; heldMs: number } {
    let waiting = 0;
    for (const lane of Object.values(this.lanes)) for (const q of lane.values()) waiting += q.length;
    return { waiting, heldMs: this.held ? Date.now() - this.heldSince : 0 };
  }

  private hasWaiters() {
    return this.lanes.interactive.size > 0 || this.lanes.job.size > 0;
  }

  private reserve(holder: object) {
    this.reservedFor = holder;
    this.reserveTimer = setTimeout(() => {
      this.unreserve();
      this.next();
    }, FairScheduler.GRACE_MS);
  }

  private unreserve() {
    clearTimeout(this.reserveTimer);
    this.reserveTimer = undefined;
    this.reservedFor = undefined;
  }

  private next() {
    if (this.held || this.reservedFor) return;
    const interactive = this.lanes.interactive.size > 0;
    const job = this.lanes.job.size > 0;
    if (!interactive && !job) return;
    const lane: Lane = interactive && (!job || this.interactiveTurns < FairScheduler.JOB_TURN) ? 'interactive' : 'job';
    this.interactiveTurns = lane === 'interactive' ? this.interactiveTurns + 1 : 0;
    const queues = this.lanes[lane];
    const [key, q] = queues.entries().next().value as [string, Waiter[]];
    const grant = q.shift()!;
    // The organization just served goes to the back of the line.
    queues.delete(key);
    if (q.length) queues.set(key, q);
    grant();
  }
}

type QueryConfig = { text: string; rowMode?: 'array'; values?: unknown[] };

function normalise(q: string | QueryConfig, params?: unknown[]) {
  if (typeof q === 'string') return { text: q, params, rowMode: 'object' as const };
  return { text: q.text, params: params ?? q.values, rowMode: q.rowMode === 'array' ? ('array' as const) : ('object' as const) };
}

export interface EmbeddedTimeouts {
  /** An interactive read (GET request): the embedded stand-in for statement_timeout (ms). */
  readMs: number;
  /** Any other request (ms). */
  writeMs: number;
  /** Imports, recomputes, start-up and anything outside a request (ms). */
  jobMs: number;
}

export function timeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): EmbeddedTimeouts {
  const n = (v: string | undefined, d: number) => (v && Number(v) > 0 ? Number(v) : d);
  return {
    readMs: n(env.ACCORD_DB_READ_TIMEOUT_MS, 30_000),
    writeMs: n(env.ACCORD_DB_WRITE_TIMEOUT_MS, 300_000),
    jobMs: n(env.ACCORD_DB_JOB_TIMEOUT_MS, 3_600_000),
  };
}

/** A checked-out connection, as node-postgres' PoolClient is. */
export class EmbeddedClient {
  private readonly generation: number;
  constructor(
    private readonly engine: EmbeddedEngine,
    private readonly releaseLock: () => void,
    private readonly timeout: () => number,
  ) {
    this.generation = engine.generation;
  }
  private released = false;
  query(q: string | QueryConfig, params?: unknown[]): Promise<RawResult> {
    // After a restart this connection's session (its transaction, temp tables, cursors) is gone:
    // going on would run the rest of a transaction as separate autocommitted statements.
    if (this.engine.generation !== this.generation) return Promise.reject(connectionLost('restarted'));
    const n = normalise(q, params);
    return this.engine.query(n.text, n.params, n.rowMode, this.timeout());
  }
  release(): void {
    if (!this.released) {
      this.released = true;
      this.releaseLock();
    }
  }
}

/**
 * node-postgres' Pool surface over one PGlite connection. Drizzle recognises it as a pool by its
 * class name and checks a client out for each transaction, which the scheduler makes exclusive.
 */
export class EmbeddedPool {
  readonly scheduler = new FairScheduler();
  private readonly stopListening: () => void;
  constructor(
    readonly engine: EmbeddedEngine,
    readonly timeouts: EmbeddedTimeouts = timeoutsFromEnv(),
  ) {
    this.stopListening = onDbContextFinished((ctx) => this.scheduler.finish(ctx));
  }

  /** The timeout for a call made now, from the caller's context. */
  timeoutNow(): number {
    const ctx = currentDbContext();
    if (ctx?.timeoutMs) return ctx.timeoutMs;
    if (!ctx || ctx.kind === 'job') return this.timeouts.jobMs;
    return ctx.kind === 'read' ? this.timeouts.readMs : this.timeouts.writeMs;
  }

  private lock(): Promise<() => void> {
    const ctx = currentDbContext();
    return this.scheduler.acquire(ctx?.orgId() ?? '', !ctx || ctx.kind === 'job' ? 'job' : 'interactive', ctx);
  }

  async query(q: string | QueryConfig, params?: unknown[]): Promise<RawResult> {
    const release = await this.lock();
    try {
      const n = normalise(q, params);
      return await this.engine.query(n.text, n.params, n.rowMode, this.timeoutNow());
    } finally {
      release();
    }
  }

  async connect(): Promise<EmbeddedClient> {
    const release = await this.lock();
    const ctx = currentDbContext();
    // The client keeps the timeout of whoever checked it out.
    const t = this.timeoutNow();
    return new EmbeddedClient(this.engine, release, () => (currentDbContext() === ctx ? t : this.timeoutNow()));
  }

  /** Runs `f` while holding the connection: for COPY batches and dumps that must not interleave. */
  async exclusive<T>(f: (engine: EmbeddedEngine) => Promise<T>): Promise<T> {
    const release = await this.lock();
    try {
      return await f(this.engine);
    } finally {
      release();
    }
  }

  /**
   * Unhealthy when the engine is (dead, restarting) or when one holder has kept the connection
   * far longer than any call may take — a caller that never releases it.
   */
  health(): Health & { waiting: number; heldMs: number } {
    const s = this.scheduler.stats();
    const e = this.engine.health();
    if (!e.ok) return { ...e, ...s };
    const limit = Math.max(this.timeouts.jobMs, this.timeouts.writeMs) + 60_000;
    if (s.heldMs > limit) return { ok: false, reason: `The embedded database connection has been held for ${Math.round(s.heldMs / 1000)} s`, ...s };
    return { ok: true, ...s };
  }

  async end(): Promise<void> {
    this.stopListening();
    // A holder that never lets go must not keep the process from stopping (SIGTERM): after a
    // grace period the engine is closed under it.
    let timer: NodeJS.Timeout | undefined;
    const release = await Promise.race([this.lock(), new Promise<() => void>((r) => (timer = setTimeout(() => r(() => {}), 15_000)))]);
    clearTimeout(timer);
    try {
      await this.engine.close();
    } finally {
      release();
    }
  }
}
