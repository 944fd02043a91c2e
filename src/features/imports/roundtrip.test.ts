import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDatabase } from '../../../tests/helpers/db.ts';
import type { Database } from '../../kernel/db/index.ts';
import { generateDemo } from '../demo/index.ts';
import { exportCsv } from '../exports/commands.ts';
import { importFile } from './commands.ts';
import { EXPORT_ENTITIES, type ExportEntity } from './fields.ts';
import { makeOrg } from './testing/db.ts';

const tag = `${process.pid.toString(36)}${Date.now().toString(36)}`;
/** Columns that cannot match in another organization: its own ids and times. */
const OWN = new Set(['id', 'account_id', 'opportunity_id', 'order_id', 'created_at', 'updated_at', 'external_source', 'external_id']);

describeEachDb('imports: an organization\'s export re-imports into another organization', (mode) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(mode);
  });
  afterAll(() => database.close());

  async function exported(orgId: string, entity: ExportEntity): Promise<string> {
    let out = '';
    for await (const chunk of exportCsv(database, { orgId, entity })) out += String(chunk);
    return out;
  }
  const comparable = (csv: string) =>
    (parse(csv, { columns: true, bom: true }) as Record<string, string>[]).map((r) => JSON.stringify(Object.entries(r).filter(([k]) => !OWN.has(k)))).sort();

  it('every entity of the demo organization, field by field', async () => {
    const demo = await generateDemo(database, { accounts: 12, seed: 3, now: '2026-11-20T12:00:00Z', slug: `rt-${tag}-${mode}`, emailDomain: `rt-${tag}-${mode}.accord.test` });
    const base = ((await database.query(`SELECT base_currency FROM organizations WHERE id = $1`, [demo.orgId])).rows[0] as { base_currency: string }).base_currency;
    const target = await makeOrg(database, base.trim());
    // The demo's own product lines are vocabulary terms: an organization sets its vocabulary up before importing values of it.
    await database.query(`INSERT INTO vocab_terms (org_id, vocabulary, key, label, position, active)
      SELECT $2, vocabulary, key, label, position, active FROM vocab_terms WHERE org_id = $1 AND vocabulary = 'product_line'`, [demo.orgId, target.orgId]);
    // So are the products' specifications (custom fields of the entity product).
    await database.query(`INSERT INTO custom_field_defs (org_id, entity, key, label, type, options, required, position)
      SELECT $2, entity, key, label, type, options, required, position FROM custom_field_defs WHERE org_id = $1 AND entity = 'product'`, [demo.orgId, target.orgId]);
    // Products before the feedback that names them (the export lists entities in the screen's order).
    const order = [...EXPORT_ENTITIES].sort((a, b) => Number(b === 'products') - Number(a === 'products'));
    for (const entity of order) {
      const file = await exported(demo.orgId, entity);
      const r = await importFile(database, {
        orgId: target.orgId, actorId: target.userId, entity, format: 'csv', source: Readable.from([Buffer.from(file)]), createUsers: true, createAccounts: false,
      });
      expect(r.errorRows, entity).toEqual([]);
      expect(r.duplicates, entity).toBe(0);
      expect(comparable(await exported(target.orgId, entity)), entity).toEqual(comparable(file));
    }
  }, 120_000);
});
