import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { Conn, Database } from '../../kernel/db/index.ts';
import { describeTarget, openConfigured } from '../open.ts';

/**
 * A portable logical backup: every table of the public schema as PostgreSQL COPY text, in one
 * gzipped file that either database mode can restore. Layout (inside gzip):
 *
 *   "ACCORD-BACKUP 1\n"
 *   'M' u32 len  manifest JSON (format, time, source mode, migrations, tables with columns and row counts)
 *   per table: 'T' u32 len table name · 'D' u32 len COPY bytes (repeated) · 'E'
 *   'Z'
 *
 * Length-prefixed chunks let a table of any size stream through without being held in memory
 * (PGlite still hands over one table's COPY output at a time).
 */
export const MAGIC = 'ACCORD-BACKUP 1\n';

export interface TableInfo {
  name: string;
  columns: string[];
  rows: number;
}
export interface Manifest {
  format: 1;
  createdAt: string;
  source: 'embedded' | 'postgres';
  /** drizzle migration hashes, oldest first: a restore needs the same schema version. */
  migrations: string[];
  /** Parents before children (foreign keys), the order a restore inserts in. */
  tables: TableInfo[];
}

export const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

export async function appliedMigrations(c: Conn): Promise<string[]> {
  const { rows } = await c.query(
    `select exists (select 1 from information_schema.tables where table_schema = 'drizzle' and table_name = '__drizzle_migrations') as ok`,
  );
  if (!(rows[0] as { ok: boolean }).ok) return [];
  const res = await c.query('select hash from drizzle.__drizzle_migrations order by created_at, id');
  return (res.rows as { hash: string }[]).map((r) => r.hash);
}

