/** GET /api/v1/exports/:entity — streamed CSV (any importable entity) or vCard (contacts). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../kernel/db/index.ts';
import { badRequest } from '../../kernel/errors.ts';
import { exportParamsSchema, exportQuerySchema } from '../imports/schemas.ts';
import { exportCsv, exportVcard } from './commands.ts';
import { z } from 'zod';
import { listQuerySchema } from '../../kernel/http-schemas.ts';
import type { Resource } from '../../kernel/resource.ts';
import { accountResource } from '../accounts/resource.ts';
import { contactResource } from '../contacts/resource.ts';
import { opportunityResource } from '../opportunities/resource.ts';
import { interactionResource } from '../interactions/resource.ts';
import { taskResource } from '../tasks/resource.ts';
import { exportListCsv } from './list.ts';
import { surveyResource } from '../surveys/commands.ts';
import { answerExportVersion, exportAnswersCsv } from '../surveys/export.ts';

const LISTS: Record<string, Resource> = {
  accounts: accountResource, contacts: contactResource, opportunities: opportunityResource, interactions: interactionResource, tasks: taskResource,
};

export function exportRoutes(app: FastifyInstance, database: Database) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/exports/:entity', {
    schema: {
      tags: ['exports'],
      summary: 'Export records as CSV (columns = import field keys, so the file re-imports) or contacts as vCard 4.0/3.0',
      params: exportParamsSchema,
      querystring: exportQuerySchema,
    },
    handler: async (req, reply) => {
      const { entity } = req.params;
      const { format, version, ...filters } = req.query;
      const orgId = req.actor!.orgId;
      const stamp = new Date().toISOString().slice(0, 10);
      if (format === 'vcard') {
        if (entity !== 'contacts') throw badRequest('vCard exports contacts only', [{ path: 'format', message: 'vcard needs entity contacts' }]);
        reply.header('content-type', `text/vcard; charset=utf-8`).header('content-disposition', `attachment; filename="contacts-${stamp}.vcf"`);
        return reply.send(exportVcard(database, { orgId, filters, version }));
      }
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${entity}-${stamp}.csv"`);
      return reply.send(exportCsv(database, { orgId, entity, filters }));
    },
  });
  // Survey answers: per survey and version, their items as columns (a static route, before `:entity`).
  r.get('/api/v1/exports/survey_answers', {
    schema: {
      tags: ['exports'],
      summary: 'Export the completed answers of one survey version as CSV (re-imports with POST /api/v1/imports?entity=survey_answers&surveyId=…)',
      description:
        'One row per completed answer: the answer id (`external_id`, source `accord`), survey and version, respondent (email, name), account (name, id), `answered_at` (UTC), ' +
        '`recommend` (the NPS question, 0–10) and `nps_band`, `level` (the placement), `comment`, `language`, then every scored item as `item.<id>` (`dk` = "don\'t know", blank = not answered).',
      querystring: z.object({
        surveyId: z.string().uuid(),
        version: z.coerce.number().int().min(1).max(100000).optional().describe('Version number (default: the current version)'),
      }).strict(),
    },
    handler: async (req, reply) => {
      const actor = req.actor!;
      // Whoever may read the survey (and so its results and comments) may export its answers.
      await surveyResource.get(database.db, actor, req.query.surveyId);
      const v = await answerExportVersion(database, actor.orgId, req.query.surveyId, req.query.version);
      const stamp = new Date().toISOString().slice(0, 10);
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="survey-answers-v${v.version}-${stamp}.csv"`);
      return reply.send(exportAnswersCsv(database, actor.orgId, v));
    },
  });
  r.get('/api/v1/exports/list/:entity', {
    schema: {
      tags: ['exports'],
      summary: 'Export a record list as CSV: every row matching the list filters, search and sort, with raw values',
      description:
        'Takes the same query string as `GET /api/v1/<entity>` (`field[op]=value` filters, `q`, `sort`; `limit`/`cursor` are ignored: every matching row is written). ' +
        '`columns` is a comma-separated list of record keys (custom fields as `custom.<key>`); empty means every column. A reference column (`accountId`) brings its name (`accountName`) beside it. ' +
        'Values are the stored ones: ISO 8601 dates, decimal amounts, vocabulary keys, arrays joined by "; ".',
      params: z.object({ entity: z.enum(['accounts', 'contacts', 'opportunities', 'interactions', 'tasks']) }),
      querystring: listQuerySchema.extend({ columns: z.string().max(4000).optional().describe('Comma-separated column keys; empty = all') }),
    },
    handler: async (req, reply) => {
      const { entity } = req.params;
      const query = req.query as Record<string, string | string[] | undefined>;
      const columns = typeof query.columns === 'string' ? query.columns.split(',').map((c) => c.trim()).filter(Boolean) : [];
      const stream = await exportListCsv(database.db, req.actor!, LISTS[entity]!, query, columns);
      const stamp = new Date().toISOString().slice(0, 10);
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${entity}-${stamp}.csv"`);
      return reply.send(stream);
    },
  });
}
