/** The sales dashboard: five reports over the opportunities, each one click away from the builder. */
import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { ReportDefinitionInput } from '../../../../src/features/reports/schemas.ts';
import { useReportFields, useReportResult } from './data.ts';
import { NS } from './i18n.ts';
import { ReportView, type ChartKind } from './ReportView.tsx';

/** The dashboard's reports; plain definitions, so each opens unchanged in the builder. */
export const DASHBOARD: { key: string; definition: ReportDefinitionInput; chart: ChartKind; horizontal?: boolean }[] = [
  { key: 'pipeline', chart: 'bar', definition: { recordType: 'opportunities', groupBy: [{ field: 'buyingStage' }], measures: [{ agg: 'sum', field: 'amount' }, { agg: 'count' }], filters: { status: 'open' } } },
  { key: 'forecast', chart: 'bar', definition: { recordType: 'opportunities', groupBy: [{ field: 'expectedClose', bucket: 'month' }], measures: [{ agg: 'weightedSum', field: 'amount' }, { agg: 'sum', field: 'amount' }, { agg: 'count' }], filters: { status: 'open' } } },
  { key: 'winOwner', chart: 'bar', horizontal: true, definition: { recordType: 'opportunities', groupBy: [{ field: 'ownerId' }], measures: [{ agg: 'winRate' }, { agg: 'count' }, { agg: 'cycleMedian' }], filters: { 'status[in]': 'won,lost' } } },
  { key: 'winTeam', chart: 'bar', horizontal: true, definition: { recordType: 'opportunities', groupBy: [{ field: 'ownerTeam' }], measures: [{ agg: 'winRate' }, { agg: 'count' }], filters: { 'status[in]': 'won,lost' } } },
  { key: 'wonQuarter', chart: 'bar', definition: { recordType: 'opportunities', groupBy: [{ field: 'closedAt', bucket: 'quarter' }], measures: [{ agg: 'sum', field: 'amount' }, { agg: 'count' }], filters: { status: 'won' } } },
];

function Tile({ tile, vocab }: { tile: (typeof DASHBOARD)[number]; vocab: Record<string, string> }) {
  const { t } = useTranslation(NS);
  const result = useReportResult(tile.definition);
  return (
    <Card withBorder data-testid={`tile-${tile.key}`}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t(`dashboard.${tile.key}`)}</Text>
        <Anchor component={Link} size="xs" to={`/reports?def=${encodeURIComponent(JSON.stringify(tile.definition))}`}>{t('dashboard.openAsReport')}</Anchor>
      </Group>
      {result.error ? <Text c="red" size="sm">{result.error.message}</Text> : <ReportView result={result.data} vocab={vocab} chart={tile.chart} horizontal={tile.horizontal} height={240} table={false} testId={`tile-${tile.key}-view`} />}
    </Card>
  );
}

export default function DashboardPage() {
  const { t } = useTranslation(NS);
  const vocab = useReportFields('opportunities').data?.vocab ?? {};
  return (
    <Stack p="md" gap="md" data-testid="dashboard-page">
      <div>
        <Title order={2}>{t('dashboard.title')}</Title>
        <Text c="dimmed" size="sm">{t('dashboard.subtitle')}</Text>
      </div>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        {DASHBOARD.map((tile) => <Tile key={tile.key} tile={tile} vocab={vocab} />)}
      </SimpleGrid>
    </Stack>
  );
}
