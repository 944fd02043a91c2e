/** Adds the product screens' translations (namespace `products`) to i18next when the feature loads. */
import i18n from 'i18next';
import { BUNDLES, importWizardLabels, NS, VOCAB_NAME } from './bundles.ts';

export { NS };

for (const [lng, res] of Object.entries(BUNDLES)) {
  if (!i18n.hasResourceBundle(lng, NS)) i18n.addResourceBundle(lng, NS, res, true, true);
  // The vocabulary and the custom-field entity this feature adds need their names where the others have theirs.
  i18n.addResourceBundle(lng, 'translation', { vocab: { product_line: VOCAB_NAME[lng as keyof typeof VOCAB_NAME] }, admin: { entityName: { product: res.entityName } } }, true, false);
  // The import wizard's product entities and fields (deep merge, never overwriting a shared key).
  i18n.addResourceBundle(lng, 'translation', importWizardLabels(lng as keyof typeof BUNDLES), true, false);
}
