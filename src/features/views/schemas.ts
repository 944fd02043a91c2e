import { z } from 'zod';

/** A list screen's saved state: filters, sort, columns. Its shape belongs to the screen, so it is stored as given. */
const config = z
  .record(z.string(), z.unknown())
  .refine((c) => JSON.stringify(c).length <= 50_000, 'Too large (50 kB at most)');

const writable = {
  entity: z.string().regex(/^[a-z][a-z_]{1,39}$/, 'Expected an entity such as account or opportunity'),
  name: z.string().trim().min(1, 'Required').max(200),
  config,
  /** Shared views are visible to everyone in the organization; only the owner or an admin changes them. */
  shared: z.boolean(),
};

export const viewCreate = z.object({ ...writable }).partial({ config: true, shared: true }).strict();
export const viewUpdate = z.object({ ...writable, version: z.number().int() }).partial().strict();
export const viewListQuery = z.object({ entity: z.string().max(40).optional() }).strict();

export const savedView = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    entity: z.string(),
    name: z.string(),
    shared: z.boolean(),
    config: z.record(z.string(), z.unknown()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    /** Whether the caller may change it. */
    editable: z.boolean(),
  })
  .meta({ id: 'SavedView' });
export type SavedView = z.infer<typeof savedView>;
