/**
 * Pure import rules: header → field suggestions, value parsing and per-row validation.
 * No I/O here: the pipeline feeds rows in and gets staging values or row errors out.
 */
import { AppError } from '../../kernel/errors.ts';
import { DEFAULT_VOCABULARIES, VOCABULARIES, type Vocabulary } from '../vocabularies/defaults.ts';
import { belongsToAccount, ENTITY_FIELDS, isLineEntity, namesAccount, namesProducts, SURVEY_LEVEL_FIELDS, type FieldType, type ImportEntity } from './fields.ts';
import { personKey } from '../users/rules.ts';
import { respondentScores, surveyLanguage, type Item, type Values } from '../surveys/rules.ts';

/** A problem with the file or the request as a whole (as opposed to one row): a 400 for the API. */
export class ImportError extends AppError {
  constructor(code: string, message: string, extra?: Record<string, unknown>) {
    super(400, code, message, undefined, extra);
  }
}

// ── Header mapping ──────────────────────────────────────────────────────────

/** Case, spacing and punctuation do not matter in headers: "E-mail", "email", "EMAIL " are one. */
export function normalizeHeader(h: string): string {
  return h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-./:()（）：#*'"]+/g, ' ')
    .trim()
    .replace(/ /g, '');
}

const aliasIndex = new Map<ImportEntity, Map<string, string>>();
function aliasesOf(entity: ImportEntity): Map<string, string> {
  let m = aliasIndex.get(entity);
  if (!m) {
    m = new Map();
    for (const f of ENTITY_FIELDS[entity]) {
      // The key itself ("full_name") always works, then the aliases; the first field to claim a spelling keeps it.
      for (const a of [f.key, ...f.aliases]) {
        const k = normalizeHeader(a);
        if (!m.has(k)) m.set(k, f.key);
      }
    }
    aliasIndex.set(entity, m);
  }
  return m;
}

/**
 * header → field key for every header we recognise; each field is suggested at most once (first column wins).
 * A custom field is suggested by its key or any of its labels ("Year established" → custom.year_established),
 * after the built-in fields.
 */
export function suggestMapping(entity: ImportEntity, headers: string[], custom: Pick<ImportCustomField, 'key' | 'label'>[] = [], items?: readonly Item[], inSurvey = false): Record<string, string> {
  const aliases = new Map(aliasesOf(entity));
  if (entity === 'survey_answers') {
    // Item columns: the export's `item.<id>`, the id, or the question's wording in any language — before
    // the fixed level slots, which a file counted in an Accord survey cannot use (its items are the survey's).
    for (const i of scoredItems(items)) {
      for (const a of [ITEM_PREFIX + i.id, i.id, ...Object.values(i.text)]) {
        const k = normalizeHeader(a);
        if (k) aliases.set(k, ITEM_PREFIX + i.id);
      }
    }
    if (inSurvey) for (const [k, v] of [...aliases]) if (LEVEL_SLOT_KEYS.has(v)) aliases.delete(k);
  }
  for (const f of custom) {
    // The export's header (custom.<key>), the key, the labels.
    for (const a of [CUSTOM_PREFIX + f.key, f.key, ...Object.values(f.label)]) {
      const k = normalizeHeader(a);
      if (k && !aliases.has(k)) aliases.set(k, CUSTOM_PREFIX + f.key);
    }
  }
  const taken = new Set<string>();
  const out: Record<string, string> = {};
  for (const h of headers) {
    const key = aliases.get(normalizeHeader(h));
    if (key && !taken.has(key) && !(h in out)) {
      out[h] = key;
      taken.add(key);
    }
  }
  return out;
}

// ── Vocabularies, countries, currencies ─────────────────────────────────────

/** Labels compare without case, spacing, underscores or hyphens: "Brand owner" = "brand_owner" = "BRAND-OWNER". */
export const normalizeLabel = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\s_-]+/g, '');

export type VocabTermRow = { vocabulary: string; key: string; label: Record<string, string> };
export type VocabLookup = Map<string, Map<string, string>>;

/** label-or-key → key per vocabulary. A vocabulary the organization has no terms for falls back to the defaults. */
export function buildVocabLookup(rows: VocabTermRow[]): VocabLookup {
  const byVocab = new Map<string, VocabTermRow[]>();
  for (const r of rows) byVocab.set(r.vocabulary, [...(byVocab.get(r.vocabulary) ?? []), r]);
  const out: VocabLookup = new Map();
  for (const v of VOCABULARIES) {
    const terms: VocabTermRow[] = byVocab.get(v) ?? DEFAULT_VOCABULARIES[v].map((t) => ({ vocabulary: v, key: t.key, label: t.label }));
    const m = new Map<string, string>();
    for (const t of terms) m.set(normalizeLabel(t.key), t.key);
    for (const t of terms) for (const l of Object.values(t.label)) if (l && !m.has(normalizeLabel(l))) m.set(normalizeLabel(l), t.key);
    out.set(v, m);
  }
  return out;
}

// Officially assigned ISO 3166-1 alpha-2 codes; names in English and Chinese come from ICU.
const ISO_COUNTRIES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ ' +
  'DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT ' +
  'JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI ' +
  'NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK ' +
  'TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');
