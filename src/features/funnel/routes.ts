import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../kernel/db/index.ts';
import { badRequest } from '../../kernel/errors.ts';
import { errorResponses, idParams, isoDate } from '../../kernel/http-schemas.ts';
import { segmentAccountIds } from '../goals/segment-filter.ts';
import { periodContaining } from '../goals/rules.ts';
import { acknowledgeAlert, alert, listAlerts } from './alerts.ts';
import { accountWallet, acquisitionFunnel, orgWallet, statusHistory } from './queries.ts';
import { accountWalletLines, orgWalletLines, putLineDemand } from './lines.ts';
import { parseIfMatch } from '../../kernel/resource.ts';
import * as S from './schemas.ts';

const tags = ['funnel'];

export function funnelRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/funnel/acquisition', {
    schema: {
      tags,
      summary: 'Acquisition funnel (0 → 1): accounts per stage, conversion, median days per stage, won and lost (where and why)',
      description: 'from/to are inclusive days (default: this month). Optional segmentId, team or userId (deal owner).',
      querystring: z.object({
        from: isoDate.optional(), to: isoDate.optional(), segmentId: z.uuid().optional(), team: z.string().max(100).optional(), userId: z.uuid().optional(),
        productLine: z.string().min(1).max(63).optional().describe('Only deals with a line of this product line (the double funnel per line)'),
      }).strict(),
      response: { 200: S.acquisitionFunnel, ...errorResponses },
    },
    handler: async (req) => {
      const month = periodContaining('month', new Date().toISOString().slice(0, 10));
      const from = req.query.from ?? month.start;
      const to = req.query.to ?? (req.query.from ? new Date().toISOString().slice(0, 10) : month.end);
      if (from > to) throw badRequest('from must not be after to', [{ path: 'to', message: 'Before from' }]);
      const segment = req.query.segmentId ? await segmentAccountIds(db, req.actor!.orgId, req.query.segmentId) : null;
      return acquisitionFunnel(db, req.actor!, { segment, team: req.query.team, userId: req.query.userId, productLine: req.query.productLine }, { from, to });
    },
  });
  r.get('/api/v1/funnel/wallet', {
    schema: {
      tags,
      summary: 'Account-growth funnel (1 → N): share-of-wallet distribution and the biggest gaps, last 12 months, in the base currency',
      querystring: z.object({ segmentId: z.uuid().optional(), ownerId: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(200).optional() }).strict(),
      response: { 200: S.orgWallet, ...errorResponses },
    },
    handler: async (req) => {
      const segment = req.query.segmentId ? await segmentAccountIds(db, req.actor!.orgId, req.query.segmentId) : null;
      return orgWallet(db, req.actor!, { segment, ownerId: req.query.ownerId, limit: req.query.limit });
    },
  });
  r.get('/api/v1/funnel/wallet/lines', {
    schema: {
      tags,
      summary: 'Share of wallet per product line: buyers, bought (order lines, last 12 months, base currency) and the share where the demand for the line is known',
      description: 'A line whose demand is not entered for an account counts under `unknown` (its purchases, no share): nothing is estimated. Orders without lines are under `withoutLines`.',
      querystring: z.object({ segmentId: z.uuid().optional(), ownerId: z.uuid().optional() }).strict(),
      response: { 200: S.orgWalletLines, ...errorResponses },
    },
    handler: async (req) => {
      const segment = req.query.segmentId ? await segmentAccountIds(db, req.actor!.orgId, req.query.segmentId) : null;
      return orgWalletLines(db, req.actor!, { segment, ownerId: req.query.ownerId });
    },
  });
  r.get('/api/v1/accounts/:id/wallet/lines', {
    schema: {
      tags,
      summary: 'One account\'s share of wallet per product line (last 12 months): bought against the demand entered for each line',
      params: idParams,
      response: { 200: S.accountWalletLines, ...errorResponses },
    },
    handler: async (req) => accountWalletLines(db, req.actor!, req.params.id),
  });
  r.put('/api/v1/accounts/:id/line-demand', {
    schema: {
      tags,
      summary: 'Replace an account\'s annual demand per product line (a versioned change of the account: If-Match or version)',
      params: idParams,
      body: S.lineDemandInput,
      response: { 200: S.accountWalletLines, ...errorResponses },
    },
    handler: async (req) => {
      const { version, ...rest } = req.body;
      return putLineDemand(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], version), rest);
    },
  });
  r.get('/api/v1/accounts/:id/wallet', {
    schema: {
      tags,
      summary: 'Share of wallet of one account per year or quarter, its trend and the gap in money',
      params: idParams,
      querystring: z.object({ by: z.enum(['year', 'quarter']).default('quarter'), periods: z.coerce.number().int().min(1).max(20).default(8) }).strict(),
      response: { 200: S.accountWallet, ...errorResponses },
    },
    handler: async (req) => accountWallet(db, req.actor!, req.params.id, req.query.by, req.query.periods),
  });
  r.get('/api/v1/accounts/:id/status-history', {
    schema: { tags, summary: 'Supplier status and relationship depth over time', params: idParams, response: { 200: S.statusHistory, ...errorResponses } },
    handler: async (req) => statusHistory(db, req.actor!, req.params.id),
  });
  r.get('/api/v1/alerts', {
    schema: {
      tags: ['alerts'],
      summary: 'Alerts, newest first (reps: their own and their team’s accounts)',
      querystring: z.object({
        open: z.enum(['true', 'false']).optional().describe('true: only unacknowledged'),
        accountId: z.uuid().optional(),
        kind: z.string().max(63).optional(),
        limit: z.coerce.number().int().min(1).max(500).optional(),
      }).strict(),
      response: { 200: z.object({ data: z.array(alert) }), ...errorResponses },
    },
    handler: async (req) => ({ data: await listAlerts(db, req.actor!, { ...req.query, open: req.query.open === 'true' }) }),
  });
  r.post('/api/v1/alerts/:id/ack', {
    schema: { tags: ['alerts'], summary: 'Acknowledge an alert', params: idParams, response: { 200: alert, ...errorResponses } },
    handler: async (req) => acknowledgeAlert(db, req.actor!, req.params.id),
  });
}
