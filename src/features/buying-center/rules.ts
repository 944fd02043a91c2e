/**
 * Buying-center judgement (DOMAIN §2): coverage gaps and score, the communication model, the
 * dependence of an account on one of our people. Pure functions over plain data — the SQL in
 * queries.ts gathers the sets, these decide what they mean. Imported by the web app too.
 */

export const ATTITUDE_KEYS = ['champion', 'supporter', 'neutral', 'skeptic', 'blocker'] as const;
export type Attitude = (typeof ATTITUDE_KEYS)[number];

/** The seven default roles; an organization may add its own (they carry no coverage requirement). */
export const CORE_ROLES = ['initiator', 'user', 'influencer', 'decider', 'approver', 'buyer', 'gatekeeper'] as const;
/** Roles whose holders make or sign off the decision: what "covered decision makers" counts. */
export const DECISION_ROLES = ['decider', 'approver'] as const;

/** 1 = straight rebuy, 2 = modified rebuy, 3 = new task (vocab buying_situation, meta.complexity). */
export type Complexity = 1 | 2 | 3;
/** An opportunity without a known buying situation is judged as a modified rebuy: neither lenient nor alarmist. */
export const DEFAULT_COMPLEXITY: Complexity = 2;
export const DEFAULT_REACH_DAYS = 30;

/**
 * How much a missing role costs, per complexity [straight rebuy, modified rebuy, new task]; 0 = not a gap.
 * A straight rebuy is often one buyer re-ordering (003); a new task draws in approvers and the
 * gatekeepers who control what information reaches the others.
 */
export const ROLE_WEIGHTS: Record<string, readonly [number, number, number]> = {
  decider: [0, 30, 30],
  buyer: [25, 10, 10],
  approver: [0, 0, 12],
  gatekeeper: [0, 0, 8],
  influencer: [0, 6, 8],
  user: [0, 6, 8],
  initiator: [0, 0, 4],
};

export type Severity = 'high' | 'medium' | 'low';
export type GapKind = 'no_members' | 'missing_role' | 'single_threaded' | 'uncovered' | 'not_reached' | 'blocker';

export interface CoverageMember {
  id: string;
  name?: string;
  roles: readonly string[];
  influence: number;
  attitude: Attitude;
  /** Active users of ours who cover this member (deactivated ones cover nobody). */
  coverers: readonly string[];
  /** Last interaction with this contact (ISO), or null if never. */
  lastReachedAt: string | null;
}

export interface CoverageInput {
  members: readonly CoverageMember[];
  complexity: number | null | undefined;
  now: Date | string | number;
  reachDays?: number;
  /** Active buying_role keys of the organization; a role switched off there is not demanded. */
  activeRoles?: readonly string[];
}

export interface Gap {
  kind: GapKind;
  memberId?: string;
  role?: string;
  severity: Severity;
  /** Points this gap takes off the score. */
  penalty: number;
  /** Days since the member was last reached (not_reached only; null = never). */
  days?: number | null;
  reason: string;
  action: string;
}

export interface CoverageResult {
  score: number;
  complexity: Complexity;
  gaps: Gap[];
}

const DAY_MS = 86_400_000;
const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

export function toComplexity(c: number | null | undefined): Complexity {
  if (c === 1 || c === 2 || c === 3) return c;
  if (typeof c === 'number' && Number.isFinite(c)) return c <= 1 ? 1 : c >= 3 ? 3 : 2;
  return DEFAULT_COMPLEXITY;
}

const severityOf = (penalty: number): Severity => (penalty >= 20 ? 'high' : penalty >= 10 ? 'medium' : 'low');
const clampInfluence = (n: number) => Math.min(5, Math.max(1, Math.round(Number.isFinite(n) ? n : 3)));
const toMs = (v: Date | string | number) => (v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v));
const who = (m: CoverageMember) => m.name ?? 'This member';

/** Adds penalties up to a cap, so one kind of gap cannot by itself sink a large buying center. */
function capped(gaps: Gap[], cap: number): Gap[] {
  let left = cap;
  for (const g of [...gaps].sort((a, b) => b.penalty - a.penalty)) {
    const p = Math.min(g.penalty, left);
    g.penalty = Math.round(p * 10) / 10;
    left -= p;
  }
  return gaps;
}

