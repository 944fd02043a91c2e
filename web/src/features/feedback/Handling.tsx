/**
 * Problems resolved (DOMAIN §8 integrity) from complaint handling: beside the survey's engagement level on
 * the account page, and per survey level on the engagement page. Always labelled as derived from complaints:
 * the survey's score stays what the customers answered.
 */
import { Alert, Anchor, Badge, Card, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import { api } from '../../app/api.ts';
import type { accountHandlingResponse, handlingOverviewResponse } from '../../../../src/features/feedback/schemas.ts';
import { HANDLING_LEVELS } from '../../../../src/features/feedback/rules.ts';
import { NS } from './i18n.ts';

type AccountHandling = z.infer<typeof accountHandlingResponse>;
type Overview = z.infer<typeof handlingOverviewResponse>;

export const HANDLING_COLOR: Record<(typeof HANDLING_LEVELS)[number], string> = { none: 'gray', in_progress: 'blue', good: 'teal', mixed: 'yellow', at_risk: 'red' };
const SURVEY_LEVELS = ['fully_engaged', 'engaged', 'not_engaged', 'actively_disengaged', null] as const;

export function HandlingBadge({ level, testId }: { level: (typeof HANDLING_LEVELS)[number]; testId?: string }) {
  const { t } = useTranslation(NS);
  return <Badge color={HANDLING_COLOR[level]} variant="light" tt="none" data-testid={testId}>{t(`handling.level.${level}`)}</Badge>;
}

/** The account's handling, under its survey level (the account page's engagement card). */
export function HandlingBeside({ accountId }: { accountId: string }) {
  const { t } = useTranslation(NS);
  const h = useQuery({ queryKey: ['feedback', 'handling', accountId], queryFn: ({ signal }) => api<AccountHandling>(`/accounts/${accountId}/complaint-handling`, { signal }) }).data;
  if (!h) return null;
  const c = h.counts;
  const parts = (['on_time', 'late', 'rejected', 'closed_unresolved', 'open', 'open_overdue'] as const).filter((k) => c[k] > 0).map((k) => t(`handling.count.${k}`, { count: c[k] }));
  return (
    <Stack gap={4} mt="xs" data-testid="account-handling">
      <Group justify="space-between" wrap="nowrap">
        <Tooltip label={t('handling.explain')} multiline w={300}><Text size="sm">{t('handling.title')}</Text></Tooltip>
        <HandlingBadge level={h.level} testId="account-handling-level" />
      </Group>
      <Text size="xs" c="dimmed">{t('handling.derived', { days: h.windowDays })}</Text>
      {parts.length > 0 && <Text size="xs" data-testid="account-handling-counts">{parts.join(' · ')}</Text>}
      {h.onTimeShare !== null && <Text size="xs" c="dimmed">{t('handling.share', { pct: Math.round(h.onTimeShare * 100), n: h.settled })}</Text>}
      {h.conflictsWithSurvey && (
        <Alert color="orange" p="xs" icon={<IconAlertTriangle size={16} />} data-testid="account-handling-conflict">
          <Text size="xs">{t('handling.conflict')}</Text>
        </Alert>
      )}
      {h.keyAccount && c.open_overdue > 0 && <Text size="xs" c="red" fw={600} data-testid="account-handling-key">{t('handling.keyOverdue', { count: c.open_overdue })}</Text>}
    </Stack>
  );
}

/** The engagement page's card: accounts per survey level × handling, where they disagree, key accounts with overdue complaints. */
export function HandlingOverview() {
  const { t } = useTranslation(NS);
  const o = useQuery({ queryKey: ['feedback', 'handling-overview'], queryFn: ({ signal }) => api<Overview>('/complaints/handling', { signal }) }).data;
  if (!o) return null;
  return (
    <Card withBorder data-testid="handling-overview">
      <Text fw={600}>{t('handling.overviewTitle')}</Text>
      <Text size="xs" c="dimmed" mb="sm">{t('handling.overviewSubtitle', { days: o.windowDays })}</Text>
      <Table.ScrollContainer minWidth={560}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('handling.surveyLevel')}</Table.Th>
              {HANDLING_LEVELS.map((h) => <Table.Th key={h} ta="right"><HandlingBadge level={h} /></Table.Th>)}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {SURVEY_LEVELS.map((level) => {
              const r = o.rows.find((x) => x.surveyLevel === level);
              return (
                <Table.Tr key={String(level)}>
                  <Table.Td>{t(`engagement.levels.${level ?? 'none'}`)}</Table.Td>
                  {HANDLING_LEVELS.map((h) => <Table.Td key={h} ta="right" data-testid={`handling-${level ?? 'none'}-${h}`}>{r?.[h] ?? 0}</Table.Td>)}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {o.conflicts.length > 0 && (
        <Stack gap={4} mt="sm" data-testid="handling-conflicts">
          <Text size="sm" fw={600}>{t('handling.conflictsTitle')}</Text>
          {o.conflicts.map((a) => (
            <Group key={a.accountId} gap="xs">
              <Anchor component={Link} to={`/accounts/${a.accountId}`} size="sm">{a.name}</Anchor>
              <Text size="xs" c="dimmed">{t(`engagement.levels.${a.surveyLevel}`)} · {t('handling.count.open_overdue', { count: a.openOverdue })}</Text>
            </Group>
          ))}
        </Stack>
      )}
      {o.keyAccountsOverdue.length > 0 && (
        <Stack gap={4} mt="sm" data-testid="handling-key-overdue">
          <Text size="sm" fw={600} c="red">{t('handling.keyTitle')}</Text>
          {o.keyAccountsOverdue.map((a) => (
            <Group key={a.accountId} gap="xs">
              <Anchor component={Link} to={`/accounts/${a.accountId}`} size="sm">{a.name}</Anchor>
              <Text size="xs" c="dimmed">{t('handling.count.open_overdue', { count: a.openOverdue })}</Text>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}
