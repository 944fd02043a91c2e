/**
 * Generic knowledge about the running app for tests that must cover every route, including the ones
 * other features add later: the route table, each route's OpenAPI schema, minimal valid payloads
 * derived from those schemas, and fingerprints of everything an organization has stored.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../../src/kernel/db/index.ts';
import { buildApp } from '../../src/kernel/http.ts';
import { uploadGuard } from '../../src/kernel/uploads.ts';
import { features } from '../../src/features/registry.ts';
import type { TestContext, TestOrg, TestUser } from './app.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface RouteInfo {
  method: Method;
  /** Fastify form: /api/v1/accounts/:id */
  url: string;
  /** Path parameter names in order. */
  params: string[];
  /** The OpenAPI operation, when the route is documented. */
  op?: OpenApiOperation;
  /** A file-upload route (guarded by kernel/uploads.ts uploadGuard). */
  upload?: boolean;
  /** Registered with `config: { public: true }`: reachable without credentials. */
  public?: boolean;
}
export interface OpenApiOperation {
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
};

const METHODS = new Set<Method>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every route the server registers, found by building the same app with an onRoute hook (so
 * routes hidden from OpenAPI are included), joined with the OpenAPI document of the real app.
 */
export async function collectRoutes(t: TestContext): Promise<RouteInfo[]> {
  const probe = await buildApp({ database: t.database, config: { secureCookies: false, sessionDays: 1, bodyLimit: 1024 * 1024 } });
  const seen: { method: Method; url: string; upload: boolean; public: boolean }[] = [];
  probe.addHook('onRoute', (r) => {
    const upload = [r.onRequest ?? []].flat().includes(uploadGuard as never);
    const open = (r.config as { public?: boolean } | undefined)?.public === true;
    for (const m of [r.method].flat()) if (METHODS.has(m as Method)) seen.push({ method: m as Method, url: r.url, upload, public: open });
  });
  const ctx = { db: t.database.db, database: t.database, config: { secureCookies: false, sessionDays: 1, bodyLimit: 1024 * 1024 } };
  for (const register of features) await register(probe, ctx);
  await probe.ready();
  await probe.close();
  const doc = resolveRefs(t.app.swagger()) as { paths: Record<string, Record<string, OpenApiOperation>> };
  const unique = new Map(seen.map((r) => [`${r.method} ${r.url}`, r]));
  return [...unique.values()]
    .filter((r) => r.url.startsWith('/api/v1/'))
    .map((r) => ({
      ...r,
      params: [...r.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!),
      op: doc.paths[r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[r.method.toLowerCase()],
    }))
    .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
}

/**
 * The document with every local `$ref` (`#/components/schemas/X`) replaced by what it names, as a
 * client generated from the document would see it: a body schema with a component id is an object,
 * not an untyped value (the walkers sent such bodies as strings and met 415s). Cycles stay refs.
 */
export function resolveRefs(doc: unknown): unknown {
  const lookup = (ref: string): unknown => ref.replace(/^#\//, '').split('/').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  const walk = (v: unknown, seen: Set<string>): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, seen));
    if (!v || typeof v !== 'object') return v;
    const ref = (v as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/') && !seen.has(ref)) return walk(lookup(ref), new Set([...seen, ref]));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, seen)]));
  };
  return walk(doc, new Set());
}

export const isPublicAuthRoute = (r: { url: string }) => r.url === '/api/v1/auth/login' || r.url === '/api/v1/auth/logout';

/** The survey answer page's API (features/surveys): public, but only with a survey token — an unknown one is a 404. */
export const PUBLIC_TOKEN_ROUTES = ['/api/v1/public/surveys/:token', '/api/v1/public/surveys/:token/answer'];
export const isPublicTokenRoute = (r: { url: string }) => PUBLIC_TOKEN_ROUTES.includes(r.url);

/**
 * Collection names: `/api/v1/<name>` segments whose POST takes a JSON body (they can be created
 * generically; upload endpoints such as imports cannot).
 */
export function collections(routes: RouteInfo[]): string[] {
  return [...new Set(routes.filter((r) => r.method === 'POST' && /^\/api\/v1\/[^/:]+$/.test(r.url) && bodySchema(r.op)).map((r) => r.url.split('/')[3]!))]
    .filter((n) => n !== 'auth')
    .sort();
}

/** The collection a route belongs to: the first segment after /api/v1/. */
export const collectionOf = (url: string) => url.split('/')[3]!;

export function bodySchema(op: OpenApiOperation | undefined): JsonSchema | undefined {
  return op?.requestBody?.content?.['application/json']?.schema;
}

export function paramSchema(op: OpenApiOperation | undefined, name: string): JsonSchema | undefined {
  return op?.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema;
}

export function isUuidSchema(s: JsonSchema | undefined): boolean {
  if (!s) return false;
  if (s.format === 'uuid') return true;
  return [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some(isUuidSchema);
}

/** `accountId` → accounts, `contactIds` → contacts, `opportunityId` → opportunities; user-ish names → users. */
export function refCollection(field: string, known: string[]): string | undefined {
  const base = field.replace(/Ids?$/, '');
  if (!base || base === field) return undefined;
  if (/^(owner|assignee|author|user|changedBy|createdBy|actor|member|participant)s?$/i.test(base)) return 'users';
  const kebab = base.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  for (const c of [kebab + 's', kebab.replace(/y$/, 'ies'), kebab + 'es', kebab]) if (known.includes(c)) return c;
  // fromContactId, parentAccountId…: the last words name the collection.
  const singular = (c: string) => c.replace(/ies$/, 'y').replace(/s$/, '');
  return known.find((c) => kebab.endsWith('-' + singular(c)));
}

/** A deterministic sample of a string matching a JSON-schema pattern. */
function sampleMatching(pattern: string, seed: number): string {
  const [v] = fc.sample(fc.stringMatching(new RegExp(pattern)), { numRuns: 1, seed });
  return v ?? '';
}

let seedCounter = 1;

export interface MinimalContext {
  /** An id of a record of the collection in the same organization (created on demand). */
  idOf(collection: string): Promise<string | undefined>;
  collections: string[];
  /** A unique tag woven into every generated text so leaks are recognisable. */
  marker: string;
  /** The collection the payload is for: bare `id`/`ids` fields point at its records. */
  self?: string;
}

function nonNull(s: JsonSchema): JsonSchema {
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return alts.find((a) => a.type !== 'null') ?? alts[0]!;
  // string-or-number fields are amounts: a number is the value that passes.
  if (Array.isArray(s.type)) return { ...s, type: s.type.find((x) => x === 'number') ?? s.type.find((x) => x !== 'null') };
  return s;
}

export type StringKind = 'text' | 'date' | 'datetime' | 'uuid' | 'other';
/** The top-level string properties of a body schema and what they hold (dates, ids, free text…). */
export function stringProps(schema: JsonSchema | undefined): { name: string; kind: StringKind }[] {
  const s = schema ? nonNull(schema) : undefined;
  const out: { name: string; kind: StringKind }[] = [];
  for (const [name, raw] of Object.entries(s?.properties ?? {})) {
    const v = nonNull(raw);
    if (v.type !== 'string') continue;
    let kind: StringKind = 'text';
    if (v.format === 'date-time') kind = 'datetime';
    else if (v.format === 'date' || (v.pattern && /\\d\{4\}-\\d\{2\}-\\d\{2\}/.test(v.pattern))) kind = 'date';
    else if (isUuidSchema(raw)) kind = 'uuid';
    else if (v.enum || v.pattern || v.format) kind = 'other';
    out.push({ name, kind });
  }
  return out;
}

/** A minimal valid value for a JSON schema (required properties only, smallest values). */
export async function minimalValue(schema: JsonSchema, field: string, ctx: MinimalContext, all = false): Promise<unknown> {
  const s = nonNull(schema);
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  if (s.allOf?.length) return minimalValue(s.allOf[0]!, field, ctx, all);
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        if (all || (s.required ?? []).includes(k)) out[k] = await minimalValue(v, k, ctx);
      }
      return out;
    }
    case 'array': {
      const n = s.minItems ?? 0;
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(await minimalValue(s.items ?? {}, field, ctx));
      return out;
    }
    case 'integer':
    case 'number':
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default: {
      if (s.format === 'uuid') {
        const c = refCollection(field, ctx.collections) ?? (/^ids?$/.test(field) ? ctx.self : undefined);
        return (c && (await ctx.idOf(c))) ?? uuidv7();
      }
      if (s.format === 'email') return `${ctx.marker.toLowerCase()}-${uuidv7().slice(-12)}@example.com`;
      if (s.format === 'date-time') return new Date().toISOString();
      if (s.format === 'date') return '2026-01-15';
      if (s.format === 'uri' || s.format === 'url') return 'https://example.com/';
      if (s.pattern) {
        if (/\\d\{4\}-\\d\{2\}-\\d\{2\}/.test(s.pattern)) return '2026-01-15';
        const probe = `${ctx.marker}`;
        if (new RegExp(s.pattern).test(probe)) return probe;
        return sampleMatching(s.pattern, seedCounter++);
      }
      let v = `${ctx.marker} ${field}`;
      if (s.minLength && v.length < s.minLength) v = v.padEnd(s.minLength, 'x');
      if (s.maxLength && v.length > s.maxLength) v = v.slice(0, s.maxLength);
      return v;
    }
  }
}

