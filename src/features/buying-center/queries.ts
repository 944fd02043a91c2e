/**
 * Set-based reads of the buying center: every loader answers for many opportunities / accounts in
 * one or two statements; the judgement happens in rules.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Conn, Database, DbOrTx } from '../../kernel/db/index.ts';
import { notFound } from '../../kernel/errors.ts';
import { analyzeStale, useBatchMemory } from '../../kernel/db/statistics.ts';
import {
  analyzeCoverage, communicationMatrix, CORE_ROLES, coverageScore, DEFAULT_REACH_DAYS, mergeMembers, rankDependence,
  toComplexity, type AccountShares, type Attitude, type ScoredMember,
} from './rules.ts';
import type { AccountBuyingCenter, BuyingCenter, ContactLink, DependenceReport, HandoverPackage, Member } from './schemas.ts';
import { readQuery } from '../../kernel/db/cursor.ts';
import { turns } from '../../kernel/pace.ts';

type Raw = Record<string, unknown>;
const rows = async (db: DbOrTx, q: SQL): Promise<Raw[]> => (await db.execute(q)).rows as Raw[];
/** A uuid[] parameter; ids are validated uuids before they get here. */
export const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const textArray = (v: unknown): string[] => {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.replace(/^\{|\}$/g, '').split(',').filter(Boolean).map((s) => s.replace(/^"|"$/g, ''));
  return [];
};
/** Timestamps come back as text; one shape for the API whatever the driver. */
export const isoTs = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v).replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString());

function groupBy<T>(list: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of list) {
    const k = key(x);
    const arr = out.get(k);
    if (arr) arr.push(x);
    else out.set(k, [x]);
  }
  return out;
}

export type Coverer = { userId: string; name: string; department: string | null; active: boolean };

export const COVERAGE_STAT_TABLES = [
  'buying_center_members', 'buying_center_coverage', 'contact_links', 'opportunities', 'contacts', 'accounts', 'users',
  'interactions', 'interaction_contacts', 'interaction_users', 'tasks',
];

/** Deals rescored at once from which the per-deal path checks planner statistics first. */
const BATCH_STATISTICS_MIN = 100;

/** The set queries below need fresh planner statistics after bulk loads (see analyzeStale). */
export const ensureStatistics = (db: DbOrTx | Database, orgId: string) => analyzeStale(db as DbOrTx, COVERAGE_STAT_TABLES, { orgId });

/** Reach window: query parameter, else the organization's setting, else 30 days. */
export async function reachDaysFor(db: DbOrTx, orgId: string, override?: number): Promise<number> {
  if (override) return override;
  const [r] = await rows(db, sql`select (settings->'buyingCenter'->>'reachDays')::int as d from organizations where id = ${orgId}`);
  const d = num(r?.d);
  return d && d > 0 ? d : DEFAULT_REACH_DAYS;
}

/**
 * Members of a set of opportunities with their contact, coverers and last reach. For a closed
 * deal "last reached" is as of its closing, so historical coverage scores mean what they meant then.
 */
/** Which members / deals a loader reads: one member, an account's open deals, a few deals, or a range of deal ids (batch work). */
export type DealFilter = { opportunityIds?: string[]; memberId?: string; accountOpen?: string; range?: [string, string] };

