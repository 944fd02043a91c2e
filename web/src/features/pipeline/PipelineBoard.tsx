import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Box, Card, Group, ScrollArea, Select, Stack, Text, Title, Skeleton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { DndContext, KeyboardSensor, MouseSensor, TouchSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { IconLayoutKanban } from '@tabler/icons-react';
import { api, type Page } from '../../app/api.ts';
import { useUserName, useUsers, useVocabOptions } from '../../app/data.ts';
import { formatDate, formatMoney } from '../../app/format.ts';
import { STAGE_COLORS } from '../../ui/fields.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { QueryError } from '../../ui/ErrorBoundary.tsx';
import { columnTotals, groupByStage, moveOpp, type Opp } from './board.ts';
import { useSession } from '../../app/auth.tsx';
import { WinBadge } from '../evaluation/WinBadge.tsx';
import type { Reason } from '../evaluation/data.ts';

const LIMIT = 500;

function OppCard({ opp }: { opp: Opp }) {
  const { i18n } = useTranslation();
  const userName = useUserName();
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: opp.id });
  // A drag released over the card's own title (dropped back where it started) ends in a click on
  // its link: the browser fires it after the mouseup. That click belongs to the drag, not to the
  // user: swallowed until the next task, after which clicks open the deal again.
  const dragged = useRef(false);
  useEffect(() => {
    if (isDragging) dragged.current = true;
    else if (dragged.current) {
      const t = setTimeout(() => (dragged.current = false), 0);
      return () => clearTimeout(t);
    }
  }, [isDragging]);
  return (
    <Card
      ref={setNodeRef}
      {...listeners}
      {...attributes}
      onClickCapture={(e: React.MouseEvent) => {
        if (!dragged.current) return;
        e.preventDefault();
        e.stopPropagation();
      }}
      withBorder
      padding="xs"
      radius="md"
      className="accord-card"
      data-testid="pipeline-card"
      data-opp-id={opp.id}
      style={{
        transform: transform ? `translate3d(${transform.x}px, ${transform.y}px, 0)` : undefined,
        zIndex: isDragging ? 10 : undefined,
        opacity: isDragging ? 0.85 : 1,
        cursor: isDragging ? 'grabbing' : 'grab',
        boxShadow: isDragging ? 'var(--mantine-shadow-lg)' : undefined,
        // A finger swiping over cards scrolls the board; a long press picks the card up (TouchSensor's delay).
        touchAction: 'manipulation',
      }}
    >
      {/* The whole card is the handle, the title and account included: a click (under the sensors' 5 px) follows the link, a drag moves the deal. */}
      <Text size="sm" fw={600} component={Link} to={`/opportunities/${opp.id}`} style={{ color: 'inherit', textDecoration: 'none', cursor: 'inherit' }} draggable={false} lineClamp={2} data-testid="pipeline-card-title">
        {opp.name}
      </Text>
      {opp.accountName ? (
        <Text
          size="xs" c="dimmed" truncate component={Link} to={`/accounts/${String(opp.accountId)}`} data-testid="pipeline-card-account"
          style={{ display: 'block', textDecoration: 'none', cursor: 'inherit' }} draggable={false}
        >
          {String(opp.accountName)}
        </Text>
      ) : null}
      <Group justify="space-between" mt={6} gap={4} wrap="nowrap">
        <Text size="sm" fw={600} c="indigo.7">{formatMoney(opp.amount, opp.currency, i18n.language) || '—'}</Text>
        {opp.expectedClose ? <Text size="xs" c="dimmed">{formatDate(opp.expectedClose, i18n.language)}</Text> : null}
      </Group>
      <Group justify="space-between" mt={2} gap={4} wrap="nowrap">
        <Text size="xs" c="dimmed" truncate>{opp.ownerId ? String(opp.ownerName ?? userName(opp.ownerId)) : ''}</Text>
        {/* The popover needs its presses to itself: a drag starts anywhere else on the card. */}
        {opp.winProbability != null ? (
          <Box onMouseDown={(e) => e.stopPropagation()} onTouchStart={(e) => e.stopPropagation()} style={{ flex: 'none' }}>
            <WinBadge probability={Number(opp.winProbability)} reasons={opp.winReasons as Reason[] | null} size="xs" />
          </Box>
        ) : null}
      </Group>
    </Card>
  );
}

