import { sql } from 'drizzle-orm';
import { accounts, contacts, opportunities, tasks, users } from '../../db/schema/index.ts';
import { nameField, Resource, type NameSpec } from '../../kernel/resource.ts';
import { checkOpportunityAccount } from '../opportunities/queries.ts';
import { task, taskCreate, taskUpdate } from './schemas.ts';

const t = tasks;
const accountName: NameSpec = { from: 'accountId', table: accounts, column: accounts.name };
const opportunityName: NameSpec = { from: 'opportunityId', table: opportunities, column: opportunities.name };
const contactName: NameSpec = { from: 'contactId', table: contacts, column: contacts.fullName };
const assigneeName: NameSpec = { from: 'assigneeId', table: users, column: users.name };

export const taskResource = new Resource({
  name: 'tasks',
  entity: 'task',
  label: 'Task',
  table: t,
  schemas: { create: taskCreate, update: taskUpdate, record: task },
  defaultSort: 'dueAt',
  search: [t.title],
  ownerField: 'assigneeId',
  names: { accountName, opportunityName, contactName, assigneeName },
  refs: {
    accountId: { table: accounts, label: 'Account', softDeleted: true },
    opportunityId: { table: opportunities, label: 'Opportunity', softDeleted: true },
    contactId: { table: contacts, label: 'Contact', softDeleted: true },
  },
  fields: {
    id: { column: t.id, type: 'uuid' },
    title: { column: t.title, type: 'text' },
    kind: { column: t.kind, type: 'enum', values: ['task', 'next_step', 'promise'] },
    status: { column: t.status, type: 'enum', values: ['open', 'done', 'cancelled'] },
    priority: { column: t.priority, type: 'number' },
    dueAt: { column: t.dueAt, type: 'timestamp' },
    completedAt: { column: t.completedAt, type: 'timestamp' },
    assigneeId: { column: t.assigneeId, type: 'uuid' },
    assigneeName: nameField(assigneeName, t.assigneeId, t.orgId),
    accountId: { column: t.accountId, type: 'uuid' },
    accountName: nameField(accountName, t.accountId, t.orgId),
    opportunityId: { column: t.opportunityId, type: 'uuid' },
    opportunityName: nameField(opportunityName, t.opportunityId, t.orgId),
    contactId: { column: t.contactId, type: 'uuid' },
    contactName: nameField(contactName, t.contactId, t.orgId),
    createdAt: { column: t.createdAt, type: 'timestamp' },
    updatedAt: { column: t.updatedAt, type: 'timestamp' },
  },
  prepare: async (values, { tx, actor, existing }, errs) => {
    await checkOpportunityAccount(tx, actor.orgId, { ...existing, ...values }, errs);
    if (typeof values.dueAt === 'string') values.dueAt = new Date(values.dueAt).toISOString();
    // completedAt says when it was done: set on the move to done, cleared when reopened or cancelled.
    const before = existing?.status ?? null;
    const after = values.status ?? before ?? 'open';
    if (after === 'done' && before !== 'done') values.completedAt = sql`now()`;
    if (after !== 'done' && existing?.completedAt) values.completedAt = null;
    return values;
  },
});
