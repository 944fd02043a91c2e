/** Locale-aware formatting through Intl: every number, money amount and date the UI shows goes through here. */
export type Locale = 'en' | 'zh-CN' | 'zh-TW';
export const LOCALES: { value: Locale; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'zh-CN', label: '简体中文' },
  { value: 'zh-TW', label: '繁體中文' },
];

export function normalizeLocale(raw: string | null | undefined): Locale {
  if (!raw) return 'en';
  const l = raw.toLowerCase();
  if (l === 'zh-tw' || l === 'zh-hk' || l.startsWith('zh-hant')) return 'zh-TW';
  if (l.startsWith('zh')) return 'zh-CN';
  return 'en';
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function nf(locale: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(opts)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.NumberFormat(locale, opts)));
  return f;
}
function df(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(opts)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale, opts)));
  return f;
}

export function toNumber(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

export function formatNumber(v: unknown, locale: string, opts: Intl.NumberFormatOptions = {}): string {
  const n = toNumber(v);
  return n === null ? '' : nf(locale, opts).format(n);
}

export function formatMoney(v: unknown, currency: string | null | undefined, locale: string, compact = false): string {
  const n = toNumber(v);
  if (n === null) return '';
  const opts: Intl.NumberFormatOptions = currency && /^[A-Z]{3}$/.test(currency)
    ? { style: 'currency', currency, maximumFractionDigits: compact ? 1 : 0 }
    : { maximumFractionDigits: 0 };
  if (compact) opts.notation = 'compact';
  return nf(locale, opts).format(n);
}

/** A fraction as a percentage: 0.5 is 50 %, 1.45 is 145 % (every share the API sends is a fraction; a share of wallet may pass 100 %). */
export function formatPercent(v: unknown, locale: string): string {
  const n = toNumber(v);
  return n === null ? '' : nf(locale, { style: 'percent', maximumFractionDigits: 0 }).format(n);
}

/** Postgres text timestamps ("2026-11-23 02:25:14.5+00") into ISO 8601 that every engine parses. */
export function normalizeIso(s: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return `${s}T00:00:00`;
  return s.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T').replace(/([+-]\d{2})$/, '$1:00');
}

function parseDate(v: unknown): Date | null {
  if (v === null || v === undefined || v === '') return null;
  const d = v instanceof Date ? v : new Date(normalizeIso(String(v)));
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDate(v: unknown, locale: string): string {
  const d = parseDate(v);
  return d ? df(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(d) : '';
}

export function formatDateTime(v: unknown, locale: string): string {
  const d = parseDate(v);
  return d ? df(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d) : '';
}

/** "3 days ago", "in 2 hours" — in the user's language. */
export function formatRelative(v: unknown, locale: string, now: Date = new Date()): string {
  const d = parseDate(v);
  if (!d) return '';
  const diff = (d.getTime() - now.getTime()) / 1000;
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (abs < 60) return rtf.format(Math.round(diff), 'second');
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour');
  if (abs < 86400 * 30) return rtf.format(Math.round(diff / 86400), 'day');
  if (abs < 86400 * 365) return rtf.format(Math.round(diff / (86400 * 30)), 'month');
  return rtf.format(Math.round(diff / (86400 * 365)), 'year');
}

const regionNames = new Map<string, Intl.DisplayNames>();

/** Country names in the user's language from an ISO-3166 alpha-2 code. */
export function formatCountry(code: unknown, locale: string): string {
  if (typeof code !== 'string' || code.length !== 2) return code ? String(code) : '';
  try {
    // Constructing DisplayNames is far costlier than using one, and a list shows a country per row.
    let names = regionNames.get(locale);
    if (!names) regionNames.set(locale, (names = new Intl.DisplayNames([locale], { type: 'region' })));
    return names.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

export const COUNTRY_CODES = [
  'CN', 'TW', 'HK', 'US', 'DE', 'GB', 'FR', 'IT', 'ES', 'NL', 'JP', 'KR', 'SG', 'MY', 'TH', 'VN', 'ID', 'IN', 'AE', 'SA',
  'AU', 'NZ', 'CA', 'MX', 'BR', 'CL', 'ZA', 'NG', 'EG', 'TR', 'RU', 'PL', 'SE', 'NO', 'DK', 'FI', 'CH', 'AT', 'BE', 'PT',
];
