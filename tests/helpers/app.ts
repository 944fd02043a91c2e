import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { systemActor, type Role } from '../../src/kernel/actor.ts';
import type { Database } from '../../src/kernel/db/index.ts';
import { createOrganization } from '../../src/features/organizations/commands.ts';
import { addUser, createToken } from '../../src/features/users/commands.ts';
import { buildServer } from '../../src/server.ts';
import { openTestDatabase, type DbMode } from './db.ts';

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  team: string | null;
  token: string;
}
export interface TestOrg {
  id: string;
  users: Record<'admin' | 'manager' | 'rep' | 'rep2' | 'otherTeamRep' | 'viewer', TestUser>;
}

export const TEST_PASSWORD = 'correct-horse-battery';

/** An organization with one user per role (reps in two teams), each with an API token. */
export async function createTestOrg(database: Database, name = 'Test Org'): Promise<TestOrg> {
  const tag = uuidv7().slice(-12);
  const { org, admin } = await createOrganization(database.db, { name, admin: { email: `admin-${tag}@test.example`, name: 'Ada Admin', password: TEST_PASSWORD } });
  const actor = systemActor(org.id);
  const mk = async (role: Role, key: string, team: string | null) => {
    const u = await database.db.transaction((tx) => addUser(tx, actor, { email: `${key}-${tag}@test.example`, name: `${key} user`, role, team, password: TEST_PASSWORD }));
    return u;
  };
  const made = {
    admin,
    manager: await mk('manager', 'manager', 'North'),
    rep: await mk('rep', 'rep', 'North'),
    rep2: await mk('rep', 'rep2', 'North'),
    otherTeamRep: await mk('rep', 'other', 'South'),
    viewer: await mk('viewer', 'viewer', null),
  };
  const users = {} as TestOrg['users'];
  for (const [k, u] of Object.entries(made)) {
    const t = await createToken(database.db, { orgId: org.id, userId: u.id, role: u.role, team: u.team, kind: 'user' }, { name: 'test' });
    users[k as keyof TestOrg['users']] = { id: u.id, email: u.email, role: u.role, team: u.team, token: t.token };
  }
  return { id: org.id, users };
}

export interface TestContext {
  database: Database;
  app: FastifyInstance;
  org: TestOrg;
  other: TestOrg;
  /** Inject as a user (Bearer token). */
  as(user: TestUser, opts: InjectOptions): Promise<LightMyRequestResponse>;
}

/** Sets up a server on a fresh database with two organizations for the enclosing describe block. */
export function useTestApp(mode: DbMode): TestContext {
  const ctx = {} as TestContext;
  beforeAll(async () => {
    ctx.database = await openTestDatabase(mode);
    ctx.app = await buildServer({ database: ctx.database, config: { secureCookies: false, sessionDays: 1, bodyLimit: 1024 * 1024 } });
    ctx.org = await createTestOrg(ctx.database, 'Org A');
    ctx.other = await createTestOrg(ctx.database, 'Org B');
    ctx.as = (user, opts) => ctx.app.inject({ ...opts, headers: { authorization: `Bearer ${user.token}`, ...(opts.headers ?? {}) } });
  });
  afterAll(async () => {
    await ctx.app?.close();
    await ctx.database?.close();
  });
  return ctx;
}
