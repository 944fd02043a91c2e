/** One survey: choose recipients and get their links (copy / CSV), follow who answered, read the results, edit the questions. */
import { useMemo, useState } from 'react';
import {
  Alert, Anchor, Badge, Button, Card, Checkbox, CopyButton, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Table, Tabs, Text, Textarea, Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowLeft, IconCopy, IconDownload, IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../app/api.ts';
import { useSession } from '../../app/auth.tsx';
import { useVocabOptions } from '../../app/data.ts';
import { formatDate } from '../../app/format.ts';
import { downloadText, toCsv } from '../../ui/csv.ts';
import { useSegments } from '../segments/data.ts';
import { Chart } from '../funnel/Chart.tsx';
import { LANGUAGES, LEVELS, PLACEMENTS, type Item } from '../../../../src/features/surveys/rules.ts';
import { useRecipients, useReissue, useResults, useSend, useSurvey, useUpdateSurvey, type Link as SurveyLink, type Survey } from './data.ts';
import { EngagementBadge, LEVEL_HEX } from './EngagementBadge.tsx';
import { NS } from './i18n.ts';

const absolute = (path: string) => `${window.location.origin}${path}`;

function LinksTable({ links, name }: { links: SurveyLink[]; name: string }) {
  const { t } = useTranslation(NS);
  const csv = () => downloadText(`${name}-links.csv`, toCsv([
    [t('detail.contact'), 'email', t('detail.account'), t('list.language'), t('detail.link'), t('detail.expiresAt')],
    ...links.map((l) => [l.contactName, l.email ?? '', l.accountName ?? '', l.language, absolute(l.path), l.expiresAt.slice(0, 10)]),
  ]));
  return (
    <Stack gap="xs" data-testid="survey-links">
      <Alert color="blue" variant="light">{t('detail.linksOnce')}</Alert>
      <Group><Button size="xs" variant="light" leftSection={<IconDownload size={14} />} onClick={csv} data-testid="links-csv">{t('detail.downloadCsv')}</Button></Group>
      <Table.ScrollContainer minWidth={640}>
        <Table>
          <Table.Thead><Table.Tr><Table.Th>{t('detail.contact')}</Table.Th><Table.Th>{t('detail.account')}</Table.Th><Table.Th>{t('list.language')}</Table.Th><Table.Th>{t('detail.link')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {links.map((l) => (
              <Table.Tr key={l.recipientId}>
                <Table.Td>{l.contactName}</Table.Td>
                <Table.Td>{l.accountName}</Table.Td>
                <Table.Td>{t(`language.${l.language}`)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Text size="xs" ff="monospace" truncate maw={260} data-testid="survey-link">{absolute(l.path)}</Text>
                    <CopyButton value={absolute(l.path)}>
                      {({ copied, copy }) => <Button size="compact-xs" variant="subtle" leftSection={<IconCopy size={12} />} onClick={copy}>{copied ? t('detail.copied') : t('detail.copy')}</Button>}
                    </CopyButton>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function SendTab({ survey }: { survey: Survey }) {
  const { t } = useTranslation(NS);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const [picked, setPicked] = useState<string[]>([]);
  const [labels, setLabels] = useState<Record<string, string>>({});
  const [segmentId, setSegmentId] = useState<string | null>(null);
  const [roles, setRoles] = useState<string[]>([]);
  const [bcOnly, setBcOnly] = useState(true);
  const [days, setDays] = useState<number | string>(30);
  const found = useQuery({
    queryKey: ['surveys', 'account-search', q],
    queryFn: ({ signal }) => api<Page<{ id: string; name: string }>>('/accounts', { query: { q: q || undefined, limit: 30, sort: 'name' }, signal }),
  });
  const options = useMemo(() => {
    const m = new Map<string, string>(Object.entries(labels));
    for (const a of found.data?.data ?? []) m.set(a.id, a.name);
    return [...m].map(([value, label]) => ({ value, label }));
  }, [found.data, labels]);
  const segments = useSegments().data ?? [];
  const roleOptions = useVocabOptions('buying_role');
  const send = useSend(survey.id);
  if (survey.status !== 'open') return <Alert color="gray">{t('detail.closedNote')}</Alert>;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <MultiSelect label={t('detail.accounts')} description={t('detail.accountsHint')} data={options} value={picked} searchable searchValue={search} onSearchChange={setSearch}
          onChange={(v) => { setPicked(v); setLabels((l) => ({ ...l, ...Object.fromEntries(options.filter((o) => v.includes(o.value)).map((o) => [o.value, o.label])) })); }}
          filter={({ options: o }) => o} clearable data-testid="send-accounts" />
        <Select label={t('detail.segment')} data={segments.map((s) => ({ value: s.id, label: s.name }))} value={segmentId} onChange={setSegmentId} clearable data-testid="send-segment" />
        <MultiSelect label={t('detail.roles')} data={roleOptions} value={roles} onChange={setRoles} clearable data-testid="send-roles" />
        <NumberInput label={t('detail.expires')} value={days} onChange={setDays} min={1} max={365} />
      </SimpleGrid>
      <Checkbox label={t('detail.buyingCenterOnly')} checked={bcOnly} onChange={(e) => setBcOnly(e.currentTarget.checked)} data-testid="send-bc-only" />
      <Group>
        <Button disabled={!picked.length && !segmentId} loading={send.isPending} data-testid="send-submit"
          onClick={() => send.mutate({ accountIds: picked.length ? picked : undefined, segmentId: segmentId ?? undefined, roles: roles.length ? roles : undefined, buyingCenterOnly: bcOnly || undefined, expiresInDays: Number(days) || undefined })}>
          {t('detail.send')}
        </Button>
      </Group>
      {send.error && <Text c="red" size="sm">{send.error.message}</Text>}
      {send.data && (
        <>
          <Text size="sm" data-testid="send-result">{t('detail.sent', { created: send.data.created, skipped: send.data.skipped })}</Text>
          {send.data.links.length > 0 && <LinksTable links={send.data.links} name={survey.name} />}
        </>
      )}
    </Stack>
  );
}

function RecipientsTab({ survey }: { survey: Survey }) {
  const { t, i18n } = useTranslation(NS);
  const { user } = useSession();
  const list = useRecipients(survey.id).data ?? [];
  const reissue = useReissue(survey.id);
  const manager = user.role === 'admin' || user.role === 'manager';
  const COLOR = { sent: 'gray', opened: 'blue', started: 'yellow', completed: 'teal', expired: 'red' } as const;
  return (
    <Stack gap="md">
      {manager && survey.status === 'open' && list.length > 0 && (
        <Group><Button size="xs" variant="light" leftSection={<IconRefresh size={14} />} onClick={() => reissue.mutate()} loading={reissue.isPending} data-testid="links-reissue">{t('detail.reissue')}</Button></Group>
      )}
      {reissue.data && reissue.data.links.length > 0 && <LinksTable links={reissue.data.links} name={survey.name} />}
      {!list.length ? <Text c="dimmed" size="sm">{t('detail.noRecipients')}</Text> : (
        <Table.ScrollContainer minWidth={600}>
          <Table>
            <Table.Thead><Table.Tr><Table.Th>{t('detail.contact')}</Table.Th><Table.Th>{t('detail.account')}</Table.Th><Table.Th>{t('list.language')}</Table.Th><Table.Th>{t('detail.state')}</Table.Th><Table.Th>{t('detail.expiresAt')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {list.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td><Anchor component={Link} to={`/contacts/${r.contactId}`}>{r.contactName}</Anchor></Table.Td>
                  <Table.Td>{r.accountId ? <Anchor component={Link} to={`/accounts/${r.accountId}`}>{r.accountName}</Anchor> : '—'}</Table.Td>
                  <Table.Td>{t(`language.${r.language}`)}</Table.Td>
                  <Table.Td><Badge color={COLOR[r.status]} variant="light">{t(`status.${r.status}`)}</Badge></Table.Td>
                  <Table.Td>{formatDate(r.expiresAt, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function ResultsTab({ survey }: { survey: Survey }) {
  const { t } = useTranslation(NS);
  const r = useResults(survey.id).data;
  const current = survey.currentVersion?.number ?? 1;
  const [version, setVersion] = useState(String(current));
  if (!r) return null;
  return (
    <Stack gap="md" data-testid="survey-results">
      <Group gap="xs" align="end">
        {current > 1 && (
          <Select size="xs" w={110} label={t('detail.exportVersion')} value={version} onChange={(v) => v && setVersion(v)} allowDeselect={false}
            data={Array.from({ length: current }, (_, i) => String(current - i))} data-testid="export-version" />
        )}
        {/* A plain link: the session cookie authenticates it and the server streams the file. */}
        <Button component="a" size="xs" variant="light" leftSection={<IconDownload size={14} />} download
          href={`/api/v1/exports/survey_answers?surveyId=${encodeURIComponent(survey.id)}&version=${version}`} data-testid="export-answers">
          {t('detail.exportAnswers')}
        </Button>
        <Text size="xs" c="dimmed" maw={560}>{t('detail.exportHint')}</Text>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder><Text size="sm" c="dimmed">{t('detail.nps')}</Text><Title order={2}>{r.nps.nps === null ? '—' : Math.round(r.nps.nps)}</Title><Text size="xs" c="dimmed">{r.nps.promoters} / {r.nps.passives} / {r.nps.detractors}</Text></Card>
        <Card withBorder><Text size="sm" c="dimmed">{t('detail.tabLinks')}</Text><Title order={3}>{t('detail.responses', { completed: r.completed, recipients: r.recipients })}</Title></Card>
        <Card withBorder>
          <Text size="sm" c="dimmed" mb={4}>{t('detail.levels')}</Text>
          {LEVELS.map((l) => <Group key={l} justify="space-between"><Text size="sm">{t(`level.${l}`)}</Text><Text size="sm" fw={600}>{r.levels[l]?.toFixed(2) ?? '—'}</Text></Group>)}
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Text fw={600} mb="xs">{t('detail.placements')}</Text>
        <Chart height={200} option={{
          grid: { left: 140, right: 20, top: 10, bottom: 20 },
          xAxis: { type: 'value', minInterval: 1 },
          yAxis: { type: 'category', data: PLACEMENTS.map((p) => t(`placement.${p}`)).reverse() },
          series: [{ type: 'bar', data: [...PLACEMENTS].reverse().map((p) => ({ value: r.placements[p], itemStyle: { color: LEVEL_HEX[p] } })) }],
        }} />
      </Card>
      <Card withBorder>
        <Text fw={600} mb="xs">{t('detail.comments')}</Text>
        {!r.comments.length && <Text size="sm" c="dimmed">{t('detail.noComments')}</Text>}
        <Stack gap="xs">
          {/* Free text from outside: rendered as text, never as markup. */}
          {r.comments.map((c, i) => <div key={i}><Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{c.comment}</Text><Text size="xs" c="dimmed">{c.contactName}{c.accountName ? ` · ${c.accountName}` : ''}</Text></div>)}
        </Stack>
      </Card>
    </Stack>
  );
}

function QuestionsTab({ survey }: { survey: Survey }) {
  const { t } = useTranslation(NS);
  const { user } = useSession();
  const update = useUpdateSurvey(survey.id);
  const [items, setItems] = useState<Item[]>(survey.currentVersion?.items ?? []);
  const editable = user.role !== 'viewer';
  const setText = (i: number, lang: (typeof LANGUAGES)[number], v: string) => setItems((xs) => xs.map((x, k) => (k === i ? { ...x, text: { ...x.text, [lang]: v } } : x)));
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">{t('detail.itemsNote', { next: (survey.currentVersion?.number ?? 0) + 1 })}</Text>
      {items.map((it, i) => (
        <Card key={it.id} withBorder padding="sm">
          <Group gap="xs" mb={6}>
            <Badge variant="light">{it.kind === 'agree5' ? t(`level.${it.level}`) : it.kind === 'score10' ? t(`detail.rational.${it.role}`) : t('detail.kind.text')}</Badge>
            <Text size="xs" c="dimmed">{t(`detail.kind.${it.kind}`)}</Text>
          </Group>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            {LANGUAGES.map((l) => <Textarea key={l} label={t(`language.${l}`)} value={it.text[l]} autosize minRows={1} readOnly={!editable} onChange={(e) => setText(i, l, e.currentTarget.value)} />)}
          </SimpleGrid>
        </Card>
      ))}
      {editable && <Group><Button onClick={() => update.mutate({ version: survey.version, items })} loading={update.isPending} data-testid="items-save">{t('detail.saveItems')}</Button>{update.isSuccess && <Text size="sm" c="teal">{t('detail.saved')}</Text>}</Group>}
      {update.error && <Text c="red" size="sm">{update.error.message}</Text>}
    </Stack>
  );
}

export default function SurveyPage() {
  const { id } = useParams();
  const { t } = useTranslation(NS);
  const { user } = useSession();
  const { data: survey } = useSurvey(id);
  const update = useUpdateSurvey(id!);
  if (!survey) return null;
  const manager = user.role === 'admin' || user.role === 'manager';
  return (
    <Stack p="md" gap="md" data-testid="survey-page">
      <Anchor component={Link} to="/surveys" size="sm"><Group gap={4}><IconArrowLeft size={14} />{t('detail.back')}</Group></Anchor>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{survey.name}</Title>
          <Group gap="xs" mt={4}>
            <Badge variant="light">{t(`language.${survey.language}`)}</Badge>
            <Badge variant="light" color={survey.status === 'open' ? 'teal' : 'gray'}>{t(`status.${survey.status}`)}</Badge>
            <Text size="sm" c="dimmed">{t('list.version')} {survey.currentVersion?.number} · {t('list.links')} {survey.recipients} · {t('list.completed')} {survey.completed}</Text>
          </Group>
        </div>
        {manager && (
          <Button variant="default" size="xs" onClick={() => update.mutate({ version: survey.version, status: survey.status === 'open' ? 'closed' : 'open' })}>
            {survey.status === 'open' ? t('detail.close') : t('detail.reopen')}
          </Button>
        )}
      </Group>
      <Tabs defaultValue={manager ? 'send' : 'results'} keepMounted={false}>
        <Tabs.List>
          {manager && <Tabs.Tab value="send" data-testid="tab-send">{t('detail.tabSend')}</Tabs.Tab>}
          <Tabs.Tab value="recipients" data-testid="tab-recipients">{t('detail.tabLinks')}</Tabs.Tab>
          <Tabs.Tab value="results" data-testid="tab-results">{t('detail.tabResults')}</Tabs.Tab>
          <Tabs.Tab value="questions" data-testid="tab-questions">{t('detail.tabQuestions')}</Tabs.Tab>
        </Tabs.List>
        {manager && <Tabs.Panel value="send" pt="md"><SendTab survey={survey} /></Tabs.Panel>}
        <Tabs.Panel value="recipients" pt="md"><RecipientsTab survey={survey} /></Tabs.Panel>
        <Tabs.Panel value="results" pt="md"><ResultsTab survey={survey} /></Tabs.Panel>
        <Tabs.Panel value="questions" pt="md"><QuestionsTab key={survey.currentVersionId} survey={survey} /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

export { EngagementBadge };