/**
 * Coverage of one opportunity's buying center: which roles are unknown (weighted by the buying
 * situation), whether the deal hangs on one contact, who on their side nobody of ours covers or
 * has reached lately, and which influential members oppose us. Score 100 = nothing to fix.
 */
export function analyzeCoverage(input: CoverageInput): CoverageResult {
  const complexity = toComplexity(input.complexity);
  const reachDays = input.reachDays ?? DEFAULT_REACH_DAYS;
  const now = toMs(input.now);
  const members = input.members;
  if (members.length === 0) {
    return {
      score: 0,
      complexity,
      gaps: [{
        kind: 'no_members', severity: 'high', penalty: 100,
        reason: 'Nobody in the buying center is known yet',
        action: 'Map who is involved: start with the contact who raised the need and ask who decides',
      }],
    };
  }
  const gaps: Gap[] = [];
  const held = new Set(members.flatMap((m) => m.roles));
  const active = input.activeRoles ? new Set(input.activeRoles) : null;

  for (const [role, weights] of Object.entries(ROLE_WEIGHTS)) {
    const penalty = weights[complexity - 1]!;
    if (penalty === 0 || held.has(role) || (active && !active.has(role))) continue;
    gaps.push({
      kind: 'missing_role', role, severity: severityOf(penalty), penalty,
      reason: `No ${role} known`,
      action: role === 'decider' ? 'Ask your champion who signs; get a meeting with that person'
        : role === 'approver' ? 'Find out who checks process and compliance (COO, CTO) before the decision'
        : role === 'gatekeeper' ? 'Identify who controls information flow (purchasing agent, assistant) and win them over'
        : role === 'buyer' ? 'Find who selects suppliers and sets terms in purchasing'
        : `Identify the ${role} and add them to the buying center`,
    });
  }

  if (members.length === 1 && complexity >= 2) {
    const penalty = complexity === 3 ? 25 : 15;
    gaps.push({
      kind: 'single_threaded', memberId: members[0]!.id, severity: severityOf(penalty), penalty,
      reason: `The deal hangs on one contact (${who(members[0]!)})`,
      action: 'Multi-thread: ask for introductions to the other people involved in the decision',
    });
  }

  const uncovered: Gap[] = [];
  const unreached: Gap[] = [];
  const blockers: Gap[] = [];
  for (const m of members) {
    const inf = clampInfluence(m.influence);
    if (m.coverers.length === 0) {
      uncovered.push({
        kind: 'uncovered', memberId: m.id, penalty: 4 + 2 * inf, severity: 'low',
        reason: `${who(m)} (influence ${inf}) is not covered by anyone on our side`,
        action: 'Assign a colleague, ideally from the department that matches their role',
      });
    }
    const last = m.lastReachedAt ? toMs(m.lastReachedAt) : NaN;
    const days = Number.isNaN(last) ? null : Math.floor((now - last) / DAY_MS);
    if (days === null || days > reachDays) {
      unreached.push({
        kind: 'not_reached', memberId: m.id, penalty: 2 + 1.5 * inf, severity: 'low', days,
        reason: days === null ? `${who(m)} has never been reached` : `${who(m)} not reached for ${days} days`,
        action: 'Plan a call or visit with them',
      });
    }
    if (m.attitude === 'blocker' && inf >= 4) {
      blockers.push({
        kind: 'blocker', memberId: m.id, penalty: 10 + 2 * (inf - 3), severity: 'low',
        reason: `${who(m)} opposes us and has influence ${inf}`,
        action: 'Learn their objection; bring a peer of theirs or a reference customer to address it',
      });
    }
  }
  for (const g of [...capped(uncovered, 30), ...capped(unreached, 20), ...capped(blockers, 25)]) {
    if (g.penalty <= 0) continue;
    // Severity follows the member's own weight, not what was left under the cap.
    const inf = clampInfluence(members.find((m) => m.id === g.memberId)!.influence);
    g.severity = g.kind === 'blocker' ? 'high' : inf >= 4 ? 'medium' : 'low';
    gaps.push(g);
  }

  const total = gaps.reduce((s, g) => s + g.penalty, 0);
  gaps.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.penalty - a.penalty);
  return { score: Math.max(0, Math.min(100, Math.round(100 - total))), complexity, gaps };
}

