import { expect, it } from 'vitest';
import { BUNDLES } from './bundles.ts';

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`])).sort();

it('the three languages have the same survey keys', () => {
  const en = keys(BUNDLES.en);
  expect(keys(BUNDLES['zh-CN'])).toEqual(en);
  expect(keys(BUNDLES['zh-TW'])).toEqual(en);
});
