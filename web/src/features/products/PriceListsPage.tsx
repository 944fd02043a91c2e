/** Price lists per currency and validity, and the selected list's prices with volume tiers. */
import { ActionIcon, Alert, Badge, Button, Card, Checkbox, Grid, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api.ts';
import { useCanWrite } from '../../app/auth.tsx';
import { productName } from '../../../../src/features/products/rules.ts';
import { useProducts, usePriceItems, usePriceLists, type PriceList } from './data.ts';
import { NS } from './i18n.ts';

type ItemRow = { key: number; productId: string | null; minQuantity: string; unitPrice: string };
let nextKey = 1;

function NewList({ onMade }: { onMade: (l: PriceList) => void }) {
  const { t } = useTranslation(NS);
  const [v, setV] = useState({ name: '', currency: 'USD', validFrom: new Date().toISOString().slice(0, 10), validTo: '', isDefault: false });
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    try {
      onMade(await api<PriceList>('/price-lists', { method: 'POST', body: { ...v, validTo: v.validTo || null } }));
      setV((o) => ({ ...o, name: '' }));
    } catch (e) {
      if (e instanceof ApiError) setError(e.fields.map((f) => f.message).join('; ') || e.message);
      else throw e;
    }
  };
  return (
    <Card withBorder padding="md">
      <Text fw={600} mb="xs">{t('prices.newList')}</Text>
      <Stack gap="xs">
        <TextInput label={t('prices.name')} value={v.name} onChange={(e) => { const x = e.currentTarget.value; setV((o) => ({ ...o, name: x })); }} />
        <Group grow>
          <Select label={t('prices.currency')} data={['USD', 'EUR', 'CNY', 'GBP', 'JPY']} value={v.currency} onChange={(x) => x && setV((o) => ({ ...o, currency: x }))} searchable comboboxProps={{ withinPortal: true }} />
          <TextInput type="date" label={t('prices.validFrom')} value={v.validFrom} onChange={(e) => { const x = e.currentTarget.value; setV((o) => ({ ...o, validFrom: x })); }} />
          <TextInput type="date" label={t('prices.validTo')} value={v.validTo} onChange={(e) => { const x = e.currentTarget.value; setV((o) => ({ ...o, validTo: x })); }} />
        </Group>
        <Checkbox label={t('prices.default')} checked={v.isDefault} onChange={(e) => { const x = e.currentTarget.checked; setV((o) => ({ ...o, isDefault: x })); }} />
        {error && <Text c="red" size="sm">{error}</Text>}
        <Group justify="flex-end"><Button onClick={() => void submit()} disabled={!v.name.trim()}>{t('prices.create')}</Button></Group>
      </Stack>
    </Card>
  );
}

