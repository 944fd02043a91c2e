/**
 * vCard 2.1 / 3.0 / 4.0 reading and 3.0 / 4.0 writing (RFC 2425/2426/6350), for contacts.
 * Reading copes with what real address books write: folded lines, quoted-printable values with a
 * CHARSET (and soft line breaks that are not folded), several cards per file, ITEMn. groups, bare
 * 2.1 type parameters (TEL;CELL;PREF), TYPE lists, and N vs FN.
 */
import iconv from 'iconv-lite';
import { countryCode, LIST_SEP } from './rules.ts';

export type VcardProp = { group: string | null; name: string; params: Map<string, string[]>; value: string };
export type Vcard = { line: number; version: string; props: VcardProp[]; raw: string };

const BARE_21_TYPES = new Set(['HOME', 'WORK', 'CELL', 'VOICE', 'FAX', 'PAGER', 'PREF', 'INTERNET', 'MSG', 'BBS', 'MODEM', 'CAR', 'ISDN', 'VIDEO', 'PCS',
  'DOM', 'INTL', 'POSTAL', 'PARCEL', 'X400', 'AOL', 'APPLELINK', 'ATTMAIL', 'CIS', 'EWORLD', 'IBMMAIL', 'MCIMAIL', 'POWERSHARE', 'PRODIGY', 'TLX', 'GIF', 'JPEG', 'X509', 'PGP']);

/** Splits on `sep` where it is not inside double quotes. */
function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (const c of s) {
    if (c === '"') q = !q;
    if (c === sep && !q) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function indexOutsideQuotes(s: string, ch: string): number {
  let q = false;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '"') q = !q;
    else if (s[i] === ch && !q) return i;
  }
  return -1;
}

function decodeQuotedPrintable(s: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '=' && i === s.length - 1) {
      // A trailing soft break.
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  const cs = iconv.encodingExists(charset) ? charset : 'utf-8';
  return iconv.decode(Buffer.from(bytes), cs);
}

/** Logical lines: folded lines joined (RFC 6350 §3.2) and quoted-printable soft breaks followed. */
function logicalLines(text: string): { line: number; text: string }[] {
  const phys = text.split(/\r\n|\r|\n/);
  const out: { line: number; text: string }[] = [];
  for (let i = 0; i < phys.length; i++) {
    const l = phys[i]!;
    const last = out[out.length - 1];
    if ((l.startsWith(' ') || l.startsWith('\t')) && last) {
      last.text += l.slice(1);
      continue;
    }
    if (l === '') continue;
    const entry = { line: i + 1, text: l };
    out.push(entry);
    // vCard 2.1 quoted-printable: a value ending in "=" continues on the next physical line, unindented.
    const head = l.slice(0, Math.max(0, indexOutsideQuotes(l, ':')));
    if (/QUOTED-PRINTABLE/i.test(head)) {
      while (entry.text.endsWith('=') && i + 1 < phys.length) {
        const next = phys[i + 1]!;
        i++;
        if (next === '') break;
        entry.text = entry.text.slice(0, -1) + next.replace(/^[ \t]/, '');
      }
    }
  }
  return out;
}

function parseProp(text: string): VcardProp | undefined {
  const colon = indexOutsideQuotes(text, ':');
  if (colon < 0) return undefined;
  const [nameWithGroup = '', ...paramParts] = splitOutsideQuotes(text.slice(0, colon), ';');
  const dot = nameWithGroup.lastIndexOf('.');
  const group = dot >= 0 ? nameWithGroup.slice(0, dot) : null;
  const name = nameWithGroup.slice(dot + 1).trim().toUpperCase();
  const params = new Map<string, string[]>();
  const add = (k: string, vs: string[]) => params.set(k, [...(params.get(k) ?? []), ...vs]);
  for (const p of paramParts) {
    const eq = p.indexOf('=');
    if (eq < 0) {
      const v = p.trim().toUpperCase();
      // vCard 2.1 writes bare values: TEL;CELL;PREF, EMAIL;INTERNET, ADR;QUOTED-PRINTABLE.
      if (v === 'QUOTED-PRINTABLE' || v === 'BASE64' || v === 'B' || v === '8BIT') add('ENCODING', [v]);
      else if (BARE_21_TYPES.has(v) || v) add('TYPE', [v]);
      continue;
    }
    const k = p.slice(0, eq).trim().toUpperCase();
    const vs = splitOutsideQuotes(p.slice(eq + 1), ',').map((v) => v.trim().replace(/^"|"$/g, ''));
    add(k, k === 'TYPE' ? vs.map((v) => v.toUpperCase()) : vs);
  }
  let value = text.slice(colon + 1);
  const enc = params.get('ENCODING')?.[0]?.toUpperCase();
  if (enc === 'QUOTED-PRINTABLE') value = decodeQuotedPrintable(value, params.get('CHARSET')?.[0] ?? 'utf-8');
  return { group, name, params, value };
}

