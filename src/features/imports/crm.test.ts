import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDatabase } from '../../../tests/helpers/db.ts';
import type { Database } from '../../kernel/db/index.ts';
import { distinctValues, importFile, valueMapTemplate, type ImportFileOptions } from './commands.ts';
import type { ValueMap } from './rules.ts';
import { makeOrg, type TestOrg } from './testing/db.ts';

const dir = new URL('./testing/crm/', import.meta.url).pathname;

describeEachDb('imports: deal exports of Salesforce, HubSpot and Pipedrive', (mode) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(mode);
  });
  afterAll(() => database.close());

  async function orgWithReps(): Promise<TestOrg> {
    const org = await makeOrg(database);
    for (const [name, email] of [['Jane Doe', 'jane'], ['José Núñez', 'jose']]) {
      await database.query(`INSERT INTO users (org_id, id, email, name, role) VALUES ($1, uuid_generate_v7(), $2, $3, 'rep')`, [org.orgId, `${email}-${org.orgId}@example.test`, name]);
    }
    return org;
  }
  const deals = async (org: TestOrg) => (await database.query(
    `SELECT o.name, o.amount, o.currency, o.status, o.buying_stage, o.expected_close, to_char(o.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS closed_on, o.lost_reason, o.source, a.name AS account, u.name AS owner
     FROM opportunities o JOIN accounts a ON a.org_id = o.org_id AND a.id = o.account_id LEFT JOIN users u ON u.org_id = o.org_id AND u.id = o.owner_id
     WHERE o.org_id = $1 ORDER BY o.name`, [org.orgId])).rows as Record<string, unknown>[];

  async function importTwice(org: TestOrg, file: string, o: Partial<ImportFileOptions>) {
    const base = { orgId: org.orgId, actorId: org.userId, entity: 'opportunities' as const, format: 'csv' as const, createAccounts: true, ...o };
    const first = await importFile(database, { ...base, source: dir + file });
    // The same file again: every deal is found by its source id and updated, none duplicated.
    const second = await importFile(database, { ...base, source: dir + file, onDuplicate: 'update' });
    return { first, second };
  }

  it('Salesforce opportunity report: owners by name, US dates, stage names mapped to status and buying stage, lead sources mapped', async () => {
    const org = await orgWithReps();
    const values = await distinctValues(database, { orgId: org.orgId, entity: 'opportunities', format: 'csv', source: dir + 'salesforce-opportunities.csv' });
    const stage = values.find((v) => v.field === 'buying_stage')!;
    expect(stage.header).toBe('Stage');
    expect(stage.values.map((v) => [v.value, v.count, v.match, v.term])).toEqual([
      ['Closed Lost', 1, 'none', { status: 'lost' }], ['Closed Won', 1, 'none', { status: 'won' }],
      ['Negotiation/Review', 1, 'none', null], ['Prospecting', 1, 'none', null],
    ]);
    expect(values.find((v) => v.field === 'source')!.values.map((v) => [v.value, v.count, v.match])).toEqual([['Web', 2, 'none'], ['Partner Referral', 1, 'none'], ['Trade Show', 1, 'none']]);
    // The template lists what needs a decision; the user fills it in.
    expect(valueMapTemplate(values).buying_stage).toEqual({ 'Closed Lost': { status: 'lost' }, 'Closed Won': { status: 'won' }, 'Negotiation/Review': null, Prospecting: null });
    const valueMap: ValueMap = {
      buying_stage: {
        Prospecting: { buying_stage: 'recognition_of_needs', status: 'open' },
        'Negotiation/Review': { buying_stage: 'resolution_of_concerns', status: 'open' },
        'Closed Won': { buying_stage: 'decision', status: 'won' },
        'Closed Lost': { buying_stage: 'decision', status: 'lost' },
      },
      source: { Web: 'website', 'Partner Referral': 'referral', 'Trade Show': 'trade_fair' },
    };
    const { first, second } = await importTwice(org, 'salesforce-opportunities.csv', { valueMap, dateOrder: 'mdy', externalSource: 'salesforce' });
    expect(first).toMatchObject({ inserted: 4, errors: 0, accountsCreated: 2 });
    expect(second).toMatchObject({ inserted: 0, updated: 4, errors: 0, accountsCreated: 0 });
    expect(await deals(org)).toEqual([
      { name: 'Contoso - offices', amount: '15250.50', currency: 'USD', status: 'open', buying_stage: 'resolution_of_concerns', expected_close: '2026-04-15', closed_on: null, lost_reason: null, source: 'website', account: 'Contoso Ltd', owner: 'José Núñez' },
      { name: 'Contoso - warehouse', amount: '40000.00', currency: 'USD', status: 'lost', buying_stage: 'decision', expected_close: null, closed_on: '2026-01-30', lost_reason: null, source: 'trade_fair', account: 'Contoso Ltd', owner: 'José Núñez' },
      { name: 'Northwind - 200 fixtures', amount: '12000.00', currency: 'USD', status: 'open', buying_stage: 'recognition_of_needs', expected_close: '2026-03-31', closed_on: null, lost_reason: null, source: 'website', account: 'Northwind Traders', owner: 'Jane Doe' },
      { name: 'Northwind - renewal', amount: '8500.00', currency: 'USD', status: 'won', buying_stage: 'decision', expected_close: null, closed_on: '2026-02-14', lost_reason: null, source: 'referral', account: 'Northwind Traders', owner: 'Jane Doe' },
    ]);
  });

  it('HubSpot deals export: Record ID, deal owner by name, associated company, pipeline stages', async () => {
    const org = await orgWithReps();
    const valueMap: ValueMap = {
      buying_stage: {
        'Appointment Scheduled': { buying_stage: 'recognition_of_needs', status: 'open' },
        'Contract Sent': { buying_stage: 'decision', status: 'open' },
        'Closed Won': { buying_stage: 'implementation', status: 'won' },
        'Closed Lost': { buying_stage: null, status: 'lost' },
      },
    };
    const { first, second } = await importTwice(org, 'hubspot-deals.csv', { valueMap, externalSource: 'hubspot' });
    expect(first).toMatchObject({ inserted: 4, errors: 0, accountsCreated: 2 });
    expect(second).toMatchObject({ inserted: 0, updated: 4, errors: 0 });
    const d = await deals(org);
    // A closed deal's "Close Date" is when it closed; an open deal's, when it is expected to.
    expect(d.filter((x) => x.status !== 'open').every((x) => x.expected_close === null && x.closed_on)).toBe(true);
    expect(d.map((x) => [x.name, x.status, x.buying_stage, x.expected_close ?? x.closed_on, x.owner, x.account])).toEqual([
      ['Fabrikam pilot', 'open', 'recognition_of_needs', '2026-05-30', 'Jane Doe', 'Fabrikam'],
      ['Fabrikam rollout', 'won', 'implementation', '2026-02-27', 'José Núñez', 'Fabrikam'],
      // A lost deal mapped to no stage keeps the first stage.
      ['Litware expansion', 'open', 'decision', '2026-06-30', 'José Núñez', 'Litware'],
      ['Litware trial', 'lost', 'recognition_of_needs', '2026-01-15', 'Jane Doe', 'Litware'],
    ]);
  });

  it('Pipedrive deals export: "Deal - …" headers, status column, currencies, lost reason', async () => {
    const org = await orgWithReps();
    const valueMap: ValueMap = {
      buying_stage: { Qualified: 'recognition_of_needs', 'Contact Made': 'evaluation_of_options', 'Negotiations Started': 'resolution_of_concerns' },
    };
    const { first, second } = await importTwice(org, 'pipedrive-deals.csv', { valueMap, externalSource: 'pipedrive' });
    expect(first).toMatchObject({ inserted: 3, errors: 0 });
    expect(second).toMatchObject({ inserted: 0, updated: 3, errors: 0 });
    expect((await deals(org)).map((x) => [x.name, x.amount, x.currency, x.status, x.buying_stage, x.lost_reason, x.owner])).toEqual([
      ['Adventure Works deal', '900.00', 'USD', 'lost', 'evaluation_of_options', 'price', 'José Núñez'],
      ['Tailspin Toys deal', '3200.00', 'EUR', 'open', 'recognition_of_needs', null, 'Jane Doe'],
      ['Wide World Importers deal', '18000.00', 'EUR', 'won', 'resolution_of_concerns', null, 'José Núñez'],
    ]);
  });

  it('imports every csv-spectrum file as accounts without failing the job', async () => {
    const org = await makeOrg(database);
    const spectrum = '/work/shared/testdata/csv-spectrum';
    const files = readdirSync(spectrum, { recursive: true }).map(String).filter((f) => f.endsWith('.csv'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      // A file without a name column is refused as a whole (400), the others import row by row.
      const r = await importFile(database, { orgId: org.orgId, actorId: org.userId, entity: 'accounts', format: 'csv', source: `${spectrum}/${f}`, mapping: undefined })
        .catch((e: Error) => ({ refused: e.message }));
      expect(r, f).toBeDefined();
      if ('refused' in r) expect(r.refused, f).toMatch(/Map a column to: name|empty/);
    }
  });
});
