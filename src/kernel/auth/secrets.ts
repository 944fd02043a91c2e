import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

export const hashPassword = (password: string) => hash(password);

// Verifying against a fixed hash when the user is unknown keeps login time the same either way,
// so response timing does not tell which emails exist.
let dummyHash: Promise<string> | undefined;
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hash('not-a-real-password');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

/** Session and API tokens are random; only their SHA-256 is stored, so a database leak does not leak logins. */
export const newToken = (prefix = '') => prefix + randomBytes(32).toString('base64url');

/** API tokens read `acc_<org key>.<random>` (newOrgToken). */
export const API_TOKEN_PREFIX = 'acc_';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A session or API secret that names its organization: `<prefix><org key>.<random>`, the org key
 * being the organization id's 16 bytes in base64url (22 characters). The lookup is then by
 * (org_id, token_hash), which a sharded database (Citus) routes to the one shard holding that
 * organization instead of asking every shard. The whole secret is hashed, org key included.
 */
export function newOrgToken(orgId: string, prefix = ''): string {
  return `${prefix}${Buffer.from(orgId.replace(/-/g, ''), 'hex').toString('base64url')}.${randomBytes(32).toString('base64url')}`;
}

/** The organization a secret of newOrgToken's format names, or null (old format, garbage). */
export function tokenOrg(secret: string, prefix = ''): string | null {
  if (!secret.startsWith(prefix)) return null;
  const dot = secret.indexOf('.', prefix.length);
  if (dot !== prefix.length + 22) return null;
  const bytes = Buffer.from(secret.slice(prefix.length, dot), 'base64url');
  if (bytes.length !== 16) return null;
  const hex = bytes.toString('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return UUID.test(id) && secret.length > dot + 1 ? id : null;
}
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
