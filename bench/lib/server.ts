import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../tests/helpers/ports.ts';

const BIN = fileURLToPath(new URL('../../bin/accord.js', import.meta.url));

export interface RunningServer {
  url: string;
  proc: ChildProcess;
  /** Peak resident memory of the server process so far (VmHWM), MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/**
 * Starts the real server (`accord serve`) as its own process, so its memory is measured alone.
 * Port 0 picks a free one: a fixed port taken by another process would answer the health check
 * for a server that failed to start, and the benchmark would measure the wrong server.
 */
export async function startServer(env: Record<string, string>, requestedPort: number): Promise<RunningServer> {
  const port = requestedPort || (await freePort());
  // Started as docs/operations.md says to run the server (the young-generation cap bounds GC pauses).
  const proc = spawn(process.execPath, ['--max-semi-space-size=4', BIN, 'serve', '--no-demo'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
  return {
    url,
    proc,
    peakRssMb() {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : NaN;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
