import { eq, isNull, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { accounts, opportunities, orders, organizations, users, vocabTerms } from '../../db/schema/index.ts';
import type { Actor } from '../../kernel/actor.ts';
import { loadCustomFieldDefs } from '../../kernel/custom-fields.ts';
import { sharedByTenants, type DbOrTx } from '../../kernel/db/index.ts';
import { AppError, badRequest, type FieldError } from '../../kernel/errors.ts';
import { allOf, customSpec, escapeLike, fieldForOrg, parseListQuery, type CustomFieldDef, type FieldSpec } from '../../kernel/list.ts';
import type { Resource } from '../../kernel/resource.ts';
import { accountResource } from '../accounts/resource.ts';
import { contactResource } from '../contacts/resource.ts';
import { interactionResource } from '../interactions/resource.ts';
import { opportunityResource } from '../opportunities/resource.ts';
import { orderResource } from '../orders/resource.ts';
import { taskResource } from '../tasks/resource.ts';
import { bucketLabel, checkDefinition, measureKey, measureUnit, OWNER_TEAM, splitsByCurrency, type Catalog } from './rules.ts';
import { BUCKETS, type Measure, type RecordType, type ReportDefinition, type ReportResult } from './schemas.ts';

interface Source {
  resource: Resource;
  /** Money field → its row's currency column. */
  money: Record<string, AnyColumn>;
  baseMoney: string[];
}

/** Each record type is read through its list resource: the same fields, filters and custom fields as its list. */
const SOURCES: Record<RecordType, Source> = {
  accounts: { resource: accountResource, money: { totalAnnualDemand: accounts.demandCurrency }, baseMoney: [] },
  contacts: { resource: contactResource, money: {}, baseMoney: [] },
  opportunities: { resource: opportunityResource, money: { amount: opportunities.currency }, baseMoney: [] },
  interactions: { resource: interactionResource, money: {}, baseMoney: [] },
  tasks: { resource: taskResource, money: {}, baseMoney: [] },
  // amountBase is the order converted by its stored fx rate (orders/rules.ts resolveFx): already one currency.
  orders: { resource: orderResource, money: { amount: orders.currency }, baseMoney: ['amountBase'] },
};

/**
 * Where a deal's sales cycle starts and ends: when it opened (created or engaged in its source
 * system — an imported 2017 deal opened in 2017, not on the day of the import) and when it closed.
 */
export const CYCLE = { opened: opportunities.openedAt, closed: opportunities.closedAt };
const cycleDays = sql`(extract(epoch from (${CYCLE.closed} - ${CYCLE.opened})) / 86400.0)`;
const isClosed = sql`${opportunities.status} in ('won', 'lost') and ${CYCLE.closed} is not null`;

/** The list parameters a report filter cannot hold (paging and sorting belong to lists). */
const NOT_FILTERS = new Set(['limit', 'cursor', 'sort', 'count', 'deleted']);

export function catalogFor(type: RecordType, defs: CustomFieldDef[]): Catalog {
  const src = SOURCES[type];
  const fields: Catalog['fields'] = {};
  for (const [k, spec] of Object.entries(src.resource.cfg.fields)) fields[k] = spec.type;
  for (const d of defs) fields[`custom.${d.key}`] = customSpec(d).type;
  const money: Record<string, string> = {};
  for (const [k, col] of Object.entries(src.money)) money[k] = col.name;
  return { recordType: type, fields, ownerField: src.resource.cfg.ownerField, money, baseMoney: src.baseMoney, deals: type === 'opportunities' };
}

/** The report's field catalog as the builder screen shows it. */
export async function reportFields(db: DbOrTx, actor: Actor, type: RecordType) {
  const defs = await loadCustomFieldDefs(db, actor.orgId, SOURCES[type].resource.cfg.entity);
  const c = catalogFor(type, defs);
  return { ...c, vocab: SOURCES[type].resource.cfg.vocab ?? {} };
}

const prefixed = (prefix: string, list: FieldError[]) => list.map((f) => ({ ...f, path: prefix ? `${prefix}.${f.path}` : f.path }));

/**
 * Checks a definition against the record type's fields and turns it into ONE SQL statement.
 * Every identifier comes from the resource's field map (or a defined custom field); user text only
 * ever travels as a bound parameter.
 */
async function compile(db: DbOrTx, actor: Actor, def: ReportDefinition, prefix: string) {
  const src = SOURCES[def.recordType];
  const cfg = src.resource.cfg;
  const defs = await loadCustomFieldDefs(db, actor.orgId, cfg.entity);
  const catalog = catalogFor(def.recordType, defs);
  const errors: FieldError[] = checkDefinition(def, catalog);
  const filterQuery: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(def.filters)) {
    if (NOT_FILTERS.has(k)) errors.push({ path: `filters.${k}`, message: 'Not a filter', code: 'unknown_field' });
    else filterQuery[k] = v;
  }
  let filters: SQL[] = [];
  let q: string | undefined;
  try {
    const parsed = parseListQuery(filterQuery, cfg.fields, defs, { sort: 'id', orgId: actor.orgId });
    filters = parsed.request.filters;
    q = parsed.request.q;
  } catch (e) {
    if (!(e instanceof AppError) || !e.fields) throw e;
    errors.push(...e.fields.map((f) => ({ ...f, path: `filters.${f.path}` })));
  }
  if (errors.length) throw badRequest('Invalid report definition', prefixed(prefix, errors));

  const byName = new Map(defs.map((d) => [d.key, d]));
  const spec = (name: string): FieldSpec => (name.startsWith('custom.') ? customSpec(byName.get(name.slice(7))!) : fieldForOrg(cfg.fields[name]!, actor.orgId));
  const t = cfg.table;
  const col = (name: string) => (t as unknown as Record<string, AnyColumn>)[name]!;
  const needsOwner = def.groupBy.some((g) => g.field === OWNER_TEAM);

  // The aggregate groups by the raw values (cheap to hash, estimated well by the planner); they
  // become text only around it, once per group.
  const groups = def.groupBy.map((g) => {
    if (g.field === OWNER_TEAM) return { expr: sql`report_owner.team`, text: (k: SQL) => k };
    const s = spec(g.field);
    if (g.bucket) {
      if (!BUCKETS.includes(g.bucket)) throw new Error('unchecked bucket');
      const unit = sql.raw(`'${g.bucket}'`);
      // Timestamps are bucketed by their UTC calendar day; dates are calendar days already.
      const at = s.type === 'timestamp' ? sql`(${s.column} at time zone 'UTC')` : sql`(${s.column})::timestamp`;
      return { expr: sql`date_trunc(${unit}, ${at})`, text: (k: SQL) => sql`to_char(${k}, 'YYYY-MM-DD')` };
    }
    return { expr: sql`${s.column}`, text: (k: SQL) => sql`(${k})::text` };
  });
  const byCurrency = splitsByCurrency(def, catalog);
  const currencyField = def.measures.find((m) => m.field && Object.hasOwn(src.money, m.field))?.field;
  const measureSql = (m: Measure): SQL => {
    switch (m.agg) {
      case 'count':
        return sql`count(*)::int`;
      case 'winRate':
        return sql`(count(*) filter (where ${opportunities.status} = 'won'))::float8 / nullif(count(*) filter (where ${opportunities.status} in ('won', 'lost')), 0)`;
      case 'cycleMedian':
        return sql`(percentile_cont(0.5) within group (order by ${cycleDays}) filter (where ${isClosed}))::float8`;
      case 'cycleAvg':
        // sum ÷ count rather than avg(): the sliced run merges sums and counts, and avg()'s own
        // division can differ from it in the last digit of a double.
        return sql`(sum(${cycleDays}) filter (where ${isClosed}) / nullif(count(*) filter (where ${isClosed}), 0))::float8`;
      case 'weightedSum':
        return sql`round(sum((${spec(m.field!).column})::numeric * ${opportunities.winProbability}::numeric), 2)::float8`;
    }
    const s = spec(m.field!);
    const fn = sql.raw(m.agg);
    if (s.type === 'date') return sql`to_char(${fn}(${s.column}), 'YYYY-MM-DD')`;
    if (s.type === 'timestamp') return sql`to_char(${fn}(${s.column}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
    if (m.agg === 'sum') return sql`round(sum((${s.column})::numeric), 2)::float8`;
    if (m.agg === 'avg') return sql`(sum((${s.column})::numeric) / nullif(count(${s.column}), 0))::float8`;
    return sql`${fn}((${s.column})::numeric)::float8`;
  };

  // The same measures as partial states of one slice of rows and their merge (see runSliced).
  const partialsOf = (m: Measure, i: number): Partial[] => {
    const p = (suffix: string, expr: SQL, type: string, merge: (col: SQL) => SQL) => ({ name: `m${i}_${suffix}`, expr, type, merge });
    switch (m.agg) {
      case 'count':
        return [p('n', sql`count(*)`, 'bigint', (c) => sql`sum(${c})::int`)];
      case 'winRate':
        return [
          p('won', sql`count(*) filter (where ${opportunities.status} = 'won')`, 'bigint', (c) => sql`sum(${c})`),
          p('closed', sql`count(*) filter (where ${opportunities.status} in ('won', 'lost'))`, 'bigint', (c) => sql`sum(${c})`),
        ];
      case 'cycleMedian':
        return [p('days', sql`coalesce(jsonb_agg(${cycleDays}) filter (where ${isClosed}), '[]'::jsonb)`, 'jsonb', (c) => sql`jsonb_path_query_array(jsonb_agg(${c}), '$[*][*]')`)];
      case 'cycleAvg':
        return [p('sum', sql`sum(${cycleDays}) filter (where ${isClosed})`, 'numeric', (c) => sql`sum(${c})`), p('n', sql`count(*) filter (where ${isClosed})`, 'bigint', (c) => sql`sum(${c})`)];
      case 'weightedSum':
        return [p('sum', sql`sum((${spec(m.field!).column})::numeric * ${opportunities.winProbability}::numeric)`, 'numeric', (c) => sql`round(sum(${c}), 2)::float8`)];
    }
    const s = spec(m.field!);
    if (m.agg === 'min' || m.agg === 'max') {
      const fn = sql.raw(m.agg);
      if (s.type === 'date') return [p('v', sql`${fn}(${s.column})`, 'date', (c) => sql`to_char(${fn}(${c}), 'YYYY-MM-DD')`)];
      if (s.type === 'timestamp') return [p('v', sql`${fn}(${s.column})`, 'timestamptz', (c) => sql`to_char(${fn}(${c}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`)];
      return [p('v', sql`${fn}((${s.column})::numeric)`, 'numeric', (c) => sql`${fn}(${c})::float8`)];
    }
    if (m.agg === 'sum') return [p('sum', sql`sum((${s.column})::numeric)`, 'numeric', (c) => sql`round(sum(${c}), 2)::float8`)];
    return [p('sum', sql`sum((${s.column})::numeric)`, 'numeric', (c) => sql`sum(${c})`), p('n', sql`count(${s.column})`, 'bigint', (c) => sql`sum(${c})`)];
  };
  // How two or more partial columns become the measure (one column merges by itself).
  const finish = (m: Measure, cols: SQL[]): SQL => {
    switch (m.agg) {
      case 'winRate':
        return sql`(${cols[0]!})::float8 / nullif(${cols[1]!}, 0)`;
      case 'cycleMedian':
        return sql`(select (percentile_cont(0.5) within group (order by d::float8))::float8 from jsonb_array_elements_text(${cols[0]!}) d)`;
      case 'cycleAvg':
        return sql`(${cols[0]!} / nullif(${cols[1]!}, 0))::float8`;
      case 'avg':
        return sql`(${cols[0]!} / nullif(${cols[1]!}, 0))::float8`;
      default:
        return cols[0]!;
    }
  };
  const keyType = (g: ReportDefinition['groupBy'][number]): string => {
    if (g.field === OWNER_TEAM) return 'text';
    if (g.bucket) return 'timestamp';
    const type = spec(g.field).type;
    return type === 'number' ? 'numeric' : type === 'date' ? 'date' : type === 'boolean' ? 'boolean' : type === 'uuid' ? 'uuid' : 'text';
  };

  const selected: SQL[] = groups.map((g, i) => sql`${g.expr} as ${sql.raw(`g${i}`)}`);
  if (byCurrency) selected.push(sql`${src.money[currencyField!]!} as cur`);
  def.measures.forEach((m, i) => selected.push(sql`${measureSql(m)} as ${sql.raw(`m${i}`)}`));
  const keyCount = groups.length + (byCurrency ? 1 : 0);
  const search = q ? sql`(${sql.join(cfg.search.map((c) => sql`${c} ilike ${'%' + escapeLike(q) + '%'}`), sql` or `)})` : undefined;
  const where = allOf([eq(t.orgId, actor.orgId), isNull(t.deletedAt), search, ...filters]);
  const join = needsOwner ? sql` left join ${users} report_owner on report_owner.org_id = ${t.orgId} and report_owner.id = ${col(cfg.ownerField!)}` : sql``;
  const groupBy = keyCount ? sql` group by ${sql.raw(Array.from({ length: keyCount }, (_, i) => String(i + 1)).join(', '))}` : sql``;
  const inner = sql`select ${sql.join(selected, sql`, `)} from ${t as PgTable}${join} where ${where}${groupBy}`;

  const keys: SQL[] = groups.map((g, i) => sql`${g.expr} as ${sql.raw(`g${i}`)}`);
  const keyColumns = def.groupBy.map((g, i) => `g${i} ${keyType(g)}`);
  if (byCurrency) {
    keys.push(sql`${src.money[currencyField!]!} as cur`);
    keyColumns.push('cur text');
  }
  const partials = def.measures.map((m, i) => partialsOf(m, i));
  // Numbers travel as text: the partial states pass through JavaScript between the slices and the
  // merge, and a numeric sum parsed as a double lost its last digits (found by the property test).
  const carried = [
    ...keyColumns.map((c) => c.split(' ') as [string, string]),
    ...partials.flat().map((p) => [p.name, p.type] as [string, string]),
  ].map(([name, type]) => sql.raw(type === 'numeric' ? `s.${name}::text as ${name}` : `s.${name}`));
  const slice = (after: SQL, upto: SQL) =>
    sql`select ${sql.join(carried, sql`, `)} from (select ${sql.join([...keys, ...partials.flat().map((p) => sql`${p.expr} as ${sql.raw(p.name)}`)], sql`, `)}
          from ${t as PgTable}${join} where ${where} and ${t.id} > ${after} and ${t.id} <= ${upto}${groupBy}) s`;
  const merged = (parts: SQL) => {
    const columns = [...keyColumns, ...partials.flat().map((p) => `${p.name} ${p.type}`)].join(', ');
    const measures = def.measures.map((m, i) => {
      const cols = partials[i]!.map((p) => p.merge(sql.raw(`p.${p.name}`)));
      return sql`${finish(m, cols)} as ${sql.raw(`m${i}`)}`;
    });
    const keyNames = [...def.groupBy.map((_, i) => sql.raw(`p.g${i} as g${i}`)), ...(byCurrency ? [sql.raw('p.cur as cur')] : [])];
    return sql`select ${sql.join([...keyNames, ...measures], sql`, `)} from json_to_recordset(${parts}::json) as p(${sql.raw(columns)})${groupBy}`;
  };

  // Display names and order of the groups, looked up once per group (not per row) around the aggregate.
  const labels: SQL[] = [];
  const order: SQL[] = [];
  const outer: SQL[] = groups.map((g, i) => sql`${g.text(sql.raw(`g.g${i}`))} as ${sql.raw(`g${i}`)}`);
  if (byCurrency) outer.push(sql`g.cur::text as cur`);
  def.measures.forEach((_, i) => outer.push(sql.raw(`g.m${i}`)));
  def.groupBy.forEach((g, i) => {
    const raw = sql.raw(`g.g${i}`);
    const name = Object.values(cfg.names ?? {}).find((n) => n.from === g.field);
    const vocabulary = cfg.vocab?.[g.field];
    if (name && !g.bucket) {
      labels.push(sql`(select ${name.column} from ${name.table} where ${name.table.orgId} = ${actor.orgId} and ${name.table.id} = ${raw}) as ${sql.raw(`l${i}`)}`);
    } else if (vocabulary) {
      const term = sql`from ${vocabTerms} where ${vocabTerms.orgId} = ${actor.orgId} and ${vocabTerms.vocabulary} = ${vocabulary} and ${vocabTerms.key} = ${raw}`;
      labels.push(sql`(select coalesce(${vocabTerms.label}->>'en', ${vocabTerms.key}) ${term}) as ${sql.raw(`l${i}`)}`);
      // Stages read in their process order, other terms in their list order.
      order.push(sql`(select coalesce((${vocabTerms.meta}->>'rank')::int, 1000) * 1000 + ${vocabTerms.position} ${term}) nulls last`);
    } else labels.push(sql`null::text as ${sql.raw(`l${i}`)}`);
    order.push(sql`${raw} asc nulls last`);
  });
  if (byCurrency) order.push(sql`g.cur asc nulls last`);
  const limit = def.limit ?? 1000;
  const around = (from: SQL) => sql`select ${sql.join([...outer, ...labels], sql`, `)} from (${from}) g${order.length ? sql` order by ${sql.join(order, sql`, `)}` : sql``} limit ${limit + 1}`;
  return { statement: around(inner), byCurrency, catalog, limit, table: t as PgTable & { id: AnyColumn; orgId: AnyColumn }, slice, mergedStatement: (parts: SQL) => around(merged(parts)) };
}

/** The SQL a definition runs (for the benchmark's raw baseline and for tests). */
export async function reportStatement(db: DbOrTx, actor: Actor, def: ReportDefinition): Promise<SQL> {
  return (await compile(db, actor, def, '')).statement;
}

/**
 * Rows one statement of a report reads on the embedded database. PGlite has one connection and a
 * statement cannot be interrupted: a report over 100k interactions held it ~250 ms in one piece.
 * Sliced, each statement aggregates one id range of the record type into partial states (counts,
 * sums, the cycle days a median needs) and a last statement merges them, so other organizations'
 * requests get the connection between two slices. Noisy-neighbour bench (five reports beside
 * another organization's list of 20): 5,000-row slices p99 195 ms, 2,000-row ones 125 ms; what is
 * left is mostly the merge of a report with many groups (contacts per account: 10k groups × slices).
 */
export const REPORT_SLICE_ROWS = 2000;

/** One partial column of a measure: its aggregate over a slice, SQL type, and how slices merge. */
type Partial = { name: string; expr: SQL; type: string; merge: (col: SQL) => SQL };

async function runSliced(db: DbOrTx, org: string, c: Awaited<ReturnType<typeof compile>>, sliceRows: number) {
  const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
  const parts: unknown[] = [];
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const t = c.table;
    const res = await db.execute(sql`
      with bound as (select ${t.id} as id from ${t} where ${t.orgId} = ${org} and ${t.id} > ${after}::uuid order by ${t.id} offset ${sliceRows - 1} limit 1),
           part as (${c.slice(sql`${after}::uuid`, sql`coalesce((select id from bound), ${MAX_UUID}::uuid)`)})
      select (select id::text from bound) as upto, coalesce((select json_agg(part) from part), '[]'::json) as parts`);
    const row = res.rows[0] as { upto: string | null; parts: unknown[] | string };
    parts.push(...(typeof row.parts === 'string' ? (JSON.parse(row.parts) as unknown[]) : row.parts));
    if (!row.upto) break;
    after = row.upto;
  }
  return db.execute(c.mergedStatement(sql`${JSON.stringify(parts)}`)) as unknown as Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * Runs a report: one aggregate statement (on the embedded database, slices and a merge; `sliceRows`
 * 0 forces one statement), then labels for time buckets in JS.
 */
export async function runReport(db: DbOrTx, actor: Actor, def: ReportDefinition, prefix = '', sliceRows?: number): Promise<ReportResult> {
  const compiled = await compile(db, actor, def, prefix);
  const { statement, byCurrency, catalog, limit } = compiled;
  // Slices only where another organization could be kept waiting (see sharedByTenants).
  const rowsPerSlice = sliceRows ?? ((await sharedByTenants(db)) ? REPORT_SLICE_ROWS : 0);
  const [res, [org]] = await Promise.all([
    rowsPerSlice ? runSliced(db, actor.orgId, compiled, rowsPerSlice) : (db.execute(statement) as unknown as Promise<{ rows: Record<string, unknown>[] }>),
    db.select({ base: organizations.baseCurrency }).from(organizations).where(eq(organizations.id, actor.orgId)),
  ]);
  const rows = res.rows.slice(0, limit).map((r) => ({
    keys: def.groupBy.map((_, i) => (r[`g${i}`] as string | null) ?? null),
    labels: def.groupBy.map((g, i) => {
      const key = r[`g${i}`] as string | null;
      if (g.bucket) return key === null ? null : bucketLabel(g.bucket, key);
      return (r[`l${i}`] as string | null) ?? null;
    }),
    currency: byCurrency ? ((r.cur as string | null) ?? null) : null,
    values: def.measures.map((_, i) => (r[`m${i}`] as number | string | null) ?? null),
  }));
  return {
    recordType: def.recordType,
    baseCurrency: org?.base ?? 'USD',
    groupBy: def.groupBy.map((g) => ({ field: g.field, bucket: g.bucket ?? null })),
    measures: def.measures.map((m) => ({ key: measureKey(m), agg: m.agg, field: m.field ?? null, unit: measureUnit(m, catalog) })),
    byCurrency,
    rows,
    truncated: res.rows.length > limit,
  };
}