const COUNTRY_ALIASES: Record<string, string> = {
  usa: 'US', 'u.s.a.': 'US', 'u.s.': 'US', america: 'US', 'united states of america': 'US', uk: 'GB', 'great britain': 'GB', england: 'GB',
  'mainland china': 'CN', prc: 'CN', "people's republic of china": 'CN', 中国大陆: 'CN', 大陆: 'CN', 內地: 'CN', 内地: 'CN', 台湾: 'TW', 臺灣: 'TW',
  香港: 'HK', 澳门: 'MO', 澳門: 'MO', 'south korea': 'KR', korea: 'KR', 韩国: 'KR', 韓國: 'KR', russia: 'RU', vietnam: 'VN', uae: 'AE',
};
let countryIndex: Map<string, string> | undefined;
function countries(): Map<string, string> {
  if (countryIndex) return countryIndex;
  const m = new Map<string, string>();
  const namers = ['en', 'zh-Hans', 'zh-Hant', 'de', 'fr', 'es'].map((l) => new Intl.DisplayNames([l], { type: 'region', fallback: 'none' }));
  for (const code of ISO_COUNTRIES) {
    m.set(code.toLowerCase(), code);
    for (const n of namers) {
      const name = n.of(code);
      if (name && !m.has(normalizeLabel(name))) m.set(normalizeLabel(name), code);
    }
  }
  for (const [k, v] of Object.entries(COUNTRY_ALIASES)) m.set(normalizeLabel(k), v);
  countryIndex = m;
  return m;
}
export const countryCode = (s: string): string | undefined => countries().get(normalizeLabel(s));

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const CURRENCY_ALIASES: Record<string, string> = {
  rmb: 'CNY', 人民币: 'CNY', 人民幣: 'CNY', 元: 'CNY', '¥': 'CNY', '￥': 'CNY', 美元: 'USD', 'us$': 'USD', $: 'USD', 欧元: 'EUR', 歐元: 'EUR', '€': 'EUR',
  日元: 'JPY', 日圓: 'JPY', 港币: 'HKD', 港幣: 'HKD', 港元: 'HKD', 新台币: 'TWD', 新台幣: 'TWD', ntd: 'TWD', 英镑: 'GBP', 英鎊: 'GBP', '£': 'GBP',
};
export function currencyCode(s: string): string | undefined {
  const up = s.trim().toUpperCase();
  if (/^[A-Z]{3}$/.test(up) && CURRENCIES.has(up)) return up;
  return CURRENCY_ALIASES[s.trim().toLowerCase()];
}

// ── Value parsers ───────────────────────────────────────────────────────────

type Parsed = { ok: true; value: string } | { ok: false; message: string };
const ok = (value: string): Parsed => ({ ok: true, value });
const bad = (message: string): Parsed => ({ ok: false, message });

/**
 * A file's own values → the organization's: `{ industry: { "Tech": "technology", "n/a": null } }`;
 * a stage-like value may set several fields at once (`{ buying_stage: { "Closed Won": { status: "won",
 * buying_stage: "purchase" } } }`). Values are compared as normalizeLabel does; null empties the cell.
 */
export type ValueMap = Record<string, Record<string, string | null | Record<string, string | null>>>;

export type RuleContext = {
  vocab: VocabLookup;
  baseCurrency: string;
  valueMap?: ValueMap;
  /** A record without any account reference goes to this account (created when missing) instead of being rejected. */
  placeholderAccount?: string;
  /** How to read dates like 03/05/2026 (a Salesforce export in a US locale): rejected as ambiguous unless told. */
  dateOrder?: 'ymd' | 'mdy' | 'dmy';
  /** The organization's custom fields of the imported entity: mapping targets `custom.<key>`. */
  customFields?: ImportCustomField[];
  /**
   * Survey results: the questionnaire the file's item columns are mapped to (`item.<id>`): the items of
   * the Accord survey the import names (its `survey`), or else the organization's item bank.
   */
  surveyItems?: Item[];
  /** The Accord survey (and version) the imported answers count in, when the import names one. */
  survey?: { id: string; versionId: string; name: string };
};

/** Mapping targets of survey items: `item.<id>` (the survey export's headers). */
export const ITEM_PREFIX = 'item.';
/** The items a column can be mapped to: those with a score (the free-text item is the `comment` column). */
export const scoredItems = (items: readonly Item[] | undefined) => (items ?? []).filter((i) => i.kind !== 'text');

/** A custom field as the import sees it (the definition of features/custom-fields, labels per locale). */
export type ImportCustomField = { key: string; type: 'text' | 'number' | 'date' | 'select' | 'multiselect' | 'boolean'; options: string[]; required: boolean; label: Record<string, string> };

export const CUSTOM_PREFIX = 'custom.';

const EMAIL_RE = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]{2,}$/u;
const HOST_RE = /^(?=.{1,253}$)([\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$/u;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "https://www.Acme.com/about" → "acme.com": the key accounts are matched on. */
export function domainOf(s: string): string | undefined {
  let h = s.trim().toLowerCase();
  if (!h) return undefined;
  h = h.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^[^@/]*@/, '');
  h = h.split(/[/?#:]/)[0] ?? '';
  h = h.replace(/^www\d?\./, '').replace(/\.$/, '');
  return HOST_RE.test(h) ? h : undefined;
}

/** "1,234.56", "1.234,56", "¥ 12 000", "(500)" → canonical decimal text. */
export function parseDecimal(s: string): string | undefined {
  let t = s.trim().replace(/[\s\u00a0'’]/g, '').replace(/^[A-Za-z]{3}(?=[-\d.(])|[A-Za-z]{3}$/, '').replace(/[$€£¥￥元]/g, '');
  let neg = false;
  if (/^\(.*\)$/.test(t)) {
    neg = true;
    t = t.slice(1, -1);
  }
  if (t.startsWith('-')) {
    neg = !neg;
    t = t.slice(1);
  } else if (t.startsWith('+')) t = t.slice(1);
  const lastDot = t.lastIndexOf('.');
  const lastComma = t.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    // Whichever comes last is the decimal separator.
    t = lastDot > lastComma ? t.replace(/,/g, '') : t.replace(/\./g, '').replace(',', '.');
  } else if (lastComma >= 0) {
    t = /^\d{1,3}(,\d{3})+$/.test(t) ? t.replace(/,/g, '') : /^\d+,\d+$/.test(t) ? t.replace(',', '.') : t;
  } else if (/^\d{1,3}(\.\d{3}){2,}$/.test(t)) t = t.replace(/\./g, '');
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(t)) return undefined;
  t = t.replace(/^0+(?=\d)/, '');
  if (t.startsWith('.')) t = '0' + t;
  if (t.endsWith('.')) t = t.slice(0, -1);
  return (neg && !/^0(\.0*)?$/.test(t) ? '-' : '') + t;
}

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1000 || y > 9999) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}
const pad = (n: number | string, w = 2) => String(n).padStart(w, '0');

/** Day and month first ("3/31/2026 10:00 AM"), read in the order the import was told; the time is dropped. */
function dayMonthFirst(t: string, order: 'mdy' | 'dmy'): string | undefined {
  const m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T\s,].*)?$/.exec(t);
  if (!m) return undefined;
  const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [mo, d] = order === 'mdy' ? [a, b] : [b, a];
  return validYmd(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : undefined;
}

