/**
 * When reads must catch up (score what bulk writes left unscored, schedule bulk-written complaints, run the SLA
 * sweep): only when a writer left work behind since the last sweep (`gen` moved) or a deadline of an open
 * complaint can have passed (`next_due_at`). Otherwise a read costs one primary-key lookup. The next-due instant
 * is capped at SAFETY_MS ahead, so a writer that forgot to bump is caught up within minutes all the same.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../kernel/db/index.ts';

const rows = <T>(r: unknown): T[] => (r as { rows: T[] }).rows;
export const SAFETY_MS = 15 * 60_000;

/** A write left catch-up work or moved a deadline: the next read sweeps. */
export async function bumpSweep(db: DbOrTx, orgId: string): Promise<void> {
  await db.execute(sql`insert into feedback_sweeps (org_id) values (${orgId}) on conflict (org_id) do update set gen = feedback_sweeps.gen + 1`);
}

/** The generation to sweep for, or null when nothing can have changed (one lookup). */
export async function sweepDue(db: DbOrTx, orgId: string, now: Date): Promise<number | null> {
  const [s] = rows<{ gen: number; swept: number; next: string | null }>(await db.execute(sql`
    select gen, swept_gen as swept, next_due_at::text as next from feedback_sweeps where org_id = ${orgId}`));
  if (!s) {
    await db.execute(sql`insert into feedback_sweeps (org_id) values (${orgId}) on conflict (org_id) do nothing`);
    return 1;
  }
  if (s.gen === s.swept && s.next !== null && Date.parse(s.next) > now.getTime()) return null;
  return s.gen;
}

/**
 * After a sweep: the earliest instant an open, running complaint can warn, alert on its first response or
 * breach; capped at SAFETY_MS from now. A writer that bumped during the sweep keeps the row due (gen ≠ swept).
 */
export async function finishSweep(db: DbOrTx, orgId: string, gen: number, now: Date): Promise<string> {
  const at = now.toISOString();
  const [n] = rows<{ next: string | null }>(await db.execute(sql`
    select least(
      (select min(f.warn_at) from feedback f where f.org_id = ${orgId} and f.status in ('received', 'acknowledged', 'assessed', 'investigating', 'responded')
          and f.deleted_at is null and f.paused_at is null and f.warned_at is null and f.breached_at is null),
      (select min(f.due_at) from feedback f where f.org_id = ${orgId} and f.status in ('received', 'acknowledged', 'assessed', 'investigating', 'responded')
          and f.deleted_at is null and f.paused_at is null and f.breached_at is null),
      (select min(f.response_due_at) from feedback f where f.org_id = ${orgId} and f.status in ('received', 'acknowledged', 'assessed', 'investigating', 'responded')
          and f.deleted_at is null and f.paused_at is null and f.acknowledged_at is null and f.response_alerted_at is null)
    )::text as next`));
  const cap = now.getTime() + SAFETY_MS;
  const due = n?.next ? Math.min(Date.parse(n.next), cap) : cap;
  // A deadline already passed (e.g. a paused one resumed in this instant) keeps the next read sweeping.
  const next = new Date(Math.max(due, now.getTime() + 1)).toISOString();
  await db.execute(sql`update feedback_sweeps set swept_gen = greatest(swept_gen, ${gen}::int), next_due_at = ${next}::timestamptz, swept_at = ${at}::timestamptz where org_id = ${orgId}`);
  return next;
}
