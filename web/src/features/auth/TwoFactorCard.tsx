import { useState } from 'react';
import { Alert, Badge, Box, Button, Card, Center, Code, CopyButton, Group, Image, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconShieldLock } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime } from '../../app/format.ts';

type Status = { enabled: boolean; enabledAt: string | null; pendingEnrolment: boolean; recoveryCodesLeft: number; requiredByOrganization: boolean };
type Enrolment = { secret: string; otpauthUri: string; qrDataUrl: string };

/** The server's answer in words a person can act on. */
function useErrorText() {
  const { t } = useTranslation();
  return (err: unknown) => {
    if (err instanceof ApiError) {
      if (err.code === 'invalid_code') return t('twoFactor.invalidCode');
      if (err.status === 429) return t('login.tooMany');
      if (err.fields.some((f) => f.code === 'wrong_password')) return t('twoFactor.wrongPassword');
    }
    return (err as Error).message;
  };
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="green" title={t('twoFactor.recoveryTitle')} data-testid="recovery-codes">
      <Stack gap="xs">
        <Text size="sm">{t('twoFactor.recoveryHint')}</Text>
        <SimpleGrid cols={2} spacing={4} maw={300}>
          {codes.map((c) => <Code key={c} fz="sm">{c}</Code>)}
        </SimpleGrid>
        <Group gap="xs">
          <CopyButton value={codes.join('\n')}>{({ copied, copy }) => <Button size="xs" variant="light" onClick={copy}>{copied ? t('common.copied') : t('common.copy')}</Button>}</CopyButton>
          <Button size="xs" onClick={onDone} data-testid="recovery-saved">{t('twoFactor.savedCodes')}</Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/** Two-factor sign-in on the profile page: set up with a QR code, recovery codes, turn off. */
export function TwoFactorCard({ onEnabled }: { onEnabled?: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const status = useQuery({ queryKey: ['two-factor'], queryFn: () => api<Status>('/auth/two-factor') });
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [mode, setMode] = useState<'idle' | 'disable' | 'regenerate'>('idle');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(fn: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  const refresh = () => qc.invalidateQueries({ queryKey: ['two-factor'] });
  const start = () => run(async () => setEnrolment(await api<Enrolment>('/auth/two-factor/enrol', { method: 'POST', body: {} })));
  const confirm = () =>
    run(async () => {
      const res = await api<{ recoveryCodes: string[] }>('/auth/two-factor/confirm', { method: 'POST', body: { code: code.trim() } });
      setEnrolment(null);
      setCode('');
      setCodes(res.recoveryCodes);
      await refresh();
    });
  const regenerate = () =>
    run(async () => {
      const res = await api<{ recoveryCodes: string[] }>('/auth/two-factor/recovery-codes', { method: 'POST', body: { code: code.trim() } });
      setCode('');
      setMode('idle');
      setCodes(res.recoveryCodes);
      await refresh();
    });
  const disable = () =>
    run(async () => {
      await api('/auth/two-factor/disable', { method: 'POST', body: { password, code: code.trim() } });
      setCode('');
      setPassword('');
      setMode('idle');
      notifications.show({ color: 'green', message: t('twoFactor.turnedOff') });
      await refresh();
    });

  const s = status.data;
  const codeInput = (
    <TextInput
      label={t('twoFactor.code')} value={code} onChange={(e) => setCode(e.currentTarget.value)} autoComplete="one-time-code"
      maxLength={20} w={200} data-testid="two-factor-code"
    />
  );
  return (
    <Card withBorder padding="lg" data-testid="two-factor-card">
      <Stack gap="sm">
        <Group gap="xs">
          <IconShieldLock size={20} />
          <Text fw={600}>{t('twoFactor.title')}</Text>
          {s ? <Badge color={s.enabled ? 'green' : 'gray'} variant="light">{s.enabled ? t('twoFactor.on') : t('twoFactor.off')}</Badge> : null}
          {s?.requiredByOrganization ? <Badge color="indigo" variant="outline">{t('twoFactor.required')}</Badge> : null}
        </Group>
        {error ? <Alert color="red" role="alert">{error}</Alert> : null}
        {codes ? <RecoveryCodes codes={codes} onDone={() => { setCodes(null); onEnabled?.(); }} /> : null}
        {!s ? null : enrolment ? (
          <Stack gap="sm">
            <Text size="sm">{t('twoFactor.scanHint')}</Text>
            <Group align="flex-start" gap="lg">
              <Box bg="white" p={4} style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}>
                <Image src={enrolment.qrDataUrl} alt={t('twoFactor.qrAlt')} w={180} h={180} data-testid="two-factor-qr" />
              </Box>
              <Stack gap={4} style={{ flex: 1, minWidth: 200 }}>
                <Text size="xs" c="dimmed">{t('twoFactor.manualKey')}</Text>
                <Code data-testid="two-factor-secret" style={{ wordBreak: 'break-all' }}>{enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}</Code>
              </Stack>
            </Group>
            <form onSubmit={(e) => { e.preventDefault(); if (code.trim()) void confirm(); }}>
              <Group align="flex-end">
                {codeInput}
                <Button type="submit" loading={busy} disabled={!code.trim()} data-testid="two-factor-confirm">{t('twoFactor.confirm')}</Button>
                <Button variant="subtle" onClick={() => { setEnrolment(null); setCode(''); }}>{t('common.cancel')}</Button>
              </Group>
            </form>
          </Stack>
        ) : s.enabled ? (
          <Stack gap="sm">
            <Text size="sm">
              {t('twoFactor.onSince', { date: s.enabledAt ? formatDateTime(s.enabledAt, i18n.language) : '—' })} · {t('twoFactor.codesLeft', { count: s.recoveryCodesLeft })}
            </Text>
            {mode === 'idle' ? (
              <Group gap="xs">
                <Button size="xs" variant="light" onClick={() => setMode('regenerate')}>{t('twoFactor.newCodes')}</Button>
                {!s.requiredByOrganization ? <Button size="xs" variant="subtle" color="red" onClick={() => setMode('disable')}>{t('twoFactor.turnOff')}</Button> : null}
              </Group>
            ) : (
              <form onSubmit={(e) => { e.preventDefault(); void (mode === 'disable' ? disable() : regenerate()); }}>
                <Group align="flex-end">
                  {mode === 'disable' ? (
                    <PasswordInput label={t('me.currentPassword')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" w={220} />
                  ) : null}
                  {codeInput}
                  <Button type="submit" loading={busy} color={mode === 'disable' ? 'red' : undefined} disabled={!code.trim() || (mode === 'disable' && !password)}>
                    {mode === 'disable' ? t('twoFactor.turnOff') : t('twoFactor.newCodes')}
                  </Button>
                  <Button variant="subtle" onClick={() => { setMode('idle'); setCode(''); setPassword(''); }}>{t('common.cancel')}</Button>
                </Group>
              </form>
            )}
          </Stack>
        ) : (
          <Group justify="space-between">
            <Text size="sm" c="dimmed" style={{ flex: 1 }}>{t('twoFactor.intro')}</Text>
            <Button onClick={() => void start()} loading={busy} data-testid="two-factor-start">{t('twoFactor.setUp')}</Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

/** The only screen of a session that must set up two-factor sign-in first (the organization requires it). */
export function EnrolmentRequiredPage() {
  const { t } = useTranslation();
  const { twoFactorEnrolled, logout } = useAuth();
  return (
    <Center mih="100vh" px="md" bg="gray.0">
      <Stack maw={640} w="100%">
        <Title order={2} size="h3">{t('twoFactor.requiredTitle')}</Title>
        <Text>{t('twoFactor.requiredBody')}</Text>
        <TwoFactorCard onEnabled={twoFactorEnrolled} />
        <Group><Button variant="subtle" onClick={() => void logout()}>{t('shell.logout')}</Button></Group>
      </Stack>
    </Center>
  );
}