/** Every card of a vCard file, in order, with the line it starts on. */
export function parseVcards(text: string): Vcard[] {
  const cards: Vcard[] = [];
  let cur: Vcard | null = null;
  const rawLines = text.split(/\r\n|\r|\n/);
  for (const l of logicalLines(text)) {
    const upper = l.text.trim().toUpperCase();
    if (upper === 'BEGIN:VCARD') {
      cur = { line: l.line, version: '', props: [], raw: '' };
      continue;
    }
    if (!cur) continue;
    if (upper === 'END:VCARD') {
      cur.raw = rawLines.slice(cur.line - 1, l.line).join('\r\n');
      cards.push(cur);
      cur = null;
      continue;
    }
    const p = parseProp(l.text);
    if (!p) continue;
    if (p.name === 'VERSION') cur.version = p.value.trim();
    else cur.props.push(p);
  }
  return cards;
}

/** Splits a structured value (N, ADR, ORG) on unescaped ";" and a list value on unescaped ",". */
export function splitEscaped(value: string, sep: ';' | ','): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length) {
      cur += c + value[i + 1];
      i++;
    } else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function unescapeText(v: string): string {
  return v.replace(/\\(.)/gs, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

const types = (p: VcardProp) => new Set((p.params.get('TYPE') ?? []).flatMap((t) => t.split(',')).map((t) => t.trim().toUpperCase()));
const isPref = (p: VcardProp) => types(p).has('PREF') || p.params.has('PREF');
const prefRank = (p: VcardProp) => {
  const n = Number(p.params.get('PREF')?.[0]);
  return Number.isFinite(n) && n > 0 ? n : isPref(p) ? 1 : 101;
};
/** Preferred first (PREF=1 before PREF=2 before none), file order otherwise. */
const byPref = (ps: VcardProp[]) => ps.map((p, i) => ({ p, i })).sort((a, b) => prefRank(a.p) - prefRank(b.p) || a.i - b.i).map((x) => x.p);

/** The contact fields (same keys as the CSV import) one card carries. */
export function cardToContact(card: Vcard): Record<string, string> {
  const all = (name: string) => card.props.filter((p) => p.name === name && p.params.get('ENCODING')?.[0] !== 'B' && p.params.get('ENCODING')?.[0] !== 'BASE64');
  const first = (name: string) => byPref(all(name))[0];
  const text = (p: VcardProp | undefined) => (p ? unescapeText(p.value).trim() : '');
  const out: Record<string, string> = {};
  const set = (k: string, v: string | undefined) => {
    if (v && v.trim()) out[k] = v.trim();
  };

  const n = first('N');
  if (n) {
    const [family = '', given = ''] = splitEscaped(n.value, ';').map(unescapeText);
    set('last_name', family);
    set('first_name', given);
  }
  set('full_name', text(first('FN')));
  const org = first('ORG');
  if (org) {
    const [company = '', ...units] = splitEscaped(org.value, ';').map((s) => unescapeText(s).trim());
    set('account', company);
    set('department', units.filter(Boolean).join(' / '));
  }
  set('title', text(first('TITLE')));

  const emails = byPref(all('EMAIL')).map(text).filter(Boolean);
  set('email', emails[0]);

  const tels = all('TEL').map((p) => ({ p, t: types(p), v: text(p).replace(/^tel:/i, '') })).filter((x) => x.v);
  const mobile = byPref(tels.filter((x) => x.t.has('CELL')).map((x) => x.p))[0];
  const landlines = tels.filter((x) => !x.t.has('CELL') && !x.t.has('FAX') && !x.t.has('PAGER'));
  const phone = byPref(landlines.filter((x) => x.t.has('WORK')).map((x) => x.p))[0] ?? byPref(landlines.map((x) => x.p))[0];
  const telValue = (p: VcardProp | undefined) => (p ? text(p).replace(/^tel:/i, '') : undefined);
  set('mobile', telValue(mobile));
  set('phone', telValue(phone));

  const adrs = all('ADR');
  const adr = byPref(adrs.filter((p) => types(p).has('WORK')))[0] ?? byPref(adrs)[0];
  if (adr) {
    const parts = splitEscaped(adr.value, ';').map((s) => unescapeText(s).trim());
    set('city', parts[3]);
    const country = parts[6] ? countryCode(parts[6]) : undefined;
    set('country', country);
  }
  set('language', text(first('LANG')) || text(first('X-ACCORD-LANGUAGE')));
  const cats = all('CATEGORIES').flatMap((p) => splitEscaped(p.value, ',').map((s) => unescapeText(s).trim())).filter(Boolean);
  if (cats.length) out.tags = [...new Set(cats)].join(LIST_SEP);
  const consent = text(first('X-ACCORD-CONSENT'));
  if (consent) out.consent = consent;
  const dne = text(first('X-ACCORD-DO-NOT-EMAIL'));
  if (dne) out.do_not_email = dne;

  // A card without FN (vCard 2.1 allows it) is named from N, then its organization, email or phone.
  if (!out.full_name) {
    const fromN = [out.first_name, out.last_name].filter(Boolean).join(' ');
    set('full_name', fromN || out.account || out.email || out.mobile || out.phone);
  }
  return out;
}

// ── Writing ─────────────────────────────────────────────────────────────────

export type VcardContact = {
  id: string;
  fullName: string;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  department: string | null;
  language: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  country: string | null;
  city: string | null;
  consent: string;
  doNotEmail: boolean;
  tags: string[];
  accountName: string | null;
  updatedAt: string | null;
};

const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\r\n|\r|\n/g, '\\n').replace(/,/g, '\\,').replace(/;/g, '\\;');

/** Folds at 75 octets without splitting a UTF-8 character (RFC 6350 §3.2). */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const parts: string[] = [];
  let cur = '';
  let bytes = 0;
  let limit = 75;
  for (const ch of line) {
    const b = Buffer.byteLength(ch);
    if (bytes + b > limit) {
      parts.push(cur);
      cur = '';
      bytes = 0;
      limit = 74; // continuation lines start with a space
    }
    cur += ch;
    bytes += b;
  }
  parts.push(cur);
  return parts.join('\r\n ');
}

