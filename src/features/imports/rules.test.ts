import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENTITY_FIELDS, IMPORT_ENTITIES, type ImportEntity } from './fields.ts';
import {
  buildVocabLookup, countryCode, currencyCode, domainOf, makeRowValidator, nameKey, parseCustomValue, parseDate, parseDecimal, parseTimestamp, parseValue, resolveColumns,
  suggestMapping, ImportError, type ImportCustomField, type RowCheck, type RuleContext,
} from './rules.ts';
import { checkCustomValue } from '../../kernel/custom-fields.ts';

const ctx = { vocab: buildVocabLookup([]), baseCurrency: 'CNY' };

describe('suggestMapping', () => {
  it('recognises English and Chinese headers, whatever their case and punctuation', () => {
    expect(suggestMapping('accounts', ['Company', '网址', 'Country ', '需求类型', 'No. of employees', 'Mystery'])).toEqual({
      Company: 'name', 网址: 'website', 'Country ': 'country', 需求类型: 'need_type',
    });
    expect(suggestMapping('accounts', ['公司名称', 'Organization'])).toEqual({ 公司名称: 'name' });
    expect(suggestMapping('contacts', ['姓名', 'E-mail', '邮箱', 'Organization', '职位', '手機', 'First Name', 'SURNAME'])).toEqual({
      姓名: 'full_name', 'E-mail': 'email', Organization: 'account', 职位: 'title', 手機: 'mobile', 'First Name': 'first_name', SURNAME: 'last_name',
    });
    expect(suggestMapping('orders', ['订单号', '客户', '下单日期', '金额', '币种', '汇率'])).toEqual({
      订单号: 'order_number', 客户: 'account', 下单日期: 'ordered_at', 金额: 'amount', 币种: 'currency', 汇率: 'fx_rate',
    });
  });
  it('field keys themselves always map (an export re-imports as is)', () => {
    expect(suggestMapping('opportunities', ['name', 'account_id', 'buying_stage', 'expected_close'])).toEqual({
      name: 'name', account_id: 'account_id', buying_stage: 'buying_stage', expected_close: 'expected_close',
    });
  });
  it('refuses mappings to unknown fields and missing required columns', () => {
    expect(() => resolveColumns('accounts', ['a'], { a: 'nope' })).toThrow(ImportError);
    expect(() => resolveColumns('orders', ['a'], { a: 'account' })).toThrow(/ordered_at, amount/);
  });
});

