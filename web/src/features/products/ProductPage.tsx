/** One product: its facts, which accounts buy it, the open deals that carry it, its orders over time. */
import { Alert, Anchor, Badge, Button, Card, Grid, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../app/api.ts';
import { useCanWrite } from '../../app/auth.tsx';
import { customLabel, useCustomFields, useVocabLabel } from '../../app/data.ts';
import { productName } from '../../../../src/features/products/rules.ts';
import { Chart } from '../funnel/Chart.tsx';
import { PageSkeleton } from '../../ui/PageSkeleton.tsx';
import { useProduct, useUsage } from './data.ts';
import { NS } from './i18n.ts';
import { LifecycleBadge, money, trimQty } from './parts.tsx';
import { ProductForm } from './ProductForm.tsx';
import { ProductVoice } from '../feedback/ProductVoice.tsx';

export default function ProductPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation(NS);
  const lang = i18n.language;
  const canWrite = useCanWrite();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const label = useVocabLabel();
  const product = useProduct(id);
  const usage = useUsage(id);
  const specs = useCustomFields('product');
  const [editing, setEditing] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const p = product.data;
  if (!p) return <PageSkeleton />;
  const remove = async () => {
    setDeleteError(null);
    try {
      await api(`/products/${p.id}`, { method: 'DELETE', ifMatch: p.version });
      await qc.invalidateQueries({ queryKey: ['products'] });
      navigate('/products');
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setDeleteError(t('inUse'));
      else throw e;
    }
  };
  const months = usage.data?.ordersByMonth ?? [];
  const currencies = [...new Set(months.map((m) => m.currency))];
  const monthKeys = [...new Set(months.map((m) => m.month))];
  return (
    <Stack p="md" gap="md" data-testid="product-page">
      <Group justify="space-between" align="flex-start">
        <div>
          <Anchor component={Link} to="/products" size="sm">{t('title')}</Anchor>
          <Title order={2}>{productName(p, lang)}</Title>
          <Group gap="xs" mt={4}>
            <Text ff="monospace" c="dimmed">{p.code}</Text>
            <LifecycleBadge lifecycle={p.lifecycle} />
            {p.productLine && <Badge variant="outline">{label('product_line', p.productLine)}</Badge>}
            {!p.active && <Badge color="gray">{t('inactive')}</Badge>}
            {p.firstOfKind && <Badge color="grape" variant="light">{t('field.firstOfKind')}</Badge>}
          </Group>
        </div>
        {canWrite && (
          <Group>
            <Button variant="default" onClick={() => setEditing(true)} data-testid="product-edit">{t('edit')}</Button>
            <Button color="red" variant="light" onClick={() => void remove()} data-testid="product-delete">{t('delete')}</Button>
          </Group>
        )}
      </Group>
      {deleteError && <Alert color="orange" title={t('cannotDelete')} withCloseButton onClose={() => setDeleteError(null)} data-testid="product-delete-error">{deleteError}</Alert>}
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder padding="md">
            <Text fw={600} mb="sm">{t('details')}</Text>
            <Stack gap={6}>
              <Fact label={t('field.name')} value={p.name} />
              <Fact label={t('field.nameZhCN')} value={p.nameI18n['zh-CN']} />
              <Fact label={t('field.nameZhTW')} value={p.nameI18n['zh-TW']} />
              <Fact label={t('field.unit')} value={p.unit} />
              <Fact label={t('field.description')} value={p.description} />
              {/* Specifications: the product's custom fields, in their defined order and labels. */}
              {Object.entries(p.custom ?? {})
                .map(([k, v]) => ({ k, v, at: specs.data?.findIndex((d) => d.key === k) ?? -1 }))
                .sort((a, b) => (a.at < 0 ? 99 : a.at) - (b.at < 0 ? 99 : b.at))
                .map(({ k, v, at }) => ({ k, v, def: at >= 0 ? specs.data![at] : undefined }))
                .map(({ k, v, def }) => <Fact key={k} label={customLabel(def?.label, lang, k)} value={Array.isArray(v) ? v.join(', ') : String(v)} />)}
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Card withBorder padding="md">
            <Text fw={600} mb="sm">{t('ordersOverTime')}</Text>
            {monthKeys.length ? (
              <Chart testId="product-orders-chart" height={220} option={{
                tooltip: { trigger: 'axis' }, legend: { data: currencies, top: 0 }, grid: { left: 60, right: 16, top: 36, bottom: 30 },
                xAxis: { type: 'category', data: monthKeys }, yAxis: { type: 'value' },
                series: currencies.map((c) => ({ name: c, type: 'bar', data: monthKeys.map((m) => Number(months.find((x) => x.month === m && x.currency === c)?.amount ?? 0)) })),
              }} />
            ) : <Text size="sm" c="dimmed">{t('noOrders')}</Text>}
          </Card>
        </Grid.Col>
      </Grid>
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder padding={0}>
            <Text fw={600} p="sm">{t('buyers')}</Text>
            <Table data-testid="product-buyers">
              <Table.Thead><Table.Tr><Table.Th>{t('account')}</Table.Th><Table.Th ta="right">{t('orders')}</Table.Th><Table.Th ta="right">{t('quantity')}</Table.Th><Table.Th ta="right">{t('amount')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {(usage.data?.accounts ?? []).map((a) => (
                  <Table.Tr key={`${a.accountId}-${a.currency}`}>
                    <Table.Td><Anchor component={Link} to={`/accounts/${a.accountId}`} size="sm">{a.accountName}</Anchor></Table.Td>
                    <Table.Td ta="right">{a.orders}</Table.Td><Table.Td ta="right">{trimQty(a.quantity)}</Table.Td><Table.Td ta="right">{money(a.amount, a.currency, lang)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {!usage.data?.accounts.length && <Text size="sm" c="dimmed" p="sm">{t('noBuyers')}</Text>}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder padding={0}>
            <Text fw={600} p="sm">{t('openDeals')}</Text>
            <Table data-testid="product-deals">
              <Table.Thead><Table.Tr><Table.Th>{t('deal')}</Table.Th><Table.Th>{t('account')}</Table.Th><Table.Th ta="right">{t('quantity')}</Table.Th><Table.Th ta="right">{t('amount')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {(usage.data?.openDeals ?? []).map((d) => (
                  <Table.Tr key={d.opportunityId}>
                    <Table.Td><Anchor component={Link} to={`/opportunities/${d.opportunityId}`} size="sm">{d.name}</Anchor></Table.Td>
                    <Table.Td>{d.accountName}</Table.Td><Table.Td ta="right">{trimQty(d.quantity)}</Table.Td><Table.Td ta="right">{money(d.lineTotal, d.currency, lang)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {!usage.data?.openDeals.length && <Text size="sm" c="dimmed" p="sm">{t('noDeals')}</Text>}
          </Card>
        </Grid.Col>
      </Grid>
      <ProductVoice productId={p.id} />
      {editing && <ProductForm product={p} opened onClose={() => setEditing(false)} onSaved={() => void qc.invalidateQueries({ queryKey: ['products', p.id] })} />}
    </Stack>
  );
}

function Fact({ label, value }: { label: string; value: string | null | undefined }) {
  if (!value) return null;
  return (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="sm">{value}</Text>
    </div>
  );
}
