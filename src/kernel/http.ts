import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { uuidv7 } from 'uuidv7';
import { markRoutesPublic, registerAuth } from './auth/plugin.ts';
import { registerTenantContext } from './tenant-context.ts';
import type { Config } from './config.ts';
import type { Database } from './db/index.ts';
import { AppError, withCode, type FieldError } from './errors.ts';
import { registerTextRules } from './input-text.ts';
import { registerJsonLimits } from './json-limits.ts';
import { registerSecurityHeaders, SECURITY_HEADERS } from './security-headers.ts';
import { registerUploadLimits } from './uploads.ts';

export interface AppOptions {
  database: Database;
  config: Pick<Config, 'bodyLimit' | 'secureCookies' | 'sessionDays'> & Partial<Pick<Config, 'trustProxy' | 'uploadLimits'>>;
  logger?: boolean | object;
}

const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** PostgreSQL errors that are the caller's fault, with what to tell them. */
function dbErrorToApp(err: { code?: string; constraint?: string; detail?: string; column?: string }): AppError | undefined {
  switch (err.code) {
    case '23505':
      return new AppError(409, 'duplicate', 'A record with the same unique value already exists', err.constraint ? [{ path: err.constraint, message: 'Already exists', code: 'already_exists' }] : undefined);
    case '23503':
      return new AppError(400, 'validation_error', 'A referenced record does not exist', err.constraint ? [{ path: err.constraint, message: 'Not found', code: 'not_found' }] : undefined);
    case '23502':
      return new AppError(400, 'validation_error', 'A required value is missing', err.column ? [{ path: err.column, message: 'Required', code: 'required' }] : undefined);
    case '23514':
      return new AppError(400, 'validation_error', 'A value is out of range', err.constraint ? [{ path: err.constraint, message: 'Out of range', code: 'out_of_range' }] : undefined);
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
    case '22001':
    case '22023':
      return new AppError(400, 'validation_error', 'A value has the wrong format or is out of range');
    case '40001':
    case '40P01':
      return new AppError(409, 'retry', 'The record was busy; try again');
    // Not the caller's fault and not a bug: the database ran out of time (statement_timeout, the
    // embedded call timeout) or lost its connection (a restart, a failover). Say so, and when to retry.
    case '57014':
      return new AppError(503, 'timeout', 'The database took too long to answer and the request was cancelled; try again, or narrow it (a filter, a smaller page)');
    case '08006':
    case '08003':
    case '57P01':
    case '57P03':
    case '53300':
      return new AppError(503, 'unavailable', 'The database is not available at the moment; try again shortly');
  }
  return undefined;
}

/** Messages that must never reach a client: SQL text, query parameters, file paths, stack frames. */
const INTERNAL = /failed query|\bselect\b[\s\S]*\bfrom\b|\binsert into\b|\bupdate\b[\s\S]*\bset\b|\bdelete from\b|params:|postgres(ql)?:\/\/|\/src\/|node_modules|\n\s+at /i;
export const looksInternal = (message: string | undefined) => !!message && INTERNAL.test(message);

