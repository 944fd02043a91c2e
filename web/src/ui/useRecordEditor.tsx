import { useCallback, useState } from 'react';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../app/api.ts';
import type { EntityDef } from '../features/entities.ts';
import { ConflictDialog, type Conflict } from './ConflictDialog.tsx';
import type { Rec } from './conflict.ts';

/**
 * Saves partial edits of one record with If-Match. A 409 opens the conflict dialog with the
 * server's current record; re-applying sends our patch again on top of the new version.
 */
export function useRecordEditor(entity: EntityDef, record: Rec | undefined) {
  const qc = useQueryClient();
  const { t } = useTranslation();
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [busy, setBusy] = useState(false);

  const send = useCallback(
    async (base: Rec, patch: Rec): Promise<boolean> => {
      try {
        const updated = await api<Rec>(`/${entity.name}/${String(base.id)}`, { method: 'PATCH', body: patch, ifMatch: base.version as number });
        qc.setQueryData([entity.name, base.id], updated);
        void qc.invalidateQueries({ queryKey: [entity.name, 'list'] });
        void qc.invalidateQueries({ queryKey: ['timeline'] });
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.isConflict) {
          let current = err.current as Rec | undefined;
          if (!current) current = await api<Rec>(`/${entity.name}/${String(base.id)}`);
          qc.setQueryData([entity.name, base.id], current);
          setConflict({ base, current, patch });
          return false;
        }
        throw err;
      }
    },
    [entity.name, qc],
  );

  const save = useCallback(async (patch: Rec) => (record ? send(record, patch) : false), [record, send]);

  const dialog = (
    <ConflictDialog
      entity={entity}
      conflict={conflict}
      busy={busy}
      onKeepTheirs={() => {
        setConflict(null);
        notifications.show({ color: 'gray', message: t('conflict.keptTheirs') });
      }}
      onReapply={async () => {
        if (!conflict) return;
        setBusy(true);
        try {
          const ok = await send(conflict.current, conflict.patch);
          if (ok) {
            setConflict(null);
            notifications.show({ color: 'green', message: t('conflict.reapplied') });
          }
        } catch (e) {
          notifications.show({ color: 'red', message: (e as Error).message });
        } finally {
          setBusy(false);
        }
      }}
    />
  );
  return { save, dialog };
}
