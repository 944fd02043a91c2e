import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { accounts, contacts, interactionContacts, interactions, interactionUsers, opportunities, users } from '../../db/schema/index.ts';
import type { Actor } from '../../kernel/actor.ts';
import { audit } from '../../kernel/audit.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import type { FieldErrors } from '../../kernel/errors.ts';
import { nameField, Resource, type NameSpec, type Row } from '../../kernel/resource.ts';
import { checkOpportunityAccount } from '../opportunities/queries.ts';
import { interaction, interactionCreate, interactionUpdate } from './schemas.ts';

const i = interactions;
const ic = interactionContacts;
const iu = interactionUsers;
const accountName: NameSpec = { from: 'accountId', table: accounts, column: accounts.name };
const opportunityName: NameSpec = { from: 'opportunityId', table: opportunities, column: opportunities.name };
const ownerName: NameSpec = { from: 'ownerId', table: users, column: users.name };

type Person = { id: string; name: string };

/**
 * Participants of a page of interactions, both sides with their names, in one query. The subqueries
 * name the organization themselves: correlated only through interactions.org_id, a sharded database
 * (Citus) cannot tell they stay in one shard and asks every shard.
 */
async function withParticipants(db: DbOrTx, actor: Actor, rows: Row[]): Promise<Row[]> {
  const ids = rows.map((r) => r.id);
  const found = (await db
    .select({
      id: i.id,
      contacts: sql<Person[]>`(select coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'name', c.full_name) order by c.full_name, c.id), '[]'::jsonb)
        from interaction_contacts x join contacts c on c.org_id = x.org_id and c.id = x.contact_id where x.org_id = ${actor.orgId} and x.interaction_id = interactions.id)`,
      users: sql<Person[]>`(select coalesce(jsonb_agg(jsonb_build_object('id', u.id, 'name', u.name) order by u.name, u.id), '[]'::jsonb)
        from interaction_users x join users u on u.org_id = x.org_id and u.id = x.user_id where x.org_id = ${actor.orgId} and x.interaction_id = interactions.id)`,
    })
    .from(i)
    .where(and(eq(i.orgId, actor.orgId), inArray(i.id, ids)))) as { id: string; contacts: Person[] | string; users: Person[] | string }[];
  const parse = (v: Person[] | string | undefined): Person[] => (typeof v === 'string' ? (JSON.parse(v) as Person[]) : v ?? []);
  const byId = new Map(found.map((f) => [f.id, { contacts: parse(f.contacts), users: parse(f.users) }]));
  return rows.map((r) => {
    const p = byId.get(r.id) ?? { contacts: [], users: [] };
    return { ...r, contactIds: p.contacts.map((c) => c.id).sort(), userIds: p.users.map((u) => u.id).sort(), participants: p };
  });
}

async function checkParticipants(tx: DbOrTx, orgId: string, values: Record<string, unknown>, errs: FieldErrors) {
  const cids = values.contactIds as string[] | undefined;
  if (cids?.length) {
    const ok = await tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.orgId, orgId), inArray(contacts.id, cids), isNull(contacts.deletedAt)));
    const have = new Set(ok.map((r) => r.id));
    for (const c of cids) if (!have.has(c)) errs.add('contactIds', `Contact not found: ${c}`, 'not_found', { entity: 'contact' });
  }
  const uids = values.userIds as string[] | undefined;
  if (uids?.length) {
    const ok = await tx
      .select({ id: users.id, active: users.active })
      .from(users)
      .where(and(eq(users.orgId, orgId), inArray(users.id, uids)));
    const have = new Map(ok.map((r) => [r.id, r.active]));
    for (const u of uids) {
      if (!have.has(u)) errs.add('userIds', `User not found: ${u}`, 'not_found', { entity: 'user' });
      else if (!have.get(u)) errs.add('userIds', `User is deactivated: ${u}`, 'deactivated');
    }
  }
}

