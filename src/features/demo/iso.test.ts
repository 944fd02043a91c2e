import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { iso } from './generate.ts';

describe('iso', () => {
  it('formats like Date#toISOString, fractional milliseconds truncated', () => {
    fc.assert(fc.property(fc.double({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31), noNaN: true }), (ms) => {
      expect(iso(ms)).toBe(new Date(Math.floor(ms)).toISOString());
    }), { numRuns: 5000 });
    expect(iso(Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe('2024-02-29T23:59:59.999Z');
  });
});
