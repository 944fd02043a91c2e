import { z } from 'zod';

const moneyStr = z.string().describe('decimal string in the organization base currency');

export const acquisitionFunnel = z
  .object({
    from: z.string(),
    to: z.string(),
    baseCurrency: z.string(),
    semantics: z.string(),
    stages: z.array(
      z.object({
        stage: z.string(),
        rank: z.number().int(),
        accounts: z.number().int().describe('distinct accounts that reached the stage in the window'),
        deals: z.number().int(),
        advanced: z.number().int().describe('of those deals, how many have reached the next stage by now'),
        toNext: z.number().nullable(),
        medianDays: z.number().nullable().describe('median days spent in the stage, over stays that ended in the window'),
        finishedStays: z.number().int(),
        openDeals: z.number().int().describe('deals open in this stage now'),
        openValue: moneyStr,
        lost: z.number().int().describe('deals lost in the window while in this stage'),
      }),
    ),
    won: z.object({ deals: z.number().int(), accounts: z.number().int(), value: moneyStr }),
    lost: z.object({
      deals: z.number().int(),
      value: moneyStr,
      byStage: z.array(z.object({ stage: z.string(), deals: z.number().int() })),
      byReason: z.array(z.object({ reason: z.string(), deals: z.number().int() })),
    }),
    note: z.string().nullable().describe('English; foreignDeals says the same as a number'),
    foreignDeals: z.number().int().describe('closed and open deals in other currencies than the base one: counted, left out of the money columns'),
    lastActivity: z.string().nullable().describe('YYYY-MM-DD of the scope\'s latest stage entry or close (whatever the window): where a screen opens when the window is empty; null when nothing ever happened'),
  })
  .meta({ id: 'AcquisitionFunnel' });
export type AcquisitionFunnel = z.infer<typeof acquisitionFunnel>;

const walletAccount = z.object({
  accountId: z.uuid(),
  name: z.string(),
  ownerId: z.uuid().nullable(),
  supplierStatus: z.string().nullable(),
  relationshipDepth: z.string().nullable(),
  demand: moneyStr,
  demandEstimated: z.boolean(),
  bought: moneyStr,
  share: z.number(),
  gap: moneyStr,
});

export const orgWallet = z
  .object({
    asOf: z.string(),
    baseCurrency: z.string(),
    window: z.string(),
    totals: z.object({ accounts: z.number().int(), demand: moneyStr, bought: moneyStr, gap: moneyStr, share: z.number().nullable() }),
    distribution: z.array(z.object({ bucket: z.string(), from: z.number(), to: z.number().nullable(), accounts: z.number().int(), gap: moneyStr })),
    biggestGaps: z.array(walletAccount),
    skipped: z.array(z.object({ accountId: z.uuid(), name: z.string(), reason: z.string(), bought: moneyStr })).describe('accounts left out, with the reason (first 100)'),
    skippedCount: z.number().int(),
  })
  .meta({ id: 'OrgWallet' });
export type OrgWallet = z.infer<typeof orgWallet>;

export const accountWallet = z
  .object({
    accountId: z.uuid(),
    name: z.string(),
    baseCurrency: z.string(),
    by: z.enum(['year', 'quarter']),
    annualDemand: moneyStr.nullable(),
    demandEstimated: z.boolean(),
    note: z.string().nullable().describe('why no share can be computed, when it cannot (English)'),
    noteCode: z.enum(['no_demand', 'zero_demand', 'foreign_demand']).nullable().describe('the same as a code to translate; foreign_demand: the demand is in demandCurrency, not the base currency'),
    demandCurrency: z.string().nullable(),
    last12Months: z.object({ bought: moneyStr, share: z.number().nullable(), gap: moneyStr.nullable() }),
    trend: z.object({ direction: z.enum(['up', 'down', 'flat', 'unknown']), change: z.number().nullable() }),
    points: z.array(
      z.object({
        period: z.string(),
        start: z.string(),
        end: z.string(),
        complete: z.boolean(),
        orders: z.number().int(),
        bought: moneyStr,
        demand: moneyStr.nullable(),
        share: z.number().nullable(),
        gap: moneyStr.nullable(),
      }),
    ),
  })
  .meta({ id: 'AccountWallet' });
