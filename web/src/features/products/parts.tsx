/** Small shared pieces of the product screens. */
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatAmount } from '../../../../src/features/products/quote-document.ts';
import type { QuoteLanguage } from '../../../../src/features/products/rules.ts';
import { NS } from './i18n.ts';

const LIFECYCLE_COLORS: Record<string, string> = { new: 'teal', current: 'blue', phased_out: 'orange' };
const STATUS_COLORS: Record<string, string> = { draft: 'gray', sent: 'blue', accepted: 'green', rejected: 'red', expired: 'orange' };

export function LifecycleBadge({ lifecycle }: { lifecycle: string }) {
  const { t } = useTranslation(NS);
  return <Badge variant="light" color={LIFECYCLE_COLORS[lifecycle] ?? 'gray'}>{t(`lifecycle.${lifecycle}`)}</Badge>;
}

export function QuoteStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation(NS);
  return <Badge variant="light" color={STATUS_COLORS[status] ?? 'gray'} data-testid="quote-status">{t(`status.${status}`)}</Badge>;
}

/** Exact money (decimal text, cents kept) in the UI language. */
export function money(value: string | null | undefined, currency: string | null | undefined, lang: string): string {
  if (value == null || !currency) return '—';
  return formatAmount(value, currency, (['en', 'zh-CN', 'zh-TW'].includes(lang) ? lang : 'en') as QuoteLanguage);
}

export const trimQty = (q: string) => (q.includes('.') ? q.replace(/\.?0+$/, '') : q);
