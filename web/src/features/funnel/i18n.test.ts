import { expect, it } from 'vitest';
import en from './i18n/en.json' with { type: 'json' };
import zhCN from './i18n/zh-CN.json' with { type: 'json' };
import zhTW from './i18n/zh-TW.json' with { type: 'json' };

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`])).sort();

it('the three languages have the same funnel keys', () => {
  const base = keys(en);
  expect(base).toContain('byLine.title');
  expect(keys(zhCN)).toEqual(base);
  expect(keys(zhTW)).toEqual(base);
});
