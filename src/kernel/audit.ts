import { auditLog } from '../db/schema/index.ts';
import type { Actor } from './actor.ts';
import type { DbOrTx } from './db/index.ts';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Appends to the audit log inside the caller's transaction, so the log and the change commit together. */
export async function audit(tx: DbOrTx, actor: Actor, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (!list.length) return;
  await tx.insert(auditLog).values(
    list.map((e) => ({
      orgId: actor.orgId,
      actorId: actor.kind === 'system' && actor.userId.startsWith('00000000') ? null : actor.userId,
      actorKind: actor.kind,
      action: e.action,
      entity: e.entity,
      entityId: e.entityId ?? null,
      before: e.before ?? null,
      after: e.after ?? null,
      requestId: actor.requestId ?? null,
    })),
  );
}

/** Only the fields that changed, both sides: a readable audit diff. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (k === 'updatedAt' || k === 'version' || k === 'updatedBy') continue;
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  return { before: b, after: a };
}
