/** Display and input controls for every field type, so lists, record pages and forms agree. */
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { Anchor, Badge, Checkbox, Group, NumberInput, Select, TagsInput, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { leanBadge, leanText } from './lean.tsx';
import { api, type Page } from '../app/api.ts';
import { customLabel, useUsers, useVocabLabel, useVocabOptions, useUserName } from '../app/data.ts';
import { COUNTRY_CODES, formatCountry, formatDate, formatDateTime, formatMoney, formatNumber, formatPercent, normalizeIso } from '../app/format.ts';
import { ENTITIES, nameKey, type EntityName, type FieldDef } from '../features/entities.ts';
import { FitBadge } from '../features/evaluation/FitBadge.tsx';
import { WinBadge } from '../features/evaluation/WinBadge.tsx';
import type { Reason } from '../features/evaluation/data.ts';
import { isOverdue } from '../features/tasks/views.ts';

export const STAGE_COLORS: Record<string, string> = {
  recognition_of_needs: 'cyan',
  evaluation_of_options: 'blue',
  resolution_of_concerns: 'violet',
  decision: 'orange',
  implementation: 'teal',
};
const ENUM_COLORS: Record<string, string> = {
  open: 'blue', won: 'green', lost: 'red', done: 'green', cancelled: 'gray', customer: 'green', prospect: 'blue', partner: 'grape', competitor: 'red',
  granted: 'green', denied: 'red', unknown: 'gray', key: 'indigo', development: 'teal', maintenance: 'yellow', opportunity: 'gray',
  strategic: 'indigo', preferred: 'green', provisional: 'yellow', passively_phased_out: 'orange', actively_phased_out: 'red',
  confirmed: 'blue', shipped: 'cyan', delivered: 'teal', invoiced: 'green',
};

export function useFieldLabel() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  // Stable per language, so lists can memoize their columns on it.
  return useCallback((f: Pick<FieldDef, 'key' | 'custom' | 'label'>) => (f.custom ? customLabel(f.label, lang, f.key) : t(`field.${f.key}`)), [t, lang]);
}

