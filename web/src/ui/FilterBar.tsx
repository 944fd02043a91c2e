import { useState } from 'react';
import { ActionIcon, Badge, Button, Group, MultiSelect, Popover, Select, Stack, TextInput, CloseButton } from '@mantine/core';
import { IconFilterPlus, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Filter, Operator } from '../app/query.ts';
import { paramName, type FieldDef } from '../features/entities.ts';
import { useUsers, useVocabLabel, useVocabOptions, useUserName } from '../app/data.ts';
import { COUNTRY_CODES, formatCountry } from '../app/format.ts';
import { useFieldLabel } from './fields.tsx';

export function operatorsFor(type: FieldDef['type']): Operator[] {
  switch (type) {
    case 'number': case 'money': case 'percent': return ['eq', 'gt', 'gte', 'lt', 'lte', 'empty'];
    case 'date': case 'datetime': return ['gte', 'lte', 'gt', 'lt', 'empty'];
    case 'vocab': case 'enum': case 'user': case 'country': case 'currency': return ['eq', 'in', 'ne', 'nin', 'empty'];
    case 'ref': return ['eq', 'empty'];
    case 'bool': return ['eq'];
    case 'tags': return ['contains', 'empty'];
    default: return ['contains', 'eq', 'starts', 'ne', 'empty'];
  }
}

function useChoiceOptions(field: FieldDef | undefined) {
  const { t, i18n } = useTranslation();
  const vocab = useVocabOptions(field?.type === 'vocab' ? field.vocab : undefined, true);
  const users = useUsers();
  if (!field) return null;
  if (field.type === 'vocab') return vocab;
  if (field.type === 'enum') return (field.options ?? []).map((o) => ({ value: o, label: field.custom ? o : t(`enum.${field.enumName}.${o}`) }));
  if (field.type === 'user') return (users.data ?? []).map((u) => ({ value: u.id, label: u.name }));
  if (field.type === 'country') return COUNTRY_CODES.map((c) => ({ value: c, label: formatCountry(c, i18n.language) }));
  if (field.type === 'bool') return [{ value: 'true', label: t('common.yes') }, { value: 'false', label: t('common.no') }];
  return null;
}

