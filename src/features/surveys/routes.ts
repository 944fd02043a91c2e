import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { requireRole } from '../../kernel/actor.ts';
import type { Db } from '../../kernel/db/index.ts';
import { badRequest } from '../../kernel/errors.ts';
import { errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { changeOrgSetting, readOrgSetting, type OrgSetting } from '../../kernel/org-settings.ts';
import { parseIfMatch } from '../../kernel/resource.ts';
import { accountResource } from '../accounts/resource.ts';
import { segmentAccountIds } from '../goals/segment-filter.ts';
import { DEFAULT_VOCABULARIES } from '../vocabularies/defaults.ts';
import { ITEM_BANK, listRecipients, listVersions, publicSurvey, reissueLinks, saveAnswer, sendSurvey, surveyResource, surveyResults } from './commands.ts';
import { accountEngagementCard, engagementAnalysis, NPS_BY, npsBreakdown } from './queries.ts';
import { engagementSettings, type EngagementSettings } from './rules.ts';
import * as S from './schemas.ts';

const ENGAGEMENT: OrgSetting<EngagementSettings, EngagementSettings & { version: number }> = {
  key: 'engagement',
  entity: 'engagement_settings',
  read: (raw) => engagementSettings(raw?.engagement),
  show: (v, version) => ({ ...v, version }),
};

/** The public answer page's API: reachable without credentials, only with a survey token, throttled per address. */
const PUBLIC = { public: true, rateLimit: { max: 120, timeWindow: '1 minute' } } as const;

export function surveyRoutes(app: FastifyInstance, db: Db) {
  surveyResource.routes(app, () => db);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['surveys'];

  r.get('/api/v1/surveys/:id/versions', {
    schema: { tags, summary: 'Versions of a survey, with their items and how many answers each has', params: idParams, response: { 200: z.object({ data: z.array(S.surveyVersion) }), ...errorResponses } },
    handler: async (req) => ({ data: await listVersions(db, req.actor!, req.params.id) }),
  });
  r.post('/api/v1/surveys/:id/recipients', {
    schema: {
      tags,
      summary: 'Create one link per chosen contact (manager or admin): by account, segment or contact; optionally only buying-center members or given roles',
      description: 'Returns each new link with its token — the only time it is shown (only its hash is stored). Contacts who already have a link are skipped.',
      params: idParams,
      body: S.sendBody,
      response: { 200: S.sendResult, ...errorResponses },
    },
    handler: async (req) => sendSurvey(db, req.actor!, req.params.id, req.body),
  });
  r.post('/api/v1/surveys/:id/links', {
    schema: {
      tags,
      summary: 'New tokens for links not yet completed (manager or admin), to copy or export them again; the old tokens stop working',
      params: idParams,
      body: S.reissueBody,
      response: { 200: z.object({ links: z.array(S.link) }), ...errorResponses },
    },
    handler: async (req) => reissueLinks(db, req.actor!, req.params.id, req.body),
  });
  r.get('/api/v1/surveys/:id/recipients', {
    schema: { tags, summary: 'Who got a link and how far they are (no tokens)', params: idParams, response: { 200: z.object({ data: z.array(S.recipient) }), ...errorResponses } },
    handler: async (req) => ({ data: await listRecipients(db, req.actor!, req.params.id) }),
  });
  r.get('/api/v1/surveys/:id/results', {
    schema: { tags, summary: 'Response counts, NPS, placements, level averages and the latest comments', params: idParams, response: { 200: S.surveyResults, ...errorResponses } },
    handler: async (req) => surveyResults(db, req.actor!, req.params.id),
  });

  r.get('/api/v1/survey-item-bank', {
    schema: { tags, summary: "The organization's item bank: the questions a new survey starts from", response: { 200: S.itemBank, ...errorResponses } },
    handler: async (req) => readOrgSetting(db, req.actor!.orgId, ITEM_BANK),
  });
  r.patch('/api/v1/survey-item-bank', {
    schema: { tags, summary: 'Edit the item bank (manager or admin; If-Match: "<version>")', body: S.itemBankPatch, response: { 200: S.itemBank, ...errorResponses } },
    handler: async (req) => {
      requireRole(req.actor!, 'admin', 'manager');
      return changeOrgSetting(db, req.actor!, ITEM_BANK, parseIfMatch(req.headers['if-match'], req.body.version), () => ({ items: req.body.items }));
    },
  });

  r.get('/api/v1/engagement/settings', {
    schema: { tags: ['engagement'], summary: 'Placement thresholds, role weights, minimum respondents, alert and link settings', response: { 200: S.engagementSettingsResponse, ...errorResponses } },
    handler: async (req) => readOrgSetting(db, req.actor!.orgId, ENGAGEMENT),
  });
  r.patch('/api/v1/engagement/settings', {
    schema: { tags: ['engagement'], summary: 'Change engagement settings (manager or admin; If-Match: "<version>"); they apply at the next recompute', body: S.engagementSettingsBody, response: { 200: S.engagementSettingsResponse, ...errorResponses } },
    handler: async (req) => {
      requireRole(req.actor!, 'admin', 'manager');
      const { version, ...patch } = req.body;
      if (patch.roleWeights) {
        // A weight for a role the organization does not have would never apply: say so instead of storing it.
        const { rows } = await db.execute(sql`select key from vocab_terms where org_id = ${req.actor!.orgId} and vocabulary = 'buying_role'`);
        const keys = (rows as { key: string }[]).map((r) => r.key);
        const roles = new Set([...(keys.length ? keys : DEFAULT_VOCABULARIES.buying_role.map((t) => t.key)), 'other']);
        const unknown = Object.keys(patch.roleWeights).filter((k) => !roles.has(k));
        if (unknown.length) throw badRequest(`Not a buying-center role: ${unknown.join(', ')}`, unknown.map((k) => ({ path: `roleWeights.${k}`, message: 'Not a buying-center role', code: 'invalid' })));
      }
      if (patch.agree !== undefined || patch.disagree !== undefined) {
        const cur = (await readOrgSetting(db, req.actor!.orgId, ENGAGEMENT)) as EngagementSettings;
        if ((patch.disagree ?? cur.disagree) >= (patch.agree ?? cur.agree)) {
          throw badRequest('disagree must be below agree', [{ path: 'disagree', message: 'Must be below agree', code: 'invalid' }]);
        }
      }
      return changeOrgSetting(db, req.actor!, ENGAGEMENT, parseIfMatch(req.headers['if-match'], version), (cur) => engagementSettings({ ...cur, ...patch, roleWeights: { ...cur.roleWeights, ...(patch.roleWeights ?? {}) } }));
    },
  });
  r.get('/api/v1/engagement', {
    schema: {
      tags: ['engagement'],
      summary: 'Accounts per engagement level and, per level, the index (level average ÷ organization average × 100) of share of wallet, revenue growth, order value and relationship growth',
      querystring: S.engagementQuery,
      response: { 200: S.engagementAnalysis, ...errorResponses },
    },
    handler: async (req) => {
      const seg = req.query.segmentId ? await segmentAccountIds(db, req.actor!.orgId, req.query.segmentId) : undefined;
      return engagementAnalysis(db, req.actor!.orgId, seg);
    },
  });
  r.get('/api/v1/engagement/nps', {
    schema: {
      tags: ['engagement'],
      summary: 'NPS with counts by need type, portfolio type or owner (latest answer per respondent), or by month (every answer, last 24 months)',
      querystring: z.object({ by: z.enum(NPS_BY) }).strict(),
      response: { 200: z.object({ data: z.array(S.npsRow) }), ...errorResponses },
    },
    handler: async (req) => ({ data: await npsBreakdown(db, req.actor!.orgId, req.query.by) }),
  });
  r.get('/api/v1/accounts/:id/engagement', {
    schema: { tags: ['engagement'], summary: "An account's engagement level, NPS, trend and latest answers", params: idParams, response: { 200: S.accountEngagement, ...errorResponses } },
    handler: async (req) => {
      await accountResource.get(db, req.actor!, req.params.id);
      return accountEngagementCard(db, req.actor!.orgId, req.params.id);
    },
  });

  // ── Public: the answer page (/s/<token>) ─────────────────────────────────
  r.get('/api/v1/public/surveys/:token', {
    config: PUBLIC,
    schema: {
      tags: ['public'],
      summary: 'The questionnaire a survey link asks, in every language, with what was answered so far (no credentials: the token is the key)',
      description: 'Unknown or malformed token: 404. Expired link or closed survey: 410. Nothing else of the organization is returned.',
      security: [],
      params: S.tokenParams,
      response: { 200: S.publicSurvey, ...errorResponses, 410: errorResponses[404] },
    },
    handler: async (req) => publicSurvey(db, req.params.token),
  });
  r.put('/api/v1/public/surveys/:token/answer', {
    config: PUBLIC,
    schema: {
      tags: ['public'],
      summary: 'Save answers so far, or complete them (`complete: true`); a completed answer is final and sending it again changes nothing',
      security: [],
      params: S.tokenParams,
      body: S.publicAnswer,
      response: { 200: S.publicAnswerResult, ...errorResponses, 410: errorResponses[404] },
    },
    handler: async (req) => saveAnswer(db, req.params.token, req.body),
  });
}
