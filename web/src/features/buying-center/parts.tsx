/** Building blocks of the buying-center screens: gaps, members table with inline edit, matrix, score. */
import { useMemo, useState } from 'react';
import {
  ActionIcon, Anchor, Badge, Box, Button, Card, Group, MultiSelect, Rating, RingProgress, Select, Stack, Table, Text, Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Page } from '../../app/api.ts';
import { useUsers, useVocabLabel, useVocabOptions } from '../../app/data.ts';
import { formatRelative } from '../../app/format.ts';
import { useSession } from '../../app/auth.tsx';
import { useBuyingCenterMutations, type BuyingCenter, type Member } from './data.ts';
import { ATTITUDE_COLORS } from './BuyingCenterMap.tsx';
import { NS } from './i18n.ts';

type Gap = BuyingCenter['coverage']['gaps'][number];
const SEVERITY_COLOR = { high: 'red', medium: 'orange', low: 'gray' } as const;
const ATTITUDES = ['champion', 'supporter', 'neutral', 'skeptic', 'blocker'];

export function ScoreRing({ score, size = 84 }: { score: number | null; size?: number }) {
  const { t } = useTranslation(NS);
  const color = score === null ? 'gray' : score >= 75 ? 'teal' : score >= 50 ? 'yellow' : 'red';
  return (
    <Tooltip label={t('scoreHint')} multiline w={260}>
      <RingProgress size={size} thickness={8} roundCaps sections={[{ value: score ?? 0, color }]}
        label={<Stack gap={0} align="center"><Text fw={700} size="lg" lh={1}>{score ?? '—'}</Text><Text size="10px" c="dimmed">{t('score')}</Text></Stack>} />
    </Tooltip>
  );
}

export function ModelBadge({ model }: { model: string }) {
  const { t } = useTranslation(NS);
  const color = model === 'diamond' ? 'teal' : model === 'bow_tie' ? 'orange' : 'gray';
  return (
    <Tooltip label={t(`model.hint.${model}`)} multiline w={280}>
      <Badge size="lg" variant="light" color={color} data-testid="communication-model">{t('model.label')}: {t(`model.${model}`)}</Badge>
    </Tooltip>
  );
}

/** A gap in the reader's language: the rule's kind and facts, not the server's English sentence. */
export function useGapText(members: { id: string; contactName: string; influence: number }[]) {
  const { t } = useTranslation(NS);
  const vocab = useVocabLabel();
  const byId = useMemo(() => new Map(members.map((m) => [m.id, m])), [members]);
  return (g: Gap) => {
    const m = g.memberId ? byId.get(g.memberId) : undefined;
    const p = { name: m?.contactName ?? '', influence: m?.influence ?? '', days: g.days ?? '', role: g.role ? vocab('buying_role', g.role) : '' };
    if (g.kind === 'missing_role') {
      return { reason: t('gap.missing_role.reason', p), action: t(`gap.missing_${g.role}.action`, { ...p, defaultValue: t('gap.missing_role.action', p) }) };
    }
    if (g.kind === 'not_reached' && g.days == null) return { reason: t('gap.never_reached.reason', p), action: t('gap.not_reached.action', p) };
    return { reason: t(`gap.${g.kind}.reason`, p), action: t(`gap.${g.kind}.action`, p) };
  };
}

export function GapsList({ gaps, members, onSelect }: { gaps: Gap[]; members: Member[]; onSelect?: (memberId: string) => void }) {
  const { t } = useTranslation(NS);
  const text = useGapText(members);
  return (
    <Card withBorder padding="md" h="100%">
      <Group gap="xs" mb="sm"><IconAlertTriangle size={18} /><Text fw={600}>{t('gaps.title')}</Text><Badge variant="light" color={gaps.length ? 'red' : 'teal'}>{gaps.length}</Badge></Group>
      {gaps.length === 0 ? <Text size="sm" c="dimmed">{t('gaps.none')}</Text> : (
        <Stack gap="xs" data-testid="gaps-list">
          {gaps.map((g, i) => {
            const x = text(g);
            return (
              <Box key={i} p="xs" style={{ borderLeft: `3px solid var(--mantine-color-${SEVERITY_COLOR[g.severity]}-6)`, background: 'var(--mantine-color-gray-0)', borderRadius: 4, cursor: g.memberId && onSelect ? 'pointer' : undefined }}
                onClick={() => g.memberId && onSelect?.(g.memberId)}>
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text size="sm" fw={600}>{x.reason}</Text>
                  <Badge size="xs" color={SEVERITY_COLOR[g.severity]} variant="light" style={{ flexShrink: 0 }}>{t(`severity.${g.severity}`)}</Badge>
                </Group>
                <Text size="xs" c="dimmed">→ {x.action}</Text>
              </Box>
            );
          })}
        </Stack>
      )}
    </Card>
  );
}

