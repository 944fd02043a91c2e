/** Pure rules of personal-data requests (PIPL / GDPR): what identifies a person in free text. */

export const ERASED_NAME = 'Erased contact';
export const REDACTED = '[erased]';

/** Values shorter than this are not searched for in free text: "Li" would redact half the notes. */
export const MIN_MATCH_LENGTH = 3;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A case-insensitive PostgreSQL regular expression matching any of the person's identifying values
 * (full name, "first last" and "last first", email, phones) in notes, tasks, interactions, import
 * errors and audit entries; null when the contact has none long enough to look for.
 */
export function identifyingPattern(c: { fullName?: string | null; firstName?: string | null; lastName?: string | null; email?: string | null; phone?: string | null; mobile?: string | null }): string | null {
  const names = [c.fullName, c.firstName && c.lastName ? `${c.firstName} ${c.lastName}` : null, c.firstName && c.lastName ? `${c.lastName} ${c.firstName}` : null];
  const values = [...names, c.email, c.phone, c.mobile]
    .map((v) => v?.trim())
    .filter((v): v is string => !!v && [...v].length >= MIN_MATCH_LENGTH);
  const unique = [...new Set(values.map((v) => v.toLowerCase()))].sort((a, b) => b.length - a.length);
  return unique.length ? unique.map(escapeRegex).join('|') : null;
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
