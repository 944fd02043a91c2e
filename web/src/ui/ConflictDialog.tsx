import { Alert, Badge, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { IconGitMerge } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { EntityDef, FieldDef } from '../features/entities.ts';
import { FieldValue, useFieldLabel } from './fields.tsx';
import { overlapping, patchKeys, theirChanges, valueAt, type Rec } from './conflict.ts';
import { useUserName } from '../app/data.ts';
import { formatDateTime } from '../app/format.ts';

export type Conflict = { base: Rec; current: Rec; patch: Rec };

function fieldFor(entity: EntityDef, dotted: string): FieldDef {
  if (dotted.startsWith('custom.')) return { key: dotted.slice(7), type: 'text', custom: true };
  return entity.fields.find((f) => f.key === dotted) ?? { key: dotted, type: 'text' };
}

/**
 * Someone else saved the record first. Show what they changed next to what we tried to save, and
 * let the user re-apply theirs-plus-ours (our fields on top of their version) or keep theirs —
 * in which case our values stay visible here so they can be copied, never silently dropped.
 */
export function ConflictDialog({ entity, conflict, onReapply, onKeepTheirs, busy }: {
  entity: EntityDef; conflict: Conflict | null; onReapply: () => void; onKeepTheirs: () => void; busy?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const label = useFieldLabel();
  const userName = useUserName();
  if (!conflict) return null;
  const { base, current, patch } = conflict;
  const mine = patchKeys(patch);
  const theirs = theirChanges(base, current).filter((k) => !mine.includes(k));
  const clash = new Set(overlapping(base, current, patch));
  const mineRec: Rec = { ...current, ...patch, custom: { ...((current.custom ?? {}) as Rec), ...((patch.custom ?? {}) as Rec) } };
  return (
    <Modal opened onClose={onKeepTheirs} title={<Group gap="xs"><IconGitMerge size={18} /><Text fw={600}>{t('conflict.title')}</Text></Group>} size="lg" data-testid="conflict-dialog">
      <Stack>
        <Alert color="yellow" variant="light">
          {t('conflict.explain', { name: userName(current.updatedBy) || t('conflict.someone'), at: formatDateTime(current.updatedAt, i18n.language) })}
        </Alert>
        <Table withTableBorder verticalSpacing="xs" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('conflict.field')}</Table.Th>
              <Table.Th>{t('conflict.theirs')}</Table.Th>
              <Table.Th>{t('conflict.mine')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {mine.map((k) => {
              const f = fieldFor(entity, k);
              return (
                <Table.Tr key={k} bg={clash.has(k) ? 'yellow.0' : undefined}>
                  <Table.Td>{label(f)} {clash.has(k) && <Badge size="xs" color="yellow">{t('conflict.both')}</Badge>}</Table.Td>
                  <Table.Td><FieldValue field={f} value={valueAt(current, k)} record={current} /></Table.Td>
                  <Table.Td><FieldValue field={f} value={valueAt(mineRec, k)} record={mineRec} /></Table.Td>
                </Table.Tr>
              );
            })}
            {theirs.map((k) => {
              const f = fieldFor(entity, k);
              return (
                <Table.Tr key={k}>
                  <Table.Td>{label(f)}</Table.Td>
                  <Table.Td><FieldValue field={f} value={valueAt(current, k)} record={current} /></Table.Td>
                  <Table.Td><Text size="xs" c="dimmed">{t('conflict.unchanged')}</Text></Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        <Group justify="flex-end">
          <Button variant="default" onClick={onKeepTheirs} data-testid="conflict-keep">{t('conflict.keepTheirs')}</Button>
          <Button onClick={onReapply} loading={busy} data-testid="conflict-reapply">{t('conflict.reapply')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
