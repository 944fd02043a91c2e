/**
 * /buying-center — for managers: which accounts depend on one person of ours (key-person
 * dependence ranking), and the handover flow that moves a person's accounts to another in one step.
 */
import { useEffect, useRef, useState } from 'react';
import {
  Accordion, Anchor, Badge, Button, Card, Checkbox, Grid, Group, Modal, Progress, Select, Skeleton, Stack, Table, Text, TextInput, Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowRight, IconTransfer } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { useUsers, useVocabLabel } from '../../app/data.ts';
import { formatDate, formatNumber } from '../../app/format.ts';
import { QueryError } from '../../ui/ErrorBoundary.tsx';
import { useBuyingCenterMutations, useDependence, useHandoverPreview } from './data.ts';
import { NS } from './i18n.ts';

const LEVEL_COLOR = { high: 'red', medium: 'orange', low: 'gray' } as const;
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

function DependenceSection({ userFilter, setUserFilter, onHandover }: { userFilter: string | null; setUserFilter: (id: string | null) => void; onHandover: (userId: string) => void }) {
  const { t, i18n } = useTranslation(NS);
  const q = useDependence(userFilter);
  const all = useDependence(null);
  if (q.isLoading || all.isLoading) return <Skeleton h={400} />;
  if (q.isError || !q.data) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const lang = i18n.language;
  const users = all.data?.users ?? [];
  return (
    <Grid gap="md">
      <Grid.Col span={12} order={2}>
        <Card withBorder padding={0}>
          <Group p="sm" justify="space-between">
            <Text fw={600}>{t('risk.accounts')}</Text>
            {userFilter ? <Button size="compact-xs" variant="light" onClick={() => setUserFilter(null)}>× {users.find((u) => u.userId === userFilter)?.name}</Button> : null}
          </Group>
          {q.data.accounts.length === 0 ? <Text size="sm" c="dimmed" p="sm">{t('risk.empty')}</Text> : (
            <Table.ScrollContainer minWidth={760}>
              <Table verticalSpacing={6} highlightOnHover data-testid="dependence-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('risk.account')}</Table.Th>
                    <Table.Th>{t('risk.topUser')}</Table.Th>
                    <Table.Th w={170}>{t('risk.dependence')}</Table.Th>
                    <Table.Th ta="right">{t('risk.interactions')}</Table.Th>
                    <Table.Th ta="right">{t('risk.decisionMembers')}</Table.Th>
                    <Table.Th ta="right">{t('risk.pipeline')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {q.data.accounts.map((a) => (
                    <Table.Tr key={a.accountId}>
                      <Table.Td><Anchor component={Link} to={`/accounts/${a.accountId}/buying-center`} size="sm" fw={600}>{a.accountName}</Anchor></Table.Td>
                      <Table.Td>
                        <Anchor size="sm" onClick={() => a.topUserId && setUserFilter(a.topUserId)} c={a.topUserActive === false ? 'dimmed' : undefined}>{a.topUserName}</Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <Progress value={a.dependence * 100} color={LEVEL_COLOR[a.level]} w={80} />
                          <Badge size="xs" variant="light" color={LEVEL_COLOR[a.level]}>{pct(a.dependence)}</Badge>
                        </Group>
                      </Table.Td>
                      <Table.Td ta="right"><Text size="sm">{pct(a.shares.interactions)} <Text span size="xs" c="dimmed">/ {formatNumber(Math.round(a.totals.interactions), lang)}</Text></Text></Table.Td>
                      <Table.Td ta="right"><Text size="sm">{pct(a.shares.decisionMembers)}</Text></Table.Td>
                      <Table.Td ta="right"><Text size="sm">{a.totals.pipeline ? formatNumber(Math.round(a.totals.pipeline), lang) : '—'}</Text></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 8, xl: 6 }} order={1}>
        <Card withBorder padding={0}>
          <Text fw={600} p="sm">{t('risk.users')}</Text>
          <Table verticalSpacing={6} data-testid="dependence-users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('risk.person')}</Table.Th>
                <Table.Th ta="right">{t('risk.accountsDependent')}</Table.Th>
                <Table.Th ta="right">{t('risk.pipeline')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.slice(0, 10).map((u) => (
                <Table.Tr key={u.userId} bg={userFilter === u.userId ? 'var(--mantine-color-blue-0)' : undefined}>
                  <Table.Td>
                    <Anchor size="sm" fw={600} onClick={() => setUserFilter(u.userId)} c={u.active ? undefined : 'dimmed'}>{u.name}</Anchor>
                    <Text size="xs" c="dimmed">{u.department ?? ''}</Text>
                  </Table.Td>
                  <Table.Td ta="right"><Group gap={4} justify="flex-end" wrap="nowrap"><Text size="sm">{u.accounts}</Text>{u.highAccounts ? <Badge size="xs" color="red" variant="light">{u.highAccounts} {t('risk.highAccounts')}</Badge> : null}</Group></Table.Td>
                  <Table.Td ta="right"><Text size="sm">{formatNumber(Math.round(u.pipeline), lang)}</Text></Table.Td>
                  <Table.Td><Button size="compact-xs" variant="light" leftSection={<IconTransfer size={12} />} onClick={() => onHandover(u.userId)} style={{ whiteSpace: 'nowrap' }}>{t('risk.handover')}</Button></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      </Grid.Col>
    </Grid>
  );
}

function HandoverSection({ from, setFrom }: { from: string | null; setFrom: (id: string | null) => void }) {
  const { t, i18n } = useTranslation(NS);
  const vocab = useVocabLabel();
  const lang = i18n.language;
  const users = useUsers();
  const preview = useHandoverPreview(from);
  const { handover } = useBuyingCenterMutations();
  const [to, setTo] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [unchecked, setUnchecked] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  useEffect(() => setUnchecked(new Set()), [from]);
  const all = users.data ?? [];
  const name = (id: string | null) => all.find((u) => u.id === id)?.name ?? '';
  const accounts = preview.data?.accounts ?? [];
  const chosen = accounts.filter((a) => !unchecked.has(a.accountId));
  const toggle = (id: string) => setUnchecked((s) => {
    const n = new Set(s);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });
  const run = () => {
    if (!from || !to) return;
    handover.mutate(
      { fromUserId: from, toUserId: to, ...(unchecked.size ? { accountIds: chosen.map((a) => a.accountId) } : {}), ...(note.trim() ? { note: note.trim() } : {}) },
      {
        onSuccess: (r) => {
          setConfirming(false);
          notifications.show({ color: 'teal', title: t('handover.title'), message: t('handover.done', r) });
        },
        onError: (e) => {
          setConfirming(false);
          notifications.show({ color: 'red', title: t('handover.title'), message: e instanceof ApiError ? [e.message, ...e.fields.map((f) => f.message)].join(' · ') : String(e) });
        },
      },
    );
  };
  return (
    <Card withBorder padding="md" data-testid="handover">
      <Text fw={600} mb="sm">{t('handover.title')}</Text>
      <Group align="end" gap="sm" wrap="wrap">
        <Select label={t('handover.from')} placeholder={t('handover.pick')} searchable w={240} value={from} onChange={setFrom} data-testid="handover-from"
          data={all.map((u) => ({ value: u.id, label: u.active === false ? `${u.name} (${t('members.inactive')})` : u.name }))} />
        <IconArrowRight size={20} style={{ marginBottom: 8 }} />
        <Select label={t('handover.to')} placeholder={t('handover.pick')} searchable w={240} value={to} onChange={setTo} data-testid="handover-to"
          data={all.filter((u) => u.active !== false && u.id !== from).map((u) => ({ value: u.id, label: u.department ? `${u.name} · ${u.department}` : u.name }))} />
        <TextInput label={t('handover.note')} w={260} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Button leftSection={<IconTransfer size={16} />} disabled={!from || !to || chosen.length === 0} onClick={() => setConfirming(true)} data-testid="handover-execute">
          {t('handover.execute', { count: chosen.length })}
        </Button>
      </Group>
      {from ? (
        preview.isLoading ? <Skeleton h={200} mt="md" /> : preview.isError ? <QueryError error={preview.error} onRetry={() => void preview.refetch()} /> : (
          <Stack gap="xs" mt="md">
            <Group gap="xs">
              <Text fw={600}>{t('handover.preview')}</Text>
              {preview.data ? Object.entries(preview.data.totals).map(([k, v]) => (
                <Badge key={k} variant="light" color={k === 'promises' && v ? 'orange' : 'gray'}>{k === 'accounts' ? t('handover.accounts', { count: v }) : `${t(`handover.${k}`)}: ${v}`}</Badge>
              )) : null}
            </Group>
            {accounts.length === 0 ? <Text size="sm" c="dimmed">{t('handover.nothing')}</Text> : (
              <>
                <Checkbox size="xs" label={t('handover.selectAll')} checked={unchecked.size === 0} indeterminate={unchecked.size > 0 && unchecked.size < accounts.length}
                  onChange={() => setUnchecked(unchecked.size === 0 ? new Set(accounts.map((a) => a.accountId)) : new Set())} />
                <Accordion multiple variant="separated" chevronPosition="left">
                  {accounts.map((a) => (
                    <Accordion.Item key={a.accountId} value={a.accountId}>
                      <Group wrap="nowrap" gap="xs" pl="sm">
                        <Checkbox checked={!unchecked.has(a.accountId)} onChange={() => toggle(a.accountId)} aria-label={a.accountName} />
                        <Accordion.Control>
                          <Group gap="xs" wrap="wrap">
                            <Text fw={600} size="sm">{a.accountName}</Text>
                            {a.ownedByUser ? <Badge size="xs" variant="outline">{t('handover.owned')}</Badge> : null}
                            <Badge size="xs" variant="light" color="gray">{t('handover.contacts')} {a.contacts.length}</Badge>
                            <Badge size="xs" variant="light" color="gray">{t('handover.opportunities')} {a.opportunities.length}</Badge>
                            <Badge size="xs" variant="light" color="gray">{t('handover.tasks')} {a.tasks.length}</Badge>
                            {a.promises.length ? <Badge size="xs" variant="light" color="orange">{t('handover.promises')} {a.promises.length}</Badge> : null}
                          </Group>
                        </Accordion.Control>
                      </Group>
                      <Accordion.Panel>
                        <Grid gap="sm">
                          <Grid.Col span={{ base: 12, md: 6 }}>
                            <Text size="xs" fw={700} c="dimmed" tt="uppercase">{t('handover.contacts')}</Text>
                            {a.contacts.length === 0 ? <Text size="sm" c="dimmed">—</Text> : null}
                            {a.contacts.map((c) => (
                              <Text key={c.memberId} size="sm" component="div">
                                <Anchor component={Link} to={`/contacts/${c.contactId}`}>{c.contactName}</Anchor>
                                <Text span size="xs" c="dimmed"> · {c.roles.map((r) => vocab('buying_role', r)).join(', ')} · {c.opportunityName}</Text>
                                {c.otherCoverers === 0 ? <Badge ml={4} size="xs" color="red" variant="light">{t('handover.alone')}</Badge> : null}
                              </Text>
                            ))}
                            <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="xs">{t('handover.opportunities')}</Text>
                            {a.opportunities.length === 0 ? <Text size="sm" c="dimmed">—</Text> : null}
                            {a.opportunities.map((o) => (
                              <Text key={o.id} size="sm"><Anchor component={Link} to={`/opportunities/${o.id}/buying-center`}>{o.name}</Anchor>
                                <Text span size="xs" c="dimmed"> · {vocab('buying_stage', o.buyingStage)} · {o.amount ? `${formatNumber(Number(o.amount), lang)} ${o.currency ?? ''}` : ''}</Text></Text>
                            ))}
                          </Grid.Col>
                          <Grid.Col span={{ base: 12, md: 6 }}>
                            <Text size="xs" fw={700} c="dimmed" tt="uppercase">{t('handover.promises')}</Text>
                            {a.promises.length === 0 ? <Text size="sm" c="dimmed">—</Text> : null}
                            {a.promises.map((p) => <Text key={p.id} size="sm" c="orange.8">{p.title} <Text span size="xs" c="dimmed">{formatDate(p.dueAt, lang)}</Text></Text>)}
                            <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="xs">{t('handover.tasks')}</Text>
                            {a.tasks.length === 0 ? <Text size="sm" c="dimmed">—</Text> : null}
                            {a.tasks.map((p) => <Text key={p.id} size="sm">{p.title} <Text span size="xs" c="dimmed">{formatDate(p.dueAt, lang)}</Text></Text>)}
                            <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="xs">{t('handover.interactions')}</Text>
                            {a.interactions.map((i) => <Text key={i.id} size="sm">{formatDate(i.occurredAt, lang)} · {vocab('interaction_kind', i.kind)} <Text span size="xs" c="dimmed">{i.subject ?? ''}</Text></Text>)}
                          </Grid.Col>
                        </Grid>
                      </Accordion.Panel>
                    </Accordion.Item>
                  ))}
                </Accordion>
              </>
            )}
          </Stack>
        )
      ) : null}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('handover.confirmTitle')} centered>
        <Text size="sm">{t('handover.confirm', { from: name(from), to: name(to) })}</Text>
        <Text size="sm" fw={600} mt="xs">{t('handover.accounts', { count: chosen.length })}</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setConfirming(false)}>{t('common.cancel', { ns: 'translation' })}</Button>
          <Button onClick={run} loading={handover.isPending} data-testid="handover-confirm">{t('handover.execute', { count: chosen.length })}</Button>
        </Group>
      </Modal>
    </Card>
  );
}

export default function RelationshipRiskPage() {
  const { t } = useTranslation(NS);
  const [params, setParams] = useSearchParams();
  const from = params.get('from');
  const user = params.get('user');
  const handoverRef = useRef<HTMLDivElement>(null);
  const set = (k: string, v: string | null) => setParams((p) => {
    const n = new URLSearchParams(p);
    if (v) n.set(k, v);
    else n.delete(k);
    return n;
  }, { replace: true });
  const startHandover = (id: string) => {
    set('from', id);
    setTimeout(() => handoverRef.current?.scrollIntoView({ behavior: 'smooth' }), 50);
  };
  return (
    <Stack gap="md" p="md">
      <Title order={2}>{t('title.risk')}</Title>
      <Text size="sm" c="dimmed" maw={900}>{t('risk.intro')}</Text>
      <DependenceSection userFilter={user} setUserFilter={(id) => set('user', id)} onHandover={startHandover} />
      <div ref={handoverRef}><HandoverSection from={from} setFrom={(id) => set('from', id)} /></div>
    </Stack>
  );
}
