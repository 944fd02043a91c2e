import { Suspense } from 'react';
import { Stack, Tabs, Title } from '@mantine/core';
import { IconForms, IconKey, IconList, IconShieldLock, IconUsers } from '@tabler/icons-react';
import { useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { UsersTab } from './UsersTab.tsx';
import { TokensTab } from './TokensTab.tsx';
import { VocabulariesTab } from './VocabulariesTab.tsx';
import { CustomFieldsTab } from './CustomFieldsTab.tsx';
import { SecurityTab } from './SecurityTab.tsx';
import { PageSkeleton } from '../../ui/PageSkeleton.tsx';

export default function AdminPage() {
  const { t } = useTranslation();
  const { tab = 'users' } = useParams();
  const navigate = useNavigate();
  return (
    <Stack p="md" gap="sm">
      <Title order={2} size="h3">{t('nav.admin')}</Title>
      <Tabs value={tab} onChange={(v) => navigate(`/admin/${v ?? 'users'}`)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="users" leftSection={<IconUsers size={16} />}>{t('admin.users')}</Tabs.Tab>
          <Tabs.Tab value="tokens" leftSection={<IconKey size={16} />}>{t('admin.tokens')}</Tabs.Tab>
          <Tabs.Tab value="vocabularies" leftSection={<IconList size={16} />}>{t('admin.vocabularies')}</Tabs.Tab>
          <Tabs.Tab value="custom-fields" leftSection={<IconForms size={16} />}>{t('admin.customFields')}</Tabs.Tab>
          <Tabs.Tab value="security" leftSection={<IconShieldLock size={16} />}>{t('admin.security')}</Tabs.Tab>
        </Tabs.List>
        <Suspense fallback={<PageSkeleton />}>
          <Tabs.Panel value="users" pt="md"><UsersTab /></Tabs.Panel>
          <Tabs.Panel value="tokens" pt="md"><TokensTab /></Tabs.Panel>
          <Tabs.Panel value="vocabularies" pt="md"><VocabulariesTab /></Tabs.Panel>
          <Tabs.Panel value="custom-fields" pt="md"><CustomFieldsTab /></Tabs.Panel>
          <Tabs.Panel value="security" pt="md"><SecurityTab /></Tabs.Panel>
        </Suspense>
      </Tabs>
    </Stack>
  );
}
