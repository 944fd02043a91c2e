/** Win probability badge with a "why" popover listing what raises or lowers it (from the deal record). */
import { List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { leanBadge, leanText } from '../../ui/lean.tsx';
import { LazyHoverCard } from '../../ui/LazyHoverCard.tsx';
import { winColor, type Reason } from './data.ts';
import { NS } from './i18n.ts';

export function WinBadge({ probability, reasons, size = 'sm' }: { probability: number | null | undefined; reasons?: Reason[] | null; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation(NS);
  if (probability === null || probability === undefined) return leanText('—', { size: 'xs', dimmed: true });
  const pct = Math.round(probability * 100);
  const list = reasons ?? [];
  // Lists and the board show one per row: the badge is plain markup and the card is built on first hover.
  return (
    <LazyHoverCard
      width={300}
      target={leanBadge(t('badge.win', { pct }), winColor(probability), { size, upper: true, style: { cursor: 'help' }, props: { 'data-testid': 'win-badge' } })}
      dropdown={() => (
        <Stack gap={6}>
          <Text size="sm" fw={600}>{t('badge.winTitle')}: {pct} %</Text>
          {list.length ? (
            <List size="xs" spacing={2}>
              {list.map((r, i) => (
                <List.Item key={i} c={(r.weight ?? 0) < 0 ? 'red' : (r.weight ?? 0) > 0 ? 'green' : undefined}>
                  {(r.weight ?? 0) > 0 ? '▲ ' : (r.weight ?? 0) < 0 ? '▼ ' : ''}{r.label}
                </List.Item>
              ))}
            </List>
          ) : <Text size="xs" c="dimmed">{t('common.noReasons')}</Text>}
        </Stack>
      )}
    />
  );
}

export default WinBadge;
