/**
 * Saved segments on the accounts list: save the list's filters and search as a segment (the
 * portfolio, stage goals and the funnel can then be narrowed to it), or show a segment's accounts by
 * loading its filters into the list.
 */
import { useState } from 'react';
import { Button, Menu, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconFilterStar } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { filtersToParams, paramsToFilters, type Filter } from '../../app/query.ts';
import { errorSummary, serverFieldErrors } from '../../ui/form.ts';
import { useSegments, type Segment } from './data.ts';
import { NS } from './i18n.ts';

export function SegmentMenu({ filters, q, onApply }: { filters: Filter[]; q: string; onApply: (filters: Filter[], q: string) => void }) {
  const { t } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const segments = useSegments();
  const params = filtersToParams(filters) as Record<string, string>;
  const empty = Object.keys(params).length === 0 && !q.trim();
  const save = useMutation({
    mutationFn: () => api<Segment>('/segments', { method: 'POST', body: { name, entity: 'account', definition: { filters: params, ...(q.trim() ? { q: q.trim() } : {}) } } }),
    onSuccess: (s) => {
      setOpen(false);
      setName('');
      notifications.show({ color: 'green', message: t('saved', { name: s.name }) });
      void qc.invalidateQueries({ queryKey: ['segments'] });
    },
    onError: (e) => {
      setError(serverFieldErrors(e, tc).name);
      notifications.show({ color: 'red', message: errorSummary(e, tc) });
    },
  });
  const apply = (s: Segment) => {
    onApply(paramsToFilters(s.definition.filters), s.definition.q ?? '');
    notifications.show({ color: 'blue', message: t('applied', { name: s.name }) });
  };

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button size="sm" variant="default" leftSection={<IconFilterStar size={16} />} rightSection={<IconChevronDown size={14} />} data-testid="segment-menu">{t('menu')}</Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => setOpen(true)} disabled={empty} data-testid="segment-save">{t('saveAs')}</Menu.Item>
          {empty && <Text size="xs" c="dimmed" px="sm" maw={260}>{t('nothingToSave')}</Text>}
          <Menu.Divider />
          <Menu.Label>{t('apply')}</Menu.Label>
          {!segments.data?.length && <Text size="xs" c="dimmed" px="sm">{t('none')}</Text>}
          {segments.data?.map((s) => <Menu.Item key={s.id} onClick={() => apply(s)}>{s.name}</Menu.Item>)}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('saveAs')}>
        <Stack>
          <Text size="sm" c="dimmed">{t('nameHint')}</Text>
          <TextInput label={t('name')} value={name} onChange={(e) => (setName(e.currentTarget.value), setError(undefined))} error={error} data-autofocus data-testid="segment-name" />
          <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!name.trim()} data-testid="segment-save-confirm">{t('save')}</Button>
        </Stack>
      </Modal>
    </>
  );
}
