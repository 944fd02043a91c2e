/** How report groups, fields and figures read on screen (and in the exported CSV). */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { customLabel, useCustomFields, useVocabLabel } from '../../app/data.ts';
import { formatMoney, formatNumber, formatPercent } from '../../app/format.ts';
import { useFieldLabel } from '../../ui/fields.tsx';
import { ENTITIES, type EntityName } from '../entities.ts';
import type { RecordType, ReportResult } from '../../../../src/features/reports/schemas.ts';
import { NS } from './i18n.ts';

type Row = ReportResult['rows'][number];
type MeasureInfo = ReportResult['measures'][number];

const SINGLE: Record<RecordType, string> = { accounts: 'account', contacts: 'contact', opportunities: 'opportunity', interactions: 'interaction', tasks: 'task', orders: 'order' };

/** A field's name on screen: the list's label, a custom field's own label, or the report's names for the extras. */
export function useReportFieldLabel(type: RecordType) {
  const { t, i18n } = useTranslation(NS);
  const fieldLabel = useFieldLabel();
  const custom = useCustomFields(SINGLE[type]).data ?? [];
  return useCallback(
    (field: string) => {
      if (field === 'ownerTeam') return t('ownerTeam');
      if (field.startsWith('custom.')) {
        const def = custom.find((c) => c.key === field.slice(7));
        return customLabel(def?.label, i18n.language, field.slice(7));
      }
      return fieldLabel({ key: field });
    },
    [t, fieldLabel, custom, i18n.language],
  );
}

export function useGroupLabel(vocab: Record<string, string>) {
  const vocabLabel = useVocabLabel();
  const { t } = useTranslation(NS);
  const { t: tc } = useTranslation();
  return useCallback(
    (r: ReportResult, row: Row, i: number) => {
      const g = r.groupBy[i]!;
      const key = row.keys[i];
      if (key === null || key === undefined) return '—';
      if (g.bucket) return row.labels[i] ?? key;
      if (vocab[g.field]) return vocabLabel(vocab[g.field]!, key);
      if (row.labels[i]) return row.labels[i]!;
      if (g.field === 'status' && (r.recordType === 'opportunities' || r.recordType === 'tasks')) {
        const name = r.recordType === 'tasks' ? 'taskStatus' : 'status';
        const label = tc(`enum.${name}.${key}`, { defaultValue: key });
        return label;
      }
      return key === 'true' ? tc('common.yes') : key === 'false' ? tc('common.no') : key || t('none');
    },
    [vocab, vocabLabel, t, tc],
  );
}

export function useMeasureLabel(type: RecordType) {
  const { t } = useTranslation(NS);
  const field = useReportFieldLabel(type);
  return useCallback((m: MeasureInfo) => (m.field ? `${t(`agg.${m.agg}`)} · ${field(m.field)}` : t(`agg.${m.agg}`)), [t, field]);
}

export function useFormatValue() {
  const { t, i18n } = useTranslation(NS);
  const lang = i18n.language;
  return useCallback(
    (r: ReportResult, row: Row, j: number, compact = false) => {
      const v = row.values[j];
      if (v === null || v === undefined) return '—';
      switch (r.measures[j]!.unit) {
        case 'money':
          return formatMoney(v, row.currency, lang, compact);
        case 'base_money':
          return formatMoney(v, r.baseCurrency, lang, compact);
        case 'ratio':
          return formatPercent(v, lang);
        case 'days':
          return t('days', { n: formatNumber(v, lang, { maximumFractionDigits: 1 }) });
        case 'date':
          return String(v).slice(0, 10);
        default:
          return formatNumber(v, lang, { maximumFractionDigits: 2 });
      }
    },
    [t, lang],
  );
}

/** The list's filter fields for a record type (orders have no list screen: their fields come from the report catalog). */
export function listFieldsOf(type: RecordType) {
  return type === 'orders' ? undefined : ENTITIES[type as EntityName];
}
