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
