import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDatabase } from '../../../tests/helpers/db.ts';
import type { Database } from '../../kernel/db/index.ts';
import { exportCsv } from '../exports/commands.ts';
import { importFile, previewFile, type ImportFileOptions } from './commands.ts';
import { makeOrg, type TestOrg } from './testing/db.ts';

const src = (s: string) => Readable.from([Buffer.from(s)]);

describeEachDb('imports: custom fields in and out', (mode) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(mode);
  });
  afterAll(() => database.close());

  const imp = (org: TestOrg, o: Partial<ImportFileOptions> & Pick<ImportFileOptions, 'source'>) =>
    importFile(database, { orgId: org.orgId, actorId: org.userId, format: 'csv', entity: 'accounts', ...o });

  /** An organization with one custom field of every type on accounts (and one on deals, to show they stay apart). */
  async function orgWithFields(opts: { required?: boolean } = {}): Promise<TestOrg> {
    const org = await makeOrg(database);
    const defs: [string, string, Record<string, string>, string[], boolean][] = [
      ['year_established', 'number', { en: 'Year established', 'zh-CN': '成立年份' }, [], false],
      ['segment', 'select', { en: 'Segment', 'zh-CN': '细分市场' }, ['Enterprise', 'Mid-market', 'SMB'], !!opts.required],
      ['certifications', 'multiselect', { en: 'Certifications' }, ['CE', 'UL', 'RoHS'], false],
      ['audit_date', 'date', { en: 'Last audit' }, [], false],
      ['key_account', 'boolean', { en: 'Key account' }, [], false],
      ['notes', 'text', { en: 'Background' }, [], false],
    ];
    for (const [i, [key, type, label, options, required]] of defs.entries()) {
      await database.query(
        `INSERT INTO custom_field_defs (org_id, entity, key, label, type, options, required, position) VALUES ($1, 'account', $2, $3, $4, $5, $6, $7)`,
        [org.orgId, key, JSON.stringify(label), type, JSON.stringify(options), required, i],
      );
    }
    await database.query(`INSERT INTO custom_field_defs (org_id, entity, key, label, type) VALUES ($1, 'opportunity', 'segment', '{"en":"Deal segment"}', 'text')`, [org.orgId]);
    return org;
  }
  const customOf = async (org: TestOrg) =>
    Object.fromEntries(((await database.query(`SELECT name, custom FROM accounts WHERE org_id = $1 ORDER BY name`, [org.orgId])).rows as { name: string; custom: Record<string, unknown> }[]).map((r) => [r.name, r.custom]));

  const FILE = [
    'Company,Year established,Segment,Certifications,Last audit,Key account,Background',
    'Northwind,1987,enterprise,"CE; ul",2025-03-31,yes,"Family-owned, since ""87"""',
    'Contoso,"2,001",SMB,,,no,',
    'Fabrikam,,,RoHS,,,',
  ].join('\n');

  it('maps columns to custom fields by label, stores typed values, and exports them as custom.<key> columns that re-import as they were', async () => {
    const org = await orgWithFields();
    const preview = await previewFile(database, { orgId: org.orgId, entity: 'accounts', format: 'csv', source: src(FILE) });
    expect(preview.mapping).toMatchObject({
      'Year established': 'custom.year_established', Segment: 'custom.segment', Certifications: 'custom.certifications',
      'Last audit': 'custom.audit_date', 'Key account': 'custom.key_account', Background: 'custom.notes',
    });
    // Only the account fields are targets: the deal's "segment" is another field.
    expect(preview.customFields.map((f) => f.key)).toEqual(['custom.year_established', 'custom.segment', 'custom.certifications', 'custom.audit_date', 'custom.key_account', 'custom.notes']);

    const r = await imp(org, { source: src(FILE) });
    expect(r).toMatchObject({ inserted: 3, errors: 0 });
    expect(await customOf(org)).toEqual({
      Contoso: { year_established: 2001, segment: 'SMB', key_account: false },
      Fabrikam: { certifications: ['RoHS'] },
      // Options are stored as the field writes them, whatever the file's case.
      Northwind: { year_established: 1987, segment: 'Enterprise', certifications: ['CE', 'UL'], audit_date: '2025-03-31', key_account: true, notes: 'Family-owned, since "87"' },
    });

    let out = '';
    for await (const chunk of exportCsv(database, { orgId: org.orgId, entity: 'accounts' })) out += String(chunk);
    const rows = parse(out, { columns: true, bom: true }) as Record<string, string>[];
    const north = rows.find((x) => x.name === 'Northwind')!;
    expect(north).toMatchObject({ 'custom.year_established': '1987', 'custom.segment': 'Enterprise', 'custom.certifications': 'CE; UL', 'custom.audit_date': '2025-03-31', 'custom.key_account': 'true' });

    // The export into another organization with the same fields: every value comes back.
    const other = await orgWithFields();
    expect(await imp(other, { source: src(out) })).toMatchObject({ inserted: 3, errors: 0 });
    expect(await customOf(other)).toEqual(await customOf(org));
  });

  it('a value the field cannot hold is a row error under custom.<key>; the good rows go in', async () => {
    const org = await orgWithFields();
    const bad = [
      'Company,Year established,Segment,Certifications,Last audit,Key account',
      'Good Co,1999,SMB,CE,2024-01-02,no',
      'Bad Year,nineteen,SMB,,,',
      'Bad Segment,,Government,,,',
      'Bad Cert,,,"CE; ISO 9001",,',
      'Bad Date,,,,2024-02-30,',
      'Bad Flag,,,,,maybe',
    ].join('\n');
    const r = await imp(org, { source: src(bad) });
    expect(r).toMatchObject({ inserted: 1, errors: 5 });
    expect(r.errorRows.map((e) => [e.line, e.field])).toEqual([
      [3, 'custom.year_established'], [4, 'custom.segment'], [5, 'custom.certifications'], [6, 'custom.audit_date'], [7, 'custom.key_account'],
    ]);
    expect(r.errorRows[1]!.message).toContain('Enterprise, Mid-market, SMB');
    expect(Object.keys(await customOf(org))).toEqual(['Good Co']);
  });

  it('an update keeps the custom values the file leaves out; a required custom field needs its column and a value', async () => {
    const org = await orgWithFields();
    await imp(org, { source: src(FILE) });
    const again = 'Company,Segment,Background\nNorthwind,Mid-market,\n';
    expect(await imp(org, { source: src(again), onDuplicate: 'update' })).toMatchObject({ updated: 1, errors: 0 });
    expect((await customOf(org)).Northwind).toEqual({ year_established: 1987, segment: 'Mid-market', certifications: ['CE', 'UL'], audit_date: '2025-03-31', key_account: true, notes: 'Family-owned, since "87"' });

    const strict = await orgWithFields({ required: true });
    await expect(imp(strict, { source: src('Company,Year established\nA,1990\n') })).rejects.toThrow(/custom\.segment/);
    const r = await imp(strict, { source: src('Company,Segment\nA,SMB\nB,\n') });
    expect(r).toMatchObject({ inserted: 1, errors: 1 });
    expect(r.errorRows).toEqual([{ line: 3, field: 'custom.segment', message: 'required' }]);
  });

  it('a column mapped to a custom field that does not exist is refused before anything is read', async () => {
    const org = await makeOrg(database);
    await expect(imp(org, { source: src('Company,Tier\nA,1\n'), mapping: { Company: 'name', Tier: 'custom.tier' } })).rejects.toThrow(/not a custom field of accounts/);
  });
});
