/**
 * The preview's value tables: every distinct value of the file's list columns (vocabularies, fixed
 * lists, countries) that is not already a term, with its count, how it matched and where it goes —
 * a term, a won/lost status (stage columns), a new term, or nothing. What the CLI's value-map file is.
 */
import { Badge, Card, Group, ScrollArea, Select, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useVocabOptions } from '../../app/data.ts';
import { matchBadge, MATCH_COLORS } from './display.ts';
import { formatNumber } from '../../app/format.ts';
import { ENTITY_FIELDS, type ImportEntity } from '../../../../src/features/imports/fields.ts';
import type { PreviewResponse } from '../../../../src/features/imports/schemas.ts';
import type { ValueMap } from '../../../../src/features/imports/rules.ts';
import type { Vocabulary } from '../../../../src/features/vocabularies/defaults.ts';

/** One choice per file value: a term key, `status:won|lost`, `new:<key>` (a term to create), '' (leave empty). */
export type ValueChoices = Record<string, Record<string, string>>;

const STATUS = 'status:';
const NEW = 'new:';

/** A term key for a new value: lower-case ASCII letters, digits and _, starting with a letter. */
export function newTermKey(value: string, taken: Set<string>): string {
  const base = value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/^(\d)/, 'v_$1').slice(0, 50) || 'term';
  let key = base;
  for (let i = 2; taken.has(key); i++) key = `${base}_${i}`;
  return key;
}

/** The server's suggestions as choices: matched values keep their term, unmatched ones stay open (undefined). */
export function initialChoices(values: PreviewResponse['values']): ValueChoices {
  const out: ValueChoices = {};
  for (const col of values) {
    for (const v of col.values) {
      if (v.match === 'exact') continue;
      const c = typeof v.term === 'string' ? v.term : v.term && typeof v.term === 'object' && v.term.status ? `${STATUS}${v.term.status}` : undefined;
      if (c !== undefined) (out[col.field] ??= {})[v.value] = c;
    }
  }
  return out;
}

/** Choices → the import's valueMap (new terms by the keys they will be created with). */
export function toValueMap(choices: ValueChoices): ValueMap {
  const out: ValueMap = {};
  for (const [field, m] of Object.entries(choices)) {
    for (const [value, c] of Object.entries(m)) {
      (out[field] ??= {})[value] = c === '' ? null : c.startsWith(STATUS) ? { status: c.slice(STATUS.length) } : c.startsWith(NEW) ? c.slice(NEW.length) : c;
    }
  }
  return out;
}

/** The choices once their new terms exist: each `new:<key>` is the plain term `<key>`. */
export function asCreated(choices: ValueChoices): ValueChoices {
  return Object.fromEntries(Object.entries(choices).map(([f, m]) => [f, Object.fromEntries(Object.entries(m).map(([v, c]) => [v, c.startsWith(NEW) ? c.slice(NEW.length) : c]))]));
}

/** Terms to create before the import: vocabulary, key, the file's value as its label. */
export function termsToCreate(entity: ImportEntity, choices: ValueChoices): { vocabulary: string; key: string; label: string }[] {
  const out: { vocabulary: string; key: string; label: string }[] = [];
  for (const [field, m] of Object.entries(choices)) {
    const type = ENTITY_FIELDS[entity].find((f) => f.key === field)?.type;
    if (type?.kind !== 'vocab') continue;
    for (const [value, c] of Object.entries(m)) if (c.startsWith(NEW)) out.push({ vocabulary: type.vocabulary, key: c.slice(NEW.length), label: value });
  }
  return out;
}

