import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Conn, Database } from './index.ts';

export const migrationsFolder = fileURLToPath(new URL('../../db/migrations', import.meta.url));
const defaultFolder = migrationsFolder;

/** What the Citus step did: tables it made reference / distributed tables in this run (empty when all were already). */
export interface Distribution {
  reference: string[];
  distributed: string[];
}

/**
 * Applies pending drizzle-kit migrations; the same files on PGlite and PostgreSQL. On a Citus
 * coordinator (the citus extension is installed) it then distributes the tables — always, and
 * `distribute: true` (accord migrate --distribute) insists on Citus. Returns the distribution
 * step's report on Citus, null elsewhere.
 */
export async function runMigrations(database: Database, opts: { distribute?: boolean; folder?: string } = {}): Promise<Distribution | null> {
  const migrationsFolder = opts.folder ?? defaultFolder;
  if (database.mode === 'postgres') {
    // Two servers starting together must not both migrate.
    return database.withConnection(async (c) => {
      await c.query('select pg_advisory_lock(7243001)');
      try {
        const citus = await hasCitus(c);
        if (opts.distribute && !citus) throw new Error('This server is not a Citus coordinator (no citus extension in this database): nothing to distribute');
        if (!citus) {
          await migrate(c.db, { migrationsFolder });
          return null;
        }
        // Before the first distribution the plain runner is right (local tables, FKs among them);
        // after it, new tenant tables must be distributed as they are created (see migrateDistributed).
        if (await isDistributed(c)) await migrateDistributed(c, migrationsFolder);
        else await migrate(c.db, { migrationsFolder });
        return await distributeTables(c);
      } finally {
        await c.query('select pg_advisory_unlock(7243001)');
      }
    });
  }
  if (opts.distribute) throw new Error('The embedded database cannot be distributed: use a Citus coordinator URL (DATABASE_URL)');
  await migrate(database.db, { migrationsFolder });
  return null;
}

type Q = Pick<Conn, 'query'>;

export async function hasCitus(c: Q): Promise<boolean> {
  const { rows } = await c.query(`select exists (select 1 from pg_extension where extname = 'citus') as citus`);
  return (rows[0] as { citus: boolean }).citus;
}

async function isDistributed(c: Q): Promise<boolean> {
  const { rows } = await c.query(`select exists (select 1 from pg_dist_partition where logicalrelid = to_regclass('public.users')) as d`);
  return (rows[0] as { d: boolean }).d;
}

/**
 * The tables of the public schema Citus does not manage yet: `tenant` = those with an org_id column
 * (distributed by it), in foreign-key order (a referenced table before its referrers); `global` =
 * those without one (organizations, login_emails, server_instances: reference tables, copied to
 * every node). Discovered from the catalog, so tables added by any migration are included.
 */
async function undistributed(c: Q): Promise<{ tenant: string[]; global: string[] }> {
  const { rows } = await c.query(
    `select c.relname as name,
            exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped) as tenant,
            coalesce((select array_agg(distinct r.relname::text) from pg_constraint f join pg_class r on r.oid = f.confrelid
                      where f.conrelid = c.oid and f.contype = 'f' and f.confrelid <> c.oid), '{}') as refs
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
       and not exists (select 1 from pg_dist_partition p where p.logicalrelid = c.oid)
     order by c.relname`,
  );
  const all = rows as { name: string; tenant: boolean; refs: string[] }[];
  const tenant = all.filter((r) => r.tenant);
  const names = new Set(tenant.map((r) => r.name));
  const ordered: string[] = [];
  const seen = new Set<string>();
  const visit = (r: (typeof tenant)[number], path: Set<string>) => {
    if (seen.has(r.name) || path.has(r.name)) return;
    path.add(r.name);
    for (const ref of r.refs) if (names.has(ref)) visit(tenant.find((t) => t.name === ref)!, path);
    seen.add(r.name);
    ordered.push(r.name);
  };
  for (const r of tenant) visit(r, new Set());
  return { tenant: ordered, global: all.filter((r) => !r.tenant).map((r) => r.name) };
}

/** A distributed tenant table new ones co-locate with (the group every tenant table is in), if any. */
async function colocationAnchor(c: Q): Promise<string | null> {
  const { rows } = await c.query(
    `select logicalrelid::regclass::text as t from pg_dist_partition p join pg_class c on c.oid = p.logicalrelid
     where p.partmethod = 'h' and c.relnamespace = 'public'::regnamespace order by (logicalrelid = to_regclass('public.users')) desc, p.colocationid limit 1`,
  );
  return (rows[0] as { t: string } | undefined)?.t ?? null;
}

/**
 * Makes every global table a reference table and every tenant table a distributed one, by org_id,
 * all in one co-location group. Idempotent: tables Citus already manages are left alone, so a
 * second run does nothing. Each call is its own statement, outside any migration transaction.
 */
export async function distributeTables(c: Q, inMigration = false): Promise<Distribution> {
  const { tenant, global } = await undistributed(c);
  // Job tables carry a trigger stamping their owner (migration 0004); Citus copies it onto the
  // shards only when told to. It then reads the worker's session, where accord.instance_id is unset,
  // and keeps the value the row came with — which is why job inserts also pass it (imports/commands.ts, kernel/jobs.ts).
  if (!inMigration) await c.query(`set citus.enable_unsafe_triggers = on`);
  try {
    for (const t of global) await c.query(`select create_reference_table($1)`, [`public.${quoteIdent(t)}`]);
    let anchor = await colocationAnchor(c);
    for (const t of tenant) {
      const rel = `public.${quoteIdent(t)}`;
      await c.query(`select create_distributed_table($1, 'org_id', colocate_with => $2)`, [rel, anchor ?? 'none']);
      anchor ??= rel;
    }
  } finally {
    if (!inMigration) await c.query(`reset citus.enable_unsafe_triggers`);
  }
  return { reference: global, distributed: tenant };
}

/**
 * The migration runner once the tables are distributed: drizzle's own bookkeeping (same table, same
 * rule: every migration newer than the last applied one, all in one transaction), but each table a
 * statement creates is distributed (or made a reference table) right after it, inside the
 * transaction — a plain local table could not take a foreign key to a distributed one, which the
 * next statement usually adds. Sequential mode lets DDL and distribution share the transaction.
 */
async function migrateDistributed(c: Q, migrationsFolder: string): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder });
  await c.query('CREATE SCHEMA IF NOT EXISTS "drizzle"');
  await c.query('CREATE TABLE IF NOT EXISTS "drizzle"."__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)');
  const { rows } = await c.query('select created_at from "drizzle"."__drizzle_migrations" order by created_at desc limit 1');
  const last = rows[0] ? Number((rows[0] as { created_at: string }).created_at) : null;
  const pending = migrations.filter((m) => last === null || last < m.folderMillis);
  if (!pending.length) return;
  await c.query('BEGIN');
  try {
    await c.query(`SET LOCAL citus.multi_shard_modify_mode = 'sequential'`);
    await c.query(`SET LOCAL citus.enable_unsafe_triggers = on`);
    for (const m of pending) {
      for (const stmt of m.sql) {
        await c.query(stmt);
        if (/\bcreate\s+table\b/i.test(stmt)) await distributeTables(c, true);
      }
      await c.query('insert into "drizzle"."__drizzle_migrations" ("hash", "created_at") values ($1, $2)', [m.hash, m.folderMillis]);
    }
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK');
    throw e;
  }
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
