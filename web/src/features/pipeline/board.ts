/** Pure pipeline-board logic: grouping by stage, column totals, optimistic moves. */
export type Opp = { id: string; name: string; buyingStage: string; amount?: string | number | null; currency?: string | null; version: number; [k: string]: unknown };

export function groupByStage(opps: Opp[], stages: string[]): Record<string, Opp[]> {
  const out: Record<string, Opp[]> = Object.fromEntries(stages.map((s) => [s, [] as Opp[]]));
  for (const o of opps) (out[o.buyingStage] ??= []).push(o);
  return out;
}

/** Totals per currency: a column may hold deals in several currencies; never add them blindly. */
export function columnTotals(opps: Opp[]): { currency: string; amount: number }[] {
  const byCur = new Map<string, number>();
  for (const o of opps) {
    const n = Number(o.amount);
    if (!Number.isFinite(n) || o.amount === null || o.amount === undefined || o.amount === '') continue;
    const c = o.currency ?? '';
    byCur.set(c, (byCur.get(c) ?? 0) + n);
  }
  return [...byCur.entries()].map(([currency, amount]) => ({ currency, amount })).sort((a, b) => b.amount - a.amount);
}

export function moveOpp(opps: Opp[], id: string, stage: string): Opp[] {
  return opps.map((o) => (o.id === id ? { ...o, buyingStage: stage } : o));
}
