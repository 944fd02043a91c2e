import { expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp } from '../../../tests/helpers/app.ts';

describeEachDb('evaluation settings API', (mode) => {
  const t = useTestApp(mode);
  const URL = '/api/v1/evaluation/settings';
  const patch = (user: 'manager' | 'admin' | 'rep' | 'viewer', payload: object, version?: number | string) =>
    t.as(t.org.users[user], { method: 'PATCH', url: URL, payload, headers: version === undefined ? {} : { 'if-match': `"${version}"` } });

  it('starts at the defaults; a manager changes them with the version read, and the next recompute uses them', async () => {
    const start = (await t.as(t.org.users.viewer, { method: 'GET', url: URL })).json();
    expect(start.version).toBe(0);
    expect(start.settings).toEqual(start.defaults);
    expect(start.settings).toMatchObject({ attractivenessThreshold: 50, relationshipThreshold: 50, attractivenessWeights: { fit: 60, potential: 25, profitability: 15 }, tierCuts: { a: 0.8, b: 0.5 } });

    for (let i = 0; i < 3; i++) {
      await t.database.query(`insert into accounts (org_id, name, kind, country, employees) values ($1, $2, 'customer', 'DE', $3)`, [t.org.id, `Settings ${i}`, 50 + i]);
    }
    const portfolio = async () => (await t.as(t.org.users.manager, { method: 'GET', url: '/api/v1/evaluation/portfolio' })).json();

    // Nothing reaches 100 on either axis: every account is an opportunity.
    const high = await patch('manager', { attractivenessThreshold: 100, relationshipThreshold: 100, attractivenessWeights: { fit: 2, potential: 1, profitability: 1 } }, 0);
    expect(high.statusCode).toBe(200);
    expect(high.json()).toMatchObject({ version: 1, settings: { attractivenessThreshold: 100, attractivenessWeights: { fit: 50, potential: 25, profitability: 25 }, relationshipWeights: start.defaults.relationshipWeights } });
    expect((await t.as(t.org.users.manager, { method: 'POST', url: '/api/v1/evaluation/recompute' })).statusCode).toBe(200);
    let p = await portfolio();
    expect(p.thresholds).toEqual({ attractiveness: 100, relationship: 100 });
    expect(Object.keys(p.counts)).toEqual(['opportunity']);

    // Everything reaches 0: every account is key. The version travels in the body too.
    const low = await patch('admin', { attractivenessThreshold: 0, relationshipThreshold: 0, version: 1 });
    expect(low.json().version).toBe(2);
    await t.as(t.org.users.manager, { method: 'POST', url: '/api/v1/evaluation/recompute' });
    p = await portfolio();
    expect(Object.keys(p.counts)).toEqual(['key']);
    expect(p.counts.key).toBe(3);

    // Written to the audit log, and no other organization's settings changed.
    const log = await t.database.query(`select before, after from audit_log where org_id = $1 and entity = 'evaluation_settings' order by at`, [t.org.id]);
    expect(log.rows).toHaveLength(2);
    expect(log.rows[1]).toMatchObject({ before: { attractivenessThreshold: 100 }, after: { attractivenessThreshold: 0 } });
    const other = (await t.as(t.other.users.manager, { method: 'GET', url: URL })).json();
    expect(other).toMatchObject({ version: 0, settings: { attractivenessThreshold: 50 } });
  });

  it('never overwrites a change silently: a stale or missing version is refused, and of two at once one wins', async () => {
    const v = (await t.as(t.org.users.manager, { method: 'GET', url: URL })).json().version as number;
    expect((await patch('manager', { minWon: 20 })).statusCode).toBe(428);
    expect((await patch('manager', { minWon: 20 }, v)).statusCode).toBe(200);
    const stale = await patch('manager', { minWon: 25 }, v);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.current).toMatchObject({ version: v + 1, settings: { minWon: 20 } });
    const both = await Promise.all([patch('manager', { minLost: 11 }, v + 1), patch('admin', { minLost: 12 }, v + 1)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await t.as(t.org.users.manager, { method: 'GET', url: URL })).json().version).toBe(v + 2);
  });

  it('refuses what does not fit, field by field, and lets only managers and admins change anything', async () => {
    const { version } = (await t.as(t.org.users.manager, { method: 'GET', url: URL })).json();
    const cases: [object, string][] = [
      [{ attractivenessThreshold: 150 }, 'attractivenessThreshold'],
      [{ relationshipWeights: { shareOfWallet: 0, supplierStatus: 0, engagement: 0 } }, 'relationshipWeights'],
      [{ attractivenessWeights: { fit: 1 } }, 'attractivenessWeights'],
      [{ tierCuts: { b: 0.95 } }, 'tierCuts.b'],
      [{ minWon: 2.5 }, 'minWon'],
      [{ engagementDays: '90' }, 'engagementDays'],
      [{ colour: 'red' }, ''],
    ];
    for (const [body, path] of cases) {
      const r = await patch('manager', body, version);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      const fields = (r.json().error.fields ?? []) as { path: string }[];
      if (path) expect(fields.some((f) => f.path === path || f.path.startsWith(`${path}.`)), `${JSON.stringify(body)} → ${JSON.stringify(fields)}`).toBe(true);
    }
    expect((await patch('rep', { minWon: 10 }, version)).statusCode).toBe(403);
    expect((await patch('viewer', { minWon: 10 }, version)).statusCode).toBe(403);
    expect((await t.as(t.org.users.manager, { method: 'GET', url: URL })).json().version).toBe(version);
  });
});
