import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { uuidv7 } from 'uuidv7';
import { openDatabase, type Database } from '../../src/kernel/db/index.ts';
import { EMBEDDED_TEMP_BUFFERS, importFile } from '../../src/features/imports/commands.ts';
import type { BenchContext } from '../context.ts';
import type { Row } from '../lib/report.ts';
import { summarize } from '../lib/stats.ts';

const COLUMNS = 'Name,E-mail,Company,Title,Phone,Country';
const TITLES = ['采购经理', 'Purchasing manager', 'CEO', 'Engineer', '总经理', 'Designer'];
const COUNTRIES = ['CN', 'US', 'DE', 'JP', 'BR', 'FR'];

/** A contacts CSV in the shape people export from other CRMs: Chinese and Latin names, one company per 20 rows. */
export async function writeContactsCsv(file: string, rows: number) {
  const out = createWriteStream(file);
  out.write(COLUMNS + '\n');
  for (let i = 0; i < rows; i++) {
    const line = `Person ${i} 联系人,person${i}@company${i % 50_000}.example,"Company ${i % 50_000}, Ltd",${TITLES[i % 6]},+86 755 ${String(i).padStart(8, '0')},${COUNTRIES[i % 6]}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * The file's data lines in chunks that end at a line end, header dropped. Embedded PGlite copies in
 * 8 MB statements cut at chunk boundaries: a row cut in two (or a second HEADER line skipped) would
 * fail or shorten the baseline once the file is larger than that.
 */
export async function* wholeLines(file: string): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  let header = true;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let buf: Buffer = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    if (header) {
      const nl = buf.indexOf(10);
      if (nl < 0) {
        rest = buf;
        continue;
      }
      buf = buf.subarray(nl + 1);
      header = false;
    }
    const end = buf.lastIndexOf(10) + 1;
    if (end) yield buf.subarray(0, end);
    rest = buf.subarray(end);
  }
  if (rest.length) yield rest;
}

/**
 * Removes the import runs' organizations with everything in them, so repeated benchmark runs do not
 * grow the database (each run adds millions of contacts) and later suites are not measured on them.
 * Foreign-key triggers are off for the transaction: every org-scoped table is emptied of these
 * organizations in one go, in no particular order.
 */
export async function dropOrganizations(database: Database, orgIds: string[]) {
  if (!orgIds.length) return;
  await database.withConnection(async (c) => {
    await c.query('begin');
    await c.query('set local session_replication_role = replica');
    const { rows } = await c.query(
      `select c.table_name as name from information_schema.columns c
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
        where c.column_name = 'org_id' and c.table_schema = current_schema()`,
    );
    for (const { name } of rows as { name: string }[]) await c.query(`delete from "${name.replace(/"/g, '""')}" where org_id = any($1::uuid[])`, [orgIds]);
    await c.query('delete from organizations where id = any($1::uuid[])', [orgIds]);
    await c.query('commit');
  });
  await database.query('vacuum analyze contacts, accounts, audit_log');
}

/**
 * Import of N contacts (parse, validate, dedup, account resolution, audit) against the floor:
 * a raw COPY of the same file into a bare table of text columns, in the same run.
 */
