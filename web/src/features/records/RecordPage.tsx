import { useMemo, type ReactNode } from 'react';
import { ActionIcon, Anchor, Badge, Breadcrumbs, Button, Card, Grid, Group, Menu, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDots, IconRestore, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useMediaQuery } from '@mantine/hooks';
import { api, ApiError, type Page } from '../../app/api.ts';
import { useCustomFields } from '../../app/data.ts';
import { formatDateTime } from '../../app/format.ts';
import { customToField, ENTITIES, readField, type EntityDef, type EntityName, type FieldDef } from '../entities.ts';
import { InlineEditField } from '../../ui/InlineEditField.tsx';
import { useRecordEditor } from '../../ui/useRecordEditor.tsx';
import { QueryError } from '../../ui/ErrorBoundary.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { FieldValue, useFieldLabel } from '../../ui/fields.tsx';
import { useSession } from '../../app/auth.tsx';
import { CARD_FIELDS } from '../../ui/DataCards.tsx';
import { PHONE_QUERY } from '../../ui/DataTable.tsx';

export type Rec = Record<string, unknown> & { id: string; version: number };

export function useRecord(entity: EntityDef, id: string | undefined) {
  return useQuery({
    queryKey: [entity.name, id],
    queryFn: ({ signal }) => api<Rec>(`/${entity.name}/${id}`, { signal }),
    enabled: !!id,
  });
}

/** A card of inline-editable fields. */
export function FieldsCard({ title, entity, record, keys, save, cols = 2 }: {
  title: string; entity: EntityDef; record: Rec; keys: string[]; save: (p: Record<string, unknown>) => Promise<boolean>; cols?: number;
}) {
  const { user } = useSession();
  const fields = keys.map((k) => entity.fields.find((f) => f.key === k)).filter((f): f is FieldDef => !!f);
  return (
    <Card withBorder padding="md">
      <Text fw={600} mb="sm">{title}</Text>
      <SimpleGrid cols={{ base: Math.min(cols, 2), md: cols }} spacing="md" verticalSpacing="sm">
        {fields.map((f) => <InlineEditField key={f.key} field={f} record={record} onSave={save} readOnly={user.role === 'viewer'} entity={entity.name} />)}
      </SimpleGrid>
    </Card>
  );
}

export function CustomFieldsCard({ entity, record, save }: { entity: EntityDef; record: Rec; save: (p: Record<string, unknown>) => Promise<boolean> }) {
  const { t } = useTranslation();
  const custom = useCustomFields(entity.single);
  const fields = (custom.data ?? []).map(customToField);
  if (!fields.length) return null;
  return (
    <Card withBorder padding="md">
      <Text fw={600} mb="sm">{t('record.customFields')}</Text>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md" verticalSpacing="sm">
        {fields.map((f) => <InlineEditField key={f.key} field={f} record={record} onSave={save} />)}
      </SimpleGrid>
    </Card>
  );
}

