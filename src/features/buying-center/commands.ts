/**
 * Writes of the buying center. Each is one named command: checks permission, validates every
 * field at once, writes in one transaction with its audit entries, and refreshes the coverage score.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { buyingCenterCoverage, buyingCenterMembers, contactLinks } from '../../db/schema/index.ts';
import { canEditOwned, requireRole, requireWriter, type Actor } from '../../kernel/actor.ts';
import { audit } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { conflict, FieldErrors, forbidden, notFound, preconditionRequired } from '../../kernel/errors.ts';
import { activeVocabKeys } from '../../kernel/vocab.ts';
import { handoverScope, loadLinks, loadMembers, recomputeCoverage, uuidArray } from './queries.ts';
import type { handoverExecute, linkCreate, linkUpdate, memberCreate, memberUpdate } from './schemas.ts';

type Raw = Record<string, unknown>;
const rows = async (db: DbOrTx, q: ReturnType<typeof sql>): Promise<Raw[]> => (await db.execute(q)).rows as Raw[];
const byActor = (a: Actor) => (a.kind === 'system' && a.userId.startsWith('00000000') ? null : a.userId);

/** A unique-index race (two people adding the same member at once) reads as the same 409. */
function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.code === '23505' || err?.cause?.code === '23505';
}

/** The opportunity a buying-center write touches, with what the permission check needs. */
async function opportunityForWrite(tx: DbOrTx, actor: Actor, opportunityId: string) {
  const [o] = await rows(tx, sql`
    select o.id, o.account_id, o.owner_id, u.team as owner_team
    from opportunities o left join users u on u.org_id = o.org_id and u.id = o.owner_id
    where o.org_id = ${actor.orgId} and o.id = ${opportunityId} and o.deleted_at is null`);
  if (!o) throw notFound('Opportunity');
  requireWriter(actor);
  const owner = o.owner_id ? { id: String(o.owner_id), team: (o.owner_team as string | null) ?? null } : null;
  if (!canEditOwned(actor, owner)) throw forbidden('Only the deal owner, their team or a manager can change its buying center');
  return { id: String(o.id), accountId: String(o.account_id) };
}

async function checkRoles(tx: DbOrTx, orgId: string, roles: string[] | undefined, errs: FieldErrors) {
  if (!roles?.length) return;
  const keys = (await activeVocabKeys(tx, orgId, ['buying_role'])).get('buying_role')!;
  const bad = roles.filter((r) => !keys.has(r));
  if (bad.length) errs.add('roles', `Unknown buying role${bad.length > 1 ? 's' : ''} ${bad.map((b) => `"${b}"`).join(', ')}; use one of ${[...keys].join(', ')}`);
}

async function checkCoverers(tx: DbOrTx, orgId: string, coverers: string[] | undefined, errs: FieldErrors) {
  if (!coverers?.length) return;
  const found = await rows(tx, sql`select id, name, active from users where org_id = ${orgId} and id = any(${uuidArray(coverers)})`);
  const byId = new Map(found.map((u) => [String(u.id), u]));
  for (const [i, id] of coverers.entries()) {
    const u = byId.get(id);
    // The path names the position, not the id: an id from another organization is never echoed back.
    if (!u) errs.add(`coverers.${i}`, 'User not found');
    else if (!u.active) errs.add(`coverers.${i}`, `${String(u.name)} is deactivated and cannot cover anyone`);
  }
}

/**
 * A member must be a contact of this organization, of the deal's account or of a partner (design
 * institute, agent) — not a random contact of another customer.
 */
async function checkContact(tx: DbOrTx, orgId: string, contactId: string, accountId: string, errs: FieldErrors) {
  const [c] = await rows(tx, sql`
    select c.id, c.account_id, a.kind from contacts c left join accounts a on a.org_id = c.org_id and a.id = c.account_id
    where c.org_id = ${orgId} and c.id = ${contactId} and c.deleted_at is null`);
  if (!c) errs.add('contactId', 'Contact not found');
  else if (String(c.account_id) !== accountId && c.kind !== 'partner') {
    errs.add('contactId', 'The contact must belong to the deal’s account or to a partner account (design institute, agent)');
  }
}