/** A member as coverageScore needs it: numbers and keys only. */
export interface ScoredMember {
  roles: readonly string[];
  influence: number;
  attitude: string;
  /** How many active users of ours cover the member. */
  coverers: number;
  /** Last interaction with the contact (epoch ms), or null if never. */
  lastReachedMs: number | null;
}

/** `total` plus the penalties of one capped group, capped as `capped` does, added in the members' order. */
function addCapped(total: number, penalties: number[], cap: number): number {
  if (!penalties.length) return total;
  const order = penalties.map((_, i) => i).sort((a, b) => penalties[b]! - penalties[a]! || a - b);
  const out = new Array<number>(penalties.length);
  let left = cap;
  for (const i of order) {
    const p = Math.min(penalties[i]!, left);
    out[i] = Math.round(p * 10) / 10;
    left -= p;
  }
  let sum = total;
  for (const v of out) if (v > 0) sum += v;
  return sum;
}

/**
 * analyzeCoverage's score alone, for scoring every deal of an organization: the same penalties
 * added in the same order, without building the gaps' texts (a test holds the two equal).
 */
export function coverageScore(input: { members: readonly ScoredMember[]; complexity: number | null | undefined; now: number; reachDays?: number; activeRoles?: readonly string[] }): number {
  const members = input.members;
  if (members.length === 0) return 0;
  const complexity = toComplexity(input.complexity);
  const reachDays = input.reachDays ?? DEFAULT_REACH_DAYS;
  const held = new Set<string>();
  for (const m of members) for (const r of m.roles) held.add(r);
  const active = input.activeRoles ? new Set(input.activeRoles) : null;
  let total = 0;
  for (const [role, weights] of Object.entries(ROLE_WEIGHTS)) {
    const penalty = weights[complexity - 1]!;
    if (penalty === 0 || held.has(role) || (active && !active.has(role))) continue;
    total += penalty;
  }
  if (members.length === 1 && complexity >= 2) total += complexity === 3 ? 25 : 15;
  const uncovered: number[] = [];
  const unreached: number[] = [];
  const blockers: number[] = [];
  for (const m of members) {
    const inf = clampInfluence(m.influence);
    if (m.coverers === 0) uncovered.push(4 + 2 * inf);
    const days = m.lastReachedMs === null || Number.isNaN(m.lastReachedMs) ? null : Math.floor((input.now - m.lastReachedMs) / DAY_MS);
    if (days === null || days > reachDays) unreached.push(2 + 1.5 * inf);
    if (m.attitude === 'blocker' && inf >= 4) blockers.push(10 + 2 * (inf - 3));
  }
  total = addCapped(total, uncovered, 30);
  total = addCapped(total, unreached, 20);
  total = addCapped(total, blockers, 25);
  return Math.max(0, Math.min(100, Math.round(100 - total)));
}

// ── Communication model (004) ───────────────────────────────────────────────

export interface MatrixMember {
  id: string;
  roles: readonly string[];
  coverers: readonly { userId: string; department: string | null }[];
}

export type CommunicationModel = 'none' | 'bow_tie' | 'diamond' | 'mixed';

export interface CommunicationMatrix {
  model: CommunicationModel;
  /** Our departments (null department reported as ""), their roles, and how many members each pair covers. */
  departments: string[];
  roles: string[];
  cells: { department: string; role: string; members: number }[];
  /** Share of covered members that the busiest one of our users covers. */
  topUserShare: number;
  users: number;
}

/**
 * Bow tie: one of our people faces the whole buying center. Diamond: several of our departments
 * each face their counterparts. Mixed: several people, one department.
 */
