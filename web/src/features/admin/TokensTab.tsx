import { useState } from 'react';
import { Alert, Badge, Button, Card, Code, CopyButton, Group, SegmentedControl, Stack, Table, Text, TextInput, Skeleton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatDateTime } from '../../app/format.ts';
import { useUserName } from '../../app/data.ts';
import { QueryError } from '../../ui/ErrorBoundary.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { zodFieldErrors } from '../../ui/form.ts';
import { tokenCreate } from '../../../../src/features/users/schemas.ts';

type Token = { id: string; userId: string; name: string; prefix: string; scope: 'read' | 'full'; createdAt: string; lastUsedAt: string | null; expiresAt: string | null; revokedAt: string | null };

export function TokensTab() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const userName = useUserName();
  const [name, setName] = useState('');
  // Full by default, like the API: a read-only token is a deliberate choice for dashboards and exports.
  const [scope, setScope] = useState<'read' | 'full'>('full');
  const [secret, setSecret] = useState<string | null>(null);
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: async () => (await api<{ data: Token[] }>('/tokens')).data });
  const nameError = name ? zodFieldErrors(tokenCreate, { name }, t).name : undefined;
  const create = useMutation({
    mutationFn: () => api<Token & { token: string }>('/tokens', { method: 'POST', body: { name: name.trim(), scope } }),
    onSuccess: (tok) => {
      setSecret(tok.token);
      setName('');
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: (e) => notifications.show({ color: 'red', message: (e as Error).message }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['tokens'] }),
    onError: (e) => notifications.show({ color: 'red', message: (e as Error).message }),
  });
  const lang = i18n.language;
  return (
    <Stack>
      <Card withBorder>
        <form onSubmit={(e) => { e.preventDefault(); if (name.trim() && !nameError) create.mutate(); }}>
          <Group align="flex-end">
            <TextInput label={t('admin.tokenName')} placeholder={t('admin.tokenNamePlaceholder')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameError} style={{ flex: 1 }} maw={360} />
            <Stack gap={4}>
              <Text size="sm" fw={500}>{t('admin.tokenScope')}</Text>
              <SegmentedControl
                value={scope} onChange={(v) => setScope(v as 'read' | 'full')} data-testid="token-scope"
                data={[{ value: 'full', label: t('admin.scope.full') }, { value: 'read', label: t('admin.scope.read') }]}
              />
            </Stack>
            <Button type="submit" leftSection={<IconKey size={16} />} loading={create.isPending} disabled={!name.trim()}>{t('admin.createToken')}</Button>
          </Group>
        </form>
        {secret && (
          <Alert color="green" mt="md" title={t('admin.tokenCreated')}>
            <Text size="sm" mb="xs">{t('admin.tokenOnce')}</Text>
            <Group gap="xs">
              <Code data-testid="token-secret" style={{ wordBreak: 'break-all' }}>{secret}</Code>
              <CopyButton value={secret}>{({ copied, copy }) => <Button size="xs" variant="light" onClick={copy}>{copied ? t('common.copied') : t('common.copy')}</Button>}</CopyButton>
            </Group>
          </Alert>
        )}
      </Card>
      <Card withBorder padding={0}>
        {tokens.isLoading ? <Skeleton h={120} m="sm" /> : tokens.isError ? <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} /> : !tokens.data?.length ? (
          <EmptyState icon={IconKey} title={t('admin.noTokens')} description={t('admin.noTokensHint')} />
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing={6} fz="sm">
              <Table.Thead>
                <Table.Tr><Table.Th>{t('field.name')}</Table.Th><Table.Th>{t('admin.prefix')}</Table.Th><Table.Th>{t('admin.tokenScope')}</Table.Th><Table.Th>{t('field.ownerId')}</Table.Th><Table.Th>{t('field.createdAt')}</Table.Th><Table.Th>{t('admin.lastUsed')}</Table.Th><Table.Th /></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tokens.data.map((tok) => (
                  <Table.Tr key={tok.id} opacity={tok.revokedAt ? 0.5 : 1}>
                    <Table.Td fw={500}>{tok.name}</Table.Td>
                    <Table.Td><Code>{tok.prefix}…</Code></Table.Td>
                    <Table.Td><Badge variant="light" color={tok.scope === 'read' ? 'teal' : 'indigo'}>{t(`admin.scope.${tok.scope}`)}</Badge></Table.Td>
                    <Table.Td>{userName(tok.userId)}</Table.Td>
                    <Table.Td>{formatDateTime(tok.createdAt, lang)}</Table.Td>
                    <Table.Td data-testid="token-last-used">{tok.lastUsedAt ? formatDateTime(tok.lastUsedAt, lang) : t('admin.neverUsed')}</Table.Td>
                    <Table.Td>
                      {tok.revokedAt ? <Badge color="gray">{t('admin.revoked')}</Badge> : (
                        <Button size="xs" color="red" variant="subtle" onClick={() => revoke.mutate(tok.id)}>{t('admin.revoke')}</Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </Stack>
  );
}