describe('values', () => {
  it('vocabulary values: key or label in any locale; unknown is an error', () => {
    const v = makeRowValidator('accounts', ctx);
    for (const label of ['品牌商', 'Brand owner', 'brand_owner', 'BRAND-OWNER']) expect(v({ name: 'X', need_type: label })).toMatchObject({ ok: true, values: { need_type: 'brand_owner' } });
    expect(v({ name: 'X', need_type: '進口商' })).toMatchObject({ ok: true, values: { need_type: 'importer' } });
    expect(v({ name: 'X', need_type: 'wizard' })).toEqual({ ok: false, errors: [{ field: 'need_type', message: '"wizard" is not a known need type' }] });
    const custom = buildVocabLookup([{ vocabulary: 'need_type', key: 'oem', label: { en: 'OEM', 'zh-CN': '代工厂' } }]);
    const vc = makeRowValidator('accounts', { ...ctx, vocab: custom });
    expect(vc({ name: 'X', need_type: '代工厂' })).toMatchObject({ ok: true, values: { need_type: 'oem' } });
    expect(vc({ name: 'X', need_type: 'importer' })).toMatchObject({ ok: false });
  });
  it('countries, currencies, domains', () => {
    expect(['CN', 'cn', '中国', 'China', '德国', 'Deutschland', 'U.S.A.', '台灣'].map(countryCode)).toEqual(['CN', 'CN', 'CN', 'CN', 'DE', 'DE', 'US', 'TW']);
    expect(countryCode('Narnia')).toBeUndefined();
    expect(['usd', '人民币', 'RMB', 'EUR', 'XYZ'].map(currencyCode)).toEqual(['USD', 'CNY', 'CNY', 'EUR', undefined]);
    expect(domainOf('https://www.Acme.com/about?x=1')).toBe('acme.com');
    expect(domainOf('sales@minghua.cn')).toBe('minghua.cn');
    expect(domainOf('not a domain')).toBeUndefined();
  });
  it('numbers, dates and times', () => {
    expect(['1,234.56', '1.234,56', '¥ 12 000', '(500)', '-0', '12,5', '1.000.000', 'USD 10'].map(parseDecimal)).toEqual(['1234.56', '1234.56', '12000', '-500', '0', '12.5', '1000000', '10']);
    expect(parseDecimal('abc')).toBeUndefined();
    expect(['2026-03-05', '2026/3/5', '2026年3月5日', '20260305', '2026-02-30', '03/05/2026'].map((d) => parseDate(d))).toEqual(['2026-03-05', '2026-03-05', '2026-03-05', '2026-03-05', undefined, undefined]);
    expect(parseTimestamp('2026-01-06T09:00:00+08:00')).toBe('2026-01-06T09:00:00+08:00');
    expect(parseTimestamp('2026-01-05 14:30')).toBe('2026-01-05T14:30:00+00:00');
    expect(parseTimestamp('2026-01-05 14:30:00+00')).toBe('2026-01-05T14:30:00+00:00');
  });
  it('orders need fx_rate when the currency is not the base currency', () => {
    const v = makeRowValidator('orders', ctx);
    expect(v({ account: 'A', ordered_at: '2026-01-01', amount: '10', currency: 'USD' })).toEqual({ ok: false, errors: [{ field: 'fx_rate', message: 'required when the currency (USD) is not the base currency (CNY)' }] });
    expect(v({ account: 'A', ordered_at: '2026-01-01', amount: '10', currency: 'USD', fx_rate: '7.1' })).toMatchObject({ ok: true });
    expect(v({ account: 'A', ordered_at: '2026-01-01', amount: '10' })).toMatchObject({ ok: true });
    expect(v({ account: 'A', ordered_at: '2026-01-01', amount: '10', currency: 'USD', fx_rate: '0' })).toMatchObject({ ok: false, errors: [{ field: 'fx_rate' }] });
  });
  it('legal forms do not tell companies apart', () => {
    expect(nameKey('Acme Ltd.')).toBe(nameKey('ACME Limited'));
    expect(nameKey('深圳明华照明有限公司')).toBe(nameKey('深圳明华照明公司'));
    expect(nameKey('Acme')).not.toBe(nameKey('Acne'));
  });
  it('any input row gives a verdict, never an exception', () => {
    for (const entity of ['accounts', 'contacts', 'opportunities', 'interactions', 'orders'] as const) {
      const v = makeRowValidator(entity, ctx);
      fc.assert(fc.property(fc.dictionary(fc.constantFrom('name', 'email', 'amount', 'country', 'need_type', 'occurred_at', 'account', 'tags', 'fx_rate', 'currency', 'kind', 'employees'), fc.string()), (input) => {
        const r = v(input);
        expect(typeof r.ok).toBe('boolean');
      }), { numRuns: 200 });
    }
  });
});

/**
 * The validator as it was written with zod (one object schema per import, a refinement for the row
 * rules): the plain validator that replaced it for speed must give the same verdicts, issues and values.
 */
function zodValidator(entity: ImportEntity, c: RuleContext, keys?: string[]) {
  const fieldSchema = (def: (typeof ENTITY_FIELDS)[ImportEntity][number]) =>
    z.string().optional().transform((raw, zctx) => {
      if (raw === undefined || raw.trim() === '') {
        if (def.required) zctx.addIssue({ code: 'custom', message: 'required' });
        return null;
      }
      const p = parseValue(def.type, raw, c);
      if (!p.ok) {
        zctx.addIssue({ code: 'custom', message: p.message });
        return z.NEVER;
      }
      return p.value === '' ? null : p.value;
    });
  const shape: Record<string, z.ZodType<string | null, string | undefined>> = {};
  for (const def of ENTITY_FIELDS[entity]) if (!keys || def.required || keys.includes(def.key)) shape[def.key] = fieldSchema(def);
  // The row rules, through the public validator on a row that has only valid fields.
  const rules = makeRowValidator(entity, c, keys);
  const schema = z.object(shape).superRefine((v, zctx) => {
    const input = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x ?? undefined]));
    const r = rules(input as Record<string, string | undefined>);
    if (!r.ok) for (const e of r.errors) zctx.addIssue({ code: 'custom', message: e.message, path: e.field ? [e.field] : [] });
  });
  return (input: Record<string, string | undefined>): RowCheck => {
    const r = schema.safeParse(input);
    if (!r.success) return { ok: false, errors: r.error.issues.slice(0, 50).map((i) => ({ field: i.path.length ? String(i.path[0]) : null, message: i.message })) };
    // Derived keys (account_key, name_key) come from the validator under test; every field value from zod.
    const mine = rules(input);
    return { ok: true, values: mine.ok ? { ...mine.values, ...(r.data as Record<string, string | null>) } : (r.data as Record<string, string | null>) };
  };
}

