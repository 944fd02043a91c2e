/**
 * A recompute on unchanged data must change nothing: the second run over the demo organization
 * rewrites no account and no deal (issue #23: 2–4 open deals moved on every run).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { openTestDatabase } from '../../../tests/helpers/db.ts';
import type { Database } from '../../kernel/db/index.ts';
import { generateDemo } from '../demo/index.ts';
import { recompute } from './commands.ts';

const tag = `${process.pid.toString(36)}${Date.now().toString(36)}`;

describeEachDb('recompute on unchanged data', (mode) => {
  let db: Database;
  let orgId: string;
  beforeAll(async () => {
    db = await openTestDatabase(mode);
    orgId = (await generateDemo(db, { accounts: 300, seed: 11, slug: `idem-${mode}-${tag}`, emailDomain: `idem-${mode}-${tag}.accord.test` })).orgId;
  }, 600_000);
  afterAll(async () => db?.close());

  it('changes nothing the second time', async () => {
    const first = await recompute(db, orgId);
    expect(first.changed.accounts).toBeGreaterThan(0);
    expect(first.openDeals).toBeGreaterThan(0);
    // A user runs it again a little later: time passing alone must not move a score (days in
    // stage and the engagement windows are counted in whole days).
    await new Promise((r) => setTimeout(r, 8_000));
    const second = await recompute(db, orgId);
    expect(second.changed).toEqual({ accounts: 0, openDeals: 0, coverage: 0 });
    const third = await recompute(db, orgId);
    expect(third.changed).toEqual({ accounts: 0, openDeals: 0, coverage: 0 });
    // The demo's history carries signal and no leak: the checks leave its model alone.
    expect(first.winModel).toMatchObject({ kind: 'win_logistic', verdict: 'useful', droppedFeatures: [] });
    expect(first.winModel.skill!).toBeGreaterThan(0.05);
    console.log(`[${mode}] demo recompute ms: first ${first.timingsMs.total}, second ${second.timingsMs.total}, third ${third.timingsMs.total}`);
  }, 600_000);
});
