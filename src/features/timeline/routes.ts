import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../kernel/db/index.ts';
import { badRequest } from '../../kernel/errors.ts';
import { errorResponses } from '../../kernel/http-schemas.ts';
import { parseBefore, timeline, type Anchor } from './queries.ts';
import { timelineQuery, timelineResponse } from './schemas.ts';

export function timelineRoutes(app: FastifyInstance, db: Db) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/timeline', {
    schema: {
      tags: ['timeline'],
      summary: 'What happened around an account, opportunity or contact, newest first',
      description:
        'Give exactly one of accountId, opportunityId, contactId. Merges interactions (with participants on both sides), notes, tasks, orders, buying-stage changes supplier-status/relationship-depth changes and customer feedback (accounts and contacts). Page with `before=<nextCursor>`.',
      querystring: timelineQuery,
      response: { 200: timelineResponse, ...errorResponses },
    },
    handler: async (req) => {
      const q = req.query;
      const given = (['accountId', 'opportunityId', 'contactId'] as const).filter((k) => q[k]);
      if (given.length !== 1) {
        throw badRequest('Give exactly one of accountId, opportunityId, contactId', [{ path: given[1] ?? 'accountId', message: 'Give exactly one of accountId, opportunityId, contactId' }]);
      }
      const key = given[0]!;
      const anchor: Anchor = { kind: key === 'accountId' ? 'account' : key === 'opportunityId' ? 'opportunity' : 'contact', id: q[key]! };
      return timeline(db, req.actor!, anchor, q.limit ?? 50, parseBefore(q.before));
    },
  });
}
