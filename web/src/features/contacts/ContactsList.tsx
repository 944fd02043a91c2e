import { useTranslation } from 'react-i18next';
import { ENTITIES } from '../entities.ts';
import { ListPage } from '../records/ListPage.tsx';

export default function ContactsList() {
  const { t } = useTranslation();
  return <ListPage entity={ENTITIES.contacts} title={t('nav.contacts')} />;
}
