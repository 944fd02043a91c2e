import { Alert, Card, Skeleton, Stack, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { QueryError } from '../../ui/ErrorBoundary.tsx';

type Security = { requireTwoFactor: boolean; version: number };

/** The organization's security policy: whether everyone must use two-factor sign-in. */
export function SecurityTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const policy = useQuery({ queryKey: ['organization-security'], queryFn: () => api<Security>('/organization/security') });
  const save = useMutation({
    mutationFn: (requireTwoFactor: boolean) => api<Security>('/organization/security', { method: 'PUT', body: { requireTwoFactor }, ifMatch: policy.data!.version }),
    onSuccess: (p) => {
      qc.setQueryData(['organization-security'], p);
      void qc.invalidateQueries({ queryKey: ['two-factor'] });
      notifications.show({ color: 'green', message: t('admin.securitySaved') });
    },
    onError: (e) => {
      notifications.show({ color: 'red', message: (e as Error).message });
      void policy.refetch();
    },
  });
  if (policy.isLoading) return <Skeleton h={120} />;
  if (policy.isError) return <QueryError error={policy.error} onRetry={() => void policy.refetch()} />;
  return (
    <Stack maw={720}>
      <Card withBorder padding="lg">
        <Stack gap="sm">
          <Switch
            checked={policy.data!.requireTwoFactor}
            onChange={(e) => save.mutate(e.currentTarget.checked)}
            disabled={save.isPending}
            label={t('admin.requireTwoFactor')}
            description={t('admin.requireTwoFactorHint')}
            data-testid="require-two-factor"
          />
        </Stack>
      </Card>
      <Alert color="gray" variant="light"><Text size="sm">{t('admin.resetTwoFactorHint')}</Text></Alert>
    </Stack>
  );
}
