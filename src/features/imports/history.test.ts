import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDatabase } from '../../../tests/helpers/db.ts';
import type { Database } from '../../kernel/db/index.ts';
import { importFile } from './commands.ts';
import { suggestMapping } from './rules.ts';
import { makeOrg } from './testing/db.ts';

const src = (s: string) => Readable.from([Buffer.from(s)]);

describeEachDb('imports keep a deal\'s history', (mode) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(mode);
  });
  afterAll(() => database.close());
  const rows = async (sql: string, params: unknown[]) => (await database.query(sql, params)).rows as Record<string, unknown>[];
  const iso = (v: unknown) => (v === null ? null : new Date(v as string).toISOString().slice(0, 10));

  it('"Created Date", "Close Date" and the final stage give opened_at, closed_at and a dated stage history', async () => {
    expect(suggestMapping('opportunities', ['Opportunity Name', 'Account', 'Stage', 'Status', 'Created Date', 'Close Date', 'Engage Date'])).toMatchObject({
      'Stage': 'buying_stage', 'Created Date': 'opened_at', 'Close Date': 'closed_at',
    });
    const org = await makeOrg(database);
    await importFile(database, { orgId: org.orgId, actorId: org.userId, format: 'csv', entity: 'accounts', source: src('name\nOld Co\n') });
    const csv = [
      'Opportunity Name,Account,Stage,Status,Created Date,Close Date',
      'Old win,Old Co,Decision,Won,2017-03-01,2017-06-15',
      'Old loss,Old Co,Recognition of needs,Lost,2017-02-01,2017-04-01',
      'Still open,Old Co,Evaluation of options,Open,2025-01-10,2026-12-31',
      'Impossible,Old Co,Decision,Won,2017-06-01,2017-01-01',
    ].join('\n');
    const r = await importFile(database, { orgId: org.orgId, actorId: org.userId, format: 'csv', entity: 'opportunities', source: src(csv) });
    expect(r).toMatchObject({ inserted: 3, errors: 1 });
    expect(r.errorRows.map((e) => [e.line, e.field, e.message])).toEqual([[5, 'closed_at', 'must not be before opened_at']]);
    const o = await rows(`SELECT name, buying_stage, status, opened_at, closed_at, stage_entered_at, expected_close FROM opportunities WHERE org_id = $1 ORDER BY name`, [org.orgId]);
    expect(o.map((x) => [x.name, x.buying_stage, x.status, iso(x.opened_at), iso(x.closed_at), iso(x.stage_entered_at), x.expected_close])).toEqual([
      ['Old loss', 'recognition_of_needs', 'lost', '2017-02-01', '2017-04-01', '2017-02-01', null],
      ['Old win', 'decision', 'won', '2017-03-01', '2017-06-15', '2017-06-15', null],
      ['Still open', 'evaluation_of_options', 'open', '2025-01-10', null, '2025-01-10', '2026-12-31'],
    ]);
    const h = await rows(`SELECT o.name, h.from_stage, h.to_stage, h.changed_at FROM opportunity_stage_history h JOIN opportunities o ON o.org_id = h.org_id AND o.id = h.opportunity_id
      WHERE h.org_id = $1 ORDER BY o.name, h.changed_at`, [org.orgId]);
    expect(h.map((x) => [x.name, x.from_stage, x.to_stage, iso(x.changed_at)])).toEqual([
      ['Old loss', null, 'recognition_of_needs', '2017-02-01'],
      ['Old win', null, 'recognition_of_needs', '2017-03-01'],
      ['Old win', 'recognition_of_needs', 'decision', '2017-06-15'],
      ['Still open', null, 'evaluation_of_options', '2025-01-10'],
    ]);
    // Without dates in the file a won deal still closes and opens at the import, as before.
    const plain = await importFile(database, { orgId: org.orgId, actorId: org.userId, format: 'csv', entity: 'opportunities', source: src('name,account,status\nNo dates,Old Co,Won\n') });
    expect(plain).toMatchObject({ inserted: 1, errors: 0 });
    const [nd] = await rows(`SELECT opened_at, closed_at FROM opportunities WHERE org_id = $1 AND name = 'No dates'`, [org.orgId]);
    expect(Date.parse(nd!.closed_at as string)).toBeGreaterThan(Date.now() - 600_000);
    expect(Date.parse(nd!.opened_at as string)).toBeLessThanOrEqual(Date.parse(nd!.closed_at as string));
  });
});
