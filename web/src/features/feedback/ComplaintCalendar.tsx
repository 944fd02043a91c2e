/** Complaints by due date (a month grid, organization time) and complaints next to the accounts' engagement level. */
import { useMemo, useState } from 'react';
import { ActionIcon, Anchor, Badge, Card, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import type { calendarResponse, engagementComplaints } from '../../../../src/features/feedback/schemas.ts';
import { NS } from './i18n.ts';

type Calendar = z.infer<typeof calendarResponse>;
type ByEngagement = z.infer<typeof engagementComplaints>;

const monthKey = (d: Date) => d.toISOString().slice(0, 7);
const shift = (month: string, by: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return monthKey(new Date(Date.UTC(y, m - 1 + by, 1)));
};

export function ComplaintCalendar() {
  const { t, i18n } = useTranslation(NS);
  const [month, setMonth] = useState(() => monthKey(new Date()));
  const cal = useQuery({ queryKey: ['feedback', 'calendar', month], queryFn: ({ signal }) => api<Calendar>('/complaints/calendar', { query: { month }, signal }) }).data;
  const weeks = useMemo(() => {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const first = new Date(Date.UTC(y, m - 1, 1));
    const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
    // Weeks start on Monday, as in China.
    const lead = (first.getUTCDay() + 6) % 7;
    const cells: (string | null)[] = [...Array(lead).fill(null), ...Array.from({ length: days }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`)];
    while (cells.length % 7) cells.push(null);
    return Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  }, [month]);
  const byDate = new Map((cal?.days ?? []).map((d) => [d.date, d.items]));
  const weekday = (i: number) => new Intl.DateTimeFormat(i18n.language, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 10, 2 + i)));
  return (
    <Card withBorder padding="md" data-testid="complaint-calendar">
      <Group justify="space-between" mb="sm">
        <Text fw={600}>{t('calendar.title')}</Text>
        <Group gap={4}>
          <ActionIcon variant="subtle" onClick={() => setMonth(shift(month, -1))} aria-label={t('calendar.previous')}><IconChevronLeft size={16} /></ActionIcon>
          <Text size="sm" fw={500} w={80} ta="center" data-testid="calendar-month">{month}</Text>
          <ActionIcon variant="subtle" onClick={() => setMonth(shift(month, 1))} aria-label={t('calendar.next')}><IconChevronRight size={16} /></ActionIcon>
        </Group>
      </Group>
      <Table.ScrollContainer minWidth={760}>
        <Table withColumnBorders layout="fixed">
          <Table.Thead><Table.Tr>{Array.from({ length: 7 }, (_, i) => <Table.Th key={i} fz="xs">{weekday(i)}</Table.Th>)}</Table.Tr></Table.Thead>
          <Table.Tbody>
            {weeks.map((w, i) => (
              <Table.Tr key={i}>
                {w.map((date, j) => {
                  const items = date ? byDate.get(date) ?? [] : [];
                  return (
                    <Table.Td key={j} valign="top" h={84} bg={date ? undefined : 'gray.0'}>
                      {date && <Text size="xs" c="dimmed">{Number(date.slice(8))}</Text>}
                      <Stack gap={2}>
                        {items.slice(0, 3).map((c) => (
                          <Tooltip key={c.id} label={c.text} multiline w={260}>
                            <Anchor component={Link} to={`/feedback/${c.id}`} size="xs" lineClamp={1} c={c.overdue ? 'red.7' : c.open ? 'dark' : 'dimmed'} td={c.open ? undefined : 'line-through'}>
                              {c.accountName ?? c.personName ?? t('who.unknown')}
                            </Anchor>
                          </Tooltip>
                        ))}
                        {items.length > 3 && <Badge size="xs" variant="light" tt="none">{t('calendar.more', { n: items.length - 3 })}</Badge>}
                      </Stack>
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed" mt={4}>{t('calendar.legend')}</Text>
    </Card>
  );
}

export function EngagementComplaints() {
  const { t } = useTranslation(NS);
  const data = useQuery({ queryKey: ['feedback', 'by-engagement'], queryFn: ({ signal }) => api<ByEngagement>('/complaints/by-engagement', { signal }) }).data;
  if (!data) return null;
  const pct = (v: number | null) => (v === null ? '—' : `${v} %`);
  return (
    <Card withBorder padding="md" data-testid="engagement-complaints">
      <Text fw={600}>{t('engagement.title')}</Text>
      <Text size="xs" c="dimmed" mb="sm">{t('engagement.subtitle')}</Text>
      <Table.ScrollContainer minWidth={640}>
        <Table striped fz="sm">
          <Table.Thead><Table.Tr>
            {(['level', 'accounts', 'complaints', 'perAccount', 'open', 'onTime', 'net'] as const).map((k) => <Table.Th key={k}>{t(`engagement.${k}`)}</Table.Th>)}
          </Table.Tr></Table.Thead>
          <Table.Tbody>
            {data.levels.map((l) => (
              <Table.Tr key={l.level ?? 'none'}>
                <Table.Td>{t(`engagement.levels.${l.level ?? 'none'}`)}</Table.Td>
                <Table.Td>{l.accounts}</Table.Td><Table.Td>{l.complaints}</Table.Td><Table.Td>{l.complaintsPerAccount ?? '—'}</Table.Td>
                <Table.Td c={l.open ? 'orange.8' : undefined}>{l.open}</Table.Td><Table.Td>{pct(l.onTimePct)}</Table.Td>
                <Table.Td c={l.net === null ? 'dimmed' : l.net >= 0 ? 'green.8' : 'red.8'}>{l.net === null ? '—' : l.net.toFixed(2)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
