/** The report builder: record type, one or two groups, measures, the list's filters; table, chart, save, share, CSV. */
import { useEffect, useMemo, useState } from 'react';
import { ActionIcon, Alert, Button, Card, Group, SegmentedControl, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconPlus, IconTrash } from '@tabler/icons-react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { useCustomFields } from '../../app/data.ts';
import { filtersToParams, paramsToFilters, type Filter } from '../../app/query.ts';
import { downloadText, toCsv } from '../../ui/csv.ts';
import { FilterBar } from '../../ui/FilterBar.tsx';
import { customToField, type FieldDef } from '../entities.ts';
import { AGGREGATES, BUCKETS, RECORD_TYPES, type Aggregate, type Bucket, type RecordType, type ReportDefinitionInput } from '../../../../src/features/reports/schemas.ts';
import { useDeleteReport, useReportFields, useReportResult, useSaveReport, useSavedReports, type ReportFields } from './data.ts';
import { NS } from './i18n.ts';
import { listFieldsOf, useMeasureLabel, useReportFieldLabel } from './labels.ts';
import { ReportView, useResultTable, type ChartKind } from './ReportView.tsx';

type G = { field: string; bucket?: Bucket } | null;
type M = { agg: Aggregate; field?: string };
const FIELD_AGGS: Aggregate[] = ['sum', 'avg', 'min', 'max', 'weightedSum'];
const DEAL_AGGS: Aggregate[] = ['winRate', 'cycleMedian', 'cycleAvg', 'weightedSum'];
const SINGLE: Record<RecordType, string> = { accounts: 'account', contacts: 'contact', opportunities: 'opportunity', interactions: 'interaction', tasks: 'task', orders: 'order' };
const isDate = (type: string | undefined) => type === 'date' || type === 'timestamp';

/** Filter fields for the FilterBar: the list's own definitions (orders: derived from the report catalog). */
function useFilterFields(type: RecordType, catalog: ReportFields | undefined): FieldDef[] {
  const custom = useCustomFields(SINGLE[type]).data ?? [];
  return useMemo(() => {
    const listed = listFieldsOf(type)?.fields;
    const base: FieldDef[] = listed
      ? listed.filter((f) => catalog?.fields[f.key] !== undefined)
      : Object.entries(catalog?.fields ?? {}).filter(([k]) => !k.startsWith('custom.')).map(([key, t]) => ({ key, type: t === 'timestamp' ? 'datetime' : t === 'boolean' ? 'bool' : t === 'number' ? 'number' : t === 'date' ? 'date' : 'text' }) as FieldDef);
    return [...base, ...custom.map(customToField)];
  }, [type, catalog, custom]);
}

function initial(params: URLSearchParams): ReportDefinitionInput {
  try {
    const raw = params.get('def');
    if (raw) return JSON.parse(raw) as ReportDefinitionInput;
  } catch {
    /* a broken link opens the default report */
  }
  return { recordType: 'opportunities', groupBy: [{ field: 'buyingStage' }], measures: [{ agg: 'count' }, { agg: 'sum', field: 'amount' }], filters: { status: 'open' } };
}

