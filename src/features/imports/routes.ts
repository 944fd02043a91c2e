/**
 * /api/v1/imports: upload (raw body or multipart), preview, job status and the error file.
 * The upload is spooled to a temporary file first (bounded memory; lets the whole file be checked for
 * UTF-8), then the import runs in the background and GET /imports/:id reports its progress;
 * `?wait=true` answers with the finished result instead.
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canWriteAny, requireWriter } from '../../kernel/actor.ts';
import type { Database } from '../../kernel/db/index.ts';
import { badRequest, forbidden, notFound } from '../../kernel/errors.ts';
import { largestUpload, spoolUpload, uploadGuard } from '../../kernel/uploads.ts';
import { errorResponses } from '../../kernel/http-schemas.ts';
import { createJob, distinctValues, errorFileCsv, importFile, loadCustomImportFields, previewFile, surveyContext } from './commands.ts';
import { ENTITY_FIELDS, SURVEY_LEVEL_FIELDS } from './fields.ts';
import { importQuestionnaire } from '../surveys/queries.ts';
import { suggestMapping } from './rules.ts';
import {
  importJobParamsSchema, importJobSchema, importOptionsSchema, importResultSchema, previewOptionsSchema, previewResponseSchema,
  suggestMappingBodySchema, suggestMappingResponseSchema,
} from './schemas.ts';

const RAW_TYPES = ['text/csv', 'text/plain', 'text/vcard', 'text/x-vcard', 'text/directory', 'application/octet-stream', 'application/vnd.ms-excel'];

/** Streams the request's file to a temporary file (kernel/uploads.ts: limits per role, cleanup on every exit). */
const spool = async (req: FastifyRequest) => {
  const u = await spoolUpload(req, RAW_TYPES);
  return { ...u, dir: dirname(u.path) };
};

const jobRow = (r: Record<string, unknown>) => ({
  id: r.id, entity: r.entity, format: r.format, status: r.status, dryRun: r.dry_run, filename: r.filename, mapping: r.mapping, options: r.options,
  totalRows: r.total_rows, processedRows: r.processed_rows, phase: r.phase ?? null, inserted: r.inserted, updated: r.updated, duplicates: r.duplicates, errorCount: r.error_count,
  accountsCreated: r.accounts_created, usersCreated: r.users_created, placeholderAccountRows: r.placeholder_account_rows, productsCreated: r.products_created, amountsKept: r.amounts_kept,
  message: r.message, createdBy: r.created_by, createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at,
}) as z.infer<typeof importJobSchema>;

