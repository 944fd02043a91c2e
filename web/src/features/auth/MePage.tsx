import { Badge, Card, Group, Stack, Text, Title, Avatar, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth.tsx';
import { LanguageSwitch } from '../../app/Shell.tsx';

export function MePage() {
  const { t } = useTranslation();
  const { user, org } = useSession();
  const rows: [string, string][] = [
    [t('me.email'), user.email],
    [t('me.role'), t(`enum.role.${user.role}`)],
    [t('me.department'), user.department ?? '—'],
    [t('me.team'), user.team ?? '—'],
    [t('me.organization'), org.name],
    [t('me.baseCurrency'), org.baseCurrency],
  ];
  return (
    <Stack p="md" maw={720}>
      <Title order={2}>{t('shell.whoAmI')}</Title>
      <Card withBorder padding="lg">
        <Group mb="md">
          <Avatar size={56} radius="xl" color="indigo">{user.name.slice(0, 2).toUpperCase()}</Avatar>
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
        <Group mt="md"><Text size="sm">{t('shell.language')}:</Text><LanguageSwitch /></Group>
      </Card>
    </Stack>
  );
}
