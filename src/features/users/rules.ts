import type { Actor } from '../../kernel/actor.ts';

/**
 * A colleague as another user may see them: administrators (who manage sign-ins) and the user
 * themself see the e-mail address; everyone else sees who the colleague is, not how to reach their
 * inbox — a viewer's read-only access is not a copy of the staff directory.
 */
export function asSeenBy<U extends { id: string; email: string }>(actor: Pick<Actor, 'role' | 'userId'>, u: U): Omit<U, 'email'> & { email: string | null } {
  return actor.role === 'admin' || actor.userId === u.id ? u : { ...u, email: null };
}

/** A person's name as users are matched on it: case, accents and spacing do not count ("José  Núñez" = "jose nunez"). */
export function personKey(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export type TeamRow = { name: string; email?: string; team?: string; department?: string; role?: 'admin' | 'manager' | 'rep' | 'viewer' };
export type ExistingUser = { id: string; name: string; email: string };
export type TeamPlan = {
  create: (TeamRow & { email: string; line: number })[];
  existing: { line: number; id: string | null; name: string; email: string; matchedBy: 'email' | 'name' }[];
  ambiguous: { line: number; name: string; candidates: string[] }[];
};

/**
 * What a team file changes: each row is matched to a user by e-mail, else by name (a unique match);
 * rows that match nobody become new users. A row without e-mail gets an address that cannot receive
 * mail (RFC 2606 .invalid), derived from the name as the deal import's "create missing owners" does,
 * so the deals of a later import find the same person. A name two users share is not guessed.
 */
export function planTeamImport(rows: TeamRow[], users: ExistingUser[], md5: (s: string) => string): TeamPlan {
  const byEmail = new Map(users.map((u) => [u.email.toLowerCase(), u]));
  const byName = new Map<string, ExistingUser[]>();
  for (const u of users) byName.set(personKey(u.name), [...(byName.get(personKey(u.name)) ?? []), u]);
  const plan: TeamPlan = { create: [], existing: [], ambiguous: [] };
  const planned = new Map<string, string>();
  rows.forEach((r, i) => {
    const line = i + 2;
    const key = personKey(r.name);
    const email = r.email?.trim().toLowerCase() || `${key.replace(/[^a-z0-9]+/g, '.')}.${md5(key).slice(0, 8)}@imported.invalid`;
    const hit = byEmail.get(email);
    if (hit) return void plan.existing.push({ line, id: hit.id, name: hit.name, email: hit.email, matchedBy: 'email' });
    const named = r.email ? [] : (byName.get(key) ?? []);
    if (named.length > 1) return void plan.ambiguous.push({ line, name: r.name, candidates: named.map((u) => u.email) });
    if (named.length === 1) return void plan.existing.push({ line, id: named[0]!.id, name: named[0]!.name, email: named[0]!.email, matchedBy: 'name' });
    // The same person twice in the file: the first row creates them.
    if (planned.has(email)) return void plan.existing.push({ line, id: null, name: r.name, email, matchedBy: 'email' });
    planned.set(email, r.name);
    plan.create.push({ ...r, email, line });
  });
  return plan;
}
