import { randomInt } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { z } from 'zod';
import { sessions, userRecoveryCodes, userTwoFactor, users } from '../../db/schema/index.ts';
import { requireRole, type Actor } from '../../kernel/actor.ts';
import { audit } from '../../kernel/audit.ts';
import { open, seal } from '../../kernel/auth/secret-box.ts';
import { tokenHash, verifyPassword } from '../../kernel/auth/secrets.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { AppError, conflict, fieldError, forbidden, notFound } from '../../kernel/errors.ts';
import { errorBody, errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { changeOrgSetting, readOrgSetting, type OrgSetting } from '../../kernel/org-settings.ts';
import { parseIfMatch } from '../../kernel/resource.ts';
import {
  attemptsBlocked,
  classifyCode,
  FAILED_WINDOW_SECONDS,
  formatRecoveryCode,
  isReplay,
  RECOVERY_ALPHABET,
  RECOVERY_CODE_COUNT,
  stepAt,
  TOTP_DIGITS,
  TOTP_PERIOD,
  TOTP_WINDOW,
} from './rules.ts';

const ISSUER = 'Accord';
const withLimits = { ...errorResponses, 429: errorBody } as const;

// ── Organization policy ─────────────────────────────────────────────────────

type Security = { requireTwoFactor: boolean };
export const SECURITY: OrgSetting<Security, Security & { version: number }> = {
  key: 'security',
  entity: 'security_settings',
  read: (raw) => ({ requireTwoFactor: (raw?.security as Partial<Security> | undefined)?.requireTwoFactor === true }),
  show: (v, version) => ({ requireTwoFactor: v.requireTwoFactor, version }),
};

// ── Codes ───────────────────────────────────────────────────────────────────

const context = (orgId: string, userId: string) => `totp:${orgId}:${userId}`;
const totp = (secretBase32: string, label = 'user') =>
  new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD, secret: Secret.fromBase32(secretBase32) });

// At sign-in a wrong code is a failed sign-in (401); for a signed-in user it is a wrong field (400),
// which clients must not take for "your session ended".
const wrongCode = (atLogin: boolean) =>
  atLogin
    ? new AppError(401, 'invalid_code', 'Wrong or already used code')
    : new AppError(400, 'invalid_code', 'Wrong or already used code', [{ path: 'code', message: 'Wrong or already used code', code: 'invalid_code' }]);
const tooMany = () => new AppError(429, 'rate_limited', `Too many wrong codes; try again in ${FAILED_WINDOW_SECONDS / 60} minutes`);

function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join(''));
}

async function storeRecoveryCodes(tx: DbOrTx, orgId: string, userId: string, codes: string[]) {
  await tx.delete(userRecoveryCodes).where(and(eq(userRecoveryCodes.orgId, orgId), eq(userRecoveryCodes.userId, userId)));
  await tx.insert(userRecoveryCodes).values(codes.map((c) => ({ orgId, userId, codeHash: tokenHash(c) })));
}

/**
 * Checks a code against the user's second factor. The row lock makes concurrent tries take turns,
 * so one code cannot be accepted twice by racing; each accepted step is remembered, so a code
 * seen in transit cannot be replayed within its 30 seconds. Wrong codes are counted per user
 * (across addresses and servers) and, past the limit, refused with 429 before being checked.
 * A failure is committed before it is reported.
 */