export async function loadMembers(db: DbOrTx, orgId: string, filter: DealFilter, opts: { lean?: boolean } = {}): Promise<Member[]> {
  // Batches use an id range, not a long id list: "= any(array of thousands)" is a linear scan per row.
  const cond = filter.memberId ? sql`m.id = ${filter.memberId}`
    : filter.accountOpen ? sql`o.account_id = ${filter.accountOpen} and o.status = 'open'`
    : filter.range ? sql`m.opportunity_id > ${filter.range[0]} and m.opportunity_id <= ${filter.range[1]}`
    : sql`m.opportunity_id = any(${uuidArray(filter.opportunityIds ?? [])})`;
  // Three plain statements rather than one with CTEs: each stays an index walk even when the
  // planner has no statistics (embedded PGlite has no autovacuum to gather them).
  // Batch scoring needs only what the rules read: every column less is time saved moving rows out of PGlite.
  const base = opts.lean
    ? await rows(db, sql`
      select m.id, m.opportunity_id, m.roles, m.influence, m.attitude
      from buying_center_members m
      join opportunities o on o.org_id = m.org_id and o.id = m.opportunity_id and o.deleted_at is null
      where m.org_id = ${orgId} and m.deleted_at is null and ${cond}`)
    : await rows(db, sql`
      select m.id, m.opportunity_id, m.contact_id, m.roles, m.influence, m.attitude, m.note, m.version, m.created_at, m.updated_at,
             c.full_name as contact_name, c.title, c.department, c.account_id, a.name as account_name, a.kind as account_kind
      from buying_center_members m
      join opportunities o on o.org_id = m.org_id and o.id = m.opportunity_id and o.deleted_at is null
      join contacts c on c.org_id = m.org_id and c.id = m.contact_id
      left join accounts a on a.org_id = c.org_id and a.id = c.account_id
      where m.org_id = ${orgId} and m.deleted_at is null and ${cond}
      order by m.opportunity_id, m.influence desc, c.full_name, m.id`);
  if (!base.length) return [];
  const [cov, reach] = await Promise.all([
    rows(db, sql`
      select cv.member_id, u.id as user_id, ${opts.lean ? sql`'' as name, null as department` : sql`u.name, u.department`}, u.active
      from buying_center_members m
      join opportunities o on o.org_id = m.org_id and o.id = m.opportunity_id and o.deleted_at is null
      join buying_center_coverage cv on cv.org_id = m.org_id and cv.member_id = m.id
      join users u on u.org_id = cv.org_id and u.id = cv.user_id
      where m.org_id = ${orgId} and m.deleted_at is null and ${cond}
      order by u.name, u.id`),
    // For a closed deal "last reached" is as of its closing, so historical scores mean what they meant then.
    rows(db, sql`
      select m.id as member_id, max(i.occurred_at) as last_reached_at
      from buying_center_members m
      join opportunities o on o.org_id = m.org_id and o.id = m.opportunity_id and o.deleted_at is null
      join interaction_contacts ic on ic.org_id = m.org_id and ic.contact_id = m.contact_id
      join interactions i on i.org_id = ic.org_id and i.id = ic.interaction_id and i.deleted_at is null
      where m.org_id = ${orgId} and m.deleted_at is null and ${cond}
        and i.occurred_at <= coalesce(case when o.status = 'open' then null else o.closed_at end, now())
      group by m.id`),
  ]);
  const coverers = groupBy(cov, (r) => String(r.member_id));
  const reached = new Map(reach.map((r) => [String(r.member_id), isoTs(r.last_reached_at)]));
  return base.map((r) => ({
    id: String(r.id),
    opportunityId: String(r.opportunity_id),
    contactId: String(r.contact_id ?? ''),
    contactName: String(r.contact_name ?? ''),
    title: str(r.title),
    department: str(r.department),
    accountId: str(r.account_id),
    accountName: str(r.account_name),
    accountKind: str(r.account_kind),
    roles: textArray(r.roles),
    influence: Number(r.influence),
    attitude: String(r.attitude) as Attitude,
    note: str(r.note),
    version: Number(r.version ?? 0),
    coverers: (coverers.get(String(r.id)) ?? []).map((u) => ({ userId: String(u.user_id), name: String(u.name), department: str(u.department), active: Boolean(u.active) })),
    lastReachedAt: reached.get(String(r.id)) ?? null,
    createdAt: isoTs(r.created_at) ?? '',
    updatedAt: isoTs(r.updated_at) ?? '',
  }));
}

export type OpportunityBrief = BuyingCenter['opportunity'];

export async function loadOpportunities(db: DbOrTx, orgId: string, filter: { ids?: string[]; accountOpen?: string; range?: [string, string] }): Promise<(OpportunityBrief & { closedAt: string | null })[]> {
  const cond = filter.accountOpen ? sql`o.account_id = ${filter.accountOpen} and o.status = 'open'`
    : filter.range ? sql`o.id > ${filter.range[0]} and o.id <= ${filter.range[1]}`
    : sql`o.id = any(${uuidArray(filter.ids ?? [])})`;
  const out = await rows(db, sql`
    select o.id, o.name, o.account_id, a.name as account_name, o.buying_situation, o.status, o.owner_id, o.coverage_score, o.closed_at,
           (v.meta->>'complexity')::int as complexity
    from opportunities o
    join accounts a on a.org_id = o.org_id and a.id = o.account_id
    left join vocab_terms v on v.org_id = o.org_id and v.vocabulary = 'buying_situation' and v.key = o.buying_situation
    where o.org_id = ${orgId} and o.deleted_at is null and ${cond}
    order by o.expected_close nulls last, o.name`);
  return out.map((r) => ({
    id: String(r.id),
    name: String(r.name),
    accountId: String(r.account_id),
    accountName: String(r.account_name),
    buyingSituation: str(r.buying_situation),
    complexity: toComplexity(num(r.complexity)),
    status: String(r.status),
    ownerId: str(r.owner_id),
    coverageScore: num(r.coverage_score),
    closedAt: isoTs(r.closed_at),
  }));
}

