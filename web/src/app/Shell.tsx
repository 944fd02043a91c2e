import { Suspense, type ReactNode } from 'react';
import { ActionIcon, AppShell, Avatar, Badge, Burger, Group, Kbd, Menu, NavLink, ScrollArea, Stack, Text, UnstyledButton, Button, Box } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { spotlight } from '@mantine/spotlight';
import { IconChevronDown, IconLanguage, IconLogout, IconSearch, IconUserCircle } from '@tabler/icons-react';
import { NavLink as RouterLink, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { allowed, NAV_GROUPS, routes } from './routes.tsx';
import { useAuth, useSession, type User } from './auth.tsx';
import { LOCALES, type Locale } from './format.ts';
import { api } from './api.ts';
import { setLocale } from '../i18n/index.ts';
import { ErrorBoundary } from '../ui/ErrorBoundary.tsx';
import { PageSkeleton } from '../ui/PageSkeleton.tsx';
import { GlobalSearch } from '../features/search/GlobalSearch.tsx';
import { TaskReminders } from '../features/tasks/TaskReminders.tsx';

/** Remember the choice on the user's profile too, so it follows them to another browser. */
async function saveLocale(locale: Locale, updateUser: (u: User) => void) {
  try {
    updateUser(await api<User>('/users/me', { method: 'PATCH', body: { locale }, noAuthRedirect: true }));
  } catch {
    /* the local choice already applies; the profile catches up next time */
  }
}

export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const { session, updateUser } = useAuth();
  const current = LOCALES.find((l) => l.value === i18n.language) ?? LOCALES[0]!;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="subtle" color="gray" size="compact-sm" leftSection={<IconLanguage size={16} />} aria-label={t('shell.language')} data-testid="language-switch">
          {compact ? null : <Box component="span" visibleFrom="xs">{current.label}</Box>}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('shell.language')}</Menu.Label>
        {LOCALES.map((l) => (
          <Menu.Item key={l.value} onClick={() => { setLocale(l.value as Locale); if (session) void saveLocale(l.value as Locale, updateUser); }} fw={l.value === i18n.language ? 700 : 400} lang={l.value}>
            {l.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

function UserMenu() {
  const { t } = useTranslation();
  const { user, org } = useSession();
  const { logout } = useAuth();
  const initials = user.name.split(/\s+/).map((p) => p[0]).join('').slice(0, 2).toUpperCase();
  return (
    <Menu position="bottom-end" width={260} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('shell.userMenu')} data-testid="user-menu">
          <Group gap={6} wrap="nowrap">
            <Avatar size={30} radius="xl" color="indigo">{initials}</Avatar>
            <Box visibleFrom="sm"><Text size="sm" fw={500} lh={1.1}>{user.name}</Text><Text size="xs" c="dimmed" lh={1.1}>{org.name}</Text></Box>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('shell.signedInAs')}</Menu.Label>
        <Box px="sm" pb="xs">
          <Text size="sm" fw={600}>{user.name}</Text>
          <Text size="xs" c="dimmed">{user.email}</Text>
          <Group gap={4} mt={4}>
            <Badge size="xs" variant="light">{t(`enum.role.${user.role}`)}</Badge>
            {user.department && <Badge size="xs" variant="outline" color="gray">{user.department}</Badge>}
          </Group>
          <Text size="xs" c="dimmed" mt={4}>{org.name} · {org.baseCurrency}</Text>
        </Box>
        <Menu.Divider />
        <Menu.Item leftSection={<IconUserCircle size={16} />} component={RouterLink} to="/me" data-testid="profile-menu-item">{t('shell.profile')}</Menu.Item>
        <Menu.Item leftSection={<IconLogout size={16} />} color="red" onClick={() => void logout()} data-testid="logout">{t('shell.logout')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const { t } = useTranslation();
  const { user } = useSession();
  const location = useLocation();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding={0}>
      <AppShell.Header>
        <Group h="100%" px="md" gap="sm" wrap="nowrap">
          <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.toggleNav')} />
          <Group gap={8} wrap="nowrap">
            <Box w={28} h={28} bg="indigo.6" style={{ borderRadius: 8, display: 'grid', placeItems: 'center' }}>
              <Text c="white" fw={800} size="sm">A</Text>
            </Box>
            <Text fw={700} size="lg" visibleFrom="xs">Accord</Text>
          </Group>
          <UnstyledButton
            onClick={() => spotlight.open()}
            aria-label={t('search.open')}
            data-testid="search-button"
            visibleFrom="sm"
            style={{ flex: 1, maxWidth: 420, marginInline: 'auto', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8, padding: '6px 10px', background: 'var(--mantine-color-gray-0)' }}
          >
            <Group gap={8} wrap="nowrap">
              <IconSearch size={16} color="var(--mantine-color-gray-6)" />
              <Text size="sm" c="dimmed" style={{ flex: 1 }} truncate>{t('search.placeholder')}</Text>
              <Box visibleFrom="sm"><Kbd size="xs">Ctrl</Kbd> <Kbd size="xs">K</Kbd></Box>
            </Group>
          </UnstyledButton>
          <Box style={{ flex: 1 }} hiddenFrom="sm" />
          <ActionIcon variant="subtle" color="gray" size="lg" hiddenFrom="sm" onClick={() => spotlight.open()} aria-label={t('search.open')}>
            <IconSearch size={18} />
          </ActionIcon>
          <TaskReminders />
          <LanguageSwitch />
          <UserMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('shell.mainNav')}>
        <ScrollArea>
          <Stack gap={2}>
            {NAV_GROUPS.map((g) => {
              const items = routes.filter((r) => r.nav?.group === g && allowed(r, user.role));
              if (!items.length) return null;
              return (
                <Box key={g} mb="xs">
                  <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" py={6}>{t(`nav.group.${g}`)}</Text>
                  {items.map((r) => {
                    const Ico = r.nav!.icon;
                    return (
                      <NavLink
                        key={r.path}
                        component={RouterLink}
                        to={r.path}
                        label={t(r.nav!.label)}
                        leftSection={<Ico size={18} stroke={1.6} />}
                        active={location.pathname === r.path || location.pathname.startsWith(`${r.path}/`)}
                        onClick={close}
                        style={{ borderRadius: 6 }}
                      />
                    );
                  })}
                </Box>
              );
            })}
          </Stack>
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <ErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={<PageSkeleton />}>{children}</Suspense>
        </ErrorBoundary>
      </AppShell.Main>
      <GlobalSearch />
    </AppShell>
  );
}
