import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { accounts, interactions, organizations } from '../../db/schema/index.ts';
import { requireRole } from '../../kernel/actor.ts';
import type { Database } from '../../kernel/db/index.ts';
import { badRequest, notFound } from '../../kernel/errors.ts';
import { changeOrgSetting, readOrgSetting, type OrgSetting } from '../../kernel/org-settings.ts';
import { parseIfMatch } from '../../kernel/resource.ts';
import { errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { activeVocabKeys } from '../../kernel/vocab.ts';
import { trackJob } from '../../kernel/jobs.ts';
import { segmentFilters } from '../segments/resource.ts';
import { computeProfile, loadContext, recompute } from './commands.ts';
import { promptRescorer, SCORED_WRITES } from './prompt.ts';
import { accountComponents, currentModel, type Q } from './queries.ts';
import {
  axesThatCannotSeparate, changeSettings, DEFAULT_SETTINGS, evaluationSettings, investmentPosture, percentages, type EvaluationSettings, POSTURE_TEXT, PROFITABILITY_BY_ORIENTATION, PROFITABILITY_UNKNOWN, profileWeights, suggestNeedTypes, type PortfolioType, type Profile,
} from './rules.ts';
import {
  accountFitResponse, modelResponse, portfolioQuery, portfolioResponse, profileResponse, recomputeResponse, settingsPatch, settingsResponse, type ModelResponse, type SettingsResponse,
} from './schemas.ts';

const tags = ['evaluation'];

/** Settings as the API shows them: each axis's weights as percentages of their sum. */
const shown = (s: EvaluationSettings): EvaluationSettings => ({
  ...s, attractivenessWeights: percentages(s.attractivenessWeights), relationshipWeights: percentages(s.relationshipWeights),
});
const DEFAULTS = shown(DEFAULT_SETTINGS);

/** The organization's evaluation settings, versioned (see kernel/org-settings.ts). */
const SETTINGS: OrgSetting<EvaluationSettings, SettingsResponse> = {
  key: 'evaluation',
  entity: 'evaluation_settings',
  read: (raw) => shown(evaluationSettings(raw)),
  show: (settings, version) => ({ settings, defaults: DEFAULTS, version }),
};

export function evaluationRoutes(app: FastifyInstance, database: Database) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = database.db;
  const q: Q = database;

  r.get('/api/v1/evaluation/profile', {
    schema: {
      tags,
      summary: 'The ideal customer profile: per attribute value, its share among won accounts against the whole base (lift)',
      response: { 200: profileResponse, ...errorResponses },
    },
    handler: async (req) => {
      const orgId = req.actor!.orgId;
      const stored = await currentModel(q, orgId, ['icp']);
      // Before the first recompute the profile is still worth showing: derive it on the fly.
      const profile = (stored?.model as Profile | undefined) ?? (await computeProfile(q, orgId, (await loadContext(q, orgId)).customKeys));
      return {
        trainedAt: stored?.trainedAt ?? null,
        wonAccounts: profile.wonAccounts,
        baseAccounts: profile.baseAccounts,
        // Profiles stored before the separation test carry neither flag: they are shown as they were.
        separates: profile.separates ?? true,
        statement: profile.statement ?? null,
        attributes: profile.attributes.map((a) => ({
          attribute: a.attribute,
          entries: a.entries.map(({ attribute: _a, ...e }) => ({ ...e, z: e.z ?? null, separates: e.separates ?? Math.abs(e.weight) > 1e-9 })),
        })),
      };
    },
  });

  r.post('/api/v1/evaluation/recompute', {
    schema: {
      tags,
      summary: 'Recompute profile, fit, tier, buying stage, portfolio type and win probabilities now (manager or admin)',
      response: { 200: recomputeResponse, ...errorResponses },
    },
    handler: async (req) => {
      requireRole(req.actor!, 'manager', 'admin');
      return trackJob(database, req.actor!.orgId, 'recompute', () => recompute(database, req.actor!.orgId));
    },
  });

  r.get('/api/v1/evaluation/settings', {
    schema: { tags, summary: 'Portfolio thresholds, axis weights, tier cuts and win-model settings of the organization', response: { 200: settingsResponse, ...errorResponses } },
    handler: async (req) => readOrgSetting(db, req.actor!.orgId, SETTINGS),
  });

  r.patch('/api/v1/evaluation/settings', {
    schema: {
      tags,
      summary: 'Change evaluation settings (manager or admin; If-Match: "<version>"); they take effect at the next recompute',
      body: settingsPatch,
      response: { 200: settingsResponse, ...errorResponses },
    },
    handler: async (req) => {
      const actor = req.actor!;
      requireRole(actor, 'manager', 'admin');
      const { version: bodyVersion, ...change } = req.body;
      return changeOrgSetting(db, actor, SETTINGS, parseIfMatch(req.headers['if-match'], bodyVersion), (current) => {
        const { settings, problems } = changeSettings(current, change);
        if (problems.length) throw badRequest('These settings do not fit together', problems.map((p) => ({ ...p, code: 'invalid' })));
        return settings;
      });
    },
  });

  r.get('/api/v1/evaluation/model', {
    schema: { tags, summary: 'The current win-probability model and its calibration on held-out deals', response: { 200: modelResponse, ...errorResponses } },
    handler: async (req): Promise<ModelResponse> => {
      const m = await currentModel(q, req.actor!.orgId, ['win_logistic', 'win_stage_base']);
      const metrics = (m?.metrics ?? {}) as Record<string, unknown>;
      const model = (m?.model ?? {}) as Record<string, unknown>;
      const n = (k: string) => (typeof metrics[k] === 'number' ? (metrics[k] as number) : 0);
      return {
        kind: (m?.kind as ModelResponse['kind']) ?? null,
        trainedAt: m?.trainedAt ?? null,
        fallback: m ? ((metrics.fallback as string | null) ?? null) : 'No model yet: run a recompute',
        wonDeals: n('wonDeals'),
        lostDeals: n('lostDeals'),
        trainDeals: n('trainDeals'),
        testDeals: n('testDeals'),
        calibration: (metrics.calibration as ModelResponse['calibration']) ?? null,
        stageBaseCalibration: (metrics.stageBaseCalibration as ModelResponse['stageBaseCalibration']) ?? null,
        coefficients: (model.terms as ModelResponse['coefficients']) ?? [],
        intercept: typeof model.intercept === 'number' ? model.intercept : null,
        stageRates: ((model.stageRates ?? model.rates) as Record<string, number>) ?? {},
        // Models stored before the leak checks have neither: shown without a verdict.
        features: Array.isArray(metrics.features) ? (metrics.features as ModelResponse['features']) : [],
        honesty: (metrics.honesty as ModelResponse['honesty']) ?? null,
      };
    },
  });

  r.get('/api/v1/evaluation/portfolio', {
    schema: {
      tags,
      summary: 'Accounts on the two portfolio axes (attractiveness × relationship) with their type; large bases are sampled',
      querystring: portfolioQuery,
      response: { 200: portfolioResponse, ...errorResponses },
    },
    handler: async (req) => {
      const actor = req.actor!;
      const limit = req.query.limit ?? 2000;
      const extra = req.query.segmentId ? await segmentFilters(db, actor, req.query.segmentId) : [];
      const a = accounts;
      const where = and(eq(a.orgId, actor.orgId), isNull(a.deletedAt), isNotNull(a.portfolioType), isNotNull(a.attractiveness), isNotNull(a.relationshipScore), ...extra);
      const counts = await db.select({ type: a.portfolioType, n: sql<number>`count(*)::int` }).from(a).where(where).groupBy(a.portfolioType);
      const [range] = await db
        .select({
          aMin: sql<number | null>`min(${a.attractiveness})`, aMax: sql<number | null>`max(${a.attractiveness})`,
          rMin: sql<number | null>`min(${a.relationshipScore})`, rMax: sql<number | null>`max(${a.relationshipScore})`,
        })
        .from(a)
        .where(where);
      const total = counts.reduce((s, c) => s + c.n, 0);
      const sampled = total > limit;
      // md5 of the id is an even, repeatable sample: the picture does not jump between reloads.
      const rows = await db
        .select({
          id: a.id, name: a.name, attractiveness: a.attractiveness, relationship: a.relationshipScore, type: a.portfolioType,
          fitScore: a.fitScore, priceDriven: a.priceDriven, tier: a.tier, needType: a.needType,
        })
        .from(a)
        .where(where)
        .orderBy(sampled ? sql`md5(${a.id}::text)` : a.name)
        .limit(limit);
      const { settings: s } = await readOrgSetting(db, actor.orgId, SETTINGS);
      return {
        thresholds: { attractiveness: s.attractivenessThreshold, relationship: s.relationshipThreshold },
        total,
        sampled,
        counts: Object.fromEntries(counts.map((c) => [c.type ?? 'none', c.n])),
        spread: {
          attractiveness: { min: range?.aMin ?? null, max: range?.aMax ?? null },
          relationship: { min: range?.rMin ?? null, max: range?.rMax ?? null },
        },
        cannotSeparate: axesThatCannotSeparate(total, {
          attractiveness: [range?.aMin ?? null, range?.aMax ?? null],
          relationship: [range?.rMin ?? null, range?.rMax ?? null],
        }),
        points: rows.map((p) => ({
          ...p,
          attractiveness: p.attractiveness ?? 0,
          relationship: p.relationship ?? 0,
          type: p.type as PortfolioType,
          priceDriven: p.priceDriven ?? false,
        })),
      };
    },
  });

  r.get('/api/v1/accounts/:id/fit', {
    schema: {
      tags,
      summary: "Why an account scores as it does: fit reasons, axis components, portfolio type and posture, need-type suggestions",
      params: idParams,
      response: { 200: accountFitResponse, ...errorResponses },
    },
    handler: async (req) => {
      const actor = req.actor!;
      const [acc] = await db.select().from(accounts).where(and(eq(accounts.orgId, actor.orgId), eq(accounts.id, req.params.id), isNull(accounts.deletedAt)));
      if (!acc) throw notFound('Account');
      const ctx = await loadContext(q, actor.orgId);
      const stored = await currentModel(q, actor.orgId, ['icp']);
      const components = stored
        ? await accountComponents(q, actor.orgId, acc.id, ctx.customKeys, {
            weights: profileWeights(stored.model as unknown as Profile),
            settings: ctx.settings,
            stageRanks: ctx.stageRanks,
            supplierLevels: ctx.supplierLevels,
            profitability: PROFITABILITY_BY_ORIENTATION,
            profitabilityUnknown: PROFITABILITY_UNKNOWN,
            fitKnown: (stored.model as unknown as Profile).separates !== false,
          })
        : null;
      let suggestions: ReturnType<typeof suggestNeedTypes> = [];
      if (!acc.needType) {
        const texts = await db
          .select({ subject: interactions.subject, body: interactions.body })
          .from(interactions)
          .where(and(eq(interactions.orgId, actor.orgId), eq(interactions.accountId, acc.id), isNull(interactions.deletedAt)))
          .orderBy(sql`${interactions.occurredAt} desc`)
          .limit(100);
        const known = [...((await activeVocabKeys(db, actor.orgId, ['need_type'])).get('need_type') ?? [])];
        suggestions = suggestNeedTypes(texts.map((t) => `${t.subject ?? ''}\n${t.body ?? ''}`), { industry: acc.industry }, known).slice(0, 3);
      }
      const type = (acc.portfolioType as PortfolioType | null) ?? null;
      const posture = type ? investmentPosture(type, acc.priceDriven ?? false) : null;
      return {
        accountId: acc.id,
        fitScore: acc.fitScore,
        reasons: ((acc.fitReasons ?? []) as { label: string }[]).filter((x) => x && typeof x.label === 'string'),
        attractiveness: acc.attractiveness,
        relationshipScore: acc.relationshipScore,
        components,
        portfolioType: type,
        posture,
        postureText: posture ? POSTURE_TEXT[posture] : null,
        priceDriven: acc.priceDriven,
        tier: acc.tier,
        buyingStage: acc.buyingStage,
        needType: acc.needType,
        needTypeSuggestions: suggestions,
        scoredAt: acc.scoredAt,
      };
    },
  });

  startSchedule(app, database);
  startPromptRescoring(app, database);
}

