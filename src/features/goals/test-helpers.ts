import { uuidv7 } from 'uuidv7';
import type { TestContext } from '../../../tests/helpers/app.ts';

/** A deal with a hand-built stage history: [stage, at] pairs, the first from no stage. */
export async function dealWithHistory(
  t: TestContext,
  orgId: string,
  accountId: string,
  moves: [string, string][],
  extra: { ownerId?: string | null; status?: 'open' | 'won' | 'lost'; winProbability?: number | null; name?: string; amount?: string; lostReason?: string; closedAt?: string } = {},
) {
  const id = uuidv7();
  const last = moves[moves.length - 1]!;
  await t.database.query(
    `insert into opportunities (org_id, id, account_id, name, buying_stage, stage_entered_at, status, owner_id, win_probability, amount, currency, lost_reason, closed_at)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
    [orgId, id, accountId, extra.name ?? `Deal ${id.slice(-4)}`, last[0], last[1], extra.status ?? 'open', extra.ownerId ?? null, extra.winProbability ?? null,
      extra.amount ?? null, extra.amount ? 'USD' : null, extra.lostReason ?? null, extra.closedAt ?? null],
  );
  let from: string | null = null;
  for (const [stage, at] of moves) {
    await t.database.query(`insert into opportunity_stage_history (org_id, opportunity_id, from_stage, to_stage, changed_at) values ($1,$2,$3,$4,$5)`, [orgId, id, from, stage, at]);
    from = stage;
  }
  return id;
}
