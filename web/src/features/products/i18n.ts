/** Adds the product screens' translations (namespace `products`) to i18next when the feature loads. */
import i18n from 'i18next';
import { BUNDLES, NS, VOCAB_NAME } from './bundles.ts';

export { NS };

for (const [lng, res] of Object.entries(BUNDLES)) {
  if (!i18n.hasResourceBundle(lng, NS)) i18n.addResourceBundle(lng, NS, res, true, true);
  // The vocabulary this feature adds needs its name where the other vocabularies have theirs.
  i18n.addResourceBundle(lng, 'translation', { vocab: { product_line: VOCAB_NAME[lng as keyof typeof VOCAB_NAME] } }, true, false);
}
