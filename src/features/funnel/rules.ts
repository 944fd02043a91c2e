/**
 * Pure rules of the account-growth (reverse) funnel: share of wallet, its buckets and its trend, and what
 * counts as a fall in supplier status or relationship depth. No I/O: the web app imports this too.
 */

/** Share-of-wallet buckets for the org-wide distribution; upper bounds exclusive, the last open-ended. */
export const WALLET_BUCKETS = [
  { key: '0-10', from: 0, to: 0.1 },
  { key: '10-25', from: 0.1, to: 0.25 },
  { key: '25-50', from: 0.25, to: 0.5 },
  { key: '50-75', from: 0.5, to: 0.75 },
  { key: '75-100', from: 0.75, to: 1 },
  { key: '100+', from: 1, to: null },
] as const;

export function bucketOf(share: number): string {
  for (const b of WALLET_BUCKETS) if (share >= b.from && (b.to === null || share < b.to)) return b.key;
  return WALLET_BUCKETS[0].key;
}

/** Share of wallet = what they bought from us / what they buy in total. Null without a positive demand. */
export function shareOfWallet(bought: number, demand: number | null): number | null {
  if (demand === null || !(demand > 0)) return null;
  return Math.round((bought / demand) * 10_000) / 10_000;
}

/** The money still with competitors (never negative: buying more than the estimate means the estimate is low). */
export const walletGap = (bought: number, demand: number) => Math.max(0, Math.round((demand - bought) * 100) / 100);

/** Whether a wallet can be computed in the base currency; otherwise the reason it is left out. */
export type DemandProblem = 'no_demand' | 'zero_demand' | 'foreign_demand';

/** Why no share of wallet can be computed, as a code a screen translates (null: it can). */
export function demandProblemCode(demand: string | null, demandCurrency: string | null, baseCurrency: string): DemandProblem | null {
  if (demand === null) return 'no_demand';
  if (!(Number(demand) > 0)) return 'zero_demand';
  if (demandCurrency && demandCurrency !== baseCurrency) return 'foreign_demand';
  return null;
}

/** The same in English, for API clients that show the text as it comes. */
export function demandProblem(demand: string | null, demandCurrency: string | null, baseCurrency: string): string | null {
  switch (demandProblemCode(demand, demandCurrency, baseCurrency)) {
    case 'no_demand':
      return 'No total annual demand entered';
    case 'zero_demand':
      return 'Total annual demand is zero';
    case 'foreign_demand':
      return `Demand is in ${demandCurrency}, orders are compared in ${baseCurrency}; enter the demand in ${baseCurrency} to include this account`;
    case null:
      return null;
  }
}

/** Trend of share across consecutive periods: the change from the previous to the latest complete period. */
export function trend(shares: (number | null)[]): { direction: 'up' | 'down' | 'flat' | 'unknown'; change: number | null } {
  const known = shares.filter((s): s is number => s !== null);
  if (known.length < 2) return { direction: 'unknown', change: null };
  const change = Math.round((known[known.length - 1]! - known[known.length - 2]!) * 10_000) / 10_000;
  return { direction: change > 0.005 ? 'up' : change < -0.005 ? 'down' : 'flat', change };
}

/** A change of level (vocabulary meta.level) is a fall when it goes down; unknown levels never alarm. */
export function isFall(fromLevel: number | null | undefined, toLevel: number | null | undefined): boolean {
  return typeof fromLevel === 'number' && typeof toLevel === 'number' && toLevel < fromLevel;
}

/** Falling to "phased out" (level ≤ 1) is critical: new business (or all business) is gone. */
export const fallSeverity = (toLevel: number): 'warning' | 'critical' => (toLevel <= 1 ? 'critical' : 'warning');
