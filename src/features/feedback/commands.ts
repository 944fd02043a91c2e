/** Writes of the voice of the customer beyond plain edits: complaint steps, waiting, labels, answers, the SLA sweep. */
import { and, eq, sql } from 'drizzle-orm';
import { complaintTransitions, feedback } from '../../db/schema/index.ts';
import type { Actor } from '../../kernel/actor.ts';
import { audit, diff } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { badRequest, conflict, preconditionRequired } from '../../kernel/errors.ts';
import type { Row } from '../../kernel/resource.ts';
import { currentModel, scorePending } from './model.ts';
import { feedbackResource } from './resource.ts';
import { businessMinutesBetween, checkTransition, complaintDeadlines, isComplaintKind, isOpen, rankSuggestions, type ComplaintStatus } from './rules.ts';
import { channelFactor, loadServiceSettings } from './settings.ts';
import { bumpSweep, finishSweep, sweepDue } from './sweep.ts';

const rows = <T>(r: unknown): T[] => (r as { rows: T[] }).rows;
const by = (a: Actor) => (a.kind === 'system' ? null : a.userId);

/** Loads the row for a write: locked, version checked, the actor allowed to edit it. */
async function forWrite(tx: DbOrTx, actor: Actor, id: string, version: number | undefined): Promise<Row> {
  if (version === undefined) throw preconditionRequired();
  const row = await feedbackResource.get(tx, actor, id, { forUpdate: true });
  if (row.version !== version) {
    const [current] = await feedbackResource.present(tx, actor, [row]);
    throw conflict(`This feedback was changed by someone else (you edited version ${version}, it is now ${row.version})`, current);
  }
  await feedbackResource.assertCanEdit(tx, actor, row);
  return row;
}

async function write(tx: DbOrTx, actor: Actor, before: Row, set: Record<string, unknown>, action: string): Promise<Row> {
  const [row] = await tx
    .update(feedback)
    .set({ ...set, version: sql`${feedback.version} + 1`, updatedAt: sql`now()`, updatedBy: by(actor) } as never)
    .where(and(eq(feedback.orgId, actor.orgId), eq(feedback.id, before.id)))
    .returning();
  const after = feedbackResource.toRecord(row as Record<string, unknown>);
  const d = diff(before, after);
  await audit(tx, actor, { action, entity: 'feedback', entityId: after.id, before: d.before, after: d.after });
  // Deadlines moved (assessed, customer answered): the next read sweeps.
  if ('dueAt' in set || 'responseDueAt' in set) await bumpSweep(tx, actor.orgId);
  return (await feedbackResource.present(tx, actor, [after]))[0]!;
}

async function deadlines(tx: DbOrTx, actor: Actor, row: Row, severity: string | null, pausedMinutes: number) {
  const settings = await loadServiceSettings(tx, actor.orgId);
  const d = complaintDeadlines(new Date(String(row.receivedAt)), severity, await channelFactor(tx, actor.orgId, String(row.channel)), pausedMinutes, settings);
  return { responseDueAt: d.responseDueAt.toISOString(), dueAt: d.dueAt.toISOString(), warnAt: d.warnAt.toISOString() };
}

export type TransitionInput = { to: ComplaintStatus; version?: number; severity?: string; impact?: string; reason?: string; note?: string };

