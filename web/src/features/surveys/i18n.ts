/**
 * Adds the survey screens' translations (namespace `surveys`) to i18next when the feature loads, and
 * the few words other screens show for it: the engagement list columns (core `field.*`, `enum.engagement.*`)
 * and the engagement alerts in the alerts card (namespace `funnel`), merged into those namespaces.
 */
import i18n from 'i18next';
import { BUNDLES, importWizardLabels, NS } from './bundles.ts';

export { NS };

type Lang = keyof typeof BUNDLES;
const addAlerts = (lng: string) => {
  const res = BUNDLES[lng as Lang];
  if (res) i18n.addResourceBundle(lng, 'funnel', { alerts: res.alerts }, true, false);
};

for (const [lng, res] of Object.entries(BUNDLES)) {
  if (!i18n.hasResourceBundle(lng, NS)) i18n.addResourceBundle(lng, NS, res, true, true);
  i18n.addResourceBundle(lng, 'translation', { field: res.core.field, enum: { engagement: res.placement } }, true, false);
  i18n.addResourceBundle(lng, 'translation', importWizardLabels(lng as Lang), true, false);
  // The funnel feature adds its namespace only when it does not exist yet: ours go in once it is there.
  if (i18n.hasResourceBundle(lng, 'funnel')) addAlerts(lng);
}
i18n.store.on('added', (lng: string, ns: string) => {
  if (ns === 'funnel' && !(i18n.getResource(lng, 'funnel', 'alerts.nps_drop') as string | undefined)) addAlerts(lng);
});
