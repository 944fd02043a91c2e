/** The report screens' own translations, namespace `reports`, added to i18next when the feature loads. */
import i18n from 'i18next';
import en from './i18n/en.json' with { type: 'json' };
import zhCN from './i18n/zh-CN.json' with { type: 'json' };
import zhTW from './i18n/zh-TW.json' with { type: 'json' };

export const NS = 'reports';
export const BUNDLES = { en, 'zh-CN': zhCN, 'zh-TW': zhTW } as const;

for (const [lng, res] of Object.entries(BUNDLES)) {
  if (!i18n.hasResourceBundle(lng, NS)) i18n.addResourceBundle(lng, NS, res, true, true);
}
