import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountDependence, analyzeCoverage, ATTITUDE_KEYS, communicationMatrix, CORE_ROLES, coverageScore, mergeMembers, rankDependence,
  type CoverageMember,
} from './rules.ts';

const NOW = '2026-11-23T06:00:00Z';
const daysAgo = (d: number) => new Date(Date.parse(NOW) - d * 86_400_000).toISOString();
const member = (id: string, over: Partial<CoverageMember> = {}): CoverageMember => ({
  id, name: id, roles: [], influence: 3, attitude: 'neutral', coverers: ['u1'], lastReachedAt: daysAgo(3), ...over,
});
const kinds = (r: ReturnType<typeof analyzeCoverage>) => r.gaps.map((g) => (g.role ? `${g.kind}:${g.role}` : g.kind));

describe('coverage analysis — hand-built deals', () => {
  it('a new-task deal with no decider, approver or gatekeeper known has high and medium role gaps', () => {
    const r = analyzeCoverage({
      complexity: 3, now: NOW,
      members: [member('engineer', { roles: ['user', 'influencer'] }), member('purchasing', { roles: ['buyer'] })],
    });
    const decider = r.gaps.find((g) => g.role === 'decider')!;
    expect(decider).toMatchObject({ kind: 'missing_role', severity: 'high' });
    expect(kinds(r)).toEqual(expect.arrayContaining(['missing_role:approver', 'missing_role:gatekeeper', 'missing_role:initiator']));
    expect(kinds(r)).not.toContain('single_threaded');
    expect(r.gaps[0]!.role).toBe('decider');
    expect(r.score).toBe(100 - 30 - 12 - 8 - 4);
    for (const g of r.gaps) {
      expect(g.reason.length).toBeGreaterThan(5);
      expect(g.action.length).toBeGreaterThan(5);
    }
  });

  it('a straight rebuy with one covered, recently reached buyer has no gaps at all', () => {
    const r = analyzeCoverage({ complexity: 1, now: NOW, members: [member('buyer', { roles: ['buyer'] })] });
    expect(r.gaps).toEqual([]);
    expect(r.score).toBe(100);
  });

  it('the same single buyer in a new task is single-threaded and misses the decision makers', () => {
    const r = analyzeCoverage({ complexity: 3, now: NOW, members: [member('buyer', { roles: ['buyer'] })] });
    expect(kinds(r)).toEqual(expect.arrayContaining(['single_threaded', 'missing_role:decider', 'missing_role:approver', 'missing_role:gatekeeper']));
    expect(r.score).toBeLessThan(30);
  });

  it('a straight rebuy without a known buyer is a gap; without approver or gatekeeper it is not', () => {
    const r = analyzeCoverage({ complexity: 1, now: NOW, members: [member('ceo', { roles: ['decider'] })] });
    expect(kinds(r)).toEqual(['missing_role:buyer']);
  });

  it('flags uncovered members, members not reached within N days, and influential blockers', () => {
    const r = analyzeCoverage({
      complexity: 2, now: NOW, reachDays: 30,
      members: [
        member('ceo', { roles: ['decider'], influence: 5, coverers: [] }),
        member('cfo', { roles: ['influencer', 'buyer'], lastReachedAt: daysAgo(45) }),
        member('user', { roles: ['user'], lastReachedAt: null }),
        member('cto', { roles: ['influencer'], attitude: 'blocker', influence: 4 }),
        member('clerk', { roles: ['user'], attitude: 'blocker', influence: 2 }),
      ],
    });
    const byMember = (k: string) => r.gaps.filter((g) => g.kind === k).map((g) => g.memberId);
    expect(byMember('uncovered')).toEqual(['ceo']);
    expect(r.gaps.find((g) => g.kind === 'uncovered')!.severity).toBe('medium');
    expect(byMember('not_reached').sort()).toEqual(['cfo', 'user']);
    expect(r.gaps.find((g) => g.memberId === 'cfo' && g.kind === 'not_reached')!.days).toBe(45);
    expect(r.gaps.find((g) => g.memberId === 'user' && g.kind === 'not_reached')!.days).toBeNull();
    expect(byMember('blocker')).toEqual(['cto']);
    expect(kinds(r).filter((k) => k.startsWith('missing_role'))).toEqual([]);
  });

  it('no members: score 0 with one gap telling what to do', () => {
    const r = analyzeCoverage({ complexity: 3, now: NOW, members: [] });
    expect(r.score).toBe(0);
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]!.kind).toBe('no_members');
  });

  it('does not demand a role the organization switched off, and judges an unknown situation as a modified rebuy', () => {
    const members = [member('a', { roles: ['decider', 'buyer'] }), member('b', { roles: ['user'] })];
    const r = analyzeCoverage({ complexity: 3, now: NOW, members, activeRoles: CORE_ROLES.filter((x) => x !== 'gatekeeper') });
    expect(kinds(r)).not.toContain('missing_role:gatekeeper');
    expect(kinds(r)).toContain('missing_role:approver');
    expect(analyzeCoverage({ complexity: null, now: NOW, members }).complexity).toBe(2);
  });
});