function Items({ list }: { list: PriceList }) {
  const { t, i18n } = useTranslation(NS);
  const canWrite = useCanWrite();
  const qc = useQueryClient();
  const items = usePriceItems(list.id);
  // Every product, inactive ones too: an old price of a phased-out model still shows whose it is.
  const products = useProducts();
  const [rows, setRows] = useState<ItemRow[]>([]);
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);
  useEffect(() => {
    if (items.data) setRows(items.data.items.map((i) => ({ key: nextKey++, productId: i.productId, minQuantity: i.minQuantity.replace(/\.?0+$/, ''), unitPrice: i.unitPrice.replace(/(\.\d\d\d*?)0+$/, '$1') })));
  }, [items.data]);
  const options = (products.data?.data ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${productName(p, i18n.language)}` }));
  const set = (key: number, patch: Partial<ItemRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const save = async () => {
    setMessage(null);
    try {
      await api(`/price-lists/${list.id}/items`, { method: 'PUT', ifMatch: items.data!.version, body: { items: rows.filter((r) => r.productId).map((r) => ({ productId: r.productId, minQuantity: r.minQuantity || '1', unitPrice: r.unitPrice })) } });
      await qc.invalidateQueries({ queryKey: ['price-lists'] });
      setMessage({ color: 'green', text: t('prices.saved') });
    } catch (e) {
      if (e instanceof ApiError) setMessage({ color: 'red', text: e.isConflict ? t('conflict') : e.fields.map((f) => `${f.path}: ${f.message}`).join('; ') || e.message });
      else throw e;
    }
  };
  return (
    <Card withBorder padding={0}>
      <Group justify="space-between" p="sm">
        <Group gap="xs"><Text fw={600}>{list.name}</Text><Badge variant="light">{list.currency}</Badge>{list.isDefault && <Badge color="green" variant="light">{t('prices.default')}</Badge>}</Group>
        <Text size="sm" c="dimmed">{list.validFrom} – {list.validTo ?? t('prices.open')}</Text>
      </Group>
      <Table data-testid="price-items">
        <Table.Thead><Table.Tr><Table.Th>{t('prices.product')}</Table.Th><Table.Th w={140}>{t('prices.fromQty')}</Table.Th><Table.Th w={160}>{t('prices.unitPrice')}</Table.Th><Table.Th w={40} /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td><Select data={options} value={r.productId} onChange={(x) => set(r.key, { productId: x })} searchable disabled={!canWrite} aria-label={t('prices.product')} comboboxProps={{ withinPortal: true }} /></Table.Td>
              <Table.Td><TextInput value={r.minQuantity} onChange={(e) => set(r.key, { minQuantity: e.currentTarget.value })} disabled={!canWrite} aria-label={t('prices.fromQty')} /></Table.Td>
              <Table.Td><TextInput value={r.unitPrice} onChange={(e) => set(r.key, { unitPrice: e.currentTarget.value })} disabled={!canWrite} aria-label={t('prices.unitPrice')} /></Table.Td>
              <Table.Td>{canWrite && <ActionIcon variant="subtle" color="red" onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))} aria-label={t('remove')}><IconTrash size={16} /></ActionIcon>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {canWrite && (
        <Group justify="space-between" p="sm">
          <Button variant="subtle" leftSection={<IconPlus size={16} />} onClick={() => setRows((rs) => [...rs, { key: nextKey++, productId: null, minQuantity: '1', unitPrice: '' }])}>{t('prices.addPrice')}</Button>
          <Button onClick={() => void save()} disabled={!items.data}>{t('save')}</Button>
        </Group>
      )}
      {message && <Alert color={message.color} m="sm">{message.text}</Alert>}
    </Card>
  );
}

export default function PriceListsPage() {
  const { t } = useTranslation(NS);
  const canWrite = useCanWrite();
  const qc = useQueryClient();
  const lists = usePriceLists();
  const [selected, setSelected] = useState<string | null>(null);
  const all = lists.data?.data ?? [];
  const current = all.find((l) => l.id === selected) ?? all[0];
  return (
    <Stack p="md" gap="md" data-testid="price-lists-page">
      <div>
        <Title order={2}>{t('prices.title')}</Title>
        <Text c="dimmed" size="sm">{t('prices.subtitle')}</Text>
      </div>
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack>
            <Card withBorder padding={0}>
              <Table highlightOnHover data-testid="price-lists">
                <Table.Tbody>
                  {all.map((l) => (
                    <Table.Tr key={l.id} onClick={() => setSelected(l.id)} style={{ cursor: 'pointer' }} bg={current?.id === l.id ? 'var(--mantine-color-blue-light)' : undefined}>
                      <Table.Td>
                        <Text size="sm" fw={500}>{l.name}</Text>
                        <Text size="xs" c="dimmed">{l.validFrom} – {l.validTo ?? t('prices.open')} · {t('prices.itemCount', { count: l.itemCount })}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap" justify="flex-end">
                          {/* Plain text, not badges: the narrow column cut badge labels to "DEFAU…". */}
                          <Text size="xs" fw={700} c="blue">{l.currency}</Text>
                          {l.isDefault && <Text size="xs" fw={600} c="green" style={{ whiteSpace: 'nowrap' }}>{t('prices.default')}</Text>}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {!all.length && <Text size="sm" c="dimmed" p="sm">{t('prices.none')}</Text>}
            </Card>
            {canWrite && <NewList onMade={(l) => { setSelected(l.id); void qc.invalidateQueries({ queryKey: ['price-lists'] }); }} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>{current && <Items key={current.id} list={current} />}</Grid.Col>
      </Grid>
    </Stack>
  );
}
