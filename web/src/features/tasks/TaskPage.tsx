import { Button } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ENTITIES } from '../entities.ts';
import { CustomFieldsCard, FieldsCard, RecordFrame } from '../records/RecordPage.tsx';
import { FieldValue } from '../../ui/fields.tsx';

const T = ENTITIES.tasks;

export default function TaskPage() {
  const { t } = useTranslation();
  return (
    <RecordFrame
      entity={T}
      badges={(r) => <FieldValue field={T.fields.find((f) => f.key === 'status')!} value={r.status} />}
      render={(r, save) => ({
        main: (
          <>
            {r.status === 'open' && (
              <Button leftSection={<IconCheck size={16} />} color="green" variant="light" w="fit-content" onClick={() => void save({ status: 'done' })}>{t('task.markDone')}</Button>
            )}
            <FieldsCard title={t('record.details')} entity={T} record={r} save={save} cols={1} keys={['title', 'description', 'dueAt', 'priority', 'kind', 'status']} />
          </>
        ),
        side: (
          <>
            <FieldsCard title={t('record.context')} entity={T} record={r} save={save} cols={1} keys={['assigneeId', 'accountId', 'opportunityId', 'contactId', 'completedAt']} />
            <CustomFieldsCard entity={T} record={r} save={save} />
          </>
        ),
      })}
    />
  );
}
