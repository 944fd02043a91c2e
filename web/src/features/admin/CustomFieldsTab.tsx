import { useState } from 'react';
import { Badge, Button, Card, Checkbox, Group, Modal, Select, Stack, Table, TagsInput, Text, TextInput, ActionIcon, Skeleton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { customLabel, useCustomFields } from '../../app/data.ts';
import { compact, useZodForm } from '../../ui/form.ts';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { QueryError } from '../../ui/ErrorBoundary.tsx';
import { CUSTOM_ENTITIES, customFieldCreate } from '../../../../src/features/custom-fields/schemas.ts';

const TYPES = ['text', 'number', 'date', 'select', 'multiselect', 'boolean'] as const;

function NewFieldModal({ entity, opened, onClose }: { entity: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const initial = { entity, key: '', type: 'text', required: false, options: [] as string[], label: { en: '', 'zh-CN': '', 'zh-TW': '' } };
  const form = useZodForm(customFieldCreate, initial, t);
  const m = useMutation({
    mutationFn: () => {
      const v = form.values;
      return api('/custom-fields', {
        method: 'POST',
        body: { entity, key: v.key, type: v.type, required: v.required, label: compact(v.label), ...(v.options.length ? { options: v.options } : {}) },
      });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['custom-fields'] });
      form.reset(initial);
      onClose();
    },
    onError: (e) => {
      form.setServerError(e);
      notifications.show({ color: 'red', message: (e as Error).message });
    },
  });
  const v = form.values;
  const setLabel = (l: string, s: string) => form.set('label', { ...v.label, [l]: s });
  const needsOptions = v.type === 'select' || v.type === 'multiselect';
  return (
    <Modal opened={opened} onClose={onClose} title={t('admin.newField')}>
      <form onSubmit={(e) => { e.preventDefault(); if (form.validate()) m.mutate(); }} noValidate>
        <Stack gap="sm">
          <TextInput label={t('admin.key')} description={t('admin.keyHint')} value={v.key} onChange={(e) => form.set('key', e.currentTarget.value)} error={form.errorOf('key')} required autoFocus />
          <TextInput label={`${t('admin.label')} (English)`} value={v.label.en} onChange={(e) => setLabel('en', e.currentTarget.value)} error={form.errorOf('label.en') ?? form.errorOf('label')} required />
          <Group grow>
            <TextInput label={`${t('admin.label')} (简体中文)`} value={v.label['zh-CN']} onChange={(e) => setLabel('zh-CN', e.currentTarget.value)} lang="zh-CN" />
            <TextInput label={`${t('admin.label')} (繁體中文)`} value={v.label['zh-TW']} onChange={(e) => setLabel('zh-TW', e.currentTarget.value)} lang="zh-TW" />
          </Group>
          <Select label={t('admin.fieldType')} data={TYPES.map((x) => ({ value: x, label: t(`admin.type.${x}`) }))} value={v.type} onChange={(x) => form.set('type', x ?? 'text')} />
          {needsOptions && <TagsInput label={t('admin.options')} value={v.options} onChange={(x) => form.set('options', x)} error={form.errorOf('options')} />}
          <Checkbox label={t('admin.required')} checked={v.required} onChange={(e) => form.set('required', e.currentTarget.checked)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={m.isPending}>{t('common.create')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function CustomFieldsTab() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [entity, setEntity] = useState<string>('account');
  const [open, setOpen] = useState(false);
  const fields = useCustomFields(entity);
  const del = useMutation({
    mutationFn: (id: string) => api(`/custom-fields/${id}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['custom-fields'] }),
    onError: (e) => notifications.show({ color: 'red', message: (e as Error).message }),
  });
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Select label={t('admin.entity')} data={CUSTOM_ENTITIES.map((e) => ({ value: e, label: t(`admin.entityName.${e}`) }))} value={entity} onChange={(v) => v && setEntity(v)} w={240} />
        <Button leftSection={<IconPlus size={16} />} onClick={() => setOpen(true)}>{t('admin.newField')}</Button>
      </Group>
      <Card withBorder padding={0}>
        {fields.isLoading ? <Skeleton h={120} m="sm" /> : fields.isError ? <QueryError error={fields.error} onRetry={() => void fields.refetch()} /> : !fields.data?.length ? (
          <EmptyState title={t('admin.noFields')} description={t('admin.noFieldsHint')} />
        ) : (
          <Table verticalSpacing={6} fz="sm">
            <Table.Thead>
              <Table.Tr><Table.Th>{t('admin.key')}</Table.Th><Table.Th>{t('admin.label')}</Table.Th><Table.Th>{t('admin.fieldType')}</Table.Th><Table.Th>{t('admin.options')}</Table.Th><Table.Th>{t('admin.required')}</Table.Th><Table.Th /></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {fields.data.map((f) => (
                <Table.Tr key={f.id}>
                  <Table.Td><Text size="xs" ff="monospace">{f.key}</Text></Table.Td>
                  <Table.Td>{customLabel(f.label, i18n.language, f.key)}</Table.Td>
                  <Table.Td><Badge variant="light" tt="none">{t(`admin.type.${f.type}`)}</Badge></Table.Td>
                  <Table.Td>{f.options.join(', ') || '—'}</Table.Td>
                  <Table.Td>{f.required ? t('common.yes') : t('common.no')}</Table.Td>
                  <Table.Td><ActionIcon color="red" variant="subtle" onClick={() => del.mutate(f.id)} aria-label={t('common.delete')}><IconTrash size={16} /></ActionIcon></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <NewFieldModal key={entity} entity={entity} opened={open} onClose={() => setOpen(false)} />
    </Stack>
  );
}