export async function importRoutes(app: FastifyInstance, database: Database) {
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: largestUpload(app.uploadLimits), files: 1, fields: 20 } });
    // Raw uploads: the body stream is handed to the route untouched (no body-size limit: spooled with our own).
    scope.addContentTypeParser(RAW_TYPES, (_req, payload, done) => done(null, payload));
    const r = scope.withTypeProvider<ZodTypeProvider>();
    const tags = ['imports'];

    r.post('/api/v1/imports', {
      schema: {
        tags,
        summary: 'Import a CSV or vCard file',
        description:
          'Send the file as the raw body (Content-Type text/csv or text/vcard, options in the query string) or as multipart/form-data (field "file", options as fields; "mapping" as JSON). ' +
          'Answers 202 with the job at once (poll GET /api/v1/imports/{id}); with wait=true answers 200 with the result when done.',
        querystring: importOptionsSchema.partial().extend({ wait: z.enum(['true', 'false']).optional() }),
        response: { 200: importResultSchema, 202: importJobSchema, ...errorResponses, 413: errorResponses[400] },
      },
      onRequest: uploadGuard,
      handler: async (req, reply) => {
        const actor = req.actor!;
        requireWriter(actor);
        const upload = await spool(req);
        let started = false;
        try {
          const parsed = importOptionsSchema.safeParse({ ...req.query, ...upload.fields });
          if (!parsed.success) throw badRequest(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
          const o = parsed.data;
          // Survey results feed the organization's engagement analysis: the people who send surveys bring them in.
          if (o.entity === 'survey_answers' && !canWriteAny(actor)) throw forbidden('Only managers and administrators import survey results');
          // A survey that is not the organization's is refused before a job exists.
          await surveyContext(database, { orgId: actor.orgId, entity: o.entity, surveyId: o.surveyId, surveyVersion: o.surveyVersion });
          const base = {
            orgId: actor.orgId, actorId: actor.userId, actorKind: actor.kind, requestId: actor.requestId, entity: o.entity, format: o.format,
            filename: upload.filename ?? undefined, mapping: o.mapping, dryRun: o.dryRun, onDuplicate: o.onDuplicate, createAccounts: o.createAccounts, similarity: o.similarity, createProducts: o.createProducts,
            createUsers: o.createUsers, externalSource: o.externalSource, valueMap: o.valueMap, dateOrder: o.dateOrder, withoutAccount: o.withoutAccount, placeholderAccountName: o.placeholderAccountName,
            surveyId: o.surveyId, surveyVersion: o.surveyVersion,
          };
          const jobId = await createJob(database, base);
          const run = importFile(database, { ...base, source: upload.path, jobId }).finally(() => rm(upload.dir, { recursive: true, force: true }));
          started = true;
          if (req.query.wait === 'true' || upload.fields.wait === 'true') return await run;
          run.catch((e) => req.log.warn({ err: e, jobId }, 'import failed'));
          const job = (await database.query(`SELECT * FROM import_jobs WHERE org_id = $1 AND id = $2`, [actor.orgId, jobId])).rows[0] as Record<string, unknown>;
          reply.code(202).header('location', `/api/v1/imports/${jobId}`);
          return jobRow(job);
        } finally {
          if (!started) await rm(upload.dir, { recursive: true, force: true });
        }
      },
    });

    r.post('/api/v1/imports/preview', {
      schema: {
        tags,
        summary: 'Preview an import: detected encoding, suggested mapping, the first rows mapped and validated',
        querystring: previewOptionsSchema.partial(),
        response: { 200: previewResponseSchema, ...errorResponses, 413: errorResponses[400] },
      },
      onRequest: uploadGuard,
      handler: async (req) => {
        const actor = req.actor!;
        const upload = await spool(req);
        try {
          const parsed = previewOptionsSchema.safeParse({ ...req.query, ...upload.fields });
          if (!parsed.success) throw badRequest(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
          const o = parsed.data;
          const p = await previewFile(database, { orgId: actor.orgId, entity: o.entity, format: o.format, source: upload.path, mapping: o.mapping, limit: o.limit,
            externalSource: o.externalSource, valueMap: o.valueMap, dateOrder: o.dateOrder, withoutAccount: o.withoutAccount, placeholderAccountName: o.placeholderAccountName,
            surveyId: o.surveyId, surveyVersion: o.surveyVersion });
          const { customFields, surveyItems, survey, ...preview } = p;
          const fields = [
            // Answers counted in an Accord survey go to its items, not to the fixed level slots.
            ...ENTITY_FIELDS[o.entity].filter((f) => !(survey && SURVEY_LEVEL_FIELDS.some((l) => l.key === f.key))).map((f) => ({ key: f.key, required: !!f.required, type: f.type.kind })),
            ...customFields.map((f) => ({ key: f.key, required: f.required, type: `custom_${f.type}`, label: f.label, options: f.options })),
            ...surveyItems.map((i) => ({ key: i.key, required: false, type: `survey_${i.kind}`, label: i.label })),
          ];
          const values = await distinctValues(database, { orgId: actor.orgId, entity: o.entity, format: o.format, source: upload.path, mapping: p.mapping, valueMap: o.valueMap, surveyId: o.surveyId, surveyVersion: o.surveyVersion });
          return { ...preview, fields, values };
        } finally {
          await rm(upload.dir, { recursive: true, force: true });
        }
      },
    });

    r.post('/api/v1/imports/mapping', {
      schema: { tags, summary: 'Suggest a column mapping from headers (English and Chinese)', body: suggestMappingBodySchema, response: { 200: suggestMappingResponseSchema, ...errorResponses } },
      handler: async (req) => {
        // Survey results: the organization's item bank's questions are suggested too (item.<id>).
        const items = req.body.entity === 'survey_answers' ? (await importQuestionnaire(database.db, req.actor!.orgId))?.items : undefined;
        return { mapping: suggestMapping(req.body.entity, req.body.headers, await loadCustomImportFields(database, req.actor!.orgId, req.body.entity), items) };
      },
    });

    r.get('/api/v1/imports', {
      schema: { tags, summary: 'Recent import jobs', response: { 200: z.object({ data: z.array(importJobSchema) }) } },
      handler: async (req) => {
        const rows = (await database.query(`SELECT * FROM import_jobs WHERE org_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100`, [req.actor!.orgId])).rows;
        return { data: (rows as Record<string, unknown>[]).map(jobRow) };
      },
    });

    r.get('/api/v1/imports/:id', {
      schema: { tags, summary: 'An import job and its progress', params: importJobParamsSchema, response: { 200: importJobSchema, ...errorResponses } },
      handler: async (req) => {
        const row = (await database.query(`SELECT * FROM import_jobs WHERE org_id = $1 AND id = $2`, [req.actor!.orgId, req.params.id])).rows[0];
        if (!row) throw notFound('Import job');
        return jobRow(row as Record<string, unknown>);
      },
    });

    r.get('/api/v1/imports/:id/errors.csv', {
      schema: { tags, summary: 'The error file: every rejected or skipped row with its line and messages (CSV)', params: importJobParamsSchema },
      handler: async (req, reply) => {
        const row = (await database.query(`SELECT id FROM import_jobs WHERE org_id = $1 AND id = $2`, [req.actor!.orgId, req.params.id])).rows[0];
        if (!row) throw notFound('Import job');
        reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="import-${req.params.id}-errors.csv"`);
        return reply.send(Readable.from((async function* () {
          yield '\ufeff';
          yield* errorFileCsv(database, req.actor!.orgId, req.params.id);
        })()));
      },
    });
  });
}
