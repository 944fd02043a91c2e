import { useEffect, useState } from 'react';
import { Card, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useNavigate } from 'react-router-dom';
import { useMediaQuery } from '@mantine/hooks';
import { PHONE_QUERY } from '../../ui/DataTable.tsx';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth.tsx';
import { useVocabLabel, useVocabOptions } from '../../app/data.ts';
import { formatMoney, formatPercent } from '../../app/format.ts';
import { periodContaining } from '../../../../src/features/goals/rules.ts';
import { useSegments } from '../segments/data.ts';
import { AlertsCard } from './AlertsCard.tsx';
import { Chart, PALETTE } from './Chart.tsx';
import { useAcquisition, useAisas, useOrgWallet } from './data.ts';
import { NS } from './i18n.ts';
import { OrgWalletByLine } from './WalletByLine.tsx';

const BUCKET_COLORS = ['#fa5252', '#fd7e14', '#fab005', '#82c91e', '#12b886', '#0ca678'];

export default function FunnelPage() {
  const { t, i18n } = useTranslation(NS);
  const lang = i18n.language;
  // On a phone the stage labels beside the funnel get two lines (name, then figures) and more room, instead of running off the chart.
  const phone = useMediaQuery(PHONE_QUERY, undefined, { getInitialValueInEffect: false });
  const navigate = useNavigate();
  const { org } = useSession();
  const label = useVocabLabel();
  const month = periodContaining('month', new Date().toISOString().slice(0, 10));
  const [from, setFrom] = useState(month.start);
  const [to, setTo] = useState(month.end);
  // Set when the screen moved its window itself (the current month was empty): says so, once.
  const [moved, setMoved] = useState(false);
  const [touched, setTouched] = useState(false);
  const [segmentId, setSegmentId] = useState<string | null>(null);
  const segments = useSegments().data ?? [];
  // The acquisition funnel of one product line: the deals that carry its products.
  const [productLine, setProductLine] = useState<string | null>(null);
  const lines = useVocabOptions('product_line');
  const acq = useAcquisition({ from, to, segmentId: segmentId ?? undefined, productLine: productLine ?? undefined }).data;
  const wallet = useOrgWallet({ segmentId: segmentId ?? undefined }).data;
  const aisas = useAisas({ from, to, segmentId: segmentId ?? undefined }).data;
  // Which sources bring winners is a long-run question: all accounts, not only those created in the window.
  const sources = useAisas({ segmentId: segmentId ?? undefined }).data?.sources;
  const money = (v: unknown, c = org.baseCurrency) => formatMoney(v, c, lang, true);
  const stages = acq ? [...acq.stages].sort((a, b) => a.rank - b.rank) : [];
  const empty = !!acq && acq.won.deals === 0 && acq.lost.deals === 0 && stages.every((x) => x.accounts === 0);
  // An empty current month (a quiet month, or history imported from years ago) opens on the last
  // three months that had activity instead of drawing nothing.
  useEffect(() => {
    if (!acq || touched || moved || !empty || !acq.lastActivity || acq.lastActivity >= from) return;
    const last = new Date(`${acq.lastActivity}T00:00:00Z`);
    setFrom(new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - 2, 1)).toISOString().slice(0, 10));
    setTo(periodContaining('month', acq.lastActivity).end);
    setMoved(true);
  }, [acq, touched, moved, empty, from]);

  return (
    <Stack p="md" gap="md" data-testid="funnel-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('title')}</Title>
          <Text c="dimmed" size="sm">{t('subtitle')}</Text>
        </div>
        <Group>
          <TextInput type="date" label={t('from')} value={from} onChange={(e) => { const v = e.currentTarget.value; if (v) { setFrom(v); setTouched(true); } }} data-testid="funnel-from" />
          <TextInput type="date" label={t('to')} value={to} onChange={(e) => { const v = e.currentTarget.value; if (v) { setTo(v); setTouched(true); } }} data-testid="funnel-to" />
          <Select label={t('segment')} placeholder={t('anySegment')} clearable data={segments.map((s) => ({ value: s.id, label: s.name }))} value={segmentId} onChange={setSegmentId} w={200} />
          <Select label={t('byLine.filter')} placeholder={t('byLine.anyLine')} clearable data={lines} value={productLine} onChange={setProductLine} w={200} data-testid="funnel-product-line" />
        </Group>
      </Group>
      {moved && !touched && <Text size="sm" c="dimmed" data-testid="funnel-moved">{t('movedToActivity', { month: month.start.slice(0, 7) })}</Text>}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder data-testid="acquisition-funnel">
          <Text fw={600}>{t('acquisition.title')}</Text>
          {acq && (
            <>
              <Group gap="lg" my="xs">
                <Text size="sm">{t('acquisition.won')}: <b>{acq.won.accounts}</b> · {money(acq.won.value, acq.baseCurrency)}</Text>
                <Text size="sm">{t('acquisition.lost')}: <b>{acq.lost.deals}</b> · {money(acq.lost.value, acq.baseCurrency)}</Text>
                <Text size="sm">{t('acquisition.openValue')}: {money(stages.reduce((s, x) => s + Number(x.openValue), 0), acq.baseCurrency)}</Text>
              </Group>
              {empty ? <Text size="sm" c="dimmed" my="xl" ta="center" data-testid="acquisition-empty">{t('acquisition.empty')}</Text> : <Chart
                height={300}
                testId="acquisition-chart"
                option={{
                  tooltip: { trigger: 'item', formatter: (p: unknown) => {
                    const x = p as { dataIndex: number; name: string; value: number };
                    const s = stages[x.dataIndex];
                    return s ? `${x.name}<br/>${t('acquisition.accounts')}: ${s.accounts}<br/>${t('acquisition.toNext')}: ${s.toNext === null ? '—' : formatPercent(s.toNext, lang)}` : `${x.name}: ${x.value}`;
                  } },
                  series: [{
                    // min/max from the data: with all values 0, echarts would draw every stage at full width.
                    type: 'funnel', sort: 'none', left: '4%', width: phone ? '40%' : '52%', minSize: '8%', gap: 2, min: 0, max: Math.max(1, ...stages.map((x) => x.accounts), acq.won.accounts),
                    label: { show: true, position: 'right', formatter: (p: unknown) => {
                      const x = p as { dataIndex: number; name: string; value: number };
                      const s = stages[x.dataIndex];
                      const sep = phone ? '\n' : '  ';
                      return s && s.toNext !== null ? `${x.name}${sep}${x.value}  → ${formatPercent(s.toNext, lang)}` : `${x.name}${sep}${x.value}`;
                    } },
                    data: [
                      ...stages.map((s, i) => ({ name: label('buying_stage', s.stage), value: s.accounts, itemStyle: { color: ['#1c7ed6', '#228be6', '#339af0', '#4dabf7', '#74c0fc', '#a5d8ff'][i % 6] } })),
                      { name: t('acquisition.won'), value: acq.won.accounts, itemStyle: { color: PALETTE.good } },
                    ],
                  }],
                }}
              />}
              <SimpleGrid cols={{ base: 1, md: 3 }} mt="sm">
                <div>
                  <Text size="sm" fw={500}>{t('acquisition.medianDays')}</Text>
                  <Chart height={180} option={{
                    tooltip: { trigger: 'axis' },
                    grid: { left: 4, right: 16, top: 8, bottom: 4, containLabel: true },
                    // Each bar carries its number of days: an axis of day ticks in a 180-pixel chart only collided.
                    xAxis: { type: 'value', axisLabel: { show: false }, splitLine: { show: false } }, yAxis: { type: 'category', inverse: true, data: stages.map((s) => label('buying_stage', s.stage)), axisLabel: { width: 96, overflow: 'truncate', fontSize: 10 } },
                    series: [{ type: 'bar', data: stages.map((s) => s.medianDays), itemStyle: { color: PALETTE.primary }, label: { show: true, position: 'right', formatter: (p: unknown) => { const v = (p as { value: number | null }).value; return v == null ? '' : t('acquisition.days', { n: v }); } } }],
                  }} />
                </div>
                <div>
                  <Text size="sm" fw={500}>{t('acquisition.lostWhere')}</Text>
                  <Chart height={180} option={{
                    tooltip: { trigger: 'axis' },
                    grid: { left: 4, right: 16, top: 8, bottom: 4, containLabel: true },
                    xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', inverse: true, data: stages.map((s) => label('buying_stage', s.stage)), axisLabel: { width: 96, overflow: 'truncate', fontSize: 10 } },
                    series: [{ type: 'bar', data: stages.map((s) => s.lost), itemStyle: { color: PALETTE.bad } }],
                  }} />
                </div>
                <div>
                  <Text size="sm" fw={500}>{t('acquisition.lostWhy')}</Text>
                  <Chart height={180} option={{
                    tooltip: { trigger: 'item' },
                    series: [{ type: 'pie', radius: ['35%', '70%'], label: { fontSize: 10 }, data: acq.lost.byReason.map((r) => ({ name: label('lost_reason', r.reason), value: r.deals })) }],
                  }} />
                </div>
              </SimpleGrid>
              {acq.foreignDeals > 0 && <Text size="xs" c="dimmed">{t('acquisition.foreign', { count: acq.foreignDeals, base: acq.baseCurrency })}</Text>}
            </>
          )}
        </Card>
        <Card withBorder data-testid="wallet-funnel">
          <Text fw={600}>{t('wallet.title')}</Text>
          {wallet && (wallet.totals.accounts === 0 ? <Text size="sm" c="dimmed" mt="sm">{t('wallet.none')}</Text> : (
            <>
              <Text size="sm" my="xs">{t('wallet.totals', { share: formatPercent(wallet.totals.share, lang), demand: money(wallet.totals.demand, wallet.baseCurrency), gap: money(wallet.totals.gap, wallet.baseCurrency) })}</Text>
              <Text size="sm" fw={500}>{t('wallet.distribution')}</Text>
              <Chart height={170} testId="wallet-distribution" option={{
                tooltip: { trigger: 'axis' },
                grid: { left: 4, right: 8, top: 16, bottom: 4, containLabel: true },
                xAxis: { type: 'category', data: wallet.distribution.map((d) => `${d.bucket}%`) },
                yAxis: { type: 'value', minInterval: 1 },
                series: [{ type: 'bar', name: t('acquisition.accounts'), data: wallet.distribution.map((d, i) => ({ value: d.accounts, itemStyle: { color: BUCKET_COLORS[i] } })), label: { show: true, position: 'top' } }],
              }} />
              <Text size="sm" fw={500} mt="sm">{t('wallet.gaps')}</Text>
              <Chart height={Math.max(200, wallet.biggestGaps.length * 26 + 50)} testId="wallet-gaps"
                onClick={(p) => { const a = wallet.biggestGaps[p.dataIndex]; if (a) navigate(`/accounts/${a.accountId}`); }}
                option={{
                  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => money(v, wallet.baseCurrency) },
                  legend: { bottom: 0 },
                  grid: { left: 4, right: 16, top: 8, bottom: 28, containLabel: true },
                  xAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v, wallet.baseCurrency) } },
                  yAxis: { type: 'category', inverse: true, data: wallet.biggestGaps.map((a) => `${a.name} (${formatPercent(a.share, lang)})`), axisLabel: { width: 170, overflow: 'truncate' } },
                  series: [
                    { name: t('wallet.bought'), type: 'bar', stack: 'w', data: wallet.biggestGaps.map((a) => Number(a.bought)), itemStyle: { color: PALETTE.good } },
                    { name: t('wallet.gap'), type: 'bar', stack: 'w', data: wallet.biggestGaps.map((a) => Number(a.gap)), itemStyle: { color: PALETTE.muted } },
                  ],
                }} />
              {wallet.skippedCount > 0 && <Text size="xs" c="dimmed">{t('wallet.skipped', { count: wallet.skippedCount })}</Text>}
            </>
          ))}
        </Card>
      </SimpleGrid>
      <OrgWalletByLine segmentId={segmentId ?? undefined} />
      <SimpleGrid cols={{ base: 1, lg: 3 }}>
        <AlertsCard />
        <Card withBorder data-testid="aisas">
          <Text fw={600}>{t('aisas.title')}</Text>
          {aisas && <Chart height={240} option={{
            tooltip: { trigger: 'axis' },
            legend: { bottom: 0 },
            grid: { left: 4, right: 8, top: 16, bottom: 28, containLabel: true },
            xAxis: { type: 'category', data: aisas.steps.map((s) => s.step) },
            yAxis: { type: 'value', minInterval: 1 },
            series: [
              { name: t('aisas.accounts'), type: 'bar', data: aisas.steps.map((s) => s.accounts), itemStyle: { color: PALETTE.primary } },
              { name: t('aisas.interactions'), type: 'line', data: aisas.steps.map((s) => s.interactions), itemStyle: { color: PALETTE.dark } },
            ],
          }} />}
        </Card>
        <Card withBorder data-testid="sources">
          <Text fw={600}>{t('aisas.sources')}</Text>
          {sources && <Chart height={Math.max(240, sources.length * 30 + 60)} option={{
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            legend: { bottom: 0 },
            grid: { left: 4, right: 16, top: 8, bottom: 28, containLabel: true },
            xAxis: { type: 'value', minInterval: 1 },
            yAxis: { type: 'category', inverse: true, data: sources.map((s) => `${label('lead_source', s.source)} (${s.winRate === null ? '—' : formatPercent(s.winRate, lang)})`), axisLabel: { width: 140, overflow: 'truncate' } },
            series: [
              { name: t('aisas.accounts'), type: 'bar', data: sources.map((s) => s.accounts), itemStyle: { color: PALETTE.muted } },
              { name: t('aisas.wonAccounts'), type: 'bar', data: sources.map((s) => s.wonAccounts), itemStyle: { color: PALETTE.good } },
            ],
          }} />}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
