/**
 * /portfolio — 003's matrix: accounts on attractiveness × relationship with the four quadrants
 * (key, development, maintenance, opportunity), each with its investment posture. Click → account.
 */
import { useMemo, useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Select, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth.tsx';
import { QueryError } from '../../ui/ErrorBoundary.tsx';
import { Chart } from './Chart.tsx';
import { TYPE_COLOR, usePortfolio, useRecompute, useTopFit } from './data.ts';
import { useSegments } from '../segments/data.ts';
import { FitBadge } from './FitBadge.tsx';
import { NS } from './i18n.ts';
import { SettingsButton } from './SettingsDrawer.tsx';

const TYPES = ['key', 'development', 'maintenance', 'opportunity'] as const;
const POSTURE = { key: 'strategic_partnership', development: 'invest_while_profitable', maintenance: 'build_loyalty' } as const;

export function RecomputeButton() {
  const { t } = useTranslation(NS);
  const session = useSession();
  const run = useRecompute();
  if (session.user.role !== 'admin' && session.user.role !== 'manager') return null;
  return (
    <Button
      size="xs"
      variant="light"
      leftSection={<IconRefresh size={14} />}
      loading={run.isPending}
      onClick={() =>
        run.mutate(undefined, {
          onSuccess: (r) => notifications.show({ color: 'green', message: t('common.recomputed', { accounts: r.accounts, deals: r.openDeals, ms: r.timingsMs.total }) }),
          onError: (e) => notifications.show({ color: 'red', message: e.message }),
        })
      }
    >
      {t('common.recompute')}
    </Button>
  );
}

export default function PortfolioPage() {
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  const [segmentId, setSegmentId] = useState<string | null>(null);
  const segments = useSegments();
  const q = usePortfolio(segmentId);
  const data = q.data;

  const option = useMemo(() => {
    if (!data) return {};
    const { attractiveness: ty, relationship: tx } = data.thresholds;
    const area = (x0: number, x1: number, y0: number, y1: number, type: (typeof TYPES)[number]) => [
      { xAxis: x0, yAxis: y0, itemStyle: { color: TYPE_COLOR[type], opacity: 0.06 }, label: { show: true, position: 'insideTop', color: TYPE_COLOR[type], fontWeight: 'bold', formatter: t(`type.${type}`) } },
      { xAxis: x1, yAxis: y1 },
    ];
    return {
      animation: false,
      grid: { left: 56, right: 24, top: 36, bottom: 40 },
      tooltip: {
        trigger: 'item',
        formatter: (p: { data: { name: string; value: [number, number]; type: string; fit: number | null } }) =>
          `<b>${p.data.name}</b><br/>${t(`type.${p.data.type}`)}<br/>${t('portfolio.y')}: ${p.data.value[1]}<br/>${t('portfolio.x')}: ${p.data.value[0]}${p.data.fit !== null ? `<br/>Fit ${Math.round(p.data.fit)}` : ''}`,
      },
      legend: { top: 0, right: 0, data: TYPES.map((k) => t(`type.${k}`)) },
      xAxis: { name: t('portfolio.x'), nameLocation: 'middle', nameGap: 28, min: 0, max: 100, splitLine: { show: false } },
      yAxis: { name: t('portfolio.y'), nameLocation: 'middle', nameGap: 36, min: 0, max: 100, splitLine: { show: false } },
      series: [
        ...TYPES.map((type, i) => ({
          name: t(`type.${type}`),
          type: 'scatter',
          symbolSize: data.points.length > 1500 ? 4 : 8,
          itemStyle: { color: TYPE_COLOR[type], opacity: 0.75 },
          data: data.points.filter((p) => p.type === type).map((p) => ({ id: p.id, name: p.name, value: [p.relationship, p.attractiveness], type: p.type, fit: p.fitScore })),
          ...(i === 0
            ? {
                markArea: {
                  silent: true,
                  data: [area(tx, 100, ty, 100, 'key'), area(0, tx, ty, 100, 'development'), area(tx, 100, 0, ty, 'maintenance'), area(0, tx, 0, ty, 'opportunity')],
                },
                markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#adb5bd' }, label: { show: false }, data: [{ xAxis: tx }, { yAxis: ty }] },
              }
            : {}),
        })),
      ],
    };
  }, [data, t]);

  return (
    <Stack gap="md" p="md">
      <Group justify="space-between">
        <Title order={2}>{t('portfolio.title')}</Title>
        <Group gap="xs">
          <Select
            size="xs"
            w={220}
            placeholder={t('portfolio.allAccounts')}
            aria-label={t('portfolio.segment')}
            clearable
            data={(segments.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
            value={segmentId}
            onChange={setSegmentId}
          />
          <SettingsButton recompute={<RecomputeButton />} />
          <RecomputeButton />
        </Group>
      </Group>
      <Text size="sm" c="dimmed">{t('portfolio.intro')}</Text>
      {q.isLoading ? <Skeleton h={480} /> : q.isError || !data ? <QueryError error={q.error} onRetry={() => void q.refetch()} /> : data.total === 0 ? (
        <Alert color="gray">{t('portfolio.empty')} {t('common.notComputed')}</Alert>
      ) : (
        <>
          {data.cannotSeparate.length ? (
            <Alert color="yellow" data-testid="portfolio-cannot-separate" title={t('portfolio.cannotSeparateTitle')}>
              {data.cannotSeparate
                .map((axis) => t('portfolio.cannotSeparate', { axis: t(axis === 'attractiveness' ? 'portfolio.y' : 'portfolio.x'), value: Math.round(data.spread[axis].min ?? 0) }))
                .join(' ')}
            </Alert>
          ) : null}
          <Card withBorder p="xs" data-testid="portfolio-matrix">
            <Chart
              option={option}
              style={{ height: 520 }}
              onEvents={{ click: (e) => { const id = (e as { data?: { id?: string } }).data?.id; if (id) navigate(`/accounts/${id}`); } }}
            />
            {data.sampled ? <Text size="xs" c="dimmed" ta="center">{t('portfolio.sampled', { shown: data.points.length, total: data.total })}</Text> : null}
          </Card>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            {TYPES.map((type) => (
              <Card key={type} withBorder padding="sm" style={{ borderTop: `3px solid ${TYPE_COLOR[type]}` }}>
                <Group justify="space-between">
                  <Text fw={700}>{t(`type.${type}`)}</Text>
                  <Badge variant="light" color="gray">{t('portfolio.count', { count: data.counts[type] ?? 0 })}</Badge>
                </Group>
                {type === 'opportunity' ? (
                  <Stack gap={2} mt={6}>
                    <Text size="xs">{t('posture.keep_in_touch')}</Text>
                    <Text size="xs">{t('posture.minimal_effort')}</Text>
                  </Stack>
                ) : <Text size="xs" mt={6}>{t(`posture.${POSTURE[type]}`)}</Text>}
              </Card>
            ))}
          </SimpleGrid>
          <TopFit segmentId={segmentId} />
        </>
      )}
    </Stack>
  );
}

/** The best-fitting accounts with their fit badge ("why" on hover), type and posture. */
function TopFit({ segmentId }: { segmentId: string | null }) {
  const { t } = useTranslation(NS);
  const q = useTopFit(segmentId);
  if (!q.data?.length) return null;
  return (
    <Card withBorder padding={0} data-testid="top-fit">
      <Text fw={600} p="sm">{t('portfolio.topFit')}</Text>
      <Table verticalSpacing={4} highlightOnHover>
        <Table.Tbody>
          {q.data.map((a) => {
            const type = (a.portfolioType ?? 'opportunity') as (typeof TYPES)[number];
            const posture = type === 'opportunity' ? (a.priceDriven ? 'minimal_effort' : 'keep_in_touch') : POSTURE[type];
            return (
              <Table.Tr key={a.id}>
                <Table.Td><Anchor component={Link} to={`/accounts/${a.id}`} size="sm" fw={600}>{a.name}</Anchor></Table.Td>
                <Table.Td><FitBadge score={a.fitScore} reasons={a.fitReasons} accountId={a.id} detailed /></Table.Td>
                <Table.Td>{a.portfolioType ? <Badge size="sm" variant="dot" color={TYPE_COLOR[type]}>{t(`type.${type}`)}</Badge> : null}</Table.Td>
                <Table.Td><Text size="xs">{t(`posture.${posture}`)}</Text></Table.Td>
                <Table.Td><Text size="xs" c="dimmed">{a.tier ? t('badge.tier', { tier: a.tier }) : ''}</Text></Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
