/**
 * The deal's product lines (keyboard friendly: Tab through the cells, Enter on a quantity adds a line;
 * totals are live with the server's own rounding rule) and its quotes: create, preview, PDF, send, accept.
 */
import { ActionIcon, Alert, Anchor, Badge, Button, Card, Group, Modal, SegmentedControl, Select, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconDownload, IconEye, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../../app/api.ts';
import { useCanWrite, useSession } from '../../app/auth.tsx';
import { formatDate } from '../../app/format.ts';
import { addMoney, lineTotal, productName } from '../../../../src/features/products/rules.ts';
import { useDealLines, useInvalidateDeal, useProducts, useQuotes, type Quote } from './data.ts';
import { NS } from './i18n.ts';
import { money, QuoteStatusBadge, trimQty } from './parts.tsx';

type Row = { key: number; productId: string | null; quantity: string; unitPrice: string; discountPct: string; discountReason: string };
let nextKey = 1;
const QTY = /^\d{1,11}(\.\d{1,3})?$/;
const PRICE = /^\d{1,14}(\.\d{1,4})?$/;
const PCT = /^\d{1,3}(\.\d{1,2})?$/;
const LANGS = ['en', 'zh-CN', 'zh-TW'] as const;

export function DealLinesPanel({ opportunityId, dealCurrency }: { opportunityId: string; dealCurrency: string | null }) {
  const { t, i18n } = useTranslation(NS);
  const lang = i18n.language;
  const canWrite = useCanWrite();
  const { org } = useSession();
  const lines = useDealLines(opportunityId);
  const products = useProducts({ active: 'true' });
  const invalidate = useInvalidateDeal(opportunityId);
  const [rows, setRows] = useState<Row[]>([]);
  const [currency, setCurrency] = useState<string>(org.baseCurrency);
  const [fxRate, setFxRate] = useState('');
  const [dirty, setDirty] = useState(false);
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const qtyRefs = useRef(new Map<number, HTMLInputElement | null>());
  const [focusKey, setFocusKey] = useState<number | null>(null);

  useEffect(() => {
    if (!lines.data || dirty) return;
    setRows(lines.data.lines.map((l) => ({
      key: nextKey++, productId: l.productId, quantity: trimQty(l.quantity),
      unitPrice: l.listPrice !== null && l.unitPrice === l.listPrice ? '' : l.unitPrice.replace(/(\.\d\d\d*?)0+$/, '$1'),
      discountPct: Number(l.discountPct) ? trimQty(l.discountPct) : '', discountReason: l.discountReason ?? '',
    })));
    setCurrency(lines.data.currency ?? dealCurrency ?? org.baseCurrency);
    setFxRate(lines.data.fxRate ? lines.data.fxRate.replace(/\.?0+$/, '') : '');
  }, [lines.data, dirty, dealCurrency, org.baseCurrency]);
  useEffect(() => {
    if (focusKey !== null) qtyRefs.current.get(focusKey)?.focus();
  }, [focusKey, rows.length]);

  const byId = useMemo(() => new Map((products.data?.data ?? []).map((p) => [p.id, p])), [products.data]);
  // Products already on the deal stay choosable even when inactive now (the server keeps them too).
  const options = useMemo(() => {
    const known = new Map((products.data?.data ?? []).map((p) => [p.id, `${p.code} · ${productName(p, lang)}`]));
    for (const l of lines.data?.lines ?? []) if (!known.has(l.productId)) known.set(l.productId, `${l.productCode} · ${productName({ name: l.productName, nameI18n: l.nameI18n }, lang)}`);
    return [...known].map(([value, label]) => ({ value, label }));
  }, [products.data, lines.data, lang]);
  const prices = useQueries({
    queries: rows.map((r) => ({
      queryKey: ['prices', r.productId, currency, r.quantity],
      queryFn: ({ signal }: { signal: AbortSignal }) => api<{ price: { unitPrice: string } | null }>('/prices', { query: { productId: r.productId!, currency, quantity: r.quantity }, signal }),
      enabled: !!r.productId && QTY.test(r.quantity) && Number(r.quantity) > 0,
      staleTime: 60_000,
    })),
  });
  const computed = rows.map((r, i) => {
    const list = prices[i]?.data?.price?.unitPrice ?? null;
    const unit = r.unitPrice.trim() || list;
    const ok = !!r.productId && QTY.test(r.quantity) && Number(r.quantity) > 0 && !!unit && PRICE.test(unit) && (r.discountPct === '' || (PCT.test(r.discountPct) && Number(r.discountPct) <= 100));
    return { list, unit, total: ok ? lineTotal({ quantity: r.quantity, unitPrice: unit!, discountPct: r.discountPct || '0' }) : null };
  });
  const total = addMoney(computed.map((c) => c.total ?? '0'));

  const edit = (key: number, patch: Partial<Row>) => {
    setDirty(true);
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  };
  const add = () => {
    const key = nextKey++;
    setDirty(true);
    setRows((rs) => [...rs, { key, productId: null, quantity: '1', unitPrice: '', discountPct: '', discountReason: '' }]);
    setFocusKey(null);
    return key;
  };
  const save = async () => {
    if (!lines.data) return;
    setSaving(true);
    setMessage(null);
    try {
      await api(`/opportunities/${opportunityId}/lines`, {
        method: 'PUT', ifMatch: lines.data.version,
        body: {
          currency, ...(currency !== org.baseCurrency ? { fxRate: fxRate || null } : {}),
          lines: rows.filter((r) => r.productId).map((r) => ({
            productId: r.productId, quantity: r.quantity, ...(r.unitPrice.trim() ? { unitPrice: r.unitPrice.trim() } : {}),
            ...(r.discountPct ? { discountPct: r.discountPct } : {}), ...(r.discountReason.trim() ? { discountReason: r.discountReason.trim() } : {}),
          })),
        },
      });
      setDirty(false);
      await Promise.all([lines.refetch(), invalidate()]);
      setMessage({ color: 'green', text: t('lines.saved') });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.isConflict) {
        setDirty(false);
        await Promise.all([lines.refetch(), invalidate()]);
        setMessage({ color: 'orange', text: t('conflict') });
      } else {
        setMessage({ color: 'red', text: e.fields.map((f) => {
          const m = /^lines\.(\d+)\.(\w+)$/.exec(f.path);
          return m ? t('lines.lineError', { n: Number(m[1]) + 1, field: t(`lines.col.${m[2]}`, { defaultValue: m[2] }), message: f.code === 'required' && m[2] === 'discountReason' ? t('lines.reasonRequired') : f.message }) : `${f.path}: ${f.message}`;
        }).join(' · ') || e.message });
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="md">
      <Card withBorder padding={0} data-testid="deal-lines">
        <Group justify="space-between" p="sm">
          <Text fw={600}>{t('lines.title')}</Text>
          <Group gap="xs">
            <Select size="xs" w={100} data={['USD', 'EUR', 'CNY', 'GBP', 'JPY']} value={currency} onChange={(x) => { if (x) { setCurrency(x); setDirty(true); } }} disabled={!canWrite} aria-label={t('prices.currency')} comboboxProps={{ withinPortal: true }} />
            {currency !== org.baseCurrency && (
              <TextInput size="xs" w={150} placeholder={t('lines.fxRate', { base: org.baseCurrency })} value={fxRate} onChange={(e) => { setFxRate(e.currentTarget.value); setDirty(true); }} disabled={!canWrite} aria-label={t('lines.fxRate', { base: org.baseCurrency })} />
            )}
          </Group>
        </Group>
        <Table verticalSpacing={4} data-testid="deal-lines-table" styles={{ td: { verticalAlign: 'top' } }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('lines.col.productId')}</Table.Th><Table.Th w={100}>{t('lines.col.quantity')}</Table.Th><Table.Th w={120}>{t('lines.col.unitPrice')}</Table.Th>
              <Table.Th w={80}>{t('lines.col.discountPct')}</Table.Th><Table.Th w={120} ta="right">{t('lines.col.lineTotal')}</Table.Th><Table.Th w={36} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => {
              const p = r.productId ? byId.get(r.productId) : undefined;
              return (
                <Table.Tr key={r.key} data-testid="deal-line">
                  <Table.Td>
                    <Select size="xs" data={options} value={r.productId} onChange={(x) => edit(r.key, { productId: x })} searchable placeholder={t('lines.pick')} disabled={!canWrite} aria-label={t('lines.col.productId')} comboboxProps={{ withinPortal: true }} nothingFoundMessage={t('lines.noProduct')} />
                    {p?.lifecycle === 'phased_out' && <Text size="xs" c="orange">{t('lines.phasedOut')}</Text>}
                    {/* A discount or a typed price needs its reason: asked for right under the product. */}
                    {(r.discountPct || r.unitPrice.trim() || r.discountReason) && (
                      <TextInput size="xs" mt={4} value={r.discountReason} placeholder={t('lines.reasonPlaceholder')} onChange={(e) => edit(r.key, { discountReason: e.currentTarget.value })} disabled={!canWrite} aria-label={t('lines.col.discountReason')} />
                    )}
                  </Table.Td>
                  <Table.Td>
                    <TextInput size="xs" value={r.quantity} ref={(el) => { qtyRefs.current.set(r.key, el); }} error={r.quantity && !QTY.test(r.quantity) ? ' ' : undefined}
                      onChange={(e) => edit(r.key, { quantity: e.currentTarget.value })} disabled={!canWrite} aria-label={t('lines.col.quantity')} rightSection={p ? <Text size="xs" c="dimmed">{p.unit}</Text> : null} rightSectionWidth={36}
                      onKeyDown={(e) => { if (e.key === 'Enter' && i === rows.length - 1) { e.preventDefault(); add(); } }} />
                  </Table.Td>
                  <Table.Td>
                    <TextInput size="xs" value={r.unitPrice} placeholder={computed[i]!.list ? trimPrice(computed[i]!.list!) : t('lines.noListPrice')} onChange={(e) => edit(r.key, { unitPrice: e.currentTarget.value })} disabled={!canWrite} aria-label={t('lines.col.unitPrice')} />
                  </Table.Td>
                  <Table.Td><TextInput size="xs" value={r.discountPct} placeholder="0" onChange={(e) => edit(r.key, { discountPct: e.currentTarget.value })} disabled={!canWrite} aria-label={t('lines.col.discountPct')} /></Table.Td>
                  <Table.Td ta="right"><Text size="sm" fw={500} data-testid="line-total">{computed[i]!.total ? money(computed[i]!.total, currency, lang) : '—'}</Text></Table.Td>
                  <Table.Td>{canWrite && <ActionIcon size="sm" variant="subtle" color="red" onClick={() => { setDirty(true); setRows((rs) => rs.filter((x) => x.key !== r.key)); }} aria-label={t('remove')}><IconTrash size={14} /></ActionIcon>}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {!rows.length && <Text size="sm" c="dimmed" px="sm" py="xs">{t('lines.empty')}</Text>}
        <Group justify="space-between" p="sm">
          {canWrite ? <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => { const k = add(); setFocusKey(k); }} data-testid="line-add">{t('lines.add')}</Button> : <span />}
          <Group gap="md">
            <Text size="sm" c="dimmed">{t('lines.total')}</Text>
            <Text size="lg" fw={700} data-testid="lines-total">{money(total, currency, lang)}</Text>
            {canWrite && <Button size="xs" onClick={() => void save()} loading={saving} disabled={!dirty} data-testid="lines-save">{t('save')}</Button>}
          </Group>
        </Group>
        {message && <Alert color={message.color} mx="sm" mb="sm" data-testid="lines-message">{message.text}</Alert>}
      </Card>
      <QuotesCard opportunityId={opportunityId} canQuote={!!lines.data?.lines.length && !dirty} />
    </Stack>
  );
}

const trimPrice = (p: string) => p.replace(/(\.\d\d\d*?)0+$/, '$1');

function QuotesCard({ opportunityId, canQuote }: { opportunityId: string; canQuote: boolean }) {
  const { t, i18n } = useTranslation(NS);
  const lang = i18n.language;
  const canWrite = useCanWrite();
  const quotes = useQuotes(opportunityId);
  const invalidate = useInvalidateDeal(opportunityId);
  const [language, setLanguage] = useState<string | null>(null);
  const [preview, setPreview] = useState<Quote | null>(null);
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setMessage(null);
    try {
      await fn();
      await Promise.all([quotes.refetch(), invalidate()]);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      setMessage({ color: 'red', text: e.fields.length ? e.fields.map((f) => f.message).join(' · ') : e.message });
    }
  };
  const create = () => act(() => api(`/opportunities/${opportunityId}/quotes`, { method: 'POST', body: language ? { language } : {} }));
  const move = (q: Quote, status: string) => act(() => api(`/quotes/${q.id}`, { method: 'PATCH', ifMatch: q.version, body: { status } }));
  const revise = (q: Quote) => act(() => api(`/quotes/${q.id}/revise`, { method: 'POST', body: {} }));
  const data = quotes.data?.data ?? [];
  return (
    <Card withBorder padding={0} data-testid="quotes">
      <Group justify="space-between" p="sm">
        <Text fw={600}>{t('quotes.title')}</Text>
        {canWrite && (
          <Group gap="xs">
            <Select size="xs" w={170} data={[{ value: '', label: t('quotes.accountLanguage') }, ...LANGS.map((l) => ({ value: l, label: t(`lang.${l}`) }))]} value={language ?? ''} onChange={(x) => setLanguage(x || null)} aria-label={t('quotes.language')} comboboxProps={{ withinPortal: true }} />
            <Tooltip label={t('quotes.needLines')} disabled={canQuote}>
              <Button size="xs" onClick={() => void create()} disabled={!canQuote} data-testid="quote-create">{t('quotes.create')}</Button>
            </Tooltip>
          </Group>
        )}
      </Group>
      <Table data-testid="quotes-table" styles={{ td: { whiteSpace: 'nowrap' }, th: { whiteSpace: 'nowrap' } }}>
        <Table.Thead><Table.Tr><Table.Th>{t('quotes.number')}</Table.Th><Table.Th>{t('quotes.status')}</Table.Th><Table.Th>{t('quotes.validUntil')}</Table.Th><Table.Th ta="right">{t('lines.total')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {data.map((q) => (
            <Table.Tr key={q.id} data-testid="quote-row">
              <Table.Td>
                <Group gap={4} wrap="nowrap"><Text size="sm" ff="monospace">{q.number}</Text>{q.revision > 1 && <Badge size="xs" variant="outline">{t('quotes.rev', { n: q.revision })}</Badge>}</Group>
                <Text size="xs" c="dimmed">{t(`lang.${q.language}`)}</Text>
              </Table.Td>
              <Table.Td><QuoteStatusBadge status={q.status} /></Table.Td>
              <Table.Td>{formatDate(q.validUntil, lang)}</Table.Td>
              <Table.Td ta="right">{money(q.total, q.currency, lang)}</Table.Td>
              <Table.Td>
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  <ActionIcon variant="subtle" onClick={() => setPreview(q)} aria-label={t('quotes.preview')} data-testid="quote-preview"><IconEye size={16} /></ActionIcon>
                  <ActionIcon variant="subtle" component="a" href={`/api/v1/quotes/${q.id}/pdf`} download aria-label={t('quotes.pdf')}><IconDownload size={16} /></ActionIcon>
                  {canWrite && q.status === 'draft' && <Button size="compact-xs" variant="light" onClick={() => void move(q, 'sent')} data-testid="quote-send">{t('quotes.send')}</Button>}
                  {canWrite && q.status === 'sent' && <Button size="compact-xs" color="green" onClick={() => void move(q, 'accepted')} data-testid="quote-accept">{t('quotes.accept')}</Button>}
                  {canWrite && q.status === 'sent' && <Button size="compact-xs" color="red" variant="light" onClick={() => void move(q, 'rejected')}>{t('quotes.reject')}</Button>}
                  {canWrite && q.status !== 'accepted' && <Button size="compact-xs" variant="subtle" onClick={() => void revise(q)}>{t('quotes.revise')}</Button>}
                  {q.orderId && <Anchor size="xs" component={Link} to={`/accounts/${q.accountId}`} data-testid="quote-order">{t('quotes.order')}</Anchor>}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {!data.length && <Text size="sm" c="dimmed" px="sm" py="xs">{t('quotes.empty')}</Text>}
      {message && <Alert color={message.color} m="sm" data-testid="quotes-message">{message.text}</Alert>}
      {preview && <QuotePreview quote={preview} onClose={() => setPreview(null)} />}
    </Card>
  );
}

function QuotePreview({ quote, onClose }: { quote: Quote; onClose: () => void }) {
  const { t } = useTranslation(NS);
  const [lang, setLang] = useState<string>(quote.language);
  return (
    <Modal opened onClose={onClose} size="xl" title={`${t('quotes.preview')} · ${quote.number}`}>
      <Stack>
        <Group justify="space-between">
          <SegmentedControl size="xs" data={LANGS.map((l) => ({ value: l, label: t(`lang.${l}`) }))} value={lang} onChange={setLang} data-testid="preview-lang" />
          <Button size="xs" component="a" href={`/api/v1/quotes/${quote.id}/pdf?lang=${lang}`} download leftSection={<IconDownload size={14} />} data-testid="quote-pdf">{t('quotes.pdf')}</Button>
        </Group>
        <iframe title={t('quotes.preview')} src={`/api/v1/quotes/${quote.id}/html?lang=${lang}`} style={{ width: '100%', height: 560, border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, background: 'white' }} data-testid="quote-frame" />
      </Stack>
    </Modal>
  );
}