export type AccountWallet = z.infer<typeof accountWallet>;

export const statusHistory = z
  .object({
    accountId: z.uuid(),
    supplierStatus: z.string().nullable(),
    relationshipDepth: z.string().nullable(),
    history: z.array(
      z.object({
        id: z.uuid(),
        field: z.enum(['supplier_status', 'relationship_depth']),
        fromValue: z.string().nullable(),
        toValue: z.string().nullable(),
        changedAt: z.string(),
        changedBy: z.uuid().nullable(),
        changedByName: z.string().nullable(),
        note: z.string().nullable(),
        fromLevel: z.number().nullable(),
        toLevel: z.number().nullable(),
        direction: z.enum(['up', 'down', 'same']).nullable(),
      }),
    ),
  })
  .meta({ id: 'StatusHistory' });
export type StatusHistory = z.infer<typeof statusHistory>;

// ── Share of wallet per product line (issue #16) ──────────────────────────────

const demandProblemCode = z.enum(['no_demand', 'zero_demand', 'foreign_demand']);

/** One product line of one account: bought (order lines, base currency, last 12 months) against the demand for that line, when known. */
const accountLine = z.object({
  productLine: z.string().nullable().describe('A key of the product_line vocabulary; null: products without a line'),
  bought: moneyStr,
  orders: z.number().int(),
  annualDemand: moneyStr.nullable().describe('The demand entered for this line, in the base currency; null when unknown (or in another currency)'),
  demandCurrency: z.string().nullable(),
  demandEstimated: z.boolean().nullable(),
  share: z.number().nullable().describe('bought / annualDemand; null when the demand for the line is unknown — never guessed'),
  gap: moneyStr.nullable(),
  noteCode: demandProblemCode.nullable().describe('Why there is no share: no_demand (unknown for this line), zero_demand, foreign_demand'),
});

export const accountWalletLines = z
  .object({
    accountId: z.uuid(),
    baseCurrency: z.string(),
    window: z.string(),
    lines: z.array(accountLine),
    withoutLines: z.object({ bought: moneyStr, orders: z.number().int() }).describe('Orders that have no lines: bought, but not attributable to a product line'),
    version: z.number().int().describe('The account\'s version: send it to PUT …/line-demand'),
  })
  .meta({ id: 'AccountWalletLines' });

export const lineDemandInput = z
  .object({
    version: z.number().int().optional(),
    lines: z.array(z.object({
      productLine: z.string().min(1).max(63),
      annualDemand: z.string().regex(/^\d{1,16}(\.\d{1,2})?$/, 'A decimal amount with at most 2 decimals, not negative'),
      currency: z.string().regex(/^[A-Z]{3}$/).optional().describe('Default: the base currency'),
      estimated: z.boolean().optional(),
    }).strict()).max(200),
  })
  .strict()
  .meta({ id: 'LineDemandInput' });

/** One product line across the organization's accounts. */
const orgLine = z.object({
  productLine: z.string().nullable(),
  buyers: z.number().int().describe('accounts that bought the line in the last 12 months'),
  bought: moneyStr,
  known: z.object({
    accounts: z.number().int().describe('accounts with a known demand for this line (in the base currency, above zero)'),
    demand: moneyStr,
    bought: moneyStr.describe('what those accounts bought of the line'),
    share: z.number().nullable(),
    gap: moneyStr,
  }),
  unknown: z.object({ accounts: z.number().int().describe('buyers of the line whose demand for it is unknown'), bought: moneyStr }),
  foreignDemand: z.number().int().describe('accounts whose demand for the line is in another currency (left out of the share)'),
});

export const orgWalletLines = z
  .object({ asOf: z.string(), baseCurrency: z.string(), window: z.string(), lines: z.array(orgLine), withoutLines: z.object({ bought: moneyStr, orders: z.number().int() }) })
  .meta({ id: 'OrgWalletLines' });

export type AccountWalletLines = z.infer<typeof accountWalletLines>;
export type OrgWalletLines = z.infer<typeof orgWalletLines>;
