import { z } from 'zod';
import { recordMeta } from '../../kernel/http-schemas.ts';

/**
 * A segment is a saved account filter in the accounts list's own syntax: `filters` holds the
 * query-string pairs (`needType`, `portfolioType[in]`, `fitScore[gte]`, `custom.region`…).
 */
export const segmentDefinition = z
  .object({
    filters: z.record(z.string().min(1).max(100), z.union([z.string().max(500), z.array(z.string().max(500)).max(50)])).default({}),
    q: z.string().trim().max(200).optional(),
  })
  .strict();
export type SegmentDefinition = z.infer<typeof segmentDefinition>;

const writable = {
  name: z.string().trim().min(1, 'Required').max(200),
  entity: z.literal('account'),
  definition: segmentDefinition,
  custom: z.record(z.string(), z.unknown()),
};

export const segmentCreate = z.object({ ...writable }).partial().required({ name: true, definition: true }).strict();
export const segmentUpdate = z.object({ ...writable, version: z.number().int() }).partial().strict();

export const segment = z
  .object({
    ...recordMeta,
    name: z.string(),
    entity: z.string(),
    definition: z.object({ filters: z.record(z.string(), z.union([z.string(), z.array(z.string())])), q: z.string().optional() }).passthrough(),
  })
  .meta({ id: 'Segment' });
export type Segment = z.infer<typeof segment>;
