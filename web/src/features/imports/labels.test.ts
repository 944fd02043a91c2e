import { expect, it } from 'vitest';
import { ENTITY_FIELDS } from '../../../../src/features/imports/fields.ts';
import en from '../../i18n/en.json' with { type: 'json' };
import zhCN from '../../i18n/zh-CN.json' with { type: 'json' };
import zhTW from '../../i18n/zh-TW.json' with { type: 'json' };
import { camel } from './parse.ts';
import { importWizardLabels } from '../feedback/bundles.ts';
import { importWizardLabels as surveyLabels } from '../surveys/bundles.ts';

type Bundle = { importField?: Record<string, string>; field?: Record<string, string> };

it('every import field has a label in every language (the wizard never shows a raw key)', () => {
  const missing: string[] = [];
  // Features that bring an import entity add its labels to the default namespace (feedback/i18n.ts).
  const withFeature = (lang: 'en' | 'zh-CN' | 'zh-TW', b: Bundle): Bundle => ({ ...b, importField: { ...b.importField, ...importWizardLabels(lang).importField, ...surveyLabels(lang).importField } });
  for (const [lang, bundle] of Object.entries({ en: withFeature('en', en), 'zh-CN': withFeature('zh-CN', zhCN), 'zh-TW': withFeature('zh-TW', zhTW) }) as [string, Bundle][]) {
    for (const fields of Object.values(ENTITY_FIELDS)) {
      for (const f of fields) if (!bundle.importField?.[camel(f.key)] && !bundle.field?.[camel(f.key)]) missing.push(`${lang}: ${f.key}`);
    }
  }
  expect([...new Set(missing)]).toEqual([]);
});
