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
  /**
   * Whether to believe X-Forwarded-For / X-Forwarded-Proto: true (any proxy), a hop count, or a
   * comma-separated list of proxy addresses. Off by default: a direct client could claim HTTPS.
   */
  trustProxy?: boolean | string | ((address: string, hop: number) => boolean);
  /** Largest file upload (imports) per role, in bytes; 0 = may not upload. */
  uploadLimits?: UploadLimits;
}

export interface UploadLimits {
  admin: number;
  manager: number;
  rep: number;
  viewer: number;
}

const MB = 1024 * 1024;
/** Default: 200 MB for everyone who may write; viewers do not upload. */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { admin: 200 * MB, manager: 200 * MB, rep: 200 * MB, viewer: 0 };

/** ACCORD_UPLOAD_MAX_MB for every role that writes (ACCORD_IMPORT_MAX_BYTES, in bytes, is still read); ACCORD_UPLOAD_MAX_MB_<ROLE> per role. */
function uploadLimits(env: NodeJS.ProcessEnv): UploadLimits {
  const all = env.ACCORD_UPLOAD_MAX_MB ? Number(env.ACCORD_UPLOAD_MAX_MB) * MB : env.ACCORD_IMPORT_MAX_BYTES ? Number(env.ACCORD_IMPORT_MAX_BYTES) : undefined;
  const out = { ...DEFAULT_UPLOAD_LIMITS };
  for (const role of Object.keys(out) as (keyof UploadLimits)[]) {
    if (all !== undefined && role !== 'viewer') out[role] = all;
    const own = env[`ACCORD_UPLOAD_MAX_MB_${role.toUpperCase()}`];
    if (own !== undefined && own !== '') out[role] = Number(own) * MB;
  }
  return out;
}

function parseTrustProxy(v: string | undefined): Config['trustProxy'] {
  if (!v || v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return true;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return (_address, hop) => hop < hops;
  }
  return v;
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
    trustProxy: parseTrustProxy(env.ACCORD_TRUST_PROXY),
    uploadLimits: uploadLimits(env),
  };
}