export default function ReportsPage() {
  const { t } = useTranslation(NS);
  const [params] = useSearchParams();
  const start = useMemo(() => initial(params), [params]);
  const [type, setType] = useState<RecordType>(start.recordType);
  const [g0, setG0] = useState<G>(start.groupBy?.[0] ?? null);
  const [g1, setG1] = useState<G>(start.groupBy?.[1] ?? null);
  const [measures, setMeasures] = useState<M[]>(start.measures);
  const [filters, setFilters] = useState<Filter[]>(paramsToFilters(Object.fromEntries(Object.entries(start.filters ?? {}).filter(([k]) => k !== 'q'))));
  const [q, setQ] = useState(typeof start.filters?.q === 'string' ? start.filters.q : '');
  const [chart, setChart] = useState<ChartKind>(start.groupBy?.[0]?.bucket ? 'line' : 'bar');
  const [saved, setSaved] = useState<{ id: string; version: number; editable: boolean } | null>(null);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const catalog = useReportFields(type).data;
  const filterFields = useFilterFields(type, catalog);
  const fieldLabel = useReportFieldLabel(type);
  const measureLabel = useMeasureLabel(type);
  const tableOf = useResultTable(catalog?.vocab ?? {});
  const savedList = useSavedReports().data ?? [];
  const save = useSaveReport();
  const remove = useDeleteReport();

  const definition = useMemo<ReportDefinitionInput>(() => {
    const f: Record<string, string> = {};
    for (const [k, v] of Object.entries(filtersToParams(filters))) if (v !== undefined && v !== null && v !== '') f[k] = String(v);
    if (q.trim()) f.q = q.trim();
    return { recordType: type, groupBy: [g0, g1].filter((g): g is NonNullable<G> => g !== null), measures, filters: f };
  }, [type, g0, g1, measures, filters, q]);
  const result = useReportResult(catalog ? definition : null);
  const error = result.error instanceof ApiError ? result.error : null;

  // A new record type starts from a plain count: the old fields mean nothing there.
  const changeType = (next: RecordType) => {
    setType(next);
    setG0(null);
    setG1(null);
    setMeasures([{ agg: 'count' }]);
    setFilters([]);
    setQ('');
    setSaved(null);
  };
  useEffect(() => {
    if (g0?.bucket) setChart((c) => (c === 'bar' ? 'line' : c));
  }, [g0?.bucket]);

  const fields = catalog?.fields ?? {};
  const groupOptions = [
    ...Object.entries(fields).filter(([, ty]) => ty !== 'tags').map(([k]) => ({ value: k, label: fieldLabel(k) })),
    ...(catalog?.ownerField ? [{ value: 'ownerTeam', label: t('ownerTeam') }] : []),
  ].sort((a, b) => a.label.localeCompare(b.label));
  const aggOptions = AGGREGATES.filter((a) => catalog?.deals || !DEAL_AGGS.includes(a)).map((a) => ({ value: a, label: t(`agg.${a}`) }));
  const measureFields = (agg: Aggregate) =>
    Object.entries(fields).filter(([, ty]) => ty === 'number' || ((agg === 'min' || agg === 'max') && isDate(ty))).map(([k]) => ({ value: k, label: fieldLabel(k) }));

  const groupPicker = (g: G, set: (g: G) => void, label: string, testId: string, allowNone: boolean) => (
    <Group gap="xs" align="flex-end">
      <Select
        label={label}
        data={allowNone ? [{ value: '', label: t('none') }, ...groupOptions] : groupOptions}
        value={g?.field ?? ''}
        onChange={(v) => set(v ? { field: v, ...(isDate(fields[v]) ? { bucket: 'month' as Bucket } : {}) } : null)}
        searchable
        w={200}
        data-testid={testId}
      />
      {g && isDate(fields[g.field]) && (
        <Select label={t('bucket')} data={BUCKETS.map((b) => ({ value: b, label: t(`buckets.${b}`) }))} value={g.bucket ?? null} onChange={(v) => set({ field: g.field, ...(v ? { bucket: v as Bucket } : {}) })} w={120} clearable={fields[g.field] === 'date'} data-testid={`${testId}-bucket`} />
      )}
    </Group>
  );

  const doSave = async (asNew: boolean) => {
    try {
      const row = await save.mutateAsync({ ...(saved && !asNew ? { id: saved.id, version: saved.version } : {}), name: name.trim(), shared, definition });
      setSaved({ id: row.id, version: row.version, editable: row.editable });
      notifications.show({ message: t('savedOk'), color: 'green' });
    } catch (e) {
      notifications.show({ message: e instanceof Error ? e.message : String(e), color: 'red' });
    }
  };
  const open = (id: string | null) => {
    const r = savedList.find((x) => x.id === id);
    if (!r) return;
    const d = r.definition;
    setType(d.recordType);
    setG0(d.groupBy[0] ?? null);
    setG1(d.groupBy[1] ?? null);
    setMeasures(d.measures);
    setFilters(paramsToFilters(Object.fromEntries(Object.entries(d.filters).filter(([k]) => k !== 'q'))));
    setQ(typeof d.filters.q === 'string' ? d.filters.q : '');
    setName(r.name);
    setShared(r.shared);
    setSaved({ id: r.id, version: r.version, editable: r.editable });
  };
  const exportCsv = () => {
    if (!result.data) return;
    downloadText(`${(name.trim() || `report-${type}`).replace(/[^\p{L}\p{N}_-]+/gu, '-')}.csv`, toCsv(tableOf(result.data, fieldLabel, measureLabel)));
  };

  return (
    <Stack p="md" gap="md" data-testid="reports-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('title')}</Title>
          <Text c="dimmed" size="sm">{t('subtitle')}</Text>
        </div>
        <Select placeholder={t('saved')} data={savedList.map((r) => ({ value: r.id, label: r.shared ? `${r.name} · ${t('shared')}` : r.name }))} value={saved?.id ?? null} onChange={open} w={280} nothingFoundMessage={t('noSaved')} data-testid="saved-reports" />
      </Group>
      <Card withBorder>
        <Stack gap="sm">
          <Group gap="md" align="flex-end" wrap="wrap">
            <Select label={t('recordType')} data={RECORD_TYPES.map((r) => ({ value: r, label: t(`type.${r}`) }))} value={type} onChange={(v) => v && changeType(v as RecordType)} w={170} data-testid="report-type" />
            {groupPicker(g0, (g) => { setG0(g); if (!g) setG1(null); }, t('groupBy'), 'group-0', true)}
            {g0 && groupPicker(g1, setG1, t('thenBy'), 'group-1', true)}
          </Group>
          <Stack gap={6}>
            <Text size="sm" fw={500}>{t('measures')}</Text>
            {measures.map((m, i) => (
              <Group key={i} gap="xs" data-testid={`measure-${i}`}>
                <Select data={aggOptions} value={m.agg} w={230} onChange={(v) => {
                  const agg = v as Aggregate;
                  const opts = measureFields(agg);
                  setMeasures(measures.map((x, j) => (j === i ? (FIELD_AGGS.includes(agg) ? { agg, field: opts.find((o) => o.value === x.field)?.value ?? opts[0]?.value } : { agg }) : x)));
                }} aria-label={t('measures')} data-testid={`measure-${i}-agg`} />
                {FIELD_AGGS.includes(m.agg) && (
                  <Select data={measureFields(m.agg)} value={m.field ?? null} w={200} onChange={(v) => setMeasures(measures.map((x, j) => (j === i ? { agg: x.agg, field: v ?? undefined } : x)))} aria-label={t('measureField')} searchable data-testid={`measure-${i}-field`} />
                )}
                {measures.length > 1 && <ActionIcon variant="subtle" color="gray" onClick={() => setMeasures(measures.filter((_, j) => j !== i))} aria-label={t('delete')}><IconTrash size={16} /></ActionIcon>}
              </Group>
            ))}
            <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} />} w="fit-content" onClick={() => setMeasures([...measures, { agg: 'count' } as M].filter((x, j, all) => all.findIndex((y) => y.agg === x.agg && y.field === x.field) === j))} data-testid="add-measure">{t('addMeasure')}</Button>
          </Stack>
          <FilterBar fields={filterFields} filters={filters} onFilters={setFilters} q={q} onQ={setQ} />
        </Stack>
      </Card>
      {error && (
        <Alert color="red" data-testid="report-error">
          {error.fields.length ? error.fields.map((f) => <div key={f.path}>{f.path}: {f.message}</div>) : error.message}
        </Alert>
      )}
      <Card withBorder>
        <Stack gap="sm">
          <Group justify="space-between">
            <SegmentedControl size="xs" value={chart} onChange={(v) => setChart(v as ChartKind)} data={[{ value: 'bar', label: t('chartBar') }, { value: 'line', label: t('chartLine') }, { value: 'none', label: t('none') }]} />
            <Group gap="xs" align="flex-end">
              <TextInput placeholder={t('name')} aria-label={t('name')} value={name} onChange={(e) => setName(e.currentTarget.value)} w={220} size="xs" data-testid="report-name" />
              <Switch label={t('share')} checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} size="xs" data-testid="report-share" />
              <Button size="xs" onClick={() => void doSave(!saved?.editable)} disabled={!name.trim() || save.isPending} data-testid="report-save">{t('save')}</Button>
              {saved?.editable && <Button size="xs" variant="default" onClick={() => void doSave(true)} disabled={!name.trim()}>{t('saveAs')}</Button>}
              <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={exportCsv} disabled={!result.data} data-testid="report-csv">{t('exportCsv')}</Button>
              {saved?.editable && <ActionIcon variant="subtle" color="red" onClick={() => { void remove.mutateAsync(saved).then(() => setSaved(null)); }} aria-label={t('delete')}><IconTrash size={16} /></ActionIcon>}
            </Group>
          </Group>
          <ReportView result={result.data} vocab={catalog?.vocab ?? {}} chart={chart} testId="report-result" />
        </Stack>
      </Card>
    </Stack>
  );
}
