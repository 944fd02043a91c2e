import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDatabase } from '../../../tests/helpers/db.ts';
import type { Database } from '../../kernel/db/index.ts';
import { importFile, type ImportFileOptions } from './commands.ts';
import { makeOrg, type TestOrg } from './testing/db.ts';

const src = (s: string) => Readable.from([Buffer.from(s)]);

describeEachDb('imports: concurrency and upsert by external id', (mode) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(mode);
  });
  afterAll(() => database.close());

  const imp = (org: TestOrg, o: Partial<ImportFileOptions> & Pick<ImportFileOptions, 'entity' | 'source'>) =>
    importFile(database, { orgId: org.orgId, actorId: org.userId, format: 'csv', ...o });
  const count = async (sql: string, params: unknown[]) => ((await database.query(sql, params)).rows[0] as { n: number }).n;

  it('two imports of the same file at the same time create each record once', async () => {
    const org = await makeOrg(database);
    const csv = 'Name,Email,Company\n' + Array.from({ length: 1000 }, (_, i) => `P${i},p${i}@x.example,Co ${i % 10}`).join('\n');
    const [a, b] = await Promise.all([imp(org, { entity: 'contacts', source: src(csv) }), imp(org, { entity: 'contacts', source: src(csv) })]);
    expect(a.inserted + b.inserted).toBe(1000);
    expect(a.duplicates + b.duplicates).toBe(1000);
    expect(await count(`SELECT count(*)::int AS n FROM contacts WHERE org_id = $1`, [org.orgId])).toBe(1000);
    expect(await count(`SELECT count(*)::int AS n FROM accounts WHERE org_id = $1`, [org.orgId])).toBe(10);
  });

  it('keeps the source system\'s ids: a second import updates instead of duplicating, and other files refer to accounts by them', async () => {
    const org = await makeOrg(database);
    const accounts = 'Record ID,Company name,Industry\n101,Northwind,\n102,Contoso,\n';
    const first = await imp(org, { entity: 'accounts', source: src(accounts), externalSource: 'HubSpot' });
    expect(first).toMatchObject({ inserted: 2, duplicates: 0, errors: 0 });
    // Renamed in the source system: the name no longer matches, the id does.
    const renamed = 'Record ID,Company name,City\n101,Northwind Traders,Seattle\n102,Contoso,Redmond\n';
    const again = await imp(org, { entity: 'accounts', source: src(renamed), externalSource: 'hubspot', onDuplicate: 'update' });
    expect(again).toMatchObject({ inserted: 0, updated: 2, duplicates: 2 });
    expect((await database.query(`SELECT name, city FROM accounts WHERE org_id = $1 ORDER BY name`, [org.orgId])).rows).toEqual([
      { name: 'Contoso', city: 'Redmond' }, { name: 'Northwind', city: 'Seattle' },
    ]);
    // The same id from another source is another record.
    const other = await imp(org, { entity: 'accounts', source: src('Record ID,Company name\n101,Fabrikam\n'), externalSource: 'pipedrive' });
    expect(other.inserted).toBe(1);

    // Deals name their account by the source's id only; the deal's own id makes a re-import an update.
    const deals = 'Record ID,Deal Name,Associated Company IDs,Amount\n9001,Big one,101,1000\n9002,Small one,102,10\n9003,Orphan,999,1\n';
    const d1 = await imp(org, { entity: 'opportunities', source: src(deals), externalSource: 'hubspot' });
    expect(d1).toMatchObject({ inserted: 2, errors: 1 });
    expect(d1.errorRows).toEqual([{ line: 4, field: 'account_external_id', message: 'no account with hubspot id 999' }]);
    const d2 = await imp(org, { entity: 'opportunities', source: src(deals.replace('Big one', 'Big one (renamed)').replace('1000', '2000')), externalSource: 'hubspot', onDuplicate: 'update' });
    expect(d2).toMatchObject({ inserted: 0, updated: 2, errors: 1 });
    const opps = (await database.query(
      `SELECT o.name, o.amount, a.name AS account FROM opportunities o JOIN accounts a ON a.org_id = o.org_id AND a.id = o.account_id WHERE o.org_id = $1 ORDER BY o.amount`, [org.orgId],
    )).rows;
    expect(opps).toEqual([{ name: 'Small one', amount: '10.00', account: 'Contoso' }, { name: 'Big one (renamed)', amount: '2000.00', account: 'Northwind' }]);
    expect(await count(`SELECT count(*)::int AS n FROM external_ids WHERE org_id = $1`, [org.orgId])).toBe(5);
  });

  it('matches owners by email or by full name, ignoring case and accents; an ambiguous name is a row error naming the candidates', async () => {
    const org = await makeOrg(database);
    const user = (name: string, email: string) => database.query(`INSERT INTO users (org_id, id, email, name, role) VALUES ($1, uuid_generate_v7(), $2, $3, 'rep')`, [org.orgId, email, name]);
    await user('José Núñez', `jose-${org.orgId}@example.test`);
    await user('Sam Lee', `sam1-${org.orgId}@example.test`);
    await user('Sam  LEE', `sam2-${org.orgId}@example.test`);
    const csv = `Company,Account Owner\nA1,jose nunez\nA2,JOSÉ NÚÑEZ\nA3,Sam Lee\nA4,${org.userEmail.toUpperCase()}\nA5,Nobody Here\n`;
    const r = await imp(org, { entity: 'accounts', source: src(csv) });
    expect(r).toMatchObject({ inserted: 3, errors: 2 });
    expect(r.errorRows).toEqual([
      { line: 4, field: 'owner', message: `several users are named Sam Lee: Sam Lee <sam1-${org.orgId}@example.test>, Sam  LEE <sam2-${org.orgId}@example.test>` },
      { line: 6, field: 'owner', message: 'no user named Nobody Here' },
    ]);
    const owners = (await database.query(`SELECT a.name, u.name AS owner FROM accounts a JOIN users u ON u.org_id = a.org_id AND u.id = a.owner_id WHERE a.org_id = $1 ORDER BY a.name`, [org.orgId])).rows;
    expect(owners).toEqual([{ name: 'A1', owner: 'José Núñez' }, { name: 'A2', owner: 'José Núñez' }, { name: 'A4', owner: 'Importer' }]);

    // Asked to, missing owners become inactive users without a login, one per name or email.
    const more = `Company,Account Owner\nB1,Nobody Here\nB2,nobody here\nB3,new.rep@example.test\n`;
    const r2 = await imp(org, { entity: 'accounts', source: src(more), createUsers: true });
    expect(r2).toMatchObject({ inserted: 3, errors: 0, usersCreated: 2 });
    const made = (await database.query(`SELECT name, email, active, password_hash FROM users WHERE org_id = $1 AND NOT active ORDER BY email`, [org.orgId])).rows;
    expect(made).toEqual([
      { name: 'new.rep', email: 'new.rep@example.test', active: false, password_hash: null },
      { name: 'Nobody Here', email: expect.stringMatching(/^nobody\.here\.[0-9a-f]{8}@imported\.invalid$/), active: false, password_hash: null },
    ]);
  });

  it('a deal without an account is rejected by default, or attached to one shared placeholder account (counted)', async () => {
    const org = await makeOrg(database);
    const csv = 'Deal Name,Company,Amount\nNo company 1,,1\nNo company 2,,2\nWith company,Acme,3\n';
    const rejected = await imp(org, { entity: 'opportunities', source: src(csv), createAccounts: true });
    expect(rejected).toMatchObject({ inserted: 1, errors: 2, placeholderAccountRows: 0 });
    const placed = await imp(org, { entity: 'opportunities', source: src(csv), withoutAccount: 'placeholder' });
    expect(placed).toMatchObject({ inserted: 2, errors: 0, duplicates: 1, placeholderAccountRows: 2, accountsCreated: 1 });
    const rows = (await database.query(`SELECT o.name, a.name AS account FROM opportunities o JOIN accounts a ON a.org_id = o.org_id AND a.id = o.account_id WHERE o.org_id = $1 ORDER BY o.name`, [org.orgId])).rows;
    expect(rows).toEqual([
      { name: 'No company 1', account: 'Unknown account' }, { name: 'No company 2', account: 'Unknown account' }, { name: 'With company', account: 'Acme' },
    ]);
  });

  it('links parent accounts by name, Accord id or source id, in the file or already there; an unknown parent is a row error', async () => {
    const org = await makeOrg(database);
    await imp(org, { entity: 'accounts', source: src('Company name,Record ID\nHolding AG,H1\n'), externalSource: 'hubspot' });
    const csv = 'Company name,Record ID,Parent company,Parent account ID\nSub One,S1,Holding AG,\nSub Two,S2,,S1\nSub Three,S3,,H1\nLost Child,S4,Nobody Parent,\n';
    const r = await imp(org, { entity: 'accounts', source: src(csv), externalSource: 'hubspot' });
    expect(r).toMatchObject({ inserted: 3, errors: 1 });
    expect(r.errorRows).toEqual([{ line: 5, field: 'parent_account', message: 'no parent account Nobody Parent' }]);
    const tree = (await database.query(
      `SELECT a.name, p.name AS parent FROM accounts a LEFT JOIN accounts p ON p.org_id = a.org_id AND p.id = a.parent_account_id WHERE a.org_id = $1 ORDER BY a.name`, [org.orgId],
    )).rows;
    expect(tree).toEqual([
      { name: 'Holding AG', parent: null }, { name: 'Sub One', parent: 'Holding AG' }, { name: 'Sub Three', parent: 'Holding AG' }, { name: 'Sub Two', parent: 'Sub One' },
    ]);
  });
});
