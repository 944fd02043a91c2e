import { forbidden } from './errors.ts';

export type Role = 'admin' | 'manager' | 'rep' | 'viewer';

/** Who is asking, in which organization: every query is scoped by `orgId`. */
export interface Actor {
  orgId: string;
  userId: string;
  role: Role;
  team: string | null;
  kind: 'user' | 'token' | 'system';
  requestId?: string;
  /** API tokens: `read` may only use GET/HEAD (kernel/auth/scopes.ts). */
  scope?: 'read' | 'full';
  /** A session that must set up two-factor sign-in before anything else (kernel/auth/scopes.ts). */
  twoFactorPending?: boolean;
}

/** A system actor for CLI jobs and schedules; it acts with manager rights within one organization. */
export const systemActor = (orgId: string, userId: string | null = null): Actor => ({
  orgId,
  userId: userId ?? '00000000-0000-0000-0000-000000000000',
  role: 'admin',
  team: null,
  kind: 'system',
});

export const canWriteAny = (a: Actor) => a.role === 'admin' || a.role === 'manager';

export function requireRole(a: Actor, ...roles: Role[]) {
  if (!roles.includes(a.role)) throw forbidden();
}

export function requireWriter(a: Actor) {
  if (a.role === 'viewer') throw forbidden('Viewers can read but not change records');
}

/**
 * Reps edit what they own, what a teammate owns, and what nobody owns yet (the shared pool);
 * managers and admins edit everything in the organization; viewers edit nothing.
 */
export function canEditOwned(a: Actor, owner: { id: string | null; team: string | null } | null): boolean {
  if (a.role === 'viewer') return false;
  if (canWriteAny(a)) return true;
  if (!owner || owner.id === null) return true;
  if (owner.id === a.userId) return true;
  return a.team !== null && owner.team === a.team;
}
