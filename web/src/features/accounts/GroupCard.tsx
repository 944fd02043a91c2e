/** The account's group (DOMAIN: accounts in a hierarchy): its parent, its subsidiaries, and deals, orders and share of wallet rolled up over all of them. */
import { Anchor, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatMoney, formatNumber, formatPercent } from '../../app/format.ts';
import type { AccountGroup } from '../../../../src/features/accounts/schemas.ts';

export function GroupCard({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const q = useQuery({ queryKey: ['accounts', accountId, 'group'], queryFn: ({ signal }) => api<AccountGroup>(`/accounts/${accountId}/group`, { signal }) });
  const g = q.data;
  // An account that is in no group has nothing to roll up: the card stays away.
  if (!g || (!g.parent && !g.children.length)) return null;
  const money = (v: string | null) => (v === null ? '—' : formatMoney(v, g.baseCurrency, lang, true));
  const figure = (label: string, own: string, group: string) => (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="sm" fw={600}>{group}</Text>
      <Text size="xs" c="dimmed">{t('group.ownShare', { own })}</Text>
    </div>
  );
  return (
    <Card withBorder padding="md" data-testid="group-card">
      <Text fw={600} mb="xs">{t('group.title', { count: g.group.accounts })}</Text>
      <Stack gap={6}>
        {g.parent && (
          <Group gap={6}>
            <Text size="sm" c="dimmed">{t('group.parent')}</Text>
            <Anchor component={Link} to={`/accounts/${g.parent.id}`} size="sm" data-testid="group-parent">{g.parent.name}</Anchor>
            {g.root.id !== g.parent.id && <Text size="xs" c="dimmed">({t('group.top')}: <Anchor component={Link} to={`/accounts/${g.root.id}`} size="xs">{g.root.name}</Anchor>)</Text>}
          </Group>
        )}
        {g.children.length > 0 && (
          <div>
            <Text size="sm" c="dimmed">{t('group.subsidiaries', { count: g.children.length })}</Text>
            {g.children.map((c) => (
              <Group key={c.id} justify="space-between" gap={6} wrap="nowrap">
                <Anchor component={Link} to={`/accounts/${c.id}`} size="sm" truncate data-testid="group-child">{c.name}</Anchor>
                <Text size="xs" c="dimmed">{money(c.figures.wonValue)}</Text>
              </Group>
            ))}
          </div>
        )}
        <SimpleGrid cols={2} spacing="xs" mt={4}>
          {figure(t('group.won'), money(g.own.wonValue), money(g.group.wonValue))}
          {figure(t('group.open'), money(g.own.openValue), money(g.group.openValue))}
          {figure(t('group.bought'), money(g.own.bought12m), money(g.group.bought12m))}
          {figure(t('group.share'), g.own.shareOfWallet === null ? '—' : formatPercent(g.own.shareOfWallet, lang), g.group.shareOfWallet === null ? '—' : formatPercent(g.group.shareOfWallet, lang))}
        </SimpleGrid>
        {g.group.foreignDeals > 0 && <Text size="xs" c="dimmed">{t('group.foreign', { count: g.group.foreignDeals, base: g.baseCurrency })}</Text>}
        <Text size="xs" c="dimmed">{t('group.deals', { open: formatNumber(g.group.openDeals, lang), won: formatNumber(g.group.wonDeals, lang) })}</Text>
      </Stack>
    </Card>
  );
}
