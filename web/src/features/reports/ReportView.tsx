/** A report result as a chart and a table; used by the builder and by every dashboard tile. */
import { useMemo } from 'react';
import { Alert, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ReportResult } from '../../../../src/features/reports/schemas.ts';
import { Chart, type EChartsOption } from '../funnel/Chart.tsx';
import { NS } from './i18n.ts';
import { useFormatValue, useGroupLabel, useMeasureLabel, useReportFieldLabel } from './labels.ts';

export type ChartKind = 'bar' | 'line' | 'none';

/** The chart draws the first measure: x = first group, one series per second group or currency. */
export function useChartOption(r: ReportResult | undefined, vocab: Record<string, string>, kind: ChartKind, horizontal = false): EChartsOption | null {
  const group = useGroupLabel(vocab);
  const measure = useMeasureLabel(r?.recordType ?? 'opportunities');
  const { i18n } = useTranslation();
  return useMemo(() => {
    if (!r || kind === 'none' || !r.rows.length) return null;
    const xs: string[] = [];
    const series = new Map<string, Map<string, number | null>>();
    for (const row of r.rows) {
      const x = r.groupBy.length ? group(r, row, 0) : measure(r.measures[0]!);
      if (!xs.includes(x)) xs.push(x);
      const parts = [r.groupBy.length > 1 ? group(r, row, 1) : null, r.byCurrency ? row.currency ?? '—' : null].filter((p): p is string => p !== null);
      const name = parts.join(' · ') || measure(r.measures[0]!);
      const s = series.get(name) ?? new Map<string, number | null>();
      const v = row.values[0];
      s.set(x, typeof v === 'number' ? v : v === null ? null : Number(v));
      series.set(name, s);
    }
    const ratio = r.measures[0]!.unit === 'ratio';
    const nf = new Intl.NumberFormat(i18n.language, ratio ? { style: 'percent', maximumFractionDigits: 0 } : { notation: 'compact', maximumFractionDigits: 1 });
    const valueAxis = { type: 'value' as const, axisLabel: { formatter: (v: number) => nf.format(v) }, ...(ratio ? { max: 1 } : {}) };
    const catAxis = { type: 'category' as const, data: xs, axisLabel: { interval: 0, rotate: !horizontal && xs.length > 8 ? 40 : 0, width: horizontal ? 110 : undefined, overflow: 'truncate' as const } };
    const stacked = kind === 'bar' && series.size > 1 && !ratio;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? nf.format(v) : String(v ?? '')) },
      legend: series.size > 1 ? { type: 'scroll', bottom: 0 } : undefined,
      grid: { left: horizontal ? 120 : 56, right: 16, top: 16, bottom: series.size > 1 ? 56 : 32, containLabel: !horizontal },
      xAxis: horizontal ? valueAxis : catAxis,
      yAxis: horizontal ? { ...catAxis, inverse: true } : valueAxis,
      series: [...series].map(([name, s]) => ({ name, type: kind, stack: stacked ? 'all' : undefined, smooth: kind === 'line', connectNulls: true, data: xs.map((x) => s.get(x) ?? null) })),
    } as EChartsOption;
  }, [r, kind, horizontal, group, measure, i18n.language]);
}

/** The table as shown, also what "Export CSV" writes (labels in the screen's language). */
export function useResultTable(vocab: Record<string, string>) {
  const group = useGroupLabel(vocab);
  const fmt = useFormatValue();
  const { t } = useTranslation(NS);
  return (r: ReportResult, fieldLabel: (f: string) => string, measureLabel: (m: ReportResult['measures'][number]) => string) => {
    const head = [...r.groupBy.map((g) => (g.bucket ? `${fieldLabel(g.field)} (${t(`buckets.${g.bucket}`)})` : fieldLabel(g.field))), ...(r.byCurrency ? [t('currency')] : []), ...r.measures.map(measureLabel)];
    const body = r.rows.map((row) => [...r.groupBy.map((_, i) => group(r, row, i)), ...(r.byCurrency ? [row.currency ?? '—'] : []), ...r.measures.map((_, j) => fmt(r, row, j))]);
    return [head, ...body];
  };
}

export function ReportView({ result, vocab, chart, height = 280, horizontal, testId, table = true }: { result: ReportResult | undefined; vocab: Record<string, string>; chart: ChartKind; height?: number; horizontal?: boolean; testId?: string; table?: boolean }) {
  const { t } = useTranslation(NS);
  const option = useChartOption(result, vocab, chart, horizontal);
  const fieldLabel = useReportFieldLabel(result?.recordType ?? 'opportunities');
  const measureLabel = useMeasureLabel(result?.recordType ?? 'opportunities');
  const tableOf = useResultTable(vocab);
  if (!result) return null;
  if (!result.rows.length) return <Text c="dimmed" size="sm">{t('empty')}</Text>;
  const [head, ...body] = tableOf(result, fieldLabel, measureLabel);
  const groupCols = result.groupBy.length + (result.byCurrency ? 1 : 0);
  // An empty chart says nothing: say why instead (a weighted pipeline before the win model has scored any deal).
  const drawn = result.rows.some((r) => r.values[0] !== null && r.values[0] !== undefined);
  const first = result.measures[0];
  return (
    <Stack gap="xs" data-testid={testId}>
      {result.truncated && <Alert color="yellow" py={4}>{t('truncated', { n: result.rows.length })}</Alert>}
      {option && drawn && <Chart option={option} height={height} testId={testId ? `${testId}-chart` : undefined} />}
      {option && !drawn && (
        <Text c="dimmed" size="sm" data-testid={testId ? `${testId}-nothing` : undefined}>
          {first?.agg === 'weightedSum' ? t('noProbabilities') : t('noValues', { measure: first ? measureLabel(first) : '' })}
        </Text>
      )}
      {table && (
        <Table.ScrollContainer minWidth={400} mah={420}>
          <Table striped highlightOnHover stickyHeader fz="sm" data-testid={testId ? `${testId}-table` : undefined}>
            <Table.Thead>
              <Table.Tr>{head!.map((h, i) => <Table.Th key={i} ta={i >= groupCols ? 'right' : undefined}>{h}</Table.Th>)}</Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {body.map((cells, k) => (
                <Table.Tr key={k}>{cells.map((c, i) => <Table.Td key={i} ta={i >= groupCols ? 'right' : undefined} style={i >= groupCols ? { fontVariantNumeric: 'tabular-nums' } : undefined}>{c}</Table.Td>)}</Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
