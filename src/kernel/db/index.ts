import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Logger } from 'drizzle-orm/logger';
import { uuidv7 } from 'uuidv7';
import * as schema from '../../db/schema/index.ts';
import { lockDataFolder } from './data-lock.ts';
import { EmbeddedPool, inlineEngine, timeoutsFromEnv, workerEngine, type EmbeddedTimeouts, type Health } from './embedded-pool.ts';
import type { RawResult } from './engine.ts';
import { parseTimestamp } from './timestamps.ts';

export { DatabaseError } from './engine.ts';
export type { RawResult } from './engine.ts';
export type { Health } from './embedded-pool.ts';
export { DataFolderBusyError } from './data-lock.ts';
export type Db = NodePgDatabase<typeof schema>;
/** A transaction handle: Drizzle's, so commands accept either the database or a transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

/** One connection held exclusively, for work that needs session state (COPY into temp tables). */
export interface Conn {
  db: Db;
  query(text: string, params?: unknown[]): Promise<RawResult>;
  /** `COPY … FROM STDIN`: streams the chunks in; returns rows copied. */
  copyIn(copySql: string, source: AsyncIterable<string | Buffer>): Promise<number>;
  /** `COPY … TO STDOUT`: the output as a stream of chunks. */
  copyOut(copySql: string): AsyncIterable<Buffer>;
}

export interface Database {
  mode: 'embedded' | 'postgres';
  /** This process' id on this database: every connection carries it as accord.instance_id (jobs, migration 0004). */
  instanceId: string;
  /** How many connections can be held at once (the pool's size; embedded PGlite has one). */
  connections: number;
  db: Db;
  query(text: string, params?: unknown[]): Promise<RawResult>;
  withConnection<T>(f: (c: Conn) => Promise<T>): Promise<T>;
  /** Embedded mode only: a gzipped tarball of the data folder. */
  dumpDataDir?(): Promise<Blob>;
  /**
   * Whether the database answers: embedded, without queueing behind the one connection (a dead
   * or restarting worker, a connection held past every timeout); PostgreSQL, a `select 1` bounded in time.
   */
  health(): Promise<Health>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… selects the server mode; otherwise PGlite. */
  url?: string;
  /** PGlite data folder; omitted means in memory. */
  dataDir?: string;
  /** Run PGlite in a worker thread (the server does; tests may run it inline). */
  worker?: boolean;
  /** Inline PGlite only: start from this data-folder tarball (tests start from a migrated template). */
  loadDataDir?: Blob;
  /** Sees every query Drizzle sends (benchmarks replay them raw as their baseline). */
  logger?: Logger;
  /** PostgreSQL: more `-c name=value` settings for every connection (the Citus test mode's fan-out guard). */
  sessionOptions?: string;
  /** Embedded worker: how long a call may take (default from ACCORD_DB_*_TIMEOUT_MS). */
  timeouts?: Partial<EmbeddedTimeouts>;
}

// Timestamps become ISO 8601 UTC with milliseconds in both modes (PGlite's parsers do the same in
// engine.ts); dates and intervals stay text (Drizzle maps them); bigints and numerics are text as
// node-postgres gives them, so no money is rounded through a float.
for (const oid of [1184, 1114]) pg.types.setTypeParser(oid, parseTimestamp);
for (const oid of [1082, 1186]) pg.types.setTypeParser(oid, (v: string) => v);

const TIMESTAMP_OIDS = new Set([1184, 1114]);

/**
 * node-postgres client whose per-query type parsers also read timestamps as ISO 8601: Drizzle's
 * driver passes its own `types` with every query it sends, turning timestamptz back into the
 * server's text ('2026-12-02 19:02:04.912773+00'), so records read through Drizzle on PostgreSQL
 * differed from PGlite's and from the API documentation. Everything else keeps Drizzle's parsers.
 */
