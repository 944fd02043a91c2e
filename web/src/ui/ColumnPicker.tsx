import { Button, Checkbox, Popover, ScrollArea, Stack, Text, Group, ActionIcon } from '@mantine/core';
import { IconArrowUp, IconColumns } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { paramName, type FieldDef } from '../features/entities.ts';
import { useFieldLabel } from './fields.tsx';

/** Choose and order the visible columns. */
export function ColumnPicker({ fields, columns, onChange }: { fields: FieldDef[]; columns: string[]; onChange: (c: string[]) => void }) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const shown = columns.map((c) => fields.find((f) => paramName(f) === c)).filter((f): f is FieldDef => !!f);
  const hidden = fields.filter((f) => !columns.includes(paramName(f)));
  return (
    <Popover position="bottom-end" shadow="md" trapFocus>
      <Popover.Target>
        <Button size="sm" variant="default" leftSection={<IconColumns size={16} />} data-testid="column-picker">{t('list.columns')}</Button>
      </Popover.Target>
      <Popover.Dropdown p="xs">
        <ScrollArea.Autosize mah={380} w={260}>
          <Stack gap={4}>
            <Text size="xs" c="dimmed" fw={600}>{t('list.shownColumns')}</Text>
            {shown.map((f, i) => (
              <Group key={paramName(f)} gap={4} wrap="nowrap" justify="space-between">
                <Checkbox size="xs" label={label(f)} checked onChange={() => onChange(columns.filter((c) => c !== paramName(f)))} disabled={columns.length === 1} />
                {i > 0 && (
                  <ActionIcon size="xs" variant="subtle" color="gray" aria-label={t('list.moveUp')} onClick={() => {
                    const next = [...columns];
                    [next[i - 1], next[i]] = [next[i]!, next[i - 1]!];
                    onChange(next);
                  }}><IconArrowUp size={12} /></ActionIcon>
                )}
              </Group>
            ))}
            <Text size="xs" c="dimmed" fw={600} mt="xs">{t('list.hiddenColumns')}</Text>
            {hidden.map((f) => (
              <Checkbox key={paramName(f)} size="xs" label={label(f)} checked={false} onChange={() => onChange([...columns, paramName(f)])} />
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
