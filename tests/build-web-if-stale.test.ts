import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript start-up script, no declarations
import { webBuildNeeded } from '../bin/build-web-if-stale.js';

describe('npm start builds the web app only when its sources changed', () => {
  it('skips the build when web/dist is newer than every source, builds when one is newer or dist is missing', () => {
    const root = mkdtempSync(join(tmpdir(), 'accord-web-'));
    mkdirSync(join(root, 'web/src'), { recursive: true });
    mkdirSync(join(root, 'src'), { recursive: true });
    writeFileSync(join(root, 'web/src/main.tsx'), 'x');
    writeFileSync(join(root, 'src/schemas.ts'), 'x');
    expect(webBuildNeeded(root)).toBe(true);
    mkdirSync(join(root, 'web/dist'));
    writeFileSync(join(root, 'web/dist/index.html'), '<html>');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'web/src/main.tsx'), past, past);
    utimesSync(join(root, 'src/schemas.ts'), past, past);
    expect(webBuildNeeded(root)).toBe(false);
    // A test file does not count; a schema the web app bundles does.
    writeFileSync(join(root, 'src/schemas.test.ts'), 'y');
    utimesSync(join(root, 'src/schemas.test.ts'), new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    expect(webBuildNeeded(root)).toBe(false);
    utimesSync(join(root, 'src/schemas.ts'), new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    expect(webBuildNeeded(root)).toBe(true);
  });
});
