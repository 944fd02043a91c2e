import { useMemo, useState } from 'react';
import { Alert, Button, Group, Modal, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { useUsers, useVocabOptions } from '../../app/data.ts';
import { periodContaining, type PeriodKind } from '../../../../src/features/goals/rules.ts';
import { useGoalMutations, type Goal } from './data.ts';
import { useSegments } from '../segments/data.ts';
import { NS } from './i18n.ts';

/** Calendar periods around today to choose from (6 back, 6 ahead for months; 4 and 4 for quarters). */
function periodOptions(kind: PeriodKind, lang: string) {
  const now = new Date();
  const out: { value: string; label: string }[] = [];
  const step = kind === 'month' ? 1 : 3;
  const span = kind === 'month' ? 6 : 4;
  const base = periodContaining(kind, now.toISOString().slice(0, 10)).start;
  const [y, m] = base.split('-').map(Number) as [number, number];
  for (let i = -span; i <= span; i++) {
    const d = new Date(Date.UTC(y, m - 1 + i * step, 1));
    const start = d.toISOString().slice(0, 10);
    const label = kind === 'month'
      ? new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(d)
      : `${d.getUTCFullYear()} Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
    out.push({ value: start, label });
  }
  return out;
}

export function GoalForm({ goal, opened, onClose, onSaved, onEditOther }: { goal: Goal | null; opened: boolean; onClose: () => void; onSaved: (g: Goal) => void; onEditOther?: (g: Goal) => void }) {
  const { t, i18n } = useTranslation(NS);
  const stages = useVocabOptions('buying_stage');
  const users = useUsers().data ?? [];
  const segments = useSegments().data ?? [];
  const { create, update } = useGoalMutations();
  const today = new Date().toISOString().slice(0, 10);
  const [kind, setKind] = useState<PeriodKind>(goal?.periodKind ?? 'month');
  const [start, setStart] = useState<string>(goal?.periodStart ?? periodContaining('month', today).start);
  const [scope, setScope] = useState<'org' | 'team' | 'user'>(goal?.scope ?? 'org');
  const [team, setTeam] = useState(goal?.team ?? '');
  const [userId, setUserId] = useState<string | null>(goal?.userId ?? null);
  const [segmentId, setSegmentId] = useState<string | null>(goal?.segmentId ?? null);
  const [targets, setTargets] = useState<Record<string, number | ''>>(goal?.targets ?? {});
  const [error, setError] = useState<ApiError | null>(null);
  const options = useMemo(() => {
    const opts = periodOptions(kind, i18n.language);
    return opts.some((o) => o.value === start) ? opts : [{ value: start, label: start }, ...opts];
  }, [kind, i18n.language, start]);
  const teams = [...new Set(users.map((u) => u.team).filter((x): x is string => !!x))];
  const fieldError = (path: string) => error?.fields.find((f) => f.path === path)?.message;

  const submit = async () => {
    setError(null);
    const body = {
      periodKind: kind,
      periodStart: start,
      scope,
      team: scope === 'team' ? team || null : null,
      userId: scope === 'user' ? userId : null,
      segmentId,
      targets: Object.fromEntries(Object.entries(targets).filter(([, v]) => v !== '' && v !== undefined)),
    };
    try {
      const saved = goal ? await update.mutateAsync({ id: goal.id, version: goal.version, body }) : await create.mutateAsync(body);
      onSaved(saved);
      onClose();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'error', (e as Error).message));
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={goal ? t('editGoal') : t('newGoal')} size="lg">
      <Stack>
        {error && (
          <Alert color="red" data-testid="goal-error">
            {error.message}{error.fields.length ? `: ${error.fields.map((f) => f.message).join('; ')}` : ''}
            {error.isConflict && !!error.current && onEditOther && (
              <Button size="compact-sm" variant="white" color="red" ml="sm" onClick={() => onEditOther(error.current as Goal)} data-testid="goal-edit-other">{t('editThat')}</Button>
            )}
          </Alert>
        )}
        <Group grow align="flex-end">
          <SegmentedControl value={kind} onChange={(v) => { setKind(v as PeriodKind); setStart(periodContaining(v as PeriodKind, start).start); }}
            data={[{ value: 'month', label: t('periodKind.month') }, { value: 'quarter', label: t('periodKind.quarter') }]} />
          <Select label={t('periodStart')} data={options} value={start} onChange={(v) => v && setStart(v)} allowDeselect={false} error={fieldError('periodStart') ?? fieldError('periodEnd')} data-testid="goal-period" />
        </Group>
        <Stack gap={4}>
          <Text size="sm" fw={500}>{t('scope.label')}</Text>
          <SegmentedControl value={scope} onChange={(v) => setScope(v as typeof scope)}
            data={(['org', 'team', 'user'] as const).map((s) => ({ value: s, label: t(`scope.${s}`) }))} />
        </Stack>
        {scope === 'team' && (
          <Select label={t('team')} data={teams} value={team || null} onChange={(v) => setTeam(v ?? '')} searchable error={fieldError('team')} />
        )}
        {scope === 'user' && (
          <Select label={t('user')} data={users.filter((u) => u.active !== false).map((u) => ({ value: u.id, label: u.name }))} value={userId} onChange={setUserId} searchable error={fieldError('userId')} />
        )}
        <Select label={t('segment')} placeholder={t('anySegment')} clearable data={segments.map((s) => ({ value: s.id, label: s.name }))} value={segmentId} onChange={setSegmentId} error={fieldError('segmentId')} />
        <Text size="sm" fw={500}>{t('targets')}</Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {stages.map((s) => (
            <NumberInput key={s.value} label={s.label} min={0} allowDecimal={false} allowNegative={false} value={targets[s.value] ?? ''}
              onChange={(v) => setTargets({ ...targets, [s.value]: v === '' ? '' : Number(v) })} error={fieldError(`targets.${s.value}`)} data-testid={`target-${s.value}`} />
          ))}
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('cancel')}</Button>
          <Button onClick={() => void submit()} loading={create.isPending || update.isPending} data-testid="goal-save">{t('save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
