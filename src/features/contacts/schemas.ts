import { z } from 'zod';
import { countryCode, customValues, recordMeta, refName, tagList } from '../../kernel/http-schemas.ts';
import { AISAS_STEPS } from '../vocabularies/defaults.ts';

const text = (max = 200) => z.string().trim().max(max);

export const CONSENT_STATES = ['unknown', 'granted', 'denied'] as const;

const writable = {
  accountId: z.uuid().nullable(),
  firstName: text(100).nullable(),
  lastName: text(100).nullable(),
  fullName: text(200).min(1, 'Required'),
  title: text(200).nullable(),
  department: text(100).nullable(),
  language: text(35).regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Expected a language tag such as en or zh-CN').nullable(),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email({ error: 'Expected an email address' })).nullable(),
  phone: text(50).nullable(),
  mobile: text(50).nullable(),
  country: countryCode.nullable(),
  city: text(100).nullable(),
  consent: z.enum(CONSENT_STATES),
  doNotEmail: z.boolean(),
  ownerId: z.uuid().nullable(),
  source: text(63).nullable(),
  aisasStep: z.enum(AISAS_STEPS).nullable(),
  tags: tagList,
  custom: customValues,
};

/** The full name may be left out when first/last name are given (it is derived, and vice versa). */
export const contactCreate = z.object({ ...writable }).partial().strict();
export const contactUpdate = z.object({ ...writable, version: z.number().int() }).partial().strict();

export const contact = z
  .object({
    ...recordMeta,
    accountId: z.uuid().nullable(),
    accountName: refName('account'),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    fullName: z.string(),
    title: z.string().nullable(),
    department: z.string().nullable(),
    language: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    mobile: z.string().nullable(),
    country: z.string().nullable(),
    city: z.string().nullable(),
    consent: z.string(),
    doNotEmail: z.boolean(),
    ownerId: z.uuid().nullable(),
    ownerName: refName('owner'),
    source: z.string().nullable(),
    aisasStep: z.string().nullable(),
    tags: z.array(z.string()),
    engagementLevel: z.string().nullable().optional().describe('Read-only: placement of the contact’s latest survey answer'),
    npsScore: z.number().nullable().optional().describe('Read-only: the 0–10 recommend answer of the contact’s latest survey answer'),
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof contact>;
