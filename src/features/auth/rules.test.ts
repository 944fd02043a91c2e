import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attemptsBlocked, classifyCode, isReplay, MAX_FAILED_CODES, stepAt } from './rules.ts';

describe('second-factor rules', () => {
  it('tells authenticator codes from recovery codes', () => {
    expect(classifyCode(' 123 456 ')).toEqual({ kind: 'totp', code: '123456' });
    expect(classifyCode('ABCDE-23456')).toEqual({ kind: 'recovery', code: 'abcde23456' });
    for (const bad of ['', '12345', '1234567', 'abc', 'abcde-2345', '12345-67890-1']) expect(classifyCode(bad).kind, bad).toBe('invalid');
  });

  it('a step is accepted once: the same or an older step is a replay', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: -3, max: 3 }), (last, d) => {
        expect(isReplay(last + d, last)).toBe(d <= 0);
        expect(isReplay(last + d, null)).toBe(false);
      }),
    );
    expect(stepAt(59_999)).toBe(1);
    expect(stepAt(60_000, -1)).toBe(1);
  });

  it('blocks after the maximum of wrong codes until the window has passed', () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    expect(attemptsBlocked(MAX_FAILED_CODES - 1, t0, new Date(t0.getTime() + 1000))).toBe(false);
    expect(attemptsBlocked(MAX_FAILED_CODES, t0, new Date(t0.getTime() + 1000))).toBe(true);
    expect(attemptsBlocked(MAX_FAILED_CODES, t0, new Date(t0.getTime() + 15 * 60_000))).toBe(false);
    expect(attemptsBlocked(99, null, t0)).toBe(false);
  });
});
