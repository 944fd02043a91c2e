/** Open alerts (supplier status falls…) with acknowledge; org-wide on the funnel page, per account on the account page. */
import { Anchor, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth.tsx';
import { useVocabLabel } from '../../app/data.ts';
import { formatRelative } from '../../app/format.ts';
import { useAckAlert, useAlerts } from './data.ts';
import { NS } from './i18n.ts';

const COLOR = { info: 'gray', warning: 'orange', critical: 'red' } as const;

export function AlertsCard({ accountId, hideWhenEmpty = false }: { accountId?: string; hideWhenEmpty?: boolean }) {
  const { t, i18n } = useTranslation(NS);
  const { user } = useSession();
  const label = useVocabLabel();
  const alerts = useAlerts({ accountId }).data ?? [];
  const ack = useAckAlert();
  if (hideWhenEmpty && !alerts.length) return null;
  return (
    <Card withBorder padding="md" data-testid="alerts-card">
      <Group gap={6} mb="sm"><IconAlertTriangle size={18} /><Text fw={600}>{t('alerts.title')}</Text>{alerts.length > 0 && <Badge color="red">{alerts.length}</Badge>}</Group>
      {!alerts.length && <Text size="sm" c="dimmed">{t('alerts.none')}</Text>}
      <Stack gap="xs">
        {alerts.map((a) => {
          const field = String(a.data.field ?? 'supplier_status');
          const text = t(`alerts.${a.kind}`, { from: label(field, a.data.from), to: label(field, a.data.to), defaultValue: a.kind });
          return (
            <Group key={a.id} justify="space-between" wrap="nowrap" align="flex-start">
              <div style={{ minWidth: 0 }}>
                <Group gap={6} wrap="nowrap">
                  <Badge size="xs" color={COLOR[a.severity]} style={{ flexShrink: 0 }}>{t(`alerts.severity.${a.severity}`)}</Badge>
                  {!accountId && a.accountId && <Anchor component={Link} to={`/accounts/${a.accountId}`} size="sm" fw={600} truncate>{a.accountName}</Anchor>}
                </Group>
                <Text size="sm">{text}</Text>
                <Text size="xs" c="dimmed">{formatRelative(a.createdAt, i18n.language)}</Text>
              </div>
              {user.role !== 'viewer' && <Button size="compact-xs" variant="light" style={{ flexShrink: 0 }} onClick={() => ack.mutate(a.id)} loading={ack.isPending && ack.variables === a.id}>{t('alerts.ack')}</Button>}
            </Group>
          );
        })}
      </Stack>
    </Card>
  );
}
