import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { apiTokens, loginEmails, sessions, users } from '../../db/schema/index.ts';
import { requireRole, type Actor } from '../../kernel/actor.ts';
import { audit, diff } from '../../kernel/audit.ts';
import { API_TOKEN_PREFIX, hashPassword, newOrgToken, tokenHash, verifyPassword } from '../../kernel/auth/secrets.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { conflict, FieldErrors, fieldError, forbidden, notFound, preconditionRequired } from '../../kernel/errors.ts';
import type { z } from 'zod';
import { createHash } from 'node:crypto';
import type { profileUpdate, teamImport, tokenCreate, userCreate, userUpdate } from './schemas.ts';
import { planTeamImport } from './rules.ts';

const publicColumns = {
  id: users.id,
  orgId: users.orgId,
  email: users.email,
  name: users.name,
  role: users.role,
  department: users.department,
  team: users.team,
  locale: users.locale,
  active: users.active,
  deactivatedAt: users.deactivatedAt,
  version: users.version,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

export const listUsers = (db: DbOrTx, orgId: string) => db.select(publicColumns).from(users).where(eq(users.orgId, orgId)).orderBy(asc(users.name));

export async function getUser(db: DbOrTx, orgId: string, id: string) {
  const [u] = await db.select(publicColumns).from(users).where(and(eq(users.orgId, orgId), eq(users.id, id)));
  if (!u) throw notFound('User');
  return u;
}

/**
 * Brings the global sign-in table (login_emails) in step with the organization's users: every user's
 * email names the organization. Call it in the transaction that adds users (any path: the API, team
 * files, imports, the demo); set-based and idempotent. Emails are never changed or users deleted, so
 * adding is all it needs.
 */
export async function syncLoginEmails(tx: DbOrTx, orgId: string) {
  await tx.execute(sql`INSERT INTO ${loginEmails} (email, organization_id)
    SELECT DISTINCT lower(email), org_id FROM ${users} WHERE org_id = ${orgId} ON CONFLICT DO NOTHING`);
}

/** Adds a user; used by the admin API, the CLI and organization set-up. */
export async function addUser(tx: DbOrTx, actor: Actor, input: z.infer<typeof userCreate>) {
  requireRole(actor, 'admin');
  const email = input.email.trim().toLowerCase();
  const [taken] = await tx.select({ id: users.id }).from(users).where(and(eq(users.orgId, actor.orgId), sql`lower(${users.email}) = ${email}`));
  if (taken) throw fieldError('email', 'A user with this email already exists', 'already_exists');
  const [row] = await tx
    .insert(users)
    .values({
      orgId: actor.orgId,
      email,
      name: input.name,
      role: input.role,
      department: input.department ?? null,
      team: input.team ?? null,
      locale: input.locale ?? null,
      passwordHash: await hashPassword(input.password),
    })
    .returning(publicColumns);
  await tx.insert(loginEmails).values({ email, organizationId: actor.orgId }).onConflictDoNothing();
  await audit(tx, actor, { action: 'create', entity: 'user', entityId: row!.id, after: row });
  return row!;
}

/** Edits a user. Deactivating ends their sessions and tokens at once; their records stay for handover. */
export async function updateUser(db: Db, actor: Actor, id: string, version: number | undefined, input: z.infer<typeof userUpdate>) {
  const self = id === actor.userId;
  const adminFields = input.role !== undefined || input.active !== undefined || input.team !== undefined || input.department !== undefined;
  if (!self || adminFields) requireRole(actor, 'admin');
  if (self && input.active === false) throw forbidden('You cannot deactivate yourself');
  if (version === undefined) throw preconditionRequired();
  return db.transaction(async (tx) => {
    const [before] = await tx.select(publicColumns).from(users).where(and(eq(users.orgId, actor.orgId), eq(users.id, id))).for('update');
    if (!before) throw notFound('User');
    if (before.version !== version) throw conflict('This user was changed by someone else', before);
    const { password, version: _v, ...rest } = input;
    const [after] = await tx
      .update(users)
      .set({
        ...rest,
        ...(password ? { passwordHash: await hashPassword(password) } : {}),
        ...(input.active === false && before.active ? { deactivatedAt: sql`now()` } : {}),
        ...(input.active === true ? { deactivatedAt: null } : {}),
        version: sql`${users.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(users.orgId, actor.orgId), eq(users.id, id)))
      .returning(publicColumns);
    if (input.active === false || password) {
      await tx.delete(sessions).where(and(eq(sessions.orgId, actor.orgId), eq(sessions.userId, id)));
    }
    if (input.active === false) {
      await tx.update(apiTokens).set({ revokedAt: sql`now()` }).where(and(eq(apiTokens.orgId, actor.orgId), eq(apiTokens.userId, id)));
    }
    const d = diff(before as Record<string, unknown>, after as Record<string, unknown>);
    await audit(tx, actor, { action: input.active === false ? 'deactivate' : 'update', entity: 'user', entityId: id, before: d.before, after: { ...d.after, ...(password ? { password: '(changed)' } : {}) } });
    return after!;
  });
}

/**
 * A person edits their own name, language and password. The version is optional (only they edit
 * these fields); a password change needs the current password and signs out their other browsers,
 * keeping the session it was made from.
 */
export async function updateOwnProfile(db: Db, actor: Actor, sessionId: string | null, version: number | undefined, input: z.infer<typeof profileUpdate>) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ ...publicColumns, passwordHash: users.passwordHash }).from(users).where(and(eq(users.orgId, actor.orgId), eq(users.id, actor.userId))).for('update');
    if (!before) throw notFound('User');
    const { passwordHash, ...current } = before;
    if (version !== undefined && current.version !== version) throw conflict('Your profile was changed elsewhere', current);
    const errs = new FieldErrors();
    if (input.newPassword !== undefined) {
      if (input.currentPassword === undefined) errs.add('currentPassword', 'Required to set a new password', 'required');
      else if (!(await verifyPassword(passwordHash, input.currentPassword))) errs.add('currentPassword', 'The current password is not correct', 'wrong_password');
    } else if (input.currentPassword !== undefined) errs.add('newPassword', 'Required together with the current password', 'required');
    errs.throwIfAny();
    const set: Partial<typeof users.$inferInsert> = {};
    if (input.name !== undefined) set.name = input.name;
    if (input.locale !== undefined) set.locale = input.locale;
    if (input.newPassword !== undefined) set.passwordHash = await hashPassword(input.newPassword);
    if (!Object.keys(set).length) return current;
    const [after] = await tx
      .update(users)
      .set({ ...set, version: sql`${users.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(users.orgId, actor.orgId), eq(users.id, actor.userId)))
      .returning(publicColumns);
    if (input.newPassword !== undefined) {
      const others = [eq(sessions.orgId, actor.orgId), eq(sessions.userId, actor.userId)];
      if (sessionId) others.push(ne(sessions.id, sessionId));
      await tx.delete(sessions).where(and(...others));
    }
    const d = diff(current as Record<string, unknown>, after as Record<string, unknown>);
    await audit(tx, actor, { action: 'update', entity: 'user', entityId: actor.userId, before: d.before, after: { ...d.after, ...(input.newPassword ? { password: '(changed)' } : {}) } });
    return after!;
  });
}

const tokenColumns = {
  id: apiTokens.id,
  userId: apiTokens.userId,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  scope: apiTokens.scope,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  expiresAt: apiTokens.expiresAt,
  revokedAt: apiTokens.revokedAt,
};

/** Personal API tokens act as their user with the user's role; the secret is shown once. */
export async function createToken(db: Db, actor: Actor, input: z.input<typeof tokenCreate>) {
  const secret = newOrgToken(actor.orgId, API_TOKEN_PREFIX);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ orgId: actor.orgId, userId: actor.userId, name: input.name, prefix: API_TOKEN_PREFIX + secret.slice(secret.indexOf('.') + 1, secret.indexOf('.') + 5), tokenHash: tokenHash(secret), expiresAt: input.expiresAt ?? null, scope: input.scope ?? 'full' })
      .returning(tokenColumns);
    await audit(tx, actor, { action: 'create', entity: 'api_token', entityId: row!.id, after: row });
    return { ...row!, token: secret };
  });
}

