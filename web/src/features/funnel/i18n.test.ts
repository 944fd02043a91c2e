import { describe, expect, it } from 'vitest';
import en from './i18n/en.json' with { type: 'json' };
import zhCN from './i18n/zh-CN.json' with { type: 'json' };
import zhTW from './i18n/zh-TW.json' with { type: 'json' };

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`])).sort();
const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const leaf = (o: object, path: string) => path.split('.').reduce<unknown>((x, k) => (x as Record<string, unknown>)[k], o) as string;

describe('funnel translations', () => {
  it('have the same keys in English, Simplified and Traditional Chinese', () => {
    expect(keys(zhCN)).toEqual(keys(en));
    expect(keys(zhTW)).toEqual(keys(en));
  });
  it('use the same interpolation variables in every language', () => {
    for (const k of keys(en)) {
      expect(vars(leaf(zhCN, k)), k).toEqual(vars(leaf(en, k)));
      expect(vars(leaf(zhTW, k)), k).toEqual(vars(leaf(en, k)));
    }
  });
});
