import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_TOKEN_PREFIX, newOrgToken, newToken, tokenOrg } from './secrets.ts';

describe('secrets that name their organization', () => {
  it('reads back the organization of any secret it made, with or without a prefix', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.constantFrom('', API_TOKEN_PREFIX), (orgId, prefix) => {
        const s = newOrgToken(orgId, prefix);
        expect(s.startsWith(prefix)).toBe(true);
        expect(tokenOrg(s, prefix)).toBe(orgId.toLowerCase());
      }),
    );
  });

  it('finds no organization in the old format, a wrong prefix or arbitrary text', () => {
    expect(tokenOrg(newToken('acc_'), API_TOKEN_PREFIX)).toBeNull();
    expect(tokenOrg(newToken())).toBeNull();
    expect(tokenOrg(newOrgToken('0190a6c4-1111-7222-8333-444455556666', API_TOKEN_PREFIX))).toBeNull();
    expect(tokenOrg(newOrgToken('0190a6c4-1111-7222-8333-444455556666'), API_TOKEN_PREFIX)).toBeNull();
    fc.assert(fc.property(fc.string(), (s) => {
      const org = tokenOrg(s);
      if (org) expect(org).toMatch(/^[0-9a-f-]{36}$/);
    }));
  });
});
