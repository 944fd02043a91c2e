/** /win-model — for managers: the win model, its reliability chart and Brier score on held-out deals. */
import { Alert, Anchor, Badge, Card, Group, List, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useVocabLabel, useVocabOptions } from '../../app/data.ts';
import { formatDateTime } from '../../app/format.ts';
import { QueryError } from '../../ui/ErrorBoundary.tsx';
import { Chart } from './Chart.tsx';
import { useTopDeals, useWinModel, type ModelResponse } from './data.ts';
import { WinBadge } from './WinBadge.tsx';
import { NS } from './i18n.ts';
import { RecomputeButton } from './PortfolioPage.tsx';

export default function CalibrationPage() {
  const { t, i18n } = useTranslation(NS);
  const vocab = useVocabLabel();
  const q = useWinModel();
  const stageOrder = useVocabOptions('buying_stage', true).map((o) => o.value);
  const m = q.data;
  if (q.isLoading) return <Skeleton h={400} m="md" />;
  if (q.isError || !m) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const bins = (m.calibration?.bins ?? []).filter((b) => b.count > 0);
  const option = {
    animation: false,
    grid: { left: 56, right: 56, top: 40, bottom: 40 },
    tooltip: { trigger: 'item' },
    legend: { top: 0, left: 'center' },
    xAxis: { type: 'value', min: 0, max: 1, name: t('model.predicted'), nameLocation: 'middle', nameGap: 28 },
    yAxis: [
      { type: 'value', min: 0, max: 1, name: t('model.observed'), nameLocation: 'middle', nameGap: 40 },
      { type: 'value', name: t('model.deals'), splitLine: { show: false } },
    ],
    series: [
      { name: t('model.perfect'), type: 'line', data: [[0, 0], [1, 1]], symbol: 'none', lineStyle: { type: 'dashed', color: '#adb5bd' } },
      { name: t('model.deals'), type: 'bar', yAxisIndex: 1, barWidth: 18, itemStyle: { color: '#dee2e6' }, data: bins.map((b) => [(b.from + b.to) / 2, b.count]) },
      {
        name: t('model.observed'),
        type: 'line',
        data: bins.map((b) => [b.meanPredicted, b.observedRate, b.count]),
        symbolSize: 9,
        itemStyle: { color: '#1971c2' },
        tooltip: { formatter: (p: { value: number[] }) => `${t('model.predicted')}: ${Math.round(p.value[0]! * 100)} %<br/>${t('model.observed')}: ${Math.round(p.value[1]! * 100)} %<br/>n = ${p.value[2]}` },
      },
    ],
  };
  const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(3));
  return (
    <Stack gap="md" p="md">
      <Group justify="space-between">
        <Title order={2}>{t('model.title')}</Title>
        <RecomputeButton />
      </Group>
      <Text size="sm" c="dimmed">{t('model.intro')}</Text>
      {!m.kind ? <Alert color="gray">{t('model.none')}</Alert> : (
        <>
          <Group gap="xs">
            <Badge variant="light" color={m.kind === 'win_logistic' ? 'blue' : 'orange'}>{m.kind === 'win_logistic' ? t('model.logistic') : t('model.stageBase')}</Badge>
            <Text size="xs" c="dimmed">{t('model.history', { won: m.wonDeals, lost: m.lostDeals })} · {m.trainedAt ? formatDateTime(m.trainedAt, i18n.language) : ''}</Text>
          </Group>
          {m.fallback ? <Alert color="orange" title={t('model.fallback')} data-testid="model-fallback">{m.fallback}</Alert> : null}
          <Honesty m={m} />
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Card withBorder padding="sm"><Text size="xs" c="dimmed">{t('model.brier')}</Text><Text fw={700} size="xl" data-testid="brier">{fmt(m.calibration?.brier)}</Text></Card>
            <Card withBorder padding="sm"><Text size="xs" c="dimmed">{t('model.brierBaseline')}</Text><Text fw={700} size="xl">{fmt(m.calibration?.brierBaseline)}</Text></Card>
            <Card withBorder padding="sm"><Text size="xs" c="dimmed">{t('model.brierStage')}</Text><Text fw={700} size="xl">{fmt(m.stageBaseCalibration?.brier)}</Text></Card>
            <Card withBorder padding="sm"><Text size="xs" c="dimmed">{t('model.heldOut')}</Text><Text fw={700} size="xl">{m.testDeals}</Text></Card>
          </SimpleGrid>
          <Card withBorder p="xs" data-testid="calibration-chart"><Chart option={option} style={{ height: 420 }} /></Card>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {m.coefficients.length ? (
              <Card withBorder padding="sm">
                <Text fw={600} mb={4}>{t('model.coefficients')}</Text>
                <Table fz="sm" verticalSpacing={4}>
                  <Table.Thead><Table.Tr><Table.Th>{t('model.feature')}</Table.Th><Table.Th ta="right">{t('model.effect')}</Table.Th></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {[...m.coefficients].sort((a, b) => Math.abs(b.coef) - Math.abs(a.coef)).map((c) => (
                      <Table.Tr key={c.feature}>
                        <Table.Td>{t(`model.f.${c.feature}`, { defaultValue: c.feature })}</Table.Td>
                        <Table.Td ta="right" c={c.coef > 0 ? 'green' : c.coef < 0 ? 'red' : 'dimmed'}>{c.coef > 0 ? '+' : ''}{c.coef.toFixed(2)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Card>
            ) : null}
            <Card withBorder padding="sm">
              <Text fw={600} mb={4}>{t('model.stageRates')}</Text>
              <Table fz="sm" verticalSpacing={4}>
                <Table.Tbody>
                  {Object.entries(m.stageRates).sort(([a], [b]) => stageOrder.indexOf(a) - stageOrder.indexOf(b)).map(([k, v]) => (
                    <Table.Tr key={k}><Table.Td>{vocab('buying_stage', k)}</Table.Td><Table.Td ta="right">{Math.round(v * 100)} %</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
          </SimpleGrid>
          <TopDeals />
        </>
      )}
    </Stack>
  );
}

/**
 * What the held-out figures mean, said before the figures: a near-perfect model is a leak, a model no
 * better than the base rate has found nothing, and each feature dropped as a leak is named with why.
 */
function Honesty({ m }: { m: ModelResponse }) {
  const { t } = useTranslation(NS);
  const h = m.honesty;
  const dropped = m.features.filter((f) => f.dropped);
  const name = (f: string) => t(`model.fn.${f}`, { defaultValue: f });
  return (
    <>
      {h?.verdict === 'suspicious' ? (
        <Alert color="red" title={t('model.suspiciousTitle')} data-testid="model-suspicious">
          {t('model.suspicious', { brier: h && m.calibration?.brier !== null ? m.calibration?.brier?.toFixed(3) : '—', auc: h.heldOutAuc?.toFixed(3) ?? '—' })}
        </Alert>
      ) : null}
      {h?.verdict === 'no_signal' ? (
        <Alert color="yellow" title={t('model.noSignalTitle')} data-testid="model-no-signal">
          {t('model.noSignal', { skill: h.skill === null ? '—' : h.skill.toFixed(3) })}
        </Alert>
      ) : null}
      {h?.verdict === 'useful' ? (
        <Text size="sm" data-testid="model-useful">{t('model.useful', { skill: h.skill?.toFixed(3) ?? '—', auc: h.heldOutAuc?.toFixed(3) ?? '—' })}</Text>
      ) : null}
      {dropped.length ? (
        <Alert color="orange" title={t('model.droppedTitle')} data-testid="model-dropped">
          <List size="sm" spacing={2}>
            {dropped.map((f) => (
              <List.Item key={f.feature} data-testid={`dropped-${f.feature}`}>
                {f.dropped === 'placeholder'
                  ? t('model.droppedPlaceholder', { feature: name(f.feature), lost: Math.round((f.unsetLost ?? 0) * 100), won: Math.round((f.unsetWon ?? 0) * 100) })
                  : f.separatesPerfectly
                    ? t('model.droppedPerfect', { feature: name(f.feature) })
                    : t('model.droppedAuc', { feature: name(f.feature), auc: f.heldOutAuc?.toFixed(3) ?? '—' })}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
    </>
  );
}

/** Open deals most likely to close, each with its win badge ("why" on hover). */
function TopDeals() {
  const { t } = useTranslation(NS);
  const vocab = useVocabLabel();
  const q = useTopDeals();
  if (!q.data?.length) return null;
  return (
    <Card withBorder padding={0} data-testid="top-deals">
      <Text fw={600} p="sm">{t('model.topDeals')}</Text>
      <Table verticalSpacing={4} highlightOnHover>
        <Table.Tbody>
          {q.data.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td><Anchor component={Link} to={`/opportunities/${d.id}`} size="sm" fw={600}>{d.name}</Anchor></Table.Td>
              <Table.Td><Text size="xs">{vocab('buying_stage', d.buyingStage)}</Text></Table.Td>
              <Table.Td><WinBadge probability={d.winProbability} reasons={d.winReasons} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
