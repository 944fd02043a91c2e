import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { accountGroup } from './hierarchy.ts';
import { accountGroup as accountGroupSchema } from './schemas.ts';

export function accountGroupRoutes(app: FastifyInstance, db: Db) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/accounts/:id/group', {
    schema: {
      tags: ['accounts'],
      summary: 'The account\'s group: parent, top of the group, direct subsidiaries, and deals, orders and share of wallet rolled up over all subsidiaries',
      params: idParams,
      response: { 200: accountGroupSchema, ...errorResponses },
    },
    handler: async (req) => accountGroup(db, req.actor!, req.params.id),
  });
}
