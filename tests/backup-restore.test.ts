/**
 * `accord backup` / `accord restore`: a PGlite organization with awkward data is backed up and
 * restored into a fresh PGlite and into a separate PostgreSQL database (created and dropped here,
 * never the shared test database); every table must come back row for row.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { openDatabase, type Database } from '../src/kernel/db/index.ts';
import { runMigrations } from '../src/kernel/db/migrate.ts';
import { openArchive, writeBackup } from '../src/cli/commands/backup.ts';
import { restoreBackup } from '../src/cli/commands/restore.ts';
import { useTestApp } from './helpers/app.ts';
import { openTestDatabase } from './helpers/db.ts';

/** Row count and digest of every public table, rendered in UTC so both engines print alike. */
async function snapshot(database: Database): Promise<Record<string, string>> {
  return database.withConnection(async (c) => {
    await c.query(`set timezone to 'UTC'`);
    const { rows: tables } = await c.query(`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'server_instances' order by 1`);
    const parts = (tables as { t: string }[]).map(
      ({ t }) => `select '${t}' as t, count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from "${t}" x`,
    );
    const { rows } = await c.query(parts.join(' union all '));
    return Object.fromEntries((rows as { t: string; n: number; h: string }[]).map((r) => [r.t, `${r.n}:${r.h}`]));
  });
}

async function freshPglite(): Promise<Database> {
  return openTestDatabase('pglite');
}

