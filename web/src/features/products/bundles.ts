/** The product screens' translations, one bundle per language (registered by ./i18n.ts). */
import en from './i18n/en.json' with { type: 'json' };
import zhCN from './i18n/zh-CN.json' with { type: 'json' };
import zhTW from './i18n/zh-TW.json' with { type: 'json' };

export const NS = 'products';
export const BUNDLES = { en, 'zh-CN': zhCN, 'zh-TW': zhTW } as const;

/** The name of the product_line vocabulary in the admin screen's vocabulary picker (core namespace, `vocab.*`). */
export const VOCAB_NAME = { en: 'Product lines', 'zh-CN': '产品线', 'zh-TW': '產品線' } as const;
