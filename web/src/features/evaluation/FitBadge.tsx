/**
 * Fit score badge with a "why" popover: the account's top profile reasons. Other screens import it
 * for lists and record pages; pass the reasons already on the record, or let it fetch the account's
 * explanation (axes, posture, need-type suggestion) when `accountId` is given and `detailed` is set.
 */
import { Badge, Divider, Group, List, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useVocabLabel } from '../../app/data.ts';
import { leanBadge, leanText } from '../../ui/lean.tsx';
import { LazyHoverCard } from '../../ui/LazyHoverCard.tsx';
import { fitColor, TYPE_COLOR, useAccountFit, type Reason } from './data.ts';
import { NS } from './i18n.ts';
import { useReasonLabel } from './valueLabel.ts';

export function FitBadge({ score, reasons, accountId, detailed = false, size = 'sm' }: {
  score: number | null | undefined;
  reasons?: Reason[] | null;
  accountId?: string;
  detailed?: boolean;
  size?: 'xs' | 'sm' | 'md';
}) {
  const { t } = useTranslation(NS);
  if (score === null || score === undefined) return leanText('—', { size: 'xs', dimmed: true });
  // Lists show one per row: the badge is plain markup and the card is built on first hover.
  return (
    <LazyHoverCard
      width={340}
      target={leanBadge(t('badge.fit', { score: Math.round(score) }), fitColor(score), { size, upper: true, style: { cursor: 'help' }, props: { 'data-testid': 'fit-badge' } })}
      dropdown={() => <FitWhy score={score} reasons={reasons ?? []} accountId={detailed ? accountId : undefined} />}
    />
  );
}

function FitWhy({ score, reasons, accountId }: { score: number; reasons: Reason[]; accountId?: string }) {
  const { t } = useTranslation(NS);
  const vocab = useVocabLabel();
  const reasonLabel = useReasonLabel();
  const fit = useAccountFit(accountId, !!accountId);
  const d = fit.data;
  const shown = d?.reasons?.length ? d.reasons : reasons;
  return (
    <Stack gap={6}>
      <Text size="sm" fw={600}>{t('badge.fitTitle')}: {Math.round(score)}/100</Text>
      {shown.length ? (
        <List size="xs" spacing={2}>
          {shown.map((r, i) => (
            <List.Item key={i} c={(r.weight ?? 0) < 0 ? 'red' : undefined}>{reasonLabel(r)}</List.Item>
          ))}
        </List>
      ) : <Text size="xs" c="dimmed">{t('common.noReasons')}</Text>}
      {d?.portfolioType ? (
        <>
          <Divider />
          <Group gap={6}>
            <Badge size="xs" color={TYPE_COLOR[d.portfolioType]} variant="filled">{t(`type.${d.portfolioType}`)}</Badge>
            {d.tier ? <Badge size="xs" variant="outline">{t('badge.tier', { tier: d.tier })}</Badge> : null}
          </Group>
          {d.posture ? <Text size="xs">{t(`posture.${d.posture}`)}</Text> : null}
        </>
      ) : null}
      {d?.components ? (
        <>
          <Text size="xs" fw={600}>{t('badge.components')}</Text>
          {(Object.entries(d.components) as [keyof typeof d.components, number | null][]).map(([k, v]) => (
            <Group key={k} gap={6} wrap="nowrap">
              <Text size="xs" w={110}>{t(`badge.c.${k}`)}</Text>
              <Progress value={v ?? 0} w={140} size="sm" />
              <Text size="xs" c="dimmed">{v === null ? t('badge.unknown') : Math.round(v)}</Text>
            </Group>
          ))}
        </>
      ) : null}
      {d?.needTypeSuggestions?.length ? (
        <>
          <Divider />
          <Text size="xs" fw={600}>{t('badge.needTypeSuggestion')}: {vocab('need_type', d.needTypeSuggestions[0]!.needType)}</Text>
          <Text size="xs" c="dimmed">{d.needTypeSuggestions[0]!.evidence.join(', ')}</Text>
        </>
      ) : null}
    </Stack>
  );
}

export default FitBadge;