const dedupe = <T>(xs: T[] | undefined) => (xs ? [...new Set(xs)] : undefined);

export async function addMember(db: Db, actor: Actor, opportunityId: string, input: z.infer<typeof memberCreate>) {
  return db.transaction(async (tx) => {
    const opp = await opportunityForWrite(tx, actor, opportunityId);
    const roles = dedupe(input.roles) ?? [];
    const coverers = dedupe(input.coverers) ?? [];
    const errs = new FieldErrors();
    await checkContact(tx, actor.orgId, input.contactId, opp.accountId, errs);
    await checkRoles(tx, actor.orgId, roles, errs);
    await checkCoverers(tx, actor.orgId, coverers, errs);
    errs.throwIfAny();
    const [dup] = await rows(tx, sql`select id from buying_center_members where org_id = ${actor.orgId} and opportunity_id = ${opp.id} and contact_id = ${input.contactId}`);
    if (dup) throw conflict('This contact is already a member of the buying center', { id: String(dup.id) });
    let id: string;
    try {
      const [row] = await tx.insert(buyingCenterMembers).values({
        orgId: actor.orgId, opportunityId: opp.id, contactId: input.contactId, roles,
        influence: input.influence ?? 3, attitude: input.attitude ?? 'neutral', note: input.note ?? null,
        createdBy: byActor(actor), updatedBy: byActor(actor),
      }).returning({ id: buyingCenterMembers.id });
      id = row!.id;
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict('This contact is already a member of the buying center');
      throw e;
    }
    if (coverers.length) await tx.insert(buyingCenterCoverage).values(coverers.map((userId) => ({ orgId: actor.orgId, memberId: id, userId })));
    const [m] = await loadMembers(tx, actor.orgId, { memberId: id });
    await audit(tx, actor, { action: 'create', entity: 'buying_center_member', entityId: id, after: { opportunityId: opp.id, contactId: input.contactId, roles, influence: m!.influence, attitude: m!.attitude, coverers } });
    await recomputeCoverage(tx, actor.orgId, [opp.id]);
    return m!;
  });
}

async function memberForWrite(tx: DbOrTx, actor: Actor, id: string) {
  const [m] = await loadMembers(tx, actor.orgId, { memberId: id });
  if (!m) throw notFound('Buying-center member');
  const opp = await opportunityForWrite(tx, actor, m.opportunityId);
  return { m, opp };
}

