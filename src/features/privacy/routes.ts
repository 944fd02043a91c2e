import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { eraseContact, personalData } from './commands.ts';
import { toLongRows } from './rules.ts';

const row = z.record(z.string(), z.unknown());
const exportBody = z.object({
  exportedAt: z.string(),
  contact: row.describe('The contact record (custom fields separately, below)'),
  account: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  customFields: z.array(z.object({ key: z.string(), label: z.record(z.string(), z.string()), type: z.string(), value: z.unknown() })),
  consent: z.object({ consent: z.string(), doNotEmail: z.boolean(), source: z.string().nullable() }),
  interactions: z.array(row).describe('Interactions the contact took part in'),
  buyingCenterRoles: z.array(row),
  contactLinks: z.array(row).describe('Links to other contacts, by id only'),
  notes: z.array(row),
  tasks: z.array(row),
  audit: z.array(row).describe('Audit entries about the contact'),
});

export function privacyRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['privacy'];
  r.get('/api/v1/contacts/:id/personal-data', {
    schema: {
      tags,
      summary: 'Everything Accord holds about one contact, for a data-subject access request (admin or manager)',
      description:
        'format=json (default) answers the sections below; format=csv one file in long form (section, record_id, field, value). The export itself is audited (`export_personal_data`).',
      params: idParams,
      querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }).strict(),
      response: { 200: exportBody.or(z.string()), ...errorResponses },
    },
    handler: async (req, reply) => {
      const data = await personalData(db, req.actor!, req.params.id);
      if (req.query.format === 'csv') {
        const { exportedAt: _e, ...sections } = data;
        const csv = stringify(toLongRows(sections as Record<string, unknown>), { header: true, columns: [{ key: 'section' }, { key: 'recordId', header: 'record_id' }, { key: 'field' }, { key: 'value' }] });
        reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="contact-${req.params.id}-personal-data.csv"`);
        return reply.send(csv);
      }
      reply.header('content-disposition', `attachment; filename="contact-${req.params.id}-personal-data.json"`);
      return data;
    },
  });
  r.post('/api/v1/contacts/:id/erase', {
    schema: {
      tags,
      summary: "Erase a contact's personal data on request (admin or manager); cannot be undone",
      description:
        'Removes participations, buying-center roles and contact links; notes filed only under the contact; replaces the name, email and phone numbers wherever they are mentioned (notes, tasks, interactions, import errors, audit entries); leaves an anonymous deleted stub. The audit keeps an `erase` entry (who, when, which id). 409 when already erased.',
      params: idParams,
      body: z.object({ confirm: z.literal(true).describe('Must be true: erasure cannot be undone') }).strict(),
      response: { 200: z.object({ id: z.uuid(), erasedAt: z.string(), removed: z.record(z.string(), z.number()) }), ...errorResponses },
    },
    handler: async (req) => eraseContact(db, req.actor!, req.params.id),
  });
}
