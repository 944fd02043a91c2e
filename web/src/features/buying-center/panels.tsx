/**
 * The buying center of a deal and of an account as embeddable panels: the opportunity and account
 * pages can show them in a tab (`lazy(() => import('../buying-center/panels.tsx'))`), and the
 * feature's own pages wrap them.
 */
import { useState } from 'react';
import { Anchor, Badge, Card, Grid, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useVocabLabel, useVocabOptions } from '../../app/data.ts';
import { formatRelative } from '../../app/format.ts';
import { QueryError } from '../../ui/ErrorBoundary.tsx';
import { BuyingCenterMap } from './BuyingCenterMap.tsx';
import { useAccountBuyingCenter, useBuyingCenter } from './data.ts';
import { GapsList, LinksCard, MatrixCard, MembersTable, ModelBadge, ScoreRing } from './parts.tsx';
import { NS } from './i18n.ts';

export function OpportunityBuyingCenter({ opportunityId }: { opportunityId: string }) {
  const { t } = useTranslation(NS);
  const vocab = useVocabLabel();
  const roleOrder = useVocabOptions('buying_role', true).map((o) => o.value);
  const q = useBuyingCenter(opportunityId);
  const [selected, setSelected] = useState<string | null>(null);
  if (q.isLoading) return <Skeleton h={420} />;
  if (q.isError || !q.data) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const bc = q.data;
  return (
    <Stack gap="md" data-testid="opportunity-buying-center">
      <Card withBorder padding="md">
        <Group justify="space-between" wrap="wrap">
          <Group gap="lg">
            <ScoreRing score={bc.coverage.score} />
            <Stack gap={4}>
              <Text size="xs" c="dimmed">{t('situation')}</Text>
              <Text fw={600}>{bc.opportunity.buyingSituation ? vocab('buying_situation', bc.opportunity.buyingSituation) : t('situationUnknown')}</Text>
            </Stack>
          </Group>
          <ModelBadge model={bc.matrix.model} />
        </Group>
      </Card>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Card withBorder padding="md">
            <Text fw={600} mb="xs">{t('map.title')}</Text>
            {bc.members.length === 0 ? <Text size="sm" c="dimmed" py="xl" ta="center">{t('map.empty')}</Text> : (
              <BuyingCenterMap members={bc.members.map((m) => ({ ...m, name: m.contactName }))} links={bc.links} roleOrder={roleOrder} onSelect={setSelected} />
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <GapsList gaps={bc.coverage.gaps} members={bc.members} onSelect={setSelected} />
        </Grid.Col>
      </Grid>
      <MembersTable opportunityId={bc.opportunity.id} accountId={bc.opportunity.accountId} members={bc.members} selected={selected} onSelect={setSelected} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}><MatrixCard matrix={bc.matrix} roleOrder={roleOrder} /></Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}><LinksCard links={bc.links} /></Grid.Col>
      </Grid>
    </Stack>
  );
}

export function AccountBuyingCenter({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation(NS);
  const vocab = useVocabLabel();
  const roleOrder = useVocabOptions('buying_role', true).map((o) => o.value);
  const q = useAccountBuyingCenter(accountId);
  if (q.isLoading) return <Skeleton h={420} />;
  if (q.isError || !q.data) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const bc = q.data;
  return (
    <Stack gap="md" data-testid="account-buying-center">
      <Card withBorder padding={0}>
        <Group p="sm" gap="xs"><Text fw={600}>{t('openDeals')}</Text><Badge variant="light" color="gray">{bc.opportunities.length}</Badge></Group>
        <Table verticalSpacing={6}>
          <Table.Tbody>
            {bc.opportunities.map((o) => (
              <Table.Tr key={o.id}>
                <Table.Td><Anchor component={Link} to={`/opportunities/${o.id}/buying-center`} size="sm" fw={600}>{o.name}</Anchor></Table.Td>
                <Table.Td><Text size="sm">{o.buyingSituation ? vocab('buying_situation', o.buyingSituation) : '—'}</Text></Table.Td>
                <Table.Td><Badge color={o.score >= 75 ? 'teal' : o.score >= 50 ? 'yellow' : 'red'} variant="light">{t('score')} {o.score}</Badge></Table.Td>
                <Table.Td><Text size="sm" c="dimmed">{t('gapsCount', { count: o.gaps })}</Text></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder padding="md">
        <Text fw={600} mb="xs">{t('map.title')}</Text>
        {bc.members.length === 0 ? <Text size="sm" c="dimmed" py="xl" ta="center">{t('map.empty')}</Text> : (
          <BuyingCenterMap members={bc.members.map((m) => ({ ...m, id: m.contactId, name: m.contactName }))} links={bc.links} roleOrder={roleOrder} height={500} />
        )}
      </Card>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}><MatrixCard matrix={bc.matrix} roleOrder={roleOrder} /></Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder padding="md">
            <Text fw={600} mb="xs">{t('members.title')}</Text>
            <Stack gap={6}>
              {bc.members.map((m) => (
                <Group key={m.contactId} justify="space-between" wrap="nowrap">
                  <Stack gap={0}>
                    <Anchor component={Link} to={`/contacts/${m.contactId}`} size="sm">{m.contactName}</Anchor>
                    <Text size="xs" c="dimmed">{m.roles.map((r) => vocab('buying_role', r)).join(', ')} · {t(`attitude.${m.attitude}`)} · {m.coverers.map((c) => c.name).join(', ') || '—'}</Text>
                  </Stack>
                  <Text size="xs" c={m.lastReachedAt ? 'dimmed' : 'red'}>{m.lastReachedAt ? formatRelative(m.lastReachedAt, i18n.language) : t('members.never')}</Text>
                </Group>
              ))}
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

export default OpportunityBuyingCenter;
