/**
 * importFile: the streamed import pipeline.
 *   bytes → decode (encoding detected) → csv-parse / vCard cards → zod per row (JS, pure)
 *   → COPY into a per-job TEMP staging table in batches (progress after each)
 *   → references, errors and duplicates resolved in SQL over the whole table
 *   → one transaction: INSERT … SELECT / UPDATE … FROM into the real tables + one audit entry.
 * Memory stays bounded by two COPY batches (one being copied, one being filled) whatever the file size.
 */
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { uuidv7 } from 'uuidv7';
import type { Conn, Database } from '../../kernel/db/index.ts';
import { fieldError } from '../../kernel/errors.ts';
import { useBatchMemory } from '../../kernel/db/statistics.ts';
import { parseCsv } from './csv.ts';
import { decodeSource } from './decode.ts';
import { belongsToAccount, CUSTOM_FIELD_ENTITY, ENTITY_FIELDS, isLineEntity, namesProducts, type ImportEntity } from './fields.ts';
import { amountsKeptSql, createPriceListsSql, createProductsSql, lineReferenceChecks, recomputeParentsSql } from './product-sql.ts';
import {
  buildVocabLookup, csvRowInput, ImportError, ITEM_PREFIX, scoredItems, listFields, makeRowValidator, matchValue, resolveColumns, suggestMapping, vocabulariesOf,
  type ImportCustomField, type RuleContext, type RowCheck, type ValueMap, type ValueSuggestion, type VocabTermRow,
} from './rules.ts';
import type { ImportResult, RowError } from './schemas.ts';
import { syncLoginEmails } from '../users/commands.ts';
import {
  copyColumns, copyLine, createAccountsSql, createStagingSql, createUsersSql, duplicateSteps, externalIdsSql, insertSteps, linkParentsSql, persistErrorsSql, resolveSteps, stagingName, updateSql,
} from './sql.ts';
import { cardToContact, parseVcards } from './vcard.ts';
import { catchUp, markFeedbackWritten } from '../feedback/commands.ts';
import { suggestTags } from '../feedback/wom.ts';
import { importQuestionnaire, rollUpEngagement } from '../surveys/queries.ts';

export type ImportSource = Readable | AsyncIterable<Buffer | string> | string;

export type ImportProgress = {
  phase: 'reading' | 'merging' | 'done';
  rowsRead: number;
  bytesRead: number;
  /** Known when the source is a file path. */
  totalBytes: number | null;
};

export interface ImportFileOptions {
  orgId: string;
  actorId: string | null;
  actorKind?: 'user' | 'token' | 'system';
  requestId?: string;
  entity: ImportEntity;
  format: 'csv' | 'vcard';
  source: ImportSource;
  filename?: string;
  mapping?: Record<string, string>;
  dryRun?: boolean;
  onDuplicate?: 'skip' | 'update';
  /** Default: true for contacts (a contact's company is created when unknown), false otherwise. */
  createAccounts?: boolean;
  /** Price lists, lines and deals naming a product that does not exist: create it (true) or a row error (false, default). */
  createProducts?: boolean;
  /** Account names at least this similar are duplicates (0–1, default 0.8). */
  similarity?: number;
  /** The source system the file's external ids belong to ("salesforce", "hubspot"…) when it has no external_source column. Default "import". */
  externalSource?: string;
  /** Owners that match no user by email or name become inactive users without a login (default false: a row error). */
  createUsers?: boolean;
  /** A record (not an account or contact) with no account reference: a row error (`reject`, default) or attached to one shared placeholder account (`placeholder`). */
  withoutAccount?: 'reject' | 'placeholder';
  /** Name of that placeholder account (default "Unknown account"); found by name or created. */
  placeholderAccountName?: string;
  /** The file's vocabulary values → the organization's terms (rules.ts ValueMap). */
  valueMap?: ValueMap;
  /** Month/day-first dates: `mdy` (US) or `dmy`; default only year-first dates are read. */
  dateOrder?: 'ymd' | 'mdy' | 'dmy';
  /** Survey results: the Accord survey the answers count in (its items are the mapping targets `item.<id>`), and its version number (default: the current one). */
  surveyId?: string;
  surveyVersion?: number;
  /** Awaited at the start of the merge (a caller may look at the job then); the reading calls are not. */
  onProgress?: (p: ImportProgress) => void | Promise<void>;
  /** A job row made beforehand (the HTTP route creates it to answer at once); otherwise one is created. */
  jobId?: string;
}

const BATCH_ROWS = 5000;
const BATCH_BYTES = 4 * 1024 * 1024;
const ERROR_ROWS_RETURNED = 100;
/** Feedback per word-of-mouth suggestion run (wom.ts suggestTags reads at most 20,000). */
const SUGGEST_BATCH = 10_000;

/** Advisory locks an import takes, in a fixed order (accounts, then products, then its own) so two imports never wait on each other in a cycle. */
export function importLocks(entity: ImportEntity, createsAccounts: boolean, createsProducts = false): ImportEntity[] {
  const out: ImportEntity[] = [];
  if (entity === 'accounts' || createsAccounts) out.push('accounts');
  if (entity === 'products' || createsProducts) out.push('products');
  if (!out.includes(entity)) out.push(entity);
  return out;
}