export function communicationMatrix(members: readonly MatrixMember[], roleOrder: readonly string[] = CORE_ROLES): CommunicationMatrix {
  const cells = new Map<string, Set<string>>();
  const perUser = new Map<string, number>();
  const depts = new Set<string>();
  const roles = new Set<string>();
  let covered = 0;
  for (const m of members) {
    // Every role of the buying center gets a column, covered or not: an empty column is a gap to see.
    for (const r of m.roles) roles.add(r);
    if (m.coverers.length) covered++;
    for (const c of m.coverers) {
      perUser.set(c.userId, (perUser.get(c.userId) ?? 0) + 1);
      const d = c.department ?? '';
      depts.add(d);
      for (const r of m.roles) {
        const k = `${d}\u0000${r}`;
        if (!cells.has(k)) cells.set(k, new Set());
        cells.get(k)!.add(m.id);
      }
    }
  }
  const top = Math.max(0, ...perUser.values());
  const topUserShare = covered ? top / covered : 0;
  const model: CommunicationModel = covered === 0 ? 'none'
    : perUser.size === 1 || (topUserShare >= 0.8 && depts.size === 1) ? 'bow_tie'
    : depts.size >= 2 && topUserShare < 0.8 ? 'diamond'
    : depts.size >= 2 ? 'bow_tie'
    : 'mixed';
  const ordered = [...roleOrder.filter((r) => roles.has(r)), ...[...roles].filter((r) => !roleOrder.includes(r)).sort()];
  return {
    model,
    departments: [...depts].sort(),
    roles: ordered,
    cells: [...cells.entries()].map(([k, s]) => {
      const [department, role] = k.split('\u0000') as [string, string];
      return { department, role, members: s.size };
    }).sort((a, b) => a.department.localeCompare(b.department) || ordered.indexOf(a.role) - ordered.indexOf(b.role)),
    topUserShare: Math.round(topUserShare * 1000) / 1000,
    users: perUser.size,
  };
}

// ── Key-person dependence (003) ─────────────────────────────────────────────

/**
 * One user's part in one account's relationship. Credits are already split: an interaction with
 * two of our people gives each 0.5, a decision maker covered by two gives each 0.5; the owner of
 * an open deal carries its whole amount. So per account each dimension sums to its total.
 */
export interface UserShare {
  userId: string;
  interactions: number;
  decisionMembers: number;
  pipeline: number;
}

export interface AccountShares {
  accountId: string;
  users: readonly UserShare[];
}

export const DEPENDENCE_WEIGHTS = { interactions: 0.4, decisionMembers: 0.35, pipeline: 0.25 } as const;
export type DependenceLevel = 'high' | 'medium' | 'low';