/** Links touching any of the given contacts (both directions), with names and accounts of both ends. */
export async function loadLinks(db: DbOrTx, orgId: string, filter: { contactIds?: string[]; among?: string[]; linkId?: string }): Promise<ContactLink[]> {
  const cond = filter.linkId ? sql`l.id = ${filter.linkId}`
    : filter.among ? sql`l.from_contact_id = any(${uuidArray(filter.among)}) and l.to_contact_id = any(${uuidArray(filter.among)})`
    : sql`(l.from_contact_id = any(${uuidArray(filter.contactIds ?? [])}) or l.to_contact_id = any(${uuidArray(filter.contactIds ?? [])}))`;
  const out = await rows(db, sql`
    select l.id, l.from_contact_id, f.full_name as from_name, f.account_id as from_account_id, fa.name as from_account_name,
           l.to_contact_id, t.full_name as to_name, t.account_id as to_account_id, ta.name as to_account_name,
           l.link_type, l.strength, l.note, l.version
    from contact_links l
    join contacts f on f.org_id = l.org_id and f.id = l.from_contact_id and f.deleted_at is null
    join contacts t on t.org_id = l.org_id and t.id = l.to_contact_id and t.deleted_at is null
    left join accounts fa on fa.org_id = f.org_id and fa.id = f.account_id
    left join accounts ta on ta.org_id = t.org_id and ta.id = t.account_id
    where l.org_id = ${orgId} and l.deleted_at is null and ${cond}
    order by l.strength desc, l.id`);
  return out.map((r) => ({
    id: String(r.id),
    fromContactId: String(r.from_contact_id),
    fromName: String(r.from_name),
    fromAccountId: str(r.from_account_id),
    fromAccountName: str(r.from_account_name),
    toContactId: String(r.to_contact_id),
    toName: String(r.to_name),
    toAccountId: str(r.to_account_id),
    toAccountName: str(r.to_account_name),
    linkType: String(r.link_type),
    strength: Number(r.strength),
    note: str(r.note),
    version: Number(r.version),
  }));
}

/** Coverers that count: on an open deal only active users cover; on a closed one, whoever covered then. */
const effectiveCoverers = (m: Member, open: boolean) => m.coverers.filter((c) => !open || c.active).map((c) => c.userId);

function coverageOf(members: Member[], opp: OpportunityBrief, now: string | number, reachDays: number, activeRoles: string[]) {
  const open = opp.status === 'open';
  return analyzeCoverage({
    complexity: opp.complexity,
    now,
    reachDays,
    activeRoles,
    members: members.map((m) => ({
      id: m.id, name: m.contactName, roles: m.roles, influence: m.influence, attitude: m.attitude,
      coverers: effectiveCoverers(m, open), lastReachedAt: m.lastReachedAt,
    })),
  });
}

const matrixOf = (members: { id: string; roles: string[]; coverers: Coverer[] }[], roleOrder: string[]) =>
  communicationMatrix(members.map((m) => ({ id: m.id, roles: m.roles, coverers: m.coverers.filter((c) => c.active).map((c) => ({ userId: c.userId, department: c.department })) })), roleOrder);

async function roleOrder(db: DbOrTx, orgId: string): Promise<string[]> {
  const out = await rows(db, sql`select key from vocab_terms where org_id = ${orgId} and vocabulary = 'buying_role' and active order by position, key`);
  const keys = out.map((r) => String(r.key));
  return keys.length ? keys : [...CORE_ROLES];
}

export async function getBuyingCenter(db: DbOrTx, orgId: string, opportunityId: string, reachDaysOverride?: number): Promise<BuyingCenter> {
  const [opp] = await loadOpportunities(db, orgId, { ids: [opportunityId] });
  if (!opp) throw notFound('Opportunity');
  const [members, reachDays, roles] = await Promise.all([
    loadMembers(db, orgId, { opportunityIds: [opportunityId] }),
    reachDaysFor(db, orgId, reachDaysOverride),
    roleOrder(db, orgId),
  ]);
  const links = members.length ? await loadLinks(db, orgId, { among: members.map((m) => m.contactId) }) : [];
  const cov = coverageOf(members, opp, Date.now(), reachDays, roles);
  return { opportunity: opp, members, coverage: { ...cov, reachDays }, matrix: matrixOf(members, roles), links };
}

