import { Group, UnstyledButton, Text, Tooltip } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { IconCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useVocabOptions } from '../../app/data.ts';

/** The buying stages as a clickable path; earlier stages are shown as done. */
export function StagePath({ stage, onChange, disabled }: { stage: string; onChange: (s: string) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const stages = useVocabOptions('buying_stage');
  const current = stages.findIndex((s) => s.value === stage);
  const ref = useRef<HTMLDivElement>(null);
  // On a phone the path is wider than the screen: the current stage is brought into the middle of the view.
  useEffect(() => {
    const box = ref.current;
    const active = box?.querySelector<HTMLElement>('[aria-current="step"]');
    if (box && active && box.scrollWidth > box.clientWidth) box.scrollLeft = active.offsetLeft - box.offsetLeft - (box.clientWidth - active.offsetWidth) / 2;
  }, [current, stages.length]);
  return (
    <Group ref={ref} gap={4} wrap="nowrap" style={{ overflowX: 'auto' }} role="list" aria-label={t('field.buyingStage')} data-testid="stage-path">
      {stages.map((s, i) => {
        const done = i < current;
        const active = i === current;
        return (
          <Tooltip key={s.value} label={t('opportunity.moveTo', { stage: s.label })} disabled={active || disabled}>
            <UnstyledButton
              role="listitem"
              aria-current={active ? 'step' : undefined}
              disabled={disabled}
              onClick={() => !active && onChange(s.value)}
              style={{
                // Long stage names wrap onto a second line instead of being cut; on a phone the path scrolls sideways.
                flex: '1 1 0', minWidth: 120, padding: '5px 14px', borderRadius: 6, textAlign: 'center', display: 'flex', alignItems: 'center', justifyContent: 'center',
                background: active ? 'var(--mantine-color-indigo-6)' : done ? 'var(--mantine-color-indigo-1)' : 'var(--mantine-color-gray-1)',
                color: active ? 'white' : done ? 'var(--mantine-color-indigo-8)' : 'var(--mantine-color-gray-7)',
                clipPath: i === 0 ? 'polygon(0 0, calc(100% - 10px) 0, 100% 50%, calc(100% - 10px) 100%, 0 100%)' : 'polygon(0 0, calc(100% - 10px) 0, 100% 50%, calc(100% - 10px) 100%, 0 100%, 10px 50%)',
              }}
            >
              <Group gap={4} justify="center" wrap="nowrap">
                {done && <IconCheck size={12} />}
                <Text size="xs" lh={1.25} fw={active ? 700 : 500} c={active ? 'white' : done ? 'indigo.8' : 'gray.7'} lineClamp={2}>{s.label}</Text>
              </Group>
            </UnstyledButton>
          </Tooltip>
        );
      })}
    </Group>
  );
}
