import { sql } from 'drizzle-orm';
import { accounts, contacts, opportunities, tasks } from '../../db/schema/index.ts';
import { Resource } from '../../kernel/resource.ts';
import { checkOpportunityAccount } from '../opportunities/queries.ts';
import { task, taskCreate, taskUpdate } from './schemas.ts';

const t = tasks;

export const taskResource = new Resource({
  name: 'tasks',
  entity: 'task',
  label: 'Task',
  table: t,
  schemas: { create: taskCreate, update: taskUpdate, record: task },
  defaultSort: 'dueAt',
  search: [t.title],
  ownerField: 'assigneeId',
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
    accountId: { column: t.accountId, type: 'uuid' },
    opportunityId: { column: t.opportunityId, type: 'uuid' },
    contactId: { column: t.contactId, type: 'uuid' },
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
