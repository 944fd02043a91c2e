import { and, asc, eq, getTableColumns, or, sql } from 'drizzle-orm';
import {
  accounts,
  auditLog,
  buyingCenterMembers,
  contactLinks,
  contacts,
  customFieldDefs,
  interactionContacts,
  interactions,
  notes,
  opportunities,
  tasks,
} from '../../db/schema/index.ts';
import { requireRole, type Actor } from '../../kernel/actor.ts';
import { audit } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { conflict, notFound } from '../../kernel/errors.ts';
import { ERASED_NAME, identifyingPattern, linkedRecordPattern, REDACTED } from './rules.ts';

/** Personal-data requests are for the people who answer for the data: admins and managers. */
const requireDataOfficer = (actor: Actor) => requireRole(actor, 'admin', 'manager');

/** Audit entries about the person: their own, and any that name their id (memberships, participations…). */
const aboutContact = (id: string) =>
  or(and(eq(auditLog.entity, 'contact'), eq(auditLog.entityId, id)), sql`${auditLog.before}::text like ${'%' + id + '%'}`, sql`${auditLog.after}::text like ${'%' + id + '%'}`);

/**
 * Everything Accord holds about one contact, for a subject-access request: the record with its
 * custom fields, consent, the interactions they took part in, their buying-center roles, links
 * to other contacts (ids only: the other people's data is not theirs), notes, tasks and the
 * audit entries about them. Erased contacts answer their anonymous stub.
 */
export async function personalData(db: Db, actor: Actor, id: string) {
  requireDataOfficer(actor);
  const org = actor.orgId;
  const [contact] = await db.select().from(contacts).where(and(eq(contacts.orgId, org), eq(contacts.id, id)));
  if (!contact) throw notFound('Contact');
  const [account] = contact.accountId
    ? await db.select({ id: accounts.id, name: accounts.name }).from(accounts).where(and(eq(accounts.orgId, org), eq(accounts.id, contact.accountId)))
    : [];
  const defs = await db.select({ key: customFieldDefs.key, label: customFieldDefs.label, type: customFieldDefs.type }).from(customFieldDefs).where(and(eq(customFieldDefs.orgId, org), eq(customFieldDefs.entity, 'contact')));
  const custom = contact.custom ?? {};
  const customFields = defs.filter((d) => custom[d.key] !== undefined).map((d) => ({ ...d, value: custom[d.key] }));
  const i = getTableColumns(interactions);
  const took = await db
    .select({ id: i.id, kind: i.kind, direction: i.direction, subject: i.subject, body: i.body, occurredAt: i.occurredAt, durationMinutes: i.durationMinutes, accountId: i.accountId, opportunityId: i.opportunityId, deletedAt: i.deletedAt })
    .from(interactionContacts)
    .innerJoin(interactions, and(eq(interactions.orgId, interactionContacts.orgId), eq(interactions.id, interactionContacts.interactionId)))
    .where(and(eq(interactionContacts.orgId, org), eq(interactionContacts.contactId, id)))
    .orderBy(asc(interactions.occurredAt));
  const b = buyingCenterMembers;
  const roles = await db
    .select({ id: b.id, opportunityId: b.opportunityId, opportunityName: opportunities.name, roles: b.roles, influence: b.influence, attitude: b.attitude, note: b.note, deletedAt: b.deletedAt })
    .from(b)
    .innerJoin(opportunities, and(eq(opportunities.orgId, b.orgId), eq(opportunities.id, b.opportunityId)))
    .where(and(eq(b.orgId, org), eq(b.contactId, id)));
  const l = contactLinks;
  const links = await db
    .select({ id: l.id, fromContactId: l.fromContactId, toContactId: l.toContactId, linkType: l.linkType, strength: l.strength, note: l.note, deletedAt: l.deletedAt })
    .from(l)
    .where(and(eq(l.orgId, org), or(eq(l.fromContactId, id), eq(l.toContactId, id))));
  const n = notes;
  const noteRows = await db.select({ id: n.id, body: n.body, accountId: n.accountId, opportunityId: n.opportunityId, createdAt: n.createdAt, deletedAt: n.deletedAt }).from(n).where(and(eq(n.orgId, org), eq(n.contactId, id)));
  const tk = tasks;
  const taskRows = await db
    .select({ id: tk.id, title: tk.title, description: tk.description, kind: tk.kind, status: tk.status, dueAt: tk.dueAt, completedAt: tk.completedAt, deletedAt: tk.deletedAt })
    .from(tk)
    .where(and(eq(tk.orgId, org), eq(tk.contactId, id)));
  const auditRows = await db
    .select({ id: auditLog.id, at: auditLog.at, actorId: auditLog.actorId, action: auditLog.action, entity: auditLog.entity, entityId: auditLog.entityId, before: auditLog.before, after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.orgId, org), aboutContact(id)))
    .orderBy(asc(auditLog.at));
  const { custom: _c, ...record } = contact;
  await audit(db, actor, { action: 'export_personal_data', entity: 'contact', entityId: id });
  return {
    exportedAt: new Date().toISOString(),
    contact: record,
    account: account ?? null,
    customFields,
    consent: { consent: contact.consent, doNotEmail: contact.doNotEmail, source: contact.source },
    interactions: took,
    buyingCenterRoles: roles,
    contactLinks: links,
    notes: noteRows,
    tasks: taskRows,
    audit: auditRows,
  };
}

export type PersonalData = Awaited<ReturnType<typeof personalData>>;

