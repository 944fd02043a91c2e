import { useState } from 'react';
import { Badge, Button, Card, Group, NumberInput, Select, Switch, Table, Text, TextInput, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { useVocabularies, type VocabTerm } from '../../app/data.ts';
import { VOCABULARIES } from '../../../../src/features/vocabularies/defaults.ts';
import { termKey, vocabTermUpsert } from '../../../../src/features/vocabularies/schemas.ts';
import { zodFieldErrors } from '../../ui/form.ts';

type Draft = { key: string; en: string; 'zh-CN': string; 'zh-TW': string; position: number; active: boolean; version?: number; isNew?: boolean };

function toDraft(t: VocabTerm & { version?: number }): Draft {
  return { key: t.key, en: t.label.en ?? '', 'zh-CN': t.label['zh-CN'] ?? '', 'zh-TW': t.label['zh-TW'] ?? '', position: t.position ?? 0, active: t.active !== false, version: t.version };
}

function TermRow({ vocabulary, term, onSaved }: { vocabulary: string; term: Draft; onSaved: () => void }) {
  const { t } = useTranslation();
  const [d, setD] = useState<Draft>(term);
  const dirty = JSON.stringify(d) !== JSON.stringify(term);
  // A cleared field is sent as null: labels are merged per locale, so leaving it out would keep the old one.
  const body = { label: { en: d.en, 'zh-CN': d['zh-CN'] || null, 'zh-TW': d['zh-TW'] || null }, position: d.position, active: d.active };
  const errors = zodFieldErrors(vocabTermUpsert, body, t);
  const keyError = d.isNew && d.key ? zodFieldErrors(termKey, d.key, t)._ : undefined;
  const save = useMutation({
    mutationFn: () => api(`/vocabularies/${vocabulary}/${d.key}`, { method: 'PUT', body: { ...body, ...(d.version !== undefined ? { version: d.version } : {}) } }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('admin.termSaved') });
      onSaved();
    },
    onError: (e) => notifications.show({ color: 'red', message: (e as Error).message }),
  });
  return (
    <Table.Tr>
      <Table.Td>
        {d.isNew ? <TextInput size="xs" value={d.key} onChange={(e) => setD({ ...d, key: e.currentTarget.value })} error={keyError} aria-label={t('admin.key')} w={150} /> : <Text size="xs" ff="monospace">{d.key}</Text>}
      </Table.Td>
      {(['en', 'zh-CN', 'zh-TW'] as const).map((l) => (
        <Table.Td key={l}>
          <TextInput size="xs" value={d[l]} onChange={(e) => setD({ ...d, [l]: e.currentTarget.value })} error={l === 'en' ? errors['label.en'] : undefined} aria-label={`${d.key} ${l}`} lang={l} />
        </Table.Td>
      ))}
      <Table.Td><NumberInput size="xs" w={70} value={d.position} onChange={(v) => setD({ ...d, position: Number(v) || 0 })} aria-label={t('admin.position')} min={0} /></Table.Td>
      <Table.Td><Switch checked={d.active} onChange={(e) => setD({ ...d, active: e.currentTarget.checked })} aria-label={t('admin.active')} /></Table.Td>
      <Table.Td>
        <Button size="xs" disabled={!dirty || Object.keys(errors).length > 0 || !!keyError || !d.key} loading={save.isPending} onClick={() => save.mutate()}>{t('common.save')}</Button>
      </Table.Td>
    </Table.Tr>
  );
}

export function VocabulariesTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const vocab = useVocabularies();
  const [name, setName] = useState<string>('need_type');
  const [adding, setAdding] = useState(0);
  const terms = [...((vocab.data?.[name] ?? []) as (VocabTerm & { version?: number })[])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  return (
    <Stack>
      <Group>
        <Select label={t('admin.vocabulary')} data={VOCABULARIES.map((v) => ({ value: v, label: t(`vocab.${v}`) }))} value={name} onChange={(v) => v && setName(v)} w={280} />
        <Badge variant="light" color="gray" mt="lg">{terms.length}</Badge>
      </Group>
      <Card withBorder padding={0}>
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.key')}</Table.Th><Table.Th>English</Table.Th><Table.Th>简体中文</Table.Th><Table.Th>繁體中文</Table.Th>
                <Table.Th>{t('admin.position')}</Table.Th><Table.Th>{t('admin.active')}</Table.Th><Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {terms.map((term) => (
                <TermRow key={`${name}-${term.key}-${term.version ?? 0}`} vocabulary={name} term={toDraft(term)} onSaved={() => void qc.invalidateQueries({ queryKey: ['vocabularies'] })} />
              ))}
              {Array.from({ length: adding }, (_, i) => (
                <TermRow key={`new-${name}-${i}`} vocabulary={name} term={{ key: '', en: '', 'zh-CN': '', 'zh-TW': '', position: terms.length + i, active: true, isNew: true }}
                  onSaved={() => { setAdding((a) => a - 1); void qc.invalidateQueries({ queryKey: ['vocabularies'] }); }} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Group p="sm"><Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setAdding((a) => a + 1)}>{t('admin.addTerm')}</Button></Group>
      </Card>
    </Stack>
  );
}
