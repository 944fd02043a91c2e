/** Pure rules of the second sign-in factor (TOTP, RFC 6238, and one-time recovery codes). */

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
/** Codes of the previous and next 30-second step are accepted too: phone clocks drift. */
export const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
/** Wrong codes allowed per user within the window before further tries are refused (429). */
export const MAX_FAILED_CODES = 5;
export const FAILED_WINDOW_SECONDS = 15 * 60;

export type CodeKind = { kind: 'totp'; code: string } | { kind: 'recovery'; code: string } | { kind: 'invalid' };

/** Six digits is an authenticator code; ten letters/digits (dashes and spaces ignored) a recovery code. */
export function classifyCode(input: string): CodeKind {
  const s = input.replace(/[\s-]/g, '').toLowerCase();
  if (/^\d{6}$/.test(s)) return { kind: 'totp', code: s };
  if (/^[a-z0-9]{10}$/.test(s)) return { kind: 'recovery', code: s };
  return { kind: 'invalid' };
}

/** Recovery codes are shown as xxxxx-xxxxx; the alphabet leaves out look-alikes (0/o, 1/l/i). */
export const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export function formatRecoveryCode(raw: string): string {
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/** The 30-second step a code belongs to, given when it was checked and the drift the check found. */
export const stepAt = (epochMs: number, delta = 0) => Math.floor(epochMs / 1000 / TOTP_PERIOD) + delta;

/** A code whose step is not after the last accepted one is a replay (or an older code) and is refused. */
export const isReplay = (step: number, lastUsedStep: number | null) => lastUsedStep !== null && step <= lastUsedStep;

/** Whether a user's wrong codes so far block another try now. */
export function attemptsBlocked(failed: number, since: Date | null, now: Date): boolean {
  if (!since || failed < MAX_FAILED_CODES) return false;
  return now.getTime() - since.getTime() < FAILED_WINDOW_SECONDS * 1000;
}
