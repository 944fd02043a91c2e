import { accounts, contacts, notes, opportunities } from '../../db/schema/index.ts';
import { Resource } from '../../kernel/resource.ts';
import { checkOpportunityAccount } from '../opportunities/queries.ts';
import { note, noteCreate, noteUpdate } from './schemas.ts';

const n = notes;

export const noteResource = new Resource({
  name: 'notes',
  entity: 'note',
  label: 'Note',
  table: n,
  schemas: { create: noteCreate, update: noteUpdate, record: note },
  defaultSort: '-createdAt',
  search: [n.body],
  ownerField: 'authorId',
  refs: {
    accountId: { table: accounts, label: 'Account', softDeleted: true },
    opportunityId: { table: opportunities, label: 'Opportunity', softDeleted: true },
    contactId: { table: contacts, label: 'Contact', softDeleted: true },
  },
  fields: {
    id: { column: n.id, type: 'uuid' },
    pinned: { column: n.pinned, type: 'boolean' },
    authorId: { column: n.authorId, type: 'uuid' },
    accountId: { column: n.accountId, type: 'uuid' },
    opportunityId: { column: n.opportunityId, type: 'uuid' },
    contactId: { column: n.contactId, type: 'uuid' },
    createdAt: { column: n.createdAt, type: 'timestamp' },
    updatedAt: { column: n.updatedAt, type: 'timestamp' },
  },
  prepare: async (values, { tx, actor, existing }, errs) => {
    await checkOpportunityAccount(tx, actor.orgId, { ...existing, ...values }, errs);
    return values;
  },
});
