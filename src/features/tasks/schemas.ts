import { z } from 'zod';
import { customValues, isoDateTime, recordMeta, refName } from '../../kernel/http-schemas.ts';

export const TASK_KINDS = ['task', 'next_step', 'promise'] as const;
export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;

const writable = {
  title: z.string().trim().min(1, 'Required').max(500),
  description: z.string().max(20_000).nullable(),
  /** A promise is a commitment made to the customer: it goes into every handover. */
  kind: z.enum(TASK_KINDS),
  status: z.enum(TASK_STATUSES),
  /** 1 high, 2 normal, 3 low. */
  priority: z.number().int().min(1).max(3),
  dueAt: isoDateTime.nullable(),
  assigneeId: z.uuid().nullable(),
  accountId: z.uuid().nullable(),
  opportunityId: z.uuid().nullable(),
  contactId: z.uuid().nullable(),
  custom: customValues,
};

export const taskCreate = z.object({ ...writable }).partial().required({ title: true }).strict();
export const taskUpdate = z.object({ ...writable, version: z.number().int() }).partial().strict();

export const task = z
  .object({
    ...recordMeta,
    title: z.string(),
    description: z.string().nullable(),
    kind: z.enum(TASK_KINDS),
    status: z.enum(TASK_STATUSES),
    priority: z.number().int(),
    dueAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    assigneeId: z.uuid().nullable(),
    assigneeName: refName('assignee'),
    accountId: z.uuid().nullable(),
    accountName: refName('account'),
    opportunityId: z.uuid().nullable(),
    opportunityName: refName('opportunity'),
    contactId: z.uuid().nullable(),
    contactName: refName('contact'),
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof task>;
