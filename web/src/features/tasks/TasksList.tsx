import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth.tsx';
import { ENTITIES } from '../entities.ts';
import { ListPage } from '../records/ListPage.tsx';
import { TASK_VIEWS, taskViewFilters, viewOf, type TaskView } from './views.ts';

export default function TasksList() {
  const { t } = useTranslation();
  const { user } = useSession();
  return (
    <ListPage
      entity={ENTITIES.tasks}
      title={t('nav.tasks')}
      extraActions={({ filters, q, apply }) => (
        <SegmentedControl
          size="sm"
          value={viewOf(filters, user.id) ?? ''}
          onChange={(v) => apply(taskViewFilters(v as TaskView, user.id), q)}
          data={TASK_VIEWS.map((v) => ({ value: v, label: t(`task.view.${v}`) }))}
          aria-label={t('task.views')}
          data-testid="task-views"
        />
      )}
    />
  );
}
