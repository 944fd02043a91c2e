import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { parseIfMatch } from '../../kernel/resource.ts';
import { createCustomField, deleteCustomField, listCustomFields, updateCustomField } from './commands.ts';
import { CUSTOM_ENTITIES, customFieldCreate, customFieldDef, customFieldUpdate } from './schemas.ts';

export function customFieldRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['custom-fields'];
  r.get('/api/v1/custom-fields', {
    schema: { tags, summary: 'Custom field definitions', querystring: z.object({ entity: z.enum(CUSTOM_ENTITIES).optional() }).strict(), response: { 200: z.object({ data: z.array(customFieldDef) }) } },
    handler: async (req) => ({ data: await listCustomFields(db, req.actor!.orgId, req.query.entity) }),
  });
  r.post('/api/v1/custom-fields', {
    schema: { tags, summary: 'Define a custom field (admin)', body: customFieldCreate, response: { 201: customFieldDef, ...errorResponses } },
    handler: async (req, reply) => {
      const row = await createCustomField(db, req.actor!, req.body);
      reply.code(201);
      return row;
    },
  });
  r.patch('/api/v1/custom-fields/:id', {
    schema: { tags, summary: 'Edit a custom field (admin)', params: idParams, body: customFieldUpdate, response: { 200: customFieldDef, ...errorResponses } },
    handler: async (req) => updateCustomField(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], req.body.version), req.body),
  });
  r.delete('/api/v1/custom-fields/:id', {
    schema: { tags, summary: 'Remove a custom field definition (admin)', params: idParams, response: { 200: customFieldDef, ...errorResponses } },
    handler: async (req) => deleteCustomField(db, req.actor!, req.params.id),
  });
}
