/** Feedback about products: the products and word-of-mouth points of one feedback, and the figures per product or line. */
import { useState } from 'react';
import { Anchor, Badge, Button, Card, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api.ts';
import { useCanWrite } from '../../app/auth.tsx';
import { useVocabLabel } from '../../app/data.ts';
import { useFeedbackAction, useVoice, type FeedbackRecord } from './data.ts';
import { NS } from './i18n.ts';
import { productName } from '../../../../src/features/products/rules.ts';

type Stance = 'praise' | 'criticism' | 'neutral';
const COLOR: Record<Stance, string> = { praise: 'green', criticism: 'red', neutral: 'gray' };

/** The products a feedback is about and the points its text mentions; a person confirms, changes the stance or rejects. */
export function WomCard({ f }: { f: FeedbackRecord }) {
  const { t, i18n } = useTranslation(NS);
  const canWrite = useCanWrite();
  const [draft, setDraft] = useState<Record<string, Stance | null> | null>(null);
  const save = useFeedbackAction((tags: { pointId: string; stance: Stance }[]) => api<FeedbackRecord>(`/feedback/${f.id}/wom`, { method: 'POST', body: { tags, version: f.version } }));
  const current: Record<string, Stance | null> = draft ?? Object.fromEntries(f.wom.map((w) => [w.pointId, w.status === 'rejected' ? null : w.stance]));
  const submit = () => {
    const tags = Object.entries(current).filter(([, s]) => s).map(([pointId, stance]) => ({ pointId, stance: stance! }));
    save.mutate(tags, {
      onSuccess: () => setDraft(null),
      onError: (e) => notifications.show({ color: 'red', message: e instanceof ApiError && e.fields?.length ? e.fields.map((x) => x.message).join('; ') : e.message }),
    });
  };
  if (!f.products.length) return null;
  return (
    <Card withBorder padding="md" data-testid="wom-tags">
      <Group gap={6} mb="xs">
        <Text fw={600} size="sm">{t('voice.products')}</Text>
        {f.products.map((p) => <Badge key={p.id} component={Link} to={`/products/${p.id}`} variant="light" tt="none" style={{ cursor: 'pointer' }}>{p.code} · {productName(p, i18n.language)}</Badge>)}
      </Group>
      <Text size="xs" c="dimmed" mb={6}>{t('wom.tagHelp')}</Text>
      <Stack gap={6}>
        {f.wom.map((w) => (
          <Group key={w.pointId} gap={6} wrap="wrap">
            <Text size="sm" w={160} fw={500}>{w.name}</Text>
            <Badge size="xs" variant="outline" color="gray" tt="none">{t(`wom.status.${w.status}`)}</Badge>
            {canWrite ? (
              <SegmentedControl size="xs" value={current[w.pointId] ?? 'none'} onChange={(v) => setDraft({ ...current, [w.pointId]: v === 'none' ? null : (v as Stance) })}
                data={[{ value: 'praise', label: t('wom.praise') }, { value: 'criticism', label: t('wom.criticism') }, { value: 'neutral', label: t('wom.neutral') }, { value: 'none', label: t('wom.notMentioned') }]} />
            ) : (
              current[w.pointId] && <Badge size="sm" color={COLOR[current[w.pointId]!]} variant="light" tt="none">{t(`wom.${current[w.pointId]}`)}</Badge>
            )}
          </Group>
        ))}
        {!f.wom.length && <Text size="xs" c="dimmed">{t('wom.noneSuggested')}</Text>}
      </Stack>
      {canWrite && f.wom.length > 0 && (
        <Group justify="flex-end" mt="sm"><Button size="xs" onClick={submit} loading={save.isPending} data-testid="wom-confirm">{t('wom.confirm')}</Button></Group>
      )}
    </Card>
  );
}

/** Praise, complaints and net sentiment per product or per product line. */
export function ByProductCard() {
  const { t, i18n } = useTranslation(NS);
  const label = useVocabLabel();
  const [by, setBy] = useState<'product' | 'line'>('product');
  const rows = useVoice(by).data?.rows ?? [];
  return (
    <Card withBorder padding="md" data-testid="by-product">
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Text fw={600} size="sm">{t('voice.byTitle')}</Text>
        <SegmentedControl size="xs" value={by} onChange={(v) => setBy(v as 'product' | 'line')} data={[{ value: 'product', label: t('voice.byProduct') }, { value: 'line', label: t('voice.byLine') }]} />
      </Group>
      {!rows.length && <Text size="xs" c="dimmed">{t('voice.noneByProduct')}</Text>}
      {rows.length > 0 && (
        <Table verticalSpacing={4} fz="xs">
          <Table.Thead><Table.Tr><Table.Th>{by === 'product' ? t('voice.product') : t('voice.line')}</Table.Th><Table.Th ta="right">{t('voice.praiseShort')}</Table.Th><Table.Th ta="right">{t('voice.complaintsShort')}</Table.Th><Table.Th ta="right">{t('voice.netShort')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {rows.slice(0, 10).map((r) => (
              <Table.Tr key={r.productId ?? r.productLine ?? 'none'}>
                <Table.Td>{r.productId ? <Anchor component={Link} to={`/products/${r.productId}`} size="xs">{productName({ name: r.name ?? '', nameI18n: r.nameI18n }, i18n.language)}</Anchor> : r.productLine ? label('product_line', r.productLine) : t('voice.noLine')}</Table.Td>
                <Table.Td ta="right" c="green.8">{r.praise}</Table.Td>
                <Table.Td ta="right" c="red.8">{r.complaints}</Table.Td>
                <Table.Td ta="right" c={r.net === null ? 'dimmed' : r.net >= 0 ? 'green.8' : 'red.8'}>{r.net === null ? '—' : r.net.toFixed(2)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
