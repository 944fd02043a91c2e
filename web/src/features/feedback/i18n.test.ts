import { expect, it } from 'vitest';
import { BUNDLES } from './bundles.ts';

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`])).sort();

it('the three languages have the same voice-of-the-customer keys', () => {
  const en = keys(BUNDLES.en);
  expect(keys(BUNDLES['zh-CN'])).toEqual(en);
  expect(keys(BUNDLES['zh-TW'])).toEqual(en);
});

it('the Chinese bundles are translated (no English left)', () => {
  const leaves = (o: object): string[] => Object.values(o).flatMap((v) => (v && typeof v === 'object' ? leaves(v as object) : [String(v)]));
  for (const lang of ['zh-CN', 'zh-TW'] as const) {
    const english = leaves(BUNDLES[lang]).filter((s) => /[a-z]{3}/i.test(s.replace(/\{\{\w+\}\}|ISO 10002/g, '')));
    expect(english, lang).toEqual([]);
  }
});
