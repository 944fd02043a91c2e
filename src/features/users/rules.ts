import type { Actor } from '../../kernel/actor.ts';

/**
 * A colleague as another user may see them: administrators (who manage sign-ins) and the user
 * themself see the e-mail address; everyone else sees who the colleague is, not how to reach their
 * inbox — a viewer's read-only access is not a copy of the staff directory.
 */
export function asSeenBy<U extends { id: string; email: string }>(actor: Pick<Actor, 'role' | 'userId'>, u: U): Omit<U, 'email'> & { email: string | null } {
  return actor.role === 'admin' || actor.userId === u.id ? u : { ...u, email: null };
}