/** One step of the complaint workflow: checked by the pure rule, timestamped, recorded and audited. */
export async function transition(db: Db, actor: Actor, id: string, input: TransitionInput): Promise<Row> {
  return db.transaction(async (tx) => {
    const row = await forWrite(tx, actor, id, input.version);
    if (!isComplaintKind(String(row.kind)) || !row.status) throw badRequest('This feedback is not a complaint', [{ path: 'to', message: 'Only complaints have a workflow' }]);
    const from = row.status as ComplaintStatus;
    const check = checkTransition(from, input.to, input, { severity: row.severity as string | null });
    if (!check.ok) throw badRequest(check.message, [{ path: check.field, message: check.message }]);
    const now = new Date().toISOString();
    const set: Record<string, unknown> = { status: input.to };
    // Leaving the workflow stops the clock: a pause still open is ended.
    if (row.pausedAt && !isOpen(input.to)) set.pausedAt = null;
    if (input.to === 'acknowledged' && !row.acknowledgedAt) set.acknowledgedAt = now;
    if (input.to === 'assessed') {
      set.severity = input.severity ?? row.severity;
      set.impact = input.impact;
      Object.assign(set, await deadlines(tx, actor, row, set.severity as string, Number(row.pausedMinutes)));
      // A new deadline deserves a new warning.
      if (row.warnedAt && !row.breachedAt) set.warnedAt = null;
    }
    if (input.to === 'responded') set.respondedAt = now;
    if (input.to === 'resolved' || input.to === 'rejected') Object.assign(set, { resolvedAt: now, outcome: input.to });
    if (input.to === 'rejected') set.closeReason = input.reason;
    if (input.to === 'closed') Object.assign(set, { closedAt: now, closeReason: input.reason ?? row.closeReason });
    await tx.insert(complaintTransitions).values({ orgId: actor.orgId, feedbackId: id, fromStatus: from, toStatus: input.to, by: by(actor), note: input.note ?? input.reason ?? null });
    return write(tx, actor, row, set, 'transition');
  });
}

/** Waiting for the customer stops the clock; when they answer, the business time spent waiting moves the deadlines. */
export async function setWaiting(db: Db, actor: Actor, id: string, waiting: boolean, version: number | undefined, note?: string): Promise<Row> {
  return db.transaction(async (tx) => {
    const row = await forWrite(tx, actor, id, version);
    if (!isOpen(row.status as string)) throw badRequest('Only an open complaint can wait for the customer', [{ path: 'waiting', message: 'Not an open complaint' }]);
    if (waiting === !!row.pausedAt) return (await feedbackResource.present(tx, actor, [row]))[0]!;
    const set: Record<string, unknown> = {};
    if (waiting) set.pausedAt = new Date().toISOString();
    else {
      const settings = await loadServiceSettings(tx, actor.orgId);
      const waited = Math.round(businessMinutesBetween(new Date(String(row.pausedAt)), new Date(), settings));
      set.pausedAt = null;
      set.pausedMinutes = Number(row.pausedMinutes) + waited;
      Object.assign(set, await deadlines(tx, actor, row, row.severity as string | null, set.pausedMinutes as number));
    }
    await tx.insert(complaintTransitions).values({ orgId: actor.orgId, feedbackId: id, fromStatus: row.status as string, toStatus: row.status as string, by: by(actor), note: `${waiting ? 'waiting for the customer' : 'customer answered'}${note ? `: ${note}` : ''}` });
    return write(tx, actor, row, set, waiting ? 'pause' : 'resume');
  });
}

/**
 * A person's sentiment label (or null to take it back). The organization's model retrains on the next
 * score (its labels changed) and the text-scored feedback is scored again with it.
 */
export async function setLabel(db: Db, actor: Actor, id: string, label: 'positive' | 'negative' | null, version: number | undefined): Promise<Row> {
  await db.transaction(async (tx) => {
    const row = await forWrite(tx, actor, id, version);
    const set = label ? { sentimentLabel: label, sentiment: label, sentimentScore: null, sentimentSource: 'user', labelledBy: by(actor) } : { sentimentLabel: null, sentiment: null, sentimentSource: null, labelledBy: null };
    return write(tx, actor, row, set, 'label');
  });
  await currentModel(db, actor.orgId);
  await scorePending(db, actor.orgId, { rescore: true, limit: 20_000 });
  return (await feedbackResource.present(db, actor, [await feedbackResource.get(db, actor, id)]))[0]!;
}

/** A service question is answered with several suggestions in priority order, never one. */
export async function answer(db: Db, actor: Actor, id: string, input: { suggestions: string[]; journeyStep?: string; version?: number }): Promise<Row> {
  return db.transaction(async (tx) => {
    const row = await forWrite(tx, actor, id, input.version);
    if (row.kind !== 'question') throw badRequest('Only a question is answered with suggestions', [{ path: 'suggestions', message: 'This feedback is not a question' }]);
    const r = rankSuggestions(input.suggestions);
    if (!r.ok) throw badRequest(r.message, [{ path: 'suggestions', message: r.message }]);
    return write(tx, actor, row, { suggestions: r.suggestions, answeredAt: new Date().toISOString(), answeredBy: by(actor), ...(input.journeyStep ? { journeyStep: input.journeyStep } : {}), ...(row.ownerId ? {} : { ownerId: by(actor) }) }, 'answer');
  });
}

