import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../kernel/db/index.ts';
import { errorResponses, idParams } from '../../kernel/http-schemas.ts';
import { parseIfMatch } from '../../kernel/resource.ts';
import { addUser, createToken, importTeam, getUser, listTokens, listUsers, revokeToken, updateOwnProfile, updateUser } from './commands.ts';
import { asSeenBy } from './rules.ts';
import { profileUpdate, teamImport, teamImportResult, token, tokenCreate, user, userCreate, userListed, userUpdate } from './schemas.ts';

export function userRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/users', {
    schema: { tags: ['users'], summary: 'Users of the organization (e-mail addresses for administrators only)', response: { 200: z.object({ data: z.array(userListed) }) } },
    handler: async (req) => ({ data: (await listUsers(db, req.actor!.orgId)).map((u) => asSeenBy(req.actor!, u)) }),
  });
  r.get('/api/v1/users/:id', {
    schema: { tags: ['users'], summary: 'One user (the e-mail address for administrators and the user themself)', params: idParams, response: { 200: userListed, ...errorResponses } },
    handler: async (req) => asSeenBy(req.actor!, await getUser(db, req.actor!.orgId, req.params.id)),
  });
  r.post('/api/v1/users/import', {
    schema: {
      tags: ['users'],
      summary: 'Import a team file (admin): people matched by e-mail or name; the others become inactive users without a login',
      description: 'All rows or none: a row that fails validation is a 400 naming it (members.N.field) and nothing is written. A name several users share is reported under ambiguous, not guessed.',
      body: teamImport,
      response: { 200: teamImportResult, ...errorResponses },
    },
    handler: async (req) => importTeam(db, req.actor!, req.body),
  });
  r.post('/api/v1/users', {
    schema: { tags: ['users'], summary: 'Add a user (admin)', body: userCreate, response: { 201: user, ...errorResponses } },
    handler: async (req, reply) => {
      const u = await db.transaction((tx) => addUser(tx, req.actor!, req.body));
      reply.code(201);
      return u;
    },
  });
  r.patch('/api/v1/users/me', {
    schema: {
      tags: ['users'],
      summary: 'Edit your own profile: name, language, password',
      description:
        'Any role. A new password needs `currentPassword` (wrong → 400 with code `wrong_password`) and signs out your other sessions. `version` / If-Match is optional.',
      body: profileUpdate,
      response: { 200: user, ...errorResponses },
    },
    // Password guessing through a stolen session is throttled like login.
    config: { rateLimit: { hook: 'preHandler', max: 30, timeWindow: '1 minute', keyGenerator: (req) => `me|${req.actor?.userId ?? req.ip}` } },
    handler: async (req) => updateOwnProfile(db, req.actor!, req.sessionId ?? null, parseIfMatch(req.headers['if-match'], req.body.version), req.body),
  });
  r.patch('/api/v1/users/:id', {
    schema: {
      tags: ['users'],
      summary: 'Edit a user: admins change role, team, department and active; anyone edits their own name, locale and password',
      params: idParams,
      body: userUpdate,
      response: { 200: user, ...errorResponses },
    },
    handler: async (req) => updateUser(db, req.actor!, req.params.id, parseIfMatch(req.headers['if-match'], req.body.version), req.body),
  });
  r.get('/api/v1/tokens', {
    schema: { tags: ['tokens'], summary: 'API tokens (yours; all for admins)', response: { 200: z.object({ data: z.array(token) }) } },
    handler: async (req) => ({ data: await listTokens(db, req.actor!) }),
  });
  r.post('/api/v1/tokens', {
    schema: { tags: ['tokens'], summary: 'Create a personal API token; the secret is returned once', body: tokenCreate, response: { 201: token.extend({ token: z.string() }), ...errorResponses } },
    handler: async (req, reply) => {
      const t = await createToken(db, req.actor!, req.body);
      reply.code(201);
      return t;
    },
  });
  r.delete('/api/v1/tokens/:id', {
    schema: { tags: ['tokens'], summary: 'Revoke a token', params: idParams, response: { 200: token, ...errorResponses } },
    handler: async (req) => revokeToken(db, req.actor!, req.params.id),
  });
}
