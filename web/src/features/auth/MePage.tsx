import { useState } from 'react';
import { Alert, Avatar, Badge, Button, Card, Group, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { profileUpdate } from '../../../../src/features/users/schemas.ts';
import { api, ApiError } from '../../app/api.ts';
import { useAuth, useSession, type User } from '../../app/auth.tsx';
import { LanguageSwitch } from '../../app/Shell.tsx';
import { useZodForm } from '../../ui/form.ts';
import { TokensTab } from '../admin/TokensTab.tsx';
import { TwoFactorCard } from './TwoFactorCard.tsx';

/** Name: saved on its own so a typo in a password field never blocks it. */
function NameForm({ user, onSaved }: { user: User; onSaved: (u: User) => void }) {
  const { t } = useTranslation();
  const form = useZodForm(profileUpdate, { name: user.name }, t);
  const [saving, setSaving] = useState(false);
  async function save(e: React.FormEvent) {
    e.preventDefault();
    if (!form.validate()) return;
    setSaving(true);
    try {
      onSaved(await api<User>('/users/me', { method: 'PATCH', body: { name: form.values.name } }));
      notifications.show({ color: 'green', message: t('me.saved') });
    } catch (err) {
      form.setServerError(err);
    } finally {
      setSaving(false);
    }
  }
  return (
    <form onSubmit={save} noValidate>
      <Group align="flex-end" wrap="nowrap">
        <TextInput
          label={t('me.name')} value={form.values.name} onChange={(e) => form.set('name', e.currentTarget.value)} error={form.errorOf('name')}
          required style={{ flex: 1 }} data-testid="profile-name" autoComplete="name"
        />
        <Button type="submit" loading={saving} disabled={form.values.name.trim() === user.name} data-testid="profile-save">{t('common.save')}</Button>
      </Group>
    </form>
  );
}

function PasswordForm() {
  const { t } = useTranslation();
  const empty = { currentPassword: '', newPassword: '' };
  const form = useZodForm(profileUpdate, empty, t);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function save(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    if (!form.validate()) return;
    setSaving(true);
    try {
      await api('/users/me', { method: 'PATCH', body: form.values });
      form.reset(empty);
      notifications.show({ color: 'green', message: t('me.passwordChanged') });
    } catch (err) {
      form.setServerError(err);
      if (!(err instanceof ApiError) || !err.fields.length) setError((err as Error).message);
    } finally {
      setSaving(false);
    }
  }
  return (
    <form onSubmit={save} noValidate aria-label={t('me.passwordTitle')}>
      <Stack gap="sm">
        <Text fw={600}>{t('me.passwordTitle')}</Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <PasswordInput
            label={t('me.currentPassword')} value={form.values.currentPassword} onChange={(e) => form.set('currentPassword', e.currentTarget.value)}
            error={form.errorOf('currentPassword')} autoComplete="current-password" data-testid="current-password" required
          />
          <PasswordInput
            label={t('me.newPassword')} description={t('me.passwordHint')} inputWrapperOrder={['label', 'input', 'description', 'error']} value={form.values.newPassword} onChange={(e) => form.set('newPassword', e.currentTarget.value)}
            error={form.errorOf('newPassword')} autoComplete="new-password" data-testid="new-password" required
          />
        </SimpleGrid>
        {error ? <Alert color="red">{error}</Alert> : null}
        <Group>
          <Button type="submit" loading={saving} disabled={!form.values.currentPassword || !form.values.newPassword} data-testid="change-password">
            {t('me.changePassword')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function MePage() {
  const { t } = useTranslation();
  const { user, org } = useSession();
  const { updateUser } = useAuth();
  const qc = useQueryClient();
  const rows: [string, string][] = [
    [t('me.email'), user.email],
    [t('me.role'), t(`enum.role.${user.role}`)],
    [t('me.department'), user.department ?? '—'],
    [t('me.team'), user.team ?? '—'],
    [t('me.organization'), org.name],
    [t('me.baseCurrency'), org.baseCurrency],
  ];
  const saved = (u: User) => {
    updateUser(u);
    // Owner columns and pickers show user names from the users list.
    void qc.invalidateQueries({ queryKey: ['users'] });
  };
  return (
    <Stack p="md" maw={720}>
      <Title order={2}>{t('shell.profile')}</Title>
      <Card withBorder padding="lg">
        <Group mb="md">
          <Avatar size={56} radius="xl" color="indigo">{user.name.split(/\s+/).map((p) => p[0]).join('').slice(0, 2).toUpperCase()}</Avatar>
          <div>
            <Text fw={700} size="lg">{user.name}</Text>
            <Badge variant="light">{t(`enum.role.${user.role}`)}</Badge>
          </div>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {rows.map(([k, v]) => (
            <div key={k}><Text size="xs" c="dimmed">{k}</Text><Text size="sm">{v}</Text></div>
          ))}
        </SimpleGrid>
      </Card>
      <Card withBorder padding="lg">
        <Stack gap="md">
          <NameForm key={user.name} user={user} onSaved={saved} />
          <Group gap="xs">
            <Text size="sm">{t('shell.language')}:</Text>
            <LanguageSwitch />
            <Text size="xs" c="dimmed">{t('me.languageSaved')}</Text>
          </Group>
        </Stack>
      </Card>
      <Card withBorder padding="lg">
        <PasswordForm />
      </Card>
      <TwoFactorCard />
      <Stack gap="xs">
        <Title order={3} size="h4">{t('admin.tokens')}</Title>
        <TokensTab />
      </Stack>
    </Stack>
  );
}
