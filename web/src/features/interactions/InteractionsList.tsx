import { useTranslation } from 'react-i18next';
import { ENTITIES } from '../entities.ts';
import { ListPage } from '../records/ListPage.tsx';

export default function InteractionsList() {
  const { t } = useTranslation();
  return <ListPage entity={ENTITIES.interactions} title={t('nav.interactions')} />;
}
