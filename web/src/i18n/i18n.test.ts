import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import en from './en.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };
import zhTW from './zh-TW.json' with { type: 'json' };

type Tree = { [k: string]: string | Tree };
function flatten(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const locales = { en: flatten(en as Tree), 'zh-CN': flatten(zhCN as Tree), 'zh-TW': flatten(zhTW as Tree) };

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
    for (const file of sourceFiles(root)) {
      const text = readFileSync(file, 'utf8');
      // Features with their own i18next namespace (useTranslation(NS)) check their own keys.
      if (/useTranslation\(\s*[^)\s]/.test(text)) continue;
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*)'/g)) {
        if (!locales.en.has(m[1]!)) missing.push(`${file.slice(root.length)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