export async function getAccountBuyingCenter(db: DbOrTx, orgId: string, accountId: string): Promise<AccountBuyingCenter> {
  const [acc] = await rows(db, sql`select id, name from accounts where org_id = ${orgId} and id = ${accountId} and deleted_at is null`);
  if (!acc) throw notFound('Account');
  const [opps, members, reachDays, roles] = await Promise.all([
    loadOpportunities(db, orgId, { accountOpen: accountId }),
    loadMembers(db, orgId, { accountOpen: accountId }),
    reachDaysFor(db, orgId),
    roleOrder(db, orgId),
  ]);
  const byOpp = groupBy(members, (m) => m.opportunityId);
  const now = Date.now();
  const opportunities = opps.map((o) => {
    const c = coverageOf(byOpp.get(o.id) ?? [], o, now, reachDays, roles);
    return { ...o, score: c.score, gaps: c.gaps.length };
  });
  const byContact = new Map(members.map((m) => [m.contactId, m]));
  const allCoverers = new Map(members.flatMap((m) => m.coverers.map((c) => [c.userId, c] as const)));
  const merged = mergeMembers(members.map((m) => ({ opportunityId: m.opportunityId, contactId: m.contactId, roles: m.roles, influence: m.influence, attitude: m.attitude, coverers: m.coverers.map((c) => c.userId) })))
    .map((e) => {
      const m = byContact.get(e.contactId)!;
      const reached = members.filter((x) => x.contactId === e.contactId).map((x) => x.lastReachedAt).filter((x): x is string => !!x).sort();
      return {
        ...e,
        contactName: m.contactName, title: m.title, department: m.department, accountId: m.accountId, accountName: m.accountName,
        coverers: e.coverers.map((u) => allCoverers.get(u)!),
        lastReachedAt: reached[reached.length - 1] ?? null,
      };
    })
    .sort((a, b) => b.influence - a.influence || a.contactName.localeCompare(b.contactName));
  const links = merged.length ? await loadLinks(db, orgId, { among: merged.map((m) => m.contactId) }) : [];
  return {
    account: { id: String(acc.id), name: String(acc.name) },
    opportunities,
    members: merged,
    matrix: matrixOf(merged.map((m) => ({ id: m.contactId, roles: m.roles, coverers: m.coverers })), roles),
    links,
  };
}

/**
 * Recomputes opportunities.coverage_score for some opportunities (after a write: by id, in the
 * caller's transaction) or for the whole organization (one pass, see recomputeOrgCoverage).
 */
export async function recomputeCoverage(target: DbOrTx | Database, orgId: string, opportunityIds?: string[]): Promise<{ updated: number }> {
  if (!opportunityIds) {
    if (!('withConnection' in target)) throw new Error('Whole-organization coverage needs a Database (it holds one connection for a cursor)');
    return target.withConnection(async (c) => {
      await c.query('begin');
      try {
        const r = await recomputeOrgCoverage(c, orgId);
        await c.query('commit');
        return { updated: r.updated };
      } catch (e) {
        await c.query('rollback').catch(() => undefined);
        throw e;
      }
    });
  }
  const db: DbOrTx = 'withConnection' in target ? target.db : target;
  // Many deals at once (an import, a bulk edit): the lookups below join four tables for a whole
  // batch, and statistics that have not seen this organization's new rows made one of them run
  // 45–60 s on PostgreSQL instead of milliseconds. A single deal's rescoring skips the check.
  if (opportunityIds.length >= BATCH_STATISTICS_MIN) await ensureStatistics(db, orgId);
  const [reachDays, roles] = await Promise.all([reachDaysFor(db, orgId), roleOrder(db, orgId)]);
  let updated = 0;
  const now = Date.now();
  for (let i = 0; i < opportunityIds.length; i += 500) {
    const ids = opportunityIds.slice(i, i + 500);
    const [opps, members] = await Promise.all([loadOpportunities(db, orgId, { ids }), loadMembers(db, orgId, { opportunityIds: ids }, { lean: true })]);
    if (!opps.length) continue;
    const byOpp = groupBy(members, (m) => m.opportunityId);
    const scores = opps.map((o) => coverageOf(byOpp.get(o.id) ?? [], o, o.status === 'open' ? now : (o.closedAt ?? now), reachDays, roles).score);
    await db.execute(sql`
      update opportunities o set coverage_score = v.score
      from (select unnest(${uuidArray(opps.map((o) => o.id))}) as id, unnest(${`{${scores.join(',')}}`}::real[]) as score) v
      where o.org_id = ${orgId} and o.id = v.id`);
    updated += opps.length;
  }
  return { updated };
}

/** A member row of the organization-wide coverage pass, as it comes in its JSON chunk. */
type CoverageTuple = [opp: string, stored: number | null, asofMs: number, complexity: number | null, hasMember: boolean,
  roles: string[] | null, influence: number | null, attitude: string | null, lastMs: number | null, coverers: number];

// Rows per FETCH: what node-postgres parses (or PGlite's worker posts) in one piece on the main thread.
// 2,000 rows with their role and coverer arrays took 40–60 ms to parse before the parser was optimized.
const FETCH_ROWS = 500;
// Changed scores written per UPDATE.
const FLUSH_ROWS = 2_000;

