import { expect, it } from 'vitest';
import { columnWidth } from './columns.ts';
import { DEFAULT_VOCABULARIES } from '../../../../src/features/vocabularies/defaults.ts';

it('a badge column is wide enough for its longest label, a column for its header; never beyond 260 px', () => {
  expect(columnWidth(140, 'Type', [])).toBe(140);
  expect(columnWidth(140, 'Industry', ['Engineering contractor'])).toBeGreaterThanOrEqual(170);
  expect(columnWidth(140, 'Buying stage', ['Resolution of concerns'])).toBeGreaterThanOrEqual(170);
  expect(columnWidth(140, '行业', ['工程承包商'])).toBe(140);
  expect(columnWidth(140, 'x', ['a'.repeat(200)])).toBe(260);
  // Every default term in every language fits the width its column gets (about 6.4 px a Latin letter at the badge's size).
  for (const terms of Object.values(DEFAULT_VOCABULARIES)) {
    for (const lang of ['en', 'zh-CN', 'zh-TW']) {
      const labels = terms.map((t) => (t.label as Record<string, string>)[lang] ?? t.label.en!);
      const w = columnWidth(140, 'h', labels);
      for (const l of labels) expect(w, l).toBeGreaterThanOrEqual(Math.min(260, l.length * 6.4 + 36));
    }
  }
});