const AUDIT_ENTITY: Record<ImportEntity, string> = {
  accounts: 'account', contacts: 'contact', opportunities: 'opportunity', interactions: 'interaction', orders: 'order', feedback: 'feedback',
  products: 'product', price_lists: 'price_list', deal_lines: 'opportunity', order_lines: 'order',
  survey_answers: 'survey_answer',
};

/** Renumbers $n placeholders to the ones a statement uses, so no unused (untyped) parameter is sent. */
export function bind(sql: string, params: unknown[]): [string, unknown[]] {
  const used = [...new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
  const map = new Map(used.map((n, i) => [n, i + 1]));
  return [sql.replace(/\$(\d+)/g, (_, n: string) => `$${map.get(Number(n))}`), used.map((n) => params[n - 1])];
}
const DEBUG = !!process.env.ACCORD_IMPORT_DEBUG;
async function run(c: Pick<Conn, 'query'>, sql: string, params: unknown[]) {
  const t = performance.now();
  if (process.env.ACCORD_IMPORT_DEBUG === 'explain' && /^\s*(UPDATE|INSERT|DELETE)/.test(sql)) {
    const [q, p] = bind(sql, params);
    const plan = await c.query('EXPLAIN (ANALYZE, BUFFERS) ' + q, p);
    console.error('[explain] ' + sql.replace(/\s+/g, ' ').slice(0, 100) + '\n' + (plan.rows as { 'QUERY PLAN': string }[]).map((x) => x['QUERY PLAN']).join('\n'));
    return { rows: [], rowCount: 0 } as unknown as Awaited<ReturnType<typeof c.query>>;
  }
  const r = await c.query(...bind(sql, params));
  if (DEBUG) console.error(`[import] ${(performance.now() - t).toFixed(0)} ms, ${r.rowCount ?? 0} rows: ${sql.replace(/\s+/g, ' ').slice(0, 140)}`);
  return r;
}

/**
 * The INSERT of deal or order lines with their three foreign keys checked for the whole file at once
 * instead of row by row. PostgreSQL checks a foreign key with one trigger call per inserted row and
 * key: for 100 000 order lines, 300 000 lookups that took 6.2 of the INSERT's 10 s on embedded PGlite
 * (EXPLAIN ANALYZE: "Trigger for constraint order_lines_product_fk: time=3165 calls=100000"). Here
 * every order (deal), product and price list the new lines name is looked up and locked FOR KEY
 * SHARE in one statement per key — what each trigger call does, so none of them can be deleted
 * before the commit — and only when all are there does the INSERT run with
 * `session_replication_role = replica` (local to the transaction, reset right after), which skips
 * those triggers. Anything unexpected takes the ordinary path, whose per-row checks then decide: a
 * missing record, a table with other keys or a trigger of its own (a later migration), Citus, or a
 * role that may not set the parameter (a PostgreSQL user without the privilege).
 */
async function insertLinesAsSet(c: Conn, entity: 'deal_lines' | 'order_lines', table: string, insertSql: string, params: unknown[]): Promise<number> {
  const plain = async () => (await run(c, insertSql, params)).rowCount ?? 0;
  const { guard, check } = lineReferenceChecks(entity, table);
  const g = (await c.query(guard)).rows[0] as { fks: number | string; known: number | string; triggers: number | string; citus: boolean };
  if (g.citus || Number(g.fks) !== 3 || Number(g.known) !== 3 || Number(g.triggers) !== 0) return plain();
  const found = (await run(c, check, params)).rows[0] as Record<string, number | string>;
  for (let i = 0; i < 3; i++) if (Number(found[`named_${i}`]) !== Number(found[`found_${i}`])) return plain();
  await c.query('SAVEPOINT line_keys');
  try {
    await c.query('SET LOCAL session_replication_role = replica');
  } catch {
    await c.query('ROLLBACK TO SAVEPOINT line_keys');
    return plain();
  }
  // A failing INSERT aborts the transaction, whose ROLLBACK (runImport) restores the setting.
  const inserted = (await run(c, insertSql, params)).rowCount ?? 0;
  await c.query('SET LOCAL session_replication_role = origin');
  await c.query('RELEASE SAVEPOINT line_keys');
  return inserted;
}

/**
 * Memory for the set-based statements of one job, local to their transaction: the default 4 MB sent
 * the sorts and hashes over the staging table to disk. (JIT, which cost 1.2 s of a 13 s merge of 100k
 * contacts, is off for every Accord session — see the kernel's pool.)
 */
const setBulkSession = (c: Pick<Conn, 'query'>) => useBatchMemory(c, '128MB');

/**
 * PGlite: the staging table (~40 MB per 100k contacts) in local buffers rather than spilled through
 * the embedded file system at the default 8 MB of temp_buffers: COPY into staging and each pass over
 * it ran about twice as fast in a 100k-row test. Only settable before the session's first temporary
 * table; the import is the only user of those, so later jobs find it set and the error is harmless.
 */
export const EMBEDDED_TEMP_BUFFERS = '256MB';
async function roomForStaging(c: Pick<Conn, 'query'>) {
  await c.query(`SET temp_buffers = '${EMBEDDED_TEMP_BUFFERS}'`).catch(() => undefined);
}

/**
 * One database session for the whole job. On PostgreSQL that is one pooled connection (the TEMP
 * table lives there); PGlite has a single session anyway, so each step takes the connection only
 * for itself and progress reads (GET /imports/:id) can interleave.
 */
async function withSession<T>(database: Database, f: (use: <R>(g: (c: Conn) => Promise<R>) => Promise<R>) => Promise<T>): Promise<T> {
  if (database.mode === 'postgres') return database.withConnection((c) => f((g) => g(c)));
  return f((g) => database.withConnection(g));
}

/** The organization's custom fields of an import entity: what `custom.<key>` columns may be mapped to. */
export async function loadCustomImportFields(database: Database, orgId: string, entity: ImportEntity): Promise<ImportCustomField[]> {
  if (!CUSTOM_FIELD_ENTITY[entity]) return [];
  const r = await database.query(
    `SELECT key, type, options, required, label FROM custom_field_defs WHERE org_id = $1 AND entity = $2 ORDER BY position, key`,
    [orgId, CUSTOM_FIELD_ENTITY[entity]],
  );
  return r.rows as ImportCustomField[];
}

async function loadContext(database: Database, orgId: string, entity: ImportEntity): Promise<RuleContext & { firstStage: string }> {
  const org = await database.query('SELECT base_currency FROM organizations WHERE id = $1', [orgId]);
  if (!org.rows.length) throw new ImportError('unknown_organization', 'Unknown organization');
  const vocabs = vocabulariesOf(entity);
  const terms = await database.query(
    `SELECT vocabulary, key, label FROM vocab_terms WHERE org_id = $1 AND active AND vocabulary = ANY($2::text[]) ORDER BY vocabulary, position, key`,
    [orgId, [...vocabs, 'buying_stage']],
  );
  const rows = terms.rows as VocabTermRow[];
  const vocab = buildVocabLookup(rows);
  const stages = rows.filter((r) => r.vocabulary === 'buying_stage').map((r) => r.key);
  return {
    vocab,
    baseCurrency: String((org.rows[0] as { base_currency: string }).base_currency).trim(),
    firstStage: stages[0] ?? 'recognition_of_needs',
    customFields: await loadCustomImportFields(database, orgId, entity),
  };
}

type SourceInfo = { bytes: AsyncIterable<Buffer | string>; path?: string; totalBytes: number | null; bytesRead: () => number };
function openSource(source: ImportSource): SourceInfo {
  let read = 0;
  const path = typeof source === 'string' ? source : undefined;
  const inner: AsyncIterable<Buffer | string> = path ? createReadStream(path, { highWaterMark: 1 << 20 }) : (source as AsyncIterable<Buffer | string>);
  const bytes = (async function* () {
    for await (const c of inner) {
      read += c.length;
      yield c;
    }
  })();
  return { bytes, path, totalBytes: path ? statSync(path).size : null, bytesRead: () => read };
}

/** A row read from the file, before validation. */
type SourceRow = { line: number; input: Record<string, string | undefined> | string; raw: string };

/** Rows of a CSV file: header mapping resolved once, each record turned into validator input. */
async function csvRows(text: AsyncIterable<string>, entity: ImportEntity, mapping: Record<string, string> | undefined, accountOptional: boolean, ctx: Pick<RuleContext, 'customFields' | 'surveyItems' | 'survey'> = {}) {
  const customFields = ctx.customFields ?? [];
  const csv = await parseCsv(text);
  if (!csv.headers.length) throw new ImportError('empty_file', 'The file is empty');
  // An empty mapping means none was chosen yet: suggest one.
  const used = mapping && Object.keys(mapping).length ? mapping : suggestMapping(entity, csv.headers, customFields, ctx.surveyItems, !!ctx.survey);
  const columns = resolveColumns(entity, csv.headers, used, { accountOptional, customFields, surveyItems: ctx.surveyItems, inSurvey: !!ctx.survey });
  const width = csv.headers.length;
  // Whole batches of records: an await per record cost more than parsing it.
  async function* rows(): AsyncGenerator<SourceRow[]> {
    for await (const batch of csv.batches) {
      const out: SourceRow[] = new Array(batch.length);
      for (let i = 0; i < batch.length; i++) {
        const r = batch[i]!;
        const raw = JSON.stringify(r.record);
        if (r.error) {
          out[i] = { line: r.line, input: r.error, raw };
          continue;
        }
        // Trailing empty cells (a stray delimiter at the end of a line) do not make a row wrong.
        let rec = r.record;
        while (rec.length > width && rec[rec.length - 1] === '') rec = rec.slice(0, -1);
        out[i] = { line: r.line, input: csvRowInput(columns, width, rec), raw };
      }
      yield out;
    }
  }
  return { headers: csv.headers, delimiter: csv.delimiter, mapping: used, keys: columns.map((c) => c.key), rows: rows() };
}

/** Cards of a vCard file, streamed card by card (a card is small; the file may not be). */
async function* vcardRows(text: AsyncIterable<string>): AsyncGenerator<SourceRow> {
  let buf = '';
  let lineOffset = 0;
  let sawCard = false;
  for await (const chunk of text) {
    buf += chunk;
    for (;;) {
      const m = /END:VCARD[ \t]*(\r\n|\r|\n|$)/i.exec(buf);
      if (!m || (m[1] === '' && !buf.endsWith('\n'))) break;
      const end = m.index + m[0].length;
      const part = buf.slice(0, end);
      for (const card of parseVcards(part)) {
        sawCard = true;
        yield { line: card.line + lineOffset, input: cardToContact(card), raw: card.raw };
      }
      lineOffset += (part.match(/\r\n|\r|\n/g)?.length ?? 0);
      buf = buf.slice(end);
    }
    if (buf.length > 16 * 1024 * 1024) throw new ImportError('vcard_invalid', `The card starting at line ${lineOffset + 1} never ends (no END:VCARD)`);
  }
  for (const card of parseVcards(buf + '\r\n')) {
    sawCard = true;
    yield { line: card.line + lineOffset, input: cardToContact(card), raw: card.raw };
  }
  if (!sawCard) throw new ImportError('vcard_invalid', 'No vCard found in the file (BEGIN:VCARD … END:VCARD)');
}

export async function createJob(database: Database, o: Pick<ImportFileOptions, 'orgId' | 'actorId' | 'entity' | 'format' | 'filename' | 'mapping' | 'dryRun' | 'onDuplicate' | 'createAccounts' | 'similarity' | 'createProducts'>): Promise<string> {
  const r = await database.query(
    // instance_id is also stamped by a trigger from the session (migration 0004), but on Citus the
    // trigger runs on a worker, whose session does not carry it: so the row names its owner itself.
    `INSERT INTO import_jobs (org_id, id, entity, format, status, dry_run, filename, mapping, options, created_by, instance_id)
     VALUES ($1, uuid_generate_v7(), $2, $3, 'pending', $4, $5, $6, $7, $8, $9) RETURNING id`,
    [o.orgId, o.entity, o.format, o.dryRun ?? false, o.filename ?? null, JSON.stringify(o.mapping ?? {}),
      JSON.stringify({ onDuplicate: o.onDuplicate ?? 'skip', createAccounts: o.createAccounts, similarity: o.similarity, createProducts: o.createProducts }), o.actorId, database.instanceId],
  );
  return (r.rows[0] as { id: string }).id;
}

export const PLACEHOLDER_ACCOUNT = 'Unknown account';

/** The options that change how rows are read (the same for an import and its preview). */
function ruleOptions(o: Pick<ImportFileOptions, 'entity' | 'valueMap' | 'dateOrder' | 'withoutAccount' | 'placeholderAccountName'>): Partial<RuleContext> {
  return {
    valueMap: o.valueMap,
    dateOrder: o.dateOrder,
    placeholderAccount: o.withoutAccount === 'placeholder' && belongsToAccount(o.entity) && o.entity !== 'contacts' ? (o.placeholderAccountName?.trim() || PLACEHOLDER_ACCOUNT) : undefined,
  };
}

export async function importFile(database: Database, o: ImportFileOptions): Promise<ImportResult> {
  if (o.format === 'vcard' && o.entity !== 'contacts') throw new ImportError('invalid_format', 'vCard files import contacts only');
  const jobId = o.jobId ?? (await createJob(database, o));
  await database.query(`UPDATE import_jobs SET status = 'running', phase = 'reading', started_at = now(), instance_id = $3 WHERE org_id = $1 AND id = $2`, [o.orgId, jobId, database.instanceId]);
  try {
    const ctx = { ...(await loadContext(database, o.orgId, o.entity)), ...ruleOptions(o), ...(await surveyContext(database, o)) };
    const result = await runImport(database, o, ctx, jobId);
    o.onProgress?.({ phase: 'done', rowsRead: result.totalRows, bytesRead: 0, totalBytes: null });
    return result;
  } catch (e) {
    const message = e instanceof ImportError ? e.message : 'The import failed: ' + (e as Error).message;
    await database.query(`UPDATE import_jobs SET status = 'failed', message = $3, finished_at = now() WHERE org_id = $1 AND id = $2`, [o.orgId, jobId, message.slice(0, 2000)]);
    throw e;
  }
}

async function runImport(database: Database, o: ImportFileOptions, ctx: RuleContext & { firstStage: string }, jobId: string): Promise<ImportResult> {
  const entity = o.entity;
  const tStart = performance.now();
  const src = openSource(o.source);
  const { text } = await decodeSource(src.bytes, src.path);
  let rows: AsyncIterable<SourceRow[]>;
  let mapping: Record<string, string> = {};
  let keys: string[] | undefined;
  if (o.format === 'csv') {
    const csv = await csvRows(text, entity, o.mapping, !!ctx.placeholderAccount, ctx);
    rows = csv.rows;
    mapping = csv.mapping;
    keys = csv.keys;
    await database.query(`UPDATE import_jobs SET mapping = $3, options = options || $4 WHERE org_id = $1 AND id = $2`, [
      o.orgId, jobId, JSON.stringify(mapping), JSON.stringify({ headers: csv.headers, delimiter: csv.delimiter }),
    ]);
  } else {
    rows = (async function* () {
      for await (const r of vcardRows(text)) yield [r];
    })();
  }
  const validate = makeRowValidator(entity, ctx, keys);
  const table = stagingName(jobId);
  const cols = copyColumns(entity);
  const valueCols = cols.slice(5);
  // Survey results name people who are already customers: an unknown company is a row error, never a new account.
  const createAccounts = entity === 'survey_answers' ? false : (o.createAccounts ?? entity === 'contacts');
  // The placeholder account is created like a contact's company (the other unknown names are errors unless createAccounts).
  const makesAccounts = belongsToAccount(entity) && (createAccounts || !!ctx.placeholderAccount);
  const createProducts = namesProducts(entity) && !!o.createProducts;
  const onDuplicate = o.onDuplicate ?? 'skip';
  const externalSource = o.externalSource?.trim().toLowerCase() || 'import';
  const hasExternalIds = !keys || keys.some((k) => k === 'id' || k === 'external_id' || k === 'account_external_id' || k === 'account_id');

  return withSession(database, async (use) => {
    if (database.mode === 'embedded') await use(roomForStaging);
    await use((c) => c.query(createStagingSql(entity, table)));
    try {
      // ── 1. stream → validate → COPY, in batches ──
      let total = 0;
      let batch: string[] = [];
      let batchBytes = 0;
      const copySql = `COPY ${table} (${cols.map((c) => `"${c}"`).join(', ')}) FROM STDIN`;
      // One batch is copied while the next is parsed (the database works while JS does): the COPY
      // waited on took a fifth of the reading phase. Progress is still reported batch by batch, in order.
      let inflight: Promise<void> | undefined;
      const flush = async () => {
        if (!batch.length) return;
        const lines = batch;
        const rowsRead = total;
        const bytesRead = src.bytesRead();
        batch = [];
        batchBytes = 0;
        await inflight;
        inflight = (async () => {
          const t0 = performance.now();
          await use((c) => c.copyIn(copySql, (async function* () { yield lines.join(''); })()));
          if (DEBUG) console.error(`[import] COPY ${lines.length} rows: ${(performance.now() - t0).toFixed(0)} ms (at ${(t0 - tStart).toFixed(0)} ms)`);
          await database.query(`UPDATE import_jobs SET processed_rows = $3 WHERE org_id = $1 AND id = $2`, [o.orgId, jobId, rowsRead]);
          o.onProgress?.({ phase: 'reading', rowsRead, bytesRead, totalBytes: src.totalBytes });
        })();
        // Awaited by the next flush (or the end); until then a failure must not count as unhandled.
        inflight.catch(() => undefined);
      };
      const nulls = valueCols.map(() => null);
      try {
        for await (const rowBatch of rows) {
          for (const row of rowBatch) {
            total++;
            const check: RowCheck = typeof row.input === 'string' ? { ok: false, errors: [{ field: null, message: row.input }] } : validate(row.input);
            let line: string;
            if (check.ok) {
              const values: (string | null | undefined)[] = [String(row.line), 't', row.raw, null, uuidv7()];
              for (const k of valueCols) values.push(check.values[k]);
              line = copyLine(values);
            } else {
              line = copyLine([String(row.line), 'f', row.raw, JSON.stringify(check.errors), null, ...nulls]);
            }
            batch.push(line);
            batchBytes += line.length;
            if (batch.length >= BATCH_ROWS || batchBytes >= BATCH_BYTES) await flush();
          }
        }
        await flush();
        await inflight;
      } finally {
        // Never leave a COPY running on the session the clean-up below needs.
        await inflight?.catch(() => undefined);
      }
      // Before the merge's transaction (its writes are seen only at commit): whoever follows the job
      // sees every row read and the saving begin, instead of a bar at 100 % that does not finish.
      await database.query(`UPDATE import_jobs SET phase = 'merging', total_rows = $3, processed_rows = $3 WHERE org_id = $1 AND id = $2`, [o.orgId, jobId, total]);
      await o.onProgress?.({ phase: 'merging', rowsRead: total, bytesRead: src.bytesRead(), totalBytes: src.totalBytes });
      const tRead = performance.now();

      // ── 2. resolve references and duplicates, 3. merge: one transaction under a lock per
      // organization and entity, so two imports of one file cannot both find no duplicates and both
      // insert. The merge is a savepoint, rolled back for a dry run; the error rows stay.
      const similarity = o.similarity ?? 0.8;
      const params = [o.orgId, o.actorId, ctx.baseCurrency, ctx.firstStage];
      let tResolve = performance.now();
      const { counts, merged } = await use(async (c) => {
        await c.query(`ANALYZE ${table}`);
        await c.query('BEGIN');
        try {
          await setBulkSession(c);
          // Accounts first in a fixed order: a contacts import that creates accounts and an accounts
          // import take the same lock in the same order.
          for (const e of importLocks(entity, makesAccounts, createProducts)) await c.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`import:${o.orgId}:${e}`]);
          for (const s of resolveSteps(entity, table, { createAccounts, createUsers: o.createUsers, hasExternalIds, createProducts, hasParentIds: !keys || keys.includes('opportunity_id') || keys.includes('order_id') })) await run(c, s, [o.orgId, externalSource]);
          for (const s of duplicateSteps(entity, table)) await run(c, s, [o.orgId, similarity, externalSource]);
          await run(c, persistErrorsSql(table, onDuplicate === 'skip'), [o.orgId, jobId]);
          const counts = (await c.query(
            `SELECT count(*) FILTER (WHERE NOT ok)::int AS errors,
                    count(*) FILTER (WHERE ok AND (dup_line IS NOT NULL OR dup_of IS NOT NULL))::int AS duplicates,
                    ${!belongsToAccount(entity) ? '0' : 'count(*) FILTER (WHERE ok AND dup_line IS NULL AND dup_of IS NULL AND no_account)'}::int AS placeholder
             FROM ${table}`,
          )).rows[0] as { errors: number; duplicates: number; placeholder: number };
          tResolve = performance.now();
          await c.query('SAVEPOINT merge');
          let usersCreated = 0;
          if (o.createUsers && ENTITY_FIELDS[entity].some((f) => f.key === 'owner')) {
            const [create, resolve] = createUsersSql(table);
            usersCreated = (await run(c, create, [o.orgId])).rowCount ?? 0;
            if (usersCreated) await syncLoginEmails(c.db, o.orgId);
            await run(c, resolve, [o.orgId]);
          }
          let accountsCreated = 0;
          if (makesAccounts) {
            const [collect, create] = createAccountsSql(table);
            await run(c, collect, params);
            accountsCreated = (await run(c, create, params)).rowCount ?? 0;
          }
          let productsCreated = 0;
          if (createProducts) {
            const [collect, create, resolve] = createProductsSql(table);
            await run(c, collect, params);
            productsCreated = (await run(c, create, params)).rowCount ?? 0;
            await run(c, resolve, params);
          }
          if (entity === 'price_lists') for (const s of createPriceListsSql(table)) await run(c, s, params);
          const ins = insertSteps(entity, table, makesAccounts);
          const inserted = isLineEntity(entity) ? await insertLinesAsSet(c, entity, table, ins.insert, params) : (await run(c, ins.insert, params)).rowCount ?? 0;
          for (const s of ins.after) await run(c, s, params);
          let updated = 0;
          const upd = onDuplicate === 'update' ? updateSql(entity, table) : undefined;
          // Deals and orders whose lines decide their amount keep it: counted before the update, reported after.
          const amountsKept = upd && (entity === 'opportunities' || entity === 'orders') ? ((await run(c, amountsKeptSql(entity, table), params)).rows[0] as { n: number }).n : 0;
          if (upd) updated = (await run(c, upd, params)).rowCount ?? 0;
          // The deals and orders that got or changed lines take their sum as their amount.
          if (entity === 'deal_lines' || entity === 'order_lines') for (const s of recomputeParentsSql(entity, table, onDuplicate === 'update')) await run(c, s, params);
          if (hasExternalIds) await run(c, externalIdsSql(entity, table), [o.orgId, null, externalSource]);
          if (entity === 'accounts' && (!keys || keys.includes('parent_account') || keys.includes('parent_account_id'))) {
            await run(c, linkParentsSql(table, onDuplicate === 'update'), [o.orgId, externalSource]);
          }
          // Imported answers count like answers given through a link: placements, account levels, NPS, snapshots, alerts.
          if (entity === 'survey_answers' && inserted) await rollUpEngagement(c.db, o.orgId);
          const after = {
            jobId, entity, filename: o.filename ?? null, totalRows: total, inserted, updated, duplicates: counts.duplicates, errors: counts.errors, accountsCreated,
            usersCreated, placeholderAccountRows: counts.placeholder, productsCreated, amountsKept, dryRun: !!o.dryRun,
          };
          await c.query(
            `INSERT INTO audit_log (org_id, id, actor_id, actor_kind, action, entity, entity_id, after, request_id)
             VALUES ($1, uuid_generate_v7(), $2, $3, 'import', $4, $5, $6, $7)`,
            [o.orgId, o.actorId, o.actorKind ?? (o.actorId ? 'user' : 'system'), AUDIT_ENTITY[entity], jobId, JSON.stringify(after), o.requestId ?? null],
          );
          if (o.dryRun) await c.query('ROLLBACK TO SAVEPOINT merge');
          await c.query('COMMIT');
          return { counts, merged: { inserted, updated, accountsCreated, usersCreated, productsCreated, amountsKept } };
        } catch (e) {
          await c.query('ROLLBACK');
          throw e;
        }
      });

      // Imported feedback gets its sentiment, and imported complaints their deadlines, before the job is done.
      if (entity === 'feedback' && !o.dryRun) {
        await markFeedbackWritten(database.db, o.orgId);
        await catchUp(database.db, o.orgId);
        // The word-of-mouth points of the products they name, suggested from their text (scored just above).
        if (merged.inserted) {
          const named = (await use((c) => c.query(`SELECT DISTINCT s.new_id AS id FROM ${table} s JOIN ${table}_fp f ON f.line = s.line
            WHERE s.ok AND s.dup_of IS NULL AND s.dup_line IS NULL AND f.product_id IS NOT NULL`))).rows as { id: string }[];
          for (let i = 0; i < named.length; i += SUGGEST_BATCH) await suggestTags(database.db, o.orgId, { feedbackIds: named.slice(i, i + SUGGEST_BATCH).map((r) => r.id) });
        }
      }
      const tMerge = performance.now();
      const errorRows = (await database.query(
        `SELECT line, field, message FROM import_job_errors WHERE org_id = $1 AND job_id = $2 ORDER BY line, seq LIMIT ${ERROR_ROWS_RETURNED}`,
        [o.orgId, jobId],
      )).rows as RowError[];
      const summary = `${merged.inserted} inserted, ${merged.updated} updated, ${counts.duplicates} duplicates, ${counts.errors} rows with errors` +
        (merged.usersCreated ? `, ${merged.usersCreated} users created` : '') +
        (merged.productsCreated ? `, ${merged.productsCreated} products created` : '') +
        (merged.amountsKept ? `, ${merged.amountsKept} kept the amount their lines give them` : '') +
        (counts.placeholder ? `, ${counts.placeholder} attached to the placeholder account` : '') + (o.dryRun ? ' (dry run: nothing saved)' : '');
      await database.query(
        `UPDATE import_jobs SET status = 'done', phase = 'done', total_rows = $3, processed_rows = $3, inserted = $4, updated = $5, duplicates = $6,
           error_count = $7, message = $8, accounts_created = $9, users_created = $10, placeholder_account_rows = $11, products_created = $12, amounts_kept = $13,
           finished_at = now() WHERE org_id = $1 AND id = $2`,
        [o.orgId, jobId, total, merged.inserted, merged.updated, counts.duplicates, counts.errors, summary,
          merged.accountsCreated, merged.usersCreated, counts.placeholder, merged.productsCreated, merged.amountsKept],
      );
      if (DEBUG) {
        const ms = (a: number, b: number) => `${(b - a).toFixed(0)} ms`;
        console.error(`[import] phases: read+validate+COPY ${ms(tStart, tRead)}, resolve ${ms(tRead, tResolve)}, merge ${ms(tResolve, tMerge)}, finish ${ms(tMerge, performance.now())}`);
      }
      return {
        jobId, status: 'done', dryRun: !!o.dryRun, totalRows: total, inserted: merged.inserted, updated: merged.updated,
        duplicates: counts.duplicates, errors: counts.errors, accountsCreated: merged.accountsCreated,
        usersCreated: merged.usersCreated, placeholderAccountRows: counts.placeholder, productsCreated: merged.productsCreated, amountsKept: merged.amountsKept, errorRows,
      };
    } finally {
      await use((c) => c.query(`DROP TABLE IF EXISTS ${table}, ${table}_acc, ${table}_prod, ${table}_lists, ${table}_fp`)).catch(() => undefined);
    }
  });
}

