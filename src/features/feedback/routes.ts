import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole, requireWriter } from '../../kernel/actor.ts';
import type { Db } from '../../kernel/db/index.ts';
import { badRequest, conflict, notFound } from '../../kernel/errors.ts';
import { errorResponses, idParams, listQuerySchema, listResponse } from '../../kernel/http-schemas.ts';
import { changeOrgSetting, readOrgSetting } from '../../kernel/org-settings.ts';
import { parseIfMatch } from '../../kernel/resource.ts';
import { answer, catchUp, setLabel, setWaiting, transition, type TransitionInput } from './commands.ts';
import { accountResource } from '../accounts/resource.ts';
import { accountHandling, handlingOverview } from './handling.ts';
import { currentModel } from './model.ts';
import { board, complaintCalendar, complaintsByEngagement, slaFigures, transitionsOf } from './queries.ts';
import { feedbackResource } from './resource.ts';
import { hasBusinessTime } from './rules.ts';
import {
  accountHandlingResponse, handlingOverviewResponse, answerBody, boardQuery, calendarQuery, calendarResponse, engagementComplaints, boardResponse, complaintTransition, feedbackCreate, feedbackRecord, feedbackUpdate, labelBody, modelStats, pauseBody, productVoiceQuery,
  productVoiceResponse, serviceSettingsBody, serviceSettingsResponse, slaQuery, slaResponse, transitionBody, voiceQuery, voiceResponse, womListQuery, womPoint,
  womPointCreate, womPointUpdate, womTagsBody,
} from './schemas.ts';
import { SERVICE } from './settings.ts';
import { surveyAnswersToFeedback } from './survey-feedback.ts';
import { productMonths, voiceByProduct } from './voice.ts';
import { confirmTags, createPoint, listPoints, pointStats, retirePoint, updatePoint } from './wom.ts';


const tags = ['feedback'];
// Typed loosely like the kernel's resource routes: rows are checked against the schema when serialized.
const rec: z.ZodType = feedbackRecord;

/**
 * Feedback has no DELETE: what a customer said is never dropped, and a complaint is closed with a reason.
 * Reads catch up first (sentiment of imported rows, deadlines of bulk-written complaints, the SLA sweep).
 */
