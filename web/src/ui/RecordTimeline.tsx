import { useRef, useState } from 'react';
import { Badge, Button, Card, Group, SegmentedControl, Stack, Text, Textarea, TextInput, Timeline, Select, Skeleton, Collapse, MultiSelect } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArrowRight, IconCalendarEvent, IconSpeakerphone, IconFlag, IconShoppingCart, IconChecklist, IconHistory, IconMail, IconMessage, IconNote, IconPhone, IconUsers, IconWorld,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Page } from '../app/api.ts';
import { useUserName, useUsers, useVocabLabel, useVocabOptions } from '../app/data.ts';
import { useCanWrite, useSession } from '../app/auth.tsx';
import { formatDateTime, formatMoney, formatRelative, normalizeIso } from '../app/format.ts';
import { EmptyState } from './EmptyState.tsx';
import { QueryError } from './ErrorBoundary.tsx';
import { zodFieldErrors } from './form.ts';
import { z } from 'zod';
import { FeedbackTimelineEntry } from '../features/feedback/parts.tsx';

export type TimelineScope = { accountId?: string; opportunityId?: string; contactId?: string };
type Item = { type: 'interaction' | 'note' | 'task' | 'order' | 'stage_change' | 'status_change' | 'feedback' | 'audit'; at: string; id?: string; [k: string]: unknown };
type ServerItem = { type: Item['type']; id: string; at: string; actorId: string | null; title: string | null; data: Record<string, unknown> };

type Person = { id: string; name: string };
/** Who took part: the timeline sends `contacts`/`users`, the interactions list `participants`. */
function participantNames(item: Item): string[] {
  const p = (item.participants ?? item) as { contacts?: Person[]; users?: Person[] };
  return [...(Array.isArray(p.contacts) ? p.contacts : []), ...(Array.isArray(p.users) ? p.users : [])].map((x) => x.name);
}

const KIND_ICON: Record<string, typeof IconMail> = { email: IconMail, call: IconPhone, meeting: IconUsers, visit: IconUsers, webinar: IconWorld, message: IconMessage };

