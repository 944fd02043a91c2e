import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button, Group, Menu, Modal, Paper, Select, Stack, Text, TextInput, Title, Badge, ActionIcon, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconDeviceFloppy, IconDots, IconDownload, IconEdit, IconPlus, IconTrash, IconUserShare } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { useCanWrite, useSession } from '../../app/auth.tsx';
import { countQueryKey, fetchListCount, fetchListPage, listQueryKey, nextListCursor, readListState, saveListState, type ListRecord } from './listQuery.ts';
import { countParams, exportUrl, listParams, nextSort, type Filter, type ListState } from '../../app/query.ts';
import { customToField, nameKey, paramName, readField, type EntityDef, type FieldDef } from '../entities.ts';
import { useCustomFields, useVocabularies } from '../../app/data.ts';
import { formatNumber } from '../../app/format.ts';
import { DataTable, type Column } from '../../ui/DataTable.tsx';
import { columnWidth } from './columns.ts';
import { FilterBar } from '../../ui/FilterBar.tsx';
import { ColumnPicker } from '../../ui/ColumnPicker.tsx';
import { FieldInput, useFieldLabel, useValueRenderer } from '../../ui/fields.tsx';
import { leanText } from '../../ui/lean.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { QueryError } from '../../ui/ErrorBoundary.tsx';
import { CreateRecordModal } from '../../ui/RecordForm.tsx';

type Rec = ListRecord;

/** Fields shown as badges (ui/fields.tsx renderValue): on a card they sit under the title, without a label. */
const isBadge = (f: FieldDef) => !!f.badge || ((f.type === 'vocab' || f.type === 'enum') && !f.custom);
const isBlank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
type SavedView = { id: string; entity: string; name: string; config: Partial<ListState>; version?: number };

/** The filters a list opens with, `@me` read as the signed-in user. */
function defaultFilters(entity: EntityDef, me: string): Filter[] {
  return (entity.defaultFilters ?? []).map((f) => (f.value === '@me' ? { ...f, value: me } : f));
}

function initialState(entity: EntityDef, me: string): ListState {
  return readListState(entity.name, { filters: defaultFilters(entity, me), sort: entity.defaultSort, q: '', columns: entity.defaultColumns });
}

/** `extraActions` gets the list's filters and search, and a way to replace them (segments do). */
type ListActions = (list: { filters: Filter[]; q: string; apply: (filters: Filter[], q: string) => void }) => React.ReactNode;

