/** The voice-of-the-customer screens' translations, one bundle per language (registered by ./i18n.ts). */
import en from './i18n/en.json' with { type: 'json' };
import zhCN from './i18n/zh-CN.json' with { type: 'json' };
import zhTW from './i18n/zh-TW.json' with { type: 'json' };

export const NS = 'feedback';
export const BUNDLES = { en, 'zh-CN': zhCN, 'zh-TW': zhTW } as const;

/**
 * What the import wizard (default namespace) needs to name the feedback entity and its fields: merged
 * into `import.entityName` and `importField` when the feature loads, so the shared bundles stay untouched.
 */
export function importWizardLabels(lang: keyof typeof BUNDLES) {
  const { entity, ...fields } = BUNDLES[lang].importLabels;
  return { import: { entityName: { feedback: entity } }, importField: fields };
}
