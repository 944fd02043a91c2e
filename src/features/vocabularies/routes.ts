import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses } from '../../kernel/http-schemas.ts';
import type { Vocabulary } from './defaults.ts';
import { listVocabularies, upsertVocabTerm } from './commands.ts';
import { termKey, vocabTerm, vocabTermUpsert, vocabularyName } from './schemas.ts';

export function vocabularyRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { vocabulary: _v, ...termOut } = vocabTerm.shape;
  r.get('/api/v1/vocabularies', {
    schema: { tags: ['vocabularies'], summary: 'All vocabularies of the organization', response: { 200: z.object({ data: z.record(z.string(), z.array(z.object({ vocabulary: z.string(), ...termOut }))) }) } },
    handler: async (req) => ({ data: await listVocabularies(db, req.actor!.orgId) }),
  });
  r.put('/api/v1/vocabularies/:vocabulary/:key', {
    schema: {
      tags: ['vocabularies'],
      summary: 'Add or edit a term (admin). Deactivate instead of deleting: records keep their keys.',
      params: z.object({ vocabulary: vocabularyName, key: termKey }),
      body: vocabTermUpsert,
      response: { 200: vocabTerm.omit({}).passthrough(), ...errorResponses },
    },
    handler: async (req) => {
      const { orgId: _o, updatedAt: _u, ...row } = await upsertVocabTerm(db, req.actor!, req.params.vocabulary as Vocabulary, req.params.key, req.body);
      return row;
    },
  });
}
