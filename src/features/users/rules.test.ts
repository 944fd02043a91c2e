import { describe, expect, it } from 'vitest';
import { asSeenBy } from './rules.ts';

describe('asSeenBy', () => {
  const u = { id: 'u1', email: 'ann@example.com', name: 'Ann' };
  it('administrators and the user themself see the e-mail; other roles do not', () => {
    expect(asSeenBy({ role: 'admin', userId: 'x' }, u).email).toBe('ann@example.com');
    expect(asSeenBy({ role: 'viewer', userId: 'u1' }, u).email).toBe('ann@example.com');
    for (const role of ['manager', 'rep', 'viewer'] as const) expect(asSeenBy({ role, userId: 'x' }, u)).toEqual({ id: 'u1', email: null, name: 'Ann' });
  });
});
