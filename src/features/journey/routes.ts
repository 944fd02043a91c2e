import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../kernel/db/index.ts';
import { badRequest } from '../../kernel/errors.ts';
import { errorResponses, isoDate } from '../../kernel/http-schemas.ts';
import { segmentAccountIds } from '../goals/segment-filter.ts';
import { aisasReport } from './queries.ts';
import { aisasReport as aisasSchema } from './schemas.ts';

export function journeyRoutes(app: FastifyInstance, db: Db) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/journey/aisas', {
    schema: {
      tags: ['journey'],
      summary: 'AISAS flow of interactions and which lead sources bring accounts that later win',
      querystring: z.object({ from: isoDate.optional(), to: isoDate.optional(), segmentId: z.uuid().optional() }).strict(),
      response: { 200: aisasSchema, ...errorResponses },
    },
    handler: async (req) => {
      const { from, to, segmentId } = req.query;
      if (from && to && from > to) throw badRequest('from must not be after to', [{ path: 'to', message: 'Before from' }]);
      const segment = segmentId ? await segmentAccountIds(db, req.actor!.orgId, segmentId) : null;
      return aisasReport(db, req.actor!, { from, to, segment });
    },
  });
}
