/** Who took part in an interaction — contacts on the customer's side, colleagues on ours — shown and edited in one card. */
import { useState } from 'react';
import { ActionIcon, Button, Card, Group, MultiSelect, Stack, Text } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../app/api.ts';
import { useUsers } from '../../app/data.ts';
import { FieldValue } from '../../ui/fields.tsx';
import { ENTITIES } from '../entities.ts';
import type { Rec } from '../records/RecordPage.tsx';

const PEOPLE = ENTITIES.interactions.fields.find((f) => f.key === 'participants')!;

export function ParticipantsCard({ record, save, readOnly }: { record: Rec; save: (p: Record<string, unknown>) => Promise<boolean>; readOnly?: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [contactIds, setContactIds] = useState<string[]>([]);
  const [userIds, setUserIds] = useState<string[]>([]);
  const users = useUsers();
  const people = useQuery({
    queryKey: ['contacts', 'of-account', record.accountId],
    queryFn: ({ signal }) => api<Page<Record<string, unknown> & { id: string }>>('/contacts', { query: { 'accountId[eq]': String(record.accountId), limit: 200, sort: 'fullName' }, signal }),
    enabled: editing && !!record.accountId,
  });
  return (
    <Card withBorder padding="md" data-testid="participants-card">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('field.participants')}</Text>
        {!readOnly && !editing && (
          <ActionIcon variant="subtle" aria-label={t('inline.edit', { field: t('field.participants') })} onClick={() => {
            setContactIds((record.contactIds as string[]) ?? []);
            setUserIds((record.userIds as string[]) ?? []);
            setEditing(true);
          }}><IconPencil size={14} /></ActionIcon>
        )}
      </Group>
      {editing ? (
        <Stack gap="xs">
          <MultiSelect label={t('field.contactIds')} searchable data={(people.data?.data ?? []).map((c) => ({ value: c.id, label: String(c.fullName) }))} value={contactIds} onChange={setContactIds} comboboxProps={{ withinPortal: true }} />
          <MultiSelect label={t('field.userIds')} searchable data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))} value={userIds} onChange={setUserIds} comboboxProps={{ withinPortal: true }} />
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
            <Button size="xs" onClick={() => void save({ contactIds, userIds }).then((ok) => ok && setEditing(false))}>{t('common.save')}</Button>
          </Group>
        </Stack>
      ) : (
        <FieldValue field={PEOPLE} value={record.participants} record={record} />
      )}
    </Card>
  );
}
