/** The catalogue: every product with its line, unit, lifecycle; search, filters, a new product. */
import { Badge, Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useCanWrite } from '../../app/auth.tsx';
import { useVocabLabel, useVocabOptions } from '../../app/data.ts';
import { productName } from '../../../../src/features/products/rules.ts';
import { useProducts } from './data.ts';
import { NS } from './i18n.ts';
import { ProductForm } from './ProductForm.tsx';
import { LifecycleBadge } from './parts.tsx';

export default function ProductsPage() {
  const { t, i18n } = useTranslation(NS);
  const navigate = useNavigate();
  const canWrite = useCanWrite();
  const label = useVocabLabel();
  const lines = useVocabOptions('product_line');
  const [q, setQ] = useState('');
  const [line, setLine] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const list = useProducts({ ...(q ? { q } : {}), ...(line ? { productLine: line } : {}) });
  const rows = list.data?.data ?? [];
  return (
    <Stack p="md" gap="md" data-testid="products-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('title')}</Title>
          <Text c="dimmed" size="sm">{t('subtitle')}</Text>
        </div>
        <Group>
          <TextInput leftSection={<IconSearch size={16} />} placeholder={t('search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={240} aria-label={t('search')} />
          <Select placeholder={t('anyLine')} data={lines} value={line} onChange={setLine} clearable w={200} aria-label={t('field.productLine')} />
          {canWrite && <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="product-new">{t('new')}</Button>}
        </Group>
      </Group>
      <Card withBorder padding={0}>
        <Table highlightOnHover striped data-testid="products-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('field.code')}</Table.Th><Table.Th>{t('field.name')}</Table.Th><Table.Th>{t('field.productLine')}</Table.Th>
              <Table.Th>{t('field.unit')}</Table.Th><Table.Th>{t('field.lifecycle')}</Table.Th><Table.Th>{t('field.active')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((p) => (
              <Table.Tr key={p.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/products/${p.id}`)}>
                <Table.Td><Text ff="monospace" size="sm">{p.code}</Text></Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    <Text size="sm" fw={500}>{productName(p, i18n.language)}</Text>
                    {p.firstOfKind && <Badge size="xs" color="grape" variant="light">{t('firstOfKindShort')}</Badge>}
                  </Group>
                </Table.Td>
                <Table.Td>{label('product_line', p.productLine)}</Table.Td>
                <Table.Td>{p.unit}</Table.Td>
                <Table.Td><LifecycleBadge lifecycle={p.lifecycle} /></Table.Td>
                <Table.Td>{p.active ? t('yes') : <Badge color="gray" variant="light">{t('inactive')}</Badge>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {!list.isLoading && rows.length === 0 && <Text c="dimmed" size="sm" p="md">{t('empty')}</Text>}
      </Card>
      <Text size="xs" c="dimmed">{t('count', { count: list.data?.total ?? rows.length })}</Text>
      {creating && <ProductForm opened onClose={() => setCreating(false)} onSaved={(p) => navigate(`/products/${p.id}`)} />}
    </Stack>
  );
}
