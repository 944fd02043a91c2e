import { useEffect, useMemo, useState } from 'react';
import { Accordion, Anchor, Badge, Button, Card, Group, Progress, Select, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconPencil, IconPlus, IconTarget } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth.tsx';
import { useUserName, useVocabLabel } from '../../app/data.ts';
import { formatDate, formatPercent } from '../../app/format.ts';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { PageSkeleton } from '../../ui/PageSkeleton.tsx';
import { Chart, PALETTE } from '../funnel/Chart.tsx';
import { useGoalProgress, useGoals, type Goal, type GoalProgress } from './data.ts';
import { useSegments } from '../segments/data.ts';
import { GoalForm } from './GoalForm.tsx';
import { NS } from './i18n.ts';

export const STATUS_COLOR = { upcoming: 'gray', achieved: 'teal', on_track: 'blue', behind: 'orange', missed: 'red' } as const;

function useGoalLabel() {
  const { t, i18n } = useTranslation(NS);
  const userName = useUserName();
  const segments = useSegments().data ?? [];
  return (g: Goal) => {
    const d = new Date(`${g.periodStart}T00:00:00Z`);
    const period = g.periodKind === 'month'
      ? new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(d)
      : `${d.getUTCFullYear()} Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
    const who = g.scope === 'team' ? `${t('scope.team')}: ${g.team}` : g.scope === 'user' ? userName(g.userId) || t('scope.user') : t('scope.org');
    const seg = g.segmentId ? ` · ${segments.find((s) => s.id === g.segmentId)?.name ?? t('segment')}` : '';
    return `${period} · ${who}${seg}`;
  };
}

export default function GoalsPage() {
  const { t, i18n } = useTranslation(NS);
  const { user } = useSession();
  const canEdit = user.role === 'admin' || user.role === 'manager';
  const goals = useGoals();
  const label = useGoalLabel();
  const [selected, setSelected] = useState<string | null>(null);
  const [form, setForm] = useState<{ goal: Goal | null } | null>(null);
  const list = goals.data ?? [];
  useEffect(() => {
    if (selected || !list.length) return;
    const today = new Date().toISOString().slice(0, 10);
    const now = list.filter((g) => g.periodStart <= today && today <= g.periodEnd);
    // The organization's goal for today first: it is what a manager opens the page for.
    setSelected((now.find((g) => g.scope === 'org' && !g.segmentId) ?? now[0] ?? list[0]!).id);
  }, [list, selected]);
  const current = list.find((g) => g.id === selected) ?? null;
  const progress = useGoalProgress(current?.id ?? null);

  if (goals.isLoading) return <PageSkeleton />;
  return (
    <Stack p="md" gap="md" data-testid="goals-page">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('title')}</Title>
          <Text c="dimmed" size="sm">{t('subtitle')}</Text>
        </div>
        <Group>
          {list.length > 0 && (
            <Select w={340} data={list.map((g) => ({ value: g.id, label: label(g) }))} value={selected} onChange={setSelected} allowDeselect={false} data-testid="goal-select" />
          )}
          {canEdit && current && <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setForm({ goal: current })}>{t('editGoal')}</Button>}
          {canEdit && <Button leftSection={<IconPlus size={16} />} onClick={() => setForm({ goal: null })} data-testid="new-goal">{t('newGoal')}</Button>}
        </Group>
      </Group>
      {!list.length && <EmptyState icon={IconTarget} title={t('noGoals')} />}
      {progress.data && <GoalProgressView p={progress.data} lang={i18n.language} />}
      {form && <GoalForm key={form.goal?.id ?? 'new'} goal={form.goal} opened onClose={() => setForm(null)} onSaved={(g) => setSelected(g.id)} onEditOther={(g) => setForm({ goal: g })} />}
    </Stack>
  );
}

function GoalProgressView({ p, lang }: { p: GoalProgress; lang: string }) {
  const { t } = useTranslation(NS);
  const stageLabel = useVocabLabel();
  const stages = [...p.stages].sort((a, b) => a.rank - b.rank);
  const names = stages.map((s) => stageLabel('buying_stage', s.stage));
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' as const },
      legend: { data: [t('chart.actual'), t('chart.target'), t('chart.expected')], bottom: 0 },
      grid: { left: 8, right: 24, top: 16, bottom: 36, containLabel: true },
      xAxis: { type: 'value' as const, minInterval: 1 },
      yAxis: { type: 'category' as const, data: names, inverse: true },
      series: [
        { name: t('chart.target'), type: 'bar' as const, data: stages.map((s) => s.target), itemStyle: { color: PALETTE.muted }, barGap: '-100%', z: 1 },
        {
          name: t('chart.actual'), type: 'bar' as const, z: 2,
          data: stages.map((s) => ({ value: s.actual, itemStyle: { color: { achieved: PALETTE.good, on_track: PALETTE.primary, behind: PALETTE.warn, missed: PALETTE.bad, upcoming: PALETTE.muted }[s.status] } })),
          label: { show: true, position: 'right' as const, formatter: (x: { dataIndex: number }) => `${stages[x.dataIndex]!.actual} / ${stages[x.dataIndex]!.target}` },
        },
        { name: t('chart.expected'), type: 'scatter' as const, symbol: 'rect', symbolSize: [4, 26], itemStyle: { color: PALETTE.dark }, data: stages.map((s) => s.expected), z: 3 },
      ],
    }),
    [stages, names, t],
  );
  return (
    <Stack gap="md">
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Text fw={600}>{formatDate(p.goal.periodStart, lang)} – {formatDate(p.goal.periodEnd, lang)}</Text>
          <Text size="sm" c="dimmed">{t('elapsed', { pct: formatPercent(p.elapsed, lang) })}</Text>
        </Group>
        <Progress value={p.elapsed * 100} size="sm" color="gray" mb="md" aria-label={t('elapsed', { pct: formatPercent(p.elapsed, lang) })} />
        <Chart option={option as never} height={60 + stages.length * 48} testId="goal-chart" />
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
        {stages.map((s, i) => (
          <Card key={s.stage} withBorder data-testid={`stage-${s.stage}`}>
            <Group justify="space-between" mb={4}>
              <Text fw={600}>{names[i]}</Text>
              <Badge color={STATUS_COLOR[s.status]}>{t(`status.${s.status}`)}</Badge>
            </Group>
            <Text size="xl" fw={700}>{t('reached', { actual: s.actual, target: s.target })}</Text>
            <Tooltip label={t('expected', { n: s.expected })}>
              <div style={{ position: 'relative' }}>
                <Progress value={s.target ? Math.min(100, (s.actual / s.target) * 100) : 100} color={STATUS_COLOR[s.status]} size="lg" mt={6} />
                {s.target > 0 && <div style={{ position: 'absolute', top: 2, bottom: -4, width: 2, background: PALETTE.dark, left: `${Math.min(100, (s.expected / s.target) * 100)}%` }} />}
              </div>
            </Tooltip>
            <Text size="xs" c="dimmed" mt={4}>{t('expected', { n: s.expected })}</Text>
            <Accordion variant="contained" mt="sm" chevronPosition="left">
              <Accordion.Item value="accounts">
                <Accordion.Control>{t('drill.accounts')} ({s.accounts.length})</Accordion.Control>
                <Accordion.Panel>
                  {s.accounts.length === 0 ? <Text size="sm" c="dimmed">{t('drill.none')}</Text> : (
                    <Stack gap={4}>
                      {s.accounts.map((a) => (
                        <Group key={a.accountId} justify="space-between" wrap="nowrap">
                          <Anchor component={Link} to={`/accounts/${a.accountId}`} size="sm" truncate>{a.accountName}</Anchor>
                          <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
                            {a.skipped && <Badge size="xs" color="orange" variant="light">{t('skipped')}</Badge>}
                            <Text size="xs" c="dimmed">{formatDate(a.reachedAt, lang)}</Text>
                          </Group>
                        </Group>
                      ))}
                    </Stack>
                  )}
                </Accordion.Panel>
              </Accordion.Item>
              <Accordion.Item value="closest">
                <Accordion.Control>{t('drill.closest')} ({s.closest.length})</Accordion.Control>
                <Accordion.Panel>
                  {s.closest.length === 0 ? <Text size="sm" c="dimmed">{t('drill.none')}</Text> : (
                    <Stack gap={4}>
                      {s.closest.map((d) => (
                        <Group key={d.opportunityId} justify="space-between" wrap="nowrap">
                          <div style={{ minWidth: 0 }}>
                            <Anchor component={Link} to={`/opportunities/${d.opportunityId}`} size="sm" truncate>{d.opportunityName}</Anchor>
                            <Text size="xs" c="dimmed" truncate>{d.accountName}</Text>
                          </div>
                          <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
                            {d.winProbability != null && <Badge size="xs" variant="light">{t('winProb', { pct: formatPercent(d.winProbability, lang) })}</Badge>}
                            {d.criteriaTotal > 0 && <Badge size="xs" variant="outline">{t('checklist', { done: d.criteriaDone, total: d.criteriaTotal })}</Badge>}
                          </Group>
                        </Group>
                      ))}
                    </Stack>
                  )}
                </Accordion.Panel>
              </Accordion.Item>
            </Accordion>
          </Card>
        ))}
      </SimpleGrid>
      <Text size="xs" c="dimmed">{p.semantics}</Text>
    </Stack>
  );
}
