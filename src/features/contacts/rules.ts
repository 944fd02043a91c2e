/** Pure rules for contact names: stored as first/last and as the full name people search for. */

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
/** Two-character Chinese surnames: without a space, the family name is not always one character. */
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '诸葛', '上官', '司徒', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '长孙', '夏侯', '宇文', '轩辕', '澹台', '端木', '西门', '南宫', '独孤',
  '歐陽', '諸葛', '東方', '尉遲', '長孫', '軒轅', '南宮', '獨孤',
]);

export const isHanName = (s: string) => HAN.test(s) && !/\s/.test(s.trim());

export interface NameParts {
  firstName: string | null;
  lastName: string | null;
  fullName: string;
}

/** Full name from parts: Chinese names are family name first without a space, others "first last". */
export function joinName(first: string | null | undefined, last: string | null | undefined): string {
  const f = first?.trim() ?? '';
  const l = last?.trim() ?? '';
  if (!f || !l) return f || l;
  return HAN.test(f + l) ? `${l}${f}` : `${f} ${l}`;
}

/** Parts from a full name: "张伟" → 张 / 伟 (欧阳娜娜 → 欧阳 / 娜娜); "Anna Berg" → Anna / Berg. */
export function splitName(full: string): { firstName: string | null; lastName: string | null } {
  const s = full.trim().replace(/\s+/g, ' ');
  if (!s) return { firstName: null, lastName: null };
  if (isHanName(s)) {
    const chars = [...s];
    if (chars.length === 1) return { firstName: null, lastName: s };
    const surnameLen = chars.length > 2 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
    return { lastName: chars.slice(0, surnameLen).join(''), firstName: chars.slice(surnameLen).join('') };
  }
  const i = s.lastIndexOf(' ');
  if (i < 0) return { firstName: s, lastName: null };
  return { firstName: s.slice(0, i), lastName: s.slice(i + 1) };
}

/**
 * Completes a contact's name from what was written. `current` is the stored name (update) or null
 * (create). A full name given alone re-derives the parts; parts given alone re-derive the full name.
 * Returns null when no name can be formed.
 */
export function completeName(
  input: { firstName?: string | null; lastName?: string | null; fullName?: string | null },
  current: NameParts | null,
): NameParts | null {
  const partsSent = input.firstName !== undefined || input.lastName !== undefined;
  const fullSent = input.fullName !== undefined && input.fullName !== null && input.fullName.trim() !== '';
  const first = input.firstName !== undefined ? input.firstName : (current?.firstName ?? null);
  const last = input.lastName !== undefined ? input.lastName : (current?.lastName ?? null);
  if (fullSent) {
    const fullName = input.fullName!.trim();
    if (partsSent) return { firstName: first || null, lastName: last || null, fullName };
    return { ...splitName(fullName), fullName };
  }
  if (partsSent || !current) {
    const fullName = joinName(first, last);
    return fullName ? { firstName: first || null, lastName: last || null, fullName } : null;
  }
  return current;
}