function FilterEditor({ fields, initial, onApply, onCancel }: { fields: FieldDef[]; initial?: Filter; onApply: (f: Filter) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const [fieldKey, setFieldKey] = useState<string | null>(initial?.field ?? null);
  const field = fields.find((f) => paramName(f) === fieldKey);
  const ops = field ? operatorsFor(field.type) : [];
  const [op, setOp] = useState<Operator | null>(initial?.op ?? null);
  const [value, setValue] = useState(initial?.value ?? '');
  const choices = useChoiceOptions(field);
  const effectiveOp = op && ops.includes(op) ? op : ops[0];
  const multi = effectiveOp === 'in' || effectiveOp === 'nin';
  return (
    <Stack gap="xs" w={280}>
      <Select
        label={t('filter.field')}
        data={fields.map((f) => ({ value: paramName(f), label: label(f) }))}
        value={fieldKey}
        onChange={(v) => { setFieldKey(v); setValue(''); }}
        searchable
        comboboxProps={{ withinPortal: false }}
        data-testid="filter-field"
      />
      {field && (
        <Select
          label={t('filter.operator')}
          data={ops.map((o) => ({ value: o, label: t(`filter.op.${o}`) }))}
          value={effectiveOp ?? null}
          onChange={(v) => setOp(v as Operator)}
          comboboxProps={{ withinPortal: false }}
        />
      )}
      {field && effectiveOp === 'empty' && (
        <Select label={t('filter.value')} data={[{ value: 'true', label: t('filter.isEmpty') }, { value: 'false', label: t('filter.notEmpty') }]} value={value || 'true'} onChange={(v) => setValue(v ?? 'true')} comboboxProps={{ withinPortal: false }} />
      )}
      {field && effectiveOp !== 'empty' && (choices ? (
        multi ? (
          <MultiSelect label={t('filter.value')} data={choices} value={value ? value.split(',') : []} onChange={(v) => setValue(v.join(','))} searchable comboboxProps={{ withinPortal: false }} />
        ) : (
          <Select label={t('filter.value')} data={choices} value={value || null} onChange={(v) => setValue(v ?? '')} searchable comboboxProps={{ withinPortal: false }} />
        )
      ) : (
        <TextInput
          label={t('filter.value')}
          type={field.type === 'date' || field.type === 'datetime' ? 'date' : field.type === 'number' || field.type === 'money' ? 'number' : 'text'}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          data-testid="filter-value"
          onKeyDown={(e) => { if (e.key === 'Enter' && effectiveOp) onApply({ field: fieldKey!, op: effectiveOp, value }); }}
        />
      ))}
      <Group justify="flex-end" gap="xs">
        <Button size="xs" variant="default" onClick={onCancel}>{t('common.cancel')}</Button>
        <Button size="xs" disabled={!field || !effectiveOp} onClick={() => onApply({ field: fieldKey!, op: effectiveOp!, value: effectiveOp === 'empty' ? value || 'true' : value })} data-testid="filter-apply">
          {t('filter.apply')}
        </Button>
      </Group>
    </Stack>
  );
}

function FilterChip({ filter, fields, onChange, onRemove }: { filter: Filter; fields: FieldDef[]; onChange: (f: Filter) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const vocabLabel = useVocabLabel();
  const userName = useUserName();
  const { i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const field = fields.find((f) => paramName(f) === filter.field);
  const show = (v: string) => {
    if (!field) return v;
    if (field.type === 'vocab') return vocabLabel(field.vocab!, v);
    if (field.type === 'enum' && !field.custom) return t(`enum.${field.enumName}.${v}`);
    if (field.type === 'user') return userName(v);
    if (field.type === 'country') return formatCountry(v, i18n.language);
    if (field.type === 'bool') return v === 'true' ? t('common.yes') : t('common.no');
    return v;
  };
  const valueText = filter.op === 'empty' ? '' : filter.value.split(',').map(show).join(', ');
  return (
    <Popover opened={open} onChange={setOpen} position="bottom-start" shadow="md" trapFocus>
      <Popover.Target>
        <Badge
          variant="light"
          size="lg"
          tt="none"
          fw={500}
          style={{ cursor: 'pointer' }}
          onClick={() => setOpen((o) => !o)}
          rightSection={<CloseButton size="xs" onClick={(e) => { e.stopPropagation(); onRemove(); }} aria-label={t('filter.remove')} />}
        >
          {field ? label(field) : filter.field} {filter.op === 'empty' ? (filter.value === 'false' ? t('filter.notEmpty') : t('filter.isEmpty')) : t(`filter.op.${filter.op}`)} {valueText}
        </Badge>
      </Popover.Target>
      <Popover.Dropdown>
        <FilterEditor fields={fields} initial={filter} onApply={(f) => { onChange(f); setOpen(false); }} onCancel={() => setOpen(false)} />
      </Popover.Dropdown>
    </Popover>
  );
}

/** Search box plus removable filter chips over any field, custom fields included. */
export function FilterBar({ fields, filters, onFilters, q, onQ }: { fields: FieldDef[]; filters: Filter[]; onFilters: (f: Filter[]) => void; q: string; onQ: (q: string) => void }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  return (
    <Group gap="xs" wrap="wrap">
      <TextInput
        leftSection={<IconSearch size={14} />}
        placeholder={t('list.search')}
        aria-label={t('list.search')}
        value={q}
        onChange={(e) => onQ(e.currentTarget.value)}
        size="sm"
        w={240}
        rightSection={q ? <CloseButton size="sm" onClick={() => onQ('')} aria-label={t('common.clear')} /> : null}
        data-testid="list-search"
      />
      {filters.map((f, i) => (
        <FilterChip
          key={`${f.field}-${i}`}
          filter={f}
          fields={fields}
          onChange={(nf) => onFilters(filters.map((x, j) => (j === i ? nf : x)))}
          onRemove={() => onFilters(filters.filter((_, j) => j !== i))}
        />
      ))}
      <Popover opened={adding} onChange={setAdding} position="bottom-start" shadow="md" trapFocus>
        <Popover.Target>
          <Button size="sm" variant="subtle" leftSection={<IconFilterPlus size={16} />} onClick={() => setAdding((a) => !a)} data-testid="add-filter">
            {t('filter.add')}
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <FilterEditor fields={fields} onApply={(f) => { onFilters([...filters, f]); setAdding(false); }} onCancel={() => setAdding(false)} />
        </Popover.Dropdown>
      </Popover>
      {filters.length > 0 && (
        <ActionIcon variant="subtle" color="gray" onClick={() => onFilters([])} aria-label={t('filter.clearAll')}>
          <CloseButton component="span" size="sm" />
        </ActionIcon>
      )}
    </Group>
  );
}