function Column({ stage, label, opps }: { stage: string; label: string; opps: Opp[] }) {
  const { t, i18n } = useTranslation();
  const { setNodeRef, isOver } = useDroppable({ id: stage });
  const totals = columnTotals(opps);
  return (
    <Box
      ref={setNodeRef}
      // Columns share the board's width (five stages fit at 1400 px); below their minimum the board scrolls.
      miw={212}
      maw={320}
      p="xs"
      data-testid={`pipeline-column-${stage}`}
      aria-label={label}
      role="region"
      style={{
        background: isOver ? 'var(--mantine-color-indigo-0)' : 'var(--mantine-color-gray-1)',
        borderRadius: 10,
        borderTop: `3px solid var(--mantine-color-${STAGE_COLORS[stage] ?? 'gray'}-5)`,
        transition: 'background 120ms',
        display: 'flex', flexDirection: 'column', maxHeight: 'calc(100vh - 190px)', flex: '1 1 0',
      }}
    >
      <Group justify="space-between" mb={4} wrap="nowrap" align="flex-start">
        <Text fw={700} size="sm" lineClamp={2} style={{ minWidth: 0 }}>{label}</Text>
        <Badge variant="white" color="gray" style={{ flexShrink: 0 }}>{opps.length}</Badge>
      </Group>
      <Text size="xs" c="dimmed" mb="xs" data-testid={`pipeline-total-${stage}`}>
        {totals.length ? totals.map((x) => formatMoney(x.amount, x.currency, i18n.language, true)).join(' + ') : t('pipeline.noAmount')}
      </Text>
      <ScrollArea style={{ flex: 1 }} type="auto" offsetScrollbars>
        <Stack gap={6}>
          {opps.map((o) => <OppCard key={o.id} opp={o} />)}
          {opps.length === 0 && <Text size="xs" c="dimmed" ta="center" py="lg">{t('pipeline.dropHere')}</Text>}
        </Stack>
      </ScrollArea>
    </Box>
  );
}

export default function PipelineBoard() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { user } = useSession();
  const stages = useVocabOptions('buying_stage');
  const needTypes = useVocabOptions('need_type');
  const users = useUsers();
  const [owner, setOwner] = useState<string | null>(null);
  const [needType, setNeedType] = useState<string | null>(null);
  const key = ['opportunities', 'list', 'board', owner, needType];
  const q = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api<Page<Opp>>('/opportunities', {
      query: { limit: LIMIT, 'status[eq]': 'open', 'ownerId[eq]': owner ?? undefined, 'needType[eq]': needType ?? undefined, sort: '-amount', count: true },
      signal,
    }),
  });
  const grouped = useMemo(() => groupByStage(q.data?.data ?? [], stages.map((s) => s.value)), [q.data, stages]);
  // A mouse drags after 5 px (less is a click on the title's link); a finger after a 250 ms press, so swiping scrolls.
  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 5 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 8 } }),
    useSensor(KeyboardSensor),
  );

  const move = useMutation({
    mutationFn: ({ opp, stage }: { opp: Opp; stage: string }) => api<Opp>(`/opportunities/${opp.id}`, { method: 'PATCH', body: { buyingStage: stage }, ifMatch: opp.version }),
    onMutate: async ({ opp, stage }) => {
      await qc.cancelQueries({ queryKey: key });
      const prev = qc.getQueryData<Page<Opp>>(key);
      if (prev) qc.setQueryData<Page<Opp>>(key, { ...prev, data: moveOpp(prev.data, opp.id, stage) });
      return { prev };
    },
    onError: (err, { opp }, ctx) => {
      if (ctx?.prev) qc.setQueryData(key, ctx.prev);
      notifications.show({ color: 'red', title: t('pipeline.moveFailed', { name: opp.name }), message: (err as Error).message });
    },
    onSuccess: (updated) => {
      const cur = qc.getQueryData<Page<Opp>>(key);
      if (cur) qc.setQueryData<Page<Opp>>(key, { ...cur, data: cur.data.map((o) => (o.id === updated.id ? { ...o, ...updated } : o)) });
      qc.setQueryData(['opportunities', updated.id], updated);
      void qc.invalidateQueries({ queryKey: ['timeline'] });
    },
  });

  function onDragEnd(e: DragEndEvent) {
    const stage = e.over?.id ? String(e.over.id) : null;
    const opp = q.data?.data.find((o) => o.id === e.active.id);
    if (!stage || !opp || opp.buyingStage === stage) return;
    if (user.role === 'viewer') return;
    move.mutate({ opp, stage });
  }

  return (
    <Stack p="md" gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Title order={2} size="h3">{t('nav.pipeline')}</Title>
        <Group gap="xs">
          <Select size="sm" placeholder={t('pipeline.allOwners')} aria-label={t('field.ownerId')} data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))} value={owner} onChange={setOwner} clearable searchable w={200} />
          <Select size="sm" placeholder={t('pipeline.allNeedTypes')} aria-label={t('field.needType')} data={needTypes} value={needType} onChange={setNeedType} clearable w={200} />
        </Group>
      </Group>
      {q.data && (q.data.total ?? 0) > LIMIT && <Alert color="yellow" variant="light">{t('pipeline.truncated', { shown: LIMIT, total: q.data.total })}</Alert>}
      {q.isError ? <QueryError error={q.error} onRetry={() => void q.refetch()} /> : q.isLoading ? (
        <Group align="flex-start" wrap="nowrap">{stages.map((s) => <Skeleton key={s.value} w={272} h={400} />)}</Group>
      ) : q.data?.data.length === 0 ? (
        <EmptyState icon={IconLayoutKanban} title={t('pipeline.empty')} description={t('pipeline.emptyHint')} />
      ) : (
        <DndContext sensors={sensors} onDragEnd={onDragEnd}>
          <ScrollArea type="auto" offsetScrollbars>
            <Group align="flex-start" wrap="nowrap" gap="sm" pb="sm">
              {stages.map((s) => <Column key={s.value} stage={s.value} label={s.label} opps={grouped[s.value] ?? []} />)}
            </Group>
          </ScrollArea>
        </DndContext>
      )}
    </Stack>
  );
}