/** Replaces one side's participants with `want`; returns the previous set when it changed. */
async function replaceSide(
  tx: DbOrTx,
  orgId: string,
  interactionId: string,
  side: 'contacts' | 'users',
  want: string[],
): Promise<string[] | null> {
  const t = side === 'contacts' ? ic : iu;
  const col = side === 'contacts' ? ic.contactId : iu.userId;
  const scope = and(eq(t.orgId, orgId), eq(t.interactionId, interactionId));
  const had = (await tx.select({ id: col }).from(t).where(scope)).map((r) => r.id).sort();
  const wantSorted = [...want].sort();
  if (had.length === wantSorted.length && had.every((x, k) => x === wantSorted[k])) return null;
  await tx.delete(t).where(scope);
  if (want.length) {
    if (side === 'contacts') await tx.insert(ic).values(want.map((contactId) => ({ orgId, interactionId, contactId })));
    else await tx.insert(iu).values(want.map((userId) => ({ orgId, interactionId, userId })));
  }
  return had;
}

export const interactionResource = new Resource({
  name: 'interactions',
  entity: 'interaction',
  label: 'Interaction',
  table: i,
  schemas: { create: interactionCreate, update: interactionUpdate, record: interaction },
  defaultSort: '-occurredAt',
  search: [i.subject, i.body],
  ownerField: 'ownerId',
  names: { accountName, opportunityName, ownerName },
  vocab: { kind: 'interaction_kind', source: 'lead_source' },
  refs: {
    accountId: { table: accounts, label: 'Account', softDeleted: true },
    opportunityId: { table: opportunities, label: 'Opportunity', softDeleted: true },
  },
  virtual: ['contactIds', 'userIds'],
  fields: {
    id: { column: i.id, type: 'uuid' },
    accountId: { column: i.accountId, type: 'uuid' },
    accountName: nameField(accountName, i.accountId, i.orgId),
    opportunityId: { column: i.opportunityId, type: 'uuid' },
    opportunityName: nameField(opportunityName, i.opportunityId, i.orgId),
    kind: { column: i.kind, type: 'text' },
    direction: { column: i.direction, type: 'enum', values: ['inbound', 'outbound', 'internal'] },
    subject: { column: i.subject, type: 'text' },
    occurredAt: { column: i.occurredAt, type: 'timestamp' },
    durationMinutes: { column: i.durationMinutes, type: 'number' },
    aisasStep: { column: i.aisasStep, type: 'text' },
    source: { column: i.source, type: 'text' },
    ownerId: { column: i.ownerId, type: 'uuid' },
    ownerName: nameField(ownerName, i.ownerId, i.orgId),
    // `contactIds=<id>` / `userIds[in]=a,b`: interactions a given person took part in.
    contactIds: { column: sql`(select coalesce(jsonb_agg(${ic.contactId}::text), '[]'::jsonb) from ${ic} where ${ic.orgId} = ${i.orgId} and ${ic.interactionId} = ${i.id})`, type: 'tags' },
    userIds: { column: sql`(select coalesce(jsonb_agg(${iu.userId}::text), '[]'::jsonb) from ${iu} where ${iu.orgId} = ${i.orgId} and ${iu.interactionId} = ${i.id})`, type: 'tags' },
    createdAt: { column: i.createdAt, type: 'timestamp' },
    updatedAt: { column: i.updatedAt, type: 'timestamp' },
  },
  prepare: async (values, { tx, actor, existing }, errs) => {
    await checkOpportunityAccount(tx, actor.orgId, { ...existing, ...values }, errs);
    await checkParticipants(tx, actor.orgId, values, errs);
    if (typeof values.occurredAt === 'string') values.occurredAt = new Date(values.occurredAt).toISOString();
    return values;
  },
  // Participants live in child tables: written in the same transaction, audited like a field.
  afterWrite: async ({ tx, actor, input }, after) => {
    const before: Record<string, unknown> = {};
    const now: Record<string, unknown> = {};
    for (const [field, side] of [['contactIds', 'contacts'], ['userIds', 'users']] as const) {
      const want = input?.[field] as string[] | undefined;
      if (want === undefined) continue;
      const had = await replaceSide(tx, actor.orgId, after.id, side, want);
      if (had) {
        before[field] = had;
        now[field] = [...want].sort();
      }
    }
    if (Object.keys(now).length) {
      await audit(tx, actor, { action: 'participants', entity: 'interaction', entityId: after.id, before, after: now });
    }
  },
  expand: withParticipants,
});
