import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireRole } from '../../kernel/actor.ts';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { goalProgress } from './commands.ts';
import { goalResource } from './resource.ts';
import { goalProgress as goalProgressSchema } from './schemas.ts';

export function goalRoutes(app: FastifyInstance, db: Db) {
  // Setting goals is a management decision: everyone reads them, managers and admins write them.
  app.register(async (scope) => {
    scope.addHook('preHandler', async (req) => {
      if (req.method !== 'GET' && req.actor) requireRole(req.actor, 'admin', 'manager');
    });
    goalResource.routes(scope, () => db);
  });
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/goals/:id/progress', {
    schema: {
      tags: ['goals'],
      summary: 'Progress of a goal: accounts per stage from the stage history, pace against the calendar, drill-down lists',
      params: idParams,
      response: { 200: goalProgressSchema, ...errorResponses },
    },
    handler: async (req) => goalProgress(db, req.actor!, req.params.id),
  });
}
