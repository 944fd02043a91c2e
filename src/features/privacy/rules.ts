/** Pure rules of personal-data requests (PIPL / GDPR): what identifies a person in free text. */

export const ERASED_NAME = 'Erased contact';
export const REDACTED = '[erased]';

/**
 * Values shorter than this are looked for only in the records linked to the person (their
 * interactions, notes and tasks), never across the organization: "Li" would redact half the notes.
 */
export const MIN_MATCH_LENGTH = 3;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Han, kana and hangul: scripts without spaces between words, where a two-character name is specific. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * How a short value is matched where it is looked for: a CJK name literally (those scripts have no word
 * boundaries), anything else only as a whole word (PostgreSQL's \m and \M), so "Li" redacts "Li said"
 * but not "Listing".
 */
const shortAlternative = (v: string) => (CJK.test(v) ? escapeRegex(v) : `\\m${escapeRegex(v)}\\M`);

type Identity = { fullName?: string | null; firstName?: string | null; lastName?: string | null; email?: string | null; phone?: string | null; mobile?: string | null };

function identifyingValues(c: Identity): string[] {
  const names = [c.fullName, c.firstName && c.lastName ? `${c.firstName} ${c.lastName}` : null, c.firstName && c.lastName ? `${c.lastName} ${c.firstName}` : null];
  const values = [...names, c.email, c.phone, c.mobile].map((v) => v?.trim()).filter((v): v is string => !!v);
  return [...new Set(values.map((v) => v.toLowerCase()))].sort((a, b) => b.length - a.length);
}

const long = (v: string) => [...v].length >= MIN_MATCH_LENGTH;

/**
 * A case-insensitive PostgreSQL regular expression matching any of the person's identifying values
 * (full name, "first last" and "last first", email, phones) in notes, tasks, interactions, import
 * errors and audit entries of the whole organization; null when the contact has none long enough to look for.
 */
export function identifyingPattern(c: Identity): string | null {
  const values = identifyingValues(c).filter(long);
  return values.length ? values.map(escapeRegex).join('|') : null;
}

/**
 * The same for the records linked to the person, where a short name (a one- or two-character
 * full name such as 王伟 or "Li") is also theirs: short values as whole words (CJK literally).
 */
export function linkedRecordPattern(c: Identity): string | null {
  const values = identifyingValues(c);
  return values.length ? values.map((v) => (long(v) ? escapeRegex(v) : shortAlternative(v))).join('|') : null;
}

/** Long-format rows of an export, for the CSV: one line per field of every record. */
export function toLongRows(sections: Record<string, unknown>): { section: string; recordId: string; field: string; value: string }[] {
  const out: { section: string; recordId: string; field: string; value: string }[] = [];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  for (const [section, content] of Object.entries(sections)) {
    const records = Array.isArray(content) ? content : [content];
    for (const rec of records) {
      if (!rec || typeof rec !== 'object') continue;
      const r = rec as Record<string, unknown>;
      const recordId = typeof r.id === 'string' ? r.id : typeof r.key === 'string' ? r.key : '';
      for (const [field, value] of Object.entries(r)) out.push({ section, recordId, field, value: cell(value) });
    }
  }
  return out;
}
