import type { FastifyInstance } from 'fastify';
import type { Config } from './kernel/config.ts';
import type { Database } from './kernel/db/index.ts';
import { buildApp } from './kernel/http.ts';
import { features } from './features/registry.ts';

export interface ServerOptions {
  database: Database;
  config: Pick<Config, 'secureCookies' | 'sessionDays' | 'bodyLimit'> & Partial<Pick<Config, 'trustProxy' | 'uploadLimits'>>;
  logger?: boolean | object;
}

/** The whole Accord HTTP server on a given database (tests call this with an in-memory one). */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = await buildApp(opts);
  const ctx = { db: opts.database.db, database: opts.database, config: opts.config };
  for (const register of features) await register(app, ctx);
  await app.ready();
  return app;
}