/**
 * Create payloads for collections whose rules the OpenAPI schema cannot express (cross-field
 * checks, vocabulary-keyed maps). Add one here when the generic factory says it cannot create yours.
 */
let goalMonth = 0;
export const MINIMAL_PAYLOADS: Record<string, (f: RecordFactory) => Promise<Record<string, unknown>>> = {
  // One goal per scope and period: every call takes the next month.
  // Product codes are unique per organization (deleted ones included): every call gets its own.
  products: async () => ({ code: `P-${uuidv7()}`, name: 'Probe product' }),
  // At most three word-of-mouth points per product: every call names one of a new product.
  'wom-points': async (f) => ({ productId: (await f.create('products'))!.id, name: 'Probe point' }),
  goals: async (f) => ({ periodKind: 'month', periodStart: `${2030 + Math.floor(goalMonth / 12)}-${String((goalMonth++ % 12) + 1).padStart(2, '0')}-01`, targets: { [(await f.activeKey('buying_stage')) ?? 'aware']: 5 } }),
};

type Inject = (user: TestUser, opts: { method: Method; url: string; payload?: unknown; headers?: Record<string, string> }) => Promise<LightMyRequestResponse>;

/**
 * Creates records of any collection through its POST route with a payload derived from the
 * OpenAPI schema. Fields the schema cannot describe (vocabulary keys, cross-field rules) are
 * repaired from the field errors of the 400 response. A collection that still cannot be created
 * fails loudly: add an entry to `overrides`.
 */