/** Unambiguous dates: year first (2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305); month/day first only with an order given. */
export function parseDate(s: string, order: 'ymd' | 'mdy' | 'dmy' = 'ymd'): string | undefined {
  const t = s.trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s].*)?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return order === 'ymd' ? undefined : dayMonthFirst(t, order);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validYmd(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : undefined;
}

/** A date and time; without a zone it is read as UTC, a bare date as midnight UTC. */
export function parseTimestamp(s: string): string | undefined {
  const t = s.trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i.exec(t);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!validYmd(y, mo, d)) return undefined;
  const hh = Number(m[4] ?? 0);
  const mi = Number(m[5] ?? 0);
  const ss = Number(m[6] ?? 0);
  if (hh > 23 || mi > 59 || ss > 60) return undefined;
  let zone = (m[8] ?? 'Z').toUpperCase();
  if (zone.length === 3) zone += ':00';
  else if (zone !== 'Z' && !zone.includes(':')) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return `${y}-${pad(mo)}-${pad(d)}T${pad(hh)}:${pad(mi)}:${pad(ss)}${m[7] ?? ''}${zone === 'Z' ? '+00:00' : zone}`;
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'x', 'on', '是', '对', '對', 'ja', 'oui', 'si', 'sí']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off', '否', '不', 'nein', 'non']);

/** Lists in one cell: "a; b, c" (ASCII or full-width separators). Stored with \x1f between items for COPY. */
export const LIST_SEP = '\x1f';
export function splitList(s: string): string[] {
  // eslint-disable-next-line no-control-regex -- \x1f is LIST_SEP
  return [...new Set(s.split(/[;,，；|、\n\x1f]/).map((x) => x.trim()).filter(Boolean))];
}

/** A list whose items may hold commas (product names): split on semicolons (ASCII, full-width), pipes and line breaks only. */
export function splitStrictList(s: string): string[] {
  // eslint-disable-next-line no-control-regex -- \x1f is LIST_SEP
  return [...new Set(s.split(/[;；|\n\x1f]/).map((x) => x.trim()).filter(Boolean))];
}

/** Cells other survey tools write for "don't know" / "not applicable" (compared after NFKC, lower case, no spaces). */
const DONT_KNOW = new Set(['dk', 'dontknow', "don'tknow", 'don’tknow', 'donotknow', 'unknown', 'n/a', 'na', 'n.a.', 'notapplicable', 'noanswer', 'noopinion', '-', '--', '—', '?',
  '不知道', '不清楚', '不了解', '无法回答', '無法回答', '不适用', '不適用', '无意见', '無意見', '说不清', '說不清', '不确定', '不確定']);
/** Agreement labels a tool may export instead of numbers (English, 简体, 繁體). */
const AGREE_LABELS: Record<string, number> = {
  stronglydisagree: 1, disagree: 2, neutral: 3, neither: 3, neitheragreenordisagree: 3, agree: 4, stronglyagree: 5,
  非常不同意: 1, 完全不同意: 1, 不同意: 2, 中立: 3, 一般: 3, 普通: 3, 同意: 4, 非常同意: 5, 完全同意: 5,
};

/**
 * One survey cell on a scale (0–10, or 1–5 with "don't know"): `7`, `5.0`, full-width `９`, "10 - Extremely
 * likely", "Strongly agree"/"非常同意". Returns the whole number as text, `dk` for "don't know" (agreement
 * items only; on a 0–10 question it is no answer: ''), or why it is not an answer. Blank cells never get here.
 */
export function parseScale(raw: string, type: { min: number; max: number; dontKnow: boolean }): Parsed {
  const t = raw.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '');
  if (DONT_KNOW.has(t)) return ok(type.dontKnow ? 'dk' : '');
  const range = `a whole number from ${type.min} to ${type.max}${type.dontKnow ? ' or "don\'t know"' : ''}`;
  if (type.dontKnow && AGREE_LABELS[t] !== undefined) return ok(String(AGREE_LABELS[t]));
  // "10 - Extremely likely", "4（同意）": a leading number with its label.
  const m = /^([+]?\d+(?:[.,]\d+)?)(?:$|[-–—:：(（=]|分|点|點)/.exec(t);
  if (!m) return bad(`"${raw.trim()}" is not ${range}`);
  const n = Number(m[1]!.replace(',', '.'));
  if (!Number.isInteger(n)) return bad(`"${raw.trim()}" is not a whole number (${range})`);
  if (n < type.min || n > type.max) return bad(`${n} is outside ${type.min}–${type.max}`);
  return ok(String(n));
}

