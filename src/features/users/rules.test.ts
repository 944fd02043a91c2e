import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { asSeenBy, planTeamImport } from './rules.ts';

describe('asSeenBy', () => {
  const u = { id: 'u1', email: 'ann@example.com', name: 'Ann' };
  it('administrators and the user themself see the e-mail; other roles do not', () => {
    expect(asSeenBy({ role: 'admin', userId: 'x' }, u).email).toBe('ann@example.com');
    expect(asSeenBy({ role: 'viewer', userId: 'u1' }, u).email).toBe('ann@example.com');
    for (const role of ['manager', 'rep', 'viewer'] as const) expect(asSeenBy({ role, userId: 'x' }, u)).toEqual({ id: 'u1', email: null, name: 'Ann' });
  });
});

describe('planTeamImport', () => {
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  const users = [
    { id: 'a', name: 'José Núñez', email: 'jose@acme.example' },
    { id: 'b', name: 'Li Wei', email: 'li.wei@acme.example' },
    { id: 'c', name: 'Li Wei', email: 'li.wei2@acme.example' },
  ];
  it('matches by e-mail, else by a unique name in any case and accents; plans the rest; never guesses a shared name', () => {
    const plan = planTeamImport([
      { name: 'Someone Else', email: 'JOSE@acme.example' },
      { name: 'jose  nunez' },
      { name: 'Li Wei' },
      { name: 'Ana Silva', team: 'Lisbon' },
      { name: 'ANA SILVA' },
      { name: 'Bo Chen', email: 'bo@acme.example', role: 'manager' },
    ], users, md5);
    expect(plan.existing.map((e) => [e.line, e.id, e.matchedBy])).toEqual([[2, 'a', 'email'], [3, 'a', 'name'], [6, null, 'email']]);
    expect(plan.ambiguous).toEqual([{ line: 4, name: 'Li Wei', candidates: ['li.wei@acme.example', 'li.wei2@acme.example'] }]);
    expect(plan.create.map((c) => [c.line, c.name, c.email, c.team, c.role])).toEqual([
      [5, 'Ana Silva', `ana.silva.${md5('ana silva').slice(0, 8)}@imported.invalid`, 'Lisbon', undefined],
      [7, 'Bo Chen', 'bo@acme.example', undefined, 'manager'],
    ]);
  });
});
