/** An engagement level as a coloured badge, the same everywhere (account card, engagement page, survey results). */
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Placement } from '../../../../src/features/surveys/rules.ts';
import { NS } from './i18n.ts';

export const LEVEL_COLOR: Record<Placement, string> = { fully_engaged: 'teal', engaged: 'green', not_engaged: 'yellow', actively_disengaged: 'red' };
export const LEVEL_HEX: Record<Placement, string> = { fully_engaged: '#0ca678', engaged: '#74b816', not_engaged: '#fab005', actively_disengaged: '#fa5252' };

export function EngagementBadge({ level, size = 'md', testId }: { level: Placement | null; size?: 'xs' | 'sm' | 'md' | 'lg'; testId?: string }) {
  const { t } = useTranslation(NS);
  if (!level) return <Badge color="gray" variant="light" size={size}>{t('placement.none')}</Badge>;
  return <Badge color={LEVEL_COLOR[level]} size={size} data-testid={testId} data-level={level}>{t(`placement.${level}`)}</Badge>;
}