/**
 * Every deal's coverage score for a whole organization, inside the caller's transaction on `c`.
 * One statement joins members, coverers and last reach for all deals (hash joins: each table is read
 * once — per-chunk statements re-read interaction_contacts per chunk, quadratic in the org's size);
 * a cursor streams it in deal order so memory stays flat, the rules score each deal in TS, and only
 * scores that changed are written back.
 *
 * `closedSince`: a closed deal is judged as of its closing, so time passing does not change its score,
 * and every edit of its buying center rescores it on the spot. A routine pass (the scheduled recompute)
 * therefore rescores open deals, closed deals never scored, and deals closed since `closedSince` —
 * in a mature organization about a sixth of the deals. Without it, every deal is rescored.
 */
/** `statisticsChecked`: the caller (the recompute) has just checked these tables' statistics for the organization. */
export async function recomputeOrgCoverage(c: Pick<Conn, 'db' | 'query'>, orgId: string, opts: { closedSince?: string | null; statisticsChecked?: boolean } = {}): Promise<{ updated: number; deals: number }> {
  // c.db is Drizzle on the same connection, so these run inside the caller's transaction.
  const reachDays = await reachDaysFor(c.db, orgId);
  const roles = await roleOrder(c.db, orgId);
  if (!opts.statisticsChecked) await ensureStatistics(c.db, orgId);
  await useBatchMemory(c);
  const scope = `o.org_id = $1 and o.deleted_at is null
          and ($2::timestamptz is null or o.status = 'open' or o.coverage_score is null or o.closed_at is null or o.closed_at >= $2::timestamptz)`;
  const asof = `case when o.status = 'open' then now() else coalesce(o.closed_at, now()) end`;
  // The score only asks whether a member was reached within reachDays of the deal's as-of time, so
  // interactions older than the earliest as-of minus that window cannot change it (an older last
  // reach and none at all both count as "not reached"). A routine pass reaches back about a month.
  const { rows: bound } = await c.query(
    `select (min(${asof}) - make_interval(days => $3::int + 2))::text as since, min(${asof}) >= now() - interval '90 days' as recent
       from opportunities o where ${scope}`,
    [orgId, opts.closedSince ?? null, reachDays],
  );
  const { since, recent } = (bound[0] ?? {}) as { since: string | null; recent: boolean | null };
  // A short window holds a few ten thousand interactions: look up their contacts and the deals'
  // members and coverers by index (OFFSET 0 keeps the planner from turning the probes back into
  // hash joins that read every row of those tables). A long one (a first or a full pass) reads the
  // tables whole, by hash.
  const probe = (sub: string) => (recent ? `cross join lateral (${sub} offset 0)` : `cross join lateral (${sub})`);
  const memberRows = `with o as materialized (
       select o.id, o.status, o.coverage_score,
              -- A closed deal is judged as of its closing: "last reached" and the reach window end there.
              ${asof} as asof,
              (v.meta->>'complexity')::int as complexity
         from opportunities o
         left join vocab_terms v on v.org_id = o.org_id and v.vocabulary = 'buying_situation' and v.key = o.buying_situation
        where ${scope}),
     m as materialized (
       select m.id, m.opportunity_id, m.contact_id, m.roles, m.influence, m.attitude, o.asof, o.status
         from o ${probe(`select m.id, m.opportunity_id, m.contact_id, m.roles::text[] as roles, m.influence, m.attitude
                           from buying_center_members m where m.org_id = $1 and m.opportunity_id = o.id and m.deleted_at is null`)} m),
     ri as materialized (
       select i.id, i.occurred_at from interactions i
        where i.org_id = $1 and i.deleted_at is null and i.occurred_at >= $3::timestamptz and i.occurred_at <= now()),
     rc as (
       select ic.contact_id, ri.occurred_at
         from ri ${probe(`select ic.contact_id from interaction_contacts ic where ic.org_id = $1 and ic.interaction_id = ri.id`)} ic),
     reach as (
       select m.id, max(rc.occurred_at) as last
         from m join rc on rc.contact_id = m.contact_id and rc.occurred_at <= m.asof
        group by m.id),
     -- On an open deal only active users cover; on a closed one, whoever covered then.
     cov as (
       select m.id as member_id, count(*)::int as coverers
         from m ${probe(`select cv.user_id from buying_center_coverage cv where cv.org_id = $1 and cv.member_id = m.id`)} cv
         join users u on u.org_id = $1 and u.id = cv.user_id
        where m.status <> 'open' or u.active
        group by m.id)
     -- In deal order, FETCH_ROWS rows to a JSON chunk: one text per chunk is parsed natively, where
     -- node-postgres or PGlite would convert ~50k rows a field (and a roles array) at a time.
     select json_agg(json_build_array(opp, coverage_score, asof_ms, complexity, member is not null, roles, influence, attitude, last_ms, coverers) order by n) as c
       from (select o.id as opp, o.coverage_score, extract(epoch from o.asof) * 1000 as asof_ms, o.complexity,
                    m.id as member, m.roles, m.influence, m.attitude,
                    extract(epoch from reach.last) * 1000 as last_ms, coalesce(cov.coverers, 0) as coverers,
                    row_number() over (order by o.id, m.id) - 1 as n
               from o
               left join m on m.opportunity_id = o.id
               left join reach on reach.id = m.id
               left join cov on cov.member_id = m.id) x
      group by n / ${FETCH_ROWS}
      order by n / ${FETCH_ROWS}`;
  let deals = 0;
  const changedIds: string[] = [];
  const changedScores: number[] = [];
  let updated = 0;
  const flush = async () => {
    if (!changedIds.length) return;
    const r = await c.query(
      `update opportunities o set coverage_score = v.score
         from (select unnest($2::uuid[]) as id, unnest($3::real[]) as score) v
        where o.org_id = $1 and o.id = v.id`,
      [orgId, `{${changedIds.join(',')}}`, `{${changedScores.join(',')}}`],
    );
    updated += r.rowCount ?? changedIds.length;
    changedIds.length = 0;
    changedScores.length = 0;
  };
  type Deal = { id: string; stored: number | null; asof: number; complexity: number | null; members: ScoredMember[] };
  let current = null as Deal | null;
  const finish = () => {
    if (!current) return;
    deals++;
    const score = coverageScore({ complexity: current.complexity, now: current.asof, reachDays, activeRoles: roles, members: current.members });
    if (current.stored === null || Math.abs(current.stored - score) > 1e-6) {
      changedIds.push(current.id);
      changedScores.push(score);
    }
  };
  const turn = turns();
  // One chunk (FETCH_ROWS member rows) per FETCH.
  await readQuery(c, 'org_coverage', memberRows, [orgId, opts.closedSince ?? null, since ?? 'infinity'], 1, async (chunks) => {
    for (const { c: rows } of chunks as { c: CoverageTuple[] }[]) {
      for (let k = 0; k < rows.length; k++) {
        // A batch of rows is 10–50 ms of scoring before the code is optimized: pause on the way.
        if ((k & 15) === 15) {
          const t = turn();
          if (t) await t;
        }
        const [opp, stored, asofMs, complexity, hasMember, roles, influence, attitude, lastMs, coverers] = rows[k]!;
        if (current?.id !== opp) {
          finish();
          current = { id: opp, stored: num(stored), asof: Number(asofMs), complexity: num(complexity), members: [] };
        }
        if (hasMember) {
          current.members.push({
            roles: roles ?? [], influence: Number(influence), attitude: String(attitude),
            // Whole milliseconds, as a Date (which the per-deal path goes through) keeps them.
            coverers: Number(coverers), lastReachedMs: lastMs === null ? null : Math.trunc(Number(lastMs)),
          });
        }
      }
      if (changedIds.length >= FLUSH_ROWS) await flush();
    }
  });
  finish();
  await flush();
  return { updated, deals };
}

