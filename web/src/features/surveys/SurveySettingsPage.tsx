/**
 * The organization's survey settings: the item bank (every question's wording in English, 简体中文 and
 * 繁體中文; new surveys start from it, surveys already made keep the wording they were sent with) and the
 * engagement rules (placement thresholds, role weights, window, alert thresholds, link validity).
 * Managers and administrators edit; everyone else reads. Checked here as the server checks (the same
 * zod schemas and bank rules), the server's field errors shown beside the field they name.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, NumberInput, SimpleGrid, Stack, Tabs, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconPlus, IconRestore, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, ApiError } from '../../app/api.ts';
import { useSession } from '../../app/auth.tsx';
import { useVocabLabel, useVocabOptions } from '../../app/data.ts';
import { DEFAULT_ITEMS } from '../../../../src/features/surveys/items.ts';
import { bankIssues, LANGUAGES, LEVELS, type BankIssue, type Item, type Level } from '../../../../src/features/surveys/rules.ts';
import { engagementSettingsBody, itemBank, texts as textsSchema } from '../../../../src/features/surveys/schemas.ts';
import { useEngagementSettings, type EngagementSettings } from './data.ts';
import { NS } from './i18n.ts';

type ItemBank = z.infer<typeof itemBank>;
type Errors = Record<string, string>;

const fromApi = (e: unknown): Errors =>
  e instanceof ApiError ? Object.fromEntries(e.fields.map((f) => [f.path, f.message])) : {};

// ── Item bank ───────────────────────────────────────────────────────────────

const BLOCKS = ['rational', ...LEVELS, 'text'] as const;
type Block = (typeof BLOCKS)[number];
const blockOf = (i: Item): Block => (i.kind === 'score10' ? 'rational' : i.kind === 'agree5' ? i.level : 'text');

type T = (key: string, o?: Record<string, unknown>) => string;

/** Per-item problems the server would give (the same schema): every language filled, at most 500 characters — worded in the screen's language. */
function itemErrors(items: Item[], t: T): Errors {
  const out: Errors = {};
  items.forEach((it, n) => {
    const r = textsSchema.safeParse(it.text);
    if (!r.success) for (const issue of r.error.issues) out[`items.${n}.text.${String(issue.path[0])}`] = issue.code === 'too_big' ? t('settings.err.tooLong', { max: 500 }) : t('settings.err.required');
  });
  return out;
}

const issueText = (p: BankIssue, t: T) =>
  p.code === 'duplicate_id' ? t('settings.err.duplicateId', { id: p.id })
    : p.code === 'missing_role' ? t('settings.err.missingRole', { role: t(`detail.rational.${p.role}`) })
      : t('settings.err.levelItems', { level: t(`level.${p.level}`) });

function newItemId(items: Item[], level: Level): string {
  const prefix = { confidence: 'conf', integrity: 'integ', pride: 'prid', passion: 'pass' }[level];
  for (let n = 1; ; n++) if (!items.some((i) => i.id === `${prefix}${n}`)) return `${prefix}${n}`;
}

