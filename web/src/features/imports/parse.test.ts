import { describe, expect, it } from 'vitest';
import { camel, decodeBytes, formatOf, parseCsvHead, sniffDelimiter } from './parse.ts';

describe('import file head', () => {
  it('parses quoted fields with commas, quotes and newlines', () => {
    const r = parseCsvHead('名称,Website,Note\n"杭州新纪元, Ltd",https://x.cn,"say ""hi""\nthere"\nB,,\n');
    expect(r.headers).toEqual(['名称', 'Website', 'Note']);
    expect(r.rows).toEqual([['杭州新纪元, Ltd', 'https://x.cn', 'say "hi"\nthere'], ['B', '', '']]);
  });
  it('sniffs semicolons and tabs', () => {
    expect(sniffDelimiter('a;b;c')).toBe(';');
    expect(sniffDelimiter('a\tb')).toBe('\t');
    expect(parseCsvHead('a;b\r\n1;2').rows).toEqual([['1', '2']]);
  });
  it('stops after maxRows', () => {
    const text = ['h', ...Array.from({ length: 50 }, (_, i) => String(i))].join('\n');
    expect(parseCsvHead(text, 5).rows).toHaveLength(5);
  });
  it('decodes UTF-8 with BOM and falls back to GB18030', () => {
    expect(decodeBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])).text).toBe('a');
    const gbk = new Uint8Array([0xd6, 0xd0, 0xce, 0xc4]); // 中文 in GBK
    expect(decodeBytes(gbk)).toEqual({ text: '中文', encoding: 'gb18030' });
  });
  it('knows vCards and field names', () => {
    expect(formatOf('people.VCF')).toBe('vcard');
    expect(formatOf('a.csv')).toBe('csv');
    expect(camel('total_annual_demand')).toBe('totalAnnualDemand');
  });
});
