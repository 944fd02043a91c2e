import { useTranslation } from 'react-i18next';
import { ENTITIES } from '../entities.ts';
import { ListPage } from '../records/ListPage.tsx';

export default function OpportunitiesList() {
  const { t } = useTranslation();
  return <ListPage entity={ENTITIES.opportunities} title={t('nav.opportunities')} />;
}
