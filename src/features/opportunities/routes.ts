import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { opportunityStageHistory } from '../../db/schema/index.ts';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { opportunityResource } from './resource.ts';
import { stageChange } from './schemas.ts';

export function opportunityRoutes(app: FastifyInstance, db: Db) {
  opportunityResource.routes(app, () => db);
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/opportunities/:id/stage-history', {
    schema: {
      tags: ['opportunities'],
      summary: 'Every buying-stage transition of an opportunity, oldest first',
      params: idParams,
      response: { 200: z.object({ data: z.array(stageChange) }), ...errorResponses },
    },
    handler: async (req) => {
      const actor = req.actor!;
      await opportunityResource.get(db, actor, req.params.id, { includeDeleted: true });
      const h = opportunityStageHistory;
      const data = await db
        .select({ id: h.id, opportunityId: h.opportunityId, fromStage: h.fromStage, toStage: h.toStage, changedAt: h.changedAt, changedBy: h.changedBy })
        .from(h)
        .where(and(eq(h.orgId, actor.orgId), eq(h.opportunityId, req.params.id)))
        .orderBy(asc(h.changedAt), asc(h.id));
      return { data };
    },
  });
}