export function ListPage({ entity, title, extraActions }: { entity: EntityDef; title: string; extraActions?: ListActions }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { user } = useSession();
  const canWrite = useCanWrite();
  const label = useFieldLabel();
  const renderValue = useValueRenderer();
  const custom = useCustomFields(entity.single);
  const vocabs = useVocabularies().data;
  const fields = useMemo(() => [...entity.fields, ...(custom.data ?? []).map(customToField)], [entity.fields, custom.data]);
  // Participants are shown, not filtered on here (the API filters them by id: contactIds=<id>).
  const filterable = useMemo(() => fields.filter((f) => f.type !== 'people'), [fields]);
  const [state, setState] = useState<ListState>(() => initialState(entity, user.id));
  const [debouncedQ] = useDebouncedValue(state.q, 250);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [viewId, setViewId] = useState<string | null>(null);
  const [createOpen, createCtl] = useDisclosure();
  const [bulkField, setBulkField] = useState<string | null>(null);
  const [saveOpen, saveCtl] = useDisclosure();

  useEffect(() => {
    saveListState(entity.name, state);
  }, [entity.name, state]);

  const params = listParams({ ...state, q: debouncedQ });
  // Same key and request as the start-up prefetch (listQuery.ts), so opening the app on a list finds it loading already.
  const list = useInfiniteQuery({
    queryKey: listQueryKey(entity.name, params),
    queryFn: ({ pageParam, signal }) => fetchListPage(entity.name, params, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: nextListCursor,
    placeholderData: keepPreviousData,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const countQuery = countParams({ ...state, q: debouncedQ });
  const count = useQuery({
    queryKey: countQueryKey(entity.name, countQuery),
    queryFn: ({ signal }) => fetchListCount(entity.name, countQuery, signal),
    placeholderData: keepPreviousData,
  });
  const total = count.data;

  const views = useQuery({
    queryKey: ['views', entity.name],
    queryFn: async () => (await api<{ data: SavedView[] }>('/views', { query: { entity: entity.single } })).data,
    retry: false,
  });

  // The labels a badge column can show, in this language.
  const badgeLabels = useCallback((f: FieldDef): string[] => {
    if (f.custom) return [];
    if (f.type === 'vocab' && f.vocab) return (vocabs?.[f.vocab] ?? []).map((x) => x.label[i18n.language] ?? x.label.en ?? x.key);
    if (f.type === 'enum' && f.enumName) return (f.options ?? []).map((o) => t(`enum.${f.enumName}.${o}`));
    return [];
  }, [vocabs, i18n.language, t]);
  const columns: Column<Rec>[] = useMemo(
    () => state.columns
      .map((key) => fields.find((f) => paramName(f) === key))
      .filter((f): f is FieldDef => !!f)
      .map((f) => ({
        key: paramName(f),
        header: label(f),
        width: columnWidth(f.width ?? (f.type === 'datetime' ? 185 : 140), label(f), badgeLabels(f)),
        // References sort by the name the server sends with them, not by their id.
        sortKey: f.type === 'tags' || f.type === 'longtext' || f.type === 'people' ? undefined : (f.type === 'ref' || f.type === 'user') && !f.custom ? nameKey(f.key) : paramName(f),
        render: (r: Rec) => f.key === entity.titleField && !f.custom
          ? leanText(String(r[f.key] ?? '—'), { block: true, fw: 600, truncate: true })
          : renderValue(f, readField(r, f), r),
        // On a phone's card: the record's name is the title, lists and scores are badges under it, the rest labelled fields.
        card: f.key === entity.titleField && !f.custom ? 'title' as const : isBadge(f) ? 'badge' as const : undefined,
        isEmpty: (r: Rec) => isBlank(readField(r, f)),
      })),
    [state.columns, fields, label, entity.titleField, renderValue, badgeLabels],
  );

  const bulk = useMutation({
    mutationFn: (patch: Record<string, unknown>) => api<{ updated: number }>(`/${entity.name}/bulk-update`, { method: 'POST', body: { ids: [...selected], patch } }),
    onSuccess: (res) => {
      notifications.show({ color: 'green', message: t('bulk.done', { count: res.updated }) });
      setSelected(new Set());
      setBulkField(null);
      void qc.invalidateQueries({ queryKey: [entity.name] });
    },
    onError: (e) => notifications.show({ color: 'red', title: t('bulk.failed'), message: (e as Error).message }),
  });

  const saveView = useMutation({
    mutationFn: async ({ name, asNew }: { name: string; asNew: boolean }) => {
      const config = { filters: state.filters, sort: state.sort, columns: state.columns, q: state.q };
      const existing = views.data?.find((v) => v.id === viewId);
      if (existing && !asNew) return api<SavedView>(`/views/${existing.id}`, { method: 'PATCH', body: { name, config }, ifMatch: existing.version });
      return api<SavedView>('/views', { method: 'POST', body: { entity: entity.single, name, config } });
    },
    onSuccess: (v) => {
      setViewId(v.id);
      saveCtl.close();
      void qc.invalidateQueries({ queryKey: ['views', entity.name] });
      notifications.show({ color: 'green', message: t('views.saved') });
    },
    onError: (e) => notifications.show({ color: 'red', message: (e as Error).message }),
  });

  const deleteView = useMutation({
    mutationFn: (id: string) => api(`/views/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      setViewId(null);
      void qc.invalidateQueries({ queryKey: ['views', entity.name] });
    },
  });

  function applyView(id: string | null) {
    setViewId(id);
    const v = views.data?.find((x) => x.id === id);
    if (!v) {
      setState({ filters: defaultFilters(entity, user.id), sort: entity.defaultSort, q: '', columns: entity.defaultColumns });
      return;
    }
    setState({ filters: v.config.filters ?? [], sort: v.config.sort ?? entity.defaultSort, q: v.config.q ?? '', columns: v.config.columns ?? entity.defaultColumns });
  }

  /** Downloads from the server, which streams every row of this filter (not only the loaded page) as raw values. */
  function exportCsv(all: boolean) {
    const a = document.createElement('a');
    a.href = exportUrl(entity.name, { ...state, q: debouncedQ }, all ? [] : state.columns, [...selected]);
    a.download = '';
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  const setFilters = (filters: Filter[]) => setState((s) => ({ ...s, filters }));
  const bulkFieldDef = fields.find((f) => f.key === bulkField);
  const isFiltered = state.filters.length > 0 || !!state.q;

  return (
    <Stack p="md" gap="sm">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="sm">
          <Title order={2} size="h3">{title}</Title>
          {total !== undefined && <Badge variant="light" color="gray" size="lg" data-testid="list-total">{formatNumber(total, i18n.language)}</Badge>}
        </Group>
        <Group gap="xs">
          <Select
            size="sm"
            w={200}
            placeholder={t('views.all')}
            data={(views.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
            value={viewId}
            onChange={applyView}
            clearable
            aria-label={t('views.label')}
          />
          <Tooltip label={t('views.save')}>
            <ActionIcon size="lg" variant="default" onClick={saveCtl.open} aria-label={t('views.save')} data-testid="save-view"><IconDeviceFloppy size={18} /></ActionIcon>
          </Tooltip>
          {viewId && (
            <Tooltip label={t('views.delete')}>
              <ActionIcon size="lg" variant="default" color="red" onClick={() => deleteView.mutate(viewId)} aria-label={t('views.delete')}><IconTrash size={16} /></ActionIcon>
            </Tooltip>
          )}
          <ColumnPicker fields={fields} columns={state.columns} onChange={(columns) => setState((s) => ({ ...s, columns }))} />
          <Menu position="bottom-end">
            <Menu.Target>
              <Button size="sm" variant="default" leftSection={<IconDownload size={16} />} disabled={!rows.length} data-testid="export-button">{t('list.export')}</Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{selected.size ? t('list.exportSelected', { count: selected.size }) : t('list.exportRows', { count: total ?? rows.length })}</Menu.Label>
              <Menu.Item onClick={() => exportCsv(false)} data-testid="export-shown">{t('list.exportShown')}</Menu.Item>
              <Menu.Item onClick={() => exportCsv(true)} data-testid="export-all">{t('list.exportAll')}</Menu.Item>
            </Menu.Dropdown>
          </Menu>
          {extraActions?.({
            filters: state.filters,
            q: state.q,
            apply: (filters, q) => {
              setViewId(null);
              setState((s) => ({ ...s, filters, q }));
            },
          })}
          {canWrite && <Button size="sm" leftSection={<IconPlus size={16} />} onClick={createCtl.open} data-testid="create-button">{t(`create.${entity.single}`)}</Button>}
        </Group>
      </Group>
      <FilterBar fields={filterable} filters={state.filters} onFilters={setFilters} q={state.q} onQ={(q) => setState((s) => ({ ...s, q }))} />
      {canWrite && selected.size > 0 && (
        <Paper withBorder p={6} px="sm" bg="indigo.0">
          <Group gap="xs">
            <Text size="sm" fw={600}>{t('bulk.selected', { count: selected.size })}</Text>
            {entity.ownerField && (
              <Button size="xs" variant="light" leftSection={<IconUserShare size={14} />} onClick={() => setBulkField(entity.ownerField!)}>{t('bulk.assign')}</Button>
            )}
            <Menu>
              <Menu.Target><Button size="xs" variant="light" leftSection={<IconEdit size={14} />} rightSection={<IconDots size={12} />}>{t('bulk.edit')}</Button></Menu.Target>
              <Menu.Dropdown>
                {entity.bulk.map((k) => {
                  const f = fields.find((x) => x.key === k)!;
                  return <Menu.Item key={k} onClick={() => setBulkField(k)}>{label(f)}</Menu.Item>;
                })}
              </Menu.Dropdown>
            </Menu>
            <Button size="xs" variant="subtle" onClick={() => setSelected(new Set())}>{t('bulk.clear')}</Button>
          </Group>
        </Paper>
      )}
      {list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable
          label={title}
          rows={rows}
          columns={columns}
          sort={state.sort}
          onSort={(k) => setState((s) => ({ ...s, sort: nextSort(s.sort, k) }))}
          selected={selected}
          onSelect={setSelected}
          onOpen={(r) => navigate(`/${entity.name}/${r.id}`)}
          hrefOf={(r) => `/${entity.name}/${r.id}`}
          hasMore={list.hasNextPage}
          loadMore={() => void list.fetchNextPage()}
          loadingMore={list.isFetchingNextPage}
          loading={list.isLoading}
          total={total}
          empty={
            <EmptyState
              title={isFiltered ? t('list.noMatches') : t('list.empty')}
              description={isFiltered ? t('list.noMatchesHint') : t('list.emptyHint')}
              action={isFiltered
                ? <Button variant="light" onClick={() => setState((s) => ({ ...s, filters: [], q: '' }))}>{t('filter.clearAll')}</Button>
                : canWrite ? <Button onClick={createCtl.open}>{t(`create.${entity.single}`)}</Button> : null}
            />
          }
        />
      )}
      <CreateRecordModal entity={entity} opened={createOpen} onClose={createCtl.close} onCreated={(r) => navigate(`/${entity.name}/${String(r.id)}`)} />
      <BulkModal
        field={bulkFieldDef}
        count={selected.size}
        busy={bulk.isPending}
        onClose={() => setBulkField(null)}
        onApply={(v) => bulkFieldDef && bulk.mutate(bulkFieldDef.custom ? { custom: { [bulkFieldDef.key]: v } } : { [bulkFieldDef.key]: v })}
      />
      <SaveViewModal
        opened={saveOpen}
        onClose={saveCtl.close}
        initialName={views.data?.find((v) => v.id === viewId)?.name ?? ''}
        canOverwrite={!!viewId}
        busy={saveView.isPending}
        onSave={(name, asNew) => saveView.mutate({ name, asNew })}
      />
    </Stack>
  );
}

function BulkModal({ field, count, busy, onClose, onApply }: { field?: FieldDef; count: number; busy: boolean; onClose: () => void; onApply: (v: unknown) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState<unknown>(null);
  useEffect(() => setValue(null), [field]);
  return (
    <Modal opened={!!field} onClose={onClose} title={t('bulk.title', { count })}>
      {field && (
        <Stack>
          <FieldInput field={{ ...field, required: false }} value={value} onChange={setValue} autoFocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button loading={busy} onClick={() => onApply(value)} data-testid="bulk-apply">{t('bulk.apply', { count })}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function SaveViewModal({ opened, onClose, initialName, canOverwrite, busy, onSave }: {
  opened: boolean; onClose: () => void; initialName: string; canOverwrite: boolean; busy: boolean; onSave: (name: string, asNew: boolean) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(initialName);
  useEffect(() => setName(initialName), [initialName, opened]);
  const error = name.trim() ? null : t('validation.required');
  return (
    <Modal opened={opened} onClose={onClose} title={t('views.save')}>
      <form onSubmit={(e) => { e.preventDefault(); if (!error) onSave(name.trim(), !canOverwrite); }}>
        <Stack>
          <TextInput label={t('views.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={name ? error : null} autoFocus required data-testid="view-name" />
          <Group justify="flex-end">
            {canOverwrite && <Button variant="default" disabled={!!error} onClick={() => onSave(name.trim(), true)}>{t('views.saveAsNew')}</Button>}
            <Button type="submit" disabled={!!error} loading={busy}>{t('common.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
