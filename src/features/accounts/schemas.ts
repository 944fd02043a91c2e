import { z } from 'zod';
import { countryCode, currency, customValues, money, webAddress, recordMeta, refName, tagList } from '../../kernel/http-schemas.ts';
import { ACCOUNT_KINDS, AISAS_STEPS, PORTFOLIO_TYPES, PRICE_ORIENTATIONS } from '../vocabularies/defaults.ts';

const text = (max = 200) => z.string().trim().max(max);

/** What a person may write on an account; computed fields (fit, tier, portfolio…) are not here. */
const writable = {
  name: text(300).min(1, 'Required'),
  kind: z.enum(ACCOUNT_KINDS),
  domain: text(253).toLowerCase().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'Expected a domain such as example.com').nullable(),
  website: webAddress.nullable(),
  industry: text(100).nullable(),
  country: countryCode.nullable(),
  region: text(100).nullable(),
  city: text(100).nullable(),
  address: text(500).nullable(),
  phone: text(50).nullable(),
  employees: z.number().int().min(0).max(10_000_000).nullable(),
  annualRevenue: money.nullable(),
  totalAnnualDemand: money.nullable(),
  demandCurrency: currency.nullable(),
  demandEstimated: z.boolean(),
  ownerId: z.uuid().nullable(),
  needType: text(63).nullable(),
  priceOrientation: z.enum(PRICE_ORIENTATIONS).nullable(),
  supplierStatus: text(63).nullable(),
  relationshipDepth: text(63).nullable(),
  source: text(63).nullable(),
  aisasStep: z.enum(AISAS_STEPS).nullable(),
  parentAccountId: z.uuid().nullable().describe('The group this account belongs to (its parent account); not the account itself nor one of its subsidiaries'),
  tags: tagList,
  custom: customValues,
};

export const accountCreate = z.object({ ...writable }).partial().required({ name: true }).strict();
export const accountUpdate = z.object({ ...writable, version: z.number().int() }).partial().strict();

export const fitReason = z.object({ label: z.string(), detail: z.string().optional(), weight: z.number().optional() }).passthrough();

export const account = z.object({
  ...recordMeta,
  name: z.string(),
  kind: z.string(),
  domain: z.string().nullable(),
  website: z.string().nullable(),
  industry: z.string().nullable(),
  country: z.string().nullable(),
  region: z.string().nullable(),
  city: z.string().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  employees: z.number().nullable(),
  annualRevenue: z.string().nullable(),
  totalAnnualDemand: z.string().nullable(),
  demandCurrency: z.string().nullable(),
  demandEstimated: z.boolean(),
  ownerId: z.uuid().nullable(),
  needType: z.string().nullable(),
  priceOrientation: z.string().nullable(),
  ownerName: refName('owner'),
  supplierStatus: z.string().nullable(),
  relationshipDepth: z.string().nullable(),
  source: z.string().nullable(),
  aisasStep: z.string().nullable(),
  parentAccountId: z.uuid().nullable(),
  parentAccountName: refName('parent account'),
  tags: z.array(z.string()),
  tier: z.string().nullable(),
  buyingStage: z.string().nullable(),
  fitScore: z.number().nullable(),
  fitReasons: z.array(z.unknown()).nullable(),
  attractiveness: z.number().nullable(),
  relationshipScore: z.number().nullable(),
  portfolioType: z.enum(PORTFOLIO_TYPES).nullable().or(z.string().nullable()),
  priceDriven: z.boolean().nullable(),
  scoredAt: z.string().nullable(),
  engagementLevel: z.string().nullable().optional().describe('Read-only: engagement level from the survey roll-up (fully_engaged, engaged, not_engaged, actively_disengaged)'),
  nps: z.number().nullable().optional().describe('Read-only: NPS of the account’s survey respondents, −100 … 100'),
}).meta({ id: 'Account' });
export type Account = z.infer<typeof account>;

const groupFigures = z.object({
  accounts: z.number().int().describe('the account and all its subsidiaries, at any depth'),
  openDeals: z.number().int(),
  openValue: z.string().describe('open pipeline in the base currency'),
  wonDeals: z.number().int(),
  wonValue: z.string().describe('won deals in the base currency, all time'),
  orders12m: z.number().int().describe('orders of the last 12 months (cancelled ones left out)'),
  bought12m: z.string().describe('what they bought in the last 12 months, base currency'),
  demand: z.string().nullable().describe('sum of the total annual demand entered in the base currency'),
  shareOfWallet: z.number().nullable().describe('bought12m / demand, over the accounts with a demand in the base currency'),
  foreignDeals: z.number().int().describe('deals in other currencies: counted, left out of the money columns'),
});

export const accountGroup = z
  .object({
    accountId: z.uuid(),
    baseCurrency: z.string(),
    parent: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    root: z.object({ id: z.uuid(), name: z.string() }).describe('the top of the group (the account itself when it has no parent)'),
    children: z.array(z.object({ id: z.uuid(), name: z.string(), subsidiaries: z.number().int(), figures: groupFigures })),
    own: groupFigures.describe('the account alone'),
    group: groupFigures.describe('the account and all its subsidiaries'),
  })
  .meta({ id: 'AccountGroup' });
export type AccountGroup = z.infer<typeof accountGroup>;