function TimelineEntry({ item }: { item: Item }) {
  const { t, i18n } = useTranslation();
  const vocabLabel = useVocabLabel();
  const userName = useUserName();
  const lang = i18n.language;
  const when = (
    <Text size="xs" c="dimmed" title={formatDateTime(item.at, lang)}>{formatRelative(item.at, lang)}</Text>
  );
  const who = userName(item.ownerId ?? item.authorId ?? item.actorId ?? item.assigneeId ?? item.userId);
  switch (item.type) {
    case 'interaction':
      return (
        <>
          <Group gap={6} wrap="nowrap">
            <Badge size="xs" variant="light">{vocabLabel('interaction_kind', item.kind)}</Badge>
            {item.direction ? <Badge size="xs" variant="outline" color="gray">{t(`enum.direction.${String(item.direction)}`)}</Badge> : null}
            <Text size="sm" fw={600} truncate>{String(item.subject ?? item.title ?? '')}</Text>
          </Group>
          {item.body ? <Text size="sm" c="gray.7" lineClamp={4} style={{ whiteSpace: 'pre-wrap' }}>{String(item.body)}</Text> : null}
          <Group gap={6}>
            {when}{who && <Text size="xs" c="dimmed">· {who}</Text>}
            {participantNames(item).length > 0 && <Text size="xs" c="dimmed" data-testid="timeline-participants">· {t('timeline.with', { names: participantNames(item).join(', ') })}</Text>}
          </Group>
        </>
      );
    case 'note':
      return (
        <>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{String(item.body ?? '')}</Text>
          <Group gap={6}>{when}{who && <Text size="xs" c="dimmed">· {who}</Text>}</Group>
        </>
      );
    case 'task':
      return (
        <>
          <Group gap={6} wrap="nowrap">
            <Badge size="xs" color={item.status === 'done' ? 'green' : 'blue'} variant="light">{t(`enum.taskStatus.${String(item.status ?? 'open')}`)}</Badge>
            {item.kind ? <Badge size="xs" variant="outline" color="gray">{t(`enum.taskKind.${String(item.kind)}`)}</Badge> : null}
            <Text size="sm" fw={500} td={item.status === 'done' ? 'line-through' : undefined} truncate>{String(item.title ?? '')}</Text>
          </Group>
          <Group gap={6}>
            {item.dueAt ? <Text size="xs" c="dimmed">{t('timeline.due', { when: formatDateTime(item.dueAt, lang) })}</Text> : when}
            {who && <Text size="xs" c="dimmed">· {who}</Text>}
          </Group>
        </>
      );
    case 'order':
      return (
        <>
          <Group gap={6} wrap="nowrap">
            <Badge size="xs" variant="light" color="green">{t('timeline.order')}</Badge>
            <Text size="sm" fw={500} truncate>{String(item.orderNumber ?? item.title ?? '')}</Text>
            <Text size="sm" ff="monospace">{formatMoney(item.amount, item.currency as string, lang)}</Text>
          </Group>
          {when}
        </>
      );
    case 'status_change': {
      const vocab = item.field === 'relationship_depth' ? 'relationship_depth' : 'supplier_status';
      return (
        <>
          <Group gap={6}>
            <Text size="sm">{t(vocab === 'supplier_status' ? 'field.supplierStatus' : 'field.relationshipDepth')}</Text>
            {item.from ? <><Badge size="xs" variant="light" color="gray" tt="none">{vocabLabel(vocab, item.from)}</Badge><IconArrowRight size={12} /></> : null}
            <Badge size="xs" variant="light" tt="none">{vocabLabel(vocab, item.to)}</Badge>
          </Group>
          <Group gap={6}>{when}{who && <Text size="xs" c="dimmed">· {who}</Text>}{item.note ? <Text size="xs" c="dimmed">· {String(item.note)}</Text> : null}</Group>
        </>
      );
    }
    case 'stage_change':
      return (
        <>
          <Group gap={6}>
            <Text size="sm">{t('timeline.stageChange')}</Text>
            {item.title ? <Text size="sm" fw={500}>{String(item.title)}</Text> : null}
            {(item.from ?? item.fromStage) ? <><Badge size="xs" variant="light" color="gray" tt="none">{vocabLabel('buying_stage', item.from ?? item.fromStage)}</Badge><IconArrowRight size={12} /></> : null}
            <Badge size="xs" variant="light">{vocabLabel('buying_stage', item.to ?? item.toStage)}</Badge>
          </Group>
          {when}
        </>
      );
    case 'feedback':
      return <FeedbackTimelineEntry item={item} when={when} />;
    default:
      return (
        <>
          <Text size="sm">{t('timeline.audit', { action: String(item.action ?? ''), who: who || t('timeline.system') })}</Text>
          {when}
        </>
      );
  }
}

type Row = Record<string, unknown> & { id: string };

/**
 * GET /timeline when the server has it; otherwise the same picture assembled from the
 * interactions, notes and tasks lists (newest first).
 */
