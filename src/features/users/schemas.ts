import { z } from 'zod';
import { isoDateTime } from '../../kernel/http-schemas.ts';
import { ROLES } from '../vocabularies/defaults.ts';
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from './password-rules.ts';

/** The password rules (features/users/password-rules.ts) for every way a password is set: API, profile, CLI. */
export const password = z
  .string()
  .superRefine((pw, ctx) => {
    const p = passwordProblem(pw);
    if (!p) return;
    if (p.code === 'too_small') ctx.addIssue({ code: 'too_small', origin: 'string', minimum: PASSWORD_MIN, inclusive: true, message: p.message });
    else if (p.code === 'too_big') ctx.addIssue({ code: 'too_big', origin: 'string', maximum: PASSWORD_MAX, inclusive: true, message: p.message });
    else ctx.addIssue({ code: 'custom', message: p.message });
  })
  .meta({ description: `At least ${PASSWORD_MIN} characters after trimming; not only spaces, no control characters, not a common leaked password` });
export const role = z.enum(ROLES);
export const locale = z.enum(['en', 'zh-CN', 'zh-TW']);

export const user = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  email: z.string(),
  name: z.string(),
  role,
  department: z.string().nullable(),
  team: z.string().nullable(),
  locale: z.string().nullable(),
  active: z.boolean(),
  deactivatedAt: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** A colleague as the user list shows them: the e-mail only to administrators and to the user themself. */
export const userListed = user.extend({ email: z.string().nullable().describe('null unless you are an administrator or this is you: colleagues are named, not addressed') });

export const userCreate = z
  .object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(200),
    role,
    department: z.string().trim().max(100).nullish(),
    team: z.string().trim().max(100).nullish(),
    locale: locale.nullish(),
    password,
  })
  .strict();

export const userUpdate = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    role: role.optional(),
    department: z.string().trim().max(100).nullish(),
    team: z.string().trim().max(100).nullish(),
    locale: locale.nullish(),
    active: z.boolean().optional(),
    password: password.optional(),
    version: z.number().int().optional(),
  })
  .strict();

/** What anyone may change on their own profile; a new password needs the current one. */
export const profileUpdate = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    locale: locale.nullish().describe('Preferred language of the web app; null = the browser decides'),
    currentPassword: z.string().min(1).max(200).optional(),
    newPassword: password.optional(),
    version: z.number().int().optional().describe('Optional: when sent (or If-Match), a stale version is a 409'),
  })
  .strict();

export const login = z
  .object({
    email: z.string().trim().min(1).max(254),
    password: z.string().min(1).max(200),
    code: z.string().trim().min(1).max(20).optional().describe('Two-factor code (six digits) or a recovery code, when two-factor sign-in is on'),
    organization: z.string().trim().min(1).max(200).optional().describe("Optional: the organization's slug, when this email has users in several; without it each organization's user is tried, oldest first"),
  })
  .strict();

export const org = z.object({ id: z.uuid(), name: z.string(), baseCurrency: z.string(), locale: z.string() });
export const me = z.object({
  user,
  org,
  csrfToken: z.string().optional(),
  twoFactorEnrolmentRequired: z.boolean().optional().describe('The organization requires two-factor sign-in and this user has none: this session may only set it up'),
});

export const tokenScope = z.enum(['read', 'full']).describe('read: GET/HEAD only (403 `read_only_token` on anything else); full: whatever the user may do');
export const tokenCreate = z
  .object({
    name: z.string().trim().min(1).max(100),
    expiresAt: isoDateTime.refine((v) => Date.parse(v) > Date.now(), 'Must be in the future').optional(),
    scope: tokenScope.default('full').describe('Default full, so scripts written before scopes existed keep working'),
  })
  .strict();
export const token = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scope: tokenScope,
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/** One person of a team file (an office's sales agents): matched to a user, or created inactive without a login. */
export const teamMember = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254).optional(),
    team: z.string().trim().min(1).max(100).optional().describe('team or regional office'),
    department: z.string().trim().min(1).max(100).optional(),
    role: role.optional().describe('default rep'),
  })
  .strict();
export const teamImport = z
  .object({
    members: z.array(teamMember).min(1).max(5000),
    dryRun: z.boolean().optional().describe('report what would happen, change nothing'),
  })
  .strict();
export const teamImportResult = z.object({
  dryRun: z.boolean(),
  created: z.array(z.object({ line: z.number().int(), id: z.uuid().nullable(), name: z.string(), email: z.string() })).describe('new users: inactive, no password (an admin activates and invites them)'),
  existing: z.array(z.object({ line: z.number().int(), id: z.uuid().nullable(), name: z.string(), email: z.string(), matchedBy: z.enum(['email', 'name']) })),
  ambiguous: z.array(z.object({ line: z.number().int(), name: z.string(), candidates: z.array(z.string()) })).describe('a name several users share: nothing done, give the e-mail'),
});