/**
 * Erases a contact on request. Structured links go (participations, buying-center memberships,
 * links to other contacts, notes filed only under them); notes and tasks filed also under an
 * account or deal stay with the person's name, email and phone numbers replaced, as do mentions
 * in any note, task, interaction, import error or audit entry of the organization. The contact row
 * stays as an anonymous, deleted stub (ids elsewhere keep resolving) and the audit records that an
 * erasure happened — who, when, which id — and nothing of what was erased.
 * One transaction: it happens entirely or not at all.
 */
export async function eraseContact(db: Db, actor: Actor, id: string) {
  requireDataOfficer(actor);
  const org = actor.orgId;
  return db.transaction(async (tx) => {
    const [c] = await tx.select().from(contacts).where(and(eq(contacts.orgId, org), eq(contacts.id, id))).for('update');
    if (!c) throw notFound('Contact');
    if (c.erasedAt) throw conflict('This contact was already erased');
    const pattern = identifyingPattern(c);
    const counts: Record<string, number> = {};
    const run = async (key: string, q: ReturnType<typeof sql>) => {
      const res = await (tx as DbOrTx).execute(q);
      counts[key] = (counts[key] ?? 0) + ((res as { rowCount?: number | null; affectedRows?: number }).rowCount ?? (res as { affectedRows?: number }).affectedRows ?? 0);
    };
    const redactWith = (p: string) => (col: string) => sql`regexp_replace(${sql.raw(col)}, ${p}, ${REDACTED}, 'gi')`;
    const mentionsOf = (p: string) => (col: string) => sql`${sql.raw(col)} ~* ${p}`;
    // First the records linked to the person, while the links still exist: there even a short name is theirs.
    const linked = linkedRecordPattern(c);
    if (linked) {
      const redact = redactWith(linked);
      const mentions = mentionsOf(linked);
      await run('mentions', sql`update notes set body = ${redact('body')} where org_id = ${org} and contact_id = ${id} and ${mentions('body')}`);
      await run('mentions', sql`update tasks set title = ${redact('title')}, description = ${redact('description')} where org_id = ${org} and contact_id = ${id} and (${mentions('title')} or ${mentions('description')})`);
      await run('mentions', sql`update interactions set subject = ${redact('subject')}, body = ${redact('body')}
                                 where org_id = ${org} and id in (select interaction_id from interaction_contacts where org_id = ${org} and contact_id = ${id})
                                   and (${mentions('subject')} or ${mentions('body')})`);
    }
    await run('participations', sql`delete from interaction_contacts where org_id = ${org} and contact_id = ${id}`);
    await run('buyingCenterRoles', sql`delete from buying_center_members where org_id = ${org} and contact_id = ${id}`);
    await run('contactLinks', sql`delete from contact_links where org_id = ${org} and (from_contact_id = ${id} or to_contact_id = ${id})`);
    await run('notes', sql`delete from notes where org_id = ${org} and contact_id = ${id} and account_id is null and opportunity_id is null`);
    await run('notes', sql`update notes set contact_id = null, updated_at = now() where org_id = ${org} and contact_id = ${id}`);
    await run('tasks', sql`update tasks set contact_id = null, updated_at = now() where org_id = ${org} and contact_id = ${id}`);
    if (pattern) {
      const redact = redactWith(pattern);
      const mentions = mentionsOf(pattern);
      await run('mentions', sql`update notes set body = ${redact('body')} where org_id = ${org} and ${mentions('body')}`);
      await run('mentions', sql`update tasks set title = ${redact('title')}, description = ${redact('description')} where org_id = ${org} and (${mentions('title')} or ${mentions('description')})`);
      await run('mentions', sql`update interactions set subject = ${redact('subject')}, body = ${redact('body')} where org_id = ${org} and (${mentions('subject')} or ${mentions('body')})`);
      await run('importRows', sql`update import_job_errors set raw = null, message = ${redact('message')} where org_id = ${org} and (${mentions('raw')} or ${mentions('message')})`);
      // Audit entries keep who did what and when; a changed-values body that names the person goes.
      await run('audit', sql`update audit_log set before = case when before::text ~* ${pattern} then '{"redacted":true}'::jsonb else before end,
                                                  after = case when after::text ~* ${pattern} then '{"redacted":true}'::jsonb else after end
                              where org_id = ${org} and (before::text ~* ${pattern} or after::text ~* ${pattern})`);
    }
    await run('audit', sql`update audit_log set before = null, after = null where org_id = ${org} and entity = 'contact' and entity_id = ${id} and (before is not null or after is not null)`);
    // The transaction's time as a value: Citus refuses now() inside COALESCE in an UPDATE.
    const { rows: [clock] } = await tx.execute(sql`select now()::text as at`);
    const at = String((clock as { at: string }).at);
    const [stub] = await tx
      .update(contacts)
      .set({
        accountId: null,
        firstName: null,
        lastName: null,
        fullName: ERASED_NAME,
        title: null,
        department: null,
        language: null,
        email: null,
        phone: null,
        mobile: null,
        country: null,
        city: null,
        consent: 'denied',
        doNotEmail: true,
        source: null,
        aisasStep: null,
        tags: [],
        custom: {},
        erasedAt: sql`now()`,
        deletedAt: sql`coalesce(${contacts.deletedAt}, ${at}::timestamptz)`,
        version: sql`${contacts.version} + 1`,
        updatedAt: sql`now()`,
        updatedBy: actor.kind === 'system' ? null : actor.userId,
      })
      .where(and(eq(contacts.orgId, org), eq(contacts.id, id)))
      .returning({ id: contacts.id, erasedAt: contacts.erasedAt });
    await audit(tx, actor, { action: 'erase', entity: 'contact', entityId: id, after: { erasedAt: stub!.erasedAt, removed: counts } });
    return { id, erasedAt: stub!.erasedAt!, removed: counts };
  });
}
