import { expect, it } from 'vitest';
import { ENTITY_FIELDS } from '../../../../src/features/imports/fields.ts';
import en from '../../i18n/en.json' with { type: 'json' };
import zhCN from '../../i18n/zh-CN.json' with { type: 'json' };
import zhTW from '../../i18n/zh-TW.json' with { type: 'json' };
import { camel } from './parse.ts';
import { importWizardLabels } from '../feedback/bundles.ts';
import { importWizardLabels as productImportLabels } from '../products/bundles.ts';
import { importWizardLabels as surveyLabels } from '../surveys/bundles.ts';

type Bundle = { importField?: Record<string, string>; field?: Record<string, string> };

it('every import field has a label in every language (the wizard never shows a raw key)', () => {
  const missing: string[] = [];
  // Features that bring an import entity add its labels to the default namespace (feedback/i18n.ts).
  const withFeature = (lang: 'en' | 'zh-CN' | 'zh-TW', b: Bundle): Bundle => ({ ...b, importField: { ...b.importField, ...importWizardLabels(lang).importField, ...productImportLabels(lang).importField, ...surveyLabels(lang).importField } });
  for (const [lang, bundle] of Object.entries({ en: withFeature('en', en), 'zh-CN': withFeature('zh-CN', zhCN), 'zh-TW': withFeature('zh-TW', zhTW) }) as [string, Bundle][]) {
    for (const fields of Object.values(ENTITY_FIELDS)) {
      for (const f of fields) if (!bundle.importField?.[camel(f.key)] && !bundle.field?.[camel(f.key)]) missing.push(`${lang}: ${f.key}`);
    }
  }
  expect([...new Set(missing)]).toEqual([]);
});

it('every import entity has a name in every language (shared bundles plus the features that bring one)', async () => {
  const { IMPORT_ENTITIES } = await import('../../../../src/features/imports/fields.ts');
  const { importWizardLabels: feedbackLabels } = await import('../feedback/bundles.ts');
  for (const [lang, bundle] of [['en', en], ['zh-CN', zhCN], ['zh-TW', zhTW]] as const) {
    const names: Record<string, string> = { ...(bundle as { import: { entityName: Record<string, string> } }).import.entityName, ...feedbackLabels(lang).import.entityName, ...productImportLabels(lang).import.entityName, ...surveyLabels(lang).import.entityName };
    expect(IMPORT_ENTITIES.filter((e) => !names[e]), lang).toEqual([]);
  }
});
