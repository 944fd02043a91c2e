import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { parseIfMatch } from '../../kernel/resource.ts';
import { createView, deleteView, getView, listViews, updateView } from './commands.ts';
import { savedView, viewCreate, viewListQuery, viewUpdate } from './schemas.ts';

export function viewRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['views'];
  r.get('/api/v1/views', {
    schema: { tags, summary: 'Saved views: your own and the shared ones', querystring: viewListQuery, response: { 200: z.object({ data: z.array(savedView) }), ...errorResponses } },
    handler: async (req) => ({ data: await listViews(db, req.actor!, req.query.entity) }),
  });
  r.get('/api/v1/views/:id', {
    schema: { tags, summary: 'One saved view', params: idParams, response: { 200: savedView, ...errorResponses } },
    handler: async (req) => getView(db, req.actor!, req.params.id),
  });
  r.post('/api/v1/views', {
    schema: { tags, summary: 'Save a view', body: viewCreate, response: { 201: savedView, ...errorResponses } },
    handler: async (req, reply) => {
      const row = await createView(db, req.actor!, req.body);
      reply.code(201).header('etag', `"${row.version}"`);
      return row;
    },
  });
  r.patch('/api/v1/views/:id', {
    schema: {
      tags,
      summary: 'Change a saved view (owner or admin)',
      description: 'Send the version you edited as `If-Match` or `version`; a stale version gets 409.',
      params: idParams,
      body: viewUpdate,
      response: { 200: savedView, ...errorResponses },
    },
    handler: async (req, reply) => {
      const row = await updateView(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], req.body.version), req.body);
      reply.header('etag', `"${row.version}"`);
      return row;
    },
  });
  r.delete('/api/v1/views/:id', {
    schema: { tags, summary: 'Delete a saved view (owner or admin)', params: idParams, response: { 200: savedView, ...errorResponses } },
    handler: async (req) => deleteView(db, req.actor!, req.params.id),
  });
}
