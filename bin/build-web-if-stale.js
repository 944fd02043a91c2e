#!/usr/bin/env node
/**
 * `npm start` builds the web app only when it has to: when web/dist is missing or older than any
 * source it is built from (web/, the shared zod schemas under src/, the lockfile). A restart with
 * unchanged sources starts the server at once instead of spending a minute in `vite build`.
 * `--check` prints whether a build is needed and exits 1 if so (for tests), without building.
 */
/* global URL, process, console */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const SOURCES = ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/public', 'src', 'package-lock.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return path.endsWith('.test.ts') || path.endsWith('.test.tsx') ? 0 : s.mtimeMs;
  let max = 0;
  for (const d of readdirSync(path)) if (d !== 'node_modules' && d !== 'dist') max = Math.max(max, newest(join(path, d)));
  return max;
}

export function webBuildNeeded(root = ROOT) {
  const index = join(root, 'web/dist/index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((p) => newest(join(root, p)) > built);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const needed = webBuildNeeded();
  if (process.argv.includes('--check')) {
    console.log(needed ? 'web build needed' : 'web/dist is up to date');
    process.exit(needed ? 1 : 0);
  }
  if (!needed) {
    console.log('web/dist is up to date: not rebuilt');
  } else {
    console.log('building the web app (sources changed since the last build)');
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  }
}
