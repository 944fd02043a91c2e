/** API contract of the buying center (zod only; the web app imports these types). */
import { z } from 'zod';
import { ATTITUDE_KEYS } from './rules.ts';

const key = z.string().trim().min(1).max(63);
const note = z.string().trim().max(2000).nullable();

export const attitude = z.enum(ATTITUDE_KEYS);
export const influence = z.number().int().min(1, 'Influence is 1–5').max(5, 'Influence is 1–5');
export const strength = z.number().int().min(1, 'Strength is 1–5').max(5, 'Strength is 1–5');

export const memberCreate = z.object({
  contactId: z.uuid({ error: 'Not a valid id' }),
  roles: z.array(key).max(7).optional(),
  influence: influence.optional(),
  attitude: attitude.optional(),
  note: note.optional(),
  /** Our users who cover this member. */
  coverers: z.array(z.uuid({ error: 'Not a valid id' })).max(20).optional(),
}).strict();

export const memberUpdate = z.object({
  roles: z.array(key).max(7),
  influence,
  attitude,
  note,
  coverers: z.array(z.uuid({ error: 'Not a valid id' })).max(20),
  version: z.number().int(),
}).partial().strict();

export const coverer = z.object({ userId: z.uuid(), name: z.string(), department: z.string().nullable(), active: z.boolean() });

export const member = z.object({
  id: z.uuid(),
  opportunityId: z.uuid(),
  contactId: z.uuid(),
  contactName: z.string(),
  title: z.string().nullable(),
  department: z.string().nullable(),
  accountId: z.uuid().nullable(),
  accountName: z.string().nullable(),
  accountKind: z.string().nullable(),
  roles: z.array(z.string()),
  influence: z.number().int(),
  attitude,
  note: z.string().nullable(),
  version: z.number().int(),
  coverers: z.array(coverer),
  lastReachedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'BuyingCenterMember' });
export type Member = z.infer<typeof member>;

export const gap = z.object({
  kind: z.enum(['no_members', 'missing_role', 'single_threaded', 'uncovered', 'not_reached', 'blocker']),
  memberId: z.string().optional(),
  role: z.string().optional(),
  severity: z.enum(['high', 'medium', 'low']),
  penalty: z.number(),
  days: z.number().int().nullable().optional(),
  reason: z.string(),
  action: z.string(),
}).meta({ id: 'CoverageGap' });
export type CoverageGap = z.infer<typeof gap>;

export const coverage = z.object({
  score: z.number().int(),
  complexity: z.number().int(),
  reachDays: z.number().int(),
  gaps: z.array(gap),
}).meta({ id: 'Coverage' });

export const matrix = z.object({
  model: z.enum(['none', 'bow_tie', 'diamond', 'mixed']),
  departments: z.array(z.string()),
  roles: z.array(z.string()),
  cells: z.array(z.object({ department: z.string(), role: z.string(), members: z.number().int() })),
  topUserShare: z.number(),
  users: z.number().int(),
}).meta({ id: 'CommunicationMatrix' });
export type Matrix = z.infer<typeof matrix>;

export const linkCreate = z.object({
  fromContactId: z.uuid({ error: 'Not a valid id' }),
  toContactId: z.uuid({ error: 'Not a valid id' }),
  linkType: key,
  strength: strength.optional(),
  note: note.optional(),
}).strict();
export const linkUpdate = z.object({ linkType: key, strength, note, version: z.number().int() }).partial().strict();

export const contactLink = z.object({
  id: z.uuid(),
  fromContactId: z.uuid(),
  fromName: z.string(),
  fromAccountId: z.uuid().nullable(),
  fromAccountName: z.string().nullable(),
  toContactId: z.uuid(),
  toName: z.string(),
  toAccountId: z.uuid().nullable(),
  toAccountName: z.string().nullable(),
  linkType: z.string(),
  strength: z.number().int(),
  note: z.string().nullable(),
  version: z.number().int(),
}).meta({ id: 'ContactLink' });
export type ContactLink = z.infer<typeof contactLink>;

export const opportunityBrief = z.object({
  id: z.uuid(),
  name: z.string(),
  accountId: z.uuid(),
  accountName: z.string(),
  buyingSituation: z.string().nullable(),
  complexity: z.number().int(),
  status: z.string(),
  ownerId: z.uuid().nullable(),
  coverageScore: z.number().nullable(),
});

export const buyingCenter = z.object({
  opportunity: opportunityBrief,
  members: z.array(member),
  coverage,
  matrix,
  /** Links among the members' contacts (the part of the network inside this buying center). */
  links: z.array(contactLink),
}).meta({ id: 'BuyingCenter' });
export type BuyingCenter = z.infer<typeof buyingCenter>;