async function checkCode(db: Db, orgId: string, userId: string, input: string, opts: { pending?: boolean; allowRecovery: boolean; atLogin?: boolean }): Promise<'totp' | 'recovery'> {
  const outcome = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(userTwoFactor).where(and(eq(userTwoFactor.orgId, orgId), eq(userTwoFactor.userId, userId))).for('update');
    if (!row || (opts.pending ? row.enabledAt !== null : row.enabledAt === null)) return 'none' as const;
    if (attemptsBlocked(row.failedAttempts, row.failedSince ? new Date(row.failedSince) : null, new Date())) return 'blocked' as const;
    const code = classifyCode(input);
    if (code.kind === 'totp') {
      const now = Date.now();
      const delta = totp(open(row.secretEnc, context(orgId, userId))).validate({ token: code.code, timestamp: now, window: TOTP_WINDOW });
      const step = delta === null ? null : stepAt(now, delta);
      if (step !== null && !isReplay(step, row.lastUsedStep)) {
        await tx
          .update(userTwoFactor)
          .set({ lastUsedStep: step, failedAttempts: 0, failedSince: null, ...(opts.pending ? { enabledAt: sql`now()` } : {}) })
          .where(and(eq(userTwoFactor.orgId, orgId), eq(userTwoFactor.userId, userId)));
        return 'totp' as const;
      }
    } else if (code.kind === 'recovery' && opts.allowRecovery) {
      const used = await tx
        .update(userRecoveryCodes)
        .set({ usedAt: sql`now()` })
        .where(and(eq(userRecoveryCodes.orgId, orgId), eq(userRecoveryCodes.userId, userId), eq(userRecoveryCodes.codeHash, tokenHash(code.code)), isNull(userRecoveryCodes.usedAt)))
        .returning({ h: userRecoveryCodes.codeHash });
      if (used.length) {
        await tx.update(userTwoFactor).set({ failedAttempts: 0, failedSince: null }).where(and(eq(userTwoFactor.orgId, orgId), eq(userTwoFactor.userId, userId)));
        return 'recovery' as const;
      }
    }
    // Decided on the locked row, like the limit above (a CASE over now() in the UPDATE is refused by
    // a sharded database, Citus): a failure after the window starts a new count.
    const fresh = !row.failedSince || Date.parse(row.failedSince) < Date.now() - FAILED_WINDOW_SECONDS * 1000;
    await tx
      .update(userTwoFactor)
      .set(fresh ? { failedAttempts: 1, failedSince: sql`now()` } : { failedAttempts: sql`${userTwoFactor.failedAttempts} + 1` })
      .where(and(eq(userTwoFactor.orgId, orgId), eq(userTwoFactor.userId, userId)));
    return 'wrong' as const;
  });
  if (outcome === 'none') throw conflict(opts.pending ? 'Start setting up two-factor sign-in first' : 'Two-factor sign-in is not on for this user');
  if (outcome === 'blocked') throw tooMany();
  if (outcome === 'wrong') throw wrongCode(opts.atLogin === true);
  return outcome;
}

/**
 * The second step of signing in, after the password was found right. A user with two-factor on
 * must send a code (without one: 401 `two_factor_required`, and no session is made). A user without
 * it, in an organization that requires it, gets a session that may only set it up.
 */
export async function secondFactorAtLogin(db: Db, u: { orgId: string; id: string }, code: string | undefined): Promise<{ enrolmentPending: boolean }> {
  const [row] = await db.select({ enabledAt: userTwoFactor.enabledAt }).from(userTwoFactor).where(and(eq(userTwoFactor.orgId, u.orgId), eq(userTwoFactor.userId, u.id)));
  if (row?.enabledAt) {
    if (!code) throw new AppError(401, 'two_factor_required', 'Enter the code from your authenticator app, or a recovery code');
    await checkCode(db, u.orgId, u.id, code, { allowRecovery: true, atLogin: true });
    return { enrolmentPending: false };
  }
  const { requireTwoFactor } = await readOrgSetting(db, u.orgId, SECURITY);
  return { enrolmentPending: requireTwoFactor };
}

// ── Commands ────────────────────────────────────────────────────────────────

async function status(db: DbOrTx, actor: Actor) {
  const [row] = await db.select({ enabledAt: userTwoFactor.enabledAt }).from(userTwoFactor).where(and(eq(userTwoFactor.orgId, actor.orgId), eq(userTwoFactor.userId, actor.userId)));
  const [left] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(userRecoveryCodes)
    .where(and(eq(userRecoveryCodes.orgId, actor.orgId), eq(userRecoveryCodes.userId, actor.userId), isNull(userRecoveryCodes.usedAt)));
  const { requireTwoFactor } = await readOrgSetting(db as Db, actor.orgId, SECURITY);
  return { enabled: !!row?.enabledAt, enabledAt: row?.enabledAt ?? null, pendingEnrolment: !!row && !row.enabledAt, recoveryCodesLeft: row?.enabledAt ? left!.n : 0, requiredByOrganization: requireTwoFactor };
}

/** Only from a signed-in browser: an API token must not be able to put a second factor on its user. */
function requireSession(actor: Actor) {
  if (actor.kind !== 'user') throw forbidden('Manage two-factor sign-in from a signed-in browser session, not with an API token');
}

