/**
 * `accord import <file>` and `accord export <entity>`: the CLI side of imports and exports, with a
 * progress bar fed by importFile's onProgress. Add both to the command list in src/cli/index.ts.
 */
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { openConfigured } from '../../cli/open.ts';
import type { Database } from '../../kernel/db/index.ts';
import { exportCsv, exportVcard } from '../exports/commands.ts';
import { distinctValues, errorFileCsv, importFile, surveyContext, valueMapTemplate, type ImportProgress } from './commands.ts';
import { EXPORT_ENTITIES, IMPORT_ENTITIES, type ExportEntity, type ImportEntity } from './fields.ts';
import { ImportError } from './rules.ts';
import { mappingSchema, valueMapSchema } from './schemas.ts';

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
    .option('--value-map <file>', 'JSON: per field, file value → term key (or null, or {"status":"won","buying_stage":"…"} for a stage)')
    .option('--write-value-map <file>', 'write the distinct values of the list columns that do not match exactly, with suggested terms, to edit and pass as --value-map; imports nothing')
    .option('--external-source <name>', 'source system of the file\'s external ids (salesforce, hubspot, pipedrive…)', 'import')
    .option('--create-users', 'owners matching no user by email or name become inactive users without a login')
    .option('--create-products', 'price lists, deal/order lines and deals naming an unknown product create it (default: a row error)')
    .option('--without-account <mode>', 'reject | placeholder: a record without any account reference is an error, or attached to one "Unknown account"', 'reject')
    .option('--date-order <order>', 'ymd | mdy | dmy: how to read 03/05/2026', 'ymd')
    .option('--survey <id>', 'survey results: the Accord survey (id) the answers count in; item columns map to its items')
    .option('--survey-version <n>', 'survey results: the version of that survey (default its current one)')
    .action(async (file: string, o: {
      org: string; entity: string; format?: string; mapping?: string; dryRun?: boolean; onDuplicate: string; as?: string; errors?: string;
      valueMap?: string; writeValueMap?: string; externalSource: string; createUsers?: boolean; createProducts?: boolean; withoutAccount: string; dateOrder: string;
      survey?: string; surveyVersion?: string;
    }) => {
      if (!(IMPORT_ENTITIES as readonly string[]).includes(o.entity)) throw new ImportError('invalid_entity', `--entity must be one of ${IMPORT_ENTITIES.join(', ')}`);
      if (o.onDuplicate !== 'skip' && o.onDuplicate !== 'update') throw new ImportError('invalid_option', '--on-duplicate must be skip or update');
      if (!existsSync(file)) throw new ImportError('not_found', `No file ${file}`);
      const format = (o.format ?? (/\.(vcf|vcard)$/i.test(file) ? 'vcard' : 'csv')) as 'csv' | 'vcard';
      const mapping = o.mapping ? mappingSchema.parse(JSON.parse(existsSync(o.mapping) ? readFileSync(o.mapping, 'utf8') : o.mapping)) : undefined;
      if (o.withoutAccount !== 'reject' && o.withoutAccount !== 'placeholder') throw new ImportError('invalid_option', '--without-account must be reject or placeholder');
      if (!['ymd', 'mdy', 'dmy'].includes(o.dateOrder)) throw new ImportError('invalid_option', '--date-order must be ymd, mdy or dmy');
      const valueMap = o.valueMap ? valueMapSchema.parse(JSON.parse(readFileSync(o.valueMap, 'utf8'))) : undefined;
      const { database } = await openConfigured();
      try {
        const { orgId, userId } = await resolveOrgAndUser(database, o.org, o.as);
        if (o.writeValueMap) {
          const values = await distinctValues(database, { orgId, entity: o.entity as ImportEntity, format, source: file, mapping });
          writeFileSync(o.writeValueMap, JSON.stringify(valueMapTemplate(values), null, 2) + '\n');
          for (const c of values) {
            const open = c.values.filter((v) => v.match === 'none' && v.term === null);
            console.log(`${c.field} (${c.header}): ${c.values.length} distinct values, ${open.length} without a match${open.length ? ': ' + open.slice(0, 10).map((v) => `${v.value} ×${v.count}`).join(', ') : ''}`);
          }
          console.log(`Value map: ${o.writeValueMap} (edit it, then import with --value-map ${o.writeValueMap})`);
          return;
        }
        // An unknown survey (or one of another organization) is refused before anything is read.
        const surveyVersion = o.surveyVersion === undefined ? undefined : Number(o.surveyVersion);
        if (o.survey !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(o.survey)) throw new ImportError('invalid_option', '--survey must be a survey id');
        if (surveyVersion !== undefined && !(Number.isInteger(surveyVersion) && surveyVersion >= 1)) throw new ImportError('invalid_option', '--survey-version must be a version number (1, 2, …)');
        await surveyContext(database, { orgId, entity: o.entity as ImportEntity, surveyId: o.survey, surveyVersion });
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
          mapping, dryRun: o.dryRun, onDuplicate: o.onDuplicate, onProgress, valueMap, externalSource: o.externalSource, createUsers: o.createUsers, createProducts: o.createProducts,
          withoutAccount: o.withoutAccount, dateOrder: o.dateOrder as 'ymd' | 'mdy' | 'dmy',
          surveyId: o.survey, surveyVersion,
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
      if (!(EXPORT_ENTITIES as readonly string[]).includes(entity)) throw new ImportError('invalid_entity', `entity must be one of ${EXPORT_ENTITIES.join(', ')}`);
      const { database } = await openConfigured();
      try {
        const { orgId } = await resolveOrgAndUser(database, o.org);
        const stream = o.format === 'vcard'
          ? exportVcard(database, { orgId, version: o.vcardVersion === '3.0' ? '3.0' : '4.0' })
          : exportCsv(database, { orgId, entity: entity as ExportEntity });
        await pipeline(stream, o.out ? createWriteStream(o.out) : process.stdout);
      } finally {
        await database.close();
      }
    });
}
