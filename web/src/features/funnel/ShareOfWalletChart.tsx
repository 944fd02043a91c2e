/** One account's share of wallet per quarter/year: what they bought from us against their demand, and the gap. */
import { useState } from 'react';
import { Badge, Card, Group, SegmentedControl, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMoney, formatPercent } from '../../app/format.ts';
import { Chart, PALETTE } from './Chart.tsx';
import { useAccountWallet } from './data.ts';
import { NS } from './i18n.ts';

const TREND_COLOR = { up: 'teal', down: 'red', flat: 'gray', unknown: 'gray' } as const;

export function ShareOfWalletChart({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation(NS);
  const [by, setBy] = useState<'quarter' | 'year'>('quarter');
  const w = useAccountWallet(accountId, by).data;
  const lang = i18n.language;
  const money = (v: unknown) => formatMoney(v, w?.baseCurrency, lang, true);
  return (
    <Card withBorder padding="md" data-testid="share-of-wallet">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('sow.title')}</Text>
        <SegmentedControl size="xs" value={by} onChange={(v) => setBy(v as typeof by)} data={[{ value: 'quarter', label: t('sow.byQuarter') }, { value: 'year', label: t('sow.byYear') }]} />
      </Group>
      {w && (
        <>
          {w.noteCode ? <Text size="sm" c="dimmed">{t(`sow.problem.${w.noteCode}`, { currency: w.demandCurrency ?? '', base: w.baseCurrency })}</Text> : (
            <Group gap="xs" mb="xs">
              {/* Above 100 % the account bought more than the demand entered: there is no gap, the demand is too low. */}
              <Text size="sm" data-testid="sow-headline">
                {w.last12Months.share !== null && w.last12Months.share > 1
                  ? t('sow.last12Above', { share: formatPercent(w.last12Months.share, lang), demand: money(w.annualDemand) })
                  : t('sow.last12', { share: formatPercent(w.last12Months.share, lang), gap: money(w.last12Months.gap) })}
              </Text>
              <Badge color={TREND_COLOR[w.trend.direction]} variant="light">{t(`sow.trend.${w.trend.direction}`)}</Badge>
              {w.demandEstimated && <Badge variant="outline" size="xs">{t('wallet.estimated')}</Badge>}
            </Group>
          )}
          {/* Nothing bought and no demand: empty axes say nothing; the line above says why. */}
          {(!w.noteCode || w.points.some((p) => Number(p.bought) > 0)) && <Chart
            height={220}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { bottom: 0 },
              grid: { left: 8, right: 8, top: 16, bottom: 32, containLabel: true },
              xAxis: { type: 'category', data: w.points.map((p) => p.period) },
              yAxis: [
                { type: 'value', axisLabel: { formatter: (v: number) => money(v) } },
                { type: 'value', max: 1, min: 0, axisLabel: { formatter: (v: number) => formatPercent(v, lang) }, splitLine: { show: false } },
              ],
              series: [
                { name: t('wallet.bought'), type: 'bar', stack: 'w', data: w.points.map((p) => Number(p.bought)), itemStyle: { color: PALETTE.good } },
                { name: t('wallet.gap'), type: 'bar', stack: 'w', data: w.points.map((p) => (p.gap === null ? null : Number(p.gap))), itemStyle: { color: PALETTE.muted } },
                { name: t('wallet.share'), type: 'line', yAxisIndex: 1, data: w.points.map((p) => (p.share === null ? null : Math.min(1, p.share))), itemStyle: { color: PALETTE.primary } },
              ],
            }}
          />}
        </>
      )}
    </Card>
  );
}
