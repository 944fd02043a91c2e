import { z } from 'zod';

export const auditQuery = z
  .object({
    entity: z.string().regex(/^[a-z][a-z_]{1,39}$/, 'Expected an entity such as account').optional(),
    entityId: z.uuid().optional(),
    actorId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export const auditEntry = z
  .object({
    id: z.uuid(),
    at: z.string(),
    actorId: z.uuid().nullable(),
    actorName: z.string().nullable(),
    actorKind: z.enum(['user', 'token', 'system']),
    action: z.string(),
    entity: z.string(),
    entityId: z.uuid().nullable(),
    /** Only the fields that changed (updates), the whole record (creates), or what was removed. */
    before: z.unknown(),
    after: z.unknown(),
  })
  .meta({ id: 'AuditEntry' });

export const auditResponse = z.object({ data: z.array(auditEntry), nextCursor: z.string().nullable() });
