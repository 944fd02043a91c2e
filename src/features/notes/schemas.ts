import { z } from 'zod';
import { customValues, recordMeta } from '../../kernel/http-schemas.ts';

const writable = {
  body: z.string().trim().min(1, 'Required').max(100_000),
  pinned: z.boolean(),
  authorId: z.uuid().nullable(),
  accountId: z.uuid().nullable(),
  opportunityId: z.uuid().nullable(),
  contactId: z.uuid().nullable(),
  custom: customValues,
};

export const noteCreate = z.object({ ...writable }).partial().required({ body: true }).strict();
export const noteUpdate = z.object({ ...writable, version: z.number().int() }).partial().strict();

export const note = z
  .object({
    ...recordMeta,
    body: z.string(),
    pinned: z.boolean(),
    authorId: z.uuid().nullable(),
    accountId: z.uuid().nullable(),
    opportunityId: z.uuid().nullable(),
    contactId: z.uuid().nullable(),
  })
  .meta({ id: 'Note' });
export type Note = z.infer<typeof note>;
