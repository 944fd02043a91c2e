/** GET /api/v1/exports/:entity — streamed CSV (any importable entity) or vCard (contacts). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../kernel/db/index.ts';
import { badRequest } from '../../kernel/errors.ts';
import { exportParamsSchema, exportQuerySchema } from '../imports/schemas.ts';
import { exportCsv, exportVcard } from './commands.ts';

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
}