/** What fastify-type-provider-zod hands the error handler for one zod issue. */
export interface ValidationItem {
  keyword?: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Issue details worth passing on to a translated message (never the input itself). */
const PARAM_KEYS = ['origin', 'minimum', 'maximum', 'inclusive', 'expected', 'format', 'values'] as const;

/**
 * One zod issue as field errors with a stable code: zod's code where it is one a client can word
 * ("too_small" + minimum), `required` for a missing value or an empty required string, and
 * `unknown_field` per unexpected key. The English message stays for clients that do not translate.
 */
export function issueToFieldErrors(v: ValidationItem, context?: string): FieldError[] {
  // fastify-type-provider-zod 7 puts the zod issue's extra fields (keys…) straight into params
  // and its code into keyword; older versions nested the issue under params.issue.
  const nested = (v.params as { issue?: Record<string, unknown> & { path?: PropertyKey[]; message?: string; code?: string } } | undefined)?.issue;
  const p: Record<string, unknown> = nested ?? v.params ?? {};
  const zcode = (nested?.code ?? v.keyword ?? 'invalid') as string;
  const path = (nested?.path ?? []).map(String).join('.') || v.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const message = nested?.message ?? v.message ?? 'Invalid value';
  const keys = Array.isArray(p.keys) ? (p.keys as unknown[]).map(String) : undefined;
  // Each unknown field is reported under its own name, so clients can point at it.
  if (zcode === 'unrecognized_keys' && keys?.length) {
    return keys.map((k) => ({ path: [path, k].filter(Boolean).join('.'), message: 'Unknown field', code: 'unknown_field' }));
  }
  const params: Record<string, unknown> = {};
  for (const k of PARAM_KEYS) {
    const val = p[k];
    if (val === undefined) continue;
    // Big bounds are bigint in zod; JSON cannot carry them.
    params[k] = typeof val === 'bigint' ? Number(val) : val;
  }
  let code: string = zcode;
  if (zcode === 'invalid_type' && /received undefined/.test(message)) code = 'required';
  else if (zcode === 'too_small' && params.origin === 'string' && Number(params.minimum) <= 1) code = 'required';
  else if (!['invalid_type', 'too_small', 'too_big', 'invalid_format', 'invalid_value'].includes(zcode)) code = 'invalid';
  const out: FieldError = { path: path || context || 'body', message, code };
  if (code !== 'required' && code !== 'invalid' && Object.keys(params).length) out.params = params;
  return [out];
}

function toFieldErrors(err: FastifyError): FieldError[] {
  const ctx = (err as FastifyError & { validationContext?: string }).validationContext;
  return (err.validation ?? []).flatMap((v) => issueToFieldErrors(v as ValidationItem, ctx));
}

/**
 * Whether a path that matched no route is meant for the API under some spelling (/%61pi/v1,
 * //api, /API/V1, /api%2Fv1): those get the API's 404, never the web app's page, so a probe
 * cannot read an HTML 200 as a route that answered.
 */
export function looksLikeApi(url: string): boolean {
  let path = url.split('?')[0]!;
  for (let i = 0; i < 3; i++) {
    try {
      const decoded = decodeURIComponent(path);
      if (decoded === path) break;
      path = decoded;
    } catch {
      break;
    }
  }
  const segments = path.toLowerCase().replace(/\\/g, '/').split(/[/;]+/).filter((s) => s && s !== '.' && s !== '..');
  return segments[0] === 'api';
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.config.bodyLimit,
    trustProxy: opts.config.trustProxy ?? false,
    genReqId: () => uuidv7(),
    // Deeply nested or huge query strings are refused before they reach a handler.
    routerOptions: { maxParamLength: 200 },
    // Errors raised before routing (a URL that does not decode, a bad content-type header) get the
    // same error body as everything else instead of Fastify's own shape.
    frameworkErrors: (err, _req, res) => {
      const status = (err as FastifyError).statusCode ?? 400;
      const reply = res as unknown as FastifyReply;
      // Sent before routing, so no onSend hook adds the security headers.
      void reply.code(status >= 400 && status < 500 ? status : 400).headers(SECURITY_HEADERS).send({ error: { code: 'bad_request', message: err.message } });
    },
  });
  // JSON only: without this, a text/plain body reached the handlers as a string and failed with
  // "expected object, received string" instead of 415. Features that take raw uploads add their own parsers.
  app.removeContentTypeParser('text/plain');
  // Every JSON body: depth and key count bounded before parsing; every string: no NUL, no lone surrogate.
  registerJsonLimits(app);
  registerTextRules(app);
  registerUploadLimits(app, opts.config.uploadLimits);
  registerSecurityHeaders(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields.map(withCode) } : {}), ...(err.extra ?? {}) } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = toFieldErrors(err);
      return reply.code(400).send({ error: { code: 'validation_error', message: fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields } });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, cause: err.cause }, 'response does not match its schema');
      return reply.code(500).send({ error: { code: 'internal', message: 'Internal error' } });
    }
    // Drizzle wraps the driver's error ("Failed query: <sql> params: …") with the PostgreSQL one as cause.
    const mapped = dbErrorToApp(err as never) ?? dbErrorToApp(((err as { cause?: unknown }).cause ?? {}) as never);
    if (mapped?.status === 503) {
      req.log.warn({ err }, 'database unavailable or too slow');
      reply.header('retry-after', '5');
    }
    if (mapped) return reply.code(mapped.status).send({ error: { code: mapped.code, message: mapped.message, ...(mapped.fields ? { fields: mapped.fields.map(withCode) } : {}) } });
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, body too large, wrong content type, rate limit).
      const code = status === 413 ? 'too_large' : status === 415 ? 'unsupported_media_type' : status === 429 ? 'rate_limited' : 'bad_request';
      if (looksInternal(err.message)) req.log.warn({ err }, 'client error with an internal message');
      return reply.code(status).send({ error: { code, message: looksInternal(err.message) ? 'The request could not be processed' : err.message } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'Internal error' } });
  });
  app.setNotFoundHandler((req, reply) => {
    if (looksLikeApi(req.url) || req.method !== 'GET' || !existsSync(WEB_DIST)) {
      return reply.code(404).send({ error: { code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}` } });
    }
    // Client-side routes of the single-page app (the static plugin lives in the public scope, so its
    // sendFile is not decorated here).
    return reply.type('text/html; charset=utf-8').send(createReadStream(join(WEB_DIST, 'index.html')));
  });

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Accord API',
        version: '1',
        description:
          'B2B customer relationships: accounts, buying centers, fit, stage goals. Authenticate with the session cookie (browser; send x-csrf-token on writes) or `Authorization: Bearer <API token>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'accord_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // The docs, the OpenAPI document, health and the web app's files are public; every other route
  // needs credentials (see isPublicRoute).
  await app.register(async (open) => {
    markRoutesPublic(open);
    await open.register(swaggerUi, { routePrefix: '/api/docs' });
    open.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    open.get('/api/v1/health', { schema: { hide: true } }, async (_req, reply) => {
      const h = await opts.database.health();
      return reply.code(h.ok ? 200 : 503).send({ ok: h.ok, database: opts.database.mode, ...(h.reason ? { reason: h.reason } : {}) });
    });
    if (existsSync(WEB_DIST)) await open.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: 'index.html' });
  });

  // Before the auth hook: its token and session lookups are the request's first statements and must
  // queue as the request's (interactive, its organization), not as background work.
  registerTenantContext(app);
  registerAuth(app, opts.database.db);
  return app;
}