async function loadTimeline(scope: TimelineScope, signal: AbortSignal): Promise<{ data: Item[] }> {
  try {
    const res = await api<{ data: ServerItem[] }>('/timeline', { query: { ...scope, limit: 100 }, signal });
    // Type-specific details travel in `data`; flatten them so one renderer serves both sources.
    return { data: res.data.map((i) => ({ ...i.data, type: i.type, id: i.id, at: i.at, actorId: i.actorId, title: i.title })) };
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
  }
  const [field, id] = Object.entries(scope).find(([, v]) => v) ?? [];
  if (!field || !id) return { data: [] };
  const byScope = { [`${field}[eq]`]: id, limit: 100 };
  const interactionQuery = field === 'contactId' ? null : { ...byScope, sort: '-occurredAt' };
  const [inter, notes, tasks] = await Promise.all([
    interactionQuery ? api<Page<Row>>('/interactions', { query: interactionQuery, signal }) : Promise.resolve({ data: [] as Row[] }),
    api<Page<Row>>('/notes', { query: { ...byScope, sort: '-createdAt' }, signal }).catch(() => ({ data: [] as Row[] })),
    api<Page<Row>>('/tasks', { query: { ...byScope, sort: '-createdAt' }, signal }).catch(() => ({ data: [] as Row[] })),
  ]);
  const items: Item[] = [
    ...inter.data.map((r) => ({ ...r, type: 'interaction' as const, at: String(r.occurredAt) })),
    ...notes.data.map((r) => ({ ...r, type: 'note' as const, at: String(r.createdAt) })),
    ...tasks.data.map((r) => ({ ...r, type: 'task' as const, at: String(r.completedAt ?? r.dueAt ?? r.createdAt) })),
  ];
  items.sort((a, b) => Date.parse(normalizeIso(b.at)) - Date.parse(normalizeIso(a.at)));
  return { data: items };
}

const ICONS = { interaction: IconMessage, note: IconNote, task: IconChecklist, order: IconShoppingCart, stage_change: IconArrowRight, status_change: IconFlag, feedback: IconSpeakerphone, audit: IconHistory } as const;