function ItemBankTab({ editable }: { editable: boolean }) {
  const { t } = useTranslation(NS);
  const qc = useQueryClient();
  const bank = useQuery({ queryKey: ['survey-item-bank'], queryFn: ({ signal }) => api<ItemBank>('/survey-item-bank', { signal }) });
  const [items, setItems] = useState<Item[] | null>(null);
  const [serverErrors, setServerErrors] = useState<Errors>({});
  useEffect(() => {
    if (bank.data && items === null) setItems(bank.data.items);
  }, [bank.data, items]);
  const save = useMutation({
    mutationFn: (next: Item[]) => api<ItemBank>('/survey-item-bank', { method: 'PATCH', body: { items: next }, ifMatch: bank.data?.version ?? 0 }),
    onSuccess: (b) => {
      qc.setQueryData(['survey-item-bank'], b);
      setItems(b.items);
      setServerErrors({});
      notifications.show({ color: 'green', message: t('settings.saved') });
    },
    onError: (e) => setServerErrors(fromApi(e)),
  });
  const local = useMemo(() => (items ? itemErrors(items, t) : {}), [items, t]);
  const problems = useMemo(() => (items ? bankIssues(items).map((p) => issueText(p, t)) : []), [items, t]);
  if (!items || !bank.data) return null;
  const errors = { ...serverErrors, ...local };
  const dirty = JSON.stringify(items) !== JSON.stringify(bank.data.items);
  const setText = (n: number, lang: (typeof LANGUAGES)[number], v: string) => setItems(items.map((it, i) => (i === n ? { ...it, text: { ...it.text, [lang]: v } } : it)));
  const remove = (n: number) => setItems(items.filter((_, i) => i !== n));
  const add = (level: Level) => setItems([...items, { id: newItemId(items, level), kind: 'agree5', level, text: { en: '', 'zh-CN': '', 'zh-TW': '' } }]);
  const canSave = editable && dirty && !problems.length && !Object.keys(local).length;
  return (
    <Stack gap="md" data-testid="item-bank">
      <Alert color="blue" variant="light">{t('settings.bankNote')}</Alert>
      <Group>
        <Badge variant="light" color={bank.data.isDefault ? 'gray' : 'indigo'} data-testid="item-bank-state">{bank.data.isDefault ? t('settings.bankDefault') : t('settings.bankEdited', { version: bank.data.version })}</Badge>
      </Group>
      {BLOCKS.map((block) => {
        const inBlock = items.map((it, n) => ({ it, n })).filter(({ it }) => blockOf(it) === block);
        return (
          <Card key={block} withBorder data-testid={`bank-block-${block}`}>
            <Group justify="space-between" mb="xs">
              <Text fw={600}>{block === 'rational' || block === 'text' ? t(`settings.block.${block}`) : t(`level.${block}`)}</Text>
              {editable && block !== 'rational' && block !== 'text' && (
                <Button size="compact-xs" variant="subtle" leftSection={<IconPlus size={12} />} onClick={() => add(block)} data-testid={`bank-add-${block}`}>{t('settings.addItem')}</Button>
              )}
            </Group>
            <Stack gap="sm">
              {inBlock.map(({ it, n }) => (
                <div key={it.id} data-testid={`bank-item-${it.id}`}>
                  <Group gap="xs" mb={4}>
                    <Badge size="xs" variant="outline" tt="none">{it.id}</Badge>
                    <Text size="xs" c="dimmed">{it.kind === 'score10' ? `${t(`detail.rational.${it.role}`)} · ${t('detail.kind.score10')}` : t(`detail.kind.${it.kind}`)}</Text>
                    {editable && it.kind === 'agree5' && (
                      <Button size="compact-xs" variant="subtle" color="red" leftSection={<IconTrash size={12} />} onClick={() => remove(n)} data-testid={`bank-remove-${it.id}`}>{t('settings.remove')}</Button>
                    )}
                  </Group>
                  <SimpleGrid cols={{ base: 1, md: 3 }} spacing="xs">
                    {LANGUAGES.map((l) => (
                      <Textarea key={l} label={t(`language.${l}`)} value={it.text[l]} autosize minRows={1} maxRows={4} readOnly={!editable}
                        error={errors[`items.${n}.text.${l}`]} onChange={(e) => setText(n, l, e.currentTarget.value)} data-testid={`bank-text-${it.id}-${l}`} />
                    ))}
                  </SimpleGrid>
                </div>
              ))}
            </Stack>
          </Card>
        );
      })}
      {problems.length > 0 && <Alert color="red" data-testid="bank-problems">{problems.map((p) => <div key={p}>{p}</div>)}</Alert>}
      {save.error && !Object.keys(serverErrors).length && <Alert color="red">{(save.error as Error).message}</Alert>}
      {editable && (
        <Group>
          <Button onClick={() => save.mutate(items)} disabled={!canSave} loading={save.isPending} data-testid="bank-save">{t('settings.saveBank')}</Button>
          <Button variant="default" disabled={!dirty} onClick={() => { setItems(bank.data.items); setServerErrors({}); }}>{t('settings.discard')}</Button>
          <Button variant="subtle" leftSection={<IconRestore size={14} />} onClick={() => setItems(DEFAULT_ITEMS)} data-testid="bank-defaults">{t('settings.defaults')}</Button>
        </Group>
      )}
    </Stack>
  );
}

// ── Engagement rules ────────────────────────────────────────────────────────

type Form = Omit<EngagementSettings, 'version'>;
const NUMBERS = [
  ['agree', 1, 5, 0.5], ['disagree', 1, 5, 0.5], ['rationalMin', 0, 10, 0.5], ['minRespondents', 1, 50, 1],
  ['windowDays', 30, 3650, 1], ['npsDrop', 1, 200, 1], ['linkDays', 1, 365, 1],
] as const;

/** What the server would refuse, field by field (the same zod body schema, and disagree below agree), worded in the screen's language. */
function settingsErrors(f: Form, t: T): Errors {
  const out: Errors = {};
  const r = engagementSettingsBody.safeParse(f);
  if (!r.success) {
    for (const i of r.error.issues) {
      const range = i as { minimum?: unknown; maximum?: unknown };
      out[i.path.join('.')] = i.code === 'too_small' ? t('settings.err.min', { min: Number(range.minimum) }) : i.code === 'too_big' ? t('settings.err.max', { max: Number(range.maximum) })
        : i.code === 'invalid_type' && (i as { expected?: string }).expected === 'int' ? t('settings.err.whole') : t('settings.err.number');
    }
  }
  if (!out.disagree && !out.agree && f.disagree >= f.agree) out.disagree = t('settings.err.belowAgree');
  return out;
}

