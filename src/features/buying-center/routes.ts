import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../kernel/actor.ts';
import type { Database, Db } from '../../kernel/db/index.ts';
import { badRequest, notFound } from '../../kernel/errors.ts';
import { errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { parseIfMatch } from '../../kernel/resource.ts';
import { contacts, vocabTerms } from '../../db/schema/index.ts';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { addMember, createLink, executeHandover, removeLink, removeMember, updateLink, updateMember } from './commands.ts';
import { dependenceReport, getAccountBuyingCenter, getBuyingCenter, handoverPreview, loadLinks, recomputeCoverage } from './queries.ts';
import { ROLE_WEIGHTS } from './rules.ts';
import {
  accountBuyingCenter, buyingCenter, contactLink, coverage, dependenceQuery, dependenceReport as dependenceReportSchema, handoverExecute,
  handoverPackage, handoverQuery, handoverResult, linkCreate, linkUpdate, member, memberCreate, memberUpdate, roleInfo,
} from './schemas.ts';

const tags = ['buying-center'];
const reachQuery = z.object({ reachDays: z.coerce.number().int().min(1).max(3650).optional().describe('Members not reached for more than this many days are a gap (default: organization setting, else 30)') });

export function buyingCenterRoutes(app: FastifyInstance, db: Db, database: Database) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/buying-center/roles', {
    schema: { tags, summary: 'The organization’s buying roles (vocabulary buying_role) and how much a missing holder weighs per buying situation', response: { 200: z.object({ data: z.array(roleInfo) }) } },
    handler: async (req) => {
      const terms = await db.select({ key: vocabTerms.key, label: vocabTerms.label, active: vocabTerms.active }).from(vocabTerms)
        .where(and(eq(vocabTerms.orgId, req.actor!.orgId), eq(vocabTerms.vocabulary, 'buying_role'))).orderBy(asc(vocabTerms.position), asc(vocabTerms.key));
      return { data: terms.map((t) => ({ ...t, weights: [...(ROLE_WEIGHTS[t.key] ?? [0, 0, 0])] })) };
    },
  });

  r.get('/api/v1/opportunities/:id/buying-center', {
    schema: { tags, summary: 'Buying center of a deal: members, coverage score and gaps, communication matrix, links among members', params: idParams, querystring: reachQuery, response: { 200: buyingCenter, ...errorResponses } },
    handler: async (req) => getBuyingCenter(db, req.actor!.orgId, req.params.id, req.query.reachDays),
  });

  r.get('/api/v1/opportunities/:id/coverage', {
    schema: { tags, summary: 'Coverage analysis of a deal: score 0–100 and gaps with reasons and suggested actions', params: idParams, querystring: reachQuery, response: { 200: coverage, ...errorResponses } },
    handler: async (req) => (await getBuyingCenter(db, req.actor!.orgId, req.params.id, req.query.reachDays)).coverage,
  });

  r.post('/api/v1/opportunities/:id/buying-center/members', {
    schema: { tags, summary: 'Add a contact to a deal’s buying center with roles, influence, attitude and our covering users', params: idParams, body: memberCreate, response: { 201: member, ...errorResponses } },
    handler: async (req, reply) => {
      const m = await addMember(db, req.actor!, req.params.id, req.body);
      reply.code(201).header('etag', `"${m.version}"`);
      return m;
    },
  });

  r.patch('/api/v1/buying-center/members/:id', {
    schema: {
      tags, summary: 'Edit a member: roles, influence, attitude, note, covering users (the list replaces the current one)',
      description: 'Send the version you edited as `If-Match: "<version>"` (or `version` in the body).',
      params: idParams, body: memberUpdate, response: { 200: member, ...errorResponses },
    },
    handler: async (req, reply) => {
      const m = await updateMember(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], req.body.version), req.body);
      reply.header('etag', `"${m.version}"`);
      return m;
    },
  });

  r.delete('/api/v1/buying-center/members/:id', {
    schema: { tags, summary: 'Remove a member from the buying center', params: idParams, response: { 200: member, ...errorResponses } },
    handler: async (req) => removeMember(db, req.actor!, req.params.id),
  });

  r.get('/api/v1/accounts/:id/buying-center', {
    schema: { tags, summary: 'Account view: the buying centers of its open deals merged per contact, with the departments × roles matrix', params: idParams, response: { 200: accountBuyingCenter, ...errorResponses } },
    handler: async (req) => getAccountBuyingCenter(db, req.actor!.orgId, req.params.id),
  });

  r.get('/api/v1/contacts/:id/network', {
    schema: { tags, summary: 'Typed links of a contact, both directions, also across accounts', params: idParams, response: { 200: z.object({ data: z.array(contactLink) }), ...errorResponses } },
    handler: async (req) => {
      const [c] = await db.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.orgId, req.actor!.orgId), eq(contacts.id, req.params.id), isNull(contacts.deletedAt)));
      if (!c) throw notFound('Contact');
      return { data: await loadLinks(db, req.actor!.orgId, { contactIds: [req.params.id] }) };
    },
  });

  r.post('/api/v1/contact-links', {
    schema: { tags, summary: 'Link two contacts (colleague, reports to, former colleague, same association, friend, referred by…)', body: linkCreate, response: { 201: contactLink, ...errorResponses } },
    handler: async (req, reply) => {
      const l = await createLink(db, req.actor!, req.body);
      reply.code(201);
      return l;
    },
  });

  r.patch('/api/v1/contact-links/:id', {
    schema: { tags, summary: 'Edit a contact link (type, strength, note)', params: idParams, body: linkUpdate, response: { 200: contactLink, ...errorResponses } },
    handler: async (req) => updateLink(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], req.body.version), req.body),
  });

  r.delete('/api/v1/contact-links/:id', {
    schema: { tags, summary: 'Remove a contact link', params: idParams, response: { 200: contactLink, ...errorResponses } },
    handler: async (req) => removeLink(db, req.actor!, req.params.id),
  });

  r.get('/api/v1/relationship-risk/dependence', {
    schema: {
      tags, summary: 'Key-person dependence: accounts ranked by how much of the relationship runs through one of our users, and per user what is at risk if they leave (managers)',
      querystring: dependenceQuery, response: { 200: dependenceReportSchema, ...errorResponses },
    },
    handler: async (req) => {
      requireRole(req.actor!, 'admin', 'manager');
      return dependenceReport(db, req.actor!.orgId, req.query);
    },
  });

  r.get('/api/v1/relationship-risk/handover', {
    schema: { tags, summary: 'Handover package of a user: per account the contacts they cover, open deals, open tasks, promises and last interactions (managers)', querystring: handoverQuery, response: { 200: handoverPackage, ...errorResponses } },
    handler: async (req) => {
      requireRole(req.actor!, 'admin', 'manager');
      const ids = req.query.accountIds?.split(',').map((s) => s.trim()).filter(Boolean);
      const parsed = ids ? z.array(z.uuid({ error: 'Not a valid id' })).safeParse(ids) : null;
      if (parsed && !parsed.success) {
        throw badRequest('accountIds: not valid ids', [{ path: 'accountIds', message: 'Not a valid id' }]);
      }
      return handoverPreview(db, req.actor!.orgId, req.query.fromUserId, ids);
    },
  });

  r.post('/api/v1/relationship-risk/handover', {
    schema: {
      tags, summary: 'Hand a user’s accounts (all, or the ones listed) to another user in one audited step: ownership of accounts, open deals, open tasks and contacts, and buying-center coverage (managers)',
      body: handoverExecute, response: { 200: handoverResult, ...errorResponses },
    },
    handler: async (req) => executeHandover(db, req.actor!, req.body),
  });

  r.post('/api/v1/buying-center/recompute', {
    schema: { tags, summary: 'Recompute every deal’s coverage score (managers)', response: { 200: z.object({ updated: z.number().int() }), ...errorResponses } },
    handler: async (req) => {
      requireRole(req.actor!, 'admin', 'manager');
      return recomputeCoverage(database, req.actor!.orgId);
    },
  });
}