// ── Properties ──────────────────────────────────────────────────────────────

const arbMember = (i: number) =>
  fc.record({
    roles: fc.subarray([...CORE_ROLES]),
    influence: fc.integer({ min: 1, max: 5 }),
    attitude: fc.constantFrom(...ATTITUDE_KEYS),
    coverers: fc.subarray(['u1', 'u2', 'u3']),
    lastReachedAt: fc.option(fc.integer({ min: 0, max: 400 }).map(daysAgo), { nil: null }),
  }).map((m): CoverageMember => ({ id: `m${i}`, ...m }));
const arbMembers = fc.integer({ min: 0, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbMember(i))));
const arbComplexity = fc.constantFrom(1, 2, 3);

describe('coverage analysis — properties', () => {
  it('score is an integer in 0–100 and equals 100 minus the penalties of the listed gaps', () => {
    fc.assert(fc.property(arbMembers, arbComplexity, fc.integer({ min: 1, max: 120 }), (members, complexity, reachDays) => {
      const r = analyzeCoverage({ members, complexity, now: NOW, reachDays });
      expect(Number.isInteger(r.score)).toBe(true);
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(100);
      const total = r.gaps.reduce((s, g) => s + g.penalty, 0);
      expect(r.score).toBe(Math.max(0, Math.round(100 - total)));
      expect(r.score === 100).toBe(r.gaps.length === 0);
      for (const g of r.gaps) if (g.memberId && g.kind !== 'single_threaded') expect(members.some((m) => m.id === g.memberId)).toBe(true);
    }));
  });

  it('coverageScore, from numbers alone, gives exactly the score analyzeCoverage explains', () => {
    fc.assert(fc.property(arbMembers, fc.option(arbComplexity, { nil: null }), fc.integer({ min: 1, max: 120 }), fc.option(fc.subarray([...CORE_ROLES]), { nil: undefined }),
      (members, complexity, reachDays, activeRoles) => {
        const full = analyzeCoverage({ members, complexity, now: NOW, reachDays, ...(activeRoles ? { activeRoles } : {}) });
        const scored = members.map((m) => ({
          roles: m.roles, influence: m.influence, attitude: m.attitude, coverers: m.coverers.length,
          lastReachedMs: m.lastReachedAt === null ? null : Date.parse(m.lastReachedAt),
        }));
        expect(coverageScore({ members: scored, complexity, now: new Date(NOW).getTime(), reachDays, ...(activeRoles ? { activeRoles } : {}) })).toBe(full.score);
      }));
  });

  it('covering a member, reaching a member or learning a role never lowers the score', () => {
    fc.assert(fc.property(arbMembers.filter((m) => m.length > 0), arbComplexity, fc.nat(), fc.constantFrom(...CORE_ROLES), (members, complexity, pick, role) => {
      const i = pick % members.length;
      const base = analyzeCoverage({ members, complexity, now: NOW }).score;
      const change = (f: (m: CoverageMember) => CoverageMember) => analyzeCoverage({ members: members.map((m, j) => (j === i ? f(m) : m)), complexity, now: NOW }).score;
      expect(change((m) => ({ ...m, coverers: [...m.coverers, 'u9'] }))).toBeGreaterThanOrEqual(base);
      expect(change((m) => ({ ...m, lastReachedAt: daysAgo(1) }))).toBeGreaterThanOrEqual(base);
      expect(change((m) => ({ ...m, roles: [...m.roles, role] }))).toBeGreaterThanOrEqual(base);
    }));
  });

  it('a straight rebuy never reports missing approvers, gatekeepers or deciders, nor single-threading', () => {
    fc.assert(fc.property(arbMembers, (members) => {
      const k = kinds(analyzeCoverage({ members, complexity: 1, now: NOW }));
      for (const bad of ['missing_role:approver', 'missing_role:gatekeeper', 'missing_role:decider', 'single_threaded']) expect(k).not.toContain(bad);
    }));
  });

  it('gaps are ordered by severity', () => {
    fc.assert(fc.property(arbMembers, arbComplexity, (members, complexity) => {
      const order = { high: 0, medium: 1, low: 2 };
      const sev = analyzeCoverage({ members, complexity, now: NOW }).gaps.map((g) => order[g.severity]);
      expect(sev).toEqual([...sev].sort((a, b) => a - b));
    }));
  });
});