export function contactToVcard(c: VcardContact, version: '3.0' | '4.0'): string {
  const v4 = version === '4.0';
  const lines = ['BEGIN:VCARD', `VERSION:${version}`];
  const add = (s: string) => lines.push(foldLine(s));
  add(v4 ? `UID:urn:uuid:${c.id}` : `UID:${c.id}`);
  add(`FN:${esc(c.fullName)}`);
  add(`N:${esc(c.lastName ?? '')};${esc(c.firstName ?? '')};;;`);
  if (c.accountName || c.department) add(`ORG:${esc(c.accountName ?? '')}${c.department ? `;${esc(c.department)}` : ''}`);
  if (c.title) add(`TITLE:${esc(c.title)}`);
  if (c.email) add(v4 ? `EMAIL;TYPE=work;PREF=1:${esc(c.email)}` : `EMAIL;TYPE=INTERNET,WORK,PREF:${esc(c.email)}`);
  if (c.phone) add(v4 ? `TEL;VALUE=text;TYPE=work,voice:${esc(c.phone)}` : `TEL;TYPE=WORK,VOICE:${esc(c.phone)}`);
  if (c.mobile) add(v4 ? `TEL;VALUE=text;TYPE=cell:${esc(c.mobile)}` : `TEL;TYPE=CELL:${esc(c.mobile)}`);
  if (c.city || c.country) add(`ADR;TYPE=${v4 ? 'work' : 'WORK'}:;;;${esc(c.city ?? '')};;;${esc(c.country ?? '')}`);
  if (c.language) add(v4 ? `LANG:${esc(c.language)}` : `X-ACCORD-LANGUAGE:${esc(c.language)}`);
  if (c.tags.length) add(`CATEGORIES:${c.tags.map(esc).join(',')}`);
  add(`X-ACCORD-CONSENT:${c.consent}`);
  if (c.doNotEmail) add('X-ACCORD-DO-NOT-EMAIL:true');
  if (c.updatedAt) add(`REV:${new Date(c.updatedAt).toISOString().replace(/[-:]|\.\d+/g, '')}`);
  lines.push('END:VCARD');
  return lines.join('\r\n') + '\r\n';
}
