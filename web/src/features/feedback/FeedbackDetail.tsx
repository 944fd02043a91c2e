/** One feedback: what was said, its sentiment (correctable), and its complaint workflow or its ranked answer. */
import { useState } from 'react';
import { ActionIcon, Alert, Anchor, Badge, Button, Card, Grid, Group, Select, Stack, Stepper, Text, Textarea, TextInput, Timeline, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { useCanWrite } from '../../app/auth.tsx';
import { useUserName, useVocabLabel } from '../../app/data.ts';
import { formatDateTime, formatRelative } from '../../app/format.ts';
import { JOURNEY_STEPS } from '../../../../src/features/vocabularies/defaults.ts';
import { nextStatuses, SEVERITIES, type ComplaintStatus } from '../../../../src/features/feedback/rules.ts';
import { post, useFeedback, useFeedbackAction, useSteps, type FeedbackRecord } from './data.ts';
import { NS } from './i18n.ts';
import { isOverdue, KindBadge, SentimentBadge, StatusBadge } from './parts.tsx';
import { WomCard } from './VoiceParts.tsx';

const PATH: ComplaintStatus[] = ['received', 'acknowledged', 'assessed', 'investigating', 'responded', 'resolved', 'closed'];
const onError = (e: Error) => notifications.show({ color: 'red', message: e instanceof ApiError && e.fields?.length ? e.fields.map((f) => f.message).join('; ') : e.message });

function ComplaintCard({ f }: { f: FeedbackRecord }) {
  const { t, i18n } = useTranslation(NS);
  const canWrite = useCanWrite();
  const userName = useUserName();
  const steps = useSteps(f.id, true).data ?? [];
  const [to, setTo] = useState<string | null>(null);
  const [severity, setSeverity] = useState<string | null>(f.severity);
  const [impact, setImpact] = useState('');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const move = useFeedbackAction((body: Record<string, unknown>) => post(`/feedback/${f.id}/transition`, body));
  const wait = useFeedbackAction((waiting: boolean) => post(`/feedback/${f.id}/waiting`, { waiting, version: f.version }));
  const status = f.status as ComplaintStatus;
  const active = status === 'rejected' ? 5 : PATH.indexOf(status);
  const when = (v: string | null) => (v ? `${formatDateTime(v, i18n.language)} (${formatRelative(v, i18n.language)})` : '—');
  const submit = () => {
    if (!to) return;
    const body: Record<string, unknown> = { to, version: f.version };
    if (to === 'assessed') Object.assign(body, { severity: severity ?? undefined, impact });
    if (reason) body.reason = reason;
    if (note) body.note = note;
    move.mutate(body, { onSuccess: () => { setTo(null); setReason(''); setNote(''); setImpact(''); }, onError });
  };
  return (
    <Card withBorder padding="md" data-testid="complaint-card">
      <Group justify="space-between" mb="sm">
        <Text fw={600}>{t('complaint.title')}</Text>
        <Group gap={6}>
          <StatusBadge status={f.status} overdue={isOverdue(f)} />
          {f.responseAlertedAt && !f.acknowledgedAt && <Badge color="orange" variant="outline" size="sm" tt="none" data-testid="first-response-late">{t('complaint.firstResponseLate')}</Badge>}
          {f.warnedAt && !f.breachedAt && <Badge color="orange" size="sm" tt="none">{t('complaint.warned')}</Badge>}
          {f.pausedAt && <Badge color="yellow" size="sm" tt="none">{t('complaint.paused')}</Badge>}
          {f.escalatedTo && <Badge color="red" variant="outline" size="sm" tt="none">{t('complaint.escalated', { name: userName(f.escalatedTo) })}</Badge>}
        </Group>
      </Group>
      <Stepper active={active} size="xs" mb="md">
        {PATH.map((s, i) => <Stepper.Step key={s} label={t(`status.${i === 5 && status === 'rejected' ? 'rejected' : s}`)} />)}
      </Stepper>
      <Grid mb="sm">
        <Grid.Col span={4}><Text size="xs" c="dimmed">{t('complaint.responseDue')}</Text><Text size="sm">{when(f.responseDueAt)}</Text></Grid.Col>
        <Grid.Col span={4}><Text size="xs" c="dimmed">{t('complaint.warnAt')}</Text><Text size="sm">{when(f.warnAt)}</Text></Grid.Col>
        <Grid.Col span={4}><Text size="xs" c="dimmed">{t('complaint.due')}</Text><Text size="sm" fw={600} c={isOverdue(f) ? 'red' : undefined} data-testid="complaint-due">{when(f.dueAt)}</Text></Grid.Col>
        <Grid.Col span={4}><Text size="xs" c="dimmed">{t('field.severity')}</Text><Text size="sm">{f.severity ? t(`severity.${f.severity}`) : '—'}</Text></Grid.Col>
        <Grid.Col span={8}><Text size="xs" c="dimmed">{t('field.impact')}</Text><Text size="sm">{f.impact ?? '—'}</Text></Grid.Col>
      </Grid>
      {f.closeReason && <Alert color="gray" mb="sm">{t('complaint.closedWith', { reason: f.closeReason })}</Alert>}
      {canWrite && status !== 'closed' && (
        <Stack gap="xs">
          <Group align="flex-end">
            <Select label={t('complaint.next')} data={nextStatuses(status).map((s) => ({ value: s, label: t(`status.${s}`) }))} value={to} onChange={setTo} w={200} data-testid="next-status" />
            {to === 'assessed' && <Select label={t('field.severity')} data={SEVERITIES.map((s) => ({ value: s, label: t(`severity.${s}`) }))} value={severity} onChange={setSeverity} w={140} />}
            {to === 'assessed' && <TextInput label={t('field.impact')} value={impact} onChange={(e) => setImpact(e.currentTarget.value)} style={{ flex: 1 }} />}
            {(to === 'rejected' || to === 'closed') && <TextInput label={t('field.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} style={{ flex: 1 }} data-testid="close-reason" />}
          </Group>
          <Textarea label={t('field.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={1} />
          <Group>
            <Button onClick={submit} disabled={!to} loading={move.isPending} data-testid="move">{to ? t('complaint.move', { status: t(`status.${to}`) }) : t('complaint.next')}</Button>
            <Button variant="light" color="yellow" onClick={() => wait.mutate(!f.pausedAt, { onError })} loading={wait.isPending}>{f.pausedAt ? t('complaint.resume') : t('complaint.wait')}</Button>
          </Group>
          <Text size="xs" c="dimmed">{t('complaint.neverDeleted')}</Text>
        </Stack>
      )}
      <Text fw={600} size="sm" mt="md" mb="xs">{t('complaint.steps')}</Text>
      <Timeline bulletSize={14} lineWidth={2} active={steps.length}>
        {steps.map((s) => (
          <Timeline.Item key={s.id} title={<Text size="sm">{t(`status.${s.toStatus}`)}</Text>}>
            <Text size="xs" c="dimmed">{formatDateTime(s.at, i18n.language)}{s.byName ? ` · ${s.byName}` : ''}</Text>
            {s.note && <Text size="sm">{s.note}</Text>}
          </Timeline.Item>
        ))}
      </Timeline>
    </Card>
  );
}

function AnswerCard({ f }: { f: FeedbackRecord }) {
  const { t } = useTranslation(NS);
  const canWrite = useCanWrite();
  const [items, setItems] = useState<string[]>(['', '']);
  const [step, setStep] = useState<string | null>(f.journeyStep);
  const send = useFeedbackAction((body: Record<string, unknown>) => post(`/feedback/${f.id}/answer`, body));
  const filled = items.filter((s) => s.trim()).length;
  return (
    <Card withBorder padding="md" data-testid="answer-card">
      <Text fw={600} mb={4}>{t('answer.title')}</Text>
      <Text size="xs" c="dimmed" mb="sm">{t('answer.hint')}</Text>
      {f.suggestions?.length ? (
        <ol style={{ margin: 0, paddingInlineStart: 20 }} data-testid="suggestions">{f.suggestions.map((s) => <li key={s.rank}><Text size="sm">{s.text}</Text></li>)}</ol>
      ) : null}
      {canWrite && (
        <Stack gap="xs" mt="sm">
          <Select label={t('field.journeyStep')} data={JOURNEY_STEPS.map((s) => ({ value: s, label: t(`journey.${s}`) }))} value={step} onChange={setStep} w={240} />
          {items.map((s, i) => (
            <Group key={i} gap={6} wrap="nowrap">
              <Badge variant="light" circle>{i + 1}</Badge>
              <TextInput placeholder={t('answer.suggestion', { n: i + 1 })} value={s} onChange={(e) => { const v = e.currentTarget.value; setItems((x) => x.map((y, k) => (k === i ? v : y))); }} style={{ flex: 1 }} data-testid={`suggestion-${i}`} />
              {items.length > 2 && <ActionIcon variant="subtle" color="gray" onClick={() => setItems((x) => x.filter((_, k) => k !== i))} aria-label="×"><IconTrash size={14} /></ActionIcon>}
            </Group>
          ))}
          <Group>
            <Button variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => setItems((x) => [...x, ''])} disabled={items.length >= 10}>{t('answer.add')}</Button>
            <Button disabled={filled < 2} loading={send.isPending} onClick={() => send.mutate({ suggestions: items.filter((s) => s.trim()), journeyStep: step ?? undefined, version: f.version }, { onSuccess: () => setItems(['', '']), onError })}>{t('answer.submit')}</Button>
          </Group>
        </Stack>
      )}
    </Card>
  );
}

export default function FeedbackDetail() {
  const { id } = useParams();
  const { t, i18n } = useTranslation(NS);
  const label = useVocabLabel();
  const userName = useUserName();
  const canWrite = useCanWrite();
  const q = useFeedback(id);
  const relabel = useFeedbackAction((l: 'positive' | 'negative' | null) => post(`/feedback/${id}/label`, { label: l, version: q.data?.version }));
  const f = q.data;
  if (!f) return <Text c="dimmed">…</Text>;
  const complaint = f.kind === 'complaint' || f.kind === 'public_attack';
  return (
    <Stack p="md" gap="md" style={{ minWidth: 0, maxWidth: '100%' }}>
      <Group gap="sm">
        <KindBadge kind={f.kind} />
        <Badge variant="light" color="gray" tt="none">{label('feedback_channel', f.channel)}</Badge>
        <Badge variant="outline" color="gray" tt="none">{t(`visibility.${f.visibility}`)}</Badge>
        <Title order={3} style={{ flex: 1 }}>{f.accountName ?? f.contactName ?? f.personName ?? t('who.unknown')}</Title>
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Card withBorder padding="md">
              <Text style={{ whiteSpace: 'pre-wrap' }} data-testid="feedback-body">{f.text}</Text>
              <Group gap="md" mt="sm">
                <Text size="xs" c="dimmed">{formatDateTime(f.occurredAt, i18n.language)}</Text>
                {f.language && <Text size="xs" c="dimmed">{f.language}</Text>}
                {f.rating !== null && <Text size="xs" c="dimmed">{t('field.rating')}: {Number(f.rating)} / {f.ratingScale}</Text>}
                {f.ownerId && <Text size="xs" c="dimmed">{t('field.owner')}: {userName(f.ownerId)}</Text>}
                {f.accountId && <Anchor component={Link} to={`/accounts/${f.accountId}`} size="xs">{f.accountName}</Anchor>}
                {f.contactId && <Anchor component={Link} to={`/contacts/${f.contactId}`} size="xs">{f.contactName}</Anchor>}
                {f.personContact && <Text size="xs" c="dimmed">{f.personContact}</Text>}
                {f.sourceUrl && <Anchor href={f.sourceUrl} target="_blank" rel="noopener noreferrer" size="xs">{t('field.sourceUrl')}</Anchor>}
              </Group>
            </Card>
            <Card withBorder padding="md" data-testid="sentiment-card">
              <Group justify="space-between">
                <Group gap={6}><SentimentBadge value={f.sentiment} source={f.sentimentSource} /><Text size="xs" c="dimmed">{f.sentimentSource ? t(`source.${f.sentimentSource}`) : ''}{f.sentimentScore !== null ? ` · P(+) ${f.sentimentScore.toFixed(2)}` : ''}</Text></Group>
                {canWrite && (
                  <Group gap={6}>
                    <Text size="xs" c="dimmed">{t('correct')}</Text>
                    <Button size="compact-xs" variant={f.sentimentLabel === 'positive' ? 'filled' : 'light'} color="green" onClick={() => relabel.mutate('positive', { onError })}>{t('markPositive')}</Button>
                    <Button size="compact-xs" variant={f.sentimentLabel === 'negative' ? 'filled' : 'light'} color="red" onClick={() => relabel.mutate('negative', { onError })}>{t('markNegative')}</Button>
                    {f.sentimentLabel && <Button size="compact-xs" variant="subtle" color="gray" onClick={() => relabel.mutate(null, { onError })}>{t('undoLabel')}</Button>}
                  </Group>
                )}
              </Group>
            </Card>
            <WomCard f={f} />
            {f.kind === 'question' && <AnswerCard f={f} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>{complaint && f.status && <ComplaintCard f={f} />}</Grid.Col>
      </Grid>
    </Stack>
  );
}
