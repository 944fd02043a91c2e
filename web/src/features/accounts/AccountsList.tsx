import { useTranslation } from 'react-i18next';
import { ENTITIES } from '../entities.ts';
import { ListPage } from '../records/ListPage.tsx';
import { SegmentMenu } from '../segments/SegmentMenu.tsx';

export default function AccountsList() {
  const { t } = useTranslation();
  return <ListPage entity={ENTITIES.accounts} title={t('nav.accounts')} extraActions={(list) => <SegmentMenu filters={list.filters} q={list.q} onApply={list.apply} />} />;
}
