import { lazy, Suspense, useState } from 'react';
import { Badge, Button, Card, Group, Progress, Stack, Tabs, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useCanWrite } from '../../app/auth.tsx';
import { GroupCard } from './GroupCard.tsx';
import { ENTITIES, type FieldDef } from '../entities.ts';
import { ORDER_STATUSES } from '../../../../src/features/orders/schemas.ts';
import { CustomFieldsCard, FieldsCard, RecordFrame, RelatedList } from '../records/RecordPage.tsx';
import { RecordTimeline } from '../../ui/RecordTimeline.tsx';
import { CreateRecordModal } from '../../ui/RecordForm.tsx';
import { FieldValue } from '../../ui/fields.tsx';
import { AccountWalletByLine, AlertsCard, ShareOfWalletChart, StatusTimeline } from '../funnel/index.ts';
import { FitBadge } from '../evaluation/FitBadge.tsx';
import { CultureCard } from '../culture/CultureCard.tsx';
import { EngagementCard } from '../surveys/EngagementCard.tsx';
import { AccountComplaints } from '../feedback/parts.tsx';
import { PageSkeleton } from '../../ui/PageSkeleton.tsx';

// The merged buying-center map draws with Cytoscape: loaded only when its tab is opened.
const AccountOrderLines = lazy(() => import('../products/index.ts').then((m) => ({ default: m.AccountOrderLines })));
const AccountBuyingCenter = lazy(() => import('../buying-center/panels.tsx').then((m) => ({ default: m.AccountBuyingCenter })));

const A = ENTITIES.accounts;
const f = (e: keyof typeof ENTITIES, k: string) => ENTITIES[e].fields.find((x) => x.key === k)!;
const orderFields: FieldDef[] = [
  { key: 'orderNumber', type: 'text' },
  { key: 'orderedAt', type: 'date' },
  { key: 'amount', type: 'money', currencyField: 'currency' },
  { key: 'status', type: 'enum', options: ORDER_STATUSES, enumName: 'orderStatus' },
];

export default function AccountPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [create, setCreate] = useState<'contacts' | 'opportunities' | null>(null);
  const canWrite = useCanWrite();
  return (
    <RecordFrame
      entity={A}
      badges={(r) => (
        <>
          <FieldValue field={f('accounts', 'kind')} value={r.kind} />
          {r.needType ? <FieldValue field={f('accounts', 'needType')} value={r.needType} /> : null}
          {r.supplierStatus ? <FieldValue field={f('accounts', 'supplierStatus')} value={r.supplierStatus} /> : null}
          {r.tier ? <Badge variant="outline">{t('field.tier')}: {String(r.tier)}</Badge> : null}
        </>
      )}
      render={(r, save) => ({
        main: (
          <>
            <FieldsCard title={t('record.firmographics')} entity={A} record={r} save={save}
              keys={['name', 'kind', 'industry', 'country', 'city', 'website', 'phone', 'employees', 'annualRevenue', 'totalAnnualDemand', 'demandCurrency', 'address']} />
            <ShareOfWalletChart accountId={r.id} />
            <AccountWalletByLine accountId={r.id} />
            <Tabs defaultValue="timeline" keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="timeline">{t('timeline.title')}</Tabs.Tab>
                <Tabs.Tab value="contacts">{t('nav.contacts')}</Tabs.Tab>
                <Tabs.Tab value="opportunities">{t('nav.opportunities')}</Tabs.Tab>
                <Tabs.Tab value="orders">{t('record.orders')}</Tabs.Tab>
                <Tabs.Tab value="buying-center">{t('nav.buyingCenter')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="timeline" pt="md"><RecordTimeline scope={{ accountId: r.id }} /></Tabs.Panel>
              <Tabs.Panel value="buying-center" pt="md">
                <Suspense fallback={<PageSkeleton />}><AccountBuyingCenter accountId={r.id} /></Suspense>
              </Tabs.Panel>
              <Tabs.Panel value="contacts" pt="md">
                <RelatedList entity="contacts" path="contacts" filter={{ accountId: r.id }} title={t('nav.contacts')}
                  keys={['fullName', 'title', 'department', 'email', 'phone'].map((k) => f('contacts', k))}
                  action={canWrite ? <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setCreate('contacts')} data-testid="add-contact">{t('create.contact')}</Button> : undefined} />
              </Tabs.Panel>
              <Tabs.Panel value="opportunities" pt="md">
                <RelatedList entity="opportunities" path="opportunities" filter={{ accountId: r.id }} title={t('nav.opportunities')}
                  keys={['name', 'buyingStage', 'status', 'amount', 'expectedClose'].map((k) => f('opportunities', k))}
                  action={canWrite ? <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setCreate('opportunities')} data-testid="add-opportunity">{t('create.opportunity')}</Button> : undefined} />
              </Tabs.Panel>
              <Tabs.Panel value="orders" pt="md">
                <RelatedList entity="orders" filter={{ accountId: r.id }} title={t('record.orders')} keys={orderFields} />
                <Suspense fallback={<PageSkeleton />}><Stack mt="md"><AccountOrderLines accountId={r.id} /></Stack></Suspense>
              </Tabs.Panel>
            </Tabs>
            {create && (
              <CreateRecordModal entity={ENTITIES[create]} opened onClose={() => setCreate(null)} initial={{ accountId: r.id }}
                onCreated={(rec) => navigate(`/${create}/${String(rec.id)}`)} />
            )}
          </>
        ),
        side: (
          <>
            <AlertsCard accountId={r.id} hideWhenEmpty />
            <AccountComplaints accountId={r.id} />
            <GroupCard accountId={r.id} />
            <EngagementCard accountId={r.id} />
            <Card withBorder padding="md">
              <Text fw={600} mb="sm">{t('record.evaluation')}</Text>
              <Stack gap="xs">
                {/* fitScore is 0–100 (50 = like the base); the badge explains it in a popover. */}
                <Group justify="space-between"><Text size="sm">{t('field.fitScore')}</Text><FitBadge score={r.fitScore as number | null} reasons={r.fitReasons as never} accountId={r.id} detailed /></Group>
                {r.fitScore != null && <Progress value={Number(r.fitScore)} color="teal" aria-label={t('field.fitScore')} />}
                <Group justify="space-between"><Text size="sm">{t('field.portfolioType')}</Text><FieldValue field={f('accounts', 'portfolioType')} value={r.portfolioType} /></Group>
                <Group justify="space-between"><Text size="sm">{t('field.buyingStage')}</Text><FieldValue field={f('accounts', 'buyingStage')} value={r.buyingStage} /></Group>
              </Stack>
            </Card>
            <FieldsCard title={t('record.classification')} entity={A} record={r} save={save} cols={1}
              keys={['ownerId', 'needType', 'priceOrientation', 'supplierStatus', 'relationshipDepth', 'source', 'aisasStep', 'tags']} />
            <CultureCard country={r.country as string | null} />
            <CustomFieldsCard entity={A} record={r} save={save} />
            <StatusTimeline accountId={r.id} />
          </>
        ),
      })}
    />
  );
}