export function parseValue(type: FieldType, raw: string, ctx: RuleContext): Parsed {
  const s = raw.trim();
  switch (type.kind) {
    case 'text':
      return type.max && s.length > type.max ? bad(`longer than ${type.max} characters`) : ok(s);
    case 'email':
      return EMAIL_RE.test(s) && s.length <= 320 ? ok(s) : bad(`"${s}" is not an email address`);
    case 'domain': {
      const d = domainOf(s);
      return d ? ok(d) : bad(`"${s}" is not a domain`);
    }
    case 'url':
      return s.length <= 2000 && domainOf(s) ? ok(s) : bad(`"${s}" is not a web address`);
    case 'uuid':
      return UUID_RE.test(s) ? ok(s.toLowerCase()) : bad(`"${s}" is not an id`);
    case 'int': {
      const t = s.replace(/[,\s]/g, '');
      if (!/^[-+]?\d+$/.test(t)) return bad(`"${s}" is not a whole number`);
      const n = Number(t);
      if (!Number.isSafeInteger(n) || n > 2_147_483_647 || n < -2_147_483_648) return bad(`"${s}" is too large`);
      if (type.min !== undefined && n < type.min) return bad(`must be at least ${type.min}`);
      return ok(String(n));
    }
    case 'money':
    case 'rate': {
      const d = parseDecimal(s);
      if (d === undefined) return bad(`"${s}" is not a number`);
      const [int = '', frac = ''] = d.replace('-', '').split('.');
      if (type.kind === 'money' && int.length > 16) return bad(`"${s}" is too large`);
      if (type.kind === 'rate') {
        if (int.length > 10) return bad(`"${s}" is too large`);
        if (d.startsWith('-') || /^0(\.0*)?$/.test(d)) return bad('must be greater than 0');
        if (frac.length > 8 && /^0*$/.test((int + frac.slice(0, 8)).replace('.', ''))) return bad('too small');
      }
      return ok(d);
    }
    case 'currency': {
      const c = currencyCode(s);
      return c ? ok(c) : bad(`"${s}" is not an ISO 4217 currency code`);
    }
    case 'date': {
      const d = parseDate(s, ctx.dateOrder);
      return d ? ok(d) : bad(`"${s}" is not a date (use YYYY-MM-DD)`);
    }
    case 'timestamp': {
      const dm = ctx.dateOrder && ctx.dateOrder !== 'ymd' ? parseDate(s, ctx.dateOrder) : undefined;
      const d = parseTimestamp(s) ?? (dm ? `${dm}T00:00:00+00:00` : undefined);
      return d ? ok(d) : bad(`"${s}" is not a date and time (use YYYY-MM-DD HH:MM, ISO 8601)`);
    }
    case 'bool': {
      const l = s.toLowerCase();
      return TRUE.has(l) ? ok('true') : FALSE.has(l) ? ok('false') : bad(`"${s}" is not yes/no`);
    }
    case 'country': {
      const c = countryCode(s);
      return c ? ok(c) : bad(`"${s}" is not a country (ISO code or name)`);
    }
    case 'list':
      return ok((type.strict ? splitStrictList(s) : splitList(s)).join(LIST_SEP));
    case 'vocab': {
      const key = ctx.vocab.get(type.vocabulary)?.get(normalizeLabel(s));
      return key ? ok(key) : bad(`"${s}" is not a known ${type.vocabulary.replace(/_/g, ' ')}`);
    }
    case 'enum': {
      const n = normalizeLabel(s);
      const c = type.choices.find((c) => normalizeLabel(c.key) === n || c.labels.some((l) => normalizeLabel(l) === n));
      return c ? ok(c.key) : bad(`"${s}" is not one of ${type.choices.map((c) => c.key).join(', ')}`);
    }
    case 'scale':
      return parseScale(s, type);
  }
}

/**
 * A file's text for a custom field, as the value the API would store: numbers as numbers, dates as
 * YYYY-MM-DD (in the import's date order), yes/no as booleans, choices matched to the field's options
 * without regard to case or spacing (stored as the option is written), several choices split like lists.
 */
export function parseCustomValue(f: ImportCustomField, raw: string, ctx: RuleContext): { ok: true; value: unknown } | { ok: false; message: string } {
  const s = raw.trim();
  const option = (v: string) => f.options.find((o) => o === v) ?? f.options.find((o) => normalizeLabel(o) === normalizeLabel(v));
  switch (f.type) {
    case 'text':
      return s.length <= 10_000 ? { ok: true, value: s } : { ok: false, message: 'longer than 10000 characters' };
    case 'number': {
      // Spreadsheets write large and small numbers in scientific notation (1.5E+06).
      const d = parseDecimal(s) ?? (/^[-+]?(\d+\.?\d*|\.\d+)e[-+]?\d+$/i.test(s) ? s : undefined);
      const n = d === undefined ? NaN : Number(d);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `"${s}" is not a number` };
    }
    case 'date': {
      const d = parseDate(s, ctx.dateOrder);
      return d ? { ok: true, value: d } : { ok: false, message: `"${s}" is not a date (use YYYY-MM-DD)` };
    }
    case 'boolean': {
      const l = s.toLowerCase();
      return TRUE.has(l) ? { ok: true, value: true } : FALSE.has(l) ? { ok: true, value: false } : { ok: false, message: `"${s}" is not yes/no` };
    }
    case 'select': {
      const o = option(s);
      return o !== undefined ? { ok: true, value: o } : { ok: false, message: `"${s}" is not one of ${f.options.join(', ')}` };
    }
    case 'multiselect': {
      const parts = splitList(s);
      const bad = parts.filter((p) => option(p) === undefined);
      if (bad.length) return { ok: false, message: `"${bad[0]}" is not one of ${f.options.join(', ')}` };
      return { ok: true, value: [...new Set(parts.map((p) => option(p)!))] };
    }
  }
}

// ── Row validation ──────────────────────────────────────────────────────────

export type StagedValues = Record<string, string | null>;
export type RowCheck = { ok: true; values: StagedValues } | { ok: false; errors: { field: string | null; message: string }[] };

