import { useState } from 'react';
import { Badge, Button, Card, Group, Modal, PasswordInput, Select, Stack, Switch, Table, Text, TextInput, Skeleton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconUpload, IconUserPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { useUsers, type UserSummary } from '../../app/data.ts';
import { LOCALES } from '../../app/format.ts';
import { useSession } from '../../app/auth.tsx';
import { QueryError } from '../../ui/ErrorBoundary.tsx';
import { compact, errorSummary, useZodForm } from '../../ui/form.ts';
import type { z } from 'zod';
import { userCreate, type teamImportResult } from '../../../../src/features/users/schemas.ts';
import { teamFileRows } from '../../../../src/features/users/team-file.ts';
import { decodeBytes, parseCsvHead } from '../imports/parse.ts';

type TeamResult = z.infer<typeof teamImportResult>;

/** A team file (CSV of the people of an office): read here, sent as rows; people who match no user become inactive users without a login. */
function TeamImportButton() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [result, setResult] = useState<TeamResult | null>(null);
  const m = useMutation({
    mutationFn: async (file: File) => {
      const { text } = decodeBytes(new Uint8Array(await file.arrayBuffer()));
      const { headers, rows } = parseCsvHead(text, 5000);
      return api<TeamResult>('/users/import', { method: 'POST', body: { members: teamFileRows([headers, ...rows]) } });
    },
    onSuccess: (r) => {
      setResult(r);
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
    onError: (e) => notifications.show({ color: 'red', message: errorSummary(e, t) }),
  });
  return (
    <>
      <Button size="xs" variant="light" component="label" leftSection={<IconUpload size={14} />} loading={m.isPending} data-testid="team-import">
        {t('admin.importTeam')}
        <input type="file" accept=".csv,text/csv" hidden onChange={(e) => { const f = e.currentTarget.files?.[0]; if (f) m.mutate(f); e.currentTarget.value = ''; }} />
      </Button>
      <Modal opened={!!result} onClose={() => setResult(null)} title={t('admin.importTeam')}>
        {result && (
          <Stack gap="xs" data-testid="team-import-result">
            <Text size="sm">{t('admin.teamResult', { created: result.created.length, existing: result.existing.length })}</Text>
            {result.created.length > 0 && <Text size="xs" c="dimmed">{t('admin.teamCreatedHint')}</Text>}
            {result.ambiguous.map((a) => <Text key={a.line} size="sm" c="orange.8">{t('admin.teamAmbiguous', { line: a.line, name: a.name, candidates: a.candidates.join(', ') })}</Text>)}
          </Stack>
        )}
      </Modal>
    </>
  );
}
import { ROLES } from '../../../../src/features/vocabularies/defaults.ts';

function NewUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const form = useZodForm(userCreate, { email: '', name: '', role: 'rep', department: '', team: '', locale: 'en', password: '' }, t);
  const m = useMutation({
    mutationFn: (body: Record<string, unknown>) => api('/users', { method: 'POST', body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['users'] });
      notifications.show({ color: 'green', message: t('admin.userCreated') });
      form.reset({ email: '', name: '', role: 'rep', department: '', team: '', locale: 'en', password: '' });
      onClose();
    },
    onError: (e) => {
      form.setServerError(e);
      notifications.show({ color: 'red', message: errorSummary(e, t) });
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('admin.newUser')}>
      <form onSubmit={(e) => { e.preventDefault(); if (form.validate()) m.mutate(compact(form.values)); }} noValidate>
        <Stack gap="sm">
          <TextInput label={t('field.fullName')} value={form.values.name} onChange={(e) => form.set('name', e.currentTarget.value)} error={form.errorOf('name')} required autoFocus />
          <TextInput label={t('field.email')} type="email" value={form.values.email} onChange={(e) => form.set('email', e.currentTarget.value)} error={form.errorOf('email')} required />
          <Group grow>
            <Select label={t('admin.role')} data={ROLES.map((r) => ({ value: r, label: t(`enum.role.${r}`) }))} value={form.values.role} onChange={(v) => form.set('role', v ?? 'rep')} error={form.errorOf('role')} required />
            <Select label={t('field.language')} data={LOCALES} value={form.values.locale} onChange={(v) => form.set('locale', v ?? 'en')} />
          </Group>
          <Group grow>
            <TextInput label={t('field.department')} value={form.values.department} onChange={(e) => form.set('department', e.currentTarget.value)} error={form.errorOf('department')} />
            <TextInput label={t('admin.team')} value={form.values.team} onChange={(e) => form.set('team', e.currentTarget.value)} error={form.errorOf('team')} />
          </Group>
          <PasswordInput label={t('login.password')} value={form.values.password} onChange={(e) => form.set('password', e.currentTarget.value)} error={form.errorOf('password')} required description={t('admin.passwordHint')} visibilityToggleButtonProps={{ 'aria-label': t('login.togglePassword') }} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={m.isPending}>{t('common.create')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function UsersTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { user: me } = useSession();
  const users = useUsers();
  const [open, setOpen] = useState(false);
  const patch = useMutation({
    mutationFn: ({ u, body }: { u: UserSummary; body: Record<string, unknown> }) => api(`/users/${u.id}`, { method: 'PATCH', body, ifMatch: u.version }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['users'] }),
    onError: (e) => {
      notifications.show({ color: 'red', message: (e as Error).message });
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const isAdmin = me.role === 'admin';
  return (
    <Card withBorder padding={0}>
      <Group justify="space-between" p="sm">
        <Group gap="xs"><Text fw={600}>{t('admin.users')}</Text><Badge variant="light" color="gray">{users.data?.length ?? 0}</Badge></Group>
        {isAdmin && (
          <Group gap="xs">
            <TeamImportButton />
            <Button size="xs" leftSection={<IconUserPlus size={14} />} onClick={() => setOpen(true)}>{t('admin.newUser')}</Button>
          </Group>
        )}
      </Group>
      {users.isLoading ? <Skeleton h={200} m="sm" /> : users.isError ? <QueryError error={users.error} onRetry={() => void users.refetch()} /> : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing={6} fz="sm" striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('field.fullName')}</Table.Th><Table.Th>{t('field.email')}</Table.Th><Table.Th>{t('admin.role')}</Table.Th>
                <Table.Th>{t('field.department')}</Table.Th><Table.Th>{t('admin.team')}</Table.Th><Table.Th>{t('admin.active')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(users.data ?? []).map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td fw={500}>{u.name}</Table.Td>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>
                    <Select size="xs" w={140} data={ROLES.map((r) => ({ value: r, label: t(`enum.role.${r}`) }))} value={u.role} disabled={!isAdmin || u.id === me.id}
                      onChange={(v) => v && patch.mutate({ u, body: { role: v } })} aria-label={t('admin.roleOf', { name: u.name })} />
                  </Table.Td>
                  <Table.Td>{u.department ?? '—'}</Table.Td>
                  <Table.Td>{u.team ?? '—'}</Table.Td>
                  <Table.Td>
                    <Switch checked={u.active !== false} disabled={!isAdmin || u.id === me.id} onChange={(e) => patch.mutate({ u, body: { active: e.currentTarget.checked } })} aria-label={t('admin.activeOf', { name: u.name })} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <NewUserModal opened={open} onClose={() => setOpen(false)} />
    </Card>
  );
}
