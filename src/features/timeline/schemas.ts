import { z } from 'zod';

export const TIMELINE_TYPES = ['interaction', 'note', 'task', 'order', 'stage_change', 'status_change', 'feedback'] as const;

export const timelineQuery = z
  .object({
    accountId: z.uuid().optional(),
    opportunityId: z.uuid().optional(),
    contactId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    before: z.string().max(200).optional().describe('nextCursor of the previous page, or an ISO date-time'),
  })
  .strict();

export const timelineItem = z
  .object({
    type: z.enum(TIMELINE_TYPES),
    id: z.uuid(),
    at: z.string(),
    /** The user who did it: interaction owner, note author, task assignee, order creator, whoever moved the stage. */
    actorId: z.uuid().nullable(),
    title: z.string().nullable(),
    /** Type-specific details; interactions carry `contacts` and `users` (their side and ours) as [{id, name}]. */
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'TimelineItem' });

export const timelineResponse = z.object({ data: z.array(timelineItem), nextCursor: z.string().nullable() });
export type TimelineItem = z.infer<typeof timelineItem>;
