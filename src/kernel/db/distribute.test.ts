import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCitusCluster, type CitusCluster } from '../../../tests/helpers/citus-cluster.ts';
import { createOrganization } from '../../features/organizations/commands.ts';
import { createJob } from '../../features/imports/commands.ts';
import { trackJob } from '../jobs.ts';
import { openDatabase, type Database } from './index.ts';
import { migrationsFolder, runMigrations } from './migrate.ts';

/**
 * Its own three-node cluster (a coordinator and two workers, then a third): distribution, a later
 * migration on the distributed cluster, growth. Runs where Citus is installed and TEST_CITUS_GROWTH
 * is set (it starts three PostgreSQL servers: seconds of CPU a shared machine should not pay on
 * every run).
 */
const run = !!process.env.TEST_CITUS_GROWTH && existsSync('/usr/lib/postgresql/15/lib/citus.so');

describe.runIf(run)('Citus: distribution by org_id, later migrations, adding a worker, isolating a tenant', () => {
  let cluster: CitusCluster;
  let database: Database;
  const folder = mkdtempSync(join(tmpdir(), 'accord-migrations-'));
  beforeAll(async () => {
    cluster = await startCitusCluster({ workers: 2, shardCount: 4 });
    database = await openDatabase({ url: cluster.url });
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    await cluster?.stop();
    rmSync(folder, { recursive: true, force: true });
  });
  const q = async <T>(text: string, params?: unknown[]) => (await database.query(text, params)).rows as T[];

  it('migrates, makes the tables without org_id reference tables and every other one distributed in one colocation group; a second run does nothing', async () => {
    const d = (await runMigrations(database, { distribute: true }))!;
    expect(d.reference.sort()).toEqual(['login_emails', 'organizations', 'server_instances']);
    expect(d.distributed).toContain('users');
    // FK order: a table comes after every table it references.
    expect(d.distributed.indexOf('users')).toBeLessThan(d.distributed.indexOf('accounts'));
    expect(d.distributed.indexOf('accounts')).toBeLessThan(d.distributed.indexOf('contacts'));
    expect(d.distributed.indexOf('interactions')).toBeLessThan(d.distributed.indexOf('interaction_contacts'));
    const tables = await q<{ name: string; type: string; col: string | null; colocation: number }>(
      `select table_name::text as name, citus_table_type as type, distribution_column as col, colocation_id as colocation from citus_tables`,
    );
    const publicTables = await q<{ n: number }>(`select count(*)::int as n from pg_tables where schemaname = 'public'`);
    expect(tables.length).toBe(publicTables[0]!.n);
    const distributed = tables.filter((t) => t.type === 'distributed');
    expect(distributed.every((t) => t.col === 'org_id')).toBe(true);
    expect(new Set(distributed.map((t) => t.colocation)).size).toBe(1);
    expect(await runMigrations(database, { distribute: true })).toEqual({ reference: [], distributed: [] });
  });

  it('jobs name the process running them although their owner trigger runs on a worker', async () => {
    const { org, admin } = await createOrganization(database.db, { name: 'Jobs', admin: { email: `jobs-${Date.now()}@test.example`, name: 'Job Admin', password: 'correct-horse-battery' } });
    const owner = await trackJob(database, org.id, 'recompute', async () => (await q<{ i: string }>(`select instance_id as i from job_runs where org_id = $1`, [org.id]))[0]!.i);
    expect(owner).toBe(database.instanceId);
    const job = await createJob(database, { orgId: org.id, actorId: admin.id, entity: 'accounts', format: 'csv' });
    expect((await q<{ i: string }>(`select instance_id as i from import_jobs where org_id = $1 and id = $2`, [org.id, job]))[0]!.i).toBe(database.instanceId);
  });

  it('a later migration that adds a tenant table with a composite foreign key runs on the distributed cluster', async () => {
    cpSync(migrationsFolder, folder, { recursive: true });
    writeFileSync(join(folder, '0099_later.sql'), [
      'CREATE TABLE "later_notes" ("org_id" uuid NOT NULL, "id" uuid DEFAULT uuid_generate_v7() NOT NULL, "account_id" uuid NOT NULL, "body" text NOT NULL, CONSTRAINT "later_notes_pk" PRIMARY KEY("org_id","id"));',
      '--> statement-breakpoint',
      'ALTER TABLE "later_notes" ADD CONSTRAINT "later_notes_account_fk" FOREIGN KEY ("org_id","account_id") REFERENCES "public"."accounts"("org_id","id");',
      '--> statement-breakpoint',
      'CREATE INDEX "later_notes_account" ON "later_notes" USING btree ("org_id","account_id");',
    ].join('\n'));
    const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; when: number; tag: string }[] };
    journal.entries.push({ idx: 99, version: '7', when: 1796000099000, tag: '0099_later', breakpoints: true } as never);
    writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify(journal));
    expect(await runMigrations(database, { folder })).toEqual({ reference: [], distributed: [] });
    const [t] = await q<{ col: string; same: boolean }>(
      `select distribution_column as col, colocation_id = (select colocation_id from citus_tables where table_name = 'users'::regclass) as same from citus_tables where table_name = 'later_notes'::regclass`,
    );
    expect(t).toEqual({ col: 'org_id', same: true });
  });

  it('grows: a third worker takes shards after citus_rebalance_start, a large tenant gets shards of its own, and its data stays reachable', async () => {
    const { org } = await createOrganization(database.db, { name: 'Big tenant', admin: { email: `big-${Date.now()}@test.example`, name: 'Big Admin', password: 'correct-horse-battery' } });
    await q(`insert into accounts (org_id, name) select $1, 'Account ' || g from generate_series(1, 50) g`, [org.id]);
    const port = await cluster.addWorker();
    await q(`select citus_rebalance_start(shard_transfer_mode => 'block_writes')`);
    await q(`select citus_rebalance_wait()`);
    const [moved] = await q<{ n: number }>(`select count(*)::int as n from citus_shards where nodeport = $1`, [port]);
    expect(moved!.n).toBeGreaterThan(0);
    const [iso] = await q<{ shard: string }>(`select isolate_tenant_to_new_shard('accounts', $1::uuid, cascade_option => 'CASCADE', shard_transfer_mode => 'block_writes')::text as shard`, [org.id]);
    const [own] = await q<{ shard: string }>(`select get_shard_id_for_distribution_column('accounts', $1::uuid)::text as shard`, [org.id]);
    expect(own!.shard).toBe(iso!.shard);
    const [count] = await q<{ n: number }>(`select count(*)::int as n from accounts where org_id = $1`, [org.id]);
    expect(count!.n).toBe(50);
  });
});