describe('communication model', () => {
  it('one salesperson facing everyone is a bow tie', () => {
    const m = communicationMatrix([
      { id: 'a', roles: ['decider'], coverers: [{ userId: 'rep', department: 'sales' }] },
      { id: 'b', roles: ['user', 'influencer'], coverers: [{ userId: 'rep', department: 'sales' }] },
    ]);
    expect(m.model).toBe('bow_tie');
    expect(m.topUserShare).toBe(1);
    expect(m.cells).toEqual([
      { department: 'sales', role: 'user', members: 1 },
      { department: 'sales', role: 'influencer', members: 1 },
      { department: 'sales', role: 'decider', members: 1 },
    ]);
  });

  it('departments facing their counterparts is a diamond; the matrix counts members per department and role', () => {
    const m = communicationMatrix([
      { id: 'ceo', roles: ['decider'], coverers: [{ userId: 'dir', department: 'sales' }] },
      { id: 'eng', roles: ['user', 'influencer'], coverers: [{ userId: 'tech', department: 'technical' }] },
      { id: 'fin', roles: ['approver'], coverers: [{ userId: 'fin', department: 'finance' }] },
      { id: 'buy', roles: ['buyer'], coverers: [{ userId: 'rep', department: 'sales' }] },
      { id: 'gk', roles: ['gatekeeper'], coverers: [] },
    ]);
    expect(m.model).toBe('diamond');
    expect(m.departments).toEqual(['finance', 'sales', 'technical']);
    expect(m.cells.find((c) => c.department === 'sales' && c.role === 'decider')!.members).toBe(1);
    expect(m.roles).toContain('gatekeeper');
    expect(m.cells.some((c) => c.role === 'gatekeeper')).toBe(false);
  });

  it('nobody covered: no model', () => {
    expect(communicationMatrix([{ id: 'a', roles: ['buyer'], coverers: [] }]).model).toBe('none');
  });
});

describe('key-person dependence', () => {
  it('an account run by one rep depends on that rep completely', () => {
    const d = accountDependence({ accountId: 'A', users: [{ userId: 'star', interactions: 12, decisionMembers: 2, pipeline: 50000 }] });
    expect(d).toMatchObject({ dependence: 1, level: 'high', topUserId: 'star', shares: { interactions: 1, decisionMembers: 1, pipeline: 1 } });
  });

  it('a relationship spread over three people depends little on any one of them', () => {
    const d = accountDependence({ accountId: 'B', users: [
      { userId: 'a', interactions: 4, decisionMembers: 1, pipeline: 4000 },
      { userId: 'b', interactions: 4, decisionMembers: 1, pipeline: 3000 },
      { userId: 'c', interactions: 4, decisionMembers: 1, pipeline: 3000 },
    ] });
    expect(d.topUserId).toBe('a');
    expect(d.level).toBe('low');
    expect(d.dependence).toBeCloseTo(0.4 / 3 + 0.35 / 3 + 0.25 * 0.4, 3);
  });

  it('dimensions an account lacks do not count; dependence stays within 0–1 and ranking filters by user', () => {
    fc.assert(fc.property(fc.array(fc.record({ userId: fc.constantFrom('a', 'b', 'c', 'd'), interactions: fc.nat(20), decisionMembers: fc.nat(4), pipeline: fc.nat(100000) }), { maxLength: 6 }), (rows) => {
      const users = [...new Map(rows.map((r) => [r.userId, r])).values()];
      const d = accountDependence({ accountId: 'X', users });
      expect(d.dependence).toBeGreaterThanOrEqual(0);
      expect(d.dependence).toBeLessThanOrEqual(1);
      if (users.length === 1 && (users[0]!.interactions + users[0]!.decisionMembers + users[0]!.pipeline) > 0) expect(d.dependence).toBe(1);
      if (users.length > 0 && d.topUserId) expect(d.dependence).toBeGreaterThanOrEqual(1 / users.length - 1e-3);
    }));
    const ranked = rankDependence([
      { accountId: 'A', users: [{ userId: 'star', interactions: 30, decisionMembers: 3, pipeline: 200000 }] },
      { accountId: 'B', users: [{ userId: 'star', interactions: 2, decisionMembers: 0, pipeline: 0 }] },
      { accountId: 'C', users: [{ userId: 'other', interactions: 5, decisionMembers: 1, pipeline: 1000 }, { userId: 'x', interactions: 5, decisionMembers: 1, pipeline: 0 }] },
    ]);
    expect(ranked.accounts.map((a) => a.accountId)).toEqual(['A', 'B', 'C']);
    expect(ranked.users[0]).toMatchObject({ userId: 'star', accounts: 2, highAccounts: 2, pipeline: 200000 });
    expect(rankDependence([{ accountId: 'C', users: [{ userId: 'o', interactions: 1, decisionMembers: 0, pipeline: 0 }] }], { userId: 'star' }).accounts).toEqual([]);
  });
});

describe('account view merge', () => {
  it('unions roles and coverers, keeps the highest influence and the most negative attitude', () => {
    const merged = mergeMembers([
      { opportunityId: 'o1', contactId: 'c1', roles: ['user'], influence: 2, attitude: 'supporter', coverers: ['u1'] },
      { opportunityId: 'o2', contactId: 'c1', roles: ['decider'], influence: 5, attitude: 'skeptic', coverers: ['u2'] },
      { opportunityId: 'o2', contactId: 'c2', roles: ['buyer'], influence: 3, attitude: 'champion', coverers: [] },
    ]);
    expect(merged).toEqual([
      { contactId: 'c1', roles: ['user', 'decider'], influence: 5, attitude: 'skeptic', coverers: ['u1', 'u2'], opportunityIds: ['o1', 'o2'] },
      { contactId: 'c2', roles: ['buyer'], influence: 3, attitude: 'champion', coverers: [], opportunityIds: ['o2'] },
    ]);
  });
});
