import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { parseIfMatch } from '../../kernel/resource.ts';
import { createReport, deleteReport, getReport, listReports, reportResult, updateReport } from './commands.ts';
import { reportFields, runReport } from './queries.ts';
import { resultTable } from './rules.ts';
import { definitionSchema, RECORD_TYPES, reportCreate, reportResult as resultSchema, reportUpdate, savedReport, type ReportResult } from './schemas.ts';

const fieldsResponse = z.object({
  recordType: z.enum(RECORD_TYPES),
  fields: z.record(z.string(), z.string()).describe('Field → type (text, number, date, timestamp, boolean, uuid, enum, tags)'),
  ownerField: z.string().optional(),
  money: z.record(z.string(), z.string()).describe('Money field → its currency column'),
  baseMoney: z.array(z.string()),
  deals: z.boolean(),
  vocab: z.record(z.string(), z.string()),
});

/** UTF-8 with a BOM so spreadsheet programs read Chinese labels correctly (as the record exports do). */
function sendCsv(reply: FastifyReply, result: ReportResult, name: string) {
  const stamp = new Date().toISOString().slice(0, 10);
  reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}-${stamp}.csv"`);
  return reply.send(stringify(resultTable(result), { bom: true }));
}

export function reportRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reports'];
  const runDoc =
    'One aggregate statement over the record type, filtered exactly as its list (`filters` in the list syntax). Money measures over a field whose currency varies by row are split by currency (`byCurrency`); see docs/reports.md.';
  r.post('/api/v1/reports/run', {
    schema: { tags, summary: 'Run a report definition', description: runDoc, body: definitionSchema, response: { 200: resultSchema, ...errorResponses } },
    handler: async (req) => runReport(db, req.actor!, req.body),
  });
  r.post('/api/v1/reports/run/csv', {
    schema: { tags, summary: 'Run a report definition and download the result as CSV', body: definitionSchema, response: errorResponses },
    handler: async (req, reply) => sendCsv(reply, await runReport(db, req.actor!, req.body), `report-${req.body.recordType}`),
  });
  r.get('/api/v1/reports/fields/:recordType', {
    schema: { tags, summary: 'What a report over this record type can group by and measure', params: z.object({ recordType: z.enum(RECORD_TYPES) }), response: { 200: fieldsResponse, ...errorResponses } },
    handler: async (req) => reportFields(db, req.actor!, req.params.recordType),
  });
  r.get('/api/v1/reports', {
    schema: { tags, summary: 'Saved reports: your own and the shared ones', response: { 200: z.object({ data: z.array(savedReport) }), ...errorResponses } },
    handler: async (req) => ({ data: await listReports(db, req.actor!) }),
  });
  r.get('/api/v1/reports/:id', {
    schema: { tags, summary: 'One saved report', params: idParams, response: { 200: savedReport, ...errorResponses } },
    handler: async (req, reply) => {
      const row = await getReport(db, req.actor!, req.params.id);
      reply.header('etag', `"${row.version}"`);
      return row;
    },
  });
  r.get('/api/v1/reports/:id/result', {
    schema: { tags, summary: 'Run a saved report', description: runDoc, params: idParams, response: { 200: resultSchema, ...errorResponses } },
    handler: async (req) => reportResult(db, req.actor!, req.params.id),
  });
  r.get('/api/v1/reports/:id/result/csv', {
    schema: { tags, summary: 'Run a saved report and download the result as CSV', params: idParams, response: errorResponses },
    handler: async (req, reply) => {
      const saved = await getReport(db, req.actor!, req.params.id);
      return sendCsv(reply, await reportResult(db, req.actor!, req.params.id), saved.name.replace(/[^\p{L}\p{N}_-]+/gu, '-').slice(0, 60) || 'report');
    },
  });
  r.post('/api/v1/reports', {
    schema: { tags, summary: 'Save a report', body: reportCreate, response: { 201: savedReport, ...errorResponses } },
    handler: async (req, reply) => {
      const row = await createReport(db, req.actor!, req.body);
      reply.code(201).header('etag', `"${row.version}"`);
      return row;
    },
  });
  r.patch('/api/v1/reports/:id', {
    schema: {
      tags,
      summary: 'Change a saved report (owner or admin)',
      description: 'Send the version you edited as `If-Match` or `version`; a stale version gets 409 with the current report.',
      params: idParams,
      body: reportUpdate,
      response: { 200: savedReport, ...errorResponses },
    },
    handler: async (req, reply) => {
      const row = await updateReport(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], req.body.version), req.body);
      reply.header('etag', `"${row.version}"`);
      return row;
    },
  });
  r.delete('/api/v1/reports/:id', {
    schema: { tags, summary: 'Delete a saved report (owner or admin)', params: idParams, response: { 200: savedReport, ...errorResponses } },
    handler: async (req) => deleteReport(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], undefined)),
  });
}
