/**
 * Import throughput: generates N contacts (default 100 000) in a temp CSV and imports them.
 *   npx tsx bench/imports.ts [--rows 100000] [--url postgres://…]
 * Creates its own organization; never truncates anything.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/kernel/db/index.ts';
import { runMigrations } from '../src/kernel/db/migrate.ts';
import { importFile } from '../src/features/imports/commands.ts';
import { exportCsv } from '../src/features/exports/commands.ts';
import { makeOrg } from '../src/features/imports/testing/db.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const rows = Number(arg('rows') ?? 100_000);
const url = arg('url');

const dir = mkdtempSync(join(tmpdir(), 'accord-import-bench-'));
const file = join(dir, 'contacts.csv');
const lines = ['Name,E-mail,Company,Title,Phone,Country,Tags'];
const titles = ['采购经理', 'Purchasing manager', 'CEO', 'Engineer', '总经理', 'Designer'];
const countries = ['CN', 'US', 'Germany', '中国', 'Japan', 'Brazil'];
for (let i = 0; i < rows; i++) {
  lines.push(`Person ${i} 联系人,person${i}@company${i % 5000}.example,"Company ${i % 5000}, Ltd",${titles[i % titles.length]},+86 755 ${String(i).padStart(8, '0')},${countries[i % countries.length]},lead;batch${i % 10}`);
}
writeFileSync(file, lines.join('\n') + '\n');
console.log(`${rows} rows, ${(statSync(file).size / 1e6).toFixed(1)} MB → ${url ? 'PostgreSQL' : 'PGlite (embedded)'}`);

const database = await openDatabase(url ? { url } : { worker: false });
await runMigrations(database);
const org = await makeOrg(database);
const t0 = performance.now();
let tRead = 0;
const r = await importFile(database, {
  orgId: org.orgId, actorId: org.userId, entity: 'contacts', format: 'csv', source: file,
  onProgress: (p) => {
    if (p.phase === 'merging') tRead = performance.now();
  },
});
const t1 = performance.now();
console.log(JSON.stringify({ ...r, errorRows: r.errorRows.length }));
console.log(`import: ${((t1 - t0) / 1000).toFixed(1)} s total (${((tRead - t0) / 1000).toFixed(1)} s parse+validate+COPY, ${((t1 - tRead) / 1000).toFixed(1)} s SQL merge) → ${Math.round(rows / ((t1 - t0) / 1000))} rows/s`);

const t2 = performance.now();
let bytes = 0;
for await (const chunk of exportCsv(database, { orgId: org.orgId, entity: 'contacts' })) bytes += (chunk as Buffer | string).length;
const t3 = performance.now();
console.log(`export: ${(bytes / 1e6).toFixed(1)} MB in ${((t3 - t2) / 1000).toFixed(1)} s → ${Math.round(rows / ((t3 - t2) / 1000))} rows/s`);
await database.close();
rmSync(dir, { recursive: true, force: true });
