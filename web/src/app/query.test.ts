import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildQuery, countParams, exportUrl, filtersToParams, listParams, nextSort, OPERATORS, paramsToFilters, type Filter } from './query.ts';

describe('list query', () => {
  it('writes field[op]=value with readable brackets and commas', () => {
    const qs = buildQuery({ limit: 50, 'name[contains]': '明辉 led', 'country[in]': 'CN,US', empty: '', skip: undefined });
    expect(qs).toBe('limit=50&name[contains]=%E6%98%8E%E8%BE%89%20led&country[in]=CN,US');
  });
  it('turns filters into parameters, dropping blank values', () => {
    expect(filtersToParams([
      { field: 'employees', op: 'gt', value: '100' },
      { field: 'custom.tier', op: 'eq', value: 'A' },
      { field: 'website', op: 'empty', value: '' },
      { field: 'city', op: 'contains', value: '  ' },
      { field: 'country', op: 'in', value: 'CN, US ,' },
    ])).toEqual({ 'employees[gt]': '100', 'custom.tier[eq]': 'A', 'website[empty]': 'true', 'country[in]': 'CN,US' });
  });
  it('asks for a page in one sort, and for the total separately with the same filters', () => {
    const state = { filters: [{ field: 'country', op: 'eq' as const, value: 'CN' }], sort: '-updatedAt', q: 'led' };
    expect(listParams(state)).toEqual({ limit: 50, sort: '-updatedAt', q: 'led', 'country[eq]': 'CN' });
    expect(countParams(state)).toEqual({ limit: 1, q: 'led', count: true, 'country[eq]': 'CN' });
  });
  it('toggles sort asc → desc → asc, new field starts ascending', () => {
    expect(nextSort('name', 'name')).toBe('-name');
    expect(nextSort('-name', 'name')).toBe('name');
    expect(nextSort('-name', 'country')).toBe('country');
  });
  it('reads saved filters back: field[op], a bare field as eq, lists joined; unknown operators dropped', () => {
    expect(paramsToFilters({ 'employees[gt]': '100', needType: 'importer', 'country[in]': ['CN', 'US'], 'custom.region[eq]': 'EU', 'name[like]': 'x' })).toEqual([
      { field: 'employees', op: 'gt', value: '100' },
      { field: 'needType', op: 'eq', value: 'importer' },
      { field: 'country', op: 'in', value: 'CN,US' },
      { field: 'custom.region', op: 'eq', value: 'EU' },
    ]);
  });
  it('paramsToFilters undoes filtersToParams (property)', () => {
    const field = fc.stringMatching(/^[a-z][a-zA-Z]{0,8}(\.[a-z]{1,6})?$/);
    const value = fc.stringMatching(/^[A-Za-z0-9 ]{0,6}[A-Za-z0-9]$/);
    const filter = fc.record({ field, op: fc.constantFrom(...OPERATORS.filter((o) => o !== 'empty' && o !== 'in' && o !== 'nin')), value });
    fc.assert(
      fc.property(fc.uniqueArray(filter, { selector: (f) => `${f.field}[${f.op}]` }), (filters: Filter[]) => {
        expect(paramsToFilters(filtersToParams(filters) as Record<string, string>)).toEqual(filters);
      }),
    );
  });
  it('exports the whole list on the server: same filters, search and sort, chosen columns, no page size', () => {
    const state = { filters: [{ field: 'country', op: 'eq' as const, value: 'CN' }], sort: '-name', q: '照明' };
    expect(exportUrl('accounts', state, ['name', 'annualRevenue'])).toBe('/api/v1/exports/list/accounts?sort=-name&q=%E7%85%A7%E6%98%8E&country[eq]=CN&columns=name,annualRevenue');
    expect(exportUrl('tasks', { filters: [], sort: 'dueAt', q: '' }, [], ['a', 'b'])).toBe('/api/v1/exports/list/tasks?sort=dueAt&id[in]=a,b');
  });
});
