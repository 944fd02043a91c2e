import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a session that must still set up two-factor sign-in may reach (auth/two-factor.ts adds its own). */
const ENROLMENT_ALLOWED = new Set(['/api/v1/auth/me', '/api/v1/auth/logout', '/api/v1/users/me', '/api/v1/auth/two-factor', '/api/v1/auth/two-factor/enrol', '/api/v1/auth/two-factor/confirm']);

/**
 * Limits on an authenticated caller beyond its role, checked once the route is known and before the
 * body is read (so a refused write says 403, not 400 or 415, and no upload is taken in):
 * - a read-only API token may only read (GET/HEAD), on every route;
 * - a session made while the organization requires two-factor sign-in and the user had none may
 *   only set it up (and sign out).
 */
export function registerAccessLimits(app: FastifyInstance) {
  app.addHook('preParsing', async (req) => {
    const a = req.actor;
    if (!a) return;
    if (a.scope === 'read' && !SAFE.has(req.method)) {
      throw new AppError(403, 'read_only_token', 'This API token is read-only; use a token with full access to make changes');
    }
    if (a.twoFactorPending && !ENROLMENT_ALLOWED.has(req.routeOptions.url ?? '')) {
      throw new AppError(403, 'two_factor_enrolment_required', 'Your organization requires two-factor sign-in: set it up on your profile page first');
    }
  });
}