export function feedbackRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const res = feedbackResource;

  r.get('/api/v1/feedback', {
    schema: { tags, summary: 'List feedback (every channel)', description: `Filterable fields: ${Object.keys(res.cfg.fields).join(', ')}.`, querystring: listQuerySchema, response: { 200: listResponse(rec), ...errorResponses } },
    handler: async (req) => {
      await catchUp(db, req.actor!.orgId);
      return res.list(db, req.actor!, req.query as Record<string, string | string[] | undefined>);
    },
  });
  r.get('/api/v1/feedback/:id', {
    schema: { tags, summary: 'Get one feedback (with its complaint workflow or answer)', params: idParams, response: { 200: rec, ...errorResponses } },
    handler: async (req, reply) => {
      await catchUp(db, req.actor!.orgId);
      const [row] = await res.present(db, req.actor!, [await res.get(db, req.actor!, req.params.id)]);
      reply.header('etag', `"${row!.version}"`);
      return row;
    },
  });
  r.post('/api/v1/feedback', {
    schema: { tags, summary: 'Log feedback; a complaint or public attack starts the complaint workflow with its deadlines', body: feedbackCreate, response: { 201: rec, ...errorResponses } },
    handler: async (req, reply) => {
      const row = await res.create(db, req.actor!, req.body as Record<string, unknown>);
      reply.code(201).header('etag', `"${row.version}"`);
      return row;
    },
  });
  r.patch('/api/v1/feedback/:id', {
    schema: { tags, summary: 'Edit feedback (send If-Match or version)', params: idParams, body: feedbackUpdate, response: { 200: rec, ...errorResponses } },
    handler: async (req, reply) => {
      const body = req.body as Record<string, unknown>;
      const row = await res.update(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], body.version), body);
      reply.header('etag', `"${row.version}"`);
      return row;
    },
  });

  // Answered, never done: what a customer said stays (a complaint is closed with a reason instead).
  r.delete('/api/v1/feedback/:id', {
    schema: { tags, summary: 'Refused: feedback is never deleted (close a complaint with a reason)', params: idParams, response: { ...errorResponses } },
    handler: async (req) => {
      requireWriter(req.actor!);
      const row = await res.get(db, req.actor!, req.params.id);
      await res.assertCanEdit(db, req.actor!, row);
      const message = row.status ? 'A complaint is never deleted: close it with a reason' : 'Feedback is never deleted: what a customer said stays on record';
      throw badRequest(message, [{ path: 'id', message, code: 'not_deletable' }]);
    },
  });
  r.post('/api/v1/feedback/:id/transition', {
    schema: { tags, summary: 'Move a complaint to its next ISO 10002 step (assess with severity and impact; reject or close with a reason)', params: idParams, body: transitionBody, response: { 200: rec, ...errorResponses } },
    handler: async (req) => {
      const b = req.body;
      return transition(db, req.actor!, req.params.id, { ...b, version: parseIfMatch(req.headers['if-match'], b.version) } as TransitionInput);
    },
  });
  r.post('/api/v1/feedback/:id/waiting', {
    schema: { tags, summary: 'Waiting for the customer (stops the complaint clock) or not any more', params: idParams, body: pauseBody, response: { 200: rec, ...errorResponses } },
    handler: async (req) => setWaiting(db, req.actor!, req.params.id, req.body.waiting, parseIfMatch(req.headers['if-match'], req.body.version), req.body.note),
  });
  r.post('/api/v1/feedback/:id/label', {
    schema: { tags, summary: 'Correct the sentiment (null takes the correction back); the model retrains on it', params: idParams, body: labelBody, response: { 200: rec, ...errorResponses } },
    handler: async (req) => setLabel(db, req.actor!, req.params.id, req.body.label, parseIfMatch(req.headers['if-match'], req.body.version)),
  });
  r.post('/api/v1/feedback/:id/answer', {
    schema: { tags, summary: 'Answer a service question with at least two suggestions, in priority order', params: idParams, body: answerBody, response: { 200: rec, ...errorResponses } },
    handler: async (req) => answer(db, req.actor!, req.params.id, { ...req.body, version: parseIfMatch(req.headers['if-match'], req.body.version) }),
  });
  r.get('/api/v1/feedback/:id/transitions', {
    schema: { tags, summary: "A complaint's steps, oldest first", params: idParams, response: { 200: z.object({ data: z.array(complaintTransition) }), ...errorResponses } },
    handler: async (req) => {
      await res.get(db, req.actor!, req.params.id);
      return { data: await transitionsOf(db, req.actor!.orgId, req.params.id) };
    },
  });

  r.get('/api/v1/complaints/board', {
    schema: { tags, summary: 'Complaints by status, overdue first', querystring: boardQuery, response: { 200: boardResponse, ...errorResponses } },
    handler: async (req) => {
      await catchUp(db, req.actor!.orgId);
      return board(db, req.actor!, { accountId: req.query.accountId, open: req.query.open === 'true', limit: req.query.limit });
    },
  });
  r.get('/api/v1/complaints/sla', {
    schema: { tags, summary: 'SLA figures per month: on-time %, median business hours to first response and to resolution (manager, admin)', querystring: slaQuery, response: { 200: slaResponse, ...errorResponses } },
    handler: async (req) => {
      requireRole(req.actor!, 'manager', 'admin');
      await catchUp(db, req.actor!.orgId);
      return slaFigures(db, req.actor!.orgId, req.query.months ?? 6);
    },
  });
  r.get('/api/v1/complaints/calendar', {
    schema: { tags, summary: 'Complaints due in a month, by local due date (organization time)', querystring: calendarQuery, response: { 200: calendarResponse, ...errorResponses } },
    handler: async (req) => {
      await catchUp(db, req.actor!.orgId);
      return complaintCalendar(db, req.actor!, req.query.month);
    },
  });
  r.get('/api/v1/complaints/by-engagement', {
    schema: { tags, summary: "Complaints, their handling and sentiment per engagement level of the accounts (integrity: problems resolved)", response: { 200: engagementComplaints, ...errorResponses } },
    handler: async (req) => {
      await catchUp(db, req.actor!.orgId);
      return complaintsByEngagement(db, req.actor!.orgId);
    },
  });
  r.get('/api/v1/accounts/:id/complaint-handling', {
    schema: {
      tags, summary: "An account's problems resolved, derived from its complaints (on time, late, rejected, open overdue) beside its survey level",
      description: 'Complaints received in the last 12 months and every open one; the level by rules.ts complaintHandling (docs/feedback.md). A derived signal: the survey score is not changed by it.',
      params: idParams, response: { 200: accountHandlingResponse, ...errorResponses },
    },
    handler: async (req) => {
      await accountResource.get(db, req.actor!, req.params.id);
      await catchUp(db, req.actor!.orgId);
      return accountHandling(db, req.actor!.orgId, req.params.id);
    },
  });
  r.get('/api/v1/complaints/handling', {
    schema: {
      tags, summary: 'Accounts per survey engagement level × problems resolved (derived from complaints), the accounts where the two disagree, key accounts with open overdue complaints',
      response: { 200: handlingOverviewResponse, ...errorResponses },
    },
    handler: async (req) => {
      await catchUp(db, req.actor!.orgId);
      return handlingOverview(db, req.actor!.orgId);
    },
  });
  r.get('/api/v1/sentiment/model', {
    schema: { tags, summary: "The organization's sentiment model: held-out accuracy next to the majority baseline", response: { 200: modelStats, ...errorResponses } },
    handler: async (req) => (await currentModel(db, req.actor!.orgId)).stats,
  });

  // ── Products and word-of-mouth points ──
  r.get('/api/v1/feedback/by-product', {
    schema: { tags, summary: 'Praise, complaints and sentiment per product or per product line', querystring: voiceQuery, response: { 200: voiceResponse, ...errorResponses } },
    handler: async (req) => {
      await catchUp(db, req.actor!.orgId);
      return voiceByProduct(db, req.actor!.orgId, req.query);
    },
  });
  r.get('/api/v1/products/:id/voice', {
    schema: { tags, summary: "A product's voice of the customer: feedback per month, and its word-of-mouth points with praise vs criticism over time and top quotes", params: idParams, querystring: productVoiceQuery, response: { 200: productVoiceResponse, ...errorResponses } },
    handler: async (req) => {
      const org = req.actor!.orgId;
      const found = ((await db.execute(sql`select product_line as line from products where org_id = ${org} and id = ${req.params.id} and deleted_at is null`)) as unknown as { rows: { line: string | null }[] }).rows[0];
      if (!found) throw notFound('Product');
      await catchUp(db, org);
      const months = req.query.months ?? 12;
      const m = await productMonths(db, org, req.params.id, months);
      return { productId: req.params.id, productLine: found.line, ...m, points: await pointStats(db, org, req.params.id, months) };
    },
  });
  r.get('/api/v1/wom-points', {
    schema: { tags, summary: 'Word-of-mouth points (of a product: its own and its product line\'s)', querystring: womListQuery, response: { 200: z.object({ data: z.array(womPoint) }), ...errorResponses } },
    handler: async (req) => ({ data: await listPoints(db, req.actor!.orgId, req.query) }),
  });
  r.post('/api/v1/wom-points', {
    schema: { tags, summary: 'Name a word-of-mouth point of a product or product line (at most three each; manager, admin)', body: womPointCreate, response: { 201: womPoint, ...errorResponses } },
    handler: async (req, reply) => {
      const p = await createPoint(db, req.actor!, req.body);
      reply.code(201).header('etag', `"${p.version}"`);
      return p;
    },
  });
  r.patch('/api/v1/wom-points/:id', {
    schema: { tags, summary: 'Rename a point or change its keywords (suggestions are made again; manager, admin)', params: idParams, body: womPointUpdate, response: { 200: womPoint, ...errorResponses } },
    handler: async (req) => updatePoint(db, req.actor!, req.params.id, { ...req.body, version: parseIfMatch(req.headers['if-match'], req.body.version) }),
  });
  r.delete('/api/v1/wom-points/:id', {
    schema: { tags, summary: 'Retire a point (frees its slot; its tags stay on record; manager, admin)', params: idParams, response: { 204: z.null(), ...errorResponses } },
    handler: async (req, reply) => {
      await retirePoint(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], undefined));
      reply.code(204);
      return null;
    },
  });
  r.post('/api/v1/feedback/:id/wom', {
    schema: { tags, summary: 'Confirm which word-of-mouth points a feedback mentions and how (praise, criticism); the other suggestions are rejected', params: idParams, body: womTagsBody, response: { 200: rec, ...errorResponses } },
    handler: async (req) => {
      const actor = req.actor!;
      requireWriter(actor);
      return db.transaction(async (tx) => {
        const row = await res.get(tx, actor, req.params.id, { forUpdate: true });
        await res.assertCanEdit(tx, actor, row);
        const version = parseIfMatch(req.headers['if-match'], req.body.version);
        if (version !== undefined && version !== row.version) {
          const [current] = await res.present(tx, actor, [row]);
          throw conflict(`This feedback was changed by someone else (you edited version ${version}, it is now ${row.version})`, current);
        }
        await confirmTags(tx, actor, row.id, req.body.tags);
        return (await res.present(tx, actor, [row]))[0]!;
      });
    },
  });
  r.post('/api/v1/feedback/from-surveys', {
    schema: { tags, summary: 'Turn the free text of completed survey answers into feedback (channel survey), once each (manager, admin)', response: { 200: z.object({ created: z.number().int() }), ...errorResponses } },
    handler: async (req) => {
      requireRole(req.actor!, 'manager', 'admin');
      return { created: await surveyAnswersToFeedback(db, req.actor!.orgId) };
    },
  });

  r.get('/api/v1/settings/service', {
    schema: { tags, summary: 'Service calendar (business hours, holidays) and complaint deadlines', response: { 200: serviceSettingsResponse, ...errorResponses } },
    handler: async (req) => readOrgSetting(db, req.actor!.orgId, SERVICE),
  });
  r.put('/api/v1/settings/service', {
    schema: { tags, summary: 'Change the service calendar and deadlines (admin; send the version you read)', body: serviceSettingsBody, response: { 200: serviceSettingsResponse, ...errorResponses } },
    handler: async (req) => {
      requireRole(req.actor!, 'admin');
      const { version, ...next } = req.body;
      const bad = next.week.findIndex((w) => w !== null && w[1] <= w[0]);
      if (bad >= 0) throw badRequest('A day closes after it opens', [{ path: `week.${bad}`, message: 'Closing time must be after opening time' }]);
      if (!hasBusinessTime(next)) throw badRequest('The week needs business hours', [{ path: 'week', message: 'At least one day must be open' }]);
      const invalid = next.holidays.findIndex((d) => Number.isNaN(Date.parse(`${d}T00:00:00Z`)) || new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d);
      if (invalid >= 0) throw badRequest('Not a real date', [{ path: `holidays.${invalid}`, message: 'Not a real calendar date' }]);
      return changeOrgSetting(db, req.actor!, SERVICE, parseIfMatch(req.headers['if-match'], version), () => ({ ...next, holidays: [...new Set(next.holidays)].sort() }));
    },
  });
}