// ── Preview (the wizard's first step) ───────────────────────────────────────

/**
 * Survey results only: the questionnaire the item columns map to — the named survey's version, or the
 * organization's item bank — as rule context. A survey that is not the organization's is a 400.
 */
export async function surveyContext(database: Database, o: Pick<ImportFileOptions, 'orgId' | 'entity' | 'surveyId' | 'surveyVersion'>): Promise<Partial<RuleContext>> {
  if (o.entity !== 'survey_answers') {
    if (o.surveyId || o.surveyVersion !== undefined) throw fieldError('surveyId', 'applies to survey results (entity survey_answers) only');
    return {};
  }
  if (o.surveyVersion !== undefined && !o.surveyId) throw fieldError('surveyVersion', 'needs surveyId');
  const q = await importQuestionnaire(database.db, o.orgId, o.surveyId, o.surveyVersion);
  if (!q) throw o.surveyVersion === undefined ? fieldError('surveyId', 'no such survey') : fieldError('surveyVersion', `this survey has no version ${o.surveyVersion}`);
  return { surveyItems: q.items, survey: q.survey };
}

export type PreviewOptions = {
  orgId: string; entity: ImportEntity; format: 'csv' | 'vcard'; source: ImportSource; mapping?: Record<string, string>; limit?: number;
} & Pick<ImportFileOptions, 'externalSource' | 'valueMap' | 'dateOrder' | 'withoutAccount' | 'placeholderAccountName' | 'surveyId' | 'surveyVersion'>;

