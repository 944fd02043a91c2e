import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp, type TestUser } from '../../../tests/helpers/app.ts';

describeEachDb('saved views', (mode) => {
  const t = useTestApp(mode);
  const list = async (user: TestUser, qs = '') => (await t.as(user, { method: 'GET', url: `/api/v1/views${qs}` })).json().data as { id: string; name: string; editable: boolean }[];

  it('shows own and shared views; only the owner or an admin edits; versions guard edits', async () => {
    const { rep, rep2, admin, manager, viewer } = t.org.users;
    const mine = await t.as(rep, { method: 'POST', url: '/api/v1/views', payload: { entity: 'account', name: 'My A accounts', config: { filters: { tier: 'A' }, sort: '-updatedAt' } } });
    expect(mine.statusCode).toBe(201);
    const shared = (await t.as(rep, { method: 'POST', url: '/api/v1/views', payload: { entity: 'opportunity', name: 'Team pipeline', shared: true } })).json();
    const own = mine.json();
    expect(own).toMatchObject({ userId: rep.id, shared: false, config: { filters: { tier: 'A' } }, version: 1, editable: true });
    expect((await list(rep)).map((v) => v.name)).toEqual(['My A accounts', 'Team pipeline']);
    expect((await list(rep, '?entity=opportunity')).map((v) => v.name)).toEqual(['Team pipeline']);
    expect((await list(rep2)).map((v) => [v.name, v.editable])).toEqual([['Team pipeline', false]]);
    expect((await t.as(rep2, { method: 'GET', url: `/api/v1/views/${own.id}` })).statusCode).toBe(404);
    expect((await t.as(manager, { method: 'PATCH', url: `/api/v1/views/${shared.id}`, payload: { name: 'Mine now', version: 1 } })).statusCode).toBe(403);
    expect((await t.as(rep2, { method: 'DELETE', url: `/api/v1/views/${shared.id}` })).statusCode).toBe(403);
    const renamed = await t.as(admin, { method: 'PATCH', url: `/api/v1/views/${shared.id}`, headers: { 'if-match': '"1"' }, payload: { name: 'Pipeline (all)' } });
    expect(renamed.json()).toMatchObject({ name: 'Pipeline (all)', version: 2, editable: true });
    expect((await t.as(rep, { method: 'PATCH', url: `/api/v1/views/${shared.id}`, payload: { name: 'x', version: 1 } })).statusCode).toBe(409);
    expect((await t.as(rep, { method: 'PATCH', url: `/api/v1/views/${shared.id}`, payload: { name: 'x' } })).statusCode).toBe(428);
    const viewerView = await t.as(viewer, { method: 'POST', url: '/api/v1/views', payload: { entity: 'contact', name: 'Viewer view' } });
    expect(viewerView.statusCode).toBe(201);
    const bad = await t.as(rep, { method: 'POST', url: '/api/v1/views', payload: { entity: 'Bad Entity!', name: '', extra: 1 } });
    expect(bad.statusCode).toBe(400);
    expect((await t.as(rep, { method: 'DELETE', url: `/api/v1/views/${own.id}` })).statusCode).toBe(200);
    expect((await list(rep)).map((v) => v.name)).toEqual(['Pipeline (all)']);
    expect(await list(t.other.users.admin)).toEqual([]);
    expect((await t.as(t.other.users.admin, { method: 'PATCH', url: `/api/v1/views/${shared.id}`, payload: { name: 'x', version: 2 } })).statusCode).toBe(404);
  });
});
