import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiTokens, sessions, users } from '../../db/schema/index.ts';
import type { Actor, Role } from '../actor.ts';
import type { Db } from '../db/index.ts';
import { AppError, unauthorized } from '../errors.ts';
import { claimOrganization } from '../tenant-context.ts';
import { registerAccessLimits } from './scopes.ts';
import { API_TOKEN_PREFIX, tokenHash, tokenOrg } from './secrets.ts';

export const SESSION_COOKIE = 'accord_session';
export const CSRF_COOKIE = 'accord_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
  }
  interface FastifyContextConfig {
    /** Reachable without credentials (login, health, the docs and the web app's files). Every other route needs an actor. */
    public?: boolean;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves who is calling: a Bearer API token (integrations) or the session cookie (browser).
 * Cookie-authenticated writes must echo the session's CSRF token in a header, which a
 * cross-site form cannot do.
 */
export function registerAuth(app: FastifyInstance, db: Db) {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  // onRequest: before any body is read, so an anonymous upload is refused without spooling a byte.
  app.addHook('onRequest', async (req) => {
    if (isPublicRoute(req)) return;
    req.actor = await resolveActor(db, req);
    if (!req.actor) throw unauthorized();
  });
  registerAccessLimits(app);
}

/**
 * Decided on the route the router matched, never on the URL text: `/%61pi/v1/accounts` and
 * `/api/v1/accounts` are one route to the router, and a prefix test on the raw URL let the first
 * through. Default deny: only routes registered with `config: { public: true }` (or inside
 * `publicRoutes`) are open. A request no route matched reaches only the 404 handler.
 */
export function isPublicRoute(req: FastifyRequest): boolean {
  if (req.is404) return true;
  return req.routeOptions.config?.public === true;
}

/** Registers plugins whose routes are all public (the docs UI, the web app's static files). */
export function markRoutesPublic(scope: FastifyInstance) {
  scope.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), public: true };
  });
}

async function resolveActor(db: Db, req: FastifyRequest): Promise<Actor | null> {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw unauthorized('Use "Authorization: Bearer <token>"');
    // The token names its organization (secrets.ts): the lookup stays inside it.
    const orgId = tokenOrg(m[1]!, API_TOKEN_PREFIX);
    if (!orgId) throw unauthorized('Invalid or revoked API token');
    claimOrganization(req, orgId);
    const [row] = await db
      .select({ orgId: users.orgId, userId: users.id, role: users.role, team: users.team, tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt, scope: apiTokens.scope })
      .from(apiTokens)
      .innerJoin(users, and(eq(users.orgId, apiTokens.orgId), eq(users.id, apiTokens.userId)))
      .where(
        and(
          eq(apiTokens.orgId, orgId),
          eq(apiTokens.tokenHash, tokenHash(m[1]!)),
          isNull(apiTokens.revokedAt),
          or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)),
          eq(users.active, true),
        ),
      );
    if (!row) throw unauthorized('Invalid or revoked API token');
    // "Last used" to the minute is enough; writing it on every call would turn each read into a write.
    if (!row.lastUsedAt || Date.now() - Date.parse(row.lastUsedAt) > 60_000) {
      await db.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(and(eq(apiTokens.orgId, row.orgId), eq(apiTokens.id, row.tokenId)));
    }
    return { orgId: row.orgId, userId: row.userId, role: row.role as Role, team: row.team, kind: 'token', requestId: req.id, scope: row.scope };
  }
  const token = req.cookies?.[SESSION_COOKIE];
  if (!token) return null;
  const orgId = tokenOrg(token);
  if (!orgId) return null;
  claimOrganization(req, orgId);
  const [row] = await db
    .select({ orgId: users.orgId, userId: users.id, role: users.role, team: users.team, sessionId: sessions.id, csrf: sessions.csrfToken, twoFactorPending: sessions.twoFactorPending })
    .from(sessions)
    .innerJoin(users, and(eq(users.orgId, sessions.orgId), eq(users.id, sessions.userId)))
    .where(and(eq(sessions.orgId, orgId), eq(sessions.tokenHash, tokenHash(token)), gt(sessions.expiresAt, sql`now()`), eq(users.active, true)));
  if (!row) return null;
  if (!SAFE.has(req.method) && req.headers[CSRF_HEADER] !== row.csrf) {
    throw new AppError(403, 'csrf', `Missing or wrong ${CSRF_HEADER} header`);
  }
  req.sessionId = row.sessionId;
  return { orgId: row.orgId, userId: row.userId, role: row.role as Role, team: row.team, kind: 'user', requestId: req.id, ...(row.twoFactorPending ? { twoFactorPending: true } : {}) };
}
