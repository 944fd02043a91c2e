import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/kernel/db/index.ts';
import { runMigrations } from '../src/kernel/db/migrate.ts';

/**
 * Runs once per test run: migrates a PGlite template every test file starts from (opening and
 * migrating PGlite per file costs seconds), and gives the PostgreSQL test database a fresh schema.
 */
export default async function setup({ provide }: { provide: (key: 'pgliteTemplate', value: string) => void }) {
  const template = await openDatabase({ worker: false });
  await runMigrations(template);
  const blob = await template.dumpDataDir!();
  const file = join(tmpdir(), `accord-pglite-template-${process.pid}.tar.gz`);
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  await template.close();
  provide('pgliteTemplate', file);

  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('drop schema if exists public cascade; drop schema if exists drizzle cascade; create schema public;');
    await client.end();
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