/** Interactions, notes, tasks and stage changes of a record, newest first, with quick actions on top. */
export function RecordTimeline({ scope, accountId }: { scope: TimelineScope; accountId?: string }) {
  const { t } = useTranslation();
  const canWrite = useCanWrite();
  const [filter, setFilter] = useState('all');
  const q = useQuery({
    queryKey: ['timeline', scope],
    queryFn: ({ signal }) => loadTimeline(scope, signal),
  });
  const items = (q.data?.data ?? []).filter((i) => filter === 'all' || i.type === filter);
  return (
    <Stack gap="sm">
      {canWrite && <QuickActions scope={scope} accountId={accountId ?? scope.accountId} />}
      <Group justify="space-between">
        <Text fw={600}>{t('timeline.title')}</Text>
        <SegmentedControl
          size="xs"
          value={filter}
          onChange={setFilter}
          data={[
            { value: 'all', label: t('timeline.all') },
            { value: 'interaction', label: t('timeline.interactions') },
            { value: 'note', label: t('timeline.notes') },
            { value: 'task', label: t('timeline.tasks') },
          ]}
        />
      </Group>
      {q.isLoading ? (
        <Stack>{[0, 1, 2].map((i) => <Skeleton key={i} h={56} />)}</Stack>
      ) : q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState icon={IconCalendarEvent} title={t('timeline.empty')} description={t('timeline.emptyHint')} />
      ) : (
        <Timeline bulletSize={26} lineWidth={2} data-testid="timeline">
          {items.map((item, i) => {
            const Ico = ICONS[item.type] ?? IconHistory;
            const kindIcon = item.type === 'interaction' ? KIND_ICON[String(item.kind)] : undefined;
            const B = kindIcon ?? Ico;
            return (
              <Timeline.Item key={`${item.type}-${item.id ?? i}`} bullet={<B size={14} />}>
                <TimelineEntry item={item} />
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
    </Stack>
  );
}

function QuickActions({ scope, accountId }: { scope: TimelineScope; accountId?: string }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'interaction' | 'task' | 'note' | null>(null);
  return (
    <Card withBorder padding="sm">
      <Group gap="xs" wrap="wrap">
        <Button size="xs" variant={mode === 'interaction' ? 'filled' : 'light'} leftSection={<IconMessage size={14} />} onClick={() => setMode(mode === 'interaction' ? null : 'interaction')} data-testid="quick-log">
          {t('quick.logInteraction')}
        </Button>
        <Button size="xs" variant={mode === 'task' ? 'filled' : 'light'} leftSection={<IconChecklist size={14} />} onClick={() => setMode(mode === 'task' ? null : 'task')} data-testid="quick-next-step">
          {t('quick.nextStep')}
        </Button>
        <Button size="xs" variant={mode === 'note' ? 'filled' : 'light'} leftSection={<IconNote size={14} />} onClick={() => setMode(mode === 'note' ? null : 'note')}>
          {t('quick.note')}
        </Button>
      </Group>
      <Collapse expanded={mode !== null}>
        <div style={{ paddingTop: 12 }}>
          {mode === 'interaction' && <LogInteractionForm scope={scope} accountId={accountId} onDone={() => setMode(null)} />}
          {mode === 'task' && <NextStepForm scope={scope} accountId={accountId} onDone={() => setMode(null)} />}
          {mode === 'note' && <NoteForm scope={scope} accountId={accountId} onDone={() => setMode(null)} />}
        </div>
      </Collapse>
    </Card>
  );
}

function useCreate(path: string, onDone: () => void) {
  const qc = useQueryClient();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api(path, { method: 'POST', body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['timeline'] });
      void qc.invalidateQueries({ queryKey: [path.slice(1)] });
      notifications.show({ color: 'green', message: t('quick.saved') });
      onDone();
    },
    onError: (e) => notifications.show({ color: 'red', message: (e as Error).message }),
  });
}

function nowLocal() {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

export function LogInteractionForm({ scope, accountId, onDone }: { scope: TimelineScope; accountId?: string; onDone: () => void }) {
  const { t } = useTranslation();
  const kinds = useVocabOptions('interaction_kind');
  const [kind, setKind] = useState<string | null>('call');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [direction, setDirection] = useState('outbound');
  const [at, setAt] = useState(nowLocal());
  const [submitted, setSubmitted] = useState(false);
  const dealTouched = useRef(false);
  const { user } = useSession();
  const [contactIds, setContactIds] = useState<string[]>(scope.contactId ? [scope.contactId] : []);
  const [userIds, setUserIds] = useState<string[]>([user.id]);
  const [deal, setDeal] = useState<string | null>(scope.opportunityId ?? null);
  const users = useUsers();
  // The people and open deals of this account, to pick from (an account has tens, not thousands).
  const people = useQuery({
    queryKey: ['contacts', 'of-account', accountId],
    queryFn: ({ signal }) => api<Page<Row>>('/contacts', { query: { 'accountId[eq]': accountId, limit: 200, sort: 'fullName' }, signal }),
    enabled: !!accountId,
  });
  const deals = useQuery({
    queryKey: ['opportunities', 'open-of-account', accountId],
    queryFn: ({ signal }) => api<Page<Row>>('/opportunities', { query: { 'accountId[eq]': accountId, 'status[eq]': 'open', limit: 100, sort: '-updatedAt' }, signal }),
    enabled: !!accountId && !scope.opportunityId,
  });
  const openDeals = deals.data?.data ?? [];
  // Logged from a contact: the account's only open deal is the one the talk was about.
  const dealValue = scope.opportunityId ?? deal ?? (openDeals.length === 1 && deal === null && !dealTouched.current ? openDeals[0]!.id : null);
  const m = useCreate('/interactions', onDone);
  const schema = z.object({ kind: z.string({ message: t('validation.required') }).min(1), subject: z.string().trim().min(1, { message: t('validation.required') }), occurredAt: z.string().min(1, { message: t('validation.required') }) });
  const errors = zodFieldErrors(schema, { kind: kind ?? undefined, subject, occurredAt: at });
  const show = (k: string) => (submitted || (k === 'subject' && subject)) ? errors[k] : undefined;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (Object.keys(errors).length || !accountId) return;
        m.mutate({
          accountId, opportunityId: dealValue ?? undefined, kind, subject: subject.trim(), body: body || undefined, direction,
          occurredAt: new Date(at).toISOString(), contactIds, userIds,
        });
      }}
      aria-label={t('quick.logInteraction')}
    >
      <Stack gap="xs">
        <Group grow wrap="wrap" gap="xs">
          <Select label={t('field.kind')} data={kinds} value={kind} onChange={setKind} error={show('kind')} required miw={140} comboboxProps={{ withinPortal: true }} data-testid="log-kind" />
          <TextInput label={t('field.occurredAt')} type="datetime-local" value={at} onChange={(e) => setAt(e.currentTarget.value)} error={show('occurredAt')} required miw={180} />
        </Group>
        <SegmentedControl size="xs" value={direction} onChange={setDirection} data={['outbound', 'inbound', 'internal'].map((d) => ({ value: d, label: t(`enum.direction.${d}`) }))} aria-label={t('field.direction')} />
        <TextInput label={t('field.subject')} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} error={show('subject')} required data-testid="log-subject" />
        <Textarea label={t('field.body')} value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={2} />
        <MultiSelect
          label={t('field.contactIds')}
          data={(people.data?.data ?? []).map((c) => ({ value: c.id, label: String(c.fullName) }))}
          value={contactIds}
          onChange={setContactIds}
          searchable
          clearable
          nothingFoundMessage={t('common.nothingFound')}
          comboboxProps={{ withinPortal: true }}
          data-testid="log-contacts"
        />
        <MultiSelect
          label={t('field.userIds')}
          data={(users.data ?? []).filter((u) => u.active !== false).map((u) => ({ value: u.id, label: u.name }))}
          value={userIds}
          onChange={setUserIds}
          searchable
          comboboxProps={{ withinPortal: true }}
          data-testid="log-users"
        />
        {!scope.opportunityId && (
          <Select
            label={t('field.opportunityId')}
            data={openDeals.map((d) => ({ value: d.id, label: String(d.name) }))}
            value={dealValue}
            onChange={(v) => { dealTouched.current = true; setDeal(v); }}
            placeholder={t('quick.noDeal')}
            clearable
            comboboxProps={{ withinPortal: true }}
            data-testid="log-deal"
          />
        )}
        <Group justify="flex-end" gap="xs">
          <Button size="xs" variant="default" onClick={onDone}>{t('common.cancel')}</Button>
          <Button size="xs" type="submit" loading={m.isPending} data-testid="log-submit">{t('common.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

function NextStepForm({ scope, accountId, onDone }: { scope: TimelineScope; accountId?: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const m = useCreate('/tasks', onDone);
  const err = (submitted || title) && !title.trim() ? t('validation.required') : undefined;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (!title.trim()) return;
        m.mutate({ title: title.trim(), kind: 'next_step', dueAt: due ? new Date(due).toISOString() : undefined, accountId, opportunityId: scope.opportunityId, contactId: scope.contactId });
      }}
    >
      <Stack gap="xs">
        <TextInput label={t('field.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={err} required autoFocus data-testid="next-step-title" />
        <TextInput label={t('field.dueAt')} type="datetime-local" value={due} onChange={(e) => setDue(e.currentTarget.value)} />
        <Group justify="flex-end" gap="xs">
          <Button size="xs" variant="default" onClick={onDone}>{t('common.cancel')}</Button>
          <Button size="xs" type="submit" loading={m.isPending}>{t('common.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

function NoteForm({ scope, accountId, onDone }: { scope: TimelineScope; accountId?: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const m = useCreate('/notes', onDone);
  return (
    <form onSubmit={(e) => { e.preventDefault(); if (body.trim()) m.mutate({ body: body.trim(), accountId, opportunityId: scope.opportunityId, contactId: scope.contactId }); }}>
      <Stack gap="xs">
        <Textarea label={t('quick.note')} value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={3} autoFocus required />
        <Group justify="flex-end" gap="xs">
          <Button size="xs" variant="default" onClick={onDone}>{t('common.cancel')}</Button>
          <Button size="xs" type="submit" loading={m.isPending} disabled={!body.trim()}>{t('common.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
