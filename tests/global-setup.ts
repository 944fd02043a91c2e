import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/kernel/db/index.ts';
import { runMigrations } from '../src/kernel/db/migrate.ts';

/**
 * Runs once per test run: migrates a PGlite template every test file starts from (opening and
 * migrating PGlite per file costs seconds), and brings the PostgreSQL test database's schema up to date.
 */
export default async function setup({ provide }: { provide: (key: 'pgliteTemplate', value: string) => void }) {
  const template = await openDatabase({ worker: false });
  await runMigrations(template);
  const blob = await template.dumpDataDir!();
  const file = join(tmpdir(), `accord-pglite-template-${process.pid}.tar.gz`);
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  await template.close();
  provide('pgliteTemplate', file);

  // The PostgreSQL test database is shared (by parallel runs too): it is only migrated, never
  // emptied. Every test creates its own organizations, so rows of earlier runs change nothing.
  // The Citus coordinator likewise; migrating it there also distributes every table.
  for (const url of [process.env.TEST_DATABASE_URL, process.env.TEST_CITUS_URL]) {
    if (!url) continue;
    const db = await openDatabase({ url });
    await runMigrations(db);
    await db.close();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
