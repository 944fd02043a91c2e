import { Button, Card, Group, Select, Stack, Tabs, Text } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCanWrite } from '../../app/auth.tsx';
import { ENTITIES } from '../entities.ts';
import { CustomFieldsCard, FieldsCard, RecordFrame, RelatedList } from '../records/RecordPage.tsx';
import { ExitCriteriaChecklist } from '../goals/index.ts';
import { RecordTimeline } from '../../ui/RecordTimeline.tsx';
import { FieldValue, RefLink } from '../../ui/fields.tsx';
import { StagePath } from './StagePath.tsx';
import { formatMoney, formatPercent, formatDate } from '../../app/format.ts';
import { useVocabOptions } from '../../app/data.ts';
import { WinBadge } from '../evaluation/WinBadge.tsx';
import { PageSkeleton } from '../../ui/PageSkeleton.tsx';

// The buying-center map draws with Cytoscape: loaded only when its tab is opened.
const DealLinesPanel = lazy(() => import('../products/index.ts').then((m) => ({ default: m.DealLinesPanel })));
const OpportunityBuyingCenter = lazy(() => import('../buying-center/panels.tsx').then((m) => ({ default: m.OpportunityBuyingCenter })));

const O = ENTITIES.opportunities;
const fo = (k: string) => O.fields.find((x) => x.key === k)!;
const fc = (k: string) => ENTITIES.contacts.fields.find((x) => x.key === k)!;

function CloseControls({ status, onClose }: { status: string; onClose: (p: Record<string, unknown>) => void }) {
  const { t } = useTranslation();
  const reasons = useVocabOptions('lost_reason');
  const [losing, setLosing] = useState(false);
  const [reason, setReason] = useState<string | null>(null);
  if (status !== 'open') {
    return <Button size="xs" variant="default" onClick={() => onClose({ status: 'open', lostReason: null })}>{t('opportunity.reopen')}</Button>;
  }
  return losing ? (
    <Group gap="xs">
      <Select size="xs" data={reasons} value={reason} onChange={setReason} placeholder={t('field.lostReason')} aria-label={t('field.lostReason')} comboboxProps={{ withinPortal: true }} />
      <Button size="xs" color="red" disabled={!reason} onClick={() => onClose({ status: 'lost', lostReason: reason })}>{t('opportunity.markLost')}</Button>
      <Button size="xs" variant="default" onClick={() => setLosing(false)}>{t('common.cancel')}</Button>
    </Group>
  ) : (
    <Group gap="xs">
      <Button size="xs" color="green" onClick={() => onClose({ status: 'won' })}>{t('opportunity.markWon')}</Button>
      <Button size="xs" color="red" variant="light" onClick={() => setLosing(true)}>{t('opportunity.markLost')}</Button>
    </Group>
  );
}

export default function OpportunityPage() {
  const { t, i18n } = useTranslation();
  const canWrite = useCanWrite();
  const lang = i18n.language;
  return (
    <RecordFrame
      entity={O}
      badges={(r) => (
        <>
          <FieldValue field={fo('status')} value={r.status} />
          {r.accountId ? <RefLink entity="accounts" id={r.accountId} name={r.accountName} /> : null}
        </>
      )}
      render={(r, save) => ({
        main: (
          <>
            <Card withBorder padding="md">
              <Group justify="space-between" mb="sm" wrap="wrap">
                <Text fw={600}>{t('opportunity.stagePath')}</Text>
                {canWrite && <CloseControls status={String(r.status)} onClose={(p) => void save(p)} />}
              </Group>
              <StagePath stage={String(r.buyingStage)} onChange={(s) => void save({ buyingStage: s })} disabled={r.status !== 'open'} />
              <Group mt="md" gap="xl" wrap="wrap">
                <Stack gap={0}><Text size="xs" c="dimmed">{t('field.amount')}</Text><Text size="xl" fw={700}>{formatMoney(r.amount, r.currency as string, lang) || '—'}</Text></Stack>
                <Stack gap={0}><Text size="xs" c="dimmed">{t('field.expectedClose')}</Text><Text size="lg" fw={600}>{formatDate(r.expectedClose, lang) || '—'}</Text></Stack>
                <Stack gap={0}><Text size="xs" c="dimmed">{t('field.winProbability')}</Text><Group gap={6}><Text size="lg" fw={600}>{r.winProbability != null ? formatPercent(r.winProbability, lang) : '—'}</Text>{r.winProbability != null && <WinBadge probability={r.winProbability as number} reasons={r.winReasons as never} />}</Group></Stack>
              </Group>
            </Card>
            <Tabs defaultValue="timeline" keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="timeline">{t('timeline.title')}</Tabs.Tab>
                <Tabs.Tab value="contacts">{t('nav.contacts')}</Tabs.Tab>
                <Tabs.Tab value="buying-center">{t('nav.buyingCenter')}</Tabs.Tab>
                <Tabs.Tab value="lines" data-testid="tab-lines">{t('products:lines.tab')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="lines" pt="md">
                <Suspense fallback={<PageSkeleton />}><DealLinesPanel opportunityId={r.id} dealCurrency={(r.currency as string | null) ?? null} /></Suspense>
              </Tabs.Panel>
              <Tabs.Panel value="buying-center" pt="md">
                <Suspense fallback={<PageSkeleton />}><OpportunityBuyingCenter opportunityId={r.id} /></Suspense>
              </Tabs.Panel>
              <Tabs.Panel value="timeline" pt="md"><RecordTimeline scope={{ opportunityId: r.id }} accountId={r.accountId as string} /></Tabs.Panel>
              <Tabs.Panel value="contacts" pt="md">
                {r.accountId ? (
                  <RelatedList entity="contacts" path="contacts" filter={{ accountId: String(r.accountId) }} title={t('opportunity.accountContacts')}
                    keys={['fullName', 'title', 'department', 'email'].map(fc)} />
                ) : null}
              </Tabs.Panel>
            </Tabs>
          </>
        ),
        side: (
          <>
            <FieldsCard title={t('record.details')} entity={O} record={r} save={save} cols={1}
              keys={['name', 'accountId', 'amount', 'currency', 'expectedClose', 'buyingSituation', 'needType', 'ownerId', 'source', 'lostReason']} />
            <FieldsCard title={t('field.competitors')} entity={O} record={r} save={save} cols={1} keys={['competitors', 'tags']} />
            <CustomFieldsCard entity={O} record={r} save={save} />
            <ExitCriteriaChecklist opportunityId={r.id} />
          </>
        ),
      })}
    />
  );
}
