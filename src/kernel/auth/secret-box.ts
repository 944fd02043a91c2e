import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';

/**
 * Encryption at rest for small secrets (TOTP seeds): AES-256-GCM under a key that is never in
 * the database, so a copy of the database (a backup, a dump) does not carry working second factors.
 *
 * The key is ACCORD_SECRET_KEY (at least 32 characters, e.g. `openssl rand -base64 32`); without it
 * a random key is made once in `<data folder>/secret.key` (mode 0600), which suits the embedded
 * mode where the data folder is the whole installation. Several servers on one PostgreSQL must
 * share one ACCORD_SECRET_KEY.
 */
export const KEY_FILE = 'secret.key';
const VERSION = 'v1';

let cached: { material: string; key: Buffer } | undefined;

export function keyMaterial(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.ACCORD_SECRET_KEY?.trim();
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('ACCORD_SECRET_KEY must be at least 32 characters');
    return fromEnv;
  }
  const dir = loadConfig(env).dataDir;
  const file = join(dir, KEY_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const made = randomBytes(32).toString('base64url');
  // wx: if another process made it a moment ago, fail rather than overwrite, and read theirs.
  try {
    writeFileSync(file, made + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return made;
  } catch {
    return readFileSync(file, 'utf8').trim();
  }
}

function key(): Buffer {
  const material = keyMaterial();
  if (cached?.material !== material) {
    // Any string of enough entropy becomes a 256-bit key; the label keeps this key for this use only.
    cached = { material, key: Buffer.from(hkdfSync('sha256', material, 'accord', 'secret-box v1', 32)) };
  }
  return cached.key;
}

/** `context` (e.g. org and user id) is bound to the ciphertext: a value copied to another row does not decrypt. */
export function seal(plain: string, context: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key(), iv);
  c.setAAD(Buffer.from(context));
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return [VERSION, iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function open(sealed: string, context: string): string {
  const [v, iv, tag, body] = sealed.split('.');
  if (v !== VERSION || !iv || !tag || body === undefined) throw new Error('Unknown secret format');
  const d = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
  d.setAAD(Buffer.from(context));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
}
