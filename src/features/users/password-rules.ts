/**
 * What makes a password acceptable: at least 10 characters once surrounding spaces are trimmed,
 * not made of spaces or invisible characters, no control characters (no keyboard types them), not
 * one character repeated, and not one of the most common breached passwords (common-passwords.ts).
 */
import { COMMON_PASSWORDS } from './common-passwords.ts';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

const COMMON = new Set(COMMON_PASSWORDS);

export type PasswordProblem = { code: 'too_small' | 'too_big' | 'invalid'; message: string };

export function passwordProblem(pw: string): PasswordProblem | undefined {
  if (pw.length > PASSWORD_MAX) return { code: 'too_big', message: `Use at most ${PASSWORD_MAX} characters` };
  // \p{Cc}: control characters (tab, NUL, escape…), which no keyboard enters into a password field.
  if (/\p{Cc}/u.test(pw)) return { code: 'invalid', message: 'Must not contain control characters' };
  const trimmed = pw.trim();
  if ([...trimmed].length < PASSWORD_MIN) return { code: 'too_small', message: `Use at least ${PASSWORD_MIN} characters` };
  // Spaces of every kind and invisible format characters (zero-width space…) do not count as content.
  const visible = trimmed.replace(/[\p{Z}\p{Cf}\s]/gu, '');
  if (!visible.length) return { code: 'invalid', message: 'Must not be only spaces' };
  if (new Set(visible).size === 1) return { code: 'invalid', message: 'Must not be one character repeated' };
  if (COMMON.has(trimmed.toLowerCase())) return { code: 'invalid', message: 'This password is on the list of the most common leaked passwords; choose another' };
  return undefined;
}
