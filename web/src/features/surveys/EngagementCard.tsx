/** The account page's engagement card: level, NPS, trend and the latest answers (features/surveys). */
import { Card, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconTrendingDown, IconTrendingUp, IconMinus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatRelative } from '../../app/format.ts';
import { Chart } from '../funnel/Chart.tsx';
import { HandlingBeside } from '../feedback/Handling.tsx';
import { useAccountEngagement } from './data.ts';
import { EngagementBadge } from './EngagementBadge.tsx';
import { NS } from './i18n.ts';

const TREND_ICON = { up: IconTrendingUp, down: IconTrendingDown, flat: IconMinus, unknown: IconMinus } as const;

export function EngagementCard({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation(NS);
  const { data: e } = useAccountEngagement(accountId);
  if (!e) return null;
  const Trend = TREND_ICON[e.trend];
  return (
    <Card withBorder padding="md" data-testid="engagement-card">
      <Text fw={600} mb="sm">{t('card.title')}</Text>
      {!e.level && !e.answers.length ? (
        <>
          <Text size="sm" c="dimmed">{t('card.none')}</Text>
          <HandlingBeside accountId={accountId} />
        </>
      ) : (
        <Stack gap="xs">
          <Group justify="space-between">
            <EngagementBadge level={e.level} size="lg" testId="engagement-level" />
            <Tooltip label={e.previousLevel ? t('card.was', { level: t(`placement.${e.previousLevel}`) }) : t('card.trend.unknown')}>
              <Group gap={4} c={e.trend === 'down' ? 'red' : e.trend === 'up' ? 'teal' : 'dimmed'} data-testid="engagement-trend">
                <Trend size={18} /><Text size="sm">{t(`card.trend.${e.trend}`)}</Text>
              </Group>
            </Tooltip>
          </Group>
          <Group justify="space-between">
            <Text size="sm">{t('card.nps')}</Text>
            <Text size="sm" fw={600} data-testid="engagement-nps">{e.nps === null ? '—' : Math.round(e.nps)}</Text>
          </Group>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">{t('card.respondents', { count: e.respondents })}</Text>
            {e.score !== null && <Text size="sm" c="dimmed">{t('card.score')} {e.score.toFixed(2)} / 3</Text>}
          </Group>
          {e.tooFew && <Text size="xs" c="orange" data-testid="engagement-too-few">{t('card.tooFew', { n: e.respondents, min: e.minRespondents })}</Text>}
          {/* Integrity's "problems resolved" from the complaints, beside the survey's level — not in its score. */}
          <HandlingBeside accountId={accountId} />
          {e.snapshots.length > 1 && (
            <Chart height={90} option={{
              grid: { left: 24, right: 8, top: 8, bottom: 18 },
              xAxis: { type: 'category', data: e.snapshots.map((s) => s.period.slice(0, 7)), axisLabel: { fontSize: 10 } },
              yAxis: { type: 'value', min: 0, max: 3, interval: 1, axisLabel: { fontSize: 10 } },
              tooltip: { trigger: 'axis' },
              series: [{ type: 'line', data: e.snapshots.map((s) => s.score), smooth: true, name: t('card.score') }],
            }} />
          )}
          {e.answers.length > 0 && <Text size="xs" fw={600} mt="xs">{t('card.latest')}</Text>}
          {e.answers.slice(0, 4).map((a) => (
            <Group key={a.id} justify="space-between" wrap="nowrap" gap="xs">
              <Text size="xs" truncate>{a.contactName}</Text>
              <Group gap={6} wrap="nowrap">
                {a.recommend !== null && <Text size="xs" c="dimmed">{a.recommend}/10</Text>}
                <EngagementBadge level={a.placement} size="xs" />
                {a.completedAt && <Text size="xs" c="dimmed">{formatRelative(a.completedAt, i18n.language)}</Text>}
              </Group>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}
