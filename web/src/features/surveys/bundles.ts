/** The survey and engagement screens' translations, one bundle per language (registered by ./i18n.ts). */
import en from './i18n/en.json' with { type: 'json' };
import zhCN from './i18n/zh-CN.json' with { type: 'json' };
import zhTW from './i18n/zh-TW.json' with { type: 'json' };

export const NS = 'surveys';
export const BUNDLES = { en, 'zh-CN': zhCN, 'zh-TW': zhTW } as const;

/**
 * What the import wizard (default namespace) needs to name the survey-results entity and its fields:
 * merged into `import.entityName` and `importField` when the feature loads (the shared bundles stay untouched).
 * The emotional items are numbered per level: confidence_1 … passion_4.
 */
export function importWizardLabels(lang: keyof typeof BUNDLES) {
  const { entity, hint, dontKnow, confidence, integrity, pride, passion, ...fields } = BUNDLES[lang].importLabels;
  const perLevel = { confidence, integrity, pride, passion };
  const items = Object.fromEntries(Object.entries(perLevel).flatMap(([level, label]) => [1, 2, 3, 4].map((n) => [`${level}_${n}`, label.replace('{{n}}', String(n))])));
  return { import: { entityName: { survey_answers: entity }, surveyHint: hint, dontKnow }, importField: { ...fields, ...items } };
}