/** Legal-form words that do not tell two companies apart ("Acme Ltd" = "ACME Limited" = "Acme"). */
const LEGAL_FORMS = /\b(incorporated|inc|corporation|corp|company|co|limited|ltd|llc|llp|plc|gmbh|ag|sa|sas|srl|spa|bv|nv|oy|ab|as|pte|pty|kk)\b\.?/g;
const CJK_LEGAL_FORMS = /(股份有限公司|有限责任公司|有限責任公司|有限公司|集团|集團|公司)$/;
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(CJK_LEGAL_FORMS, '')
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(LEGAL_FORMS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const ACCOUNT_REF_KEYS = ['account_id', 'account', 'account_domain', 'account_external_id'];

/** The imported survey answer as the questionnaire Accord scores: the file's columns are the items. */
const SURVEY_ITEMS: Item[] = [
  { id: 'satisfaction', kind: 'score10', role: 'satisfaction', text: { en: '', 'zh-CN': '', 'zh-TW': '' } },
  { id: 'continue', kind: 'score10', role: 'continue', text: { en: '', 'zh-CN': '', 'zh-TW': '' } },
  { id: 'recommend', kind: 'score10', role: 'recommend', text: { en: '', 'zh-CN': '', 'zh-TW': '' } },
  ...SURVEY_LEVEL_FIELDS.map(({ key, level }): Item => ({ id: key, kind: 'agree5', level, text: { en: '', 'zh-CN': '', 'zh-TW': '' } })),
];
const SURVEY_SCORE_KEYS = new Set(SURVEY_ITEMS.map((i) => i.id));
const LEVEL_SLOT_KEYS = new Set(SURVEY_LEVEL_FIELDS.map((f) => f.key));
const RATIONAL_KEYS = { satisfaction: 'satisfaction', continue: 'continue', recommend: 'recommend' } as const;

const cell = (x: string | null | undefined): number | null | undefined => (x === null || x === undefined || x === '' ? undefined : x === 'dk' ? null : Number(x));

/**
 * A staged survey row's answers (item id → value, null for "don't know") and its scores, by surveys/rules
 * respondentScores. Columns mapped to items (`item.<id>`) are answers to those items; the fixed
 * `satisfaction` / `continue` / `recommend` columns answer the questionnaire's first item of that role
 * when no item column did; the fixed level slots (`confidence_1`…) are items of their own (files of
 * other tools, whose questions are not ours — never with an Accord survey, resolveColumns refuses them).
 */
export function surveyRowScores(v: StagedValues, items?: readonly Item[]) {
  const values: Values = {};
  const bank = scoredItems(items);
  for (const i of bank) {
    const x = cell(v[ITEM_PREFIX + i.id]);
    if (x !== undefined) values[i.id] = x;
  }
  const slots: Item[] = [];
  for (const [role, key] of Object.entries(RATIONAL_KEYS) as [keyof typeof RATIONAL_KEYS, string][]) {
    const x = cell(v[key]);
    if (x === undefined) continue;
    const item = bank.find((i) => i.kind === 'score10' && i.role === role);
    if (item) {
      if (!(item.id in values)) values[item.id] = x;
    } else {
      values[key] = x;
      slots.push(SURVEY_ITEMS.find((i) => i.id === key)!);
    }
  }
  for (const key of LEVEL_SLOT_KEYS) {
    const x = cell(v[key]);
    if (x === undefined) continue;
    values[key] = x;
    slots.push(SURVEY_ITEMS.find((i) => i.id === key)!);
  }
  return { values, scores: respondentScores([...bank, ...slots], values) };
}

/**
 * Resolves a mapping (header → field) against the file's headers. Unknown target fields, a field
 * mapped twice and missing required columns are file-level errors (thrown), not row errors.
 */
export function resolveColumns(
  entity: ImportEntity, headers: string[], mapping: Record<string, string>,
  opts: { accountOptional?: boolean; customFields?: ImportCustomField[]; surveyItems?: Item[]; inSurvey?: boolean } = {},
): { index: number; key: string }[] {
  const defs = new Map<string, { required?: boolean }>(ENTITY_FIELDS[entity].map((f) => [f.key, f]));
  for (const f of opts.customFields ?? []) defs.set(CUSTOM_PREFIX + f.key, { required: f.required });
  const itemKeys = entity === 'survey_answers' ? scoredItems(opts.surveyItems).map((i) => ITEM_PREFIX + i.id) : [];
  for (const k of itemKeys) defs.set(k, {});
  if (entity === 'survey_answers' && opts.inSurvey) {
    for (const [header, key] of Object.entries(mapping)) {
      if (LEVEL_SLOT_KEYS.has(key)) throw new ImportError('invalid_mapping', `Column "${header}": answers counted in an Accord survey go to its items (item.<id>), not to "${key}"`);
    }
  }
  const columns: { index: number; key: string }[] = [];
  for (const [header, key] of Object.entries(mapping)) {
    if (!key) continue;
    if (!defs.has(key)) {
      throw new ImportError('invalid_mapping', key.startsWith(CUSTOM_PREFIX)
        ? `"${key}" is not a custom field of ${entity} (column "${header}"): add it under Settings → Custom fields first`
        : `"${key}" is not a field of ${entity} (column "${header}")`);
    }
    if (columns.some((c) => c.key === key)) throw new ImportError('invalid_mapping', `Two columns are mapped to "${key}"`);
    const index = headers.indexOf(header);
    if (index < 0) throw new ImportError('invalid_mapping', `The file has no column "${header}"`);
    columns.push({ index, key });
  }
  const seen = new Set(columns.map((c) => c.key));
  const missing = [...defs].filter(([k, d]) => d.required && !seen.has(k)).map(([k]) => k);
  if (entity === 'contacts' && !['full_name', 'first_name', 'last_name', 'email'].some((k) => seen.has(k))) missing.push('full_name (or first_name/last_name)');
  // Feedback may come from someone unknown (a reviewer's nickname): the row rules check each row names someone.
  if (entity === 'feedback' && ![...ACCOUNT_REF_KEYS, 'contact_email', 'person_name'].some((k) => seen.has(k))) missing.push('account, contact_email or person_name');
  if (entity === 'survey_answers') {
    // Who answered: an email, or a name with the account (the same name may work at several customers).
    if (!seen.has('contact_email') && !seen.has('contact_name')) missing.push('contact_email (or contact_name with account)');
    else if (!seen.has('contact_email') && !ACCOUNT_REF_KEYS.some((k) => seen.has(k))) missing.push('account (a contact_name is looked up at its account)');
    if (![...SURVEY_SCORE_KEYS, ...itemKeys].some((k) => seen.has(k))) missing.push('recommend or an item score (satisfaction, continue, an item of the questionnaire, confidence_1…passion_4)');
  }
  if (belongsToAccount(entity) && entity !== 'contacts' && entity !== 'feedback' && !opts.accountOptional && !ACCOUNT_REF_KEYS.some((k) => seen.has(k))) missing.push('account (or account_id/account_domain/account_external_id)');
  if (namesProducts(entity) && entity !== 'opportunities' && !seen.has('product_code') && !seen.has('product')) missing.push('product_code (or product)');
  if (entity === 'deal_lines' && !seen.has('opportunity_id') && !seen.has('opportunity')) missing.push('opportunity (or opportunity_id)');
  if (entity === 'order_lines' && !seen.has('order_number') && !seen.has('order_id')) missing.push('order_number (or order_id)');
  if (missing.length) throw new ImportError('invalid_mapping', `Map a column to: ${missing.join(', ')}`, { missing });
  return columns;
}

/**
 * The validator for one import: the fields present in the input (mapped columns, or what vCards
 * carry) are parsed one by one, then the row-level rules run on a row whose fields all parsed.
 * Plain code rather than a zod object per row: zod's per-row overhead was 15 µs, 90 % of validation
 * (1.6 s of every 100k rows); the issues, their order and the values are the same.
 */
export function makeRowValidator(entity: ImportEntity, ctx: RuleContext, keys?: string[]) {
  // A CSV file has a fixed set of columns: only those (and the required fields) are checked.
  // A value map may fill fields the file has no column for (a stage column's "Closed Won" → status).
  const filled = new Set(Object.values(ctx.valueMap ?? {}).flatMap((m) => Object.values(m).flatMap((to) => (to && typeof to === 'object' ? Object.keys(to) : []))));
  const defs = ENTITY_FIELDS[entity].filter((def) => !keys || def.required || keys.includes(def.key) || filled.has(def.key));
  // Custom fields: the mapped ones, and the required ones (a row without them is refused, as by the API).
  const customs = (ctx.customFields ?? []).filter((f) => !keys || f.required || keys.includes(CUSTOM_PREFIX + f.key));
  // Survey items mapped to columns, each on its own scale (0–10, or 1–5 with "don't know").
  const itemDefs = entity !== 'survey_answers' ? [] : scoredItems(ctx.surveyItems)
    .filter((i) => !keys || keys.includes(ITEM_PREFIX + i.id))
    .map((i) => ({ key: ITEM_PREFIX + i.id, type: (i.kind === 'score10' ? { kind: 'scale', min: 0, max: 10, dontKnow: false } : { kind: 'scale', min: 1, max: 5, dontKnow: true }) as FieldType }));
  const valueMap = compileValueMap(ctx.valueMap);
  return (given: Record<string, string | undefined>): RowCheck => {
    const input = valueMap ? applyValueMap(valueMap, given) : given;
    const values: StagedValues = {};
    let errors: { field: string | null; message: string }[] | undefined;
    for (const def of defs) {
      const raw = input[def.key];
      if (raw === undefined || raw.trim() === '') {
        if (def.required) (errors ??= []).push({ field: def.key, message: 'required' });
        values[def.key] = null;
        continue;
      }
      const p = parseValue(def.type, raw, ctx);
      if (!p.ok) (errors ??= []).push({ field: def.key, message: p.message });
      else values[def.key] = p.value === '' ? null : p.value;
    }
    for (const def of itemDefs) {
      const raw = input[def.key];
      if (raw === undefined || raw.trim() === '') continue;
      const p = parseValue(def.type, raw, ctx);
      if (!p.ok) (errors ??= []).push({ field: def.key, message: p.message });
      else values[def.key] = p.value === '' ? null : p.value;
    }
    if (customs.length) {
      const out: Record<string, unknown> = {};
      for (const f of customs) {
        const raw = input[CUSTOM_PREFIX + f.key];
        if (raw === undefined || raw.trim() === '') {
          if (f.required) (errors ??= []).push({ field: CUSTOM_PREFIX + f.key, message: 'required' });
          continue;
        }
        const p = parseCustomValue(f, raw, ctx);
        if (!p.ok) (errors ??= []).push({ field: CUSTOM_PREFIX + f.key, message: p.message });
        else out[f.key] = p.value;
      }
      values.custom = Object.keys(out).length ? JSON.stringify(out) : null;
    }
    // Row rules see only rows whose fields are all valid (as a zod refinement after its fields would).
    if (!errors) errors = rowRules(entity, values, ctx);
    if (errors.length) return { ok: false, errors: errors.slice(0, 50) };
    return { ok: true, values: derive(entity, values, ctx) };
  };
}

/** CSV record → validator input through the resolved columns; a row of the wrong width is an error of its own. */
export function csvRowInput(columns: { index: number; key: string }[], width: number, record: string[]): Record<string, string | undefined> | string {
  if (record.length !== width) return `expected ${width} columns, found ${record.length}`;
  const input: Record<string, string | undefined> = {};
  for (const c of columns) input[c.key] = record[c.index];
  return input;
}

function rowRules(entity: ImportEntity, v: StagedValues, ctx: RuleContext): { field: string | null; message: string }[] {
  const errors: { field: string | null; message: string }[] = [];
  const issue = (field: string | null, message: string) => errors.push({ field, message });
  if (entity === 'contacts' && !v.full_name && !v.first_name && !v.last_name && !v.email) issue('full_name', 'a contact needs a name or an email');
  if (entity === 'feedback') {
    if (!v.account_id && !v.account && !v.account_domain && !v.account_external_id && !v.contact_email && !v.person_name && !ctx.placeholderAccount) {
      issue('person_name', 'say who spoke: an account, a contact email or a name');
    }
    if (v.rating && v.rating.startsWith('-')) issue('rating', 'must not be negative');
    const scale = v.rating_scale ? Number(v.rating_scale) : v.rating && Number(v.rating) <= 5 ? 5 : v.rating && Number(v.rating) <= 10 ? 10 : 100;
    if (v.rating && Number(v.rating) > scale) issue('rating', `above its scale (${scale})`);
    if (v.occurred_at && Date.parse(v.occurred_at) > Date.now() + 86_400_000) issue('occurred_at', 'must not be in the future');
  }
  if (namesProducts(entity)) productRowRules(entity, v, issue);
  if (entity === 'survey_answers') {
    const hasAccount = !!(v.account_id || v.account || v.account_domain || v.account_external_id);
    if (!v.contact_email && !(v.contact_name && hasAccount)) issue('contact_email', 'say who answered: an email, or a name with the account');
    if (!Object.keys(surveyRowScores(v, ctx.surveyItems).values).length) issue('recommend', 'no answer in this row (every score is empty)');
    if (v.answered_at && Date.parse(v.answered_at) > Date.now() + 86_400_000) issue('answered_at', 'must not be in the future');
  }
  if (belongsToAccount(entity) && entity !== 'contacts' && entity !== 'feedback' && !v.account_id && !v.account && !v.account_domain && !v.account_external_id && !ctx.placeholderAccount) {
    issue('account', 'required (name, domain or id of the account)');
  }
  if (entity === 'orders') {
    const currency = v.currency ?? ctx.baseCurrency;
    if (currency !== ctx.baseCurrency && !v.fx_rate) issue('fx_rate', `required when the currency (${currency}) is not the base currency (${ctx.baseCurrency})`);
  }
  if (entity === 'interactions' && v.contact_email) {
    const bad = v.contact_email.split(LIST_SEP).find((e) => !EMAIL_RE.test(e) || e.length > 320);
    if (bad) issue('contact_email', `"${bad}" is not an email address`);
  }
  if (entity === 'opportunities' && v.amount && v.amount.startsWith('-')) issue('amount', 'must not be negative');
  if (entity === 'orders' && v.amount && v.amount.startsWith('-')) issue('amount', 'must not be negative');
  if (entity === 'opportunities' && v.lost_reason && v.status && v.status !== 'lost') issue('lost_reason', 'only a lost opportunity has a lost reason');
  if (entity === 'opportunities') {
    const soon = Date.now() + 86_400_000;
    if (v.opened_at && Date.parse(v.opened_at) > soon) issue('opened_at', 'must not be in the future');
    const closed = v.status === 'won' || v.status === 'lost';
    if (closed && v.closed_at && Date.parse(v.closed_at) > soon) issue('closed_at', 'a won or lost deal cannot close in the future');
    if (closed && v.closed_at && v.opened_at && Date.parse(v.closed_at) < Date.parse(v.opened_at)) issue('closed_at', 'must not be before opened_at');
  }
  return errors;
}

const positive = (d: string | null | undefined) => !!d && !d.startsWith('-') && !/^0(\.0*)?$/.test(d);

/** A row that names a product: the product, a quantity above zero, a discount of 0–100 %, no negative price, its deal or order. */
function productRowRules(entity: ImportEntity, v: StagedValues, issue: (field: string | null, message: string) => void) {
  const named = !!(v.product_code || v.product);
  if (entity === 'opportunities') {
    // Only a deal with a product gets a line; line columns without one would be lost.
    if (!named) {
      for (const k of ['quantity', 'unit_price', 'discount_pct', 'discount_reason'] as const) if (v[k]) issue(k, 'needs a product (product_code or product) on the row');
      return;
    }
  } else if (!named) issue('product_code', 'required (the product\'s code or name)');
  if (v.quantity && !positive(v.quantity)) issue('quantity', 'must be greater than 0');
  if (v.min_quantity && !positive(v.min_quantity)) issue('min_quantity', 'must be greater than 0');
  if (v.unit_price && v.unit_price.startsWith('-')) issue('unit_price', 'must not be negative');
  if (v.discount_pct && (v.discount_pct.startsWith('-') || Number(v.discount_pct) > 100)) issue('discount_pct', 'must be between 0 and 100');
  const intDigits = (d: string) => d.replace('-', '').split('.')[0]!.length;
  if (v.quantity && intDigits(v.quantity) > 11) issue('quantity', 'too large');
  if (v.min_quantity && intDigits(v.min_quantity) > 11) issue('min_quantity', 'too large');
  if (v.unit_price && intDigits(v.unit_price) > 14) issue('unit_price', 'too large');
  if (v.line_no && Number(v.line_no) > 10_000) issue('line_no', 'at most 10000');
  if (v.min_quantity && /\.\d{4,}$/.test(v.min_quantity)) issue('min_quantity', 'at most 3 decimals');
  if (v.quantity && /\.\d{4,}$/.test(v.quantity)) issue('quantity', 'at most 3 decimals');
  if (v.unit_price && /\.\d{5,}$/.test(v.unit_price)) issue('unit_price', 'at most 4 decimals');
  if (v.discount_pct && /\.\d{3,}$/.test(v.discount_pct)) issue('discount_pct', 'at most 2 decimals');
  if (entity === 'deal_lines' && !v.opportunity_id && !v.opportunity) issue('opportunity', 'required (the deal\'s name or id)');
  if (entity === 'order_lines' && !v.order_number && !v.order_id) issue('order_number', 'required (the order\'s number or id)');
  if (entity === 'price_lists' && v.valid_from && v.valid_to && v.valid_to < v.valid_from) issue('valid_to', 'must not be before valid_from');
}

/** Values the database side matches on, computed once here rather than per comparison in SQL. */
function derive(entity: ImportEntity, v: StagedValues, ctx: RuleContext): StagedValues {
  if (entity === 'accounts') {
    if (!v.domain && v.website) v.domain = domainOf(v.website) ?? null;
    v.name_key = v.name ? nameKey(v.name) || v.name.toLowerCase() : null;
    v.parent_uuid = v.parent_account_id && UUID_RE.test(v.parent_account_id) ? v.parent_account_id.toLowerCase() : null;
  }
  if (namesProducts(entity)) {
    v.product_key = v.product_code ? v.product_code.toLowerCase() : null;
    // Compared with lower() in SQL: the same folding on both sides.
    v.product_name_key = v.product ? v.product.toLowerCase() : null;
  }
  if (isLineEntity(entity)) {
    const ref = entity === 'deal_lines' ? v.opportunity_id : v.order_id;
    const uuid = !!ref && UUID_RE.test(ref);
    v.parent_uuid = uuid ? ref!.toLowerCase() : null;
    v.parent_xid = ref && !uuid ? ref : null;
  }
  if (namesAccount(entity)) {
    // An account id that is not an Accord id is the source system's ("0015g00000XyZabAAB").
    const uuid = !!v.account_id && UUID_RE.test(v.account_id);
    v.account_uuid = uuid ? v.account_id!.toLowerCase() : null;
    v.account_xid = v.account_external_id ?? (v.account_id && !uuid ? v.account_id : null);
    v.no_account = 'false';
    if (ctx.placeholderAccount && !v.account_id && !v.account && !v.account_domain && !v.account_xid) {
      v.account = ctx.placeholderAccount;
      v.no_account = 'true';
    }
    v.account_key = v.account ? v.account.toLowerCase() : null;
  }
  if (v.owner !== undefined) v.owner_key = v.owner && !v.owner.includes('@') ? personKey(v.owner) : null;
  if (entity === 'survey_answers') {
    v.contact_key = v.contact_name ? personKey(v.contact_name) : null;
    const { values, scores } = surveyRowScores(v, ctx.surveyItems);
    v.answers = JSON.stringify(values);
    const n = (x: number | null) => (x === null ? null : String(x));
    Object.assign(v, {
      sc_recommend: n(scores.recommend), sc_satisfaction: n(scores.satisfaction), sc_continuation: n(scores.continue), sc_rational: n(scores.rational),
      sc_confidence: n(scores.confidence), sc_integrity: n(scores.integrity), sc_pride: n(scores.pride), sc_passion: n(scores.passion), sc_emotional: n(scores.emotional),
      answer_language: v.language ? surveyLanguage(v.language, 'en') : null,
      answer_survey_id: ctx.survey?.id ?? null, answer_version_id: ctx.survey?.versionId ?? null,
      survey: ctx.survey?.name ?? v.survey ?? null,
    });
  }
  return v;
}

export { personKey };

type CompiledValueMap = Map<string, Map<string, string | null | Record<string, string | null>>>;
function compileValueMap(m: ValueMap | undefined): CompiledValueMap | undefined {
  if (!m || !Object.keys(m).length) return undefined;
  return new Map(Object.entries(m).map(([field, values]) => [field, new Map(Object.entries(values).map(([raw, to]) => [normalizeLabel(raw), to]))]));
}

/** The file's values replaced by their mapped terms; a pair (stage → status + buying stage) fills both fields. */
function applyValueMap(m: CompiledValueMap, input: Record<string, string | undefined>): Record<string, string | undefined> {
  let out: Record<string, string | undefined> | undefined;
  for (const [field, values] of m) {
    const raw = input[field];
    if (raw === undefined || raw.trim() === '') continue;
    const n = normalizeLabel(raw);
    if (!values.has(n)) continue;
    const to = values.get(n) ?? null;
    out ??= { ...input };
    if (to === null || typeof to === 'string') out[field] = to ?? '';
    else {
      if (!(field in to)) out[field] = '';
      for (const [k, v] of Object.entries(to)) out[k] = v ?? '';
    }
  }
  return out ?? input;
}

/** Column list of the staging table per entity, in COPY order, with SQL types. */
export function stagingColumns(entity: ImportEntity): { name: string; sql: string }[] {
  const sqlType = (t: FieldType) =>
    t.kind === 'int' ? 'integer' : t.kind === 'money' || t.kind === 'rate' ? 'numeric' : t.kind === 'date' ? 'date'
      : t.kind === 'timestamp' ? 'timestamptz' : t.kind === 'bool' ? 'boolean' : t.kind === 'uuid' ? 'uuid' : 'text';
  const cols = ENTITY_FIELDS[entity].map((f) => ({ name: f.key, sql: sqlType(f.type) }));
  if (entity === 'accounts') cols.push({ name: 'name_key', sql: 'text' }, { name: 'parent_uuid', sql: 'uuid' });
  if (namesAccount(entity)) cols.push({ name: 'account_key', sql: 'text' }, { name: 'account_uuid', sql: 'uuid' }, { name: 'account_xid', sql: 'text' }, { name: 'no_account', sql: 'boolean' });
  if (namesProducts(entity)) cols.push({ name: 'product_key', sql: 'text' }, { name: 'product_name_key', sql: 'text' });
  if (isLineEntity(entity)) cols.push({ name: 'parent_uuid', sql: 'uuid' }, { name: 'parent_xid', sql: 'text' });
  if (ENTITY_FIELDS[entity].some((f) => f.key === 'owner')) cols.push({ name: 'owner_key', sql: 'text' });
  if (entity === 'survey_answers') {
    cols.push({ name: 'contact_key', sql: 'text' }, { name: 'answers', sql: 'jsonb' }, { name: 'sc_recommend', sql: 'smallint' }, { name: 'answer_language', sql: 'text' },
      { name: 'answer_survey_id', sql: 'uuid' }, { name: 'answer_version_id', sql: 'uuid' });
    for (const c of ['satisfaction', 'continuation', 'rational', 'confidence', 'integrity', 'pride', 'passion', 'emotional']) cols.push({ name: `sc_${c}`, sql: 'real' });
  }
  // Custom field values of the row, as the JSON object merged into the record's `custom`.
  cols.push({ name: 'custom', sql: 'jsonb' });
  return cols;
}

export const vocabulariesOf = (entity: ImportEntity): Vocabulary[] =>
  [...new Set(ENTITY_FIELDS[entity].flatMap((f) => (f.type.kind === 'vocab' ? [f.type.vocabulary] : [])))];

// ── Value mapping (the preview's table of a column's distinct values) ──────────

export type ValueMatch = 'exact' | 'case' | 'label' | 'none';
export type ValueSuggestion = { match: ValueMatch; term: string | Record<string, string> | null };

/** Status words a stage column often carries (Salesforce "Closed Won", a spreadsheet's "Lost"): they map to the status. */
const STAGE_AS_STATUS: Record<string, string> = { won: 'won', closedwon: 'won', lost: 'lost', closedlost: 'lost', 赢单: 'won', 成交: 'won', 输单: 'lost', 丢单: 'lost' };

/** Fields whose values come from a list (vocabularies, fixed lists, countries): the ones a value map applies to. */
export function listFields(entity: ImportEntity): string[] {
  return ENTITY_FIELDS[entity].filter((f) => f.type.kind === 'vocab' || f.type.kind === 'enum' || f.type.kind === 'country').map((f) => f.key);
}

/** How a file's value matches the field's terms: the key itself, the key in other case/spacing, a label in any locale, or not at all. */
export function matchValue(entity: ImportEntity, field: string, raw: string, ctx: RuleContext): ValueSuggestion {
  const def = ENTITY_FIELDS[entity].find((f) => f.key === field);
  if (!def) return { match: 'none', term: null };
  const s = raw.trim();
  const n = normalizeLabel(s);
  if (def.type.kind === 'vocab') {
    const lookup = ctx.vocab.get(def.type.vocabulary);
    const key = lookup?.get(n);
    if (key) return { match: key === s ? 'exact' : normalizeLabel(key) === n ? 'case' : 'label', term: key };
  } else if (def.type.kind === 'enum') {
    const c = def.type.choices.find((c) => normalizeLabel(c.key) === n || c.labels.some((l) => normalizeLabel(l) === n));
    if (c) return { match: c.key === s ? 'exact' : normalizeLabel(c.key) === n ? 'case' : 'label', term: c.key };
  } else if (def.type.kind === 'country') {
    const c = countryCode(s);
    if (c) return { match: c === s ? 'exact' : c.toLowerCase() === s.toLowerCase() ? 'case' : 'label', term: c };
  }
  // A won/lost stage: the status, with the stage left as it is.
  if (entity === 'opportunities' && field === 'buying_stage' && STAGE_AS_STATUS[n]) return { match: 'none', term: { status: STAGE_AS_STATUS[n]! } };
  return { match: 'none', term: null };
}