export async function listTokens(db: DbOrTx, actor: Actor) {
  const conds = [eq(apiTokens.orgId, actor.orgId)];
  if (actor.role !== 'admin') conds.push(eq(apiTokens.userId, actor.userId));
  return db.select(tokenColumns).from(apiTokens).where(and(...conds)).orderBy(asc(apiTokens.createdAt));
}

export async function revokeToken(db: Db, actor: Actor, id: string) {
  return db.transaction(async (tx) => {
    const [t] = await tx.select(tokenColumns).from(apiTokens).where(and(eq(apiTokens.orgId, actor.orgId), eq(apiTokens.id, id)));
    if (!t || (t.userId !== actor.userId && actor.role !== 'admin')) throw notFound('Token');
    // Revoked once: a second revoke keeps the first time. (Not coalesce(revoked_at, now()): Citus
    // refuses non-immutable functions inside COALESCE in an UPDATE.)
    const [updated] = await tx.update(apiTokens).set({ revokedAt: sql`now()` }).where(and(eq(apiTokens.orgId, actor.orgId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).returning(tokenColumns);
    const row = updated ?? t;
    await audit(tx, actor, { action: 'revoke', entity: 'api_token', entityId: id, after: row });
    return row!;
  });
}

/**
 * A team file (the people of an office, from a spreadsheet or another CRM): people who match no user
 * become inactive users without a password — their deals can be imported and handed over, they cannot
 * sign in until an admin activates them. All rows or none (a bad row is a 400 before anything is written).
 */
export async function importTeam(db: Db, actor: Actor, input: z.infer<typeof teamImport>) {
  requireRole(actor, 'admin');
  return db.transaction(async (tx) => {
    // One import at a time per organization: two at once would both find a person missing.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`accord:team-import:${actor.orgId}`}))`);
    const existing = await tx.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.orgId, actor.orgId));
    const plan = planTeamImport(input.members, existing, (s) => createHash('md5').update(s).digest('hex'));
    const created: { line: number; id: string | null; name: string; email: string }[] = [];
    for (const m of plan.create) {
      if (input.dryRun) {
        created.push({ line: m.line, id: null, name: m.name, email: m.email });
        continue;
      }
      const [row] = await tx
        .insert(users)
        .values({ orgId: actor.orgId, email: m.email, name: m.name, role: m.role ?? 'rep', team: m.team ?? null, department: m.department ?? null, active: false, deactivatedAt: sql`now()`, passwordHash: null })
        .returning(publicColumns);
      await audit(tx, actor, { action: 'create', entity: 'user', entityId: row!.id, after: row });
      created.push({ line: m.line, id: row!.id, name: row!.name, email: row!.email });
    }
    if (!input.dryRun && plan.create.length) await syncLoginEmails(tx, actor.orgId);
    return { dryRun: !!input.dryRun, created, existing: plan.existing, ambiguous: plan.ambiguous };
  });
}
