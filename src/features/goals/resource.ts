import { and, eq, gte, isNull, lte, ne, sql } from 'drizzle-orm';
import { segments, stageGoals, users } from '../../db/schema/index.ts';
import { conflict } from '../../kernel/errors.ts';
import { Resource } from '../../kernel/resource.ts';
import { activeVocabKeys } from '../../kernel/vocab.ts';
import { periodContaining, periodProblem, periodsOverlap, scopeKey, type PeriodKind } from './rules.ts';
import { goal, goalCreate, goalUpdate } from './schemas.ts';

const g = stageGoals;

/** Stage goals: CRUD from the kernel; period, scope and overlap rules here (writes are manager+, see routes.ts). */
export const goalResource = new Resource({
  name: 'goals',
  entity: 'stage_goal',
  label: 'Goal',
  table: g,
  schemas: { create: goalCreate, update: goalUpdate, record: goal },
  defaultSort: '-periodStart',
  search: [g.team],
  refs: { userId: { table: users, label: 'User' }, segmentId: { table: segments, label: 'Segment', softDeleted: true } },
  fields: {
    id: { column: g.id, type: 'uuid' },
    periodKind: { column: g.periodKind, type: 'enum', values: ['month', 'quarter'] },
    periodStart: { column: g.periodStart, type: 'date' },
    periodEnd: { column: g.periodEnd, type: 'date' },
    scope: { column: g.scope, type: 'enum', values: ['org', 'team', 'user'] },
    team: { column: g.team, type: 'text' },
    userId: { column: g.userId, type: 'uuid' },
    segmentId: { column: g.segmentId, type: 'uuid' },
    createdAt: { column: g.createdAt, type: 'timestamp' },
    updatedAt: { column: g.updatedAt, type: 'timestamp' },
  },
  prepare: async (values, { tx, actor, existing }, errs) => {
    const merged = { ...(existing ?? {}), ...values } as Record<string, unknown>;
    const kind = merged.periodKind as PeriodKind;
    // A new start without an end means "that month/quarter": the end follows the start.
    if (typeof values.periodStart === 'string' && values.periodEnd === undefined) {
      merged.periodEnd = values.periodEnd = periodContaining(kind, values.periodStart).end;
    } else if (values.periodKind !== undefined && values.periodEnd === undefined && typeof merged.periodStart === 'string') {
      merged.periodEnd = values.periodEnd = periodContaining(kind, merged.periodStart).end;
    }
    const p = periodProblem(kind, String(merged.periodStart), String(merged.periodEnd));
    if (p) errs.add(p.path, p.message);

    const scope = (merged.scope as string | undefined) ?? 'org';
    if (values.scope !== undefined || !existing) values.scope = scope;
    // Scope decides which of team/userId apply; the other one is cleared so the key stays unambiguous.
    if (scope === 'team') {
      if (!merged.team) errs.add('team', 'A team goal names its team');
      if (merged.userId) values.userId = merged.userId = null;
    } else if (scope === 'user') {
      if (!merged.userId) errs.add('userId', 'A personal goal names its user');
      if (merged.team) values.team = merged.team = null;
    } else {
      if (merged.team) values.team = merged.team = null;
      if (merged.userId) values.userId = merged.userId = null;
    }

    if (values.targets) {
      const stages = (await activeVocabKeys(tx, actor.orgId, ['buying_stage'])).get('buying_stage')!;
      for (const k of Object.keys(values.targets as object)) if (!stages.has(k)) errs.add(`targets.${k}`, `Unknown buying stage "${k}"`);
    }
    errs.throwIfAny();

    // Two goals for the same people and segment must not cover the same days: progress would be counted twice.
    // Goal writes of one organization take turns (until their transaction ends), so two concurrent
    // writes cannot both pass this check before either is committed.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`accord:goals:${actor.orgId}`}))`);
    const others = await tx
      .select()
      .from(g)
      .where(
        and(
          eq(g.orgId, actor.orgId),
          isNull(g.deletedAt),
          lte(g.periodStart, String(merged.periodEnd)),
          gte(g.periodEnd, String(merged.periodStart)),
          existing ? ne(g.id, existing.id) : undefined,
        ),
      );
    const key = scopeKey(merged as never);
    const clash = others.find(
      (o) => scopeKey(o) === key && periodsOverlap({ start: o.periodStart, end: o.periodEnd }, { start: String(merged.periodStart), end: String(merged.periodEnd) }),
    );
    if (clash) {
      const { orgId: _o, ...current } = clash;
      throw conflict(`Another goal for the same scope already covers ${clash.periodStart} – ${clash.periodEnd}; edit that one instead`, current);
    }
    return values;
  },
});