/** Base tables of the public schema with their stored (non-generated) columns, parents first. */
export async function schemaTables(c: Conn): Promise<{ name: string; columns: string[] }[]> {
  const { rows: cols } = await c.query(
    `select c.table_name as t, c.column_name as c
       from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
        -- Which processes are alive is not data: it is neither backed up nor restored.
        and c.table_name <> 'server_instances'
      order by c.table_name, c.ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const r of cols as { t: string; c: string }[]) byTable.set(r.t, [...(byTable.get(r.t) ?? []), r.c]);
  const { rows: fks } = await c.query(
    `select distinct cl.relname as child, pa.relname as parent
       from pg_constraint k
       join pg_class cl on cl.oid = k.conrelid
       join pg_class pa on pa.oid = k.confrelid
       join pg_namespace n on n.oid = cl.relnamespace
      where k.contype = 'f' and n.nspname = 'public' and cl.oid <> pa.oid`,
  );
  const parents = new Map<string, Set<string>>();
  for (const r of fks as { child: string; parent: string }[]) {
    if (!parents.has(r.child)) parents.set(r.child, new Set());
    parents.get(r.child)!.add(r.parent);
  }
  // Depth-first topological order; a cycle between tables would need deferred constraints.
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: string, path: string[]) => {
    if (state.get(t) === 'done') return;
    if (state.get(t) === 'visiting') throw new Error(`Foreign keys form a cycle: ${[...path, t].join(' → ')}`);
    state.set(t, 'visiting');
    for (const p of [...(parents.get(t) ?? [])].sort()) if (byTable.has(p)) visit(p, [...path, t]);
    state.set(t, 'done');
    order.push(t);
  };
  for (const t of [...byTable.keys()].sort()) visit(t, []);
  return order.map((name) => ({ name, columns: byTable.get(name)! }));
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const record = (type: string, payload?: Buffer) => (payload ? Buffer.concat([Buffer.from(type), u32(payload.length), payload]) : Buffer.from(type));

function countLines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

export interface ProgressSink {
  start(total: number): void;
  increment(n: number): void;
  stop(): void;
}

/** A cli-progress bar on stderr (drawn only on a terminal). */
export function progressBar(label: string): ProgressSink {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted}`, hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  return { start: (total) => bar.start(total, 0), increment: (n) => bar.increment(n), stop: () => bar.stop() };
}

/**
 * Writes a consistent snapshot (one repeatable-read transaction) of every table to `file`.
 * The file appears only when complete: it is written to a temporary name first.
 */
export async function writeBackup(database: Database, file: string, progress?: ProgressSink): Promise<Manifest> {
  const tmp = `${file}.partial-${process.pid}`;
  const out = new PassThrough();
  const gzip = createGzip();
  const done = pipeline(out, gzip, createWriteStream(tmp));
  // Writes wait for the pipe to drain so a big table never piles up in memory.
  const write = async (b: Buffer) => {
    if (!out.write(b)) await new Promise((r) => out.once('drain', r));
  };
  try {
    const manifest = await database.withConnection(async (c) => {
      await c.query('begin isolation level repeatable read');
      try {
        const tables = await schemaTables(c);
        const counts = await c.query(tables.map((t) => `select '${t.name}' as t, count(*)::bigint::text as n from ${quoteIdent(t.name)}`).join(' union all '));
        const rows = new Map((counts.rows as { t: string; n: string }[]).map((r) => [r.t, Number(r.n)]));
        const manifest: Manifest = {
          format: 1,
          createdAt: new Date().toISOString(),
          source: database.mode,
          migrations: await appliedMigrations(c),
          tables: tables.map((t) => ({ ...t, rows: rows.get(t.name) ?? 0 })),
        };
        await write(Buffer.from(MAGIC));
        await write(record('M', Buffer.from(JSON.stringify(manifest))));
        progress?.start(manifest.tables.reduce((s, t) => s + t.rows, 0));
        for (const t of manifest.tables) {
          await write(record('T', Buffer.from(t.name)));
          const cols = t.columns.map(quoteIdent).join(', ');
          for await (const chunk of c.copyOut(`COPY ${quoteIdent(t.name)} (${cols}) TO STDOUT`)) {
            const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
            if (!b.length) continue;
            await write(record('D', b));
            progress?.increment(countLines(b));
          }
          await write(record('E'));
        }
        await write(record('Z'));
        return manifest;
      } finally {
        await c.query('rollback');
      }
    });
    out.end();
    await done;
    await rename(tmp, file);
    return manifest;
  } catch (e) {
    out.destroy();
    await done.catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  } finally {
    progress?.stop();
  }
}

/** Reads exact byte counts from a stream (the gunzipped archive). */
export class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private it: AsyncIterator<Buffer>;
  constructor(stream: Readable) {
    this.it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }
  async read(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      const { done, value } = await this.it.next();
      if (done) throw new Error('The backup file is truncated');
      this.buf = this.buf.length ? Buffer.concat([this.buf, value]) : value;
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
  async type(): Promise<string> {
    return (await this.read(1)).toString('latin1');
  }
  async sized(): Promise<Buffer> {
    return this.read((await this.read(4)).readUInt32BE(0));
  }
}

/** Opens an archive and reads its manifest; the reader is positioned at the first table. */
export async function openArchive(file: string): Promise<{ manifest: Manifest; reader: ByteReader; close: () => void }> {
  const src = createReadStream(file);
  const gunzip = createGunzip();
  src.on('error', (e) => gunzip.destroy(e));
  src.pipe(gunzip);
  const reader = new ByteReader(gunzip);
  const fail = (why: string) => {
    gunzip.destroy();
    return new Error(`${file} is not an Accord backup (${why})`);
  };
  let magic: Buffer;
  try {
    magic = await reader.read(MAGIC.length);
  } catch (e) {
    throw fail((e as Error).message);
  }
  if (magic.toString('latin1') !== MAGIC) throw fail('unknown header');
  if ((await reader.type()) !== 'M') throw fail('no manifest');
  const manifest = JSON.parse((await reader.sized()).toString('utf8')) as Manifest;
  if (manifest.format !== 1) throw fail(`format ${String(manifest.format)} is not supported`);
  return { manifest, reader, close: () => gunzip.destroy() };
}

export function backupCommand(program: Command) {
  program
    .command('backup <file>')
    .description('Write a portable backup of the whole database (every table, one gzipped file) for `accord restore`')
    .action(async (file: string) => {
      const { config, database } = await openConfigured();
      try {
        const m = await writeBackup(database, file, progressBar('Backup '));
        const rows = m.tables.reduce((s, t) => s + t.rows, 0);
        console.log(`Backed up ${m.tables.length} tables (${rows} rows) of ${describeTarget(config)} to ${file}`);
      } finally {
        await database.close();
      }
    });
}
