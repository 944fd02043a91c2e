/**
 * The organization's evaluation settings (managers and admins): portfolio thresholds, the weights
 * of each axis, strength-tier cuts and the win model's minimum history. Saved with the version
 * that was read, so a colleague's change is never overwritten silently; applied at the next recompute.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Drawer, Group, NumberInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAdjustments } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { useSession } from '../../app/auth.tsx';
import { errorSummary, serverFieldErrors } from '../../ui/form.ts';
import { useEvaluationSettings, useSaveEvaluationSettings, type EvaluationSettings } from './data.ts';
import { NS } from './i18n.ts';

/** The form's fields, flat; tier cuts are shown as percentiles (0–100) and sent as fractions. */
type Values = Record<string, number | string>;

const GROUPS = [
  { key: 'thresholds', fields: ['attractivenessThreshold', 'relationshipThreshold'], max: 100 },
  { key: 'attractivenessWeights', fields: ['attractivenessWeights.fit', 'attractivenessWeights.potential', 'attractivenessWeights.profitability'], max: 100 },
  { key: 'relationshipWeights', fields: ['relationshipWeights.shareOfWallet', 'relationshipWeights.supplierStatus', 'relationshipWeights.engagement'], max: 100 },
  { key: 'tierCuts', fields: ['tierCuts.a', 'tierCuts.b'], max: 100 },
  { key: 'winModel', fields: ['minWon', 'minLost', 'engagementDays'], max: 100000 },
] as const;

function toValues(s: EvaluationSettings): Values {
  return {
    attractivenessThreshold: s.attractivenessThreshold,
    relationshipThreshold: s.relationshipThreshold,
    ...Object.fromEntries(Object.entries(s.attractivenessWeights).map(([k, v]) => [`attractivenessWeights.${k}`, v])),
    ...Object.fromEntries(Object.entries(s.relationshipWeights).map(([k, v]) => [`relationshipWeights.${k}`, v])),
    'tierCuts.a': Math.round(s.tierCuts.a * 1000) / 10,
    'tierCuts.b': Math.round(s.tierCuts.b * 1000) / 10,
    minWon: s.minWon,
    minLost: s.minLost,
    engagementDays: s.engagementDays,
  };
}

/** What changed, as the API takes it: an axis's weights go together, tier cuts as fractions. */
export function settingsChange(before: Values, after: Values): Record<string, unknown> {
  const n = (k: string) => Number(after[k]);
  const changed = (prefix: string) => Object.keys(after).some((k) => k.startsWith(prefix) && after[k] !== before[k]);
  const out: Record<string, unknown> = {};
  for (const k of ['attractivenessThreshold', 'relationshipThreshold', 'minWon', 'minLost', 'engagementDays']) if (after[k] !== before[k]) out[k] = n(k);
  for (const axis of ['attractivenessWeights', 'relationshipWeights']) {
    if (changed(`${axis}.`)) out[axis] = Object.fromEntries(Object.keys(after).filter((k) => k.startsWith(`${axis}.`)).map((k) => [k.slice(axis.length + 1), n(k)]));
  }
  const cuts: Record<string, number> = {};
  for (const c of ['a', 'b']) if (after[`tierCuts.${c}`] !== before[`tierCuts.${c}`]) cuts[c] = n(`tierCuts.${c}`) / 100;
  if (Object.keys(cuts).length) out.tierCuts = cuts;
  return out;
}

/** `recompute`: what to offer once settings are saved (they apply at the next recompute). */
export function SettingsButton({ recompute }: { recompute: ReactNode }) {
  const { t } = useTranslation(NS);
  const { user } = useSession();
  const [open, setOpen] = useState(false);
  if (user.role !== 'admin' && user.role !== 'manager') return null;
  return (
    <>
      <Button size="xs" variant="default" leftSection={<IconAdjustments size={14} />} onClick={() => setOpen(true)} data-testid="evaluation-settings">
        {t('settings.open')}
      </Button>
      <Drawer opened={open} onClose={() => setOpen(false)} position="right" size="md" title={<Title order={4}>{t('settings.title')}</Title>}>
        {open && <SettingsForm recompute={recompute} />}
      </Drawer>
    </>
  );
}

function SettingsForm({ recompute }: { recompute: ReactNode }) {
  const { t } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const q = useEvaluationSettings();
  const save = useSaveEvaluationSettings();
  const [values, setValues] = useState<Values | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<'saved' | 'conflict' | null>(null);
  useEffect(() => {
    if (q.data && !values) setValues(toValues(q.data.settings));
  }, [q.data, values]);
  if (!q.data || !values) return <Text size="sm" c="dimmed">…</Text>;
  const read = toValues(q.data.settings);
  const defaults = toValues(q.data.defaults);
  const change = settingsChange(read, values);
  const dirty = Object.keys(change).length > 0;

  const submit = () => {
    const empty = Object.keys(values).filter((k) => values[k] === '');
    if (empty.length) return setErrors(Object.fromEntries(empty.map((k) => [k, tc('validation.required')])));
    save.mutate(
      { change, version: q.data!.version },
      {
        onSuccess: (r) => {
          setValues(toValues(r.settings));
          setErrors({});
          setNotice('saved');
        },
        onError: (e) => {
          if (e instanceof ApiError && e.status === 409) {
            // Someone saved first: show their settings, keep nothing of ours silently.
            const current = e.current as { settings: EvaluationSettings } | undefined;
            if (current) setValues(toValues(current.settings));
            setNotice('conflict');
            void q.refetch();
            return;
          }
          setErrors(serverFieldErrors(e, tc));
          notifications.show({ color: 'red', message: errorSummary(e, tc) });
        },
      },
    );
  };

  return (
    <Stack gap="md" data-testid="evaluation-settings-form">
      <Text size="sm" c="dimmed">{t('settings.intro')}</Text>
      {notice === 'saved' && (
        <Alert color="green" data-testid="settings-saved">
          <Stack gap="xs"><Text size="sm">{t('settings.saved')}</Text><Group>{recompute}</Group></Stack>
        </Alert>
      )}
      {notice === 'conflict' && <Alert color="orange" data-testid="settings-conflict">{t('settings.conflict')}</Alert>}
      {GROUPS.map((g) => (
        <div key={g.key}>
          <Text fw={600} size="sm">{t(`settings.group.${g.key}`)}</Text>
          <Text size="xs" c="dimmed" mb={4}>{t(`settings.help.${g.key}`)}</Text>
          <SimpleGrid cols={g.fields.length === 2 ? 2 : 3} spacing="xs">
            {g.fields.map((k) => (
              <NumberInput
                key={k}
                size="xs"
                label={t(`settings.field.${k}`)}
                description={t('settings.default', { value: defaults[k] })}
                min={0}
                max={g.max}
                allowNegative={false}
                allowDecimal={g.key !== 'winModel'}
                value={values[k]}
                onChange={(v) => {
                  setValues({ ...values, [k]: v });
                  setNotice(null);
                }}
                error={errors[k]}
                data-testid={`setting-${k}`}
              />
            ))}
          </SimpleGrid>
          {/* A problem of the whole group (weights that add up to nothing). */}
          {errors[g.key] && <Text size="xs" c="red" mt={4}>{errors[g.key]}</Text>}
        </div>
      ))}
      <Group justify="space-between">
        <Button variant="subtle" size="xs" onClick={() => setValues(defaults)}>{t('settings.resetDefaults')}</Button>
        <Button onClick={submit} disabled={!dirty} loading={save.isPending} data-testid="settings-save">{t('settings.save')}</Button>
      </Group>
    </Stack>
  );
}