describe('backup and restore', () => {
  const t = useTestApp('pglite');
  let dir: string;
  let file: string;
  let source: Record<string, string>;
  let accountId: string;
  const awkward = 'Tab\there, newline\nthere, back\\slash, quote " \' , 中文, emoji 🚀, \\N literal';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-backup-'));
    file = join(dir, 'org.accord.gz');
    const { admin, rep } = t.org.users;
    await t.as(admin, { method: 'POST', url: '/api/v1/custom-fields', payload: { entity: 'account', key: 'plants', label: { en: 'Plants' }, type: 'number' } });
    const acc = await t.as(rep, {
      method: 'POST',
      url: '/api/v1/accounts',
      payload: { name: awkward, city: null, tags: ['a,b', 'c"d', '{x}'], employees: 12, annualRevenue: '12345678.90', custom: { plants: 3 } },
    });
    expect(acc.statusCode, acc.body).toBe(201);
    accountId = acc.json().id;
    for (let i = 0; i < 25; i++) await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: `Bulk ${i}` } });
    await t.as(rep, { method: 'DELETE', url: `/api/v1/accounts/${accountId}` });
    source = await snapshot(t.database);
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up every table with its row count', async () => {
    const manifest = await writeBackup(t.database, file);
    const counts = Object.fromEntries(Object.entries(source).map(([k, v]) => [k, Number(v.split(':')[0])]));
    expect(Object.fromEntries(manifest.tables.map((x) => [x.name, x.rows]))).toEqual(counts);
    // Parents before children: accounts and contacts point at users, contacts at accounts.
    const at = (n: string) => manifest.tables.findIndex((x) => x.name === n);
    expect(at('users')).toBeLessThan(at('accounts'));
    expect(at('accounts')).toBeLessThan(at('contacts'));
    expect(manifest.migrations.length).toBeGreaterThan(0);
    const { manifest: read, close } = await openArchive(file);
    close();
    expect(read).toEqual(manifest);
  });

  it('restores into a fresh PGlite exactly', async () => {
    const target = await freshPglite();
    try {
      await restoreBackup(target, file);
      expect(await snapshot(target)).toEqual(source);
      const { rows } = await target.query('select name, tags, annual_revenue, custom, deleted_at is not null as deleted from accounts where id = $1', [accountId]);
      expect(rows[0]).toEqual({ name: awkward, tags: ['a,b', 'c"d', '{x}'], annual_revenue: '12345678.90', custom: { plants: 3 }, deleted: true });
    } finally {
      await target.close();
    }
  });

  it('refuses a database that is not empty unless forced, and a file that is not a backup', async () => {
    const target = await freshPglite();
    try {
      await restoreBackup(target, file);
      await expect(restoreBackup(target, file)).rejects.toThrow(/not empty.*--force/);
      await target.query(`update accounts set name = 'changed after restore' where id = $1`, [accountId]);
      await restoreBackup(target, file, { force: true });
      expect(await snapshot(target)).toEqual(source);

      const junk = join(dir, 'junk.gz');
      writeFileSync(junk, gzipSync('hello'));
      await expect(restoreBackup(target, junk, { force: true })).rejects.toThrow(/not an Accord backup/);
      const plain = join(dir, 'plain.txt');
      writeFileSync(plain, 'not gzip at all');
      await expect(restoreBackup(target, plain, { force: true })).rejects.toThrow();
      // A truncated archive fails and leaves the database as it was (one transaction).
      const cut = join(dir, 'cut.gz');
      const whole = readFileSync(file);
      writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.7)));
      await target.query(`update accounts set name = 'before failed restore' where id = $1`, [accountId]);
      const before = await snapshot(target);
      await expect(restoreBackup(target, cut, { force: true })).rejects.toThrow();
      expect(await snapshot(target)).toEqual(before);
    } finally {
      await target.close();
    }
  });

  it('refuses a database without the schema', async () => {
    const empty = await openDatabase({ worker: false });
    try {
      await expect(restoreBackup(empty, file)).rejects.toThrow(/migrate/);
    } finally {
      await empty.close();
    }
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('restores into PostgreSQL, and a PostgreSQL backup restores into PGlite', async () => {
    const base = new URL(process.env.TEST_DATABASE_URL!);
    const name = `accord_restore_test_${uuidv7().replace(/-/g, '').slice(-12)}`;
    const admin = new pg.Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(base.toString());
    url.pathname = `/${name}`;
    let server: Database | undefined;
    try {
      server = await openDatabase({ url: url.toString() });
      await runMigrations(server);
      await restoreBackup(server, file);
      expect(await snapshot(server)).toEqual(source);
      const again = join(dir, 'from-postgres.gz');
      const m = await writeBackup(server, again);
      expect(m.source).toBe('postgres');
      const back = await freshPglite();
      try {
        await restoreBackup(back, again);
        expect(await snapshot(back)).toEqual(source);
      } finally {
        await back.close();
      }
    } finally {
      await server?.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }, 300_000);

  it('the CLI backs up and restores an embedded data folder', async () => {
    const run = promisify(execFile);
    const src = join(dir, 'cli-src');
    const dst = join(dir, 'cli-dst');
    const out = join(dir, 'cli.gz');
    const env = { ...process.env, DATABASE_URL: '', ACCORD_DATA_DIR: src };
    await run('node', ['bin/accord.js', 'user', 'add', '--new-org', 'CLI Org', '--email', `cli-${uuidv7().slice(-8)}@test.example`, '--name', 'Cli', '--password', 'cli-password-123'], { env });
    const b = await run('node', ['bin/accord.js', 'backup', out], { env });
    expect(b.stdout).toMatch(/Backed up \d+ tables/);
    const envDst = { ...env, ACCORD_DATA_DIR: dst };
    const r = await run('node', ['bin/accord.js', 'restore', out], { env: envDst });
    expect(r.stdout).toMatch(/Restored \d+ tables/);
    const refused = await run('node', ['bin/accord.js', 'restore', out], { env: envDst }).catch((e: { code: number; stderr: string }) => e);
    expect((refused as { code: number }).code).toBe(1);
    expect((refused as { stderr: string }).stderr).toMatch(/not empty/);
    const a = await openDatabase({ dataDir: src, worker: false });
    const sa = await snapshot(a);
    await a.close();
    const z = await openDatabase({ dataDir: dst, worker: false });
    const sz = await snapshot(z);
    await z.close();
    expect(sz).toEqual(sa);
    expect(Number(sz.users!.split(':')[0])).toBe(1);
  }, 300_000);
});
