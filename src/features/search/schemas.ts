import { z } from 'zod';

export const SEARCH_TYPES = ['account', 'contact', 'opportunity'] as const;

export const searchQuery = z
  .object({
    q: z.string().trim().min(1, 'Required').max(200),
    limit: z.coerce.number().int().min(1).max(50).optional(),
  })
  .strict();

export const searchHit = z
  .object({
    type: z.enum(SEARCH_TYPES),
    id: z.uuid(),
    title: z.string(),
    subtitle: z.string().nullable(),
  })
  .meta({ id: 'SearchHit' });

export const searchResponse = z.object({ data: z.array(searchHit) });
export type SearchHit = z.infer<typeof searchHit>;
