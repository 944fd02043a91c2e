/** What an account bought, product by product: the lines of its orders, newest order first. */
import { Anchor, Card, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatDate } from '../../app/format.ts';
import { productName } from '../../../../src/features/products/rules.ts';
import { useAccountLines } from './data.ts';
import { NS } from './i18n.ts';
import { money, trimQty } from './parts.tsx';

export function AccountOrderLines({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation(NS);
  const lang = i18n.language;
  const q = useAccountLines(accountId);
  const rows = q.data?.data ?? [];
  return (
    <Card withBorder padding={0} data-testid="account-order-lines">
      <Text fw={600} p="sm">{t('orderLines.title')}</Text>
      <Table>
        <Table.Thead>
          <Table.Tr><Table.Th>{t('orderLines.order')}</Table.Th><Table.Th>{t('orderLines.date')}</Table.Th><Table.Th>{t('lines.col.productId')}</Table.Th><Table.Th ta="right">{t('lines.col.quantity')}</Table.Th><Table.Th ta="right">{t('lines.col.unitPrice')}</Table.Th><Table.Th ta="right">{t('lines.col.lineTotal')}</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((l) => (
            <Table.Tr key={l.id} data-testid="account-order-line">
              <Table.Td style={{ whiteSpace: 'nowrap' }}><Text size="sm" ff="monospace">{l.orderNumber ?? '—'}</Text></Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(l.orderedAt, lang)}</Table.Td>
              <Table.Td><Anchor component={Link} to={`/products/${l.productId}`} size="sm">{l.productCode}</Anchor> <Text span size="sm">{productName({ name: l.productName, nameI18n: l.nameI18n }, lang)}</Text></Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>{trimQty(l.quantity)} {l.unit}</Table.Td>
              <Table.Td ta="right">{money(l.unitPrice, l.currency, lang)}</Table.Td>
              <Table.Td ta="right">{money(l.lineTotal, l.currency, lang)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {!q.isLoading && !rows.length && <Text size="sm" c="dimmed" px="sm" pb="sm">{t('orderLines.empty')}</Text>}
    </Card>
  );
}
