import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { toCsv } from './generate.ts';

describe('toCsv', () => {
  const cell = fc.oneof(fc.string({ unit: 'grapheme', minLength: 1 }), fc.constantFrom('a,b', 'say "hi"', 'two\nlines', '明辉照明', '{"Opple Lighting",TCP}'), fc.integer(), fc.boolean(), fc.constant(null));

  it('writes what csv-stringify writes (booleans as t/f, null as an empty unquoted field)', () => {
    fc.assert(fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 20 }), (rows) => {
      const expected = rows.length ? stringify(rows, { cast: { boolean: (v: boolean) => (v ? 't' : 'f') }, quoted_match: /^$/ }) : '';
      expect(toCsv(rows)).toBe(expected);
    }));
  });

  it('round-trips through a CSV parser', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.string({ minLength: 1 }), { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 10 }), (rows) => {
      expect(parse(toCsv(rows), { relax_column_count: true })).toEqual(rows);
    }));
  });
});