function RulesTab({ editable }: { editable: boolean }) {
  const { t } = useTranslation(NS);
  const qc = useQueryClient();
  const vocab = useVocabLabel();
  const roles = useVocabOptions('buying_role');
  const current = useEngagementSettings();
  const [form, setForm] = useState<Form | null>(null);
  const [serverErrors, setServerErrors] = useState<Errors>({});
  useEffect(() => {
    if (current.data && form === null) {
      const { version: _version, ...rest } = current.data;
      setForm(rest);
    }
  }, [current.data, form]);
  const save = useMutation({
    mutationFn: (body: Form) => api<EngagementSettings>('/engagement/settings', { method: 'PATCH', body, ifMatch: current.data?.version ?? 0 }),
    onSuccess: (s) => {
      qc.setQueryData(['engagement', 'settings'], s);
      const { version: _version, ...rest } = s;
      setForm(rest);
      setServerErrors({});
      notifications.show({ color: 'green', message: t('settings.saved') });
    },
    onError: (e) => setServerErrors(fromApi(e)),
  });
  if (!form || !current.data) return null;
  const local = settingsErrors(form, t);
  const errors = { ...serverErrors, ...local };
  const { version: _v, ...saved } = current.data;
  const dirty = JSON.stringify(form) !== JSON.stringify(saved);
  const set = (k: keyof Form, v: string | number) => setForm({ ...form, [k]: typeof v === 'number' ? v : Number.NaN });
  const roleKeys = [...new Set([...roles.map((r) => r.value), ...Object.keys(form.roleWeights).filter((k) => k !== 'other'), 'other'])];
  return (
    <Stack gap="md" data-testid="engagement-rules">
      <Alert color="blue" variant="light">{t('settings.rulesNote')}</Alert>
      <Card withBorder>
        <Text fw={600} mb="xs">{t('settings.thresholds')}</Text>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          {NUMBERS.map(([k, min, max, step]) => (
            <NumberInput key={k} label={t(`settings.field.${k}`)} description={t(`settings.hint.${k}`)} value={Number.isNaN(form[k]) ? '' : form[k]} min={min} max={max} step={step}
              decimalScale={step < 1 ? 2 : 0} readOnly={!editable} error={errors[k]} onChange={(v) => set(k, v)} data-testid={`rule-${k}`} />
          ))}
        </SimpleGrid>
      </Card>
      <Card withBorder>
        <Text fw={600}>{t('settings.weights')}</Text>
        <Text size="xs" c="dimmed" mb="xs">{t('settings.weightsHint')}</Text>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {roleKeys.map((r) => (
            <NumberInput key={r} label={r === 'other' ? t('settings.otherRole') : vocab('buying_role', r)} value={form.roleWeights[r] ?? ''} min={0} max={10} step={0.5} decimalScale={2} readOnly={!editable}
              error={errors[`roleWeights.${r}`]} data-testid={`weight-${r}`}
              onChange={(v) => setForm({ ...form, roleWeights: { ...form.roleWeights, [r]: typeof v === 'number' ? v : Number.NaN } })} />
          ))}
        </SimpleGrid>
      </Card>
      {save.error && !Object.keys(serverErrors).length && <Alert color="red">{(save.error as Error).message}</Alert>}
      {editable && (
        <Group>
          <Button onClick={() => save.mutate(form)} disabled={!dirty || Object.keys(local).length > 0} loading={save.isPending} data-testid="rules-save">{t('settings.saveRules')}</Button>
          <Button variant="default" disabled={!dirty} onClick={() => { setForm(saved); setServerErrors({}); }}>{t('settings.discard')}</Button>
        </Group>
      )}
    </Stack>
  );
}

export default function SurveySettingsPage() {
  const { t } = useTranslation(NS);
  const { user } = useSession();
  const editable = user.role === 'admin' || user.role === 'manager';
  return (
    <Stack p="md" gap="md" data-testid="survey-settings-page">
      <Anchor component={Link} to="/surveys" size="sm"><Group gap={4}><IconArrowLeft size={14} />{t('detail.back')}</Group></Anchor>
      <div>
        <Title order={2}>{t('settings.title')}</Title>
        <Text c="dimmed" size="sm">{editable ? t('settings.subtitle') : t('settings.readOnly')}</Text>
      </div>
      <Tabs defaultValue="bank" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="bank" data-testid="tab-bank">{t('settings.tabBank')}</Tabs.Tab>
          <Tabs.Tab value="rules" data-testid="tab-rules">{t('settings.tabRules')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="bank" pt="md"><ItemBankTab editable={editable} /></Tabs.Panel>
        <Tabs.Panel value="rules" pt="md"><RulesTab editable={editable} /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
