import { useMemo, useState } from 'react';
import { Alert, Button, Group, Modal, SimpleGrid, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useMediaQuery } from '@mantine/hooks';
import { api, ApiError } from '../app/api.ts';
import { useCustomFields, useVocabOptions } from '../app/data.ts';
import { useSession } from '../app/auth.tsx';
import { createSchema, customToField, SERVER_SCHEMAS, type EntityDef, type FieldDef } from '../features/entities.ts';
import { FieldInput } from './fields.tsx';
import { compact, useZodForm } from './form.ts';

/** Create-record modal generated from the entity definition (plus required custom fields). */
export function CreateRecordModal({ entity, opened, onClose, initial = {}, onCreated }: {
  entity: EntityDef; opened: boolean; onClose: () => void; initial?: Record<string, unknown>; onCreated?: (r: Record<string, unknown>) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={useTranslation().t(`create.${entity.single}`)} size="lg" fullScreen={useMediaQuery('(max-width: 600px)')}>
      {opened && <CreateRecordForm entity={entity} initial={initial} onDone={(r) => { onCreated?.(r); onClose(); }} onCancel={onClose} />}
    </Modal>
  );
}

export function CreateRecordForm({ entity, initial, onDone, onCancel, fields: only }: {
  entity: EntityDef; initial: Record<string, unknown>; onDone: (r: Record<string, unknown>) => void; onCancel: () => void; fields?: string[];
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const custom = useCustomFields(entity.single);
  const fields: FieldDef[] = useMemo(() => {
    const base = entity.fields.filter((f) => (only ? only.includes(f.key) : f.create) && !f.readOnly);
    const cf = (custom.data ?? []).map(customToField).filter((f) => f.required);
    return [...base, ...cf];
  }, [entity, custom.data, only]);
  const schema = useMemo(
    () => {
      const derived = createSchema(fields, { required: t('validation.required'), email: t('validation.email'), url: t('validation.url'), number: t('validation.number') });
      const server = SERVER_SCHEMAS[entity.name]?.create;
      // Required fields of the form are checked by the derived schema too: the server may fill some itself.
      return server ? [derived, server] : [derived];
    },
    [fields, t, entity.name],
  );
  const { user, org } = useSession();
  const firstStage = useVocabOptions('buying_stage')[0]?.value ?? '';
  // Sensible starting values: the record is mine, in the organization's currency, at the first stage.
  const startValue = (f: FieldDef): unknown => {
    if (f.type === 'tags') return [];
    if (f.type === 'bool') return false;
    if (f.type === 'user' && !f.custom) return user.id;
    if (f.type === 'currency') return org.baseCurrency;
    if (f.type === 'vocab' && f.vocab === 'buying_stage') return firstStage;
    return '';
  };
  const form = useZodForm(schema, { ...Object.fromEntries(fields.map((f) => [f.key, startValue(f)])), ...initial }, t);
  const [formError, setFormError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<Record<string, unknown>>(`/${entity.name}`, { method: 'POST', body }),
    onSuccess: (rec) => {
      void qc.invalidateQueries({ queryKey: [entity.name] });
      void qc.invalidateQueries({ queryKey: ['timeline'] });
      notifications.show({ color: 'green', message: t('create.done') });
      onDone(rec);
    },
    onError: (err) => {
      form.setServerError(err);
      setFormError(err instanceof ApiError && err.fields.length ? null : (err as Error).message);
    },
  });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!form.validate()) return;
    const body: Record<string, unknown> = {};
    const customBody: Record<string, unknown> = {};
    for (const f of fields) {
      const v = form.values[f.key];
      if (f.custom) customBody[f.key] = v;
      else body[f.key] = v;
    }
    const out = compact(body);
    const cb = compact(customBody);
    if (Object.keys(cb).length) out.custom = cb;
    mutation.mutate(out);
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {formError && <Alert color="red" role="alert">{formError}</Alert>}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {fields.map((f, i) => (
            <div key={f.key} style={f.type === 'longtext' ? { gridColumn: '1 / -1' } : undefined}>
              <FieldInput field={f} value={form.values[f.key]} onChange={(v) => form.set(f.key, v)} error={form.errorOf(f.key)} autoFocus={i === 0} />
            </div>
          ))}
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>{t('common.cancel')}</Button>
          <Button type="submit" loading={mutation.isPending} data-testid="create-submit">{t('common.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
