import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses } from '../../kernel/http-schemas.ts';
import { globalSearch } from './queries.ts';
import { searchQuery, searchResponse } from './schemas.ts';

export function searchRoutes(app: FastifyInstance, db: Db) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/search', {
    schema: {
      tags: ['search'],
      summary: 'Find accounts, contacts and opportunities by name or email',
      description: 'Any part of a name matches, in any script. Names starting with the query rank first, then by trigram similarity; people found only by their e-mail address come after every name match.',
      querystring: searchQuery,
      response: { 200: searchResponse, ...errorResponses },
    },
    handler: async (req) => ({ data: await globalSearch(db, req.actor!, req.query.q, req.query.limit ?? 10) }),
  });
}
