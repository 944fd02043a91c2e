/** Human labels for profile attribute values: vocabularies, countries, price orientation, raw otherwise. */
import { useTranslation } from 'react-i18next';
import { useVocabLabel } from '../../app/data.ts';
import { formatCountry } from '../../app/format.ts';
import { NS } from './i18n.ts';

const VOCAB: Record<string, string> = { industry: 'industry', needType: 'need_type' };

export function useValueLabel() {
  const { t, i18n } = useTranslation(NS);
  const vocab = useVocabLabel();
  return (attribute: string, value: string) => {
    if (attribute === 'country') return formatCountry(value, i18n.language);
    if (attribute === 'priceOrientation') return t(`po.${value}`, { defaultValue: value });
    if (VOCAB[attribute]) return vocab(VOCAB[attribute]!, value);
    return value.replace(/_/g, ' ');
  };
}

export function useReasonLabel() {
  const { t } = useTranslation(NS);
  const value = useValueLabel();
  return (r: { label: string; attribute?: string; value?: string; lift?: number }) =>
    r.attribute && r.value !== undefined && typeof r.lift === 'number'
      ? t('badge.reason', {
          attr: t(`attr.${r.attribute}`, { defaultValue: r.attribute.replace(/^custom\./, '') }),
          value: value(r.attribute, r.value),
          lift: r.lift >= 10 ? r.lift.toFixed(0) : r.lift.toFixed(1),
        })
      : r.label;
}
