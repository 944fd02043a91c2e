import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import en from './en.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };
import zhTW from './zh-TW.json' with { type: 'json' };
import { importWizardLabels as feedbackImport } from '../features/feedback/bundles.ts';
import { importWizardLabels as productImport } from '../features/products/bundles.ts';
import { importWizardLabels as surveyImport } from '../features/surveys/bundles.ts';

type Tree = { [k: string]: string | Tree };
function flatten(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    const key = prefix ? `${prefix}.${k}` : k;
    // Anything but a nested object is a leaf (a number or null is kept as is, for the checks to reject).
    if (v !== null && typeof v === 'object') for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const locales = { en: flatten(en as Tree), 'zh-CN': flatten(zhCN as Tree), 'zh-TW': flatten(zhTW as Tree) };

const LANGS = ['en', 'zh-CN', 'zh-TW'] as const;
const FEATURES = fileURLToPath(new URL('../features', import.meta.url));

/** Every feature's own namespace folder (web/src/features/<feature>/i18n), found on disk so a new one is checked too. */
const featureNamespaces = readdirSync(FEATURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(FEATURES, d.name, 'i18n')))
  .map((d) => d.name)
  .sort();

function readNamespace(feature: string): Record<(typeof LANGS)[number], Map<string, string>> {
  const dir = join(FEATURES, feature, 'i18n');
  const read = (lang: string) => flatten(JSON.parse(readFileSync(join(dir, `${lang}.json`), 'utf8')) as Tree);
  return { en: read('en'), 'zh-CN': read('zh-CN'), 'zh-TW': read('zh-TW') };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(d.name) && !d.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('translations', () => {
  it('the three locales have identical key sets', () => {
    const keys = [...locales.en.keys()].sort();
    expect([...locales['zh-CN'].keys()].sort()).toEqual(keys);
    expect([...locales['zh-TW'].keys()].sort()).toEqual(keys);
  });

  it('no translation is empty and placeholders match English', () => {
    for (const [name, map] of Object.entries(locales)) {
      for (const [k, v] of map) {
        expect(v.trim(), `${name}:${k}`).not.toBe('');
        expect(placeholders(v), `${name}:${k}`).toEqual(placeholders(locales.en.get(k)!));
      }
    }
  });

  it('Chinese locales are actually translated (not English copies)', () => {
    let same = 0;
    for (const [k, v] of locales['zh-CN']) if (v === locales.en.get(k) && /[a-z]{3}/i.test(v)) same++;
    // A few brand and format words (CSV, vCard, API) legitimately stay the same.
    expect(same).toBeLessThan(10);
  });

  it('every static key used in the code exists', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const missing: string[] = [];
    // Features that bring an import entity add the wizard's labels to the default namespace when they load.
    const added = new Set([feedbackImport, productImport, surveyImport].flatMap((f) => [...flatten(f('en') as unknown as Tree).keys()]));
    const known = (k: string) => locales.en.has(k) || added.has(k);
    for (const file of sourceFiles(root)) {
      const text = readFileSync(file, 'utf8');
      // Features with their own i18next namespace (useTranslation(NS)) check their own keys.
      if (/useTranslation\(\s*[^)\s]/.test(text)) continue;
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*)'/g)) {
        if (!known(m[1]!)) missing.push(`${file.slice(root.length)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('nothing left in English in the Chinese UI', () => {
  // Words that are the same in every language: formats, standards, product and method names.
  const SAME = new Set(['CSV', 'vCard', 'API', 'AISAS', 'Brier', 'ICP', 'QR', 'TOTP', 'URL', 'JSON', 'Excel', 'Accord', 'ISO', 'UTF', 'Ctrl', 'HubSpot', 'Salesforce', 'Pipedrive', 'Hofstede', 'PGlite', 'PostgreSQL', 'salesforce', 'hubspot', 'pipedrive']);
  const bundles = [['core', locales] as const, ...featureNamespaces.map((f) => [f, readNamespace(f)] as const)];
  it.each(bundles.map(([name]) => name))('%s: every Chinese text with English words in it is Chinese text (no English copy)', (name) => {
    const ns = bundles.find(([n]) => n === name)![1];
    const english: string[] = [];
    for (const lang of ['zh-CN', 'zh-TW'] as const) {
      for (const [k, v] of ns[lang]) {
        const words = v.replace(/\{\{\s*\w+\s*\}\}/g, '').match(/[A-Za-z]{3,}/g)?.filter((w) => !SAME.has(w)) ?? [];
        if (words.length && !/[\u3400-\u9fff]/.test(v)) english.push(`${lang}:${k} = ${v}`);
      }
    }
    expect(english).toEqual([]);
  });
});

describe('one word per concept', () => {
  // "Fit" (DOMAIN §4) reads 匹配度 in both Chinese locales; a second word for it made the profile and the list disagree.
  it('fit is 匹配度 everywhere in Chinese, never 契合度 / 适配度 / 適配度', () => {
    const all = [locales, ...featureNamespaces.map(readNamespace)].flatMap((ns) => [...ns['zh-CN'].values(), ...ns['zh-TW'].values()]);
    expect(all.filter((v) => /契合度|适配度|適配度/.test(v))).toEqual([]);
  });
});

describe('feature translation namespaces', () => {
  it('are discovered', () => {
    expect(featureNamespaces.length).toBeGreaterThan(0);
  });

  describe.each(featureNamespaces)('%s/i18n', (feature) => {
    it('has exactly en, zh-CN and zh-TW', () => {
      const files = readdirSync(join(FEATURES, feature, 'i18n')).filter((f) => f.endsWith('.json')).sort();
      expect(files).toEqual(LANGS.map((l) => `${l}.json`).sort());
    });

    it('has identical key sets in the three languages', () => {
      const ns = readNamespace(feature);
      const keys = [...ns.en.keys()].sort();
      expect(keys.length).toBeGreaterThan(0);
      for (const lang of ['zh-CN', 'zh-TW'] as const) {
        // Named differences, so a failure says which key is missing where.
        const missing = keys.filter((k) => !ns[lang].has(k));
        const extra = [...ns[lang].keys()].filter((k) => !ns.en.has(k));
        expect({ missing, extra }, lang).toEqual({ missing: [], extra: [] });
      }
    });

    it('has no empty value and the same placeholders as English', () => {
      const ns = readNamespace(feature);
      for (const lang of LANGS) {
        for (const [k, v] of ns[lang]) {
          expect(typeof v === 'string' && v.trim() !== '', `${lang}:${k}`).toBe(true);
          if (ns.en.has(k)) expect(placeholders(v), `${lang}:${k}`).toEqual(placeholders(ns.en.get(k)!));
        }
      }
    });
  });
});
