import { useTranslation } from 'react-i18next';
import { ENTITIES } from '../entities.ts';
import { ListPage } from '../records/ListPage.tsx';

export default function TasksList() {
  const { t } = useTranslation();
  return <ListPage entity={ENTITIES.tasks} title={t('nav.tasks')} />;
}