describe('row validator', () => {
  it('gives what the zod schema it replaced gave: verdict, issues in order, values', () => {
    const value = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', ' ', 'CN', 'China', '2026-01-02', '-5', '10', '1,234.5', 'USD', 'EUR', 'yes', 'x@y.com', 'acme.com', 'won', 'lost', 'price', 'meeting', '2026-01-02 10:00'));
    for (const entity of IMPORT_ENTITIES) {
      const all = ENTITY_FIELDS[entity].map((f) => f.key);
      fc.assert(fc.property(fc.option(fc.subarray(all), { nil: undefined }), fc.dictionary(fc.constantFrom(...all), value), (keys, input) => {
        expect(makeRowValidator(entity, ctx, keys)(input)).toEqual(zodValidator(entity, ctx, keys)(input));
      }), { numRuns: 300 });
    }
  });
});

describe('custom field values', () => {
  const field = (type: ImportCustomField['type'], options: string[] = []): ImportCustomField => ({ key: 'f', type, options, required: false, label: {} });

  it('never throws; whatever it accepts is a value the custom-field rules accept', () => {
    const types: ImportCustomField['type'][] = ['text', 'number', 'date', 'boolean', 'select', 'multiselect'];
    fc.assert(fc.property(fc.constantFrom(...types), fc.string({ maxLength: 40 }), (type, raw) => {
      const f = field(type, ['Enterprise', 'Mid-market', 'SMB']);
      const r = parseCustomValue(f, raw, ctx);
      if (r.ok) expect(checkCustomValue(f, r.value)).toEqual({ ok: true, value: r.value });
    }));
  });

  it('numbers read back as the number written; options match in any case and spacing, stored as the field writes them', () => {
    fc.assert(fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), (n) => {
      const r = parseCustomValue(field('number'), String(n), ctx);
      expect(r).toEqual({ ok: true, value: Object.is(n, -0) ? 0 : n });
    }));
    fc.assert(fc.property(fc.constantFrom('Enterprise', 'Mid-market', 'SMB'), fc.constantFrom((s: string) => s.toUpperCase(), (s: string) => s.toLowerCase(), (s: string) => ` ${s} `, (s: string) => s.replace('-', ' ')), (o, spell) => {
      expect(parseCustomValue(field('select', ['Enterprise', 'Mid-market', 'SMB']), spell(o), ctx)).toEqual({ ok: true, value: o });
    }));
    expect(parseCustomValue(field('multiselect', ['CE', 'UL']), 'ul; CE; ce', ctx)).toEqual({ ok: true, value: ['UL', 'CE'] });
    expect(parseCustomValue(field('date'), '03/05/2026', { ...ctx, dateOrder: 'dmy' })).toEqual({ ok: true, value: '2026-05-03' });
  });

  it('suggests custom fields by key, export header or any label, after the built-in fields', () => {
    const custom: { key: string; label: Record<string, string> }[] = [{ key: 'year_established', label: { en: 'Year established', 'zh-CN': '成立年份' } }, { key: 'name', label: { en: 'Company' } }];
    expect(suggestMapping('accounts', ['Company', '成立年份', 'custom.name'], custom)).toEqual({ Company: 'name', 成立年份: 'custom.year_established', 'custom.name': 'custom.name' });
  });
});
