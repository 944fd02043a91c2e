import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestOrg, type TestOrg } from '../../../tests/helpers/app.ts';
import { describeEachDb, openTestDatabase } from '../../../tests/helpers/db.ts';
import type { Database } from '../../kernel/db/index.ts';
import { buildApp } from '../../kernel/http.ts';
import { features } from '../registry.ts';
import { exportRoutes } from '../exports/routes.ts';
import { importRoutes } from './routes.ts';

describeEachDb('imports and exports over HTTP', (mode) => {
  let database: Database;
  let app: FastifyInstance;
  let org: TestOrg;
  let other: TestOrg;
  beforeAll(async () => {
    database = await openTestDatabase(mode);
    app = await buildApp({ database, config: { secureCookies: false, sessionDays: 1, bodyLimit: 1024 * 1024 } });
    const ctx = { db: database.db, database, config: { secureCookies: false, sessionDays: 1, bodyLimit: 1024 * 1024 } };
    for (const register of features) await register(app, ctx);
    // Until the registry lists them, register the routes here.
    if (!app.hasRoute({ method: 'GET', url: '/api/v1/imports/:id' })) await importRoutes(app, database);
    if (!app.hasRoute({ method: 'GET', url: '/api/v1/exports/:entity' })) exportRoutes(app, database);
    await app.ready();
    org = await createTestOrg(database, 'Import A');
    other = await createTestOrg(database, 'Import B');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });
  const auth = (u: { token: string }) => ({ authorization: `Bearer ${u.token}` });

  it('imports a raw CSV body, reports the job, serves the error file; exports re-import as duplicates', async () => {
    const csv = '公司名称,网址,需求类型\n明华照明,minghua.cn,品牌商\nAcme,acme.com,Importer\nBroken,,???\n';
    const res = await app.inject({ method: 'POST', url: '/api/v1/imports?entity=accounts&wait=true', headers: { ...auth(org.users.admin), 'content-type': 'text/csv', 'x-filename': 'a.csv' }, payload: csv });
    expect(res.statusCode).toBe(200);
    const result = res.json();
    expect(result).toMatchObject({ inserted: 2, errors: 1, totalRows: 3 });

    const job = await app.inject({ method: 'GET', url: `/api/v1/imports/${result.jobId}`, headers: auth(org.users.viewer) });
    expect(job.json()).toMatchObject({ status: 'done', filename: 'a.csv', processedRows: 3, inserted: 2, errorCount: 1, mapping: { 公司名称: 'name', 网址: 'website', 需求类型: 'need_type' } });
    expect((await app.inject({ method: 'GET', url: `/api/v1/imports/${result.jobId}`, headers: auth(other.users.admin) })).statusCode).toBe(404);

    const errors = await app.inject({ method: 'GET', url: `/api/v1/imports/${result.jobId}/errors.csv`, headers: auth(org.users.admin) });
    expect(errors.headers['content-type']).toMatch(/text\/csv/);
    const errRows = parse(errors.body.replace(/^\ufeff/, '')) as string[][];
    expect(errRows).toEqual([['line', 'errors', '公司名称', '网址', '需求类型'], ['4', 'need_type: "???" is not a known need type', 'Broken', '', '???']]);

    const exp = await app.inject({ method: 'GET', url: '/api/v1/exports/accounts', headers: auth(org.users.viewer) });
    expect(exp.statusCode).toBe(200);
    const exported = parse(exp.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(exported.map((r) => [r.name, r.domain, r.need_type]).sort()).toEqual([['Acme', 'acme.com', 'importer'], ['明华照明', 'minghua.cn', 'brand_owner']]);
    const again = await app.inject({ method: 'POST', url: '/api/v1/imports?entity=accounts&wait=true', headers: { ...auth(org.users.admin), 'content-type': 'text/csv' }, payload: exp.body });
    expect(again.json()).toMatchObject({ inserted: 0, duplicates: 2, errors: 0 });
    // The other organization sees none of it.
    const otherExp = await app.inject({ method: 'GET', url: '/api/v1/exports/accounts', headers: auth(other.users.admin) });
    expect(parse(otherExp.body, { bom: true, columns: true })).toEqual([]);
  });

  it('imports a vCard upload (multipart) in the background and exports vCards that re-import', async () => {
    const vcf = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Li Lei\r\nN:Li;Lei;;;\r\nORG:明华照明;采购部\r\nTITLE:采购经理\r\nEMAIL;TYPE=INTERNET:li.lei@minghua.cn\r\nTEL;TYPE=CELL:+86 138 0000 0000\r\nEND:VCARD\r\n';
    const boundary = '----accordtest';
    const body = [`--${boundary}`, 'Content-Disposition: form-data; name="entity"', '', 'contacts', `--${boundary}`, 'Content-Disposition: form-data; name="format"', '', 'vcard',
      `--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="li.vcf"', 'Content-Type: text/vcard', '', vcf, `--${boundary}--`, ''].join('\r\n');
    const res = await app.inject({ method: 'POST', url: '/api/v1/imports', headers: { ...auth(org.users.rep), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    expect(res.statusCode).toBe(202);
    const id = res.json().id;
    let job: Record<string, unknown> = {};
    for (let i = 0; i < 100 && job.status !== 'done' && job.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: auth(org.users.rep) })).json();
    }
    expect(job).toMatchObject({ status: 'done', inserted: 1, format: 'vcard', filename: 'li.vcf' });

    for (const version of ['4.0', '3.0']) {
      const exp = await app.inject({ method: 'GET', url: `/api/v1/exports/contacts?format=vcard&version=${version}&q=li.lei`, headers: auth(org.users.rep) });
      expect(exp.headers['content-type']).toMatch(/text\/vcard/);
      expect(exp.body).toContain(`VERSION:${version}`);
      expect(exp.body).toContain('ORG:明华照明;采购部');
      const back = await app.inject({ method: 'POST', url: '/api/v1/imports/preview?entity=contacts&format=vcard', headers: { ...auth(org.users.rep), 'content-type': 'text/vcard' }, payload: exp.body });
      expect(back.json().rows[0].values).toMatchObject({ full_name: 'Li Lei', first_name: 'Lei', last_name: 'Li', account: '明华照明', department: '采购部', title: '采购经理', email: 'li.lei@minghua.cn', mobile: '+86 138 0000 0000' });
    }
  });

  it('viewers cannot import; bad options and undecodable files are 400s', async () => {
    const viewer = await app.inject({ method: 'POST', url: '/api/v1/imports?entity=accounts', headers: { ...auth(org.users.viewer), 'content-type': 'text/csv' }, payload: 'name\nX\n' });
    expect(viewer.statusCode).toBe(403);
    const badEntity = await app.inject({ method: 'POST', url: '/api/v1/imports?entity=widgets', headers: { ...auth(org.users.admin), 'content-type': 'text/csv' }, payload: 'name\nX\n' });
    expect(badEntity.statusCode).toBe(400);
    const garbage = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 251 || 1));
    const bad = await app.inject({ method: 'POST', url: '/api/v1/imports?entity=accounts&wait=true', headers: { ...auth(org.users.admin), 'content-type': 'application/octet-stream' }, payload: garbage });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'undecodable' });
    const mapping = await app.inject({ method: 'POST', url: '/api/v1/imports/mapping', headers: auth(org.users.admin), payload: { entity: 'contacts', headers: ['姓名', 'E-mail', 'Organization', 'Mobile'] } });
    expect(mapping.json()).toEqual({ mapping: { 姓名: 'full_name', 'E-mail': 'email', Organization: 'account', Mobile: 'mobile' } });
  });
  it('products and their lines over HTTP: createProducts is an option of the import (400 when not a yes/no), exports stay in the organization', async () => {
    const post = (u: { token: string }, query: string, csv: string) =>
      app.inject({ method: 'POST', url: `/api/v1/imports?${query}&wait=true`, headers: { ...auth(u), 'content-type': 'text/csv' }, payload: csv });
    const bad = await post(org.users.admin, 'entity=price_lists&createProducts=perhaps', 'price_list,product_code,unit_price\nStd,P-1,5\n');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([expect.objectContaining({ path: 'createProducts' })]);
    const off = await post(org.users.admin, 'entity=price_lists', 'price_list,product_code,unit_price\nStd,HTTP-1,5\n');
    expect(off.json()).toMatchObject({ inserted: 0, errors: 1, productsCreated: 0 });
    const on = await post(org.users.admin, 'entity=price_lists&createProducts=true', 'price_list,product_code,unit_price\nStd,HTTP-1,5\n');
    expect(on.json()).toMatchObject({ inserted: 1, errors: 0, productsCreated: 1 });
    // The job row carries the same counts (the wizard's summary reads the job, not the dry run).
    const job = await app.inject({ method: 'GET', url: `/api/v1/imports/${on.json().jobId}`, headers: auth(org.users.viewer) });
    expect(job.json()).toMatchObject({ status: 'done', inserted: 1, productsCreated: 1, amountsKept: 0, accountsCreated: 0, usersCreated: 0, placeholderAccountRows: 0 });
    expect(job.json().message).toContain('1 products created');
    const mine = await app.inject({ method: 'GET', url: '/api/v1/exports/products', headers: auth(org.users.viewer) });
    expect(mine.body).toContain('HTTP-1');
    const theirs = await app.inject({ method: 'GET', url: '/api/v1/exports/price_lists', headers: auth(other.users.admin) });
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('HTTP-1');
    // A viewer cannot import.
    expect((await post(org.users.viewer, 'entity=products', 'code,name\nV-1,Viewer\n')).statusCode).toBe(403);
  });
});
