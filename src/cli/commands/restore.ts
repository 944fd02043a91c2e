import type { Command } from 'commander';
import type { Database } from '../../kernel/db/index.ts';
import { describeTarget, openConfigured } from '../open.ts';
import { appliedMigrations, openArchive, progressBar, quoteIdent, schemaTables, type Manifest, type ProgressSink } from './backup.ts';

export interface RestoreOptions {
  /** Replace the data of a database that is not empty. */
  force?: boolean;
  progress?: ProgressSink;
}

/**
 * Loads a backup into a migrated database in one transaction: either every table is restored or
 * nothing changes. The target must have the backup's schema version and, unless `force`, no rows.
 */
export async function restoreBackup(database: Database, file: string, opts: RestoreOptions = {}): Promise<Manifest> {
  const { manifest, reader, close } = await openArchive(file);
  try {
    return await database.withConnection(async (c) => {
      const target = await schemaTables(c);
      const migrations = await appliedMigrations(c);
      if (!migrations.length) throw new Error('The target database has no schema yet: run `accord migrate` first');
      if (JSON.stringify(migrations) !== JSON.stringify(manifest.migrations)) {
        throw new Error(
          `The backup has schema version ${manifest.migrations.length} and the target ${migrations.length}: ` +
            'restore with the Accord release that made the backup, then upgrade (accord migrate)',
        );
      }
      const known = new Map(target.map((t) => [t.name, t.columns]));
      for (const t of manifest.tables) {
        const cols = known.get(t.name);
        if (!cols) throw new Error(`The target database has no table ${t.name}`);
        const missing = t.columns.filter((col) => !cols.includes(col));
        if (missing.length) throw new Error(`Table ${t.name} of the target lacks columns ${missing.join(', ')}`);
      }
      const nonEmpty = await c.query(target.map((t) => `select '${t.name}' as t where exists (select 1 from ${quoteIdent(t.name)})`).join(' union all '));
      const filled = (nonEmpty.rows as { t: string }[]).map((r) => r.t);
      if (filled.length && !opts.force) {
        throw new Error(`The target database is not empty (${filled.slice(0, 5).join(', ')}${filled.length > 5 ? ', …' : ''}): use --force to replace its data`);
      }

      opts.progress?.start(manifest.tables.reduce((s, t) => s + t.rows, 0));
      await c.query('begin');
      try {
        if (filled.length) await c.query(`truncate ${target.map((t) => quoteIdent(t.name)).join(', ')} cascade`);
        for (const t of manifest.tables) {
          if ((await reader.type()) !== 'T') throw new Error('The backup file is damaged (table expected)');
          const name = (await reader.sized()).toString('utf8');
          if (name !== t.name) throw new Error(`The backup file is damaged (expected table ${t.name}, found ${name})`);
          // The chunks of this table, streamed from the archive straight into COPY.
          async function* chunks() {
            for (;;) {
              const type = await reader.type();
              if (type === 'E') return;
              if (type !== 'D') throw new Error(`The backup file is damaged (in table ${name})`);
              const b = await reader.sized();
              opts.progress?.increment(countLines(b));
              yield b;
            }
          }
          const copied = await c.copyIn(`COPY ${quoteIdent(t.name)} (${t.columns.map(quoteIdent).join(', ')}) FROM STDIN`, chunks());
          if (copied !== t.rows) throw new Error(`Table ${t.name}: the backup lists ${t.rows} rows but ${copied} were read`);
        }
        if ((await reader.type()) !== 'Z') throw new Error('The backup file is damaged (no end marker)');
        await resetSequences(c);
        await c.query('commit');
      } catch (e) {
        await c.query('rollback');
        throw e;
      }
      return manifest;
    });
  } finally {
    close();
    opts.progress?.stop();
  }
}

function countLines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

/** Serial columns (if any) continue after the restored values. */
async function resetSequences(c: { query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> }) {
  const { rows } = await c.query(
    `select s.relname as seq, t.relname as tbl, a.attname as col
       from pg_class s
       join pg_depend d on d.objid = s.oid and d.deptype in ('a', 'i')
       join pg_class t on t.oid = d.refobjid
       join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
       join pg_namespace n on n.oid = s.relnamespace
      where s.relkind = 'S' and n.nspname = 'public'`,
  );
  for (const r of rows as { seq: string; tbl: string; col: string }[]) {
    await c.query(`select setval('${quoteIdent(r.seq).replace(/'/g, "''")}', coalesce((select max(${quoteIdent(r.col)}) from ${quoteIdent(r.tbl)}), 1))`);
  }
}

export function restoreCommand(program: Command) {
  program
    .command('restore <file>')
    .description('Load a backup made by `accord backup` into an empty, migrated database (embedded or PostgreSQL)')
    .option('--force', 'replace the data of a database that is not empty')
    .action(async (file: string, o: { force?: boolean }) => {
      const { config, database } = await openConfigured();
      try {
        const m = await restoreBackup(database, file, { force: o.force, progress: progressBar('Restore') });
        const rows = m.tables.reduce((s, t) => s + t.rows, 0);
        console.log(`Restored ${m.tables.length} tables (${rows} rows, backed up ${m.createdAt} from ${m.source}) into ${describeTarget(config)}`);
      } finally {
        await database.close();
      }
    });
}