/**
 * Per account and user: split credits of interactions (last 365 days), of decision makers covered on
 * open deals, and open pipeline owned — one statement over the whole organization.
 */
export async function dependenceReport(db: DbOrTx, orgId: string, opts: { userId?: string; limit?: number }): Promise<DependenceReport> {
  await ensureStatistics(db, orgId);
  const out = await rows(db, sql`
    with ia as (
      select i.account_id, iu.user_id, 1.0 / count(*) over (partition by i.id) as credit
      from interactions i
      join interaction_users iu on iu.org_id = i.org_id and iu.interaction_id = i.id
      where i.org_id = ${orgId} and i.deleted_at is null and i.occurred_at >= now() - interval '365 days' and i.occurred_at <= now()
    ),
    ishare as (select account_id, user_id, sum(credit) as interactions from ia group by account_id, user_id),
    dm as (
      select o.account_id, cv.user_id, 1.0 / count(*) over (partition by m.id) as credit
      from buying_center_members m
      join opportunities o on o.org_id = m.org_id and o.id = m.opportunity_id and o.status = 'open' and o.deleted_at is null
      join buying_center_coverage cv on cv.org_id = m.org_id and cv.member_id = m.id
      join users u on u.org_id = cv.org_id and u.id = cv.user_id and u.active
      where m.org_id = ${orgId} and m.deleted_at is null and m.roles && array['decider', 'approver']::text[]
    ),
    dshare as (select account_id, user_id, sum(credit) as decision_members from dm group by account_id, user_id),
    pshare as (
      select account_id, owner_id as user_id, sum(coalesce(amount, 0)) as pipeline
      from opportunities
      where org_id = ${orgId} and status = 'open' and deleted_at is null and owner_id is not null
      group by account_id, owner_id
    ),
    s as (
      select account_id, user_id, coalesce(interactions, 0) as interactions, coalesce(decision_members, 0) as decision_members,
             coalesce(pipeline, 0) as pipeline
      from ishare full join dshare using (account_id, user_id) full join pshare using (account_id, user_id)
    )
    select s.* from s join accounts a on a.org_id = ${orgId} and a.id = s.account_id and a.deleted_at is null`);
  const shares = new Map<string, AccountShares & { users: { userId: string; interactions: number; decisionMembers: number; pipeline: number }[] }>();
  for (const r of out) {
    const id = String(r.account_id);
    if (!shares.has(id)) shares.set(id, { accountId: id, users: [] });
    shares.get(id)!.users.push({ userId: String(r.user_id), interactions: Number(r.interactions), decisionMembers: Number(r.decision_members), pipeline: Number(r.pipeline) });
  }
  const ranked = rankDependence([...shares.values()], opts);
  const accountIds = ranked.accounts.map((a) => a.accountId);
  const [accs, users] = await Promise.all([
    accountIds.length ? rows(db, sql`select id, name, owner_id from accounts where org_id = ${orgId} and id = any(${uuidArray(accountIds)})`) : Promise.resolve([]),
    rows(db, sql`select id, name, department, active from users where org_id = ${orgId}`),
  ]);
  const accById = new Map(accs.map((a) => [String(a.id), a]));
  const userById = new Map(users.map((u) => [String(u.id), u]));
  return {
    accounts: ranked.accounts.map((d) => {
      const u = d.topUserId ? userById.get(d.topUserId) : undefined;
      return {
        ...d,
        accountName: String(accById.get(d.accountId)?.name ?? ''),
        ownerId: str(accById.get(d.accountId)?.owner_id),
        topUserName: u ? String(u.name) : null,
        topUserActive: u ? Boolean(u.active) : null,
      };
    }),
    users: ranked.users.flatMap((x) => {
      const u = userById.get(x.userId);
      return u ? [{ ...x, name: String(u.name), department: str(u.department), active: Boolean(u.active) }] : [];
    }),
  };
}

