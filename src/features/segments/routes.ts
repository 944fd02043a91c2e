import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses, idParams, listQuerySchema, listResponse } from '../../kernel/http-schemas.ts';
import { account } from '../accounts/schemas.ts';
import { accountResource } from '../accounts/resource.ts';
import { segmentFilters, segmentResource } from './resource.ts';

/** Saved segments: CRUD from the resource factory, plus the accounts a segment holds. */
export function segmentRoutes(app: FastifyInstance, db: Db) {
  segmentResource.routes(app, () => db);
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/segments/:id/accounts', {
    schema: {
      tags: ['segments'],
      summary: "The accounts in a segment; takes the accounts list's paging, sorting and extra filters",
      params: idParams,
      querystring: listQuerySchema,
      response: { 200: listResponse(account), ...errorResponses },
    },
    handler: async (req) => {
      const extra = await segmentFilters(db, req.actor!, req.params.id);
      // Rows are account records; the response schema serialises and documents them.
      return (await accountResource.list(db, req.actor!, req.query as Record<string, string | string[] | undefined>, extra)) as never;
    },
  });
}
