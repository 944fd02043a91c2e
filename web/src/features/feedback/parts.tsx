/** Small pieces shared by the feedback screens, the account page and the timeline. */
import { Anchor, Badge, Card, Group, Progress, Stack, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useVocabLabel } from '../../app/data.ts';
import { formatDateTime, formatRelative } from '../../app/format.ts';
import { useBoard, useModel, type FeedbackRecord } from './data.ts';
import { NS } from './i18n.ts';

const SENT_COLOR = { positive: 'green', neutral: 'gray', negative: 'red' } as const;
const KIND_COLOR: Record<string, string> = { praise: 'green', complaint: 'orange', public_attack: 'red', question: 'blue', suggestion: 'grape' };

export function SentimentBadge({ value, source }: { value: string | null | undefined; source?: string | null }) {
  const { t } = useTranslation(NS);
  return (
    <Badge size="sm" variant="light" style={{ minWidth: 'max-content' }} color={value ? SENT_COLOR[value as keyof typeof SENT_COLOR] : 'gray'} title={source ? t(`source.${source}`) : undefined} tt="none">
      {value ? t(`sentiment.${value}`) : t('sentiment.none')}
    </Badge>
  );
}

export function KindBadge({ kind }: { kind: string }) {
  const { t } = useTranslation(NS);
  return <Badge size="sm" variant="outline" style={{ minWidth: 'max-content' }} color={KIND_COLOR[kind] ?? 'gray'} tt="none">{t(`kind.${kind}`)}</Badge>;
}

export function StatusBadge({ status, overdue }: { status: string | null | undefined; overdue?: boolean }) {
  const { t } = useTranslation(NS);
  if (!status) return null;
  return (
    <Group gap={4} wrap="nowrap">
      <Badge size="sm" variant="light" style={{ minWidth: 'max-content' }} color={status === 'closed' ? 'gray' : status === 'resolved' ? 'green' : status === 'rejected' ? 'dark' : 'blue'} tt="none">{t(`status.${status}`)}</Badge>
      {overdue && <Badge size="sm" color="red" tt="none" style={{ minWidth: 'max-content' }}>{t('complaint.overdue')}</Badge>}
    </Group>
  );
}

export const isOverdue = (f: Pick<FeedbackRecord, 'status' | 'dueAt' | 'pausedAt'>) =>
  !!f.status && ['received', 'acknowledged', 'assessed', 'investigating', 'responded'].includes(f.status) && !f.pausedAt && !!f.dueAt && Date.parse(f.dueAt) < Date.now();

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)} %`);

/** Held-out accuracy next to the majority baseline (and the lexicon alone): an honest model says how good it is. */
export function ModelCard() {
  const { t } = useTranslation(NS);
  const m = useModel().data;
  if (!m) return null;
  return (
    <Card withBorder padding="md" data-testid="model-card">
      <Text fw={600} mb={4}>{t('model.title')}</Text>
      <Text size="sm" c="dimmed" mb="sm">{t(m.mode === 'lexicon' ? 'model.modeLexicon' : 'model.modeNaive_bayes')} · {t('model.labelled', { count: m.labelled, test: m.testSize })}</Text>
      {m.accuracy === null ? <Text size="sm">{t('model.unknown')}</Text> : (
        <Stack gap={6}>
          {([['accuracy', m.accuracy, 'teal'], ['baseline', m.baseline, 'gray'], ['lexicon', m.lexiconAccuracy, 'blue']] as const).map(([k, v, color]) => (
            <div key={k}>
              <Group justify="space-between"><Text size="sm">{t(`model.${k}`)}</Text><Text size="sm" fw={600} data-testid={`model-${k}`}>{pct(v)}</Text></Group>
              <Progress value={(v ?? 0) * 100} color={color} size="sm" />
            </div>
          ))}
        </Stack>
      )}
      <Text size="xs" c="dimmed" mt="sm">{t('model.explain')}</Text>
    </Card>
  );
}

/** The open complaints of an account, overdue first (account page). */
export function AccountComplaints({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation(NS);
  const label = useVocabLabel();
  const board = useBoard({ accountId, open: true }).data;
  const items = (board?.columns ?? []).flatMap((c) => c.items).sort((a, b) => Number(b.overdue) - Number(a.overdue) || Date.parse(a.dueAt ?? '9999') - Date.parse(b.dueAt ?? '9999'));
  return (
    <Card withBorder padding="md" data-testid="account-complaints">
      <Group gap={6} mb="xs"><Text fw={600}>{t('board.accountTitle')}</Text>{items.length > 0 && <Badge color="orange">{items.length}</Badge>}</Group>
      {!items.length && <Text size="sm" c="dimmed">{t('board.noOpen')}</Text>}
      <Stack gap="xs">
        {items.map((c) => (
          <div key={c.id}>
            <Group gap={6} wrap="wrap"><StatusBadge status={c.status} overdue={c.overdue} /><Text size="xs" c="dimmed">{label('feedback_channel', c.channel)}</Text></Group>
            <Anchor component={Link} to={`/feedback/${c.id}`} size="sm" lineClamp={2}>{c.text}</Anchor>
            {c.dueAt && <Text size="xs" c="dimmed" title={formatDateTime(c.dueAt, i18n.language)}>{t('complaint.due')}: {formatRelative(c.dueAt, i18n.language)}</Text>}
          </div>
        ))}
      </Stack>
    </Card>
  );
}

type TimelineItem = Record<string, unknown>;
/** A feedback on the account's or contact's timeline; a question's answer shows its suggestions ranked. */
export function FeedbackTimelineEntry({ item, when }: { item: TimelineItem; when: React.ReactNode }) {
  const { t } = useTranslation(NS);
  const label = useVocabLabel();
  const suggestions = Array.isArray(item.suggestions) ? (item.suggestions as { rank: number; text: string }[]) : [];
  return (
    <>
      <Group gap={6} wrap="wrap">
        <KindBadge kind={String(item.kind)} />
        <Badge size="xs" variant="light" color="gray" tt="none">{label('feedback_channel', item.channel)}</Badge>
        <SentimentBadge value={item.sentiment as string | null} />
        <StatusBadge status={item.status as string | null} />
      </Group>
      <Anchor component={Link} to={`/feedback/${String(item.id)}`} size="sm" c="gray.8" lineClamp={3} style={{ whiteSpace: 'pre-wrap' }}>{String(item.text ?? '')}</Anchor>
      {suggestions.length > 0 && (
        <div data-testid="timeline-suggestions">
          <Text size="xs" fw={600}>{t('timeline.suggestions')}</Text>
          <ol style={{ margin: 0, paddingInlineStart: 20 }}>{[...suggestions].sort((a, b) => a.rank - b.rank).map((s) => <li key={s.rank}><Text size="sm">{s.text}</Text></li>)}</ol>
        </div>
      )}
      {when}
    </>
  );
}
