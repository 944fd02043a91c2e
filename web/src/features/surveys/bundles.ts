/** The survey and engagement screens' translations, one bundle per language (registered by ./i18n.ts). */
import en from './i18n/en.json' with { type: 'json' };
import zhCN from './i18n/zh-CN.json' with { type: 'json' };
import zhTW from './i18n/zh-TW.json' with { type: 'json' };

export const NS = 'surveys';
export const BUNDLES = { en, 'zh-CN': zhCN, 'zh-TW': zhTW } as const;
