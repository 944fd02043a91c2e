/** Every channel heard: the feedback list, logging a new one, and the sentiment model's measured accuracy. */
import { useState } from 'react';
import { Anchor, Badge, Button, Card, Grid, Group, Modal, MultiSelect, NumberInput, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Page } from '../../app/api.ts';
import { useCanWrite } from '../../app/auth.tsx';
import { useVocabLabel, useVocabOptions } from '../../app/data.ts';
import { formatDateTime } from '../../app/format.ts';
import { FEEDBACK_KINDS } from '../../../../src/features/vocabularies/defaults.ts';
import { SEVERITIES } from '../../../../src/features/feedback/rules.ts';
import { useFeedbackAction, useFeedbackList, type FeedbackRecord } from './data.ts';
import { NS } from './i18n.ts';
import { isOverdue, KindBadge, ModelCard, SentimentBadge, StatusBadge } from './parts.tsx';
import { ByProductCard } from './VoiceParts.tsx';

type Draft = { productIds: string[]; accountId: string | null; personName: string; personContact: string; channel: string | null; kind: string; text: string; language: string | null; visibility: string; rating: number | string; ratingScale: number | string; sourceUrl: string; severity: string | null };
const EMPTY: Draft = { productIds: [], accountId: null, personName: '', personContact: '', channel: null, kind: 'complaint', text: '', language: null, visibility: 'private', rating: '', ratingScale: '', sourceUrl: '', severity: null };

