import { eq } from 'drizzle-orm';
import { organizations } from '../db/schema/index.ts';
import type { Actor } from './actor.ts';
import { audit, diff } from './audit.ts';
import type { Db } from './db/index.ts';
import { conflict, preconditionRequired } from './errors.ts';

type Raw = Record<string, unknown> | null | undefined;

/**
 * One part of `organizations.settings` (`settings[key]`), kept with its own version
 * (`settings[key + 'Version']`) so a change made with a stale read is refused, not applied over
 * someone else's.
 */
export interface OrgSetting<T extends object, Shown> {
  key: string;
  /** The audit log's entity name for changes. */
  entity: string;
  /** The setting from the organization's settings, defaults filled in. */
  read: (raw: Raw) => T;
  /** What the API answers (and sends back with a 409), given the setting and its version. */
  show: (value: T, version: number) => Shown;
}

export const settingVersion = (raw: Raw, key: string) => Number(raw?.[`${key}Version`] ?? 0);

export async function readOrgSetting<T extends object, Shown>(db: Db, orgId: string, s: OrgSetting<T, Shown>): Promise<Shown> {
  const [org] = await db.select({ settings: organizations.settings }).from(organizations).where(eq(organizations.id, orgId));
  return s.show(s.read(org?.settings), settingVersion(org?.settings, s.key));
}

/**
 * Applies `change` to the setting if it is still at version `expected` (required: 428 without), audited, in one
 * transaction. The row lock makes two changes at once take turns: the second sees the first's
 * version and gets 409 with the setting as it is now. `change` may throw (a 400 for values that
 * do not fit together).
 */
export async function changeOrgSetting<T extends object, Shown>(
  db: Db,
  actor: Actor,
  s: OrgSetting<T, Shown>,
  expected: number | undefined,
  change: (current: T) => T,
): Promise<Shown> {
  if (expected === undefined) throw preconditionRequired();
  return db.transaction(async (tx) => {
    const [org] = await tx.select({ settings: organizations.settings }).from(organizations).where(eq(organizations.id, actor.orgId)).for('update');
    const raw = org?.settings ?? {};
    const version = settingVersion(raw, s.key);
    const current = s.read(raw);
    if (version !== expected) throw conflict('Someone changed these settings after you loaded them', s.show(current, version));
    const next = change(current);
    await tx
      .update(organizations)
      .set({ settings: { ...raw, [s.key]: next, [`${s.key}Version`]: version + 1 } })
      .where(eq(organizations.id, actor.orgId));
    await audit(tx, actor, { action: 'update', entity: s.entity, entityId: actor.orgId, ...diff({ ...current } as Record<string, unknown>, { ...next } as Record<string, unknown>) });
    return s.show(next, version + 1);
  });
}