/** The first rows mapped and validated, plus the suggested mapping: nothing is written. */
export async function previewFile(database: Database, o: PreviewOptions) {
  const ctx = { ...(await loadContext(database, o.orgId, o.entity)), ...ruleOptions(o), ...(await surveyContext(database, o)) };
  const src = openSource(o.source);
  const { encoding, text } = await decodeSource(src.bytes, src.path);
  const limit = o.limit ?? 20;
  let headers: string[] = [];
  let delimiter: string | null = null;
  let mapping: Record<string, string> = {};
  let rows: AsyncIterable<SourceRow>;
  let mappingError: string | null = null;
  if (o.format === 'csv') {
    const csv = await parseCsv(text);
    headers = csv.headers;
    delimiter = csv.delimiter;
    mapping = o.mapping && Object.keys(o.mapping).length ? o.mapping : suggestMapping(o.entity, headers, ctx.customFields, ctx.surveyItems, !!ctx.survey);
    let columns: { index: number; key: string }[] = [];
    try {
      columns = resolveColumns(o.entity, headers, mapping, { accountOptional: !!ctx.placeholderAccount, customFields: ctx.customFields, surveyItems: ctx.surveyItems, inSurvey: !!ctx.survey });
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      // An incomplete mapping is what the wizard is there to fix: show the rows anyway.
      mappingError = e.message;
      const defs = new Set(Object.values(mapping));
      columns = Object.entries(mapping).filter(([h, k]) => k && headers.includes(h) && defs.has(k)).map(([h, k]) => ({ index: headers.indexOf(h), key: k }));
    }
    rows = (async function* () {
      for await (const r of csv.records) yield { line: r.line, input: r.error ?? csvRowInput(columns, headers.length, r.record), raw: '' };
    })();
  } else {
    rows = vcardRows(text);
  }
  const validate = makeRowValidator(o.entity, ctx);
  const out: { line: number; values: Record<string, string | null>; errors: { field: string | null; message: string }[] }[] = [];
  for await (const r of rows) {
    if (out.length >= limit) break;
    if (typeof r.input === 'string') {
      out.push({ line: r.line, values: {}, errors: [{ field: null, message: r.input }] });
      continue;
    }
    const check = validate(r.input);
    const values = Object.fromEntries(Object.entries(r.input).map(([k, v]) => [k, v ?? null]));
    out.push({ line: r.line, values: check.ok ? { ...values, ...check.values } : values, errors: check.ok ? [] : check.errors });
  }
  const customFields = (ctx.customFields ?? []).map((f) => ({ key: `custom.${f.key}`, type: f.type, required: f.required, label: f.label, options: f.options }));
  // Survey results: the questionnaire's items as mapping targets (`item.<id>`, their wording in every language).
  const surveyItems = scoredItems(ctx.surveyItems).map((i) => ({ key: `${ITEM_PREFIX}${i.id}`, kind: i.kind, level: i.kind === 'agree5' ? i.level : null, role: i.kind === 'score10' ? i.role : null, label: i.text }));
  return { encoding, delimiter, headers, mapping, mappingError, rows: out, customFields, surveyItems, survey: ctx.survey ?? null };
}

