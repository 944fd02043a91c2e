/**
 * Builds the single-page app once for the whole browser run (each test file used to build it
 * again). Skipped when web/dist is newer than every source it is built from — `npm run test:e2e`
 * builds just before — or when E2E_SKIP_BUILD is set.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;

/** Newest modification time of the sources under the given paths (the web app also bundles shared zod schemas from src/); tests do not count. */
function newest(paths: string[]): number {
  let max = 0;
  const walk = (p: string) => {
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const d of readdirSync(p)) if (d !== 'node_modules' && d !== 'dist') walk(join(p, d));
    } else if (!p.endsWith('.test.ts') && s.mtimeMs > max) max = s.mtimeMs;
  };
  for (const p of paths) if (existsSync(p)) walk(p);
  return max;
}

export function distIsFresh(): boolean {
  const index = join(ROOT, 'web/dist/index.html');
  if (!existsSync(index)) return false;
  return statSync(index).mtimeMs >= newest([join(ROOT, 'web'), join(ROOT, 'src'), join(ROOT, 'package-lock.json')]);
}

export default function setup() {
  if (process.env.E2E_SKIP_BUILD) return;
  if (distIsFresh()) {
    console.log('[e2e] web/dist is newer than its sources: not rebuilt');
    return;
  }
  console.log('[e2e] building web/dist once for all browser tests');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}
