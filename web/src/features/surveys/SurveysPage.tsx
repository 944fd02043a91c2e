/** The organization's surveys; managers create one in a language of their choice (it starts from the item bank). */
import { useState } from 'react';
import { Anchor, Button, Card, Group, Modal, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconSettings } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth.tsx';
import { LANGUAGES } from '../../../../src/features/surveys/rules.ts';
import { useCreateSurvey, useSurveys } from './data.ts';
import { NS } from './i18n.ts';

export default function SurveysPage() {
  const { t, i18n } = useTranslation(NS);
  const { user } = useSession();
  const navigate = useNavigate();
  const list = useSurveys();
  const create = useCreateSurvey();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [language, setLanguage] = useState<string>(LANGUAGES.includes(i18n.language as never) ? i18n.language : 'en');
  const manager = user.role === 'admin' || user.role === 'manager';
  const rows = list.data?.data ?? [];
  return (
    <Stack p="md" gap="md" data-testid="surveys-page">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('list.title')}</Title>
          <Text c="dimmed" size="sm">{t('list.subtitle')}</Text>
        </div>
        <Group>
        <Button variant="default" component={Link} to="/surveys/settings" leftSection={<IconSettings size={16} />} data-testid="survey-settings">{t('settings.open')}</Button>
        {manager && <Button leftSection={<IconPlus size={16} />} onClick={() => { setName(t('list.defaultName')); setOpen(true); }} data-testid="survey-new">{t('list.new')}</Button>}
        </Group>
      </Group>
      <Card withBorder padding={0}>
        {rows.length === 0 ? <Text p="md" c="dimmed">{t('list.empty')}</Text> : (
          <Table highlightOnHover>
            <Table.Thead><Table.Tr><Table.Th>{t('list.name')}</Table.Th><Table.Th>{t('list.language')}</Table.Th><Table.Th>{t('detail.state')}</Table.Th><Table.Th>{t('list.version')}</Table.Th><Table.Th ta="right">{t('list.links')}</Table.Th><Table.Th ta="right">{t('list.completed')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {rows.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td><Anchor component={Link} to={`/surveys/${s.id}`}>{s.name}</Anchor></Table.Td>
                  <Table.Td>{t(`language.${s.language}`)}</Table.Td>
                  <Table.Td>{t(`status.${s.status}`)}</Table.Td>
                  <Table.Td>{s.currentVersion?.number ?? '—'}</Table.Td>
                  <Table.Td ta="right">{s.recipients}</Table.Td>
                  <Table.Td ta="right">{s.completed}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('list.new')}>
        <form onSubmit={(e) => { e.preventDefault(); create.mutate({ name, language }, { onSuccess: (s) => navigate(`/surveys/${s.id}`) }); }}>
          <Stack>
            <TextInput label={t('list.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required data-testid="survey-name" />
            <div>
              <Text size="sm" fw={500} mb={4}>{t('list.language')}</Text>
              <SegmentedControl value={language} onChange={setLanguage} data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))} data-testid="survey-language" />
            </div>
            {create.error && <Text c="red" size="sm">{create.error.message}</Text>}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>{t('list.cancel')}</Button>
              <Button type="submit" loading={create.isPending} data-testid="survey-create">{t('list.create')}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
