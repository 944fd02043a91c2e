import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { overlapping, patchKeys, theirChanges } from './conflict.ts';
import { compact, zodFieldErrors } from './form.ts';
import { csvCell, toCsv } from './csv.ts';
import { accountCreate } from '../../../src/features/accounts/schemas.ts';

describe('conflicts', () => {
  const base = { id: '1', version: 3, name: 'A', city: 'X', custom: { tier: 'a' }, updatedAt: 't1' };
  const current = { id: '1', version: 4, name: 'A', city: 'Y', custom: { tier: 'b' }, updatedAt: 't2' };
  it('lists what the other person changed, custom fields included', () => {
    expect(theirChanges(base, current)).toEqual(['city', 'custom.tier']);
  });
  it('flattens our patch and finds the fields both changed', () => {
    expect(patchKeys({ name: 'B', custom: { tier: 'c' } })).toEqual(['name', 'custom.tier']);
    expect(overlapping(base, current, { city: 'Z', name: 'B' })).toEqual(['city']);
    expect(overlapping(base, current, { city: 'Y' })).toEqual([]);
  });
});

describe('forms', () => {
  it('reports the first issue per field, localized by code', () => {
    const t = (k: string) => `T:${k}`;
    expect(zodFieldErrors(accountCreate, { name: '', website: 'nope' }, t)).toEqual({ name: 'T:validation.required', website: 'T:validation.url' });
    expect(zodFieldErrors(accountCreate, { name: '杭州新纪元贸易有限公司', website: 'https://x.cn' }, t)).toEqual({});
    expect(zodFieldErrors(z.object({ email: z.email() }), { email: 'x' })).toHaveProperty('email');
  });
  it('drops empty values before sending', () => {
    expect(compact({ a: '', b: null, c: [], d: 0, e: 'x', f: false })).toEqual({ d: 0, e: 'x', f: false });
  });
});

describe('csv export', () => {
  it('quotes what needs quoting and starts with a BOM', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(toCsv([['名称', 'n'], ['明辉', '1']])).toBe('\uFEFF名称,n\r\n明辉,1\r\n');
  });
});