/**
 * The accounts a user holds: owned, or with an open deal they own, an open task of theirs, or a
 * buying-center member they cover on an open deal. Optionally narrowed to some accounts.
 */
export async function handoverScope(db: DbOrTx, orgId: string, userId: string, accountIds?: string[]): Promise<string[]> {
  const narrow = accountIds ? sql`where account_id = any(${uuidArray(accountIds)})` : sql``;
  const out = await rows(db, sql`
    select distinct account_id from (
      select id as account_id from accounts where org_id = ${orgId} and owner_id = ${userId} and deleted_at is null
      union select account_id from opportunities where org_id = ${orgId} and owner_id = ${userId} and status = 'open' and deleted_at is null
      union select coalesce(t.account_id, o.account_id, c.account_id) from tasks t
        left join opportunities o on o.org_id = t.org_id and o.id = t.opportunity_id
        left join contacts c on c.org_id = t.org_id and c.id = t.contact_id
        where t.org_id = ${orgId} and t.assignee_id = ${userId} and t.status = 'open' and t.deleted_at is null
      union select o.account_id from buying_center_coverage cv
        join buying_center_members m on m.org_id = cv.org_id and m.id = cv.member_id and m.deleted_at is null
        join opportunities o on o.org_id = m.org_id and o.id = m.opportunity_id and o.status = 'open' and o.deleted_at is null
        where cv.org_id = ${orgId} and cv.user_id = ${userId}
    ) s ${narrow}`);
  return out.map((r) => str(r.account_id)).filter((x): x is string => !!x);
}

