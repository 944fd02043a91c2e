/**
 * Do products improve the win model's held-out calibration? (issue #16: add them only if they do.)
 *
 *   npx tsx bench/products-win-model.ts [--accounts 300] [--url postgres://…]
 *
 * On a fresh demo organization (or the first organization of a database given by --url): the
 * measurement of src/features/evaluation/product-measure.ts — the model's inputs as deployed, with
 * the product lines the account had bought before each snapshot, with its order count before then
 * (the control), and with the deal's own product lines; held-out Brier, skill, AUC and a paired
 * bootstrap interval of each Brier difference. Nothing is written.
 */
import { openDatabase, type Database } from '../src/kernel/db/index.ts';
import { runMigrations } from '../src/kernel/db/migrate.ts';
import { generateDemo } from '../src/features/demo/index.ts';
import { measureProductFeatures } from '../src/features/evaluation/product-measure.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const f4 = (v: number | null) => (v === null ? '—' : v.toFixed(4));

async function main() {
  const url = arg('url');
  const database: Database = await openDatabase(url ? { url, worker: false } : { worker: false });
  try {
    if (!url) {
      await runMigrations(database);
      await generateDemo(database, { accounts: Number(arg('accounts') ?? 300) });
    }
    const org = (await database.query(`select id from organizations order by created_at limit 1`)).rows[0] as { id: string };
    const m = await measureProductFeatures(database, org.id);
    console.log(`closed-deal snapshots: train ${m.snapshots.train}, held out ${m.snapshots.heldOut} (${m.snapshots.heldOutDeals} deals)`);
    console.log(`account had ordered before: train ${m.withHistory.train}, held out ${m.withHistory.heldOut}; deal has lines: train ${m.withDealLines.train}, held out ${m.withDealLines.heldOut}`);
    console.log(`product lines: ${m.productLines.join(', ')}`);
    for (const v of m.variants) console.log(`${v.name.padEnd(48)} Brier ${f4(v.brier)}  skill ${f4(v.skill)}  AUC ${f4(v.auc)}`);
    for (const c of m.comparisons) {
      console.log(`${c.variant} vs ${c.base}: Brier ${c.diff >= 0 ? '+' : ''}${c.diff.toFixed(4)}, 95 % interval ${c.lo.toFixed(4)} … ${c.hi.toFixed(4)} → ${c.improves ? 'improves (whole interval below 0)' : 'no improvement beyond chance'}`);
    }
  } finally {
    await database.close();
  }
}

void main();