/**
 * Scheduled refresh in the server process: every ACCORD_RECOMPUTE_MINUTES (default 60; 0 turns it
 * off; off under tests), organizations are recomputed one after another, never overlapping.
 */
function startSchedule(app: FastifyInstance, database: Database) {
  const raw = process.env.ACCORD_RECOMPUTE_MINUTES ?? (process.env.VITEST ? '0' : '60');
  const minutes = Number(raw);
  if (!Number.isFinite(minutes) || minutes <= 0) return;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const orgs = await database.db.select({ id: organizations.id }).from(organizations);
      for (const o of orgs) {
        try {
          await trackJob(database, o.id, 'recompute', () => recompute(database, o.id));
        } catch (e) {
          app.log.error({ err: e, orgId: o.id }, 'scheduled recompute failed');
        }
      }
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), minutes * 60_000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

/**
 * Prompt rescoring after writes (prompt.ts): ACCORD_RESCORE_SECONDS of quiet (default 20; 0 turns it
 * off; off under tests unless set), at most five minutes after the first write, and not more often
 * than every ACCORD_RESCORE_MIN_INTERVAL_SECONDS (default 120) per organization. A new account gets its
 * fit and tier, a new or moved deal its win probability, without waiting for the hourly run.
 */
function startPromptRescoring(app: FastifyInstance, database: Database) {
  const seconds = Number(process.env.ACCORD_RESCORE_SECONDS ?? (process.env.VITEST ? '0' : '20'));
  if (!Number.isFinite(seconds) || seconds <= 0) return;
  const rescorer = promptRescorer(async (orgId) => void (await trackJob(database, orgId, 'recompute', () => recompute(database, orgId))), {
    quietMs: seconds * 1000,
    maxWaitMs: Math.max(seconds * 1000, 5 * 60_000),
    minIntervalMs: Number(process.env.ACCORD_RESCORE_MIN_INTERVAL_SECONDS ?? 120) * 1000,
    onError: (e, orgId) => app.log.error({ err: e, orgId }, 'prompt rescoring failed'),
  });
  app.addHook('onResponse', async (req, reply) => {
    if (req.method === 'GET' || req.method === 'HEAD' || reply.statusCode >= 400 || !req.actor) return;
    if (SCORED_WRITES.test(req.url)) rescorer.touched(req.actor.orgId);
  });
  app.addHook('onClose', async () => rescorer.close());
}
