import { Anchor, Breadcrumbs, Group, Stack, Title } from '@mantine/core';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useBuyingCenter } from './data.ts';
import { OpportunityBuyingCenter } from './panels.tsx';
import { NS } from './i18n.ts';

/** /opportunities/:id/buying-center — the deal's buying center on a page of its own. */
export default function OpportunityBuyingCenterPage() {
  const { id } = useParams();
  const { t } = useTranslation([NS, 'translation']);
  const q = useBuyingCenter(id);
  const o = q.data?.opportunity;
  return (
    <Stack gap="md" p="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/opportunities" size="sm">{t('nav.opportunities', { ns: 'translation' })}</Anchor>
        {o ? <Anchor component={Link} to={`/opportunities/${o.id}`} size="sm">{o.name}</Anchor> : null}
        {o ? <Anchor component={Link} to={`/accounts/${o.accountId}/buying-center`} size="sm">{o.accountName}</Anchor> : null}
      </Breadcrumbs>
      <Group justify="space-between">
        <Title order={2}>{t('title.opportunity')}{o ? ` · ${o.name}` : ''}</Title>
      </Group>
      {id ? <OpportunityBuyingCenter opportunityId={id} /> : null}
    </Stack>
  );
}