function LogFeedback({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  const channels = useVocabOptions('feedback_channel');
  const accounts = useQuery({ queryKey: ['accounts', 'pick'], queryFn: ({ signal }) => api<Page<{ id: string; name: string }>>('/accounts', { query: { limit: '200', sort: 'name' }, signal }), enabled: opened });
  const products = useQuery({ queryKey: ['products', 'pick'], queryFn: ({ signal }) => api<Page<{ id: string; code: string; name: string }>>('/products', { query: { limit: '200', sort: 'name', active: 'true' }, signal }), enabled: opened });
  const [d, setD] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useFeedbackAction((body: Record<string, unknown>) => api<FeedbackRecord>('/feedback', { method: 'POST', body }));
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const submit = () => {
    const body: Record<string, unknown> = { channel: d.channel ?? '', kind: d.kind, text: d.text, visibility: d.visibility };
    if (d.accountId) body.accountId = d.accountId;
    if (d.personName) body.personName = d.personName;
    if (d.personContact) body.personContact = d.personContact;
    if (d.language) body.language = d.language;
    if (d.rating !== '') body.rating = Number(d.rating);
    if (d.ratingScale !== '') body.ratingScale = Number(d.ratingScale);
    if (d.sourceUrl) body.sourceUrl = d.sourceUrl;
    if (d.severity) body.severity = d.severity;
    if (d.productIds.length) body.productIds = d.productIds;
    create.mutate(body, {
      onSuccess: (row) => { setD(EMPTY); setErrors({}); onClose(); navigate(`/feedback/${row.id}`); },
      onError: (e) => {
        if (e instanceof ApiError && e.fields?.length) setErrors(Object.fromEntries(e.fields.map((f) => [f.path, f.message])));
        else notifications.show({ color: 'red', message: e.message });
      },
    });
  };
  const complaint = d.kind === 'complaint' || d.kind === 'public_attack';
  return (
    <Modal opened={opened} onClose={onClose} title={t('log')} size="lg">
      <Stack gap="sm">
        <Group grow>
          <Select label={t('field.kind')} data={FEEDBACK_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} value={d.kind} onChange={(v) => set('kind', v ?? 'praise')} allowDeselect={false} />
          <Select label={t('field.channel')} data={channels} value={d.channel} onChange={(v) => set('channel', v)} error={errors.channel} searchable />
        </Group>
        <MultiSelect label={t('field.products')} data={(products.data?.data ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` }))} value={d.productIds} onChange={(v) => set('productIds', v)} searchable clearable error={errors.productIds} data-testid="feedback-products" />
        <Select label={t('field.account')} data={(accounts.data?.data ?? []).map((a) => ({ value: a.id, label: a.name }))} value={d.accountId} onChange={(v) => set('accountId', v)} searchable clearable error={errors.accountId} />
        <Group grow>
          <TextInput label={t('field.personName')} value={d.personName} onChange={(e) => set('personName', e.currentTarget.value)} error={errors.personName} />
          <TextInput label={t('field.personContact')} value={d.personContact} onChange={(e) => set('personContact', e.currentTarget.value)} />
        </Group>
        <Textarea label={t('field.text')} value={d.text} onChange={(e) => set('text', e.currentTarget.value)} autosize minRows={3} error={errors.text} data-testid="feedback-text" />
        <Group grow>
          <Select label={t('field.language')} data={[{ value: 'zh-CN', label: '简体中文' }, { value: 'zh-TW', label: '繁體中文' }, { value: 'en', label: 'English' }]} value={d.language} onChange={(v) => set('language', v)} clearable error={errors.language} />
          <Select label={t('field.visibility')} data={(['public', 'private'] as const).map((v) => ({ value: v, label: t(`visibility.${v}`) }))} value={d.visibility} onChange={(v) => set('visibility', v ?? 'private')} allowDeselect={false} />
          {complaint && <Select label={t('field.severity')} data={SEVERITIES.map((s) => ({ value: s, label: t(`severity.${s}`) }))} value={d.severity} onChange={(v) => set('severity', v)} clearable />}
        </Group>
        <Group grow>
          <NumberInput label={t('field.rating')} value={d.rating} onChange={(v) => set('rating', v)} min={0} max={100} error={errors.rating} />
          <NumberInput label={t('field.ratingScale')} value={d.ratingScale} onChange={(v) => set('ratingScale', v)} min={2} max={100} error={errors.ratingScale} />
          <TextInput label={t('field.sourceUrl')} value={d.sourceUrl} onChange={(e) => set('sourceUrl', e.currentTarget.value)} error={errors.sourceUrl} />
        </Group>
        <Group justify="flex-end"><Button variant="default" onClick={onClose}>{t('cancel')}</Button><Button onClick={submit} loading={create.isPending} data-testid="feedback-save">{t('save')}</Button></Group>
      </Stack>
    </Modal>
  );
}

export default function FeedbackPage() {
  const { t, i18n } = useTranslation(NS);
  const canWrite = useCanWrite();
  const label = useVocabLabel();
  const channels = useVocabOptions('feedback_channel');
  const [kind, setKind] = useState<string | null>(null);
  const [channel, setChannel] = useState<string | null>(null);
  const [sentiment, setSentiment] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  // `?productIds=<id>`: the feedback about one product (linked from the product page).
  const [params, setParams] = useSearchParams();
  const productId = params.get('productIds') ?? undefined;
  const list = useFeedbackList({ kind: kind ?? undefined, channel: channel ?? undefined, sentiment: sentiment ?? undefined, productIds: productId });
  const rows = list.data?.data ?? [];
  return (
    <Stack p="md" gap="md" style={{ minWidth: 0, maxWidth: '100%' }}>
      <Group justify="space-between" align="flex-start">
        <div><Title order={2}>{t('title')}</Title><Text c="dimmed" size="sm">{t('subtitle')}</Text></div>
        {canWrite && <Button leftSection={<IconPlus size={16} />} onClick={() => setOpen(true)} data-testid="log-feedback">{t('log')}</Button>}
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 9 }}>
          <Card withBorder padding="md">
            <Group mb="sm">
              <Select placeholder={t('col.kind')} data={FEEDBACK_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} value={kind} onChange={setKind} clearable w={160} />
              <Select placeholder={t('col.channel')} data={channels} value={channel} onChange={setChannel} clearable w={220} />
              {productId && <Badge variant="light" tt="none" style={{ cursor: 'pointer' }} onClick={() => setParams({})}>{t('voice.filtered')} ×</Badge>}
              <Select placeholder={t('col.sentiment')} data={(['positive', 'neutral', 'negative'] as const).map((s) => ({ value: s, label: t(`sentiment.${s}`) }))} value={sentiment} onChange={setSentiment} clearable w={140} />
            </Group>
            {!rows.length && !list.isLoading && <Text c="dimmed">{t('none')}</Text>}
            <Table.ScrollContainer minWidth={760}>
              <Table highlightOnHover verticalSpacing="xs" data-testid="feedback-table">
                <Table.Thead><Table.Tr>
                  <Table.Th>{t('col.occurredAt')}</Table.Th><Table.Th>{t('col.who')}</Table.Th><Table.Th>{t('col.channel')}</Table.Th><Table.Th>{t('col.kind')}</Table.Th>
                  <Table.Th>{t('col.sentiment')}</Table.Th><Table.Th>{t('col.text')}</Table.Th><Table.Th>{t('col.status')}</Table.Th>
                </Table.Tr></Table.Thead>
                <Table.Tbody>
                  {rows.map((f) => (
                    <Table.Tr key={f.id}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}><Text size="sm">{formatDateTime(f.occurredAt, i18n.language)}</Text></Table.Td>
                      <Table.Td><Text size="sm" lineClamp={1}>{f.accountName ?? f.contactName ?? f.personName ?? t('who.unknown')}</Text></Table.Td>
                      <Table.Td><Text size="sm">{label('feedback_channel', f.channel)}</Text></Table.Td>
                      <Table.Td><KindBadge kind={f.kind} /></Table.Td>
                      <Table.Td><SentimentBadge value={f.sentiment} source={f.sentimentSource} /></Table.Td>
                      <Table.Td maw={380}><Anchor component={Link} to={`/feedback/${f.id}`} size="sm" lineClamp={2}>{f.text}</Anchor></Table.Td>
                      <Table.Td><StatusBadge status={f.status} overdue={isOverdue(f)} /></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 3 }}><Stack gap="md"><ModelCard /><ByProductCard /></Stack></Grid.Col>
      </Grid>
      <LogFeedback opened={open} onClose={() => setOpen(false)} />
    </Stack>
  );
}