function errorText(e: unknown) {
  if (e instanceof ApiError) return [e.message, ...e.fields.map((f) => `${f.path}: ${f.message}`)].join('\n');
  return String(e);
}

/** Members with inline edit: every change is saved at once with the version it was made on. */
export function MembersTable({ opportunityId, accountId, members, selected, onSelect }: {
  opportunityId: string; accountId: string; members: Member[]; selected?: string | null; onSelect?: (id: string | null) => void;
}) {
  const { t, i18n } = useTranslation(NS);
  const { user } = useSession();
  const readOnly = user.role === 'viewer';
  const roles = useVocabOptions('buying_role');
  const users = useUsers();
  const userOptions = (users.data ?? []).filter((u) => u.active !== false).map((u) => ({ value: u.id, label: u.department ? `${u.name} · ${u.department}` : u.name }));
  const { add, update, remove } = useBuyingCenterMutations();
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const own = useQuery({
    queryKey: ['contacts', 'list', 'bc-pick', accountId],
    queryFn: ({ signal }) => api<Page<{ id: string; fullName: string; title?: string | null }>>('/contacts', { query: { 'accountId[eq]': accountId, limit: 200, sort: 'fullName' }, signal }),
    enabled: !readOnly,
  });
  const found = useQuery({
    queryKey: ['contacts', 'list', 'bc-search', search],
    queryFn: ({ signal }) => api<Page<{ id: string; fullName: string; title?: string | null }>>('/contacts', { query: { q: search, limit: 20 }, signal }),
    enabled: !readOnly && search.trim().length >= 2,
  });
  const memberContacts = new Set(members.map((m) => m.contactId));
  const contactOptions = [...new Map([...(own.data?.data ?? []), ...(found.data?.data ?? [])].map((c) => [c.id, c])).values()]
    .filter((c) => !memberContacts.has(c.id))
    .map((c) => ({ value: c.id, label: c.title ? `${c.fullName} · ${c.title}` : c.fullName }));

  const save = (m: Member, body: Record<string, unknown>) =>
    update.mutate({ id: m.id, version: m.version, body }, { onError: (e) => notifications.show({ color: 'red', title: m.contactName, message: errorText(e) }) });

  return (
    <Card withBorder padding={0}>
      <Group justify="space-between" p="sm">
        <Group gap="xs"><Text fw={600}>{t('members.title')}</Text><Badge variant="light" color="gray">{members.length}</Badge></Group>
        {!readOnly && (
          <Group gap="xs">
            <Select w={340} size="xs" searchable clearable data={contactOptions} value={picked} onChange={setPicked} searchValue={search} onSearchChange={setSearch}
              placeholder={t('members.pickContact')} nothingFoundMessage="—" aria-label={t('members.pickContact')} data-testid="add-member-contact" />
            <Button size="xs" leftSection={<IconUserPlus size={14} />} disabled={!picked} loading={add.isPending} data-testid="add-member"
              onClick={() => picked && add.mutate({ opportunityId, body: { contactId: picked, roles: [], coverers: [user.id] } }, {
                onSuccess: () => { setPicked(null); setSearch(''); },
                onError: (e) => notifications.show({ color: 'red', message: errorText(e) }),
              })}>
              {t('members.add')}
            </Button>
          </Group>
        )}
      </Group>
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing={6} highlightOnHover data-testid="members-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('members.contact')}</Table.Th>
              <Table.Th>{t('members.roles')}</Table.Th>
              <Table.Th>{t('members.influence')}</Table.Th>
              <Table.Th>{t('members.attitude')}</Table.Th>
              <Table.Th>{t('members.coverers')}</Table.Th>
              <Table.Th>{t('members.lastReached')}</Table.Th>
              <Table.Th w={40} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.map((m) => (
              <Table.Tr key={m.id} bg={selected === m.id ? 'var(--mantine-color-blue-0)' : undefined} onClick={() => onSelect?.(m.id)}>
                <Table.Td>
                  <Anchor component={Link} to={`/contacts/${m.contactId}`} size="sm" fw={600}>{m.contactName}</Anchor>
                  <Text size="xs" c="dimmed">{[m.title, m.accountId !== accountId ? m.accountName : null].filter(Boolean).join(' · ')}</Text>
                </Table.Td>
                <Table.Td miw={200}>
                  <MultiSelect size="xs" data={roles} value={m.roles} readOnly={readOnly} aria-label={t('members.roles')}
                    onChange={(v) => save(m, { roles: v })} comboboxProps={{ withinPortal: true }} />
                </Table.Td>
                <Table.Td>
                  <Rating value={m.influence} count={5} readOnly={readOnly} onChange={(v) => save(m, { influence: v })} aria-label={t('members.influence')} />
                </Table.Td>
                <Table.Td miw={140}>
                  <Select size="xs" data={ATTITUDES.map((a) => ({ value: a, label: t(`attitude.${a}`) }))} value={m.attitude} readOnly={readOnly} allowDeselect={false}
                    leftSection={<Box w={10} h={10} style={{ borderRadius: 5, background: ATTITUDE_COLORS[m.attitude] }} />}
                    onChange={(v) => v && save(m, { attitude: v })} aria-label={t('members.attitude')} comboboxProps={{ withinPortal: true }} />
                </Table.Td>
                <Table.Td miw={220}>
                  <MultiSelect size="xs" readOnly={readOnly} aria-label={t('members.coverers')} comboboxProps={{ withinPortal: true }}
                    data={[...userOptions, ...m.coverers.filter((c) => !c.active).map((c) => ({ value: c.userId, label: `${c.name} (${t('members.inactive')})` }))]}
                    value={m.coverers.map((c) => c.userId)} onChange={(v) => save(m, { coverers: v })} />
                </Table.Td>
                <Table.Td><Text size="sm" c={m.lastReachedAt ? undefined : 'red'}>{m.lastReachedAt ? formatRelative(m.lastReachedAt, i18n.language) : t('members.never')}</Text></Table.Td>
                <Table.Td>
                  {!readOnly && (
                    <ActionIcon variant="subtle" color="red" aria-label={t('members.remove')}
                      onClick={(e) => { e.stopPropagation(); if (window.confirm(t('members.confirmRemove', { name: m.contactName }))) remove.mutate(m.id); }}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

/** Our departments × their roles: how many members each pair faces; empty rows show where nobody talks. */
export function MatrixCard({ matrix, roleOrder }: { matrix: BuyingCenter['matrix']; roleOrder: string[] }) {
  const { t } = useTranslation(NS);
  const vocab = useVocabLabel();
  const roles = [...roleOrder.filter((r) => matrix.roles.includes(r)), ...matrix.roles.filter((r) => !roleOrder.includes(r))];
  const max = Math.max(1, ...matrix.cells.map((c) => c.members));
  const cell = (d: string, r: string) => matrix.cells.find((c) => c.department === d && c.role === r)?.members ?? 0;
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Text fw={600}>{t('matrix.title')}</Text>
        <ModelBadge model={matrix.model} />
      </Group>
      {matrix.departments.length === 0 ? <Text size="sm" c="dimmed">{t('matrix.empty')}</Text> : (
        <Table.ScrollContainer minWidth={400}>
          <Table withTableBorder withColumnBorders data-testid="matrix">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('matrix.department')}</Table.Th>
                {roles.map((r) => <Table.Th key={r} ta="center">{vocab('buying_role', r)}</Table.Th>)}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {matrix.departments.map((d) => (
                <Table.Tr key={d}>
                  <Table.Td fw={600}>{d || t('matrix.unassigned')}</Table.Td>
                  {roles.map((r) => {
                    const n = cell(d, r);
                    return <Table.Td key={r} ta="center" style={{ background: n ? `rgba(76, 110, 245, ${0.12 + 0.5 * (n / max)})` : undefined }}>{n || ''}</Table.Td>;
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

export function LinksCard({ links }: { links: BuyingCenter['links'] }) {
  const { t } = useTranslation(NS);
  const vocab = useVocabLabel();
  if (!links.length) return null;
  return (
    <Card withBorder padding="md">
      <Text fw={600} mb="xs">{t('links.title')}</Text>
      <Stack gap={4}>
        {links.map((l) => (
          <Text key={l.id} size="sm" component="div">
            <Anchor component={Link} to={`/contacts/${l.fromContactId}`}>{l.fromName}</Anchor>
            {' — '}<Badge size="xs" variant="outline" color="gray" tt="none">{vocab('contact_link_type', l.linkType)}</Badge>{' → '}
            <Anchor component={Link} to={`/contacts/${l.toContactId}`}>{l.toName}</Anchor>
            <Text span size="xs" c="dimmed">{l.toAccountName && l.toAccountId !== l.fromAccountId ? ` (${l.toAccountName})` : ''} · {t('links.strength', { n: l.strength })}</Text>
          </Text>
        ))}
      </Stack>
    </Card>
  );
}
