/** /profile — the ideal customer profile learned from won accounts: lift bars per attribute. */
import { Alert, Card, Group, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format.ts';
import { QueryError } from '../../ui/ErrorBoundary.tsx';
import { Chart } from './Chart.tsx';
import { useProfile, type ProfileResponse } from './data.ts';
import { NS } from './i18n.ts';
import { RecomputeButton } from './PortfolioPage.tsx';
import { useValueLabel } from './valueLabel.ts';

function AttributeCard({ attr }: { attr: ProfileResponse['attributes'][number] }) {
  const { t } = useTranslation(NS);
  const valueLabel = useValueLabel();
  const label = (v: string) => valueLabel(attr.attribute, v);
  // Top 12 by lift; bars read left to right from 1× (the base rate).
  const entries = attr.entries.slice(0, 12);
  const rows = [...entries].reverse();
  const option = {
    animation: false,
    grid: { left: 130, right: 48, top: 8, bottom: 24 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: { dataIndex: number }[]) => {
        const e = rows[ps[0]!.dataIndex]!;
        return `<b>${label(e.value)}</b><br/>${t('profile.lift')}: ${e.lift.toFixed(2)}×<br/>${t('profile.wonShare')}: ${Math.round(e.wonShare * 100)} % (${e.won})<br/>${t('profile.baseShare')}: ${Math.round(e.baseShare * 100)} % (${e.base})`;
      },
    },
    xAxis: { type: 'log', logBase: 2, min: 0.25, max: 8, axisLabel: { formatter: (v: number) => `${v}×` } },
    yAxis: { type: 'category', data: rows.map((e) => label(e.value)), axisLabel: { width: 120, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        // Values within chance are grey: shown, but they move no fit.
        data: rows.map((e) => ({ value: Math.min(8, Math.max(0.25, e.lift)), itemStyle: { color: !e.separates ? '#ced4da' : e.lift >= 1 ? '#2f9e44' : '#e03131' } })),
        label: { show: true, position: 'right', formatter: (p: { dataIndex: number }) => `${rows[p.dataIndex]!.lift.toFixed(1)}×` },
        markLine: { silent: true, symbol: 'none', lineStyle: { color: '#868e96', type: 'dashed' }, label: { show: false }, data: [{ xAxis: 1 }] },
      },
    ],
  };
  return (
    <Card withBorder padding="sm" data-testid={`profile-${attr.attribute}`}>
      <Text fw={600} mb={4}>{t(`attr.${attr.attribute}`, { defaultValue: attr.attribute.replace(/^custom\./, '') })}</Text>
      <Chart option={option} style={{ height: Math.max(120, rows.length * 28 + 40) }} />
      <Table verticalSpacing={2} fz="xs" mt={4}>
        <Table.Thead>
          <Table.Tr><Table.Th>{t('profile.value')}</Table.Th><Table.Th ta="right">{t('profile.won')}</Table.Th><Table.Th ta="right">{t('profile.base')}</Table.Th><Table.Th ta="right">{t('profile.lift')}</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.slice(0, 5).map((e) => (
            <Table.Tr key={e.value}><Table.Td>{label(e.value)}</Table.Td><Table.Td ta="right">{e.won}</Table.Td><Table.Td ta="right">{e.base}</Table.Td><Table.Td ta="right" fw={e.separates ? 700 : undefined} c={e.separates ? undefined : 'dimmed'}>{e.lift.toFixed(2)}×</Table.Td></Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

export default function ProfilePage() {
  const { t, i18n } = useTranslation(NS);
  const q = useProfile();
  const p = q.data;
  return (
    <Stack gap="md" p="md">
      <Group justify="space-between">
        <Title order={2}>{t('profile.title')}</Title>
        <RecomputeButton />
      </Group>
      {q.isLoading ? <Skeleton h={400} /> : q.isError || !p ? <QueryError error={q.error} onRetry={() => void q.refetch()} /> : (
        <>
          <Text size="sm" c="dimmed">
            {t('profile.intro', { won: p.wonAccounts, base: p.baseAccounts })}{' '}
            {p.trainedAt ? t('profile.trainedAt', { when: formatDateTime(p.trainedAt, i18n.language) }) : t('profile.live')}
          </Text>
          {p.wonAccounts === 0 ? <Alert color="gray">{t('profile.noHistory')}</Alert> : null}
          {p.wonAccounts > 0 && !p.separates ? (
            <Alert color="yellow" title={t('profile.nothingSeparatesTitle')} data-testid="profile-nothing-separates">{t('profile.nothingSeparates')}</Alert>
          ) : null}
          {p.wonAccounts === 0 ? null : (
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              {p.attributes.map((a) => <AttributeCard key={a.attribute} attr={a} />)}
            </SimpleGrid>
          )}
        </>
      )}
    </Stack>
  );
}
