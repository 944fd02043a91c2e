import { useEffect, useMemo, useState } from 'react';
import {
  Alert, Anchor, Badge, Button, Card, Group, Progress, Radio, ScrollArea, Select, SimpleGrid, Stack, Stepper, Table, Text, TextInput, Title, Checkbox, ThemeIcon,
} from '@mantine/core';
import { Dropzone } from '../../ui/Dropzone.tsx';
import { IconAlertTriangle, IconCheck, IconDownload, IconFileSpreadsheet, IconUpload, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../app/api.ts';
import { useCustomFields, useVocabLabel } from '../../app/data.ts';
import { formatNumber } from '../../app/format.ts';
import { belongsToAccount, CUSTOM_FIELD_ENTITY, ENTITY_FIELDS, IMPORT_ENTITIES, namesProducts, type ImportEntity } from '../../../../src/features/imports/fields.ts';
import { suggestMapping } from '../../../../src/features/imports/rules.ts';
import { CUSTOM_ENTITIES } from '../../../../src/features/custom-fields/schemas.ts';
import type { ImportJob, ImportResult, PreviewResponse } from '../../../../src/features/imports/schemas.ts';
import { camel, decodeBytes, formatOf, parseCsvHead } from './parse.ts';
import { previewValue, type DisplayContext } from './display.ts';
import { asCreated, initialChoices, termsToCreate, toValueMap, ValueMapping, type ValueChoices } from './ValueMapping.tsx';
import { useAuth } from '../../app/auth.tsx';

/** Choices the user made win over the server's suggestions. */
function mergeChoices(suggested: ValueChoices, chosen: ValueChoices): ValueChoices {
  const out: ValueChoices = { ...suggested };
  for (const [f, m] of Object.entries(chosen)) out[f] = { ...(out[f] ?? {}), ...m };
  return out;
}

type Head = { headers: string[]; rows: string[][]; encoding: string; delimiter: string };

function useImportFieldLabel() {
  const { t, i18n } = useTranslation();
  return (key: string) => {
    const k = camel(key);
    if (i18n.exists(`importField.${k}`)) return t(`importField.${k}`);
    if (i18n.exists(`field.${k}`)) return t(`field.${k}`);
    return key;
  };
}

function formData(file: File, fields: Record<string, string>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', file, file.name);
  return fd;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where the imported records are listed. */
const RECORDS_PAGE: Record<ImportEntity, string> = {
  accounts: '/accounts', contacts: '/contacts', opportunities: '/opportunities', interactions: '/interactions', orders: '/accounts', feedback: '/feedback',
  products: '/products', price_lists: '/price-lists', deal_lines: '/opportunities', order_lines: '/accounts', survey_answers: '/engagement',
};

export default function ImportWizard() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const fieldLabel = useImportFieldLabel();
  const vocabLabel = useVocabLabel();
  const [step, setStep] = useState(0);
  const [entity, setEntity] = useState<ImportEntity>('accounts');
  const [file, setFile] = useState<File | null>(null);
  const [head, setHead] = useState<Head | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [onDuplicate, setOnDuplicate] = useState<'skip' | 'update'>('skip');
  const [createAccounts, setCreateAccounts] = useState(true);
  // Price lists, lines and deals that name an unknown product: a row error, or the product is created.
  const [createProducts, setCreateProducts] = useState(false);
  // How rows are read: value choices (the preview's value tables), date order, source system, owners, deals without account.
  const [choices, setChoices] = useState<ValueChoices>({});
  const [checkedChoices, setCheckedChoices] = useState<string>('{}');
  const [dateOrder, setDateOrder] = useState<'ymd' | 'mdy' | 'dmy'>('ymd');
  const [externalSource, setExternalSource] = useState('');
  const [createUsers, setCreateUsers] = useState(false);
  const [placeholder, setPlaceholder] = useState(false);
  const { session } = useAuth();
  const canCreateTerms = session?.user.role === 'admin';
  const [preview, setPreview] = useState<PreviewResponse | null>(null);
  const [dry, setDry] = useState<ImportResult | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number; phase?: ImportJob['phase'] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lang = i18n.language;
  const format = file ? formatOf(file.name) : 'csv';
  // The organization's custom fields of this entity are targets too (`custom.<key>`), after the built-in ones.
  // Only entities that can have custom fields are asked for them (lines and price tiers have none).
  const customEntity = CUSTOM_FIELD_ENTITY[entity];
  const customDefs = useCustomFields(customEntity, customEntity !== null && (CUSTOM_ENTITIES as readonly string[]).includes(customEntity)).data ?? [];
  const custom = customDefs.map((c) => ({ key: c.key, label: typeof c.label === 'string' ? { en: c.label } : c.label }));
  const customLabel = new Map(custom.map((c) => [`custom.${c.key}`, c.label[lang] ?? c.label[lang.split('-')[0]!] ?? c.label.en ?? Object.values(c.label)[0] ?? c.key]));
  const labelOf = (key: string) => customLabel.get(key) ?? fieldLabel(key);
  const fields: { key: string; required?: boolean }[] = [...ENTITY_FIELDS[entity], ...customDefs.map((c) => ({ key: `custom.${c.key}`, required: c.required }))];
  const required = fields.filter((f) => f.required).map((f) => f.key);
  const mapped = new Set(Object.values(mapping).filter(Boolean));
  const missing = format === 'csv' ? required.filter((k) => !mapped.has(k)) : [];

  // Custom fields arrive after the file may have been read: suggest them for columns still unmapped.
  const customKeys = custom.map((c) => c.key).join(',');
  useEffect(() => {
    if (!head || !custom.length) return;
    const suggested = suggestMapping(entity, head.headers, custom);
    setMapping((m) => {
      const used = new Set(Object.values(m));
      const add = Object.entries(suggested).filter(([h, k]) => k.startsWith('custom.') && !(h in m) && !used.has(k));
      return add.length ? { ...m, ...Object.fromEntries(add) } : m;
    });
    // Re-run when the set of fields or the file changes, not on every render's new array.
  }, [customKeys, head, entity]);

  async function onFile(f: File) {
    setError(null);
    setFile(f);
    setPreview(null);
    setDry(null);
    setResult(null);
    if (formatOf(f.name) === 'vcard') {
      if (entity !== 'contacts') setEntity('contacts');
      setHead(null);
      setMapping({});
      return;
    }
    const bytes = new Uint8Array(await f.slice(0, 256 * 1024).arrayBuffer());
    const { text, encoding } = decodeBytes(bytes);
    const parsed = parseCsvHead(text, 20);
    setHead({ ...parsed, encoding });
    setMapping(suggestMapping(entity, parsed.headers, custom));
  }

  function changeEntity(e: ImportEntity) {
    setEntity(e);
    // The new entity's custom fields load with it; suggestions for them follow when they are there.
    if (head) setMapping(suggestMapping(e, head.headers));
  }

  const valueMap = JSON.stringify(toValueMap(choices));
  // Problems found by the database side of the dry run (unknown products or deals, prices, duplicates) belong on their preview row too.
  const dbErrors = useMemo(() => {
    const m = new Map<number, { field: string | null; message: string }[]>();
    for (const e of dry?.errorRows ?? []) {
      const x = e.field === '_duplicate' ? { field: null, message: `${t('import.duplicates')}: ${e.message}` } : { field: e.field, message: e.message };
      m.set(e.line, [...(m.get(e.line) ?? []), x]);
    }
    return m;
  }, [dry, t]);
  const errorsOf = (r: { line: number; errors: { field: string | null; message: string }[] }) =>
    [...r.errors, ...(dbErrors.get(r.line) ?? []).filter((e) => !r.errors.some((x) => x.field === e.field && x.message === e.message))];
  const withAccount = entity === 'opportunities' || entity === 'interactions' || entity === 'orders';
  // Survey results attach to contacts who exist: no accounts or owners are created, duplicates are always skipped.
  const surveyResults = entity === 'survey_answers';
  const reading = useMemo(() => ({
    valueMap, ...(dateOrder !== 'ymd' ? { dateOrder } : {}), ...(externalSource.trim() ? { externalSource: externalSource.trim() } : {}),
    ...(withAccount && placeholder ? { withoutAccount: 'placeholder' } : {}),
  }), [valueMap, dateOrder, externalSource, withAccount, placeholder]);
  const hasOwner = ENTITY_FIELDS[entity].some((f) => f.key === 'owner');
  const options = useMemo(() => ({
    entity, format, mapping: JSON.stringify(mapping), onDuplicate: surveyResults ? 'skip' : onDuplicate, ...(belongsToAccount(entity) ? { createAccounts: String(createAccounts) } : {}),
    ...(createUsers && hasOwner ? { createUsers: 'true' } : {}), ...(namesProducts(entity) ? { createProducts: String(createProducts) } : {}), ...reading,
  }), [entity, format, mapping, onDuplicate, createAccounts, createUsers, hasOwner, createProducts, reading, surveyResults]);

  /** Checks the file with the given value choices (preview and dry run); the server's suggestions fill the rest and, when they add something, the file is checked once more with them. */
  async function runPreview(use: ValueChoices = choices, again = true) {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      // Values chosen to become new terms exist before the file is checked against the vocabularies.
      const terms = termsToCreate(entity, use);
      for (const term of terms) await api(`/vocabularies/${term.vocabulary}/${term.key}`, { method: 'PUT', body: { label: { en: term.label } } });
      if (terms.length) void qc.invalidateQueries({ queryKey: ['vocabularies'] });
      // A new term, once created, is a plain term.
      const chosen = asCreated(use);
      const sent = JSON.stringify(toValueMap(chosen));
      const [p, d] = await Promise.all([
        api<PreviewResponse>('/imports/preview', { method: 'POST', body: formData(file, { entity, format, mapping: options.mapping, limit: '50', ...reading, valueMap: sent }) }).catch((e) => {
          if (e instanceof ApiError && e.status === 404) return null;
          throw e;
        }),
        api<ImportResult>('/imports', { method: 'POST', body: formData(file, { ...options, valueMap: sent, dryRun: 'true' }), query: { wait: 'true' } }),
      ]);
      const merged = p ? mergeChoices(initialChoices(p.values), chosen) : chosen;
      setChoices(merged);
      setCheckedChoices(sent);
      if (again && JSON.stringify(toValueMap(merged)) !== sent) return await runPreview(merged, false);
      setPreview(p);
      setDry(d);
      setStep(2);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function runImport() {
    if (!file) return;
    setBusy(true);
    setError(null);
    setStep(3);
    setProgress({ done: 0, total: dry?.totalRows ?? 0 });
    try {
      // The server answers 202 with the job at once; follow it until it is done.
      let job = await api<ImportJob>('/imports', { method: 'POST', body: formData(file, { ...options, dryRun: 'false' }) });
      while (job.status === 'pending' || job.status === 'running') {
        setProgress({ done: job.processedRows, total: job.totalRows || dry?.totalRows || 0, phase: job.phase });
        await sleep(600);
        job = await api<ImportJob>(`/imports/${job.id}`);
      }
      // Interrupted: the server stopped while importing; the error shows on the step whose Import button runs it again.
      if (job.status === 'failed' || job.status === 'interrupted') throw new Error(job.message ?? t('import.failed'));
      const res: ImportResult = {
        jobId: job.id, status: job.status, dryRun: false, totalRows: job.totalRows, inserted: job.inserted, updated: job.updated,
        duplicates: job.duplicates, errors: job.errorCount, accountsCreated: job.accountsCreated, usersCreated: job.usersCreated,
        placeholderAccountRows: job.placeholderAccountRows, productsCreated: job.productsCreated, amountsKept: job.amountsKept, errorRows: [],
      };
      setProgress({ done: res.totalRows, total: res.totalRows });
      setResult(res);
      void qc.invalidateQueries({ queryKey: [entity] });
      setStep(4);
    } catch (e) {
      setError((e as Error).message);
      setStep(2);
    } finally {
      setBusy(false);
    }
  }

  function restart() {
    setStep(0);
    setFile(null);
    setHead(null);
    setMapping({});
    setPreview(null);
    setDry(null);
    setResult(null);
    setProgress(null);
    setError(null);
    setChoices({});
    setCheckedChoices('{}');
  }

  // What a row will store, in words: vocabulary and list labels, languages, countries, yes/no (never a stored key).
  const display: DisplayContext = { lang, t: (k) => t(k), has: (k) => i18n.exists(k), vocabLabel };
  // Only the fields that carry a value somewhere (or an error), in the entity's field order.
  const previewColumns = preview
    ? fields.map((f) => f.key).filter((k) => preview.rows.some((r) => (r.values[k] ?? '') !== '' || r.errors.some((e) => e.field === k)))
    : [];

  const counts = (r: ImportResult) => [
    { label: t('import.rows'), value: r.totalRows, color: 'gray' },
    { label: r.dryRun ? t('import.wouldInsert') : t('import.inserted'), value: r.inserted, color: 'green' },
    { label: r.dryRun ? t('import.wouldUpdate') : t('import.updated'), value: r.updated, color: 'blue' },
    { label: t('import.duplicates'), value: r.duplicates, color: 'yellow' },
    { label: t('import.errors'), value: r.errors, color: 'red' },
  ];
  // What else the job did, only when it did it: products the file named and did not exist
  // (createProducts), deals and orders updated whose amount stays their lines' sum.
  const extras = (r: ImportResult) => [
    { key: 'productsCreated', label: r.dryRun ? t('import.wouldCreateProducts') : t('import.productsCreated'), value: r.productsCreated, color: 'teal' },
    { key: 'amountsKept', label: t('import.amountsKept'), hint: t('import.amountsKeptHint'), value: r.amountsKept, color: 'grape' },
  ].filter((c) => c.value > 0);
  const extraCards = (r: ImportResult) => extras(r).length > 0 && (
    <SimpleGrid cols={{ base: 1, sm: 2 }} data-testid="import-extra-counts">
      {extras(r).map((c) => (
        <Card key={c.key} withBorder padding="sm" data-testid={`import-${c.key}`}>
          <Text size="xs" c="dimmed">{c.label}</Text>
          <Text size="xl" fw={700} c={`${c.color}.7`}>{formatNumber(c.value, lang)}</Text>
          {c.hint && <Text size="xs" c="dimmed">{c.hint}</Text>}
        </Card>
      ))}
    </SimpleGrid>
  );

  return (
    <Stack p="md" gap="md" maw={1200}>
      <Title order={2} size="h3">{t('import.title')}</Title>
      {error && <Alert color="red" icon={<IconAlertTriangle />} withCloseButton onClose={() => setError(null)} role="alert">{error}</Alert>}
      <Stepper active={step} onStepClick={(s) => s < step && !busy && step !== 3 && setStep(s)} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label={t('import.stepUpload')} description={t('import.stepUploadHint')}>
          <Stack mt="md">
            <Select
              label={t('import.entity')}
              data={IMPORT_ENTITIES.map((e) => ({ value: e, label: t(`import.entityName.${e}`) }))}
              value={entity}
              onChange={(v) => v && changeEntity(v as ImportEntity)}
              w={260}
              data-testid="import-entity"
            />
            <Dropzone
              onDrop={(files: File[]) => files[0] && void onFile(files[0])}
              multiple={false}
              maxSize={200 * 1024 * 1024}
              accept={{ 'text/csv': ['.csv', '.txt', '.tsv'], 'text/vcard': ['.vcf', '.vcard'], 'text/x-vcard': ['.vcf'], 'application/vnd.ms-excel': ['.csv'] }}
              aria-label={t('import.drop')}
              data-testid="import-dropzone"
            >
              <Group justify="center" gap="xl" mih={140} style={{ pointerEvents: 'none' }}>
                <Dropzone.Accept><IconUpload size={48} color="var(--mantine-color-indigo-6)" /></Dropzone.Accept>
                <Dropzone.Reject><IconX size={48} color="var(--mantine-color-red-6)" /></Dropzone.Reject>
                <Dropzone.Idle><IconFileSpreadsheet size={48} color="var(--mantine-color-gray-5)" /></Dropzone.Idle>
                <div>
                  <Text size="lg" fw={600}>{t('import.drop')}</Text>
                  <Text size="sm" c="dimmed">{t('import.dropHint')}</Text>
                </div>
              </Group>
            </Dropzone>
            {file && (
              <Card withBorder padding="sm">
                <Group justify="space-between">
                  <Group gap="xs">
                    <ThemeIcon variant="light"><IconFileSpreadsheet size={16} /></ThemeIcon>
                    <Text fw={500}>{file.name}</Text>
                    <Badge variant="light" color="gray">{formatNumber(file.size / 1024, lang, { maximumFractionDigits: 0 })} KB</Badge>
                    <Badge variant="light">{format === 'vcard' ? 'vCard' : 'CSV'}</Badge>
                    {head && <Badge variant="outline" color="gray">{head.encoding}</Badge>}
                  </Group>
                  <Button onClick={() => setStep(format === 'vcard' ? 1 : 1)} data-testid="import-next">{t('common.next')}</Button>
                </Group>
              </Card>
            )}
          </Stack>
        </Stepper.Step>

        <Stepper.Step label={t('import.stepMap')} description={t('import.stepMapHint')}>
          <Stack mt="md">
            {format === 'vcard' ? (
              <Alert color="blue" variant="light">{t('import.vcardMapping')}</Alert>
            ) : head && (
              <Card withBorder padding={0}>
                <ScrollArea>
                  <Table verticalSpacing={6} fz="sm" miw={700}>
                    <Table.Thead>
                      <Table.Tr><Table.Th>{t('import.column')}</Table.Th><Table.Th>{t('import.sample')}</Table.Th><Table.Th w={280}>{t('import.target')}</Table.Th></Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {head.headers.map((h, i) => (
                        <Table.Tr key={`${h}-${i}`}>
                          <Table.Td fw={500}>{h || `#${i + 1}`}</Table.Td>
                          <Table.Td c="dimmed"><Text size="xs" lineClamp={1}>{head.rows.slice(0, 3).map((r) => r[i]).filter(Boolean).join(' · ')}</Text></Table.Td>
                          <Table.Td>
                            <Select
                              size="xs"
                              placeholder={t('import.ignore')}
                              data={fields.map((f) => ({ value: f.key, label: `${labelOf(f.key)}${f.required ? ' *' : ''}`, disabled: mapped.has(f.key) && mapping[h] !== f.key }))}
                              value={mapping[h] ?? null}
                              onChange={(v) => setMapping((m) => { const n = { ...m }; if (v) n[h] = v; else delete n[h]; return n; })}
                              clearable
                              searchable
                              aria-label={t('import.targetFor', { column: h })}
                              comboboxProps={{ withinPortal: true }}
                            />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollArea>
              </Card>
            )}
            {missing.length > 0 && (
              <Alert color="yellow" variant="light">{t('import.missingRequired', { fields: missing.map(labelOf).join(', ') })}</Alert>
            )}
            {surveyResults && <Alert color="blue" data-testid="import-survey-hint">{t('import.surveyHint')}</Alert>}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {!surveyResults && (
                <Radio.Group label={t('import.onDuplicate')} value={onDuplicate} onChange={(v) => setOnDuplicate(v as 'skip' | 'update')}>
                  <Group mt={6}>
                    <Radio value="skip" label={t('import.skipDuplicates')} />
                    <Radio value="update" label={t('import.updateDuplicates')} />
                  </Group>
                </Radio.Group>
              )}
              {belongsToAccount(entity) && <Checkbox mt="lg" label={t('import.createAccounts')} checked={createAccounts} onChange={(e) => setCreateAccounts(e.currentTarget.checked)} />}
              {namesProducts(entity) && (
                <Checkbox mt="lg" label={t('import.createProducts')} description={t('import.createProductsHint')} checked={createProducts}
                  onChange={(e) => setCreateProducts(e.currentTarget.checked)} data-testid="import-create-products" />
              )}
              <Select
                label={t('import.dateOrder')}
                data={[{ value: 'ymd', label: t('import.dateYmd') }, { value: 'mdy', label: t('import.dateMdy') }, { value: 'dmy', label: t('import.dateDmy') }]}
                value={dateOrder}
                onChange={(v) => v && setDateOrder(v as 'ymd' | 'mdy' | 'dmy')}
                allowDeselect={false}
                data-testid="import-date-order"
              />
              <TextInput
                label={t('import.externalSource')}
                description={t('import.externalSourceHint')}
                placeholder="salesforce, hubspot, pipedrive…"
                value={externalSource}
                onChange={(e) => setExternalSource(e.currentTarget.value)}
                data-testid="import-external-source"
              />
              {hasOwner && <Checkbox label={t('import.createUsers')} description={t('import.createUsersHint')} checked={createUsers} onChange={(e) => setCreateUsers(e.currentTarget.checked)} data-testid="import-create-users" />}
              {withAccount && <Checkbox label={t('import.placeholder')} description={t('import.placeholderHint')} checked={placeholder} onChange={(e) => setPlaceholder(e.currentTarget.checked)} data-testid="import-placeholder" />}
            </SimpleGrid>
            <Group justify="space-between">
              <Button variant="default" onClick={() => setStep(0)}>{t('common.back')}</Button>
              <Button onClick={() => void runPreview(choices)} loading={busy} disabled={missing.length > 0} data-testid="import-preview">{t('import.checkFile')}</Button>
            </Group>
          </Stack>
        </Stepper.Step>

        <Stepper.Step label={t('import.stepPreview')} description={t('import.stepPreviewHint')}>
          <Stack mt="md">
            {dry && (
              <SimpleGrid cols={{ base: 2, sm: 5 }}>
                {counts(dry).map((c) => (
                  <Card key={c.label} withBorder padding="sm">
                    <Text size="xs" c="dimmed">{c.label}</Text>
                    <Text size="xl" fw={700} c={c.value && c.color !== 'gray' ? `${c.color}.7` : undefined}>{formatNumber(c.value, lang)}</Text>
                  </Card>
                ))}
              </SimpleGrid>
            )}
            {dry && extraCards(dry)}
            {preview && (
              <ValueMapping entity={entity} values={preview.values} choices={choices} onChange={setChoices} canCreate={canCreateTerms} fieldLabel={labelOf} />
            )}
            {preview && valueMap !== checkedChoices && (
              <Group justify="flex-end">
                <Button variant="light" onClick={() => void runPreview(choices, false)} loading={busy} data-testid="import-recheck">{t('import.recheck')}</Button>
              </Group>
            )}
            {preview ? (
              <Card withBorder padding={0}>
                <ScrollArea h={360}>
                  <Table verticalSpacing={4} fz="xs" stickyHeader miw={800} data-testid="import-preview-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('import.line')}</Table.Th>
                        {previewColumns.map((k) => <Table.Th key={k}>{labelOf(k)}</Table.Th>)}
                        <Table.Th>{t('import.problems')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {preview.rows.map((r) => ({ ...r, errors: errorsOf(r) })).map((r) => (
                        <Table.Tr key={r.line} bg={r.errors.length ? 'red.0' : undefined}>
                          <Table.Td>{r.line}</Table.Td>
                          {previewColumns.map((k) => (
                            <Table.Td key={k} c={r.errors.some((e) => e.field === k) ? 'red.7' : undefined} fw={r.errors.some((e) => e.field === k) ? 600 : undefined}>{previewValue(entity, k, r.values[k], display)}</Table.Td>
                          ))}
                          <Table.Td data-testid="import-row-problems">{r.errors.map((e) => `${e.field ? labelOf(e.field) + ': ' : ''}${e.message}`).join('; ')}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollArea>
              </Card>
            ) : dry && dry.errorRows.length > 0 ? (
              <Card withBorder padding={0}>
                <Table verticalSpacing={4} fz="sm">
                  <Table.Thead><Table.Tr><Table.Th>{t('import.line')}</Table.Th><Table.Th>{t('import.field')}</Table.Th><Table.Th>{t('import.problems')}</Table.Th></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {dry.errorRows.map((e, i) => (
                      <Table.Tr key={i}><Table.Td>{e.line}</Table.Td><Table.Td>{e.field ? labelOf(e.field) : '—'}</Table.Td><Table.Td c="red.7">{e.message}</Table.Td></Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Card>
            ) : dry ? (
              <Alert color="green" icon={<IconCheck />}>{t('import.noErrors')}</Alert>
            ) : null}
            <Group justify="space-between">
              <Button variant="default" onClick={() => setStep(1)}>{t('common.back')}</Button>
              <Button onClick={() => void runImport()} loading={busy} disabled={!dry || dry.totalRows === dry.errors || valueMap !== checkedChoices} data-testid="import-run">
                {t('import.run', { count: dry ? dry.totalRows - dry.errors : 0 })}
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>

        <Stepper.Step label={t('import.stepImport')} description={t('import.stepImportHint')}>
          <Stack mt="md" gap="xs">
            {/* Reading counts rows; merging (duplicates, references, writes) has no count of its own: say what it does. */}
            <Text size="sm" data-testid="import-phase">
              {progress?.phase === 'merging'
                ? t('import.merging', { total: formatNumber(progress.total, lang) })
                : progress && progress.total ? t('import.progress', { done: formatNumber(progress.done, lang), total: formatNumber(progress.total, lang) }) : t('import.working')}
            </Text>
            <Progress
              value={progress && progress.total ? (progress.done / progress.total) * 100 : 100}
              animated={busy}
              striped={busy}
              size="lg"
              aria-label={t('import.stepImport')}
              data-testid="import-progress"
            />
          </Stack>
        </Stepper.Step>

        <Stepper.Completed>
          {result && (
            <Stack mt="md" data-testid="import-summary">
              <Alert color={result.errors ? 'yellow' : 'green'} icon={result.errors ? <IconAlertTriangle /> : <IconCheck />} title={t('import.doneTitle')}>
                {t('import.doneText', { inserted: formatNumber(result.inserted, lang), updated: formatNumber(result.updated, lang), errors: formatNumber(result.errors, lang) })}
              </Alert>
              <SimpleGrid cols={{ base: 2, sm: 5 }}>
                {counts(result).map((c) => (
                  <Card key={c.label} withBorder padding="sm">
                    <Text size="xs" c="dimmed">{c.label}</Text>
                    <Text size="xl" fw={700}>{formatNumber(c.value, lang)}</Text>
                  </Card>
                ))}
              </SimpleGrid>
              {extraCards(result)}
              <Group>
                {result.errors > 0 && (
                  <Button component="a" href={`/api/v1/imports/${result.jobId}/errors.csv`} download variant="light" color="red" leftSection={<IconDownload size={16} />} data-testid="import-errors-csv">
                    {t('import.downloadErrors')}
                  </Button>
                )}
                <Anchor component={Link} to={RECORDS_PAGE[entity]}>{t('import.viewRecords')}</Anchor>
                <Button variant="default" onClick={restart}>{t('import.another')}</Button>
              </Group>
            </Stack>
          )}
        </Stepper.Completed>
      </Stepper>
    </Stack>
  );
}
