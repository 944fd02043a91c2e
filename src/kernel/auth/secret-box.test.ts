import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyMaterial, open, seal } from './secret-box.ts';

describe('secret box (encryption at rest)', () => {
  const saved = process.env.ACCORD_SECRET_KEY;
  afterEach(() => {
    if (saved === undefined) delete process.env.ACCORD_SECRET_KEY;
    else process.env.ACCORD_SECRET_KEY = saved;
  });

  it('round-trips, is different every time, and is bound to its context and key', () => {
    process.env.ACCORD_SECRET_KEY = 'k'.repeat(40);
    const a = seal('JBSWY3DPEHPK3PXP', 'org:user-1');
    const b = seal('JBSWY3DPEHPK3PXP', 'org:user-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(open(a, 'org:user-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => open(a, 'org:user-2')).toThrow();
    // Flip a bit of the ciphertext itself: rewriting the last base64 characters can change only the
    // unused bits of the final character and leave the bytes as they were (the test failed that way once).
    const parts = a.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    const tampered = [...parts.slice(0, 3), body.toString('base64url')].join('.');
    expect(() => open(tampered, 'org:user-1')).toThrow();
    process.env.ACCORD_SECRET_KEY = 'm'.repeat(40);
    expect(() => open(a, 'org:user-1')).toThrow();
  });

  it('a short ACCORD_SECRET_KEY is refused', () => {
    expect(() => keyMaterial({ ACCORD_SECRET_KEY: 'short' })).toThrow(/32/);
  });

  it('without the variable, a key file is made once in the data folder, readable by the owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-key-'));
    try {
      const first = keyMaterial({ ACCORD_DATA_DIR: dir });
      const file = join(dir, 'secret.key');
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').trim()).toBe(first);
      expect(first.length).toBeGreaterThanOrEqual(40);
      expect(keyMaterial({ ACCORD_DATA_DIR: dir })).toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
