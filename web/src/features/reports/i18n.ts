/** Adds the report screens' translations (namespace `reports`) to i18next when the feature loads. */
import i18n from 'i18next';
import { BUNDLES, NS } from './bundles.ts';

export { NS };

for (const [lng, res] of Object.entries(BUNDLES)) {
  if (!i18n.hasResourceBundle(lng, NS)) i18n.addResourceBundle(lng, NS, res, true, true);
}
