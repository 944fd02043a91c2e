/** Adds the voice-of-the-customer translations (namespace `feedback`) and the import wizard's feedback labels. */
import i18n from 'i18next';
import { BUNDLES, importWizardLabels, NS } from './bundles.ts';

export { NS };

for (const [lng, res] of Object.entries(BUNDLES)) {
  if (!i18n.hasResourceBundle(lng, NS)) i18n.addResourceBundle(lng, NS, res, true, true);
  // Deep merge into the default namespace, never overwriting a shared key.
  i18n.addResourceBundle(lng, 'translation', importWizardLabels(lng as keyof typeof BUNDLES), true, false);
}
