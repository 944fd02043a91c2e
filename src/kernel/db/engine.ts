import { PGlite, types } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { parseTimestamp } from './timestamps.ts';

/**
 * The result shape both database modes return, close to node-postgres' QueryResult so
 * Drizzle's node-postgres driver and our own SQL work unchanged on either.
 */
export interface RawResult {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  rowCount: number;
  command?: string;
}

/** A serialisable database error carrying PostgreSQL's SQLSTATE and detail fields. */
export interface DbErrorShape {
  message: string;
  code?: string;
  detail?: string;
  constraint?: string;
  column?: string;
  table?: string;
}

/**
 * Values come back as the PostgreSQL mode gives them (index.ts): timestamps as ISO 8601 UTC with
 * milliseconds, dates, intervals, bigints and numerics as text (no precision lost on money), JSON parsed.
 */
const passThrough = (v: string) => v;
export const pgliteParsers = {
  [types.TIMESTAMPTZ]: parseTimestamp,
  [types.TIMESTAMP]: parseTimestamp,
  [types.DATE]: passThrough,
  [types.INTERVAL]: passThrough,
  [types.INT8]: passThrough,
  [types.NUMERIC]: passThrough,
};

export async function openPglite(dataDir: string | undefined, loadDataDir?: Blob, instanceId?: string): Promise<PGlite> {
  const db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    extensions: { pg_trgm },
    parsers: pgliteParsers,
  });
  // The owner stamped on jobs this process starts (migration 0004); PostgreSQL sets it per connection.
  if (instanceId) await db.query(`select set_config('accord.instance_id', $1, false)`, [instanceId]);
  return db;
}

/** One place that knows PGlite's calling conventions; the inline and worker engines both use it. */
export async function runOnPglite(
  db: PGlite,
  text: string,
  params: unknown[] | undefined,
  rowMode: 'array' | 'object',
): Promise<RawResult> {
  const res = await db.query(text, params ?? [], { rowMode });
  return {
    rows: res.rows as unknown[],
    fields: res.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    rowCount: res.affectedRows ?? res.rows.length,
  };
}

export function toErrorShape(e: unknown): DbErrorShape {
  const err = e as Record<string, unknown>;
  const pick = (k: string) => (typeof err?.[k] === 'string' ? (err[k] as string) : undefined);
  return {
    message: pick('message') ?? String(e),
    code: pick('code'),
    detail: pick('detail'),
    constraint: pick('constraint'),
    column: pick('column'),
    table: pick('table'),
  };
}

export class DatabaseError extends Error {
  code?: string;
  detail?: string;
  constraint?: string;
  column?: string;
  table?: string;
  constructor(shape: DbErrorShape) {
    super(shape.message);
    this.name = 'DatabaseError';
    Object.assign(this, shape);
  }
}
