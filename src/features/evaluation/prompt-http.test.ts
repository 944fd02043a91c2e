import { expect, it } from 'vitest';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { describeEachDb } from '../../../tests/helpers/db.ts';

// Read when the app is built (in the test app's beforeAll): a fast rescore for this file only (each file is its own process).
process.env.ACCORD_RESCORE_SECONDS = '0.3';
process.env.ACCORD_RESCORE_MIN_INTERVAL_SECONDS = '0';

describeEachDb('prompt rescoring after writes', (mode) => {
  const t = useTestApp(mode);

  it('a new account is scored seconds after it is written, without a manual or hourly recompute; a read changes nothing', async () => {
    const { rep, manager } = t.org.users;
    const created = await t.as(rep, { method: 'POST', url: '/api/v1/accounts', payload: { name: 'Prompt Co', kind: 'prospect', country: 'DE' } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(created.json().scoredAt).toBeNull();
    let scored: string | null = null;
    for (let i = 0; i < 100 && !scored; i++) {
      await new Promise((r) => setTimeout(r, 200));
      scored = (await t.as(manager, { method: 'GET', url: `/api/v1/accounts/${id}` })).json().scoredAt as string | null;
    }
    expect(scored).not.toBeNull();
    // Reads do not start another round: the score stays as it was.
    await t.as(manager, { method: 'GET', url: '/api/v1/accounts' });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await t.as(manager, { method: 'GET', url: `/api/v1/accounts/${id}` })).json().scoredAt).toBe(scored);
  }, 60_000);
});
