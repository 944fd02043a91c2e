import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ENTITIES } from '../entities.ts';
import { CustomFieldsCard, FieldsCard, RecordFrame } from '../records/RecordPage.tsx';
import { RecordTimeline } from '../../ui/RecordTimeline.tsx';
import { RefLink } from '../../ui/fields.tsx';
import { PrivacyCard } from './PrivacyCard.tsx';

const C = ENTITIES.contacts;

export default function ContactPage() {
  const { t } = useTranslation();
  return (
    <RecordFrame
      entity={C}
      badges={(r) => (
        <>
          {r.title ? <Badge variant="light" color="gray" tt="none">{String(r.title)}</Badge> : null}
          {r.accountId ? <RefLink entity="accounts" id={r.accountId} name={r.accountName} /> : null}
          {r.doNotEmail ? <Badge color="red" variant="light">{t('field.doNotEmail')}</Badge> : null}
        </>
      )}
      render={(r, save) => ({
        main: (
          <>
            <FieldsCard title={t('record.details')} entity={C} record={r} save={save}
              keys={['fullName', 'accountId', 'title', 'department', 'email', 'phone', 'mobile', 'language', 'country', 'city']} />
            <RecordTimeline scope={{ contactId: r.id }} accountId={r.accountId as string | undefined} />
          </>
        ),
        side: (
          <>
            <FieldsCard title={t('record.consent')} entity={C} record={r} save={save} cols={1} keys={['consent', 'doNotEmail', 'ownerId', 'source', 'aisasStep', 'tags']} />
            <CustomFieldsCard entity={C} record={r} save={save} />
            <PrivacyCard contactId={r.id} name={String(r.fullName ?? '')} />
          </>
        ),
      })}
    />
  );
}