export async function updateMember(db: Db, actor: Actor, id: string, version: number | undefined, patch: z.infer<typeof memberUpdate>) {
  if (version === undefined) throw preconditionRequired();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select id from buying_center_members where org_id = ${actor.orgId} and id = ${id} for update`);
    const { m, opp } = await memberForWrite(tx, actor, id);
    if (m.version !== version) throw conflict(`This member was changed by someone else (you edited version ${version}, it is now ${m.version})`, m);
    const roles = dedupe(patch.roles);
    const coverers = dedupe(patch.coverers);
    const errs = new FieldErrors();
    await checkRoles(tx, actor.orgId, roles, errs);
    // Keeping a deactivated user who already covers is allowed; adding one is not.
    const existing = new Set(m.coverers.map((c) => c.userId));
    await checkCoverers(tx, actor.orgId, coverers?.filter((u) => !existing.has(u)), errs);
    errs.throwIfAny();
    const set: Record<string, unknown> = {};
    if (roles) set.roles = roles;
    if (patch.influence !== undefined) set.influence = patch.influence;
    if (patch.attitude !== undefined) set.attitude = patch.attitude;
    if (patch.note !== undefined) set.note = patch.note;
    await tx.update(buyingCenterMembers)
      .set({ ...set, version: sql`${buyingCenterMembers.version} + 1`, updatedAt: sql`now()`, updatedBy: byActor(actor) })
      .where(and(eq(buyingCenterMembers.orgId, actor.orgId), eq(buyingCenterMembers.id, id)));
    if (coverers) {
      const drop = [...existing].filter((u) => !coverers.includes(u));
      if (drop.length) await tx.delete(buyingCenterCoverage).where(and(eq(buyingCenterCoverage.orgId, actor.orgId), eq(buyingCenterCoverage.memberId, id), inArray(buyingCenterCoverage.userId, drop)));
      const add = coverers.filter((u) => !existing.has(u));
      if (add.length) await tx.insert(buyingCenterCoverage).values(add.map((userId) => ({ orgId: actor.orgId, memberId: id, userId }))).onConflictDoNothing();
    }
    const [after] = await loadMembers(tx, actor.orgId, { memberId: id });
    const before: Record<string, unknown> = {};
    const changed: Record<string, unknown> = {};
    for (const k of ['roles', 'influence', 'attitude', 'note'] as const) {
      if (JSON.stringify(m[k]) !== JSON.stringify(after![k])) {
        before[k] = m[k];
        changed[k] = after![k];
      }
    }
    const cb = m.coverers.map((c) => c.userId).sort();
    const ca = after!.coverers.map((c) => c.userId).sort();
    if (JSON.stringify(cb) !== JSON.stringify(ca)) {
      before.coverers = cb;
      changed.coverers = ca;
    }
    await audit(tx, actor, { action: 'update', entity: 'buying_center_member', entityId: id, before, after: changed });
    await recomputeCoverage(tx, actor.orgId, [opp.id]);
    return after!;
  });
}

/** Removes a member outright (coverage goes with it); the audit log keeps what was there. */
export async function removeMember(db: Db, actor: Actor, id: string) {
  return db.transaction(async (tx) => {
    const { m, opp } = await memberForWrite(tx, actor, id);
    await tx.delete(buyingCenterMembers).where(and(eq(buyingCenterMembers.orgId, actor.orgId), eq(buyingCenterMembers.id, id)));
    await audit(tx, actor, { action: 'delete', entity: 'buying_center_member', entityId: id, before: { opportunityId: m.opportunityId, contactId: m.contactId, roles: m.roles, influence: m.influence, attitude: m.attitude, coverers: m.coverers.map((c) => c.userId) } });
    await recomputeCoverage(tx, actor.orgId, [opp.id]);
    return m;
  });
}

// ── Contact network ─────────────────────────────────────────────────────────

async function checkLinkType(tx: DbOrTx, orgId: string, linkType: string | undefined, errs: FieldErrors) {
  if (linkType === undefined) return;
  const keys = (await activeVocabKeys(tx, orgId, ['contact_link_type'])).get('contact_link_type')!;
  if (!keys.has(linkType)) errs.add('linkType', `Unknown contact link type "${linkType}"; use one of ${[...keys].join(', ')}`);
}

export async function createLink(db: Db, actor: Actor, input: z.infer<typeof linkCreate>) {
  requireWriter(actor);
  return db.transaction(async (tx) => {
    const errs = new FieldErrors();
    if (input.fromContactId === input.toContactId) errs.add('toContactId', 'A contact cannot be linked to themselves');
    const found = new Set((await rows(tx, sql`select id from contacts where org_id = ${actor.orgId} and deleted_at is null and id = any(${uuidArray([input.fromContactId, input.toContactId])})`)).map((r) => String(r.id)));
    if (!found.has(input.fromContactId)) errs.add('fromContactId', 'Contact not found');
    if (!found.has(input.toContactId)) errs.add('toContactId', 'Contact not found');
    await checkLinkType(tx, actor.orgId, input.linkType, errs);
    errs.throwIfAny();
    const [dup] = await rows(tx, sql`select id from contact_links where org_id = ${actor.orgId} and from_contact_id = ${input.fromContactId} and to_contact_id = ${input.toContactId} and link_type = ${input.linkType}`);
    if (dup) throw conflict('These contacts already have a link of this type', { id: String(dup.id) });
    let id: string;
    try {
      const [row] = await tx.insert(contactLinks).values({
        orgId: actor.orgId, fromContactId: input.fromContactId, toContactId: input.toContactId, linkType: input.linkType,
        strength: input.strength ?? 3, note: input.note ?? null, createdBy: byActor(actor), updatedBy: byActor(actor),
      }).returning({ id: contactLinks.id });
      id = row!.id;
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict('These contacts already have a link of this type');
      throw e;
    }
    const [link] = await loadLinks(tx, actor.orgId, { linkId: id });
    await audit(tx, actor, { action: 'create', entity: 'contact_link', entityId: id, after: { fromContactId: input.fromContactId, toContactId: input.toContactId, linkType: input.linkType, strength: link!.strength } });
    return link!;
  });
}

export async function updateLink(db: Db, actor: Actor, id: string, version: number | undefined, patch: z.infer<typeof linkUpdate>) {
  requireWriter(actor);
  if (version === undefined) throw preconditionRequired();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select id from contact_links where org_id = ${actor.orgId} and id = ${id} for update`);
    const [link] = await loadLinks(tx, actor.orgId, { linkId: id });
    if (!link) throw notFound('Contact link');
    if (link.version !== version) throw conflict(`This link was changed by someone else (you edited version ${version}, it is now ${link.version})`, link);
    const errs = new FieldErrors();
    await checkLinkType(tx, actor.orgId, patch.linkType, errs);
    errs.throwIfAny();
    const { version: _v, ...set } = patch;
    try {
      await tx.update(contactLinks)
        .set({ ...set, version: sql`${contactLinks.version} + 1`, updatedAt: sql`now()`, updatedBy: byActor(actor) })
        .where(and(eq(contactLinks.orgId, actor.orgId), eq(contactLinks.id, id)));
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict('These contacts already have a link of this type');
      throw e;
    }
    const [after] = await loadLinks(tx, actor.orgId, { linkId: id });
    const before: Record<string, unknown> = {};
    const changed: Record<string, unknown> = {};
    for (const k of ['linkType', 'strength', 'note'] as const) {
      if (link[k] !== after![k]) {
        before[k] = link[k];
        changed[k] = after![k];
      }
    }
    await audit(tx, actor, { action: 'update', entity: 'contact_link', entityId: id, before, after: changed });
    return after!;
  });
}

