/** Pure rules for an order's value in the organization's base currency. */

export type FxOutcome = { ok: true; fxRate: string | null; multiply: boolean } | { ok: false; message: string; code: 'required' | 'invalid' };

/**
 * Share of wallet adds orders up in one currency, so a foreign-currency order needs its rate.
 * Same currency: no rate is stored (a rate of 1 is accepted and dropped).
 */
export function resolveFx(currency: string, baseCurrency: string, fxRate: string | null): FxOutcome {
  if (currency === baseCurrency) {
    if (fxRate !== null && Number(fxRate) !== 1) return { ok: false, message: `must be empty for ${currency} orders (the base currency)`, code: 'invalid' };
    return { ok: true, fxRate: null, multiply: false };
  }
  if (fxRate === null) return { ok: false, message: `required for ${currency} orders (base currency ${baseCurrency})`, code: 'required' };
  return { ok: true, fxRate, multiply: true };
}