/** A compact related-records table (contacts of an account, orders, …); cards on a phone, as the lists. */
export function RelatedList({ entity, filter, keys, title, action, path }: {
  entity: EntityName | 'orders'; filter: Record<string, string>; keys: FieldDef[]; title: string; action?: ReactNode; path?: string;
}) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const navigate = useNavigate();
  const q = useQuery({
    queryKey: [entity, 'list', 'related', filter],
    queryFn: ({ signal }) => api<Page<Rec>>(`/${entity}`, { query: { limit: 50, count: true, ...Object.fromEntries(Object.entries(filter).map(([k, v]) => [`${k}[eq]`, v])) }, signal }),
  });
  const rows = q.data?.data ?? [];
  const phone = useMediaQuery(PHONE_QUERY, undefined, { getInitialValueInEffect: false });
  const [head, ...rest] = keys;
  const titleOf = (r: Rec) => (head ? (path ? <Anchor component={Link} to={`/${path}/${r.id}`} fw={600} onClick={(e) => e.stopPropagation()}>{String(r[head.key] ?? '—')}</Anchor> : <Text fw={600} size="sm"><FieldValue field={head} value={readField(r, head)} record={r} /></Text>) : null);
  return (
    <Card withBorder padding={0}>
      <Group justify="space-between" p="sm">
        <Group gap="xs"><Text fw={600}>{title}</Text><Badge variant="light" color="gray">{q.data?.total ?? rows.length}</Badge></Group>
        {action}
      </Group>
      {q.isLoading ? <Skeleton h={80} m="sm" /> : q.isError ? <QueryError error={q.error} onRetry={() => void q.refetch()} /> : rows.length === 0 ? (
        <Text size="sm" c="dimmed" px="sm" pb="sm">{t('record.noRelated')}</Text>
      ) : phone ? (
        <Stack gap={6} px="sm" pb="sm" data-testid="related-cards">
          {rows.map((r) => (
            <div key={r.id} className="accord-data-card" data-testid="related-card" style={{ cursor: path ? 'pointer' : undefined }} onClick={() => path && navigate(`/${path}/${r.id}`)}>
              <div className="accord-data-card-title">{titleOf(r)}</div>
              <dl className="accord-data-card-fields">
                {rest.slice(0, CARD_FIELDS).map((f) => (
                  <div key={f.key}><dt>{label(f)}</dt><dd><FieldValue field={f} value={readField(r, f)} record={r} /></dd></div>
                ))}
              </dl>
            </div>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table highlightOnHover verticalSpacing={6} fz="sm">
            <Table.Thead><Table.Tr>{keys.map((f) => <Table.Th key={f.key}>{label(f)}</Table.Th>)}</Table.Tr></Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id} style={{ cursor: path ? 'pointer' : undefined }} onClick={() => path && navigate(`/${path}/${r.id}`)}>
                  {keys.map((f, i) => (
                    <Table.Td key={f.key}>
                      {i === 0 && path ? <Anchor component={Link} to={`/${path}/${r.id}`} size="sm" fw={500}>{String(r[f.key] ?? '—')}</Anchor> : <FieldValue field={f} value={readField(r, f)} record={r} />}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

/**
 * The frame of every record page: breadcrumb, title, badges, delete/restore, a main column and a
 * side column that stack on a phone.
 */
export function RecordFrame({ entity, render, badges, subtitle }: {
  entity: EntityDef;
  badges?: (r: Rec) => ReactNode;
  subtitle?: (r: Rec) => ReactNode;
  render: (r: Rec, save: (p: Record<string, unknown>) => Promise<boolean>) => { main: ReactNode; side: ReactNode };
}) {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const q = useRecord(entity, id);
  const { save, dialog } = useRecordEditor(entity, q.data);
  const del = useMutation({
    mutationFn: (r: Rec) => api(`/${entity.name}/${r.id}`, { method: 'DELETE', ifMatch: r.version }),
    onSuccess: () => {
      notifications.show({ color: 'gray', message: t('record.deleted') });
      void qc.invalidateQueries({ queryKey: [entity.name] });
    },
    onError: (e) => notifications.show({ color: 'red', message: (e as Error).message }),
  });
  const restore = useMutation({
    mutationFn: (r: Rec) => api(`/${entity.name}/${r.id}/restore`, { method: 'POST' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: [entity.name] }),
  });
  const parts = useMemo(() => (q.data ? render(q.data, save) : null), [q.data, render, save]);

  if (q.isLoading) {
    return (
      <Stack p="md"><Skeleton h={32} w={300} /><Grid><Grid.Col span={{ base: 12, md: 7 }}><Skeleton h={300} /></Grid.Col><Grid.Col span={{ base: 12, md: 5 }}><Skeleton h={300} /></Grid.Col></Grid></Stack>
    );
  }
  if (q.isError) {
    if (q.error instanceof ApiError && q.error.status === 404) {
      return <EmptyState title={t('record.notFound')} action={<Button component={Link} to={`/${entity.name}`} variant="light">{t(`nav.${entity.name}`)}</Button>} />;
    }
    return <Stack p="md"><QueryError error={q.error} onRetry={() => void q.refetch()} /></Stack>;
  }
  const r = q.data!;
  const title = String(r[entity.titleField] ?? '') || t('record.untitled');
  return (
    <Stack p={{ base: 'xs', sm: 'md' }} gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to={`/${entity.name}`} size="sm">{t(`nav.${entity.name}`)}</Anchor>
        <Text size="sm" truncate maw={260}>{title}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Title order={1} size="h2" style={{ wordBreak: 'break-word' }} data-testid="record-title">{title}</Title>
          <Group gap={6} mt={4}>
            {r.deletedAt ? <Badge color="red">{t('record.deletedBadge')}</Badge> : null}
            {badges?.(r)}
            {subtitle?.(r)}
          </Group>
          <Text size="xs" c="dimmed" mt={4}>{t('record.updated', { when: formatDateTime(r.updatedAt, i18n.language) })}</Text>
        </div>
        <Menu position="bottom-end">
          <Menu.Target><ActionIcon variant="default" size="lg" aria-label={t('record.actions')}><IconDots size={18} /></ActionIcon></Menu.Target>
          <Menu.Dropdown>
            {r.deletedAt ? (
              <Menu.Item leftSection={<IconRestore size={16} />} onClick={() => restore.mutate(r)}>{t('record.restore')}</Menu.Item>
            ) : (
              <Menu.Item leftSection={<IconTrash size={16} />} color="red" onClick={() => { del.mutate(r); navigate(`/${entity.name}`); }}>{t('record.delete')}</Menu.Item>
            )}
          </Menu.Dropdown>
        </Menu>
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7, lg: 8 }}><Stack gap="md">{parts?.main}</Stack></Grid.Col>
        <Grid.Col span={{ base: 12, md: 5, lg: 4 }}><Stack gap="md">{parts?.side}</Stack></Grid.Col>
      </Grid>
      {dialog}
    </Stack>
  );
}

export { ENTITIES };
