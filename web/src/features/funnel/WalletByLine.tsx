/**
 * Share of wallet per product line (issue #16): the organization's lines on the funnel screen, one
 * account's lines (with its demand per line, editable) on the account page. A line whose demand is
 * not entered shows "demand unknown", never an estimate.
 */
import { useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../app/api.ts';
import { useCanWrite } from '../../app/auth.tsx';
import { useVocabLabel, useVocabOptions } from '../../app/data.ts';
import { formatMoney, formatPercent } from '../../app/format.ts';
import { useAccountWalletLines, useOrgWalletLines, type AccountWalletLines } from './data.ts';
import { NS } from './i18n.ts';

function useLineName() {
  const { t } = useTranslation(NS);
  const label = useVocabLabel();
  return (line: string | null) => (line === null ? t('byLine.noLine') : label('product_line', line));
}

/** Every product line across the accounts (of a segment): buyers, bought, and the share where demand is known. */
export function OrgWalletByLine({ segmentId }: { segmentId?: string }) {
  const { t, i18n } = useTranslation(NS);
  const lang = i18n.language;
  const lineName = useLineName();
  const w = useOrgWalletLines({ segmentId }).data;
  const money = (v: unknown) => formatMoney(v, w?.baseCurrency, lang, true);
  const foreign = w?.lines.reduce((s, l) => s + l.foreignDemand, 0) ?? 0;
  return (
    <Card withBorder data-testid="wallet-by-line">
      <Text fw={600}>{t('byLine.title')}</Text>
      {w && (w.lines.length === 0 ? <Text size="sm" c="dimmed" mt="sm">{t('byLine.none')}</Text> : (
        <>
          <Table.ScrollContainer minWidth={640}>
            <Table striped mt="xs" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('byLine.line')}</Table.Th>
                  <Table.Th ta="right">{t('byLine.buyers')}</Table.Th>
                  <Table.Th ta="right">{t('byLine.bought')}</Table.Th>
                  <Table.Th>{t('byLine.knownDemand')}</Table.Th>
                  <Table.Th ta="right">{t('byLine.share')}</Table.Th>
                  <Table.Th ta="right">{t('byLine.gap')}</Table.Th>
                  <Table.Th>{t('byLine.unknown')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {w.lines.map((l) => (
                  <Table.Tr key={l.productLine ?? '-'} data-testid={`wallet-line-${l.productLine ?? 'none'}`}>
                    <Table.Td>{lineName(l.productLine)}</Table.Td>
                    <Table.Td ta="right">{l.buyers}</Table.Td>
                    <Table.Td ta="right">{money(l.bought)}</Table.Td>
                    <Table.Td>{l.known.accounts ? t('byLine.knownOf', { accounts: l.known.accounts, demand: money(l.known.demand) }) : '—'}</Table.Td>
                    <Table.Td ta="right">{l.known.share === null ? '—' : formatPercent(l.known.share, lang)}</Table.Td>
                    <Table.Td ta="right">{l.known.accounts ? money(l.known.gap) : '—'}</Table.Td>
                    <Table.Td>{l.unknown.accounts ? <Text size="sm" c="dimmed">{t('byLine.unknownOf', { accounts: l.unknown.accounts, bought: money(l.unknown.bought) })}</Text> : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="xs" c="dimmed" mt="xs">{t('byLine.note')}</Text>
          {w.withoutLines.orders > 0 && <Text size="xs" c="dimmed">{t('byLine.withoutLines', { orders: w.withoutLines.orders, bought: money(w.withoutLines.bought) })}</Text>}
          {foreign > 0 && <Text size="xs" c="dimmed">{t('byLine.foreign', { count: foreign })}</Text>}
        </>
      ))}
    </Card>
  );
}

/** One account's lines: bought against its demand per line; writers edit the demand per line. */
export function AccountWalletByLine({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation(NS);
  const lang = i18n.language;
  const lineName = useLineName();
  const canWrite = useCanWrite();
  const q = useAccountWalletLines(accountId);
  const w = q.data;
  const [editing, setEditing] = useState(false);
  const money = (v: unknown) => formatMoney(v, w?.baseCurrency, lang, true);
  return (
    <Card withBorder padding="md" data-testid="account-wallet-by-line">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('byLine.title')}</Text>
        {canWrite && w && <Button size="compact-xs" variant="light" onClick={() => setEditing(true)} data-testid="line-demand-edit">{t('byLine.edit')}</Button>}
      </Group>
      {w && (w.lines.length === 0 ? <Text size="sm" c="dimmed">{t('byLine.none')}</Text> : (
        <Table fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('byLine.line')}</Table.Th>
              <Table.Th ta="right">{t('byLine.bought')}</Table.Th>
              <Table.Th ta="right">{t('wallet.demand')}</Table.Th>
              <Table.Th ta="right">{t('byLine.share')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {w.lines.map((l) => (
              <Table.Tr key={l.productLine ?? '-'}>
                <Table.Td>{lineName(l.productLine)}</Table.Td>
                <Table.Td ta="right">{money(l.bought)}</Table.Td>
                <Table.Td ta="right">
                  {l.annualDemand === null ? '—' : money(l.annualDemand)}
                  {l.demandEstimated && l.annualDemand !== null && <Badge ml={4} size="xs" variant="outline">{t('wallet.estimated')}</Badge>}
                </Table.Td>
                <Table.Td ta="right">
                  {l.share === null ? <Text size="sm" c="dimmed">{t('byLine.unknownBadge')}</Text> : formatPercent(l.share, lang)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ))}
      {w && w.withoutLines.orders > 0 && <Text size="xs" c="dimmed" mt="xs">{t('byLine.withoutLines', { orders: w.withoutLines.orders, bought: money(w.withoutLines.bought) })}</Text>}
      {w && editing && <LineDemandModal accountId={accountId} wallet={w} onClose={() => setEditing(false)} />}
    </Card>
  );
}

function LineDemandModal({ accountId, wallet, onClose }: { accountId: string; wallet: AccountWalletLines; onClose: () => void }) {
  const { t } = useTranslation(NS);
  const qc = useQueryClient();
  const terms = useVocabOptions('product_line');
  const current = new Map(wallet.lines.filter((l) => l.productLine && l.annualDemand !== null).map((l) => [l.productLine!, l]));
  const [values, setValues] = useState<Record<string, { demand: string; estimated: boolean }>>(() =>
    Object.fromEntries(terms.map((o) => [o.value, { demand: current.get(o.value)?.annualDemand ?? '', estimated: current.get(o.value)?.demandEstimated ?? true }])));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function save() {
    setBusy(true);
    setError(null);
    try {
      const lines = Object.entries(values).filter(([, v]) => v.demand.trim() !== '').map(([productLine, v]) => ({ productLine, annualDemand: v.demand.trim(), estimated: v.estimated }));
      await api(`/accounts/${accountId}/line-demand`, { method: 'PUT', body: { version: wallet.version, lines } });
      await qc.invalidateQueries({ queryKey: ['funnel'] });
      await qc.invalidateQueries({ queryKey: ['accounts'] });
      onClose();
    } catch (e) {
      setError(e instanceof ApiError && e.isConflict ? t('byLine.conflict') : (e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal opened onClose={onClose} title={t('byLine.editTitle')} size="lg">
      <Stack gap="xs">
        <Text size="sm" c="dimmed">{t('byLine.editHint')}</Text>
        {terms.map((o) => (
          <Group key={o.value} wrap="nowrap" align="flex-end">
            <TextInput label={o.label} description={t('byLine.demand', { currency: wallet.baseCurrency })} inputMode="decimal" style={{ flex: 1 }}
              value={values[o.value]?.demand ?? ''} onChange={(e) => { const v = e.currentTarget.value; setValues((s) => ({ ...s, [o.value]: { demand: v, estimated: s[o.value]?.estimated ?? true } })); }}
              data-testid={`line-demand-${o.value}`} />
            <Checkbox mb={8} label={t('byLine.estimated')} checked={values[o.value]?.estimated ?? true}
              onChange={(e) => { const c = e.currentTarget.checked; setValues((s) => ({ ...s, [o.value]: { demand: s[o.value]?.demand ?? '', estimated: c } })); }} />
          </Group>
        ))}
        {error && <Alert color="red">{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('byLine.cancel')}</Button>
          <Button onClick={() => void save()} loading={busy} data-testid="line-demand-save">{t('byLine.save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
