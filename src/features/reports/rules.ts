/** Pure rules of reports: which definitions make sense for a record type, what a time bucket is, how a result reads as CSV. */
import type { FieldError } from '../../kernel/errors.ts';
import type { Aggregate, Bucket, GroupBy, Measure, RecordType, ReportDefinition, ReportResult } from './schemas.ts';

export type CatalogFieldType = 'text' | 'number' | 'date' | 'timestamp' | 'boolean' | 'uuid' | 'enum' | 'tags';

/** What a record type offers a report: its list fields (custom fields as `custom.<key>`) and facts about them. */
export interface Catalog {
  recordType: RecordType;
  fields: Record<string, CatalogFieldType>;
  /** The field naming the responsible user, when the record type has one (then `ownerTeam` groups by their team). */
  ownerField?: string;
  /** Money field → the field holding its currency (row by row). */
  money: Record<string, string>;
  /** Fields already in the base currency (an order's amountBase). */
  baseMoney: string[];
  /** Opportunities: status, close and win probability exist, so win rate, cycle time and weighted sums apply. */
  deals: boolean;
}

export const OWNER_TEAM = 'ownerTeam';
const NEEDS_FIELD: readonly Aggregate[] = ['sum', 'avg', 'min', 'max', 'weightedSum'];
const DEAL_ONLY: readonly Aggregate[] = ['winRate', 'cycleMedian', 'cycleAvg', 'weightedSum'];
const DATE_TYPES: readonly CatalogFieldType[] = ['date', 'timestamp'];

export const measureKey = (m: Measure) => (m.field ? `${m.agg}:${m.field}` : m.agg);

export type Unit = ReportResult['measures'][number]['unit'];

export function measureUnit(m: Measure, c: Catalog): Unit {
  switch (m.agg) {
    case 'count':
      return 'count';
    case 'winRate':
      return 'ratio';
    case 'cycleMedian':
    case 'cycleAvg':
      return 'days';
    default: {
      const f = m.field!;
      if (DATE_TYPES.includes(c.fields[f]!)) return 'date';
      if (c.baseMoney.includes(f)) return 'base_money';
      return Object.hasOwn(c.money, f) ? 'money' : 'number';
    }
  }
}

/** A money measure over a field whose currency varies by row: its figures are split by currency. */
export const splitsByCurrency = (d: Pick<ReportDefinition, 'measures'>, c: Catalog) =>
  d.measures.some((m) => m.field !== undefined && Object.hasOwn(c.money, m.field));

/**
 * Every problem of a definition for this record type, by path (`groupBy.0.field`, `measures.1.agg`…).
 * Filters are checked by the list parser itself; this covers group-bys and measures.
 */
export function checkDefinition(d: Pick<ReportDefinition, 'groupBy' | 'measures'>, c: Catalog): FieldError[] {
  const errs: FieldError[] = [];
  const add = (path: string, message: string, code: string = 'invalid') => errs.push({ path, message, code });
  d.groupBy.forEach((g: GroupBy, i) => {
    const path = `groupBy.${i}`;
    if (g.field === OWNER_TEAM) {
      if (!c.ownerField) add(`${path}.field`, `${c.recordType} have no owner`, 'unknown_field');
      else if (g.bucket) add(`${path}.bucket`, 'Only date fields have time buckets');
      return;
    }
    const type = Object.hasOwn(c.fields, g.field) ? c.fields[g.field] : undefined;
    if (!type) return add(`${path}.field`, 'Unknown field', 'unknown_field');
    if (type === 'tags') return add(`${path}.field`, 'Cannot group by a list of values');
    if (g.bucket && !DATE_TYPES.includes(type)) add(`${path}.bucket`, 'Only date fields have time buckets');
    if (!g.bucket && type === 'timestamp') add(`${path}.bucket`, 'Choose a time bucket (day, week, month, quarter, year) for a date-time', 'required');
  });
  if (d.groupBy.length === 2 && d.groupBy[0]!.field === d.groupBy[1]!.field && d.groupBy[0]!.bucket === d.groupBy[1]!.bucket) add('groupBy.1', 'Same as the first group');
  const seen = new Set<string>();
  d.measures.forEach((m, i) => {
    const path = `measures.${i}`;
    if (DEAL_ONLY.includes(m.agg) && !c.deals) add(`${path}.agg`, `${m.agg} applies to opportunities only`);
    if (NEEDS_FIELD.includes(m.agg)) {
      if (m.field === undefined) return add(`${path}.field`, `${m.agg} needs a field`, 'required');
      const type = Object.hasOwn(c.fields, m.field) ? c.fields[m.field] : undefined;
      if (!type) return add(`${path}.field`, 'Unknown field', 'unknown_field');
      const numeric = type === 'number';
      const dated = (m.agg === 'min' || m.agg === 'max') && DATE_TYPES.includes(type);
      if (!numeric && !dated) return add(`${path}.field`, `${m.agg} needs a number field${m.agg === 'min' || m.agg === 'max' ? ' or a date' : ''}`);
    } else if (m.field !== undefined) add(`${path}.field`, `${m.agg} takes no field`);
    const key = measureKey(m);
    if (seen.has(key)) add(path, 'Same measure twice');
    seen.add(key);
  });
  const currencies = new Set(d.measures.filter((m) => m.field && Object.hasOwn(c.money, m.field)).map((m) => c.money[m.field!]));
  if (currencies.size > 1) add('measures', 'Money fields with different currency fields cannot be measured together');
  return errs;
}

