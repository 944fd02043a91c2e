import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses } from '../../kernel/http-schemas.ts';
import { listAudit } from './queries.ts';
import { auditQuery, auditResponse } from './schemas.ts';

export function auditRoutes(app: FastifyInstance, db: Db) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/audit', {
    schema: {
      tags: ['audit'],
      summary: 'Who changed what, when: before → after, newest first',
      description: 'Managers and admins may filter freely (entity, entityId, actorId). Others give entity and entityId of a record they can read.',
      querystring: auditQuery,
      response: { 200: auditResponse, ...errorResponses },
    },
    handler: async (req) => listAudit(db, req.actor!, req.query),
  });
}
