import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loginEmails, organizations, sessions, users } from '../../db/schema/index.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../kernel/auth/plugin.ts';
import { newOrgToken, newToken, tokenHash, tokenOrg, verifyPassword } from '../../kernel/auth/secrets.ts';
import type { Config } from '../../kernel/config.ts';
import type { Db } from '../../kernel/db/index.ts';
import { unauthorized } from '../../kernel/errors.ts';
import { errorResponses } from '../../kernel/http-schemas.ts';
import { getUser } from '../users/commands.ts';
import { login, me } from '../users/schemas.ts';
import { secondFactorAtLogin } from './two-factor.ts';

async function whoAmI(db: Db, orgId: string, userId: string) {
  const user = await getUser(db, orgId, userId);
  const [org] = await db.select({ id: organizations.id, name: organizations.name, baseCurrency: organizations.baseCurrency, locale: organizations.locale }).from(organizations).where(eq(organizations.id, orgId));
  return { user, org: org! };
}

export function authRoutes(app: FastifyInstance, db: Db, config: Pick<Config, 'secureCookies' | 'sessionDays'>) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Secure when configured, and always when this request came over HTTPS (directly, or per
  // X-Forwarded-Proto from a proxy the server trusts: ACCORD_TRUST_PROXY).
  const cookieOpts = (req: FastifyRequest) => ({ path: '/', sameSite: 'lax' as const, secure: config.secureCookies || req.protocol === 'https', maxAge: config.sessionDays * 86400 });
  const clear = (reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });

  r.post('/api/v1/auth/login', {
    schema: { tags: ['auth'], summary: 'Sign in with email and password (and a code when two-factor sign-in is on); sets the session cookie', description: 'With two-factor on and no `code`: 401 `two_factor_required` and no session; a wrong or reused code: 401 `invalid_code`; too many wrong codes: 429.', security: [], body: login, response: { 200: me, ...errorResponses } },
    // Slows password guessing per address and client without locking real users out for long.
    // preHandler: the key needs the parsed body; on the default onRequest hook every login from one
    // address (a whole office behind a proxy) shared a single bucket of 10 a minute.
    config: { public: true, rateLimit: { hook: 'preHandler', max: 10, timeWindow: '1 minute', keyGenerator: (req) => `${req.ip}|${String((req.body as { email?: string })?.email ?? '').toLowerCase()}` } },
    handler: async (req, reply) => {
      const email = req.body.email.trim().toLowerCase();
      // An email names one user per organization: the same address may sign into several. The global
      // login_emails table says which (optionally narrowed to the organization asked for); each one's
      // active user with it is tried, oldest first; the first whose password matches is signed in
      // (a person with one password everywhere lands in their first organization). One lookup per
      // organization, each by (org_id, email): a single query over all of them would ask every shard.
      const orgs = await db.select({ orgId: loginEmails.organizationId }).from(loginEmails)
        .innerJoin(organizations, eq(organizations.id, loginEmails.organizationId))
        .where(and(eq(loginEmails.email, email), req.body.organization ? eq(organizations.slug, req.body.organization) : undefined));
      const candidates: { id: string; orgId: string; hash: string | null; active: boolean; createdAt: string }[] = [];
      for (const { orgId } of orgs) {
        const [c] = await db.select({ id: users.id, orgId: users.orgId, hash: users.passwordHash, active: users.active, createdAt: users.createdAt }).from(users)
          .where(and(eq(users.orgId, orgId), sql`lower(${users.email}) = ${email}`));
        if (c) candidates.push({ ...c, createdAt: c.createdAt! });
      }
      candidates.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.orgId.localeCompare(b.orgId));
      let u: (typeof candidates)[number] | undefined;
      for (const c of candidates.length ? candidates : [undefined]) {
        // Always one verification at least, so an unknown email takes as long as a wrong password.
        if (await verifyPassword(c?.active ? c.hash : null, req.body.password)) {
          u = c;
          break;
        }
      }
      if (!u) throw unauthorized('Wrong email or password');
      const { enrolmentPending } = await secondFactorAtLogin(db, u, req.body.code);
      const token = newOrgToken(u.orgId);
      const csrfToken = newToken();
      // A login always starts a fresh session: the one this browser held (if any) ends, so a session
      // id planted before sign-in (fixation) or left from another user never becomes a signed-in one.
      const previous = req.cookies?.[SESSION_COOKIE];
      const previousOrg = previous ? tokenOrg(previous) : null;
      if (previous && previousOrg) await db.delete(sessions).where(and(eq(sessions.orgId, previousOrg), eq(sessions.tokenHash, tokenHash(previous))));
      await db.insert(sessions).values({
        orgId: u.orgId,
        userId: u.id,
        tokenHash: tokenHash(token),
        csrfToken,
        expiresAt: sql`now() + make_interval(days => ${config.sessionDays})`,
        twoFactorPending: enrolmentPending,
      });
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOpts(req), httpOnly: true });
      reply.setCookie(CSRF_COOKIE, csrfToken, { ...cookieOpts(req), httpOnly: false });
      return { ...(await whoAmI(db, u.orgId, u.id)), csrfToken, ...(enrolmentPending ? { twoFactorEnrolmentRequired: true } : {}) };
    },
  });

  r.post('/api/v1/auth/logout', {
    schema: { tags: ['auth'], summary: 'End this session', response: { 200: z.object({ ok: z.boolean() }) } },
    handler: async (req, reply) => {
      if (req.sessionId) await db.delete(sessions).where(and(eq(sessions.orgId, req.actor!.orgId), eq(sessions.id, req.sessionId)));
      clear(reply);
      return { ok: true };
    },
  });

  r.get('/api/v1/auth/me', {
    schema: { tags: ['auth'], summary: 'Who am I', response: { 200: me, ...errorResponses } },
    handler: async (req) => {
      const out = await whoAmI(db, req.actor!.orgId, req.actor!.userId);
      if (!req.sessionId) return out;
      const [s] = await db.select({ csrf: sessions.csrfToken }).from(sessions).where(and(eq(sessions.orgId, req.actor!.orgId), eq(sessions.id, req.sessionId)));
      return { ...out, csrfToken: s?.csrf, ...(req.actor!.twoFactorPending ? { twoFactorEnrolmentRequired: true } : {}) };
    },
  });
}
