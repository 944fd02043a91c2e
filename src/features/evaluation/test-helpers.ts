import { SNAPSHOTS_SQL, type ExampleRow, type Q } from './queries.ts';

/** The default buying stages with their ranks, as loadContext reads them from the vocabulary (tests). */
export const STAGES = [
  { key: 'recognition_of_needs', rank: 1 },
  { key: 'evaluation_of_options', rank: 2 },
  { key: 'resolution_of_concerns', rank: 3 },
  { key: 'decision', rank: 4 },
  { key: 'implementation', rank: 5 },
];

/**
 * The training snapshots in one statement, fit included: the reference the recompute's staged
 * reading (stageSnapshots, stagedSnapshotRows, stagedSnapshotFit) is tested against.
 */
export async function closedDealExamples(q: Q, orgId: string, stageRanks: Record<string, number>, maxDeals = 20_000): Promise<ExampleRow[]> {
  const { rows } = await q.query(
    `select s.deal_id, s.won, s.stage, s.stage_rank, s.days, coalesce(a.fit_score, 50)::float8 as fit, s.coverage, s.engagement, s.amount
       from (${SNAPSHOTS_SQL}) s
       join accounts a on a.org_id = $1 and a.id = s.account_id
      order by s.deal_id, s.entered, s.stage, s.days`,
    [orgId, JSON.stringify(stageRanks), maxDeals],
  );
  return rows as ExampleRow[];
}

