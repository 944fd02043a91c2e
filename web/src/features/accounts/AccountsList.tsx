import { useTranslation } from 'react-i18next';
import { ENTITIES } from '../entities.ts';
import { ListPage } from '../records/ListPage.tsx';

export default function AccountsList() {
  const { t } = useTranslation();
  return <ListPage entity={ENTITIES.accounts} title={t('nav.accounts')} />;
}
