import { Stack, Text, ThemeIcon } from '@mantine/core';
import { IconInbox, type Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

export function EmptyState({ title, description, icon: Ico = IconInbox, action }: { title: string; description?: string; icon?: Icon; action?: ReactNode }) {
  return (
    <Stack align="center" gap="xs" py="xl" px="md" ta="center">
      <ThemeIcon size={48} radius="xl" variant="light" color="gray"><Ico size={26} /></ThemeIcon>
      <Text fw={600}>{title}</Text>
      {description && <Text size="sm" c="dimmed" maw={420}>{description}</Text>}
      {action}
    </Stack>
  );
}
