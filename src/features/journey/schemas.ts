import { z } from 'zod';

export const aisasReport = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    baseCurrency: z.string(),
    steps: z.array(
      z.object({
        step: z.string(),
        interactions: z.number().int().describe('interactions tagged with this step in the window'),
        accounts: z.number().int().describe('distinct accounts with such interactions in the window'),
        accountsNow: z.number().int().describe('accounts whose current AISAS step is this one'),
      }),
    ),
    links: z.array(z.object({ from: z.string(), to: z.string(), accounts: z.number().int() })).describe('step changes between consecutive tagged interactions of an account'),
    sources: z.array(
      z.object({
        source: z.string().describe('lead source key, or "unknown"'),
        accounts: z.number().int(),
        wonAccounts: z.number().int(),
        winRate: z.number().nullable(),
        wonValue: z.string().describe('orders of those accounts, base currency'),
      }),
    ),
    semantics: z.string(),
  })
  .meta({ id: 'AisasReport' });
export type AisasReport = z.infer<typeof aisasReport>;
