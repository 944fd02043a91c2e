import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFolderBusyError, openDatabase } from '../src/kernel/db/index.ts';
import { LOCK_FILE } from '../src/kernel/db/data-lock.ts';

const BIN = fileURLToPath(new URL('../bin/accord.js', import.meta.url));

async function cli(dataDir: string, args: string[]) {
  const proc = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '', ACCORD_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(proc, 'exit')) as [number | null];
  return { code, out };
}

// Two PGlite instances on one folder do not see each other's writes: a user that `accord user add`
// reported as added next to a running server was gone after the server restarted.
describe('one opener per embedded data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a CLI command refuses a folder another process holds, naming its pid and what to do; the lock goes with the owner', async () => {
    const owner = await openDatabase({ dataDir: dir, worker: false });
    try {
      const lock = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number };
      expect(lock.pid).toBe(process.pid);
      const r = await cli(dir, ['user', 'add', '--email', 'late@example.com', '--name', 'Late', '--password', 'a-long-password-1', '--new-org', 'Late Org']);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`in use by process ${process.pid}`);
      expect(r.out).toMatch(/stop that process first.*HTTP API with an API token/s);
      // In this process too: a second open is refused, not a second instance.
      await expect(openDatabase({ dataDir: dir, worker: false })).rejects.toBeInstanceOf(DataFolderBusyError);
    } finally {
      await owner.close();
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 180_000);

  it('a lock left by a process that is gone (kill -9) is taken over', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const pid = Number(dead.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, hostname: hostname(), command: 'accord serve', since: '2026-01-01T00:00:00.000Z' }));
    const db = await openDatabase({ dataDir: dir, worker: false });
    try {
      expect((JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number }).pid).toBe(process.pid);
      expect((await db.query('select 1 as n')).rows).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