export class RecordFactory {
  private ids = new Map<string, Promise<string | undefined>>();
  /** The payload of the last successful create per collection (a known-valid body). */
  readonly lastPayload = new Map<string, Record<string, unknown>>();
  private vocab?: Record<string, { key: string; active: boolean }[]>;
  constructor(
    private readonly routes: RouteInfo[],
    private readonly inject: Inject,
    private readonly org: TestOrg,
    private readonly marker: string,
    private readonly overrides: Record<string, (f: RecordFactory) => Promise<Record<string, unknown>>> = MINIMAL_PAYLOADS,
  ) {}

  get admin() {
    return this.org.users.admin;
  }

  idOf(collection: string): Promise<string | undefined> {
    if (collection === 'users') return Promise.resolve(this.org.users.rep.id);
    let p = this.ids.get(collection);
    if (!p) {
      p = this.create(collection).then((r) => r?.id as string | undefined);
      this.ids.set(collection, p);
    }
    return p;
  }

  /** The first active key of a vocabulary of the organization. */
  async activeKey(vocabulary: string): Promise<string | undefined> {
    if (!this.vocab) {
      const res = await this.inject(this.admin, { method: 'GET', url: '/api/v1/vocabularies' });
      this.vocab = res.statusCode === 200 ? (res.json() as { data: Record<string, { key: string; active: boolean }[]> }).data : {};
    }
    return this.vocab[vocabulary]?.find((t) => t.active)?.key;
  }

  /** A minimal valid body; `forCreate` payloads never point at their own collection (it may not exist yet). */
  async payload(collection: string, schema: JsonSchema | undefined, opts: { all?: boolean; forCreate?: boolean } = {}): Promise<Record<string, unknown>> {
    if (opts.forCreate && this.overrides[collection]) return this.overrides[collection](this);
    const all = opts.all ?? false;
    // A payload that names two records of one collection (from/to) gets two different ones.
    const used = new Set<string>();
    const ctx: MinimalContext = {
      idOf: async (c) => {
        if (opts.forCreate && c === collection) return undefined;
        if (!used.has(c) || c === 'users') {
          used.add(c);
          return this.idOf(c);
        }
        return (await this.create(c))?.id as string | undefined;
      },
      collections: collections(this.routes),
      marker: this.marker,
      self: collection,
    };
    return ((await minimalValue(schema ?? { type: 'object' }, collection, ctx, all)) ?? {}) as Record<string, unknown>;
  }