export async function removeLink(db: Db, actor: Actor, id: string) {
  requireWriter(actor);
  return db.transaction(async (tx) => {
    const [link] = await loadLinks(tx, actor.orgId, { linkId: id });
    if (!link) throw notFound('Contact link');
    await tx.delete(contactLinks).where(and(eq(contactLinks.orgId, actor.orgId), eq(contactLinks.id, id)));
    await audit(tx, actor, { action: 'delete', entity: 'contact_link', entityId: id, before: { fromContactId: link.fromContactId, toContactId: link.toContactId, linkType: link.linkType, strength: link.strength } });
    return link;
  });
}

// ── Handover ────────────────────────────────────────────────────────────────

/**
 * Moves what one user holds — account ownership, open deals, open tasks and promises, contacts they
 * own, and their coverage of buying-center members on open deals — to another user, in one
 * transaction of set-based updates, with one audit entry per record changed.
 */
export async function executeHandover(db: Db, actor: Actor, input: z.infer<typeof handoverExecute>) {
  requireRole(actor, 'admin', 'manager');
  const { fromUserId: from, toUserId: to } = input;
  return db.transaction(async (tx) => {
    const errs = new FieldErrors();
    if (from === to) errs.add('toUserId', 'Choose a different user to hand over to');
    const us = new Map((await rows(tx, sql`select id, name, active from users where org_id = ${actor.orgId} and id = any(${uuidArray([from, to])})`)).map((u) => [String(u.id), u]));
    if (!us.has(from)) errs.add('fromUserId', 'User not found');
    const target = us.get(to);
    if (!target) errs.add('toUserId', 'User not found');
    else if (!target.active) errs.add('toUserId', `${String(target.name)} is deactivated and cannot take over accounts`);
    if (input.accountIds) {
      const ids = [...new Set(input.accountIds)];
      const found = await rows(tx, sql`select id from accounts where org_id = ${actor.orgId} and deleted_at is null and id = any(${uuidArray(ids)})`);
      if (found.length !== ids.length) errs.add('accountIds', 'One or more accounts not found');
    }
    errs.throwIfAny();
    const scope = await handoverScope(tx, actor.orgId, from, input.accountIds ? [...new Set(input.accountIds)] : undefined);
    if (!scope.length) return { accounts: 0, opportunities: 0, tasks: 0, contacts: 0, coverage: 0, auditEntries: 0 };
    const ids = uuidArray(scope);
    const by = byActor(actor);
    const moved = (entity: string) => (r: Raw) => ({ action: 'handover', entity, entityId: String(r.id), before: { ownerId: from }, after: { ownerId: to, note: input.note ?? null } });

    const accs = await rows(tx, sql`
      update accounts set owner_id = ${to}, version = version + 1, updated_at = now(), updated_by = ${by}
      where org_id = ${actor.orgId} and id = any(${ids}) and owner_id = ${from} and deleted_at is null returning id`);
    const opps = await rows(tx, sql`
      update opportunities set owner_id = ${to}, version = version + 1, updated_at = now(), updated_by = ${by}
      where org_id = ${actor.orgId} and account_id = any(${ids}) and owner_id = ${from} and status = 'open' and deleted_at is null returning id`);
    const tasks = await rows(tx, sql`
      update tasks t set assignee_id = ${to}, version = t.version + 1, updated_at = now(), updated_by = ${by}
      from tasks x
      left join opportunities o on o.org_id = x.org_id and o.id = x.opportunity_id
      left join contacts c on c.org_id = x.org_id and c.id = x.contact_id
      where t.org_id = ${actor.orgId} and x.org_id = t.org_id and x.id = t.id and t.assignee_id = ${from} and t.status = 'open'
        and t.deleted_at is null and coalesce(x.account_id, o.account_id, c.account_id) = any(${ids})
      returning t.id, t.kind`);
    const contacts = await rows(tx, sql`
      update contacts set owner_id = ${to}, version = version + 1, updated_at = now(), updated_by = ${by}
      where org_id = ${actor.orgId} and account_id = any(${ids}) and owner_id = ${from} and deleted_at is null returning id`);
    // Coverage swap: the new user takes over each member; where they already covered it, the old row just goes.
    const members = await rows(tx, sql`
      select cv.member_id as id from buying_center_coverage cv
      join buying_center_members m on m.org_id = cv.org_id and m.id = cv.member_id and m.deleted_at is null
      join opportunities o on o.org_id = m.org_id and o.id = m.opportunity_id and o.status = 'open' and o.deleted_at is null
      where cv.org_id = ${actor.orgId} and cv.user_id = ${from} and o.account_id = any(${ids})`);
    if (members.length) {
      const mids = uuidArray(members.map((m) => String(m.id)));
      await tx.execute(sql`
        insert into buying_center_coverage (org_id, member_id, user_id)
        select ${actor.orgId}, unnest(${mids}), ${to}::uuid
        on conflict do nothing`);
      await tx.execute(sql`delete from buying_center_coverage where org_id = ${actor.orgId} and user_id = ${from} and member_id = any(${mids})`);
    }
    const entries = [
      ...accs.map(moved('account')),
      ...opps.map(moved('opportunity')),
      ...tasks.map((t) => ({ action: 'handover', entity: 'task', entityId: String(t.id), before: { assigneeId: from }, after: { assigneeId: to, kind: String(t.kind), note: input.note ?? null } })),
      ...contacts.map(moved('contact')),
      ...members.map((m) => ({ action: 'handover', entity: 'buying_center_member', entityId: String(m.id), before: { coverer: from }, after: { coverer: to, note: input.note ?? null } })),
    ];
    await audit(tx, actor, entries);
    const touched = (await rows(tx, sql`select id from opportunities where org_id = ${actor.orgId} and account_id = any(${ids}) and status = 'open' and deleted_at is null`)).map((r) => String(r.id));
    if (touched.length) await recomputeCoverage(tx, actor.orgId, touched);
    return { accounts: accs.length, opportunities: opps.length, tasks: tasks.length, contacts: contacts.length, coverage: members.length, auditEntries: entries.length };
  });
}