async function startEnrolment(db: Db, actor: Actor) {
  requireSession(actor);
  const [u] = await db.select({ email: users.email }).from(users).where(and(eq(users.orgId, actor.orgId), eq(users.id, actor.userId)));
  if (!u) throw notFound('User');
  const secret = new Secret({ size: 20 });
  const secretEnc = seal(secret.base32, context(actor.orgId, actor.userId));
  const done = await db.transaction(async (tx) => {
    const [row] = await tx.select({ enabledAt: userTwoFactor.enabledAt }).from(userTwoFactor).where(and(eq(userTwoFactor.orgId, actor.orgId), eq(userTwoFactor.userId, actor.userId))).for('update');
    if (row?.enabledAt) return false;
    // Starting again replaces an unconfirmed secret (a QR code that was never scanned).
    await tx
      .insert(userTwoFactor)
      .values({ orgId: actor.orgId, userId: actor.userId, secretEnc })
      .onConflictDoUpdate({ target: [userTwoFactor.orgId, userTwoFactor.userId], set: { secretEnc, lastUsedStep: null, failedAttempts: 0, failedSince: null, createdAt: sql`excluded.created_at` } });
    return true;
  });
  if (!done) throw conflict('Two-factor sign-in is already on; turn it off first to set up another device');
  const uri = totp(secret.base32, u.email).toString();
  return { secret: secret.base32, otpauthUri: uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

async function confirmEnrolment(db: Db, actor: Actor, code: string) {
  requireSession(actor);
  await checkCode(db, actor.orgId, actor.userId, code, { pending: true, allowRecovery: false });
  const codes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    await storeRecoveryCodes(tx, actor.orgId, actor.userId, codes);
    // Sessions that were made to enrol are full sessions from now on.
    await tx.update(sessions).set({ twoFactorPending: false }).where(and(eq(sessions.orgId, actor.orgId), eq(sessions.userId, actor.userId)));
    await audit(tx, actor, { action: 'enable_two_factor', entity: 'user', entityId: actor.userId });
  });
  return { recoveryCodes: codes.map(formatRecoveryCode) };
}

async function disable(db: Db, actor: Actor, input: { password: string; code: string }) {
  requireSession(actor);
  const [u] = await db.select({ hash: users.passwordHash }).from(users).where(and(eq(users.orgId, actor.orgId), eq(users.id, actor.userId)));
  if (!(await verifyPassword(u?.hash, input.password))) throw fieldError('password', 'The password is not correct', 'wrong_password');
  const { requireTwoFactor } = await readOrgSetting(db, actor.orgId, SECURITY);
  if (requireTwoFactor) throw forbidden('Your organization requires two-factor sign-in; an admin can reset it if you lost your device');
  await checkCode(db, actor.orgId, actor.userId, input.code, { allowRecovery: true });
  await db.transaction(async (tx) => {
    await removeTwoFactor(tx, actor.orgId, actor.userId);
    await audit(tx, actor, { action: 'disable_two_factor', entity: 'user', entityId: actor.userId });
  });
  return status(db, actor);
}

async function removeTwoFactor(tx: DbOrTx, orgId: string, userId: string) {
  await tx.delete(userRecoveryCodes).where(and(eq(userRecoveryCodes.orgId, orgId), eq(userRecoveryCodes.userId, userId)));
  await tx.delete(userTwoFactor).where(and(eq(userTwoFactor.orgId, orgId), eq(userTwoFactor.userId, userId)));
}

async function regenerateRecoveryCodes(db: Db, actor: Actor, code: string) {
  requireSession(actor);
  await checkCode(db, actor.orgId, actor.userId, code, { allowRecovery: false });
  const codes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    await storeRecoveryCodes(tx, actor.orgId, actor.userId, codes);
    await audit(tx, actor, { action: 'regenerate_recovery_codes', entity: 'user', entityId: actor.userId });
  });
  return { recoveryCodes: codes.map(formatRecoveryCode) };
}

/** For a user who lost their device: an admin removes the second factor; their sessions end. */
async function resetForUser(db: Db, actor: Actor, userId: string) {
  requireRole(actor, 'admin');
  return db.transaction(async (tx) => {
    const [u] = await tx.select({ id: users.id }).from(users).where(and(eq(users.orgId, actor.orgId), eq(users.id, userId)));
    if (!u) throw notFound('User');
    await removeTwoFactor(tx, actor.orgId, userId);
    await tx.delete(sessions).where(and(eq(sessions.orgId, actor.orgId), eq(sessions.userId, userId)));
    await audit(tx, actor, { action: 'reset_two_factor', entity: 'user', entityId: userId });
    return { ok: true };
  });
}

// ── Routes ──────────────────────────────────────────────────────────────────

