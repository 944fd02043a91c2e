/**
 * Due reminders in the app: a bell in the header counting my open tasks that are due (or overdue),
 * listing them, and a notification once per task, in this browser session, when its due time comes.
 * Polls once a minute: a reminder a minute late is fine, a request per second is not.
 */
import { useEffect, useRef } from 'react';
import { ActionIcon, Anchor, Indicator, Popover, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBell } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../app/api.ts';
import { useSession } from '../../app/auth.tsx';
import { formatDateTime } from '../../app/format.ts';

type DueTask = { id: string; title: string; dueAt: string };

export function TaskReminders() {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const told = useRef(new Set<string>());
  const due = useQuery({
    queryKey: ['tasks', 'due', user.id],
    queryFn: ({ signal }) => api<Page<DueTask>>('/tasks', {
      query: { 'assigneeId[eq]': user.id, 'status[eq]': 'open', 'dueAt[lte]': new Date().toISOString(), sort: 'dueAt', limit: 20, count: true }, signal,
    }),
    refetchInterval: 60_000,
    staleTime: 30_000,
  });
  const tasks = due.data?.data ?? [];
  const total = due.data?.total ?? tasks.length;

  useEffect(() => {
    for (const task of tasks) {
      if (told.current.has(task.id)) continue;
      told.current.add(task.id);
      // Only what fell due in the last hour pops up; older ones wait in the bell.
      if (Date.now() - Date.parse(new Date(task.dueAt.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00')).toISOString()) < 3_600_000) {
        notifications.show({ color: 'orange', title: t('task.reminder'), message: task.title, autoClose: 10_000 });
      }
    }
  }, [tasks, t]);

  return (
    <Popover width={300} position="bottom-end" withinPortal>
      <Popover.Target>
        <Indicator disabled={total === 0} label={total > 99 ? '99+' : total} size={16} color="red" offset={4}>
          <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t('task.dueCount', { count: total })} data-testid="task-reminders">
            <IconBell size={18} />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown>
        <Text fw={600} size="sm" mb="xs">{t('task.dueTitle')}</Text>
        {tasks.length === 0 ? <Text size="sm" c="dimmed">{t('task.nothingDue')}</Text> : (
          <Stack gap={6}>
            {tasks.map((task) => (
              <div key={task.id}>
                <Anchor component={Link} to={`/tasks/${task.id}`} size="sm">{task.title}</Anchor>
                <Text size="xs" c="red">{formatDateTime(task.dueAt, i18n.language)}</Text>
              </div>
            ))}
            {total > tasks.length && <Anchor component={Link} to="/tasks" size="xs">{t('task.allDue', { count: total })}</Anchor>}
          </Stack>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