/**
 * Complaints written in bulk (imports, demo data) get their workflow start and deadlines here: one
 * SELECT of those without, deadlines in JS (the calendar is a JS rule), one UPDATE and one INSERT.
 */
export async function scheduleComplaints(db: DbOrTx, orgId: string, opts: { anyStatus?: boolean } = {}): Promise<number> {
  const pending = (await db.execute(sql`
    select f.id, coalesce(f.received_at, f.occurred_at)::text as received, f.severity, f.channel, f.paused_minutes as paused, f.status
      from feedback f where f.org_id = ${orgId} and f.deleted_at is null and f.kind in ('complaint', 'public_attack')
       and (f.status is null or (f.due_at is null and ${opts.anyStatus ? sql`true` : sql`f.status in ('received', 'acknowledged', 'assessed', 'investigating', 'responded')`}))
     limit 20000`)) as unknown as { rows: { id: string; received: string; severity: string | null; channel: string; paused: number; status: string | null }[] };
  if (!pending.rows.length) return 0;
  const settings = await loadServiceSettings(db, orgId);
  const factors = new Map<string, number>();
  for (const ch of new Set(pending.rows.map((r) => r.channel))) factors.set(ch, await channelFactor(db, orgId, ch));
  const values = pending.rows.map((r) => {
    const d = complaintDeadlines(new Date(r.received), r.severity, factors.get(r.channel) ?? 1, r.paused, settings);
    return { id: r.id, received: new Date(r.received).toISOString(), response: d.responseDueAt.toISOString(), due: d.dueAt.toISOString(), warn: d.warnAt.toISOString(), fresh: r.status === null };
  });
  const json = JSON.stringify(values);
  await db.execute(sql`
    insert into complaint_transitions (org_id, feedback_id, from_status, to_status, at)
    select ${orgId}::uuid, v.id, null, 'received', v.received from jsonb_to_recordset(${json}::jsonb) as v(id uuid, received timestamptz, fresh boolean) where v.fresh`);
  await db.execute(sql`
    update feedback f set status = coalesce(f.status, 'received'), received_at = v.received, response_due_at = v.response, due_at = v.due, warn_at = v.warn
      from jsonb_to_recordset(${json}::jsonb) as v(id uuid, received timestamptz, response timestamptz, due timestamptz, warn timestamptz)
     where f.org_id = ${orgId} and f.id = v.id`);
  return values.length;
}

/**
 * The SLA sweep, set-based: open complaints not acknowledged by their first-response time alert their
 * owner (or, without one, a manager); past their warning point they warn their owner; past their
 * deadline they alert and escalate to a manager (of the owner's team when there is one). Each happens
 * once per complaint (response_alerted_at / warned_at / breached_at). Paused complaints are skipped:
 * their clock stands still. `now` for tests.
 */