export type DistinctValues = { field: string; header: string; values: ({ value: string; count: number } & ValueSuggestion)[]; more: boolean }[];
const DISTINCT_PER_COLUMN = 500;

/**
 * Every distinct value of the file's list columns (vocabularies, fixed lists, countries) with its
 * count and how it matches the field's terms — the whole file is read, the values are few. What the
 * wizard's mapping tables and `accord import --write-value-map` show.
 */
export async function distinctValues(database: Database, o: Omit<PreviewOptions, 'limit'>): Promise<DistinctValues> {
  if (o.format !== 'csv') return [];
  const ctx = { ...(await loadContext(database, o.orgId, o.entity)), ...ruleOptions(o), ...(await surveyContext(database, o)) };
  const src = openSource(o.source);
  const { text } = await decodeSource(src.bytes, src.path);
  const csv = await parseCsv(text);
  const mapping = o.mapping && Object.keys(o.mapping).length ? o.mapping : suggestMapping(o.entity, csv.headers, ctx.customFields, ctx.surveyItems, !!ctx.survey);
  const wanted = new Set(listFields(o.entity));
  const cols = Object.entries(mapping).filter(([h, k]) => wanted.has(k) && csv.headers.includes(h)).map(([h, k]) => ({ header: h, field: k, index: csv.headers.indexOf(h), counts: new Map<string, number>(), more: false }));
  for await (const r of csv.records) {
    if (r.error) continue;
    for (const c of cols) {
      const v = (r.record[c.index] ?? '').trim();
      if (!v) continue;
      const n = c.counts.get(v);
      if (n !== undefined) c.counts.set(v, n + 1);
      else if (c.counts.size < DISTINCT_PER_COLUMN) c.counts.set(v, 1);
      else c.more = true;
    }
  }
  return cols.map((c) => ({
    field: c.field,
    header: c.header,
    more: c.more,
    values: [...c.counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([value, count]) => ({ value, count, ...matchValue(o.entity, c.field, value, ctx) })),
  }));
}