// ── Time buckets (UTC) ─────────────────────────────────────────────────────────────────────────────

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const ymd = (d: Date) => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** The first day of the bucket holding `at` (what the SQL's date_trunc gives, as YYYY-MM-DD). */
export function bucketStart(bucket: Bucket, at: Date): string {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  switch (bucket) {
    case 'day':
      return ymd(new Date(Date.UTC(y, m, at.getUTCDate())));
    case 'week': {
      const day = new Date(Date.UTC(y, m, at.getUTCDate()));
      const back = (day.getUTCDay() + 6) % 7;
      return ymd(new Date(day.getTime() - back * 86_400_000));
    }
    case 'month':
      return ymd(new Date(Date.UTC(y, m, 1)));
    case 'quarter':
      return ymd(new Date(Date.UTC(y, m - (m % 3), 1)));
    case 'year':
      return ymd(new Date(Date.UTC(y, 0, 1)));
  }
}

/** ISO 8601 week number and its year of a Monday. */
function isoWeek(monday: Date): { year: number; week: number } {
  const thursday = new Date(monday.getTime() + 3 * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  return { year, week: Math.floor((thursday.getTime() - jan1) / (7 * 86_400_000)) + 1 };
}

/** How a bucket reads: 2026-03-05, 2026-W10, 2026-03, 2026-Q1, 2026. */
export function bucketLabel(bucket: Bucket, start: string): string {
  const [y, m] = start.split('-').map(Number) as [number, number, number];
  switch (bucket) {
    case 'day':
      return start;
    case 'week': {
      const w = isoWeek(new Date(`${start}T00:00:00Z`));
      return `${w.year}-W${pad(w.week)}`;
    }
    case 'month':
      return start.slice(0, 7);
    case 'quarter':
      return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
    case 'year':
      return String(y);
  }
}

// ── CSV ────────────────────────────────────────────────────────────────────────────────────────────

/** A result as a table: one column per group (its label, and the raw key when they differ), the currency, one per measure. */
export function resultTable(r: ReportResult): string[][] {
  const head: string[] = [];
  r.groupBy.forEach((g) => {
    const name = g.bucket ? `${g.field} (${g.bucket})` : g.field;
    head.push(name);
    if (!g.bucket) head.push(`${name} key`);
  });
  if (r.byCurrency) head.push('currency');
  head.push(...r.measures.map((m) => m.key));
  const body = r.rows.map((row) => {
    const cells: string[] = [];
    r.groupBy.forEach((g, i) => {
      cells.push(row.labels[i] ?? row.keys[i] ?? '');
      if (!g.bucket) cells.push(row.keys[i] ?? '');
    });
    if (r.byCurrency) cells.push(row.currency ?? '');
    cells.push(...row.values.map((v) => (v === null ? '' : String(v))));
    return cells;
  });
  return [head, ...body];
}