export async function slaSweep(db: DbOrTx, orgId: string, now: Date = new Date()): Promise<{ warned: number; breached: number; keyAccount: number; firstResponse: number }> {
  const at = now.toISOString();
  const open = sql`f.status in ('received', 'acknowledged', 'assessed', 'investigating', 'responded') and f.paused_at is null and f.deleted_at is null`;
  const manager = sql`(select u.id from users u left join users o on o.org_id = ${orgId} and o.id = f.owner_id
                        where u.org_id = ${orgId} and u.active and u.role in ('manager', 'admin')
                        order by (u.role = 'manager') desc, (u.team is not distinct from o.team) desc, u.id limit 1)`;
  const firstResponse = (await db.execute(sql`
    with r as (
      update feedback f set response_alerted_at = ${at}::timestamptz
       where f.org_id = ${orgId} and ${open} and f.response_alerted_at is null and f.acknowledged_at is null and f.response_due_at <= ${at}::timestamptz
      returning f.org_id, f.id, f.account_id, coalesce(f.owner_id, ${manager}) as user_id, f.response_due_at, f.channel, f.severity, f.kind, left(f.text, 200) as text)
    insert into alerts (org_id, kind, severity, account_id, user_id, data, created_at)
    select r.org_id, 'complaint_first_response', 'warning', r.account_id, r.user_id,
           jsonb_build_object('feedbackId', r.id, 'responseDueAt', r.response_due_at, 'channel', r.channel, 'severity', r.severity, 'kind', r.kind, 'text', r.text), ${at}::timestamptz
      from r`)) as unknown as { rowCount?: number | null };
  const warned = (await db.execute(sql`
    with w as (
      update feedback f set warned_at = ${at}::timestamptz
       where f.org_id = ${orgId} and ${open} and f.warned_at is null and f.warn_at <= ${at}::timestamptz and f.due_at > ${at}::timestamptz
      returning f.org_id, f.id, f.account_id, f.owner_id, f.due_at, f.channel, f.severity, f.kind, left(f.text, 200) as text)
    insert into alerts (org_id, kind, severity, account_id, user_id, data, created_at)
    select w.org_id, 'complaint_sla_warning', 'warning', w.account_id, w.owner_id,
           jsonb_build_object('feedbackId', w.id, 'dueAt', w.due_at, 'channel', w.channel, 'severity', w.severity, 'kind', w.kind, 'text', w.text), ${at}::timestamptz
      from w`)) as unknown as { rowCount?: number | null };
  // A key account's complaint going overdue also alerts its owner (problems resolved, DOMAIN §8): the
  // account's handling is at risk (rules.ts complaintHandling) on the account that matters most.
  const [breached] = rows<{ breached: number; keyAccount: number }>(await db.execute(sql`
    with b as (
      update feedback f set breached_at = ${at}::timestamptz, warned_at = coalesce(f.warned_at, ${at}::timestamptz), escalated_to = ${manager}
       where f.org_id = ${orgId} and ${open} and f.breached_at is null and f.due_at <= ${at}::timestamptz
      returning f.org_id, f.id, f.account_id, f.owner_id, f.escalated_to, f.due_at, f.channel, f.severity, f.kind, left(f.text, 200) as text),
    breach as (
      insert into alerts (org_id, kind, severity, account_id, user_id, data, created_at)
      select b.org_id, 'complaint_sla_breach', 'critical', b.account_id, coalesce(b.escalated_to, b.owner_id),
             jsonb_build_object('feedbackId', b.id, 'dueAt', b.due_at, 'ownerId', b.owner_id, 'escalatedTo', b.escalated_to, 'channel', b.channel, 'severity', b.severity, 'kind', b.kind, 'text', b.text), ${at}::timestamptz
        from b returning 1),
    keyed as (
      insert into alerts (org_id, kind, severity, account_id, user_id, data, created_at)
      select b.org_id, 'key_account_complaint_overdue', 'critical', b.account_id, coalesce(a.owner_id, b.escalated_to, b.owner_id),
             jsonb_build_object('feedbackId', b.id, 'dueAt', b.due_at, 'accountName', a.name, 'escalatedTo', b.escalated_to, 'channel', b.channel, 'severity', b.severity, 'kind', b.kind, 'text', b.text), ${at}::timestamptz
        from b join accounts a on a.org_id = ${orgId} and a.id = b.account_id
       where a.portfolio_type = 'key' returning 1)
    select (select count(*) from b)::int as breached, (select count(*) from keyed)::int as "keyAccount"`));
  return { warned: warned.rowCount ?? 0, breached: breached?.breached ?? 0, keyAccount: breached?.keyAccount ?? 0, firstResponse: firstResponse.rowCount ?? 0 };
}

/**
 * What a read of feedback does first: score, schedule and sweep what bulk writes and the clock left behind —
 * only when something can have changed since the last sweep (sweep.ts); otherwise one lookup. `now` for tests.
 */
export async function catchUp(db: DbOrTx, orgId: string, now: Date = new Date()): Promise<{ swept: boolean }> {
  const gen = await sweepDue(db, orgId, now);
  if (gen === null) return { swept: false };
  const scored = await scorePending(db, orgId, { limit: 20_000 });
  const scheduled = await scheduleComplaints(db, orgId);
  await slaSweep(db, orgId, now);
  await finishSweep(db, orgId, gen, now);
  // More was left than one read takes on: the next read goes on.
  if (scored >= 20_000 || scheduled >= 20_000) await bumpSweep(db, orgId);
  return { swept: true };
}

/** Bulk writers (imports, demo data, survey answers) call this after writing feedback outside the resource. */
export const markFeedbackWritten = bumpSweep;