export const mergedMember = z.object({
  contactId: z.uuid(),
  contactName: z.string(),
  title: z.string().nullable(),
  department: z.string().nullable(),
  accountId: z.uuid().nullable(),
  accountName: z.string().nullable(),
  roles: z.array(z.string()),
  influence: z.number().int(),
  attitude,
  coverers: z.array(coverer),
  opportunityIds: z.array(z.uuid()),
  lastReachedAt: z.string().nullable(),
});
export type MergedMember = z.infer<typeof mergedMember>;

export const accountBuyingCenter = z.object({
  account: z.object({ id: z.uuid(), name: z.string() }),
  opportunities: z.array(opportunityBrief.extend({ score: z.number().int(), gaps: z.number().int() })),
  members: z.array(mergedMember),
  matrix,
  links: z.array(contactLink),
}).meta({ id: 'AccountBuyingCenter' });
export type AccountBuyingCenter = z.infer<typeof accountBuyingCenter>;

export const roleInfo = z.object({
  key: z.string(),
  label: z.record(z.string(), z.string()),
  active: z.boolean(),
  /** Penalty for a missing holder per complexity [straight rebuy, modified rebuy, new task]; 0 = not required. */
  weights: z.array(z.number()),
});

export const dependenceQuery = z.object({
  userId: z.uuid().optional().describe('Only accounts whose top user is this user'),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

const shareTriple = z.object({ interactions: z.number().nullable(), decisionMembers: z.number().nullable(), pipeline: z.number().nullable() });
export const dependenceReport = z.object({
  accounts: z.array(z.object({
    accountId: z.uuid(),
    accountName: z.string(),
    ownerId: z.uuid().nullable(),
    dependence: z.number(),
    level: z.enum(['high', 'medium', 'low']),
    topUserId: z.uuid().nullable(),
    topUserName: z.string().nullable(),
    topUserActive: z.boolean().nullable(),
    shares: shareTriple,
    totals: z.object({ interactions: z.number(), decisionMembers: z.number(), pipeline: z.number() }),
    exposure: z.number(),
  })),
  users: z.array(z.object({
    userId: z.uuid(),
    name: z.string(),
    department: z.string().nullable(),
    active: z.boolean(),
    accounts: z.number().int(),
    highAccounts: z.number().int(),
    pipeline: z.number(),
    exposure: z.number(),
  })),
}).meta({ id: 'DependenceReport' });
export type DependenceReport = z.infer<typeof dependenceReport>;

export const handoverQuery = z.object({
  fromUserId: z.uuid({ error: 'Not a valid id' }),
  accountIds: z.string().optional().describe('Comma-separated account ids; omitted = every account of the user'),
});

export const handoverExecute = z.object({
  fromUserId: z.uuid({ error: 'Not a valid id' }),
  toUserId: z.uuid({ error: 'Not a valid id' }),
  accountIds: z.array(z.uuid({ error: 'Not a valid id' })).min(1).max(5000).optional(),
  note: z.string().trim().max(1000).optional(),
}).strict();

const taskBrief = z.object({ id: z.uuid(), title: z.string(), kind: z.string(), dueAt: z.string().nullable(), opportunityId: z.uuid().nullable(), contactId: z.uuid().nullable() });
export const handoverPackage = z.object({
  fromUser: coverer,
  accounts: z.array(z.object({
    accountId: z.uuid(),
    accountName: z.string(),
    ownedByUser: z.boolean(),
    contacts: z.array(z.object({
      memberId: z.uuid(), contactId: z.uuid(), contactName: z.string(), title: z.string().nullable(),
      opportunityId: z.uuid(), opportunityName: z.string(), roles: z.array(z.string()), influence: z.number().int(),
      /** Other active users who also cover this member: 0 means the relationship goes with the leaver. */
      otherCoverers: z.number().int(),
    })),
    opportunities: z.array(z.object({ id: z.uuid(), name: z.string(), amount: z.string().nullable(), currency: z.string().nullable(), buyingStage: z.string(), expectedClose: z.string().nullable() })),
    tasks: z.array(taskBrief),
    promises: z.array(taskBrief),
    interactions: z.array(z.object({ id: z.uuid(), kind: z.string(), subject: z.string().nullable(), occurredAt: z.string() })),
  })),
  totals: z.object({ accounts: z.number().int(), contacts: z.number().int(), opportunities: z.number().int(), tasks: z.number().int(), promises: z.number().int() }),
}).meta({ id: 'HandoverPackage' });
export type HandoverPackage = z.infer<typeof handoverPackage>;

export const handoverResult = z.object({
  accounts: z.number().int(),
  opportunities: z.number().int(),
  tasks: z.number().int(),
  contacts: z.number().int(),
  coverage: z.number().int(),
  auditEntries: z.number().int(),
}).meta({ id: 'HandoverResult' });
