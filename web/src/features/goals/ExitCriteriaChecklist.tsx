/** The exit checklist of a deal, grouped by stage, for the opportunity page. */
import { Badge, Card, Checkbox, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useVocabLabel } from '../../app/data.ts';
import { customLabel } from '../../app/data.ts';
import { useDealCriteria, useToggleCriterion } from './data.ts';
import { NS } from './i18n.ts';

export function ExitCriteriaChecklist({ opportunityId, readOnly = false }: { opportunityId: string; readOnly?: boolean }) {
  const { t, i18n } = useTranslation(NS);
  const stageLabel = useVocabLabel();
  const q = useDealCriteria(opportunityId);
  const toggle = useToggleCriterion(opportunityId);
  const data = q.data;
  const stages = data ? [...new Set(data.criteria.map((c) => c.stage))] : [];
  return (
    <Card withBorder padding="md" data-testid="exit-criteria">
      <Group justify="space-between" mb="sm">
        <Text fw={600}>{t('criteria.title')}</Text>
        {data && data.skippedCount > 0 && <Badge color="orange">{t('criteria.skippedCount', { count: data.skippedCount })}</Badge>}
      </Group>
      {data && data.criteria.length === 0 && <Text size="sm" c="dimmed">{t('criteria.none')}</Text>}
      <Stack gap="sm">
        {stages.map((stage) => (
          <Stack key={stage} gap={4}>
            <Group gap={6}>
              <Text size="sm" fw={500}>{stageLabel('buying_stage', stage)}</Text>
              {data?.currentStage === stage && <Badge size="xs" variant="light">{t('criteria.current')}</Badge>}
            </Group>
            {data!.criteria.filter((c) => c.stage === stage).map((c) => (
              <Group key={c.id} justify="space-between" wrap="nowrap">
                <Checkbox
                  size="sm"
                  checked={c.checked}
                  disabled={readOnly || toggle.isPending}
                  onChange={(e) => toggle.mutate({ criterionId: c.id, checked: e.currentTarget.checked })}
                  label={customLabel(c.label, i18n.language, c.id)}
                />
                {c.skipped && <Badge size="xs" color="orange" variant="light">{t('criteria.skipped')}</Badge>}
              </Group>
            ))}
          </Stack>
        ))}
      </Stack>
    </Card>
  );
}