class IsoTimestampClient extends pg.Client {
  // One signature for pg's many overloads: every form goes to super.query unchanged but for `types`.
  override query(...args: unknown[]): never {
    const config = args[0] as { types?: { getTypeParser: (oid: number, format?: string) => unknown }; submit?: unknown } | string | undefined;
    if (config && typeof config === 'object' && typeof config.submit !== 'function' && config.types?.getTypeParser) {
      const inner = config.types;
      args[0] = { ...config, types: { getTypeParser: (oid: number, format?: string) => (TIMESTAMP_OIDS.has(oid) && format !== 'binary' ? parseTimestamp : inner.getTypeParser(oid, format)) } };
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const instanceId = uuidv7();
  if (opts.url) return openPostgres(opts.url, instanceId, opts.logger, opts.sessionOptions);
  return openEmbedded(opts.dataDir, opts.worker ?? true, opts.loadDataDir, opts.logger, { ...timeoutsFromEnv(), ...opts.timeouts }, instanceId);
}

async function openPostgres(url: string, instanceId: string, logger?: Logger, sessionOptions?: string): Promise<Database> {
  // JIT off for Accord's sessions: its organization-wide aggregates have plan costs far above
  // jit_optimize_above_cost, and compiling them took longer than running them (measured: 10 s of
  // LLVM optimization for a 5 s recompute of 100k accounts). Nothing Accord runs repays compilation.
  const max = Math.max(1, Number(process.env.DB_POOL_MAX ?? 10) || 10);
  const pool = new pg.Pool({ connectionString: url, max, options: `-c jit=off -c accord.instance_id=${instanceId}${sessionOptions ? ` ${sessionOptions}` : ''}`, Client: IsoTimestampClient });
  // An idle pooled connection that the server closes (restart, failover, a dropped database) emits
  // 'error'; without a listener node-postgres re-throws it and the whole process dies. The pool
  // discards that client and opens a new one on the next query, so noting it is enough.
  pool.on('error', (err) => console.warn(`PostgreSQL closed an idle connection: ${err.message}`));
  // Surface a bad URL at start-up, not at the first request.
  await pool.query('select 1');
  const db = drizzle({ client: pool, schema, casing: 'snake_case', ...(logger ? { logger } : {}) });
  return {
    mode: 'postgres',
    instanceId,
    connections: max,
    db,
    query: (text, params) => pool.query(text, params) as unknown as Promise<RawResult>,
    async withConnection(f) {
      const client = await pool.connect();
      try {
        return await f({
          db: drizzle({ client, schema, casing: 'snake_case' }),
          query: (text, params) => client.query(text, params) as unknown as Promise<RawResult>,
          async copyIn(copySql, source) {
            const stream = client.query(copyFrom(copySql));
            await pipeline(Readable.from(source), stream);
            return Number(stream.rowCount ?? 0);
          },
          copyOut(copySql) {
            return client.query(copyTo(copySql));
          },
        });
      } finally {
        client.release();
      }
    },
    async health() {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          pool.query('select 1'),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('PostgreSQL did not answer within 5 s')), 5000))),
        ]);
        return { ok: true };
      } catch (e) {
        return { ok: false, reason: e instanceof Error ? e.message : String(e) };
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => pool.end(),
  };
}

const COPY_BATCH_BYTES = 8 * 1024 * 1024;

