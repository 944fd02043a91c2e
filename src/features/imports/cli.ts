/**
 * `accord import <file>` and `accord export <entity>`: the CLI side of imports and exports, with a
 * progress bar fed by importFile's onProgress. Add both to the command list in src/cli/index.ts.
 */
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { openConfigured } from '../../cli/open.ts';
import type { Database } from '../../kernel/db/index.ts';
import { exportCsv, exportVcard } from '../exports/commands.ts';
import { errorFileCsv, importFile, type ImportProgress } from './commands.ts';
import { IMPORT_ENTITIES, type ImportEntity } from './fields.ts';
import { ImportError } from './rules.ts';
import { mappingSchema } from './schemas.ts';

async function resolveOrgAndUser(database: Database, slug: string, email?: string): Promise<{ orgId: string; userId: string }> {
  const org = (await database.query(`SELECT id FROM organizations WHERE slug = $1`, [slug])).rows[0] as { id: string } | undefined;
  if (!org) throw new ImportError('unknown_organization', `No organization with slug ${slug}`);
  const user = (await database.query(
    email
      ? `SELECT id FROM users WHERE org_id = $1 AND lower(email) = lower($2) AND active`
      : `SELECT id FROM users WHERE org_id = $1 AND role = 'admin' AND active ORDER BY created_at LIMIT 1`,
    email ? [org.id, email] : [org.id],
  )).rows[0] as { id: string } | undefined;
  if (!user) throw new ImportError('unknown_user', email ? `No active user ${email} in ${slug}` : `${slug} has no active admin`);
  return { orgId: org.id, userId: user.id };
}

export function importCommand(program: Command) {
  program
    .command('import <file>')
    .description('Import a CSV or vCard file (accounts, contacts, opportunities, interactions, orders)')
    .requiredOption('--org <slug>', 'organization')
    .requiredOption('--entity <entity>', IMPORT_ENTITIES.join(' | '))
    .option('--format <format>', 'csv | vcard (default: from the file name)')
    .option('--mapping <json-or-file>', 'column header → field key, as JSON or a JSON file (default: suggested from the headers)')
    .option('--dry-run', 'validate and count without saving anything')
    .option('--on-duplicate <mode>', 'skip | update', 'skip')
    .option('--as <email>', 'acting user (default: the first admin)')
    .option('--errors <file>', 'write the error file (rows rejected or skipped) here')
    .action(async (file: string, o: { org: string; entity: string; format?: string; mapping?: string; dryRun?: boolean; onDuplicate: string; as?: string; errors?: string }) => {
      if (!(IMPORT_ENTITIES as readonly string[]).includes(o.entity)) throw new ImportError('invalid_entity', `--entity must be one of ${IMPORT_ENTITIES.join(', ')}`);
      if (o.onDuplicate !== 'skip' && o.onDuplicate !== 'update') throw new ImportError('invalid_option', '--on-duplicate must be skip or update');
      if (!existsSync(file)) throw new ImportError('not_found', `No file ${file}`);
      const format = (o.format ?? (/\.(vcf|vcard)$/i.test(file) ? 'vcard' : 'csv')) as 'csv' | 'vcard';
      const mapping = o.mapping ? mappingSchema.parse(JSON.parse(existsSync(o.mapping) ? readFileSync(o.mapping, 'utf8') : o.mapping)) : undefined;
      const { database } = await openConfigured();
      try {
        const { orgId, userId } = await resolveOrgAndUser(database, o.org, o.as);
        const bar = new cliProgress.SingleBar(
          { format: ' {bar} {percentage}% | {rows} rows | {phase}', hideCursor: true, noTTYOutput: !process.stderr.isTTY, stream: process.stderr },
          cliProgress.Presets.shades_classic,
        );
        let started = false;
        let total = 1;
        const onProgress = (p: ImportProgress) => {
          if (!started) {
            total = p.totalBytes ?? 1;
            bar.start(total, 0, { rows: 0, phase: 'reading' });
            started = true;
          }
          if (p.phase === 'reading') bar.update(Math.min(p.bytesRead, total), { rows: p.rowsRead, phase: 'reading' });
          else bar.update(total, { rows: p.rowsRead, phase: p.phase === 'merging' ? 'saving' : 'done' });
        };
        const r = await importFile(database, {
          orgId, actorId: userId, actorKind: 'system', entity: o.entity as ImportEntity, format, source: file, filename: file,
          mapping, dryRun: o.dryRun, onDuplicate: o.onDuplicate, onProgress,
        }).finally(() => started && bar.stop());
        console.log(`${r.dryRun ? '[dry run] ' : ''}${r.totalRows} rows: ${r.inserted} inserted, ${r.updated} updated, ${r.duplicates} duplicates, ${r.errors} with errors` +
          (r.accountsCreated ? `, ${r.accountsCreated} accounts created` : '') + ` (job ${r.jobId})`);
        for (const e of r.errorRows.slice(0, 20)) console.log(`  line ${e.line}${e.field ? ` ${e.field}` : ''}: ${e.message}`);
        if (o.errors && (r.errors || r.duplicates)) {
          await pipeline(errorFileCsv(database, orgId, r.jobId), createWriteStream(o.errors));
          console.log(`Error file: ${o.errors}`);
        }
        if (r.errors) process.exitCode = 3;
      } finally {
        await database.close();
      }
    });
}

export function exportCommand(program: Command) {
  program
    .command('export <entity>')
    .description('Export records as CSV (re-importable) or contacts as vCard')
    .requiredOption('--org <slug>', 'organization')
    .option('--format <format>', 'csv | vcard', 'csv')
    .option('--vcard-version <v>', '3.0 | 4.0', '4.0')
    .option('-o, --out <file>', 'output file (default: stdout)')
    .action(async (entity: string, o: { org: string; format: string; vcardVersion: string; out?: string }) => {
      if (!(IMPORT_ENTITIES as readonly string[]).includes(entity)) throw new ImportError('invalid_entity', `entity must be one of ${IMPORT_ENTITIES.join(', ')}`);
      const { database } = await openConfigured();
      try {
        const { orgId } = await resolveOrgAndUser(database, o.org);
        const stream = o.format === 'vcard'
          ? exportVcard(database, { orgId, version: o.vcardVersion === '3.0' ? '3.0' : '4.0' })
          : exportCsv(database, { orgId, entity: entity as ImportEntity });
        await pipeline(stream, o.out ? createWriteStream(o.out) : process.stdout);
      } finally {
        await database.close();
      }
    });
}
