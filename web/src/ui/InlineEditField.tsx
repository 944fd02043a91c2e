import { useMemo, useState } from 'react';
import { ActionIcon, Box, Group, Text } from '@mantine/core';
import { IconCheck, IconPencil, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api.ts';
import { createSchema, patchFor, readField, SERVER_SCHEMAS, type EntityName, type FieldDef } from '../features/entities.ts';
import { FieldInput, FieldValue, useFieldLabel } from './fields.tsx';
import { localizeFieldError, zodFieldErrors } from './form.ts';

const SAVE_ON_CHANGE = new Set(['vocab', 'enum', 'user', 'ref', 'country', 'bool', 'currency']);

/** Click (or Enter) to edit one field of a record; Enter/✓ saves, Escape cancels. */
export function InlineEditField({ field, record, onSave, readOnly, entity }: {
  field: FieldDef; record: Record<string, unknown>; onSave: (patch: Record<string, unknown>) => Promise<boolean>; readOnly?: boolean; entity?: EntityName;
}) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const value = readField(record, field);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<unknown>(value);
  const [serverError, setServerError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const schema = useMemo(() => {
    const derived = createSchema([{ ...field, custom: false }], { required: t('validation.required'), email: t('validation.email'), url: t('validation.url'), number: t('validation.number') });
    const server = !field.custom && entity ? SERVER_SCHEMAS[entity]?.update : undefined;
    return server ? [derived, server] : [derived];
  }, [field, t, entity]);
  const clientError = editing ? zodFieldErrors(schema, draft === '' || draft === null || (Array.isArray(draft) && !draft.length) ? {} : { [field.key]: draft }, t)[field.key] : undefined;
  const editable = !readOnly && !field.readOnly;

  async function commit(v: unknown = draft) {
    if (clientError && v === draft) return;
    if (JSON.stringify(v ?? null) === JSON.stringify(value ?? null)) {
      setEditing(false);
      return;
    }
    setSaving(true);
    setServerError(null);
    try {
      await onSave(patchFor(field, v === '' ? null : v));
      setEditing(false);
    } catch (e) {
      const err = e as ApiError;
      const fe = err.fields?.find((f) => f.path.endsWith(field.key));
      setServerError(fe ? localizeFieldError(fe, t) : err.message);
    } finally {
      setSaving(false);
    }
  }

  if (!editing) {
    return (
      <Box>
        <Text size="xs" c="dimmed" mb={2}>{label(field)}</Text>
        <Group
          gap={6}
          wrap="nowrap"
          className={editable ? 'accord-inline' : undefined}
          tabIndex={editable ? 0 : undefined}
          role={editable ? 'button' : undefined}
          aria-label={editable ? t('inline.edit', { field: label(field) }) : undefined}
          data-testid={`inline-${field.key}`}
          onClick={() => {
            if (!editable) return;
            setDraft(value);
            setEditing(true);
          }}
          onKeyDown={(e) => {
            if (editable && (e.key === 'Enter' || e.key === ' ')) {
              e.preventDefault();
              setDraft(value);
              setEditing(true);
            }
          }}
        >
          <Box style={{ flex: 1, minWidth: 0 }}><FieldValue field={field} value={value} record={record} /></Box>
          {editable && <IconPencil size={12} color="var(--mantine-color-gray-5)" />}
        </Group>
      </Box>
    );
  }

  return (
    <Box
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          setEditing(false);
        }
        if (e.key === 'Enter' && field.type !== 'longtext' && !SAVE_ON_CHANGE.has(field.type)) {
          e.preventDefault();
          void commit();
        }
      }}
    >
      <Text size="xs" c="dimmed" mb={2}>{label(field)}</Text>
      <Group gap={4} wrap="nowrap" align="flex-start">
        <Box style={{ flex: 1 }}>
          <FieldInput
            field={field}
            value={draft}
            withLabel={false}
            autoFocus
            error={serverError ?? clientError}
            onChange={(v) => {
              setDraft(v);
              setServerError(null);
              if (SAVE_ON_CHANGE.has(field.type)) void commit(v);
            }}
          />
        </Box>
        {!SAVE_ON_CHANGE.has(field.type) && (
          <ActionIcon variant="filled" onClick={() => void commit()} loading={saving} aria-label={t('common.save')} data-testid={`inline-save-${field.key}`}>
            <IconCheck size={16} />
          </ActionIcon>
        )}
        <ActionIcon variant="default" onClick={() => setEditing(false)} aria-label={t('common.cancel')}><IconX size={16} /></ActionIcon>
      </Group>
    </Box>
  );
}
