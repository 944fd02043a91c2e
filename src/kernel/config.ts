import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** postgres://… for the server mode; empty for embedded PGlite. */
  databaseUrl?: string;
  dataDir: string;
  /** Cookies marked Secure (behind HTTPS). */
  secureCookies: boolean;
  sessionDays: number;
  bodyLimit: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.ACCORD_DATA_DIR ?? './data'),
    secureCookies: env.ACCORD_SECURE_COOKIES === '1',
    sessionDays: Number(env.ACCORD_SESSION_DAYS ?? 14),
    bodyLimit: Number(env.ACCORD_BODY_LIMIT ?? 1024 * 1024),
  };
}
