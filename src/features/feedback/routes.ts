import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole, requireWriter } from '../../kernel/actor.ts';
import type { Db } from '../../kernel/db/index.ts';
import { badRequest } from '../../kernel/errors.ts';
import { errorResponses, idParams, listQuerySchema, listResponse } from '../../kernel/http-schemas.ts';
import { changeOrgSetting, readOrgSetting } from '../../kernel/org-settings.ts';
import { parseIfMatch } from '../../kernel/resource.ts';
import { answer, catchUp, setLabel, setWaiting, transition, type TransitionInput } from './commands.ts';
import { currentModel } from './model.ts';
import { board, slaFigures, transitionsOf } from './queries.ts';
import { feedbackResource } from './resource.ts';
import { hasBusinessTime } from './rules.ts';
import {
  answerBody, boardQuery, boardResponse, complaintTransition, feedbackCreate, feedbackRecord, feedbackUpdate, labelBody, modelStats, pauseBody, serviceSettingsBody,
  serviceSettingsResponse, slaQuery, slaResponse, transitionBody,
} from './schemas.ts';
import { SERVICE } from './settings.ts';

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
  r.get('/api/v1/sentiment/model', {
    schema: { tags, summary: "The organization's sentiment model: held-out accuracy next to the majority baseline", response: { 200: modelStats, ...errorResponses } },
    handler: async (req) => (await currentModel(db, req.actor!.orgId)).stats,
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