/** A value map to edit: every value that does not match exactly, with the suggested term (null where none). */
export function valueMapTemplate(values: DistinctValues): ValueMap {
  const out: ValueMap = {};
  for (const c of values) {
    const open = c.values.filter((v) => v.match !== 'exact');
    if (open.length) out[c.field] = Object.fromEntries(open.map((v) => [v.value, v.term]));
  }
  return out;
}

/** The error file: original row, line and messages, one CSV row per bad line (streamed by keyset on line). */
export async function* errorFileCsv(database: Database, orgId: string, jobId: string): AsyncGenerator<string> {
  const job = (await database.query(`SELECT format, options FROM import_jobs WHERE org_id = $1 AND id = $2`, [orgId, jobId])).rows[0] as
    | { format: string; options: { headers?: string[] } } | undefined;
  if (!job) return;
  const headers = job.format === 'csv' ? job.options.headers ?? [] : ['vcard'];
  yield stringify([['line', 'errors', ...headers]]);
  let after = -1;
  for (;;) {
    const r = await database.query(
      `SELECT line, string_agg(coalesce(field || ': ', '') || message, '; ' ORDER BY seq) AS messages, max(raw) AS raw
       FROM import_job_errors WHERE org_id = $1 AND job_id = $2 AND line > $3 GROUP BY line ORDER BY line LIMIT 2000`,
      [orgId, jobId, after],
    );
    if (!r.rows.length) return;
    const out = (r.rows as { line: number; messages: string; raw: string | null }[]).map((e) => {
      let cells: string[] = [];
      if (job.format === 'csv') {
        try {
          cells = e.raw ? (JSON.parse(e.raw) as string[]) : [];
        } catch {
          cells = [e.raw ?? ''];
        }
      } else cells = [e.raw ?? ''];
      return [String(e.line), e.messages.replace(/^_duplicate: /, 'duplicate: '), ...cells];
    });
    yield stringify(out);
    after = (r.rows[r.rows.length - 1] as { line: number }).line;
  }
}
