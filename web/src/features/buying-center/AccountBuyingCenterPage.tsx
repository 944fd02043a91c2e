import { Anchor, Breadcrumbs, Stack, Title } from '@mantine/core';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAccountBuyingCenter } from './data.ts';
import { AccountBuyingCenter } from './panels.tsx';
import { NS } from './i18n.ts';

/** /accounts/:id/buying-center — the merged buying center of the account's open deals and the matrix. */
export default function AccountBuyingCenterPage() {
  const { id } = useParams();
  const { t } = useTranslation([NS, 'translation']);
  const q = useAccountBuyingCenter(id);
  const a = q.data?.account;
  return (
    <Stack gap="md" p="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/accounts" size="sm">{t('nav.accounts', { ns: 'translation' })}</Anchor>
        {a ? <Anchor component={Link} to={`/accounts/${a.id}`} size="sm">{a.name}</Anchor> : null}
      </Breadcrumbs>
      <Title order={2}>{t('title.account')}{a ? ` · ${a.name}` : ''}</Title>
      {id ? <AccountBuyingCenter accountId={id} /> : null}
    </Stack>
  );
}
