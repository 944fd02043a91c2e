import { describe, expect, it } from 'vitest';
import { formatCountry, formatDate, formatMoney, formatNumber, formatPercent, formatRelative, normalizeLocale, normalizeIso } from './format.ts';

describe('locale formatting', () => {
  it('formats numbers and money per locale', () => {
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatMoney('18001000.00', 'USD', 'en')).toBe('$18,001,000');
    expect(formatMoney('5000', 'CNY', 'zh-CN')).toMatch(/¥5,000/);
    expect(formatMoney(null, 'USD', 'en')).toBe('');
  });
  it('reads Postgres text timestamps', () => {
    expect(normalizeIso('2026-11-23 02:25:14.581+00')).toBe('2026-11-23T02:25:14.581+00:00');
    expect(formatDate('2026-11-23 02:25:14.581+00', 'en')).toMatch(/Nov 2[23], 2026/);
    expect(formatDate('2026-03-05', 'zh-CN')).toBe('2026年3月5日');
  });
  it('names countries in the user language', () => {
    expect(formatCountry('CN', 'en')).toBe('China');
    expect(formatCountry('DE', 'zh-CN')).toBe('德国');
    expect(formatCountry('DE', 'zh-TW')).toBe('德國');
  });
  it('says relative times in the user language', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    expect(formatRelative('2026-01-07T12:00:00Z', 'en', now)).toBe('3 days ago');
    expect(formatRelative('2026-01-07T12:00:00Z', 'zh-CN', now)).toBe('3天前');
  });
  it('maps browser languages to supported locales', () => {
    expect(normalizeLocale('zh-Hant-TW')).toBe('zh-TW');
    expect(normalizeLocale('zh-HK')).toBe('zh-TW');
    expect(normalizeLocale('zh')).toBe('zh-CN');
    expect(normalizeLocale('de-DE')).toBe('en');
  });
  it('formats every share as a fraction, above 100 % too (share of wallet 1.45 is 145 %, not 1 %)', () => {
    expect(formatPercent(1.45, 'en')).toBe('145%');
    expect(formatPercent(2, 'en')).toBe('200%');
    expect(formatPercent(0.5, 'en')).toBe('50%');
    expect(formatPercent('0.072', 'zh-CN')).toBe('7%');
    expect(formatPercent(null, 'en')).toBe('');
  });
});
