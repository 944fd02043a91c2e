import { useTranslation } from 'react-i18next';
import { ENTITIES } from '../entities.ts';
import { CustomFieldsCard, FieldsCard, RecordFrame } from '../records/RecordPage.tsx';
import { FieldValue } from '../../ui/fields.tsx';
import { useSession } from '../../app/auth.tsx';
import { ParticipantsCard } from './ParticipantsCard.tsx';

const I = ENTITIES.interactions;

export default function InteractionPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  return (
    <RecordFrame
      entity={I}
      badges={(r) => <FieldValue field={I.fields.find((f) => f.key === 'kind')!} value={r.kind} />}
      render={(r, save) => ({
        main: <FieldsCard title={t('record.details')} entity={I} record={r} save={save} cols={1} keys={['subject', 'body', 'occurredAt', 'durationMinutes']} />,
        side: (
          <>
            <ParticipantsCard record={r} save={save} readOnly={user.role === 'viewer'} />
            <FieldsCard title={t('record.context')} entity={I} record={r} save={save} cols={1} keys={['kind', 'direction', 'accountId', 'opportunityId', 'ownerId', 'aisasStep']} />
            <CustomFieldsCard entity={I} record={r} save={save} />
          </>
        ),
      })}
    />
  );
}
