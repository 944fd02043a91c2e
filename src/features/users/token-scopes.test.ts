import { expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp, type TestUser } from '../../../tests/helpers/app.ts';
import { collectRoutes, fillPath, isPublicAuthRoute, orgFingerprint, tenantTables } from '../../../tests/helpers/routes.ts';

describeEachDb('API token scopes', (mode) => {
  const t = useTestApp(mode);

  async function token(user: TestUser, body: Record<string, unknown>): Promise<TestUser & { tokenId: string; scope: string }> {
    const res = await t.as(user, { method: 'POST', url: '/api/v1/tokens', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    const j = res.json() as { id: string; token: string; scope: string };
    return { ...user, token: j.token, tokenId: j.id, scope: j.scope };
  }

  it('a token is full unless asked for read-only; the list shows scope and last use', async () => {
    const full = await token(t.org.users.rep, { name: 'legacy script' });
    expect(full.scope).toBe('full');
    const ro = await token(t.org.users.rep, { name: 'dashboard', scope: 'read' });
    expect(ro.scope).toBe('read');
    const bad = await t.as(t.org.users.rep, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'x', scope: 'admin' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('scope');

    expect((await t.as(ro, { method: 'GET', url: '/api/v1/accounts' })).statusCode).toBe(200);
    expect((await t.as(ro, { method: 'HEAD', url: '/api/v1/accounts' })).statusCode).toBe(200);
    const write = await t.as(ro, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Read-only Co' } });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('read_only_token');
    expect((await t.as(full, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Full Co' } })).statusCode).toBe(201);

    const list = (await t.as(t.org.users.rep, { method: 'GET', url: '/api/v1/tokens' })).json().data as { id: string; scope: string; lastUsedAt: string | null }[];
    const shown = list.find((x) => x.id === ro.tokenId)!;
    expect(shown.scope).toBe('read');
    expect(shown.lastUsedAt).not.toBeNull();
    expect(list.find((x) => x.id === full.tokenId)!.scope).toBe('full');
  });

  it('a read-only token is refused on every write route of the app, and changes nothing', async () => {
    // Public routes (sign-in, the survey answer page) take no token, so a token's scope does not apply to them.
    const routes = (await collectRoutes(t)).filter((r) => r.method !== 'GET' && !isPublicAuthRoute(r) && !r.public);
    // The route table is the app's: if this drops, routes went missing from the walk.
    expect(routes.length).toBeGreaterThan(40);
    const ro = await token(t.org.users.admin, { name: 'read-only admin', scope: 'read' });
    const tables = await tenantTables(t.database);
    const bookkeeping = ['api_tokens', 'sessions'];
    const before = await orgFingerprint(t.database, t.org.id, tables, bookkeeping);
    const leaks: string[] = [];
    for (const r of routes) {
      const url = fillPath(r.url, () => uuidv7());
      const res = await t.as(ro, { method: r.method, url, payload: {} });
      if (res.statusCode !== 403 || res.json().error?.code !== 'read_only_token') leaks.push(`${r.method} ${r.url} → ${res.statusCode}`);
    }
    expect(leaks).toEqual([]);
    expect(await orgFingerprint(t.database, t.org.id, tables, bookkeeping)).toEqual(before);

    // The refusal is the scope's, not the route's: the admin's full token is not refused for it.
    for (const r of routes) {
      const res = await t.as(t.org.users.admin, { method: r.method, url: fillPath(r.url, () => uuidv7()), payload: {} });
      expect(res.body, `${r.method} ${r.url}`).not.toContain('read_only_token');
    }
  });
});
