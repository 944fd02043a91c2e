/** The product screens' translations, one bundle per language (registered by ./i18n.ts). */
import en from './i18n/en.json' with { type: 'json' };
import zhCN from './i18n/zh-CN.json' with { type: 'json' };
import zhTW from './i18n/zh-TW.json' with { type: 'json' };

export const NS = 'products';
export const BUNDLES = { en, 'zh-CN': zhCN, 'zh-TW': zhTW } as const;

/** The name of the product_line vocabulary in the admin screen's vocabulary picker (core namespace, `vocab.*`). */
export const VOCAB_NAME = { en: 'Product lines', 'zh-CN': '产品线', 'zh-TW': '產品線' } as const;

/**
 * What the import wizard (default namespace) needs to name the product entities, their fields and the
 * createProducts option: merged into `import.*` and `importField` when the feature loads, so the shared
 * bundles stay untouched.
 */
export function importWizardLabels(lang: keyof typeof BUNDLES) {
  const { entities, fields, createProducts, createProductsHint } = BUNDLES[lang].importLabels;
  return { import: { entityName: entities, createProducts, createProductsHint }, importField: fields };
}
