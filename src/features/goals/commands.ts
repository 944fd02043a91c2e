import type { Actor } from '../../kernel/actor.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { closestToNextStep, countedAccounts, reachCounts, type DealScope } from './queries.ts';
import { goalResource } from './resource.ts';
import { elapsedFraction, pace } from './rules.ts';
import { REACH_SEMANTICS, type Goal, type GoalProgress } from './schemas.ts';
import { segmentAccountIds } from './segment-filter.ts';

/** Progress of one goal: counts per stage from the stage history, pace against the calendar, drill-downs. */
export async function goalProgress(db: DbOrTx, actor: Actor, id: string, now = new Date()): Promise<GoalProgress> {
  const g = (await goalResource.get(db, actor, id)) as unknown as Goal;
  const scope: DealScope = {
    userId: g.scope === 'user' ? g.userId : null,
    team: g.scope === 'team' ? g.team : null,
    segment: g.segmentId ? await segmentAccountIds(db, actor.orgId, g.segmentId) : null,
  };
  const w = { from: g.periodStart, to: g.periodEnd };
  const [counts, accounts, closest] = [
    await reachCounts(db, actor.orgId, scope, w),
    await countedAccounts(db, actor.orgId, scope, w),
    await closestToNextStep(db, actor.orgId, scope, w),
  ];
  const fraction = elapsedFraction(g.periodStart, g.periodEnd, now);
  const stages = counts
    .filter((c) => g.targets[c.stage] !== undefined)
    .map((c) => ({
      stage: c.stage,
      rank: c.rank,
      ...pace(g.targets[c.stage]!, c.reached, fraction),
      accounts: accounts.filter((a) => a.stage === c.stage).map(({ stage: _s, ...a }) => a),
      closest: closest
        .filter((d) => d.stage === c.stage)
        .map(({ stage: _s, currentStage, ...d }) => ({ ...d, stage: currentStage })),
    }));
  // Targets for stages that were later removed from the vocabulary still show, at zero, so nothing silently vanishes.
  for (const [stage, target] of Object.entries(g.targets)) {
    if (!stages.some((s) => s.stage === stage)) stages.push({ stage, rank: 999, ...pace(target, 0, fraction), accounts: [], closest: [] });
  }
  return { goal: g, asOf: now.toISOString(), elapsed: Math.round(fraction * 10_000) / 10_000, semantics: REACH_SEMANTICS, stages };
}
