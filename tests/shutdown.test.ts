import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/ports.ts';

const BIN = fileURLToPath(new URL('../bin/accord.js', import.meta.url));

async function start(dataDir: string) {
  const port = await freePort();
  const proc = spawn(process.execPath, [BIN, 'serve', '--no-demo'], {
    env: { ...process.env, DATABASE_URL: '', ACCORD_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600 && proc.exitCode === null; i++) {
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return { proc, url, output: () => output };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`server did not start: ${output}`);
}

async function stop(proc: ChildProcess, signal: NodeJS.Signals) {
  const exited = once(proc, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  proc.kill(signal);
  return exited;
}

// A container stop (SIGTERM) or Ctrl-C (SIGINT) must close the embedded database cleanly: the
// folder is reopened by the next start, and nothing is left half-written.
describe('server shutdown on a signal (embedded database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-shutdown-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGTERM closes the server and the database; the data folder opens again', async () => {
    const first = await start(dir);
    const [code, signal] = await stop(first.proc, 'SIGTERM');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(first.output()).toContain('SIGTERM: closing');

    const second = await start(dir);
    const health = await fetch(`${second.url}/api/v1/health`);
    expect(health.status).toBe(200);
    const [code2] = await stop(second.proc, 'SIGINT');
    expect(code2).toBe(0);
  }, 120_000);
});
