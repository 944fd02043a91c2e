import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDatabase } from '../../../tests/helpers/db.ts';
import type { Database } from '../../kernel/db/index.ts';
import { errorFileCsv, importFile, previewFile, type ImportFileOptions } from './commands.ts';
import { ImportError } from './rules.ts';
import { makeOrg, type TestOrg } from './testing/db.ts';

const src = (s: string | Buffer) => Readable.from([typeof s === 'string' ? Buffer.from(s) : s]);

describeEachDb('imports', (mode) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(mode);
  });
  afterAll(() => database.close());

  const imp = (org: TestOrg, o: Partial<ImportFileOptions> & Pick<ImportFileOptions, 'entity' | 'source'>) =>
    importFile(database, { orgId: org.orgId, actorId: org.userId, format: 'csv', ...o });
  const rows = async (sql: string, params: unknown[]) => (await database.query(sql, params)).rows as Record<string, unknown>[];

  it('imports accounts with Chinese headers, vocabulary labels and country names; bad rows come back with line numbers', async () => {
    const org = await makeOrg(database, 'CNY');
    const csv = [
      '公司名称,网址,国家,需求类型,负责人,员工数',
      `深圳明华照明有限公司,https://www.minghua.cn/about,中国,品牌商,${org.userEmail},1200`,
      'Acme Ltd,acme.com,USA,Importer,,"1,500"',
      'Borealis GmbH,,Deutschland,engineering contractor,,',
      'Bad Co,,Narnia,weird,nobody@nowhere.test,many',
    ].join('\r\n');
    const r = await imp(org, { entity: 'accounts', source: src(csv), filename: 'accounts.csv' });
    expect(r).toMatchObject({ totalRows: 4, inserted: 3, errors: 1, duplicates: 0, updated: 0 });
    expect(r.errorRows.map((e) => [e.line, e.field])).toEqual([[5, 'country'], [5, 'employees'], [5, 'need_type']]);
    const accs = await rows(`SELECT name, domain, country, need_type, employees, owner_id, created_by FROM accounts WHERE org_id = $1 ORDER BY name`, [org.orgId]);
    expect(accs).toEqual([
      { name: 'Acme Ltd', domain: 'acme.com', country: 'US', need_type: 'importer', employees: 1500, owner_id: null, created_by: org.userId },
      { name: 'Borealis GmbH', domain: null, country: 'DE', need_type: 'engineering_contractor', employees: null, owner_id: null, created_by: org.userId },
      { name: '深圳明华照明有限公司', domain: 'minghua.cn', country: 'CN', need_type: 'brand_owner', employees: 1200, owner_id: org.userId, created_by: org.userId },
    ]);
    const job = (await rows(`SELECT status, total_rows, inserted, error_count, mapping FROM import_jobs WHERE org_id = $1 AND id = $2`, [org.orgId, r.jobId]))[0];
    expect(job).toMatchObject({ status: 'done', total_rows: 4, inserted: 3, error_count: 1 });
    const audit = await rows(`SELECT action, entity, entity_id, actor_id, after FROM audit_log WHERE org_id = $1`, [org.orgId]);
    expect(audit).toEqual([{ action: 'import', entity: 'account', entity_id: r.jobId, actor_id: org.userId, after: expect.objectContaining({ jobId: r.jobId, inserted: 3, errors: 1 }) }]);

    // The owner column is unknown for line 5 too: SQL-side errors join the JS ones.
    let file = '';
    for await (const chunk of errorFileCsv(database, org.orgId, r.jobId)) file += chunk;
    const [header, ...bad] = parse(file) as string[][];
    expect(header).toEqual(['line', 'errors', '公司名称', '网址', '国家', '需求类型', '负责人', '员工数']);
    expect(bad).toEqual([['5', expect.stringMatching(/^country: "Narnia" is not a country.*need_type: "weird" is not a known need type/), 'Bad Co', '', 'Narnia', 'weird', 'nobody@nowhere.test', 'many']]);
  });

  it('detects duplicate accounts by domain and by similar name, in the file and against the database', async () => {
    const org = await makeOrg(database);
    await imp(org, { entity: 'accounts', source: src('Company,Website\n深圳明华照明有限公司,\nAcme Corporation,acme.com\n') });
    const csv = 'Organization,Domain\nACME Inc.,\nSomething Else,www.acme.com\n深圳明华照明公司,\nNew Co,new.example\nNew Company Ltd,\nNEW CO,\n';
    const r = await imp(org, { entity: 'accounts', source: src(csv) });
    expect(r).toMatchObject({ totalRows: 6, inserted: 1, duplicates: 5, errors: 0 });
    const dup = Object.fromEntries(r.errorRows.map((e) => [e.line, e.message]));
    expect(dup[2]).toMatch(/similar name exists: Acme Corporation/);
    expect(dup[3]).toMatch(/domain exists/);
    expect(dup[4]).toMatch(/similar name exists: 深圳明华照明有限公司/);
    expect(dup[6]).toMatch(/same name as line 5/);
    expect(dup[7]).toMatch(/same name as line 5/);
    expect((await rows(`SELECT count(*)::int AS n FROM accounts WHERE org_id = $1`, [org.orgId]))[0]!.n).toBe(3);
  });

  it('contacts: email duplicates case-insensitively, skip or update, accounts resolved or created', async () => {
    const org = await makeOrg(database);
    await imp(org, { entity: 'accounts', source: src('name,domain\nMinghua Lighting,minghua.cn\n') });
    const csv = [
      'Name,E-mail,Company,职位,手机,Tags',
      'Li Lei,li@minghua.cn,Minghua Lighting,经理,138 0000 0000,vip;lighting',
      'Han Meimei,HAN@minghua.cn,minghua lighting,采购,,',
      'Jo Bloggs,jo@fresh.example,Fresh Co,CEO,,',
      'Jo Duplicate,JO@FRESH.example,Fresh Co,CTO,,',
      'No Name Given,not-an-email,,,,',
    ].join('\n');
    const r = await imp(org, { entity: 'contacts', source: src(csv) });
    expect(r).toMatchObject({ totalRows: 5, inserted: 3, duplicates: 1, errors: 1, accountsCreated: 1 });
    const cs = await rows(
      `SELECT c.full_name, c.email, c.title, c.mobile, c.tags, a.name AS account FROM contacts c LEFT JOIN accounts a ON a.org_id = c.org_id AND a.id = c.account_id
       WHERE c.org_id = $1 ORDER BY c.full_name`, [org.orgId]);
    expect(cs).toEqual([
      { full_name: 'Han Meimei', email: 'HAN@minghua.cn', title: '采购', mobile: null, tags: [], account: 'Minghua Lighting' },
      { full_name: 'Jo Bloggs', email: 'jo@fresh.example', title: 'CEO', mobile: null, tags: [], account: 'Fresh Co' },
      { full_name: 'Li Lei', email: 'li@minghua.cn', title: '经理', mobile: '138 0000 0000', tags: ['vip', 'lighting'], account: 'Minghua Lighting' },
    ]);

    // A created account has a UUIDv7 of its own, made from its first contact's (not equal to it).
    const fresh = (await rows(
      `SELECT a.id, a.name, (SELECT c.id FROM contacts c WHERE c.org_id = a.org_id AND c.account_id = a.id) AS contact_id
       FROM accounts a WHERE a.org_id = $1 AND a.name = 'Fresh Co'`, [org.orgId]))[0]!;
    expect(fresh.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fresh.id).not.toBe(fresh.contact_id);
    expect(String(fresh.id).slice(0, 18)).toBe(String(fresh.contact_id).slice(0, 18));

    // Again, with one changed title: skip reports duplicates, update applies them.
    const again = 'Email,Title,Do not email\nhan@MINGHUA.cn,Head of purchasing,yes\nli@minghua.cn,,\n';
    const skipped = await imp(org, { entity: 'contacts', source: src(again) });
    expect(skipped).toMatchObject({ inserted: 0, updated: 0, duplicates: 2 });
    const updated = await imp(org, { entity: 'contacts', source: src(again), onDuplicate: 'update' });
    expect(updated).toMatchObject({ inserted: 0, updated: 2, duplicates: 2, errors: 0 });
    const han = (await rows(`SELECT title, do_not_email, version, full_name FROM contacts WHERE org_id = $1 AND lower(email) = 'han@minghua.cn'`, [org.orgId]))[0];
    expect(han).toEqual({ title: 'Head of purchasing', do_not_email: true, version: 2, full_name: 'Han Meimei' });
  });

  it('dry run reports exactly what would happen and saves nothing but the job', async () => {
    const org = await makeOrg(database);
    const r = await imp(org, { entity: 'accounts', source: src('name\nA\nB\nB\n'), dryRun: true });
    expect(r).toMatchObject({ dryRun: true, inserted: 2, duplicates: 1 });
    expect((await rows(`SELECT count(*)::int AS n FROM accounts WHERE org_id = $1`, [org.orgId]))[0]!.n).toBe(0);
    expect((await rows(`SELECT count(*)::int AS n FROM audit_log WHERE org_id = $1`, [org.orgId]))[0]!.n).toBe(0);
    expect((await rows(`SELECT dry_run, status, inserted FROM import_jobs WHERE org_id = $1`, [org.orgId]))[0]).toEqual({ dry_run: true, status: 'done', inserted: 2 });
  });

  it('opportunities, interactions and orders resolve accounts; orders need fx_rate outside the base currency', async () => {
    const org = await makeOrg(database, 'CNY');
    await imp(org, { entity: 'accounts', source: src('name,domain\nMinghua,minghua.cn\nAcme,acme.com\n') });
    await imp(org, { entity: 'contacts', source: src('name,email,account\nLi,li@minghua.cn,Minghua\n') });

    const opps = await imp(org, {
      entity: 'opportunities',
      source: src('商机名称,客户,金额,币种,阶段,预计成交日期\nHQ lighting,Minghua,"120,000.50",USD,方案评估,2026-03-31\nWarehouse,acme.com,5000,,,2026/4/1\nGhost,Nobody Inc,1,,,\nBad stage,Acme,1,,Teleport,\n'),
    });
    expect(opps).toMatchObject({ inserted: 2, errors: 2 });
    const o = await rows(`SELECT name, amount, currency, buying_stage, expected_close, status FROM opportunities WHERE org_id = $1 ORDER BY name`, [org.orgId]);
    expect(o).toEqual([
      { name: 'HQ lighting', amount: '120000.50', currency: 'USD', buying_stage: 'evaluation_of_options', expected_close: '2026-03-31', status: 'open' },
      { name: 'Warehouse', amount: '5000.00', currency: 'CNY', buying_stage: 'recognition_of_needs', expected_close: '2026-04-01', status: 'open' },
    ]);
    expect((await rows(`SELECT count(*)::int AS n FROM opportunity_stage_history WHERE org_id = $1`, [org.orgId]))[0]!.n).toBe(2);

    const inter = await imp(org, { entity: 'interactions', source: src('account,type,date,subject,contact email\nMinghua,拜访,2026-01-05 14:30,Site visit,li@minghua.cn\nAcme,Call,2026-01-06T09:00:00+08:00,Intro,\nAcme,Telepathy,2026-01-06,x,\n') });
    expect(inter).toMatchObject({ inserted: 2, errors: 1 });
    const it2 = await rows(`SELECT i.kind, i.occurred_at, (SELECT count(*)::int FROM interaction_contacts ic WHERE ic.org_id = i.org_id AND ic.interaction_id = i.id) AS contacts
      FROM interactions i WHERE i.org_id = $1 ORDER BY i.occurred_at`, [org.orgId]);
    expect(it2.map((x) => [x.kind, x.contacts])).toEqual([['visit', 1], ['call', 0]]);

    const orders = await imp(org, { entity: 'orders', source: src('order no,account,date,amount,currency,fx rate\nSO-1,Minghua,2026-02-01,1000,,\nSO-2,Acme,2026-02-02,200,USD,7.1\nSO-3,Acme,2026-02-03,200,USD,\nSO-1,Acme,2026-02-04,5,,\n') });
    expect(orders).toMatchObject({ inserted: 2, errors: 1, duplicates: 1 });
    expect(orders.errorRows.find((e) => e.line === 4)).toMatchObject({ field: 'fx_rate' });
    const ord = await rows(`SELECT order_number, amount, currency, fx_rate, amount_base FROM orders WHERE org_id = $1 ORDER BY order_number`, [org.orgId]);
    expect(ord).toEqual([
      { order_number: 'SO-1', amount: '1000.00', currency: 'CNY', fx_rate: null, amount_base: '1000.00' },
      { order_number: 'SO-2', amount: '200.00', currency: 'USD', fx_rate: '7.10000000', amount_base: '1420.00' },
    ]);
  });

  it('imports every sample vCard file: names, emails, phones, organization → account, title', async () => {
    const org = await makeOrg(database);
    const dir = '/work/shared/testdata/vcards';
    let cards = 0;
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.vcf'))) {
      const r = await imp(org, { entity: 'contacts', format: 'vcard', source: dir + '/' + f, filename: f });
      expect(r.errors, f).toBe(0);
      cards += r.totalRows;
    }
    expect(cards).toBe(25);
    const c = await rows(
      `SELECT c.full_name, c.first_name, c.last_name, c.email, c.phone, c.mobile, c.title, a.name AS account FROM contacts c
       LEFT JOIN accounts a ON a.org_id = c.org_id AND a.id = c.account_id WHERE c.org_id = $1 AND c.email = $2`, [org.orgId, 'simon.perreault@viagenie.ca']);
    expect(c).toEqual([{ full_name: 'Simon Perreault', first_name: 'Simon', last_name: 'Perreault', email: 'simon.perreault@viagenie.ca', phone: '+1-418-656-9254;ext=102', mobile: '+1-418-262-6501', title: null, account: 'Viagenie' }]);
    // Several files describe the same John Doe at IBM: one IBM account, one contact per distinct email.
    expect((await rows(`SELECT count(*)::int AS n FROM accounts WHERE org_id = $1 AND name = 'IBM'`, [org.orgId]))[0]!.n).toBe(1);
    expect((await rows(`SELECT count(*)::int AS n FROM contacts WHERE org_id = $1 AND email = 'john.doe@ibm.com'`, [org.orgId]))[0]!.n).toBe(1);
  });

  it('GB18030 files import; undecodable files fail the job with a clear message', async () => {
    const org = await makeOrg(database);
    const r = await imp(org, { entity: 'accounts', source: src(iconv.encode('公司名称,城市\r\n广州光电有限公司,广州\r\n', 'gb18030')) });
    expect(r.inserted).toBe(1);
    expect((await rows(`SELECT name, city FROM accounts WHERE org_id = $1`, [org.orgId]))[0]).toEqual({ name: '广州光电有限公司', city: '广州' });
    const garbage = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 251 || 1));
    await expect(imp(org, { entity: 'accounts', source: src(garbage) })).rejects.toBeInstanceOf(ImportError);
    expect((await rows(`SELECT status, message FROM import_jobs WHERE org_id = $1 AND status = 'failed'`, [org.orgId]))[0]!.message).toMatch(/UTF-8/);
  });

  it('a file that turns bad after several COPY batches fails cleanly: nothing saved, staging dropped, rows read so far reported', async () => {
    const org = await makeOrg(database);
    const good = Buffer.from('Name,Email\n' + Array.from({ length: 12_000 }, (_, i) => `P${i},p${i}@x.example\n`).join(''));
    // Invalid UTF-8 after the first batches were sent (one is still being copied when the decoder fails).
    const source = Readable.from([good, Buffer.from([0xff, 0xfe, 0x41, 0x0a])]);
    const seen: number[] = [];
    await expect(imp(org, { entity: 'contacts', source, onProgress: (p) => void seen.push(p.rowsRead) })).rejects.toThrow(/UTF-8/);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await rows(`SELECT count(*)::int AS n FROM contacts WHERE org_id = $1`, [org.orgId])).toEqual([{ n: 0 }]);
    const job = (await rows(`SELECT id, status FROM import_jobs WHERE org_id = $1`, [org.orgId]))[0]!;
    expect(job.status).toBe('failed');
    expect(await rows(`SELECT count(*)::int AS n FROM pg_class WHERE relname = 'import_stg_' || replace($1::text, '-', '')`, [job.id])).toEqual([{ n: 0 }]);
  });

  it('a mapping that misses a required field is refused before anything is read', async () => {
    const org = await makeOrg(database);
    await expect(imp(org, { entity: 'orders', source: src('foo,bar\n1,2\n') })).rejects.toThrow(/Map a column to: ordered_at, amount/);
  });

  it('previews the first rows with the suggested mapping and row errors', async () => {
    const org = await makeOrg(database);
    const p = await previewFile(database, { orgId: org.orgId, entity: 'contacts', format: 'csv', source: src('姓名,邮箱,公司名称\n李雷,li@x.cn,明华\n韩梅梅,bad,明华\n'), limit: 5 });
    expect(p.mapping).toEqual({ 姓名: 'full_name', 邮箱: 'email', 公司名称: 'account' });
    expect(p.rows).toEqual([
      { line: 2, values: expect.objectContaining({ full_name: '李雷', email: 'li@x.cn', account: '明华' }), errors: [] },
      { line: 3, values: expect.objectContaining({ email: 'bad' }), errors: [{ field: 'email', message: '"bad" is not an email address' }] },
    ]);
  });

  it('reports progress and keeps the job row current', async () => {
    const org = await makeOrg(database);
    const lines = ['name,email'];
    for (let i = 0; i < 12_000; i++) lines.push(`Person ${i},p${i}@example.test`);
    const seen: number[] = [];
    // What someone polling the job saw when the merge began (read on another call, as GET /imports/:id does).
    let atMerge: unknown;
    const r = await imp(org, {
      entity: 'contacts', source: src(lines.join('\n')),
      onProgress: async (p) => {
        if (p.phase === 'reading') seen.push(p.rowsRead);
        if (p.phase === 'merging') atMerge = (await database.query(`SELECT phase, processed_rows, total_rows FROM import_jobs WHERE org_id = $1 ORDER BY created_at DESC LIMIT 1`, [org.orgId])).rows[0];
      },
    });
    expect(r.inserted).toBe(12_000);
    expect(seen).toEqual([5000, 10000, 12000]);
    expect(atMerge).toEqual({ phase: 'merging', processed_rows: 12_000, total_rows: 12_000 });
    expect((await database.query(`SELECT phase FROM import_jobs WHERE org_id = $1 AND id = $2`, [org.orgId, r.jobId])).rows[0]).toEqual({ phase: 'done' });
  });
});
