import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import en from '../../i18n/en.json' with { type: 'json' };
import zhCN from '../../i18n/zh-CN.json' with { type: 'json' };
import { ENTITY_FIELDS, IMPORT_ENTITIES } from '../../../../src/features/imports/fields.ts';
import { DEFAULT_VOCABULARIES } from '../../../../src/features/vocabularies/defaults.ts';
import { matchBadge, previewValue, type DisplayContext } from './display.ts';

/** A context from a real bundle and the default vocabularies, as the wizard has once they loaded. */
function context(bundle: unknown, lang: string): DisplayContext {
  const get = (key: string) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], bundle);
  return {
    lang,
    t: (k) => String(get(k) ?? k),
    has: (k) => typeof get(k) === 'string',
    vocabLabel: (v, key) => {
      const term = (DEFAULT_VOCABULARIES as Record<string, { key: string; label: Record<string, string> }[]>)[v]?.find((x) => x.key === key);
      return term ? term.label[lang] ?? term.label.en! : String(key);
    },
  };
}

describe('previewValue: the preview shows words, not stored keys', () => {
  const zh = context(zhCN, 'zh-CN');
  const eng = context(en, 'en');

  it('vocabulary terms, fixed lists, languages, countries, yes/no, lists and order statuses', () => {
    expect(previewValue('opportunities', 'buying_stage', 'decision', zh)).toBe('决策');
    expect(previewValue('opportunities', 'buying_stage', 'decision', eng)).toBe('Decision');
    expect(previewValue('accounts', 'kind', 'customer', zh)).toBe(zhCN.enum.accountKind.customer);
    expect(previewValue('contacts', 'consent', 'granted', eng)).toBe(en.enum.consent.granted);
    expect(previewValue('contacts', 'language', 'en', zh)).toBe('英语');
    expect(previewValue('contacts', 'language', 'zh-TW', eng)).toMatch(/Chinese/);
    expect(previewValue('accounts', 'country', 'CN', zh)).toBe('中国');
    expect(previewValue('contacts', 'do_not_email', 'true', zh)).toBe(zhCN.common.yes);
    expect(previewValue('accounts', 'tags', 'a\x1fb', eng)).toBe('a, b');
    expect(previewValue('orders', 'status', 'shipped', zh)).toBe('已发货');
    // Free text and empty cells stay as they are.
    expect(previewValue('contacts', 'title', 'decision_maker', eng)).toBe('decision_maker');
    expect(previewValue('accounts', 'name', null, eng)).toBe('');
  });

  it('no vocabulary or fixed-list field of any import shows its key in Chinese', () => {
    const shown: string[] = [];
    for (const entity of IMPORT_ENTITIES) {
      for (const f of ENTITY_FIELDS[entity]) {
        const keys = f.type.kind === 'vocab' ? DEFAULT_VOCABULARIES[f.type.vocabulary].map((x) => x.key) : f.type.kind === 'enum' ? f.type.choices.map((c) => c.key) : [];
        for (const k of keys) if (previewValue(entity, f.key, k, zh) === k) shown.push(`${entity}.${f.key}: ${k}`);
      }
    }
    expect(shown).toEqual([]);
  });
});

describe('matchBadge', () => {
  it('a stage value the server maps to won/lost is "as won/lost", not "no match"', () => {
    expect(matchBadge({ match: 'none' }, 'status:won')).toBe('status');
    expect(matchBadge({ match: 'none' }, 'recognition_of_needs')).toBe('chosen');
    expect(matchBadge({ match: 'none' }, 'new:ship_chandlery')).toBe('chosen');
    expect(matchBadge({ match: 'none' }, undefined)).toBe('none');
    expect(matchBadge({ match: 'none' }, '')).toBe('none');
  });

  it('a value the server matched keeps its match, whatever is chosen for it; an unmatched one says "no match" only while it has no place', () => {
    const choice = fc.option(fc.oneof(fc.constant(''), fc.string(), fc.string().map((s) => `status:${s}`), fc.string().map((s) => `new:${s}`)), { nil: undefined });
    fc.assert(fc.property(fc.constantFrom('exact', 'case', 'label', 'none') as fc.Arbitrary<'exact' | 'case' | 'label' | 'none'>, choice, (match, c) => {
      const b = matchBadge({ match }, c);
      if (match !== 'none') return b === match;
      return (b === 'none') === (c === undefined || c === '');
    }));
  });
});