  /** POSTs a new record; returns its JSON, or throws with the server's answer. */
  async create(collection: string, as: TestUser = this.admin): Promise<Record<string, unknown> | undefined> {
    const route = this.routes.find((r) => r.method === 'POST' && r.url === `/api/v1/${collection}`);
    if (!route) return undefined;
    const schema = bodySchema(route.op);
    const payload = await this.payload(collection, schema, { forCreate: true });
    let res: LightMyRequestResponse | undefined;
    for (let attempt = 0; attempt < 6; attempt++) {
      res = await this.inject(as, { method: 'POST', url: route.url, payload });
      if (res.statusCode === 200 || res.statusCode === 201) {
        this.lastPayload.set(collection, payload);
        return res.json() as Record<string, unknown>;
      }
      if (res.statusCode !== 400) break;
      const fields = ((res.json() as { error?: { fields?: { path: string; message: string }[] } }).error?.fields ?? []);
      let repaired = false;
      for (const f of fields) {
        const top = f.path.split('.')[0]!;
        const unknownVocab = /^Unknown (.+?) "/.exec(f.message);
        if (unknownVocab && !f.path.includes('.')) {
          const key = await this.activeKey(unknownVocab[1]!.replace(/ /g, '_'));
          if (key) {
            payload[top] = Array.isArray(payload[top]) ? [key] : key;
            repaired = true;
          }
        } else if (schema?.properties?.[top]) {
          const ctx: MinimalContext = { idOf: (c) => this.idOf(c), collections: collections(this.routes), marker: this.marker };
          const prop = schema.properties[top]!;
          const cur = payload[top];
          if (cur === undefined) payload[top] = await minimalValue(prop, top, ctx);
          // A rule beyond the schema ("at least one"): fill every optional part.
          else if (Array.isArray(cur) && !cur.length) payload[top] = [await minimalValue(nonNull(prop).items ?? {}, top, ctx)];
          else if (cur && typeof cur === 'object' && !Array.isArray(cur)) payload[top] = await minimalValue(prop, top, ctx, true);
          else if (typeof cur === 'string' && isUuidSchema(prop) && refCollection(top, collections(this.routes))) {
            payload[top] = (await this.create(refCollection(top, collections(this.routes))!))?.id;
          } else continue;
          repaired = true;
        }
      }
      if (!repaired) break;
    }
    throw new Error(
      `Cannot create a ${collection} record generically (POST /api/v1/${collection} → ${res?.statusCode} ${res?.body}). ` +
        `Add a minimal payload for "${collection}" to MINIMAL_PAYLOADS in tests/helpers/routes.ts.`,
    );
  }
}

/** Tables that carry an org_id column (every tenant table). */
export async function tenantTables(database: Database): Promise<string[]> {
  const { rows } = await database.query(
    `select table_name as t from information_schema.columns where column_name = 'org_id' and table_schema = 'public' order by table_name`,
  );
  return (rows as { t: string }[]).map((r) => r.t);
}

/**
 * A digest of every row an organization has in every tenant table: equal digests mean nothing
 * was inserted, changed or deleted. `exclude` skips bookkeeping tables (token last-used times).
 */
export async function orgFingerprint(database: Database, orgId: string, tables: string[], exclude: string[] = []): Promise<Record<string, string>> {
  const list = tables.filter((t) => !exclude.includes(t));
  const sqlText = list
    .map((t) => `select '${t}' as t, count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from "${t}" x where org_id = $1`)
    .join(' union all ');
  // Ordered, so the returned object's key order (and JSON.stringify of it) is stable on every engine.
  const { rows } = await database.query(`${sqlText} order by 1`, [orgId]);
  return Object.fromEntries((rows as { t: string; n: number; h: string }[]).map((r) => [r.t, `${r.n}:${r.h}`]));
}

/**
 * `orgFingerprint` for several organizations, one query each: { orgId: { table: digest } }. (One query
 * over all of them would span shards on Citus, which its test mode refuses.)
 */
export async function orgFingerprints(database: Database, orgIds: string[], tables: string[], exclude: string[] = []): Promise<Record<string, Record<string, string>>> {
  const list = tables.filter((t) => !exclude.includes(t));
  const sqlText = list
    .map((t) => `select '${t}' as t, org_id::text as o, count(*)::int as n, md5(string_agg(x::text, '|' order by x::text)) as h from "${t}" x where org_id = $1 group by org_id`)
    .join(' union all ');
  const out: Record<string, Record<string, string>> = Object.fromEntries(orgIds.map((o) => [o, {}]));
  for (const orgId of orgIds) {
    const { rows } = await database.query(`${sqlText} order by 2, 1`, [orgId]);
    for (const r of rows as { t: string; o: string; n: number; h: string }[]) out[r.o]![r.t] = `${r.n}:${r.h}`;
  }
  return out;
}