function ColumnTable({ entity, column, choices, onChoose, canCreate, fieldLabel }: {
  entity: ImportEntity;
  column: PreviewResponse['values'][number];
  choices: Record<string, string>;
  onChoose: (value: string, choice: string | undefined) => void;
  canCreate: boolean;
  fieldLabel: (key: string) => string;
}) {
  const { t, i18n } = useTranslation();
  const type = ENTITY_FIELDS[entity].find((f) => f.key === column.field)?.type;
  const vocabulary = type?.kind === 'vocab' ? (type.vocabulary as Vocabulary) : undefined;
  const vocabOptions = useVocabOptions(vocabulary);
  const base = type?.kind === 'enum' ? type.choices.map((c) => ({ value: c.key, label: c.labels[0] ?? c.key })) : vocabOptions;
  const stage = entity === 'opportunities' && column.field === 'buying_stage';
  const open = column.values.filter((v) => v.match !== 'exact');
  const taken = new Set([...base.map((o) => o.value), ...Object.values(choices).filter((c) => c.startsWith(NEW)).map((c) => c.slice(NEW.length))]);
  return (
    <Card withBorder padding="sm" data-testid={`values-${column.field}`}>
      <Group justify="space-between" mb={6}>
        <Text fw={600} size="sm">{t('import.valuesOf', { column: column.header, field: fieldLabel(column.field) })}</Text>
        {column.more && <Text size="xs" c="dimmed">{t('import.valuesMore')}</Text>}
      </Group>
      <ScrollArea.Autosize mah={260}>
        <Table verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr><Table.Th>{t('import.value')}</Table.Th><Table.Th ta="right">{t('import.rows')}</Table.Th><Table.Th>{t('import.match')}</Table.Th><Table.Th w={300}>{t('import.mapTo')}</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {open.map((v) => {
              const current = choices[v.value];
              const badge = matchBadge(v, current);
              const own = current?.startsWith(NEW) ? current : `${NEW}${newTermKey(v.value, taken)}`;
              const data = [
                { value: '', label: t('import.leaveEmpty') },
                ...base,
                ...(stage ? [{ value: `${STATUS}won`, label: t('import.statusWon') }, { value: `${STATUS}lost`, label: t('import.statusLost') }] : []),
                ...(vocabulary && canCreate ? [{ value: own, label: t('import.addTerm', { value: v.value }) }] : []),
              ];
              return (
                <Table.Tr key={v.value} bg={current === undefined ? 'red.0' : undefined}>
                  <Table.Td fw={500}>{v.value}</Table.Td>
                  <Table.Td ta="right">{formatNumber(v.count, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={MATCH_COLORS[badge]} data-testid="value-match" data-match={badge}>{t(`import.matchKind.${badge}`)}</Badge>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      data={data}
                      value={current ?? null}
                      placeholder={t('import.choose')}
                      onChange={(c) => onChoose(v.value, c ?? undefined)}
                      searchable
                      aria-label={t('import.mapValue', { value: v.value })}
                      comboboxProps={{ withinPortal: true }}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Card>
  );
}

export function ValueMapping({ entity, values, choices, onChange, canCreate, fieldLabel }: {
  entity: ImportEntity;
  values: PreviewResponse['values'];
  choices: ValueChoices;
  onChange: (c: ValueChoices) => void;
  canCreate: boolean;
  fieldLabel: (key: string) => string;
}) {
  const { t } = useTranslation();
  const columns = values.filter((c) => c.values.some((v) => v.match !== 'exact'));
  if (!columns.length) return null;
  const unmapped = columns.reduce((n, c) => n + c.values.filter((v) => v.match !== 'exact' && choices[c.field]?.[v.value] === undefined).length, 0);
  return (
    <Stack gap="xs" data-testid="value-mapping">
      <Text size="sm" c={unmapped ? 'red.7' : 'dimmed'}>{unmapped ? t('import.valuesOpen', { count: unmapped }) : t('import.valuesAllMapped')}</Text>
      {columns.map((col) => (
        <ColumnTable
          key={col.field}
          entity={entity}
          column={col}
          choices={choices[col.field] ?? {}}
          canCreate={canCreate}
          fieldLabel={fieldLabel}
          onChoose={(value, choice) => {
            const m = { ...(choices[col.field] ?? {}) };
            if (choice === undefined) delete m[value];
            else m[value] = choice;
            onChange({ ...choices, [col.field]: m });
          }}
        />
      ))}
    </Stack>
  );
}