/** The handover package: what the user holds per account, in five set queries. */
export async function handoverPreview(db: DbOrTx, orgId: string, userId: string, accountIds?: string[]): Promise<HandoverPackage> {
  const [u] = await rows(db, sql`select id, name, department, active from users where org_id = ${orgId} and id = ${userId}`);
  if (!u) throw notFound('User');
  await ensureStatistics(db, orgId);
  const scope = await handoverScope(db, orgId, userId, accountIds);
  const fromUser = { userId: String(u.id), name: String(u.name), department: str(u.department), active: Boolean(u.active) };
  if (!scope.length) return { fromUser, accounts: [], totals: { accounts: 0, contacts: 0, opportunities: 0, tasks: 0, promises: 0 } };
  const ids = uuidArray(scope);
  const [accs, covered, opps, tasks, inter] = await Promise.all([
    rows(db, sql`select id, name, owner_id from accounts where org_id = ${orgId} and id = any(${ids}) order by name`),
    rows(db, sql`
      select m.id as member_id, m.contact_id, c.full_name, c.title, o.id as opportunity_id, o.name as opportunity_name, o.account_id, m.roles, m.influence,
             (select count(*) from buying_center_coverage x join users xu on xu.org_id = x.org_id and xu.id = x.user_id and xu.active
               where x.org_id = ${orgId} and x.member_id = m.id and x.user_id <> ${userId})::int as other_coverers
      from buying_center_coverage cv
      join buying_center_members m on m.org_id = cv.org_id and m.id = cv.member_id and m.deleted_at is null
      join opportunities o on o.org_id = m.org_id and o.id = m.opportunity_id and o.status = 'open' and o.deleted_at is null
      join contacts c on c.org_id = m.org_id and c.id = m.contact_id
      where cv.org_id = ${orgId} and cv.user_id = ${userId} and o.account_id = any(${ids})
      order by m.influence desc, c.full_name`),
    rows(db, sql`
      select id, name, amount, currency, buying_stage, expected_close, account_id from opportunities
      where org_id = ${orgId} and owner_id = ${userId} and status = 'open' and deleted_at is null and account_id = any(${ids})
      order by expected_close nulls last`),
    rows(db, sql`
      select t.id, t.title, t.kind, t.due_at, t.opportunity_id, t.contact_id, coalesce(t.account_id, o.account_id, c.account_id) as account_id
      from tasks t
      left join opportunities o on o.org_id = t.org_id and o.id = t.opportunity_id
      left join contacts c on c.org_id = t.org_id and c.id = t.contact_id
      where t.org_id = ${orgId} and t.assignee_id = ${userId} and t.status = 'open' and t.deleted_at is null
        and coalesce(t.account_id, o.account_id, c.account_id) = any(${ids})
      order by t.due_at nulls last`),
    rows(db, sql`
      select id, kind, subject, occurred_at, account_id from (
        select i.id, i.kind, i.subject, i.occurred_at, i.account_id,
               row_number() over (partition by i.account_id order by i.occurred_at desc, i.id) as rn
        from interactions i
        join interaction_users iu on iu.org_id = i.org_id and iu.interaction_id = i.id and iu.user_id = ${userId}
        where i.org_id = ${orgId} and i.deleted_at is null and i.account_id = any(${ids}) and i.occurred_at <= now()
      ) s where rn <= 5 order by occurred_at desc`),
  ]);
  const group = (list: Raw[]) => groupBy(list, (r) => String(r.account_id));
  const [cBy, oBy, tBy, iBy] = [group(covered), group(opps), group(tasks), group(inter)];
  const task = (t: Raw) => ({ id: String(t.id), title: String(t.title), kind: String(t.kind), dueAt: isoTs(t.due_at), opportunityId: str(t.opportunity_id), contactId: str(t.contact_id) });
  const accounts = accs.map((a) => {
    const id = String(a.id);
    const ts = (tBy.get(id) ?? []).map(task);
    return {
      accountId: id,
      accountName: String(a.name),
      ownedByUser: str(a.owner_id) === userId,
      contacts: (cBy.get(id) ?? []).map((c) => ({
        memberId: String(c.member_id), contactId: String(c.contact_id), contactName: String(c.full_name), title: str(c.title),
        opportunityId: String(c.opportunity_id), opportunityName: String(c.opportunity_name), roles: textArray(c.roles), influence: Number(c.influence),
        otherCoverers: Number(c.other_coverers),
      })),
      opportunities: (oBy.get(id) ?? []).map((o) => ({ id: String(o.id), name: String(o.name), amount: str(o.amount), currency: str(o.currency), buyingStage: String(o.buying_stage), expectedClose: str(o.expected_close) })),
      tasks: ts.filter((t) => t.kind !== 'promise'),
      promises: ts.filter((t) => t.kind === 'promise'),
      interactions: (iBy.get(id) ?? []).map((i) => ({ id: String(i.id), kind: String(i.kind), subject: str(i.subject), occurredAt: isoTs(i.occurred_at)! })),
    };
  });
  const sum = (f: (a: (typeof accounts)[number]) => number) => accounts.reduce((s, a) => s + f(a), 0);
  return {
    fromUser,
    accounts,
    totals: { accounts: accounts.length, contacts: sum((a) => a.contacts.length), opportunities: sum((a) => a.opportunities.length), tasks: sum((a) => a.tasks.length), promises: sum((a) => a.promises.length) },
  };
}

