import { z } from 'zod';
import { customValues, isoDateTime, recordMeta, refName } from '../../kernel/http-schemas.ts';
import { AISAS_STEPS } from '../vocabularies/defaults.ts';

const text = (max = 200) => z.string().trim().max(max);

export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
const ids = z.array(z.uuid()).max(200).transform((a) => [...new Set(a.map((x) => x.toLowerCase()))]);

const writable = {
  accountId: z.uuid(),
  opportunityId: z.uuid().nullable(),
  kind: text(63).min(1, 'Required'),
  direction: z.enum(DIRECTIONS),
  subject: text(500).nullable(),
  body: z.string().max(100_000).nullable(),
  occurredAt: isoDateTime,
  durationMinutes: z.number().int().min(0).max(100_000).nullable(),
  aisasStep: z.enum(AISAS_STEPS).nullable(),
  source: text(63).nullable(),
  ownerId: z.uuid().nullable(),
  /** Their side: contacts who took part (the account's, or a partner's). */
  contactIds: ids,
  /** Our side: users who took part. */
  userIds: ids,
  custom: customValues,
};

export const interactionCreate = z.object({ ...writable }).partial().required({ accountId: true, kind: true, occurredAt: true }).strict();
export const interactionUpdate = z.object({ ...writable, version: z.number().int() }).partial().strict();

export const interaction = z
  .object({
    ...recordMeta,
    accountId: z.uuid(),
    accountName: refName('account'),
    opportunityId: z.uuid().nullable(),
    opportunityName: refName('opportunity'),
    kind: z.string(),
    direction: z.enum(DIRECTIONS),
    subject: z.string().nullable(),
    body: z.string().nullable(),
    occurredAt: z.string(),
    durationMinutes: z.number().nullable(),
    aisasStep: z.string().nullable(),
    source: z.string().nullable(),
    ownerId: z.uuid().nullable(),
    ownerName: refName('owner'),
    contactIds: z.array(z.uuid()),
    userIds: z.array(z.uuid()),
    participants: z
      .object({
        contacts: z.array(z.object({ id: z.uuid(), name: z.string() })),
        users: z.array(z.object({ id: z.uuid(), name: z.string() })),
      })
      .describe('Read-only: who took part, with names, ordered by name (the ids are contactIds / userIds)'),
  })
  .meta({ id: 'Interaction' });
export type Interaction = z.infer<typeof interaction>;