function useRecordTitle(ref: EntityName | undefined, id: unknown) {
  const enabled = !!ref && typeof id === 'string' && id.length > 0;
  return useQuery({
    queryKey: [ref, id],
    queryFn: () => api<Record<string, unknown>>(`/${ref}/${String(id)}`),
    enabled,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export function RefLink({ entity, id, name }: { entity: EntityName; id: unknown; name?: unknown }) {
  if (!id) return null;
  // Lists send the name with the id: only a bare id needs the record fetched for its title.
  if (name) return <RefAnchor entity={entity} id={id} title={String(name)} />;
  return <FetchedRefLink entity={entity} id={id} />;
}

function FetchedRefLink({ entity, id }: { entity: EntityName; id: unknown }) {
  const { data, isLoading } = useRecordTitle(entity, id);
  const title = data ? String(data[ENTITIES[entity].titleField] ?? '') : isLoading ? '…' : String(id).slice(0, 8);
  return <RefAnchor entity={entity} id={id} title={title} />;
}

function RefAnchor({ entity, id, title }: { entity: EntityName; id: unknown; title: string }) {
  return (
    <Anchor component={Link} to={`/${entity}/${String(id)}`} size="sm" onClick={(e) => e.stopPropagation()} truncate>
      {title}
    </Anchor>
  );
}

/** Everything a value needs from hooks (language, vocabulary and user names), resolved once per screen, not per value. */
type ValueContext = { t: TFunction; lang: string; vocabLabel: (vocab: string, key: unknown) => string; userName: (id: unknown) => string };

export type ValueRenderer = (field: FieldDef, value: unknown, record?: Record<string, unknown>) => ReactNode;

/**
 * Read-only rendering of a field value. `record` lets money fields find their currency and refs their
 * embedded name. A pure function of its context, so a list renders its cells without a hook per cell,
 * and as Mantine's markup without a Mantine component per cell (see lean.tsx).
 */
function renderValue(ctx: ValueContext, field: FieldDef, value: unknown, record?: Record<string, unknown>): ReactNode {
  const { t, lang, vocabLabel, userName } = ctx;
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
    return leanText('—', { dimmed: true });
  }
  if (field.badge === 'fit') return <FitBadge score={Number(value)} reasons={record?.fitReasons as Reason[] | null} accountId={record?.id as string | undefined} />;
  if (field.badge === 'win') return <WinBadge probability={Number(value)} reasons={record?.winReasons as Reason[] | null} />;
  switch (field.type) {
    case 'vocab':
      return leanBadge(vocabLabel(field.vocab!, value), field.vocab === 'buying_stage' ? STAGE_COLORS[String(value)] ?? 'gray' : ENUM_COLORS[String(value)] ?? 'gray');
    case 'enum':
      if (field.custom) return leanText(String(value));
      return leanBadge(t(`enum.${field.enumName}.${String(value)}`), ENUM_COLORS[String(value)] ?? 'gray');
    case 'money':
      return leanText(formatMoney(value, record?.[field.currencyField ?? 'currency'] as string, lang), { monospace: true });
    case 'number':
      return leanText(formatNumber(value, lang));
    case 'percent':
      return leanText(formatPercent(value, lang));
    case 'date':
      return leanText(formatDate(value, lang));
    case 'datetime':
      if (field.flagOverdue && record && isOverdue({ status: record.status, dueAt: value })) {
        return <Group gap={4} wrap="nowrap" data-testid="overdue">{leanText(formatDateTime(value, lang), { truncate: true })}{leanBadge(t('task.overdue'), 'red')}</Group>;
      }
      return leanText(formatDateTime(value, lang));
    case 'user':
      return leanText((record?.[nameKey(field.key)] as string | undefined) ?? (userName(value) || '—'), { truncate: true });
    case 'ref': {
      const embedded = record?.[nameKey(field.key)];
      return <RefLink entity={field.ref!} id={value} name={embedded} />;
    }
    case 'country':
      return leanText(formatCountry(value, lang));
    case 'bool':
      return leanText(value ? t('common.yes') : t('common.no'));
    case 'tags':
      return (
        <Group gap={4} wrap="nowrap">
          {(value as string[]).map((v) => <Badge key={v} size="sm" variant="outline" color="gray" tt="none">{v}</Badge>)}
        </Group>
      );
    case 'url': {
      const href = /^https?:/.test(String(value)) ? String(value) : `https://${String(value)}`;
      return <Anchor href={href} target="_blank" rel="noreferrer" size="sm" onClick={(e) => e.stopPropagation()}>{String(value)}</Anchor>;
    }
    case 'people': {
      const p = value as { contacts?: { id: string; name: string }[]; users?: { id: string; name: string }[] };
      const contacts = p.contacts ?? [];
      const users = p.users ?? [];
      if (!contacts.length && !users.length) return leanText('—', { dimmed: true });
      return (
        <Group gap={4} wrap="nowrap" style={{ overflow: 'hidden' }} data-testid="participants">
          {contacts.map((c, k) => <span key={c.id}><RefAnchor entity="contacts" id={c.id} title={c.name} />{k < contacts.length - 1 || users.length ? ',' : ''}</span>)}
          {users.length > 0 && leanText(users.map((u) => u.name).join(', '), { dimmed: true, truncate: true })}
        </Group>
      );
    }
    case 'email':
      return <Anchor href={`mailto:${String(value)}`} size="sm" onClick={(e) => e.stopPropagation()}>{String(value)}</Anchor>;
    default:
      return leanText(String(value));
  }
}

/** The renderer for this screen's language and reference data: call it per cell instead of mounting `<FieldValue>`. */
export function useValueRenderer(): ValueRenderer {
  const { t, i18n } = useTranslation();
  const vocabLabel = useVocabLabel();
  const userName = useUserName();
  const lang = i18n.language;
  return useCallback<ValueRenderer>((field, value, record) => renderValue({ t, lang, vocabLabel, userName }, field, value, record), [t, lang, vocabLabel, userName]);
}

/** Read-only rendering of a field value. `record` lets money fields find their currency and refs their embedded name. */
export function FieldValue({ field, value, record }: { field: FieldDef; value: unknown; record?: Record<string, unknown> }) {
  return useValueRenderer()(field, value, record);
}

export function RefSelect({ entity, value, onChange, label, error, required, autoFocus }: {
  entity: EntityName; value: string | null; onChange: (v: string | null) => void; label?: ReactNode; error?: ReactNode; required?: boolean; autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 200);
  const def = ENTITIES[entity];
  const current = useRecordTitle(entity, value);
  const { data } = useQuery({
    queryKey: [entity, 'lookup', q],
    queryFn: ({ signal }) => api<Page<Record<string, unknown>>>(`/${entity}`, { query: { q: q || undefined, limit: 20, sort: def.titleField }, signal }),
    staleTime: 30_000,
  });
  const options = useMemo(() => {
    const list = (data?.data ?? []).map((r) => ({ value: String(r.id), label: String(r[def.titleField] ?? r.id) }));
    if (value && current.data && !list.some((o) => o.value === value)) list.unshift({ value, label: String(current.data[def.titleField] ?? value) });
    return list;
  }, [data, value, current.data, def.titleField]);
  return (
    <Select
      label={label}
      data={options}
      value={value}
      onChange={onChange}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: o }) => o}
      nothingFoundMessage={t('common.nothingFound')}
      placeholder={t('common.search')}
      error={error}
      required={required}
      autoFocus={autoFocus}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

function toLocalInput(v: unknown): string {
  if (!v) return '';
  const d = new Date(normalizeIso(String(v)));
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const CURRENCIES = ['USD', 'EUR', 'CNY', 'TWD', 'HKD', 'GBP', 'JPY', 'SGD', 'AUD', 'CAD'];

/** An input control for one field. Values are the API's values (ISO strings, numbers, keys). */
export function FieldInput({ field, value, onChange, error, autoFocus, withLabel = true, onBlur }: {
  field: FieldDef; value: unknown; onChange: (v: unknown) => void; error?: ReactNode; autoFocus?: boolean; withLabel?: boolean; onBlur?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const fieldLabel = useFieldLabel();
  const label = withLabel ? fieldLabel(field) : undefined;
  const aria = withLabel ? undefined : fieldLabel(field);
  const vocabOptions = useVocabOptions(field.type === 'vocab' ? field.vocab : undefined);
  const users = useUsers();
  const common = { label, error, autoFocus, required: field.required, 'aria-label': aria, onBlur };
  switch (field.type) {
    case 'longtext':
      return <Textarea {...common} autosize minRows={3} value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'number':
    case 'money':
    case 'percent':
      return (
        <NumberInput
          {...common}
          value={value === null || value === undefined || value === '' ? '' : Number(value)}
          onChange={(v) => onChange(v === '' ? null : typeof v === 'number' ? v : Number(v))}
          thousandSeparator={i18n.language === 'en' ? ',' : ','}
          allowDecimal={field.type !== 'number'}
        />
      );
    case 'currency':
      return <Select {...common} allowDeselect={false} data={CURRENCIES} value={(value as string) ?? null} onChange={(v) => onChange(v)} searchable clearable />;
    case 'date':
      return <TextInput {...common} type="date" value={(value as string)?.slice(0, 10) ?? ''} onChange={(e) => onChange(e.currentTarget.value || null)} />;
    case 'datetime':
      return (
        <TextInput
          {...common}
          type="datetime-local"
          value={toLocalInput(value)}
          onChange={(e) => onChange(e.currentTarget.value ? new Date(e.currentTarget.value).toISOString() : null)}
        />
      );
    case 'vocab':
      return <Select {...common} allowDeselect={false} data={vocabOptions} value={(value as string) ?? null} onChange={(v) => onChange(v)} clearable={!field.required} searchable comboboxProps={{ withinPortal: true }} />;
    case 'enum': {
      const data = (field.options ?? []).map((o) => ({ value: o, label: field.custom ? o : t(`enum.${field.enumName}.${o}`) }));
      const v = value === null || value === undefined ? null : String(value);
      return <Select {...common} allowDeselect={false} data={data} value={v} onChange={(x) => onChange(field.numeric && x ? Number(x) : x)} clearable={!field.required} comboboxProps={{ withinPortal: true }} />;
    }
    case 'bool':
      return <Checkbox label={label ?? aria} checked={!!value} onChange={(e) => onChange(e.currentTarget.checked)} error={error} autoFocus={autoFocus} mt={withLabel ? 'lg' : 0} />;
    case 'user':
      return (
        <Select
          {...common}
          allowDeselect={false}
          data={(users.data ?? []).filter((u) => u.active !== false || u.id === value).map((u) => ({ value: u.id, label: u.name }))}
          value={(value as string) ?? null}
          onChange={(v) => onChange(v)}
          searchable
          clearable
          comboboxProps={{ withinPortal: true }}
        />
      );
    case 'ref':
      return <RefSelect entity={field.ref!} value={(value as string) ?? null} onChange={(v) => onChange(v)} label={label} error={error} required={field.required} autoFocus={autoFocus} />;
    case 'tags':
      return <TagsInput {...common} value={(value as string[]) ?? []} onChange={(v) => onChange(v)} data={field.custom ? field.options ?? [] : []} clearable />;
    case 'country':
      return (
        <Select
          {...common}
          allowDeselect={false}
          data={COUNTRY_CODES.map((c) => ({ value: c, label: `${formatCountry(c, i18n.language)} (${c})` }))}
          value={(value as string) ?? null}
          onChange={(v) => onChange(v)}
          searchable
          clearable
          comboboxProps={{ withinPortal: true }}
        />
      );
    default:
      return <TextInput {...common} type={field.type === 'email' ? 'email' : 'text'} value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
}
