import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useAuth } from '../../app/auth.tsx';
import { ApiError } from '../../app/api.ts';
import { LanguageSwitch } from '../../app/Shell.tsx';

export function LoginPage() {
  const { t } = useTranslation();
  const { login } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Second step: the password was right and the account has two-factor sign-in on.
  const [needCode, setNeedCode] = useState(false);
  const [code, setCode] = useState('');

  const emailOk = z.email().safeParse(email).success;
  const emailError = touched && !emailOk ? t('validation.email') : null;
  const passwordError = touched && !password ? t('validation.required') : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!emailOk || !password) return;
    if (needCode && !code.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password, needCode ? code.trim() : undefined);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'two_factor_required') {
        setNeedCode(true);
      } else if (err instanceof ApiError && err.code === 'invalid_code') {
        setError(t('login.invalidCode'));
        setCode('');
      } else if (err instanceof ApiError && err.status === 429) {
        setError(t('login.tooMany'));
      } else {
        setError(err instanceof ApiError && (err.status === 401 || err.status === 400) ? t('login.invalid') : (err as Error).message);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box mih="100vh" style={{ background: 'linear-gradient(135deg, var(--mantine-color-indigo-0), var(--mantine-color-gray-0) 60%)' }}>
      <Group justify="flex-end" p="md"><LanguageSwitch /></Group>
      <Center px="md" pt={40}>
        <Paper withBorder shadow="md" p="xl" radius="lg" w="100%" maw={400}>
          <form onSubmit={submit} noValidate aria-labelledby="login-title">
            <Stack>
              <Group gap="xs">
                <Box w={36} h={36} bg="indigo.6" style={{ borderRadius: 10, display: 'grid', placeItems: 'center' }}>
                  <Text c="white" fw={800}>A</Text>
                </Box>
                <div>
                  <Title order={2} id="login-title" size="h3">{t('login.title')}</Title>
                  <Text size="sm" c="dimmed">{t('login.subtitle')}</Text>
                </div>
              </Group>
              {error && <Alert color="red" icon={<IconAlertCircle />} role="alert">{error}</Alert>}
              {needCode ? (
                <>
                  <Text size="sm">{t('login.codeHint')}</Text>
                  <TextInput
                    label={t('login.code')}
                    value={code}
                    onChange={(e) => setCode(e.currentTarget.value)}
                    autoComplete="one-time-code"
                    inputMode="text"
                    maxLength={20}
                    autoFocus
                    name="code"
                    data-testid="login-code"
                    error={touched && !code.trim() ? t('validation.required') : null}
                  />
                  <Button type="submit" loading={busy} fullWidth>{t('login.verify')}</Button>
                  <Anchor component="button" type="button" size="sm" onClick={() => { setNeedCode(false); setCode(''); setError(null); }}>{t('login.back')}</Anchor>
                </>
              ) : (
              <>
              <TextInput
                label={t('login.email')}
                type="email"
                autoComplete="username"
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                error={emailError}
                required
                autoFocus
                name="email"
              />
              <PasswordInput
                label={t('login.password')}
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                error={passwordError}
                required
                name="password"
                visibilityToggleButtonProps={{ 'aria-label': t('login.togglePassword') }}
              />
              <Button type="submit" loading={busy} fullWidth>{t('login.submit')}</Button>
              </>
              )}
              <Text size="xs" c="dimmed" ta="center">{t('login.help')} {t('login.contactAdmin')}</Text>
            </Stack>
          </form>
        </Paper>
      </Center>
    </Box>
  );
}