export interface AccountDependence {
  accountId: string;
  /** 0–1: the part of the relationship that runs through the top user. */
  dependence: number;
  level: DependenceLevel;
  topUserId: string | null;
  /** The top user's share of each dimension (null where the account has none of it). */
  shares: { interactions: number | null; decisionMembers: number | null; pipeline: number | null };
  totals: { interactions: number; decisionMembers: number; pipeline: number };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function accountDependence(a: AccountShares): AccountDependence {
  const dims = ['interactions', 'decisionMembers', 'pipeline'] as const;
  const totals = { interactions: 0, decisionMembers: 0, pipeline: 0 };
  for (const u of a.users) for (const d of dims) totals[d] += Math.max(0, u[d]);
  const present = dims.filter((d) => totals[d] > 0);
  const wsum = present.reduce((s, d) => s + DEPENDENCE_WEIGHTS[d], 0);
  let best: { userId: string; score: number } | null = null;
  for (const u of a.users) {
    const score = wsum === 0 ? 0 : present.reduce((s, d) => s + (DEPENDENCE_WEIGHTS[d] / wsum) * (Math.max(0, u[d]) / totals[d]), 0);
    if (!best || score > best.score || (score === best.score && u.userId < best.userId)) best = { userId: u.userId, score };
  }
  const top = best && best.score > 0 ? a.users.find((u) => u.userId === best!.userId)! : null;
  const dependence = round3(Math.min(1, best?.score ?? 0));
  return {
    accountId: a.accountId,
    dependence,
    level: dependence >= 0.75 ? 'high' : dependence >= 0.5 ? 'medium' : 'low',
    topUserId: top?.userId ?? null,
    shares: {
      interactions: top && totals.interactions > 0 ? round3(Math.max(0, top.interactions) / totals.interactions) : null,
      decisionMembers: top && totals.decisionMembers > 0 ? round3(Math.max(0, top.decisionMembers) / totals.decisionMembers) : null,
      pipeline: top && totals.pipeline > 0 ? round3(Math.max(0, top.pipeline) / totals.pipeline) : null,
    },
    totals: { interactions: round3(totals.interactions), decisionMembers: round3(totals.decisionMembers), pipeline: Math.round(totals.pipeline * 100) / 100 },
  };
}

/**
 * What leaving would cost: dependence weighted by what is at stake (open pipeline, and the weight of
 * the relationship itself so a busy account with no open deal still ranks).
 */
export function exposure(d: AccountDependence): number {
  return round3(d.dependence * (1 + Math.log10(1 + d.totals.pipeline / 1000) + Math.log10(1 + d.totals.interactions)));
}

export interface UserRisk {
  userId: string;
  /** Accounts where this user is the top user and dependence is at least medium. */
  accounts: number;
  highAccounts: number;
  pipeline: number;
  exposure: number;
}

/** Ranks accounts by exposure and sums, per user, what would be at risk if they left. */
export function rankDependence(list: readonly AccountShares[], opts: { userId?: string; limit?: number } = {}) {
  const all = list.map(accountDependence).filter((d) => d.topUserId !== null);
  const scored = all.map((d) => ({ ...d, exposure: exposure(d) }));
  const byUser = new Map<string, UserRisk>();
  for (const d of scored) {
    if (d.level === 'low') continue;
    const u = byUser.get(d.topUserId!) ?? { userId: d.topUserId!, accounts: 0, highAccounts: 0, pipeline: 0, exposure: 0 };
    u.accounts++;
    if (d.level === 'high') u.highAccounts++;
    u.pipeline += d.totals.pipeline * (d.shares.pipeline ?? 0);
    u.exposure = round3(u.exposure + d.exposure);
    byUser.set(u.userId, u);
  }
  const accounts = scored
    .filter((d) => !opts.userId || d.topUserId === opts.userId)
    .sort((a, b) => b.exposure - a.exposure || b.dependence - a.dependence || a.accountId.localeCompare(b.accountId))
    .slice(0, opts.limit ?? 50);
  const users = [...byUser.values()]
    .map((u) => ({ ...u, pipeline: Math.round(u.pipeline * 100) / 100 }))
    .sort((a, b) => b.exposure - a.exposure || a.userId.localeCompare(b.userId));
  return { accounts, users };
}

// ── Account view: merging the buying centers of open deals ──────────────────

export interface DealMember {
  opportunityId: string;
  contactId: string;
  roles: readonly string[];
  influence: number;
  attitude: Attitude;
  coverers: readonly string[];
}

const ATTITUDE_RANK: Record<Attitude, number> = { blocker: 0, skeptic: 1, neutral: 2, supporter: 3, champion: 4 };

/**
 * One entry per contact across the account's open deals: all roles they hold, their highest
 * influence, their most negative attitude (the one to act on), and everyone who covers them.
 */
export function mergeMembers(members: readonly DealMember[]) {
  const out = new Map<string, { contactId: string; roles: string[]; influence: number; attitude: Attitude; coverers: string[]; opportunityIds: string[] }>();
  for (const m of members) {
    const e = out.get(m.contactId);
    if (!e) {
      out.set(m.contactId, { contactId: m.contactId, roles: [...new Set(m.roles)], influence: m.influence, attitude: m.attitude, coverers: [...new Set(m.coverers)], opportunityIds: [m.opportunityId] });
      continue;
    }
    e.roles = [...new Set([...e.roles, ...m.roles])];
    e.influence = Math.max(e.influence, m.influence);
    if (ATTITUDE_RANK[m.attitude] < ATTITUDE_RANK[e.attitude]) e.attitude = m.attitude;
    e.coverers = [...new Set([...e.coverers, ...m.coverers])];
    if (!e.opportunityIds.includes(m.opportunityId)) e.opportunityIds.push(m.opportunityId);
  }
  return [...out.values()];
}