async function openEmbedded(dataDir: string | undefined, worker: boolean, loadDataDir: Blob | undefined, logger: Logger | undefined, timeouts: EmbeddedTimeouts, instanceId: string): Promise<Database> {
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataFolder(dataDir);
  }
  let engine;
  try {
    engine = worker ? await workerEngine(dataDir, { defaultTimeoutMs: timeouts.jobMs, instanceId }) : await inlineEngine(dataDir, loadDataDir, instanceId);
  } catch (e) {
    unlock();
    throw e;
  }
  const pool = new EmbeddedPool(engine, timeouts);
  const db = drizzle({ client: pool as unknown as pg.Pool, schema, casing: 'snake_case', ...(logger ? { logger } : {}) });
  // PGlite reads and writes COPY data through a virtual file instead of the wire protocol.
  const toBlobSql = (s: string) => s.replace(/\bFROM\s+STDIN\b/i, "FROM '/dev/blob'").replace(/\bTO\s+STDOUT\b/i, "TO '/dev/blob'");
  return {
    mode: 'embedded',
    instanceId,
    connections: 1,
    db,
    query: (text, params) => pool.query(text, params),
    async withConnection(f) {
      const client = await pool.connect();
      try {
        return await f({
          db: drizzle({ client: client as unknown as pg.PoolClient, schema, casing: 'snake_case' }),
          query: (text, params) => client.query(text, params),
          async copyIn(copySql, source) {
            // Streamed in bounded batches so a million-row file never sits in memory whole — but only
            // where a batch can end cleanly: text format has one row per line; CSV may quote line breaks
            // and a HEADER would be skipped once per batch, so CSV goes in one piece.
            const sqlText = toBlobSql(copySql);
            const splittable = !/\bcsv\b|\bheader\b/i.test(copySql);
            let parts: Buffer[] = [];
            let size = 0;
            let rows = 0;
            const send = async (data: Buffer[]) => {
              if (data.length) rows += await engine.copyIn(sqlText, new Blob(data as BlobPart[]), pool.timeoutNow());
            };
            for await (const chunk of source) {
              const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
              parts.push(b);
              size += b.length;
              if (splittable && size >= COPY_BATCH_BYTES) {
                const all = Buffer.concat(parts);
                const end = all.lastIndexOf(10) + 1;
                if (end > 0) {
                  await send([all.subarray(0, end)]);
                  parts = end < all.length ? [all.subarray(end)] : [];
                  size = all.length - end;
                } else {
                  parts = [all];
                }
              }
            }
            await send(parts);
            return rows;
          },
          async *copyOut(copySql) {
            const blob = await engine.copyOut(toBlobSql(copySql), pool.timeoutNow());
            const reader = blob.stream().getReader();
            for (;;) {
              const { done, value } = await reader.read();
              if (done) break;
              yield Buffer.from(value);
            }
          },
        });
      } finally {
        client.release();
      }
    },
    dumpDataDir: () => pool.exclusive((e) => e.dump(pool.timeoutNow())),
    health: async () => {
      const h = pool.health();
      return h.ok ? { ok: true } : { ok: false, reason: h.reason };
    },
    close: async () => {
      try {
        await pool.end();
      } finally {
        unlock();
      }
    },
  };
}

/**
 * Whether `db` runs on the embedded database's one connection, where a long statement makes every
 * other organization wait: long reads are then cut into short statements (see the search).
 */
export function sharesOneConnection(db: DbOrTx): boolean {
  return (db as { $client?: unknown }).$client instanceof EmbeddedPool;
}

/** How long a count of the organizations is trusted (ms): one is created rarely, and then by hand. */
const TENANTS_TTL_MS = 30_000;
const tenantCounts = new WeakMap<object, { at: number; many: Promise<boolean> }>();

/**
 * Whether `db` is the embedded database's one connection AND holds more than one organization:
 * only then can a long statement make another organization wait, and only then is it worth cutting
 * a read that an index answers in one piece (the trigram search) into fair slices.
 */
export async function sharedByTenants(db: DbOrTx): Promise<boolean> {
  if (!sharesOneConnection(db)) return false;
  const client = (db as unknown as { $client: object }).$client;
  const cached = tenantCounts.get(client);
  if (cached && Date.now() - cached.at < TENANTS_TTL_MS) return cached.many;
  const many = db
    .execute(sql`select count(*) > 1 as many from (select 1 from organizations limit 2) o`)
    .then((r) => Boolean((r.rows[0] as { many: boolean }).many))
    .catch(() => true);
  tenantCounts.set(client, { at: Date.now(), many });
  return many;
}