/** Every id (and the org id) an organization has stored anywhere: none may ever appear in another tenant's responses. */
export async function orgIds(database: Database, orgId: string): Promise<Set<string>> {
  const { rows: cols } = await database.query(
    `select c.table_name as t, c.column_name as c from information_schema.columns c
       where c.table_schema = 'public' and c.data_type = 'uuid' and c.column_name <> 'org_id'
         and exists (select 1 from information_schema.columns o where o.table_schema = 'public' and o.table_name = c.table_name and o.column_name = 'org_id')`,
  );
  const parts = (cols as { t: string; c: string }[]).map((r) => `select "${r.c}"::text as id from "${r.t}" where org_id = $1 and "${r.c}" is not null`);
  const { rows } = await database.query(parts.join(' union '), [orgId]);
  const zero = '00000000-0000-0000-0000-000000000000';
  return new Set([orgId, ...(rows as { id: string }[]).map((r) => r.id)].filter((id) => id !== zero));
}

/** Replaces `:param` segments. */
export const fillPath = (url: string, value: (param: string) => string) => url.replace(/:([A-Za-z0-9_]+)/g, (_, p: string) => encodeURIComponent(value(p)));

/**
 * The same path spelled the ways a router, a proxy or an attacker may write it: percent-encoded
 * letters in each segment, an encoded slash, doubled slashes, dot segments, upper case, a trailing
 * slash, `;` parameters. A guard that compares raw URL text misses some of them; the router does not.
 */
export function pathSpellings(path: string): string[] {
  const segs = path.split('/').slice(1);
  const hex = (c: string) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0');
  const out = new Set<string>();
  segs.forEach((seg, i) => {
    const j = seg.search(/[a-z0-9]/i);
    if (j < 0) return;
    const enc = seg.slice(0, j) + hex(seg[j]!) + seg.slice(j + 1);
    out.add('/' + segs.map((s, k) => (k === i ? enc : s)).join('/'));
    out.add('/' + segs.map((s, k) => (k === i ? enc.toUpperCase().replace(/%([0-9A-F]{2})/g, (m) => m) : s)).join('/'));
  });
  out.add('/' + segs.map((s) => s.replace(/[a-z]/gi, hex)).join('/'));
  out.add('/' + segs.join('%2F'));
  out.add('/' + segs[0] + '%2f' + segs.slice(1).join('/'));
  out.add('//' + segs.join('/'));
  out.add('/' + segs.join('//'));
  out.add('/' + [segs[0], segs[1], '..', ...segs.slice(1)].join('/'));
  out.add('/' + [segs[0], '.', ...segs.slice(1)].join('/'));
  out.add('/' + [segs[0], '%2e%2e', segs[1], ...segs.slice(1)].join('/'));
  out.add(path.toUpperCase());
  out.add(path + '/');
  out.add(path + ';x=1');
  out.add('/' + segs[0] + ';/' + segs.slice(1).join('/'));
  out.add(path + '?');
  out.add(path + '#x');
  out.add(path + '%00');
  out.delete(path);
  return [...out];
}

/** Top-level and one-level-nested body properties that hold ids (uuid or array of uuid). */
export function uuidPaths(schema: JsonSchema | undefined, prefix: string[] = [], depth = 0): { path: string[]; array: boolean }[] {
  const s = schema ? nonNull(schema) : undefined;
  if (!s || s.type !== 'object' || !s.properties) return [];
  const out: { path: string[]; array: boolean }[] = [];
  for (const [k, v] of Object.entries(s.properties)) {
    const vv = nonNull(v);
    if (isUuidSchema(v)) out.push({ path: [...prefix, k], array: false });
    else if (vv.type === 'array' && isUuidSchema(vv.items)) out.push({ path: [...prefix, k], array: true });
    else if (vv.type === 'object' && depth < 1) out.push(...uuidPaths(vv, [...prefix, k], depth + 1));
  }
  return out;
}

export function makeInject(app: FastifyInstance): Inject {
  return (user, opts) =>
    app.inject({ method: opts.method, url: opts.url, payload: opts.payload as never, headers: { authorization: `Bearer ${user.token}`, ...(opts.headers ?? {}) } });
}
