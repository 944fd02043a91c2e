import { openDatabase, type OpenOptions } from '../../src/kernel/db/index.ts';
import { eq } from 'drizzle-orm';
import { organizations } from '../../src/db/schema/index.ts';
import { createOrganization } from '../../src/features/organizations/commands.ts';
import { createToken } from '../../src/features/users/commands.ts';

/**
 * A small second organization (a few accounts) with an admin token, made once per data folder:
 * the tenant whose trivial requests are measured next to a heavy one.
 */
export async function quietOrg(dbOptions: OpenOptions): Promise<{ orgId: string; token: string }> {
  const database = await openDatabase({ ...dbOptions, worker: false });
  try {
    const slug = 'bench-quiet';
    let [org] = await database.db.select().from(organizations).where(eq(organizations.slug, slug));
    let adminId: string;
    if (!org) {
      const made = await createOrganization(database.db, { name: 'Bench Quiet', slug, admin: { email: 'admin@bench-quiet.accord.demo', name: 'Quiet Admin', password: 'bench-quiet-password' } });
      org = made.org;
      adminId = made.admin.id;
      await database.query(
        `insert into accounts (org_id, id, name, kind, country) select $1, uuid_generate_v7(), 'Quiet account ' || i, 'customer', 'DE' from generate_series(1, 30) i`,
        [org!.id],
      );
    } else {
      const { rows } = await database.query(`select id from users where org_id = $1 and role = 'admin' limit 1`, [org.id]);
      adminId = (rows[0] as { id: string }).id;
    }
    const t = await createToken(database.db, { orgId: org!.id, userId: adminId, role: 'admin', team: null, kind: 'user' }, { name: 'bench-quiet' });
    return { orgId: org!.id, token: t.token };
  } finally {
    await database.close();
  }
}
