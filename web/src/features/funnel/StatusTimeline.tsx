/** Supplier status and relationship depth over time: a step chart of the level and the list of moves. */
import { Badge, Card, Group, Stack, Text, Timeline } from '@mantine/core';
import { IconArrowDownRight, IconArrowUpRight, IconPoint } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useUserName, useVocabLabel, useVocabularies } from '../../app/data.ts';
import { formatDate, normalizeIso } from '../../app/format.ts';
import { Chart, PALETTE } from './Chart.tsx';
import { useStatusHistory } from './data.ts';
import { NS } from './i18n.ts';

export function StatusTimeline({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation(NS);
  const label = useVocabLabel();
  const userName = useUserName();
  const vocab = useVocabularies().data;
  const h = useStatusHistory(accountId).data;
  const levels = (field: string) =>
    [...(vocab?.[field] ?? [])].filter((x) => typeof x.meta?.level === 'number').sort((a, b) => Number(a.meta!.level) - Number(b.meta!.level));
  const series = (field: 'supplier_status' | 'relationship_depth') => {
    const ls = levels(field);
    const pts = (h?.history ?? []).filter((x) => x.field === field).map((x) => [Date.parse(normalizeIso(x.changedAt)), ls.findIndex((l) => l.key === x.toValue)] as [number, number]);
    if (pts.length) pts.push([Date.now(), pts[pts.length - 1]![1]]);
    return { ls, pts };
  };
  const sup = series('supplier_status');
  const dep = series('relationship_depth');
  const chart = (s: ReturnType<typeof series>, field: string, color: string) => (
    <Chart
      height={150}
      option={{
        tooltip: { trigger: 'axis', valueFormatter: (v) => label(field, s.ls[Number(v)]?.key) },
        grid: { left: 8, right: 16, top: 10, bottom: 20, containLabel: true },
        xAxis: { type: 'time' },
        yAxis: { type: 'value', min: 0, max: Math.max(0, s.ls.length - 1), interval: 1, axisLabel: { formatter: (v: number) => label(field, s.ls[v]?.key) } },
        series: [{ type: 'line', step: 'end', data: s.pts, itemStyle: { color }, areaStyle: { opacity: 0.08 } }],
      }}
    />
  );
  const moves = [...(h?.history ?? [])].reverse();
  return (
    <Card withBorder padding="md" data-testid="status-timeline">
      <Text fw={600} mb="xs">{t('status.title')}</Text>
      {h && !h.history.length && <Text size="sm" c="dimmed">{t('status.none')}</Text>}
      {h && h.history.length > 0 && (
        <Stack gap="xs">
          {sup.pts.length > 0 && <><Text size="sm" fw={500}>{t('status.supplier')}: {label('supplier_status', h.supplierStatus)}</Text>{chart(sup, 'supplier_status', PALETTE.primary)}</>}
          {dep.pts.length > 0 && <><Text size="sm" fw={500}>{t('status.depth')}: {label('relationship_depth', h.relationshipDepth)}</Text>{chart(dep, 'relationship_depth', PALETTE.good)}</>}
          <Timeline bulletSize={20} lineWidth={2} mt="xs">
            {moves.slice(0, 12).map((m) => (
              <Timeline.Item key={m.id}
                color={m.direction === 'down' ? 'red' : m.direction === 'up' ? 'teal' : 'gray'}
                bullet={m.direction === 'down' ? <IconArrowDownRight size={12} /> : m.direction === 'up' ? <IconArrowUpRight size={12} /> : <IconPoint size={12} />}
                title={<Group gap={6}><Text size="sm">{m.field === 'supplier_status' ? t('status.supplier') : t('status.depth')}</Text>
                  {m.direction === 'down' && <Badge size="xs" color="red">{t('status.fell')}</Badge>}</Group>}>
                <Text size="sm">{m.fromValue ? `${label(m.field, m.fromValue)} → ` : ''}{label(m.field, m.toValue)}</Text>
                <Text size="xs" c="dimmed">{formatDate(m.changedAt, i18n.language)}{m.changedBy ? ` · ${t('status.by', { name: m.changedByName ?? userName(m.changedBy) })}` : ''}</Text>
              </Timeline.Item>
            ))}
          </Timeline>
        </Stack>
      )}
    </Card>
  );
}
