import { Worker } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import { DatabaseError, openPglite, runOnPglite, toErrorShape, type DbErrorShape, type RawResult } from './engine.ts';
import type { WorkerRequest } from './pglite-worker.ts';

/** What the embedded pool needs from PGlite, whether it lives on this thread or in a worker. */
export interface EmbeddedEngine {
  query(text: string, params: unknown[] | undefined, rowMode: 'array' | 'object'): Promise<RawResult>;
  exec(text: string): Promise<void>;
  copyIn(text: string, data: Blob): Promise<number>;
  copyOut(text: string): Promise<Blob>;
  dump(): Promise<Blob>;
  close(): Promise<void>;
}

export async function inlineEngine(dataDir?: string, loadDataDir?: Blob): Promise<EmbeddedEngine> {
  const db: PGlite = await openPglite(dataDir, loadDataDir);
  const wrap = async <T>(f: () => Promise<T>) => {
    try {
      return await f();
    } catch (e) {
      throw new DatabaseError(toErrorShape(e));
    }
  };
  return {
    query: (text, params, rowMode) => wrap(() => runOnPglite(db, text, params, rowMode)),
    exec: (text) => wrap(async () => void (await db.exec(text))),
    copyIn: (text, data) => wrap(async () => (await db.query(text, [], { blob: data })).affectedRows ?? 0),
    copyOut: (text) => wrap(async () => (await db.query(text)).blob ?? new Blob([])),
    dump: () => wrap(async () => db.dumpDataDir('gzip') as Promise<Blob>),
    close: () => db.close(),
  };
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };
type Omit2<T> = T extends unknown ? Omit<T, 'id'> : never;

export async function workerEngine(dataDir?: string): Promise<EmbeddedEngine> {
  // The worker is TypeScript like the rest: a two-line bootstrap registers tsx in the new thread
  // (loader hooks of the main thread do not reach workers on Node 20) and then loads it.
  const entry = new URL('./pglite-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { dataDir } });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let startupError: unknown;
  worker.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: DbErrorShape }) => {
    if (m.id === -1) {
      startupError = new DatabaseError(m.error!);
      for (const p of pending.values()) p.reject(startupError);
      pending.clear();
      return;
    }
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new DatabaseError(m.error!));
  });
  worker.on('error', (e) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  });
  const call = <T>(req: Omit2<WorkerRequest>): Promise<T> => {
    if (startupError) return Promise.reject(startupError);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...req, id });
    });
  };
  // Fail fast if PGlite cannot open the data folder.
  await call({ op: 'query', text: 'select 1', rowMode: 'array' });
  return {
    query: (text, params, rowMode) => call<RawResult>({ op: 'query', text, params, rowMode }),
    exec: (text) => call<void>({ op: 'exec', text }),
    copyIn: async (text, data) => (await call<{ rowCount: number }>({ op: 'copyIn', text, data })).rowCount,
    copyOut: (text) => call<Blob>({ op: 'copyOut', text }),
    dump: () => call<Blob>({ op: 'dump' }),
    close: async () => {
      await call<void>({ op: 'close' });
      await worker.terminate();
    },
  };
}

/** Serialises access to the single PGlite connection: a transaction holds it from BEGIN to release. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    return prev.then(() => release);
  }
}

type QueryConfig = { text: string; rowMode?: 'array'; values?: unknown[] };

function normalise(q: string | QueryConfig, params?: unknown[]) {
  if (typeof q === 'string') return { text: q, params, rowMode: 'object' as const };
  return { text: q.text, params: params ?? q.values, rowMode: q.rowMode === 'array' ? ('array' as const) : ('object' as const) };
}

/** A checked-out connection, as node-postgres' PoolClient is. */
export class EmbeddedClient {
  constructor(
    private readonly engine: EmbeddedEngine,
    private readonly releaseLock: () => void,
  ) {}
  private released = false;
  query(q: string | QueryConfig, params?: unknown[]): Promise<RawResult> {
    const n = normalise(q, params);
    return this.engine.query(n.text, n.params, n.rowMode);
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
 * class name and checks a client out for each transaction, which the mutex makes exclusive.
 */
export class EmbeddedPool {
  private readonly mutex = new Mutex();
  constructor(readonly engine: EmbeddedEngine) {}

  async query(q: string | QueryConfig, params?: unknown[]): Promise<RawResult> {
    const release = await this.mutex.lock();
    try {
      const n = normalise(q, params);
      return await this.engine.query(n.text, n.params, n.rowMode);
    } finally {
      release();
    }
  }

  async connect(): Promise<EmbeddedClient> {
    const release = await this.mutex.lock();
    return new EmbeddedClient(this.engine, release);
  }

  /** Runs `f` while holding the connection: for COPY batches and dumps that must not interleave. */
  async exclusive<T>(f: (engine: EmbeddedEngine) => Promise<T>): Promise<T> {
    const release = await this.mutex.lock();
    try {
      return await f(this.engine);
    } finally {
      release();
    }
  }

  async end(): Promise<void> {
    const release = await this.mutex.lock();
    try {
      await this.engine.close();
    } finally {
      release();
    }
  }
}