const code = z.string().trim().min(6).max(20).describe('Six-digit code from the authenticator app, or a recovery code (xxxxx-xxxxx)');
const twoFactorStatus = z.object({
  enabled: z.boolean(),
  enabledAt: z.string().nullable(),
  pendingEnrolment: z.boolean().describe('A secret was made but not yet confirmed with a code'),
  recoveryCodesLeft: z.number().int(),
  requiredByOrganization: z.boolean(),
});
const recoveryCodes = z.object({ recoveryCodes: z.array(z.string()).describe('Shown once; each works one time') });
const security = z.object({ requireTwoFactor: z.boolean(), version: z.number().int() });
// Per user: on top of the per-user count of wrong codes kept in the database.
const codeLimit = { rateLimit: { hook: 'preHandler' as const, max: 20, timeWindow: '1 minute', keyGenerator: (req: { actor: Actor | null; ip: string }) => `2fa|${req.actor?.userId ?? req.ip}` } };

export function twoFactorRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];
  r.get('/api/v1/auth/two-factor', {
    schema: { tags, summary: 'Your two-factor sign-in: on or off, recovery codes left, whether the organization requires it', response: { 200: twoFactorStatus, ...errorResponses } },
    handler: async (req) => status(db, req.actor!),
  });
  r.post('/api/v1/auth/two-factor/enrol', {
    schema: {
      tags,
      summary: 'Start setting up two-factor sign-in: a new TOTP secret, its otpauth:// URI and a QR code',
      description: 'Browser session only. Nothing changes at sign-in until the secret is confirmed with a code. Starting again replaces an unconfirmed secret; 409 when two-factor is already on.',
      body: z.object({}).strict().optional(),
      response: { 200: z.object({ secret: z.string().describe('Base32, for typing in by hand'), otpauthUri: z.string(), qrDataUrl: z.string().describe('PNG data: URL of the QR code') }), ...errorResponses },
    },
    handler: async (req) => startEnrolment(db, req.actor!),
  });
  r.post('/api/v1/auth/two-factor/confirm', {
    schema: {
      tags,
      summary: 'Turn two-factor sign-in on with a first code from the app; answers the recovery codes once',
      body: z.object({ code }).strict(),
      response: { 200: recoveryCodes, ...withLimits },
    },
    config: codeLimit,
    handler: async (req) => confirmEnrolment(db, req.actor!, req.body.code),
  });
  r.post('/api/v1/auth/two-factor/disable', {
    schema: {
      tags,
      summary: 'Turn two-factor sign-in off (needs your password and a code or recovery code)',
      description: '403 when the organization requires two-factor sign-in.',
      body: z.object({ password: z.string().min(1).max(200), code }).strict(),
      response: { 200: twoFactorStatus, ...withLimits },
    },
    config: codeLimit,
    handler: async (req) => disable(db, req.actor!, req.body),
  });
  r.post('/api/v1/auth/two-factor/recovery-codes', {
    schema: { tags, summary: 'New recovery codes (the old ones stop working); needs a code from the app', body: z.object({ code }).strict(), response: { 200: recoveryCodes, ...withLimits } },
    config: codeLimit,
    handler: async (req) => regenerateRecoveryCodes(db, req.actor!, req.body.code),
  });
  r.delete('/api/v1/users/:id/two-factor', {
    schema: { tags: ['users'], summary: "Remove a user's two-factor sign-in, e.g. after a lost phone (admin); ends their sessions", params: idParams, response: { 200: z.object({ ok: z.boolean() }), ...errorResponses } },
    handler: async (req) => resetForUser(db, req.actor!, req.params.id),
  });
  r.get('/api/v1/organization/security', {
    schema: { tags: ['organization'], summary: 'Security policy of the organization', response: { 200: security, ...errorResponses } },
    handler: async (req) => readOrgSetting(db, req.actor!.orgId, SECURITY),
  });
  r.put('/api/v1/organization/security', {
    schema: {
      tags: ['organization'],
      summary: 'Set the security policy (admin; If-Match: "<version>")',
      description: 'requireTwoFactor: users without two-factor sign-in are made to set it up at their next sign-in (their session can do nothing else until then).',
      body: z.object({ requireTwoFactor: z.boolean(), version: z.number().int().optional() }).strict(),
      response: { 200: security, ...errorResponses },
    },
    handler: async (req) => {
      requireRole(req.actor!, 'admin');
      return changeOrgSetting(db, req.actor!, SECURITY, parseIfMatch(req.headers['if-match'], req.body.version), () => ({ requireTwoFactor: req.body.requireTwoFactor }));
    },
  });
}
