import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireRole } from '../../kernel/actor.ts';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { z } from 'zod';
import { isoDate } from '../../kernel/http-schemas.ts';
import { goalProgress } from './commands.ts';
import { checkCriterion, criteriaResource, dealCriteria, dealCriteriaState, skippedCriteriaReport, skippedDeal, uncheckCriterion } from './criteria.ts';
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

  // The exit checklist per stage is process design: admins only.
  app.register(async (scope) => {
    scope.addHook('preHandler', async (req) => {
      if (req.method !== 'GET' && req.actor) requireRole(req.actor, 'admin');
    });
    criteriaResource.routes(scope, () => db);
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/stage-criteria/skipped', {
    schema: {
      tags: ['stage-criteria'],
      summary: 'Deals that went past a stage without its exit checklist done',
      description: 'from/to (inclusive days) bound when the deal went past the stage; a criterion ticked only afterwards still counts as skipped.',
      querystring: z.object({ from: isoDate.optional(), to: isoDate.optional(), ownerId: z.uuid().optional() }).strict(),
      response: { 200: z.object({ data: z.array(skippedDeal) }), ...errorResponses },
    },
    handler: async (req) => ({ data: await skippedCriteriaReport(db, req.actor!, req.query) }),
  });
  const critParams = z.object({ id: z.uuid({ error: 'Not a valid id' }), criterionId: z.uuid({ error: 'Not a valid id' }) });
  r.get('/api/v1/opportunities/:id/criteria', {
    schema: { tags: ['stage-criteria'], summary: 'The exit checklist of a deal, with skipped criteria flagged', params: idParams, response: { 200: dealCriteria, ...errorResponses } },
    handler: async (req) => dealCriteriaState(db, req.actor!, req.params.id),
  });
  r.post('/api/v1/opportunities/:id/criteria/:criterionId', {
    schema: { tags: ['stage-criteria'], summary: 'Tick an exit criterion on a deal', params: critParams, response: { 200: dealCriteria, ...errorResponses } },
    handler: async (req) => checkCriterion(db, req.actor!, req.params.id, req.params.criterionId),
  });
  r.delete('/api/v1/opportunities/:id/criteria/:criterionId', {
    schema: { tags: ['stage-criteria'], summary: 'Untick an exit criterion on a deal', params: critParams, response: { 200: dealCriteria, ...errorResponses } },
    handler: async (req) => uncheckCriterion(db, req.actor!, req.params.id, req.params.criterionId),
  });
}
