/** The complaint board (by step, overdue first) and, for managers, the SLA figures per month. */
import { useState } from 'react';
import { Anchor, Badge, Box, Card, Group, SegmentedControl, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth.tsx';
import { useVocabLabel } from '../../app/data.ts';
import { formatRelative } from '../../app/format.ts';
import { useBoard, useSla } from './data.ts';
import { NS } from './i18n.ts';
import { ComplaintCalendar, EngagementComplaints } from './ComplaintCalendar.tsx';

export default function ComplaintsPage() {
  const { t, i18n } = useTranslation(NS);
  const { user } = useSession();
  const label = useVocabLabel();
  const [open, setOpen] = useState(true);
  const [view, setView] = useState<'board' | 'calendar'>('board');
  const board = useBoard({ open }).data;
  const manager = user.role === 'manager' || user.role === 'admin';
  const sla = useSla(manager).data;
  const num = (v: number | null) => (v === null ? '—' : String(v));
  return (
    <Stack p="md" gap="md" style={{ minWidth: 0, maxWidth: '100%' }}>
      <Group justify="space-between" align="flex-start">
        <div><Title order={2}>{t('board.title')}</Title><Text c="dimmed" size="sm">{t('board.subtitle')}</Text></div>
        <Group>
          <SegmentedControl size="xs" value={view} onChange={(v) => setView(v as 'board' | 'calendar')} data={[{ value: 'board', label: t('calendar.board') }, { value: 'calendar', label: t('calendar.view') }]} data-testid="complaints-view" />
          {view === 'board' && <Switch label={t('board.open')} checked={open} onChange={(e) => setOpen(e.currentTarget.checked)} />}
        </Group>
      </Group>
      {view === 'calendar' && <ComplaintCalendar />}
      {view === 'board' && <Box style={{ overflowX: 'auto', maxWidth: '100%' }} pb="xs">
        <Group align="flex-start" wrap="nowrap" gap="sm" data-testid="complaint-board">
          {(board?.columns ?? []).map((col) => (
            <Card key={col.status} withBorder padding="sm" w={260} style={{ flexShrink: 0 }} bg="gray.0">
              <Group justify="space-between" mb="xs">
                <Text fw={600} size="sm">{t(`status.${col.status}`)}</Text>
                <Group gap={4}><Badge variant="light" size="sm">{col.count}</Badge>{col.overdue > 0 && <Badge color="red" size="sm" tt="none">{col.overdue} {t('complaint.overdue')}</Badge>}</Group>
              </Group>
              <Stack gap={6}>
                {!col.items.length && <Text size="xs" c="dimmed">{t('board.empty')}</Text>}
                {col.items.map((c) => (
                  <Card key={c.id} withBorder padding="xs" style={{ borderLeft: `3px solid var(--mantine-color-${c.overdue ? 'red' : c.warned ? 'orange' : 'gray'}-5)` }}>
                    <Group gap={4} mb={2} wrap="nowrap">
                      <Badge size="xs" variant="outline" color={c.kind === 'public_attack' ? 'red' : 'orange'} tt="none">{t(`kind.${c.kind}`)}</Badge>
                      <Text size="xs" c="dimmed" truncate>{label('feedback_channel', c.channel)}</Text>
                      {c.severity && <Badge size="xs" variant="light" color="gray" tt="none">{t(`severity.${c.severity}`)}</Badge>}
                    </Group>
                    <Anchor component={Link} to={`/feedback/${c.id}`} size="sm" lineClamp={2} c="dark">{c.text}</Anchor>
                    <Text size="xs" c="dimmed" truncate>{c.accountName ?? c.personName ?? t('who.unknown')}{c.ownerName ? ` · ${c.ownerName}` : ''}</Text>
                    {c.dueAt && <Text size="xs" c={c.overdue ? 'red' : c.warned ? 'orange' : 'dimmed'}>{c.paused ? t('complaint.paused') : `${t('complaint.due')}: ${formatRelative(c.dueAt, i18n.language)}`}</Text>}
                  </Card>
                ))}
              </Stack>
            </Card>
          ))}
        </Group>
      </Box>}
      <EngagementComplaints />
      {manager && sla && (
        <Card withBorder padding="md" data-testid="sla-figures">
          <Text fw={600} mb="sm">{t('board.sla')}</Text>
          <Table.ScrollContainer minWidth={700}>
            <Table striped>
              <Table.Thead><Table.Tr>
                {(['month', 'received', 'resolved', 'onTime', 'onTimePct', 'firstResponse', 'resolution', 'breached'] as const).map((k) => <Table.Th key={k}>{t(`board.${k}`)}</Table.Th>)}
              </Table.Tr></Table.Thead>
              <Table.Tbody>
                {[...sla.months].reverse().map((m) => (
                  <Table.Tr key={m.month}>
                    <Table.Td>{m.month}</Table.Td><Table.Td>{m.received}</Table.Td><Table.Td>{m.resolved}</Table.Td><Table.Td>{m.onTime}</Table.Td>
                    <Table.Td fw={600}>{m.onTimePct === null ? '—' : `${m.onTimePct} %`}</Table.Td><Table.Td>{num(m.medianFirstResponseHours)}</Table.Td>
                    <Table.Td>{num(m.medianResolutionHours)}</Table.Td><Table.Td c={m.breached ? 'red' : undefined}>{m.breached}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </Stack>
  );
}
