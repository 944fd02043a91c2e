import { z } from 'zod';
import { currency, customValues, isoDate, money, recordMeta } from '../../kernel/http-schemas.ts';

export const ORDER_STATUSES = ['confirmed', 'shipped', 'delivered', 'invoiced', 'cancelled'] as const;

/** Units of the base currency per unit of the order's currency, up to 8 decimals. */
export const fxRate = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .pipe(z.string().regex(/^\d{1,10}(\.\d{1,8})?$/, 'Expected a positive rate with at most 8 decimals'))
  .refine((s) => Number(s) > 0, 'Must be greater than 0');

const writable = {
  accountId: z.uuid(),
  opportunityId: z.uuid().nullable(),
  orderNumber: z.string().trim().max(100).nullable(),
  orderedAt: isoDate,
  amount: money,
  currency,
  fxRate: fxRate.nullable(),
  status: z.enum(ORDER_STATUSES),
  description: z.string().max(20_000).nullable(),
  custom: customValues,
};

/** amountBase is computed from amount × fxRate and never written. */
export const orderCreate = z.object({ ...writable }).partial().required({ accountId: true, orderedAt: true, amount: true, currency: true }).strict();
export const orderUpdate = z.object({ ...writable, version: z.number().int() }).partial().strict();

export const order = z
  .object({
    ...recordMeta,
    accountId: z.uuid(),
    opportunityId: z.uuid().nullable(),
    orderNumber: z.string().nullable(),
    orderedAt: z.string(),
    amount: z.string(),
    currency: z.string(),
    fxRate: z.string().nullable(),
    amountBase: z.string(),
    status: z.string(),
    description: z.string().nullable(),
  })
  .meta({ id: 'Order' });
export type Order = z.infer<typeof order>;
