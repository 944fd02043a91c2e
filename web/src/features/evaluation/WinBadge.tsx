/** Win probability badge with a "why" popover listing what raises or lowers it (from the deal record). */
import { Badge, HoverCard, List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { winColor, type Reason } from './data.ts';
import { NS } from './i18n.ts';

export function WinBadge({ probability, reasons, size = 'sm' }: { probability: number | null | undefined; reasons?: Reason[] | null; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation(NS);
  if (probability === null || probability === undefined) return <Text span size="xs" c="dimmed">—</Text>;
  const pct = Math.round(probability * 100);
  const list = reasons ?? [];
  return (
    <HoverCard width={300} shadow="md" withinPortal openDelay={150} position="bottom-start">
      <HoverCard.Target>
        <Badge color={winColor(probability)} variant="light" size={size} style={{ cursor: 'help' }} data-testid="win-badge">
          {t('badge.win', { pct })}
        </Badge>
      </HoverCard.Target>
      <HoverCard.Dropdown>
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
      </HoverCard.Dropdown>
    </HoverCard>
  );
}

export default WinBadge;
