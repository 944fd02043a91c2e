/**
 * A product's voice of the customer, shown on the product page: praise, complaints and net sentiment per
 * month, and its word-of-mouth points (at most three, with why) — praise vs criticism over time and the
 * quotes that carry them. Managers name and retire points here.
 */
import { useMemo, useState } from 'react';
import { ActionIcon, Alert, Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, TagsInput, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api.ts';
import { useSession } from '../../app/auth.tsx';
import { useVocabLabel } from '../../app/data.ts';
import { Chart, type EChartsOption } from '../funnel/Chart.tsx';
import { MAX_POINTS } from '../../../../src/features/feedback/wom-rules.ts';
import { useProductVoice, type ProductVoice as Voice } from './data.ts';
import { NS } from './i18n.ts';
import './i18n.ts';

type Point = Voice['points'][number];
const GREEN = '#2f9e44';
const RED = '#e03131';
const GRAY = '#adb5bd';

function PointCard({ p, canManage, onRetire }: { p: Point; canManage: boolean; onRetire: () => void }) {
  const { t } = useTranslation(NS);
  const label = useVocabLabel();
  const option = useMemo(
    (): EChartsOption => ({
      grid: { left: 28, right: 8, top: 8, bottom: 22 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: p.months.map((m) => m.month.slice(2)), axisLabel: { fontSize: 10 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 10 } },
      series: [
        { name: t('wom.praise'), type: 'bar', stack: 's', data: p.months.map((m) => m.praise), itemStyle: { color: GREEN } },
        { name: t('wom.criticism'), type: 'bar', stack: 's', data: p.months.map((m) => -m.criticism), itemStyle: { color: RED } },
      ],
    }),
    [p, t],
  );
  return (
    <Card withBorder padding="sm" data-testid="wom-point">
      <Group justify="space-between" wrap="nowrap" gap={4}>
        <Group gap={6} wrap="wrap" style={{ minWidth: 0 }}>
          <Text fw={600} size="sm">{p.name}</Text>
          {p.scope === 'line' && <Badge size="xs" variant="outline" color="gray" tt="none">{t('wom.ofLine', { line: p.productLine ? label('product_line', p.productLine) : '' })}</Badge>}
        </Group>
        {canManage && (
          <Tooltip label={t('wom.retire')}>
            <ActionIcon variant="subtle" color="gray" size="sm" onClick={onRetire} aria-label={t('wom.retire')}><IconTrash size={14} /></ActionIcon>
          </Tooltip>
        )}
      </Group>
      <Group gap={6} mt={4}>
        <Badge size="sm" color="green" variant="light" tt="none">{t('wom.praiseN', { n: p.praise })}</Badge>
        <Badge size="sm" color="red" variant="light" tt="none">{t('wom.criticismN', { n: p.criticism })}</Badge>
        <Text size="xs" c="dimmed">{t('wom.mentions', { n: p.mentions, confirmed: p.confirmed })}</Text>
      </Group>
      <Chart option={option} height={120} testId="wom-chart" />
      <Stack gap={4}>
        {p.quotes.map((q) => (
          <Text key={`${q.feedbackId}-${q.stance}`} size="xs" lineClamp={2} c={q.stance === 'praise' ? 'green.8' : 'red.8'}>
            <Anchor component={Link} to={`/feedback/${q.feedbackId}`} size="xs" c="inherit">“{q.text}”</Anchor>
          </Text>
        ))}
        {!p.quotes.length && <Text size="xs" c="dimmed">{t('wom.noQuotes')}</Text>}
      </Stack>
      {p.keywords.length > 0 && <Text size="xs" c="dimmed" mt={4} lineClamp={1}>{t('wom.keywords')}: {p.keywords.join(', ')}</Text>}
    </Card>
  );
}

export function ProductVoice({ productId }: { productId: string }) {
  const { t } = useTranslation(NS);
  const session = useSession();
  const canManage = session.user.role === 'manager' || session.user.role === 'admin';
  const qc = useQueryClient();
  const voice = useProductVoice(productId);
  const [name, setName] = useState('');
  const [keywords, setKeywords] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const v = voice.data;
  const option = useMemo(
    (): EChartsOption | null =>
      !v ? null : {
        grid: { left: 32, right: 36, top: 30, bottom: 24 },
        legend: { top: 0, textStyle: { fontSize: 11 } },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: v.months.map((m) => m.month) },
        yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', min: -1, max: 1, splitLine: { show: false } }],
        series: [
          { name: t('voice.praise'), type: 'bar', data: v.months.map((m) => m.praise), itemStyle: { color: GREEN } },
          { name: t('voice.complaints'), type: 'bar', data: v.months.map((m) => m.complaints), itemStyle: { color: RED } },
          { name: t('voice.other'), type: 'bar', data: v.months.map((m) => m.total - m.praise - m.complaints), itemStyle: { color: GRAY } },
          { name: t('voice.net'), type: 'line', yAxisIndex: 1, data: v.months.map((m) => m.net), connectNulls: true, itemStyle: { color: '#1c7ed6' } },
        ],
      },
    [v, t],
  );
  if (!v) return null;
  const own = v.points.filter((p) => p.scope === 'product');
  const refresh = () => qc.invalidateQueries({ queryKey: ['feedback'] });
  const add = async () => {
    setError(null);
    try {
      await api('/wom-points', { method: 'POST', body: { productId, name, keywords } });
      setName('');
      setKeywords([]);
      await refresh();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const retire = async (p: Point) => {
    try {
      await api(`/wom-points/${p.id}`, { method: 'DELETE', ifMatch: p.version });
      await refresh();
    } catch (e) {
      notifications.show({ color: 'red', message: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <Stack gap="md" data-testid="product-voice">
      <Card withBorder padding="md">
        <Group justify="space-between" mb={4}>
          <Title order={4}>{t('voice.title')}</Title>
          <Group gap={6}>
            <Badge color="green" variant="light" tt="none">{t('voice.praiseN', { n: v.totals.praise })}</Badge>
            <Badge color="red" variant="light" tt="none">{t('voice.complaintsN', { n: v.totals.complaints })}</Badge>
            <Badge color="blue" variant="light" tt="none">{t('voice.netN', { n: v.totals.net === null ? '—' : v.totals.net.toFixed(2) })}</Badge>
            <Anchor component={Link} to={`/feedback?productIds=${productId}`} size="sm">{t('voice.all', { n: v.totals.total })}</Anchor>
          </Group>
        </Group>
        {v.totals.total ? <Chart option={option!} height={220} testId="product-voice-chart" /> : <Text c="dimmed" size="sm">{t('voice.none')}</Text>}
      </Card>
      <Card withBorder padding="md" data-testid="wom-card">
        <Title order={4}>{t('wom.title')}</Title>
        <Text size="sm" c="dimmed" mb="sm">{t('wom.why', { max: MAX_POINTS })}</Text>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
          {v.points.map((p) => <PointCard key={p.id} p={p} canManage={canManage} onRetire={() => void retire(p)} />)}
        </SimpleGrid>
        {!v.points.length && <Text size="sm" c="dimmed">{t('wom.none')}</Text>}
        {canManage && own.length < MAX_POINTS && (
          <Group mt="sm" align="flex-end" wrap="wrap">
            <TextInput label={t('wom.name')} placeholder={t('wom.namePlaceholder')} value={name} onChange={(e) => setName(e.currentTarget.value)} w={220} data-testid="wom-name" />
            <TagsInput label={t('wom.keywords')} placeholder={t('wom.keywordsPlaceholder')} value={keywords} onChange={setKeywords} w={320} data-testid="wom-keywords" />
            <Button onClick={() => void add()} disabled={!name.trim()} data-testid="wom-add">{t('wom.add', { left: MAX_POINTS - own.length })}</Button>
          </Group>
        )}
        {canManage && own.length >= MAX_POINTS && <Text size="xs" c="dimmed" mt="sm">{t('wom.full')}</Text>}
        {error && <Alert color="red" mt="sm" data-testid="wom-error">{error}</Alert>}
      </Card>
    </Stack>
  );
}