export async function importSuite(ctx: BenchContext, log: (s: string) => void): Promise<Row[]> {
  const rows = ctx.importRows;
  const file = join(ctx.tmpDir, `contacts-${rows}.csv`);
  await writeContactsCsv(file, rows);
  log(`${rows.toLocaleString('en')} contacts, ${(statSync(file).size / 1e6).toFixed(0)} MB`);
  const database = await openDatabase({ ...ctx.dbOptions, worker: false });
  // PGlite: the temp_buffers importFile asks for (settable only before the first temp table), so the
  // baseline's temp table gets the same room as the import's staging table.
  if (database.mode === 'embedded') await database.withConnection((c) => c.query(`SET temp_buffers = '${EMBEDDED_TEMP_BUFFERS}'`));
  const copyRuns: number[] = [];
  const tableRuns: number[] = [];
  const importRuns: number[] = [];
  const reimportRuns: number[] = [];
  const orgIds: string[] = [];
  try {
    // Fewer runs than the other suites: each one writes the whole file (three runs, median).
    const runs = 3;
    const newOrg = async (what: string) => {
      const orgId = uuidv7();
      const userId = uuidv7();
      orgIds.push(orgId);
      await database.query(`insert into organizations (id, name, slug) values ($1, $2, $3)`, [orgId, what, `${what.toLowerCase().replace(/\W+/g, '-')}-${orgId}`]);
      await database.query(`insert into users (org_id, id, email, name, role) values ($1, $2, $3, 'Importer', 'admin')`, [orgId, userId, `import-${userId}@bench.example`]);
      return { orgId, userId };
    };
    for (let i = 0; i < runs; i++) {
      const { orgId } = await newOrg('Table floor bench');
      await database.withConnection(async (c) => {
        const t0 = performance.now();
        await c.query('create temp table bench_copy (name text, email text, company text, title text, phone text, country text)');
        await c.copyIn('COPY bench_copy FROM STDIN (FORMAT csv)', wholeLines(file));
        copyRuns.push(performance.now() - t0);
        // What writing these rows into contacts costs by itself, with its indexes and keys: the floor
        // any import into this table stands on, before validation, dedup, accounts and audit.
        const t1 = performance.now();
        await c.query(`insert into contacts (org_id, full_name, email, title, phone, country) select $1, name, email, title, phone, country from bench_copy`, [orgId]);
        tableRuns.push(performance.now() - t1);
        await c.query('drop table bench_copy');
      });
    }
    for (let i = 0; i < runs; i++) {
      // A fresh organization per run, so every run imports into the same (empty) state.
      const { orgId, userId } = await newOrg('Import bench');
      const t0 = performance.now();
      const r = await importFile(database, { orgId, actorId: userId, entity: 'contacts', format: 'csv', source: file });
      importRuns.push(performance.now() - t0);
      if (i === 0) log(`imported ${r.inserted.toLocaleString('en')}, duplicates ${r.duplicates}, errors ${r.errors}`);
      // The same file again into the same organization: every row is a duplicate (found by one
      // indexed join on the normalized email) and nothing is written but the error rows.
      const t1 = performance.now();
      const again = await importFile(database, { orgId, actorId: userId, entity: 'contacts', format: 'csv', source: file });
      reimportRuns.push(performance.now() - t1);
      if (i === 0) log(`re-imported: ${again.inserted} inserted, ${again.duplicates.toLocaleString('en')} duplicates`);
    }
  } finally {
    try {
      await dropOrganizations(database, orgIds);
    } finally {
      await database.close();
    }
  }
  const a = summarize(importRuns);
  const b = summarize(copyRuns);
  const accordRate = (rows * 1000) / a.median;
  const copyRate = (rows * 1000) / b.median;
  const f = summarize(tableRuns);
  const tableRate = (rows * 1000) / f.median;
  log(`import ${Math.round(accordRate).toLocaleString('en')} rows/s; raw COPY ${Math.round(copyRate).toLocaleString('en')} rows/s; INSERT … SELECT into contacts ${Math.round(tableRate).toLocaleString('en')} rows/s`);
  const re = summarize(reimportRuns);
  const reRate = (rows * 1000) / re.median;
  log(`re-import of duplicates ${Math.round(reRate).toLocaleString('en')} rows/s`);
  return [
    {
      id: 'import-reimport',
      benchmark: `re-import of the same ${rows.toLocaleString('en')} contacts, all duplicates (skipped and reported)`,
      accord: reRate,
      unit: 'rows/s',
      detail: `${(re.median / 1000).toFixed(1)} s, spread ${(re.spread * 100).toFixed(0)} %`,
      baseline: accordRate,
      baselineLabel: 'the first import of the file, as below',
      ratio: accordRate / reRate,
      target: '≥ 0.8× the first import',
      met: reRate >= 0.8 * accordRate,
      higherIsBetter: true,
    },
    {
      id: 'import',
      benchmark: `import ${rows.toLocaleString('en')} contacts from CSV (validation, dedup, audit)`,
      accord: accordRate,
      unit: 'rows/s',
      detail: `${(a.median / 1000).toFixed(1)} s, spread ${(a.spread * 100).toFixed(0)} %`,
      baseline: copyRate,
      baselineLabel: 'raw COPY of the same file into a bare table',
      ratio: copyRate / accordRate,
      target: '≥ 0.5× COPY',
      met: accordRate >= 0.5 * copyRate,
      higherIsBetter: true,
    },
    {
      id: 'import-table-floor',
      benchmark: `the same ${rows.toLocaleString('en')} rows written into \`contacts\` by one INSERT … SELECT (its indexes and keys; no validation, dedup, accounts or audit)`,
      accord: accordRate,
      unit: 'rows/s',
      detail: 'Accord\'s import, as above',
      baseline: tableRate,
      baselineLabel: `INSERT … SELECT from the COPY's table, ${(f.median / 1000).toFixed(1)} s, spread ${(f.spread * 100).toFixed(0)} %`,
      ratio: tableRate / accordRate,
      target: '— (explains the row above)',
      higherIsBetter: true,
    },
  ];
}
