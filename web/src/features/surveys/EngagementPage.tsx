/**
 * The seed's analysis on the organization's own customers: how accounts spread over the four engagement
 * levels and, per level, the index of share of wallet, revenue growth, order value and relationship growth
 * (level average ÷ organization average × 100) — and whether there is enough data to conclude anything.
 */
import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconAlertCircle, IconSettings } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Chart } from '../funnel/Chart.tsx';
import { HandlingOverview } from '../feedback/Handling.tsx';
import { useSegments } from '../segments/data.ts';
import { PLACEMENTS } from '../../../../src/features/surveys/rules.ts';
import { METRICS } from '../../../../src/features/surveys/schemas.ts';
import { useEngagement, useEngagementSettings, useNpsBreakdown, type EngagementAnalysis } from './data.ts';
import { useVocabLabel } from '../../app/data.ts';
import { EngagementBadge, LEVEL_HEX } from './EngagementBadge.tsx';
import { NS } from './i18n.ts';

const NPS_BY = ['portfolioType', 'needType', 'owner', 'month'] as const;

/** NPS with its counts by portfolio type, need type, owner or month (over time). */
function NpsCard() {
  const { t } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const vocab = useVocabLabel();
  const [by, setBy] = useState<(typeof NPS_BY)[number]>('portfolioType');
  const rows = useNpsBreakdown(by).data ?? [];
  const name = (k: string | null, label: string | null) =>
    k === null ? t('page.npsNone') : by === 'owner' ? (label ?? k) : by === 'needType' ? vocab('need_type', k) : by === 'portfolioType' ? tc(`enum.portfolio.${k}`) : k;
  return (
    <Card withBorder data-testid="engagement-nps-by">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('page.npsBy')}</Text>
        <SegmentedControl size="xs" value={by} onChange={(v) => setBy(v as typeof by)} data={NPS_BY.map((b) => ({ value: b, label: t(`page.by.${b}`) }))} />
      </Group>
      {by === 'month' ? (
        <Chart height={220} option={{
          grid: { left: 40, right: 40, top: 16, bottom: 30 }, tooltip: { trigger: 'axis' },
          xAxis: { type: 'category', data: rows.map((r) => r.key ?? '') },
          yAxis: [{ type: 'value', min: -100, max: 100 }, { type: 'value', minInterval: 1, splitLine: { show: false } }],
          series: [
            { type: 'bar', name: t('page.answers'), yAxisIndex: 1, data: rows.map((r) => r.n), itemStyle: { color: '#ced4da' } },
            { type: 'line', name: 'NPS', data: rows.map((r) => r.nps), itemStyle: { color: '#228be6' } },
          ],
        }} />
      ) : (
        <Table>
          <Table.Thead><Table.Tr><Table.Th>{t('page.npsGroup')}</Table.Th><Table.Th ta="right">NPS</Table.Th><Table.Th ta="right">{t('page.answers')}</Table.Th><Table.Th ta="right">+ / ○ / −</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.key ?? '-'}>
                <Table.Td>{name(r.key, r.label)}</Table.Td>
                <Table.Td ta="right" fw={600}>{r.nps === null ? '—' : Math.round(r.nps)}</Table.Td>
                <Table.Td ta="right">{r.n}</Table.Td>
                <Table.Td ta="right"><Text size="xs" c="dimmed">{r.promoters} / {r.passives} / {r.detractors}</Text></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

const pct = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${Math.round(v)} %`);
const VERDICT_COLOR = { as_seed: 'teal', mixed: 'yellow', opposite: 'red' } as const;

/** Each measure's distance from the average at both ends of the scale, beside the seed's +23 % / −13 % — and a reading only with enough answers. */
function SeedCard({ a }: { a: EngagementAnalysis }) {
  const { t } = useTranslation(NS);
  return (
    <Card withBorder padding={0} data-testid="engagement-vs-seed">
      <Text fw={600} p="md" pb={0}>{t('page.vsSeed.title')}</Text>
      <Table.ScrollContainer minWidth={720}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('page.vsSeed.metric')}</Table.Th>
              <Table.Th ta="right">{t('page.vsSeed.fully')}</Table.Th>
              <Table.Th ta="right">{t('page.vsSeed.disengaged')}</Table.Th>
              <Table.Th ta="right">{t('page.vsSeed.gap')}</Table.Th>
              <Table.Th>{t('page.vsSeed.verdict')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr>
              <Table.Td><Text size="sm" c="dimmed">{t('page.vsSeed.seedRow')}</Text></Table.Td>
              <Table.Td ta="right"><Text size="sm" c="dimmed">{pct(a.seed.fullyEngaged)}</Text></Table.Td>
              <Table.Td ta="right"><Text size="sm" c="dimmed">{pct(a.seed.activelyDisengaged)}</Text></Table.Td>
              <Table.Td ta="right"><Text size="sm" c="dimmed">{a.seed.gap.join('–')} %</Text></Table.Td>
              <Table.Td />
            </Table.Tr>
            {METRICS.map((m) => {
              const x = a.metrics[m];
              return (
                <Table.Tr key={m} data-testid={`seed-${m}`}>
                  <Table.Td>{t(`metric.${m}`)}</Table.Td>
                  <Table.Td ta="right">{pct(x.seed.fullyVsAverage)} <Text span size="xs" c="dimmed">(n = {x.levels.fully_engaged.n})</Text></Table.Td>
                  <Table.Td ta="right">{pct(x.seed.disengagedVsAverage)} <Text span size="xs" c="dimmed">(n = {x.levels.actively_disengaged.n})</Text></Table.Td>
                  <Table.Td ta="right">{x.gapPercent === null ? '—' : t('page.gapValue', { value: x.gapPercent })}</Table.Td>
                  <Table.Td>{x.seed.verdict ? <Badge variant="light" color={VERDICT_COLOR[x.seed.verdict]}>{t(`page.vsSeed.${x.seed.verdict}`)}</Badge> : <Text size="sm" c="dimmed" fs="italic">{t('page.vsSeed.none')}</Text>}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Stack gap={2} p="md" pt={4}>
        {a.tooThin && <Text size="xs" c="orange.8">{t('page.vsSeed.noVerdict', { total: a.thinTotal, cell: a.thinCell })}</Text>}
        <Text size="xs" c="dimmed">{t('page.vsSeed.profit')}</Text>
      </Stack>
    </Card>
  );
}

export default function EngagementPage() {
  const { t } = useTranslation(NS);
  const [segmentId, setSegmentId] = useState<string | null>(null);
  const segments = useSegments().data ?? [];
  const { data: a } = useEngagement(segmentId);
  const settings = useEngagementSettings().data;
  return (
    <Stack p="md" gap="md" data-testid="engagement-page">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('page.title')}</Title>
          <Text c="dimmed" size="sm">{t('page.subtitle')}</Text>
          {settings && <Text c="dimmed" size="xs">{t('page.settings', settings)}</Text>}
        </div>
        <Group>
          <Button variant="default" component={Link} to="/surveys/settings" leftSection={<IconSettings size={16} />} data-testid="engagement-settings">{t('settings.open')}</Button>
          <Select placeholder={t('detail.segment')} data={segments.map((s) => ({ value: s.id, label: s.name }))} value={segmentId} onChange={setSegmentId} clearable w={220} />
        </Group>
      </Group>
      {a && a.placed === 0 && <Alert color="gray">{t('page.empty')}</Alert>}
      {a && a.placed > 0 && (
        <>
          {a.tooThin && (
            <Alert color="orange" icon={<IconAlertCircle />} data-testid="engagement-thin">
              {t('page.thin', { placed: a.placed, total: a.thinTotal, cell: a.thinCell })}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Card withBorder><Text size="sm" c="dimmed">{t('page.placed', { count: a.placed })}</Text><Title order={2} data-testid="engagement-placed">{a.placed}</Title></Card>
            <Card withBorder><Text size="sm" c="dimmed">{t('page.nps')}</Text><Title order={2}>{a.nps.nps === null ? '—' : Math.round(a.nps.nps)}</Title><Text size="xs" c="dimmed">{a.nps.promoters} / {a.nps.passives} / {a.nps.detractors} (n = {a.nps.n})</Text></Card>
            <Card withBorder>
              <Text size="sm" c="dimmed">{t('page.gap')} · {t('metric.shareOfWallet')}</Text>
              <Title order={2} data-testid="engagement-gap">{a.metrics.shareOfWallet.gapPercent === null ? '—' : t('page.gapValue', { value: a.metrics.shareOfWallet.gapPercent })}</Title>
              <Text size="xs" c="dimmed">{t('page.seed')}</Text>
            </Card>
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Card withBorder>
              <Text fw={600} mb="xs">{t('page.distribution')}</Text>
              <Chart testId="engagement-distribution" height={260} option={{
                grid: { left: 40, right: 16, top: 16, bottom: 40 },
                tooltip: { trigger: 'axis' },
                xAxis: { type: 'category', data: PLACEMENTS.map((p) => t(`placement.${p}`)), axisLabel: { interval: 0 } },
                yAxis: { type: 'value', minInterval: 1 },
                series: [{ type: 'bar', name: t('page.accounts'), data: PLACEMENTS.map((p) => ({ value: a.distribution[p], itemStyle: { color: LEVEL_HEX[p] } })), label: { show: true, position: 'top' } }],
              }} />
            </Card>
            <Card withBorder>
              <Text fw={600} mb="xs">{t('page.index')}</Text>
              <Chart testId="engagement-index" height={260} option={{
                grid: { left: 40, right: 16, top: 36, bottom: 40 },
                tooltip: { trigger: 'axis' },
                legend: { top: 0, textStyle: { fontSize: 11 } },
                xAxis: { type: 'category', data: METRICS.map((m) => t(`metric.${m}`)), axisLabel: { interval: 0 } },
                yAxis: { type: 'value' },
                series: PLACEMENTS.map((p, i) => ({
                  type: 'bar', name: t(`placement.${p}`), itemStyle: { color: LEVEL_HEX[p] },
                  data: METRICS.map((m) => a.metrics[m].levels[p].index),
                  ...(i === 0 ? { markLine: { silent: true, symbol: 'none', label: { show: false }, data: [{ yAxis: 100 }], lineStyle: { type: 'dashed', color: '#495057' } } } : {}),
                })),
              }} />
            </Card>
          </SimpleGrid>
          <SeedCard a={a} />
          <NpsCard />
          <Card withBorder padding={0}>
            <Table.ScrollContainer minWidth={760}>
              <Table data-testid="engagement-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th />
                    <Table.Th ta="right">{t('page.accounts')}</Table.Th>
                    {METRICS.map((m) => <Table.Th key={m} ta="right">{t(`metric.${m}`)}</Table.Th>)}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {PLACEMENTS.map((p) => (
                    <Table.Tr key={p}>
                      <Table.Td><EngagementBadge level={p} size="sm" /></Table.Td>
                      <Table.Td ta="right">{a.distribution[p]}</Table.Td>
                      {METRICS.map((m) => {
                        const c = a.metrics[m].levels[p];
                        const cell = <Text size="sm" c={c.thin ? 'dimmed' : undefined} fs={c.thin ? 'italic' : undefined}>{c.index === null ? '—' : Math.round(c.index)} <Text span size="xs" c="dimmed">(n = {c.n})</Text></Text>;
                        return <Table.Td key={m} ta="right" data-testid={`index-${m}-${p}`}>{c.thin ? <Tooltip label={t('page.thinCell', { n: a.thinCell })}>{cell}</Tooltip> : cell}</Table.Td>;
                      })}
                    </Table.Tr>
                  ))}
                  <Table.Tr>
                    <Table.Td><Text size="sm" fw={600}>{t('page.orgAverage')}</Text></Table.Td>
                    <Table.Td ta="right">{a.placed}</Table.Td>
                    {METRICS.map((m) => <Table.Td key={m} ta="right"><Text size="sm">100 <Text span size="xs" c="dimmed">(n = {a.metrics[m].org.n})</Text></Text></Table.Td>)}
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Td><Text size="sm" fw={600}>{t('page.gap')}</Text></Table.Td>
                    <Table.Td />
                    {METRICS.map((m) => <Table.Td key={m} ta="right"><Badge variant="light" color={(a.metrics[m].gapPercent ?? 0) >= 0 ? 'teal' : 'red'}>{a.metrics[m].gapPercent === null ? '—' : t('page.gapValue', { value: a.metrics[m].gapPercent })}</Badge></Table.Td>)}
                  </Table.Tr>
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        </>
      )}
      <HandlingOverview />
    </Stack>
  );
}
