/** URL query building for the list API: `field[op]=value`, one sort, cursor pagination. Pure. */
export const OPERATORS = ['eq', 'ne', 'in', 'nin', 'contains', 'starts', 'gt', 'gte', 'lt', 'lte', 'empty'] as const;
export type Operator = (typeof OPERATORS)[number];
export type Filter = { field: string; op: Operator; value: string };

export type QueryParams = Record<string, string | number | boolean | null | undefined | string[]>;

export function buildQuery(params: QueryParams): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    const value = Array.isArray(v) ? v.join(',') : String(v);
    // Keep brackets and dots readable: the server parses `custom.x[gt]` literally.
    parts.push(`${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(value).replace(/%2C/g, ',')}`);
  }
  return parts.join('&');
}

/**
 * The inverse of filtersToParams, for filters saved in the list API's syntax (segments): `field[op]`
 * → that operator, a bare `field` → eq, a list of values → one comma-separated value. A pair with
 * an operator the list does not know is dropped rather than guessed.
 */
export function paramsToFilters(params: Record<string, string | string[]>): Filter[] {
  const out: Filter[] = [];
  for (const [key, raw] of Object.entries(params)) {
    const m = /^(.+?)(?:\[(\w+)\])?$/.exec(key);
    if (!m) continue;
    const op = (m[2] ?? 'eq') as Operator;
    if (!(OPERATORS as readonly string[]).includes(op)) continue;
    out.push({ field: m[1]!, op, value: Array.isArray(raw) ? raw.join(',') : raw });
  }
  return out;
}

/** Filters become `field[op]=value`; a filter without a value (other than `empty`) is ignored. */
export function filtersToParams(filters: Filter[]): QueryParams {
  const out: QueryParams = {};
  for (const f of filters) {
    if (f.op === 'empty') {
      out[`${f.field}[empty]`] = f.value === 'false' ? 'false' : 'true';
      continue;
    }
    if (f.value.trim() === '') continue;
    out[`${f.field}[${f.op}]`] = f.op === 'in' || f.op === 'nin' ? f.value.split(',').map((s) => s.trim()).filter(Boolean).join(',') : f.value;
  }
  return out;
}

export type ListState = { filters: Filter[]; sort: string; q: string; columns: string[] };

/**
 * One page of a list, without its total: counting a large list takes the server several times
 * longer than reading a page, so the total is asked for separately (countParams) and the rows
 * don't wait for it.
 */
export function listParams(state: Pick<ListState, 'filters' | 'sort' | 'q'>, limit = 50): QueryParams {
  return { limit, sort: state.sort, q: state.q || undefined, ...filtersToParams(state.filters) };
}

/** The total of a list with these filters and search: one row and the count (the order doesn't change it). */
export function countParams(state: Pick<ListState, 'filters' | 'q'>): QueryParams {
  return { limit: 1, q: state.q || undefined, count: true, ...filtersToParams(state.filters) };
}

/** Sort toggling on a header click: none → asc → desc → asc … on a new field starts ascending. */
export function nextSort(current: string, field: string): string {
  const desc = current.startsWith('-');
  const cur = desc ? current.slice(1) : current;
  if (cur !== field) return field;
  return desc ? field : `-${field}`;
}

/**
 * The server-side CSV export of a list as the user sees it: the same filters, search and sort, every
 * matching row (not the loaded page), `columns` the chosen ones or every column when empty. Selected
 * rows narrow it to those ids.
 */
export function exportUrl(entity: string, state: Pick<ListState, 'filters' | 'sort' | 'q'>, columns: string[], ids: string[] = []): string {
  const { limit: _l, ...params } = listParams(state);
  const qs = buildQuery({ ...params, ...(ids.length ? { 'id[in]': ids.join(',') } : {}), columns: columns.length ? columns.join(',') : undefined });
  return `/api/v1/exports/list/${entity}${qs ? `?${qs}` : ''}`;
}
