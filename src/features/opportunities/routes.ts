import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { parseIfMatch } from '../../kernel/resource.ts';
import { appendStageHistory, stageHistoryOf } from './history.ts';
import { opportunityResource } from './resource.ts';
import { stageChange, stageHistoryAppend } from './schemas.ts';

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
      return { data: await stageHistoryOf(db, actor.orgId, req.params.id) };
    },
  });
  r.post('/api/v1/opportunities/:id/stage-history', {
    schema: {
      tags: ['opportunities'],
      summary: 'Write past stage entries (with their own dates) into an opportunity\'s history',
      description:
        'Send the opportunity version as `If-Match: "<version>"`. Entries must lie between the deal\'s openedAt and closedAt and not in the future. ' +
        'Each entry\'s fromStage is re-derived from the entry before it in time; an entry newer than the current stage moves the deal to it (a new version, in the ETag).',
      params: idParams,
      body: stageHistoryAppend,
      response: { 200: z.object({ version: z.number().int(), data: z.array(stageChange) }), ...errorResponses },
    },
    handler: async (req, reply) => {
      const out = await appendStageHistory(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], undefined), req.body.entries);
      reply.header('etag', `"${out.version}"`);
      return out;
    },
  });
}
