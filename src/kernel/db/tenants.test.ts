import { expect, it } from 'vitest';
import { createOrganization } from '../../features/organizations/commands.ts';
import { openDatabase, sharedByTenants } from './index.ts';
import { runMigrations } from './migrate.ts';

// Slicing a read only pays where another organization can be kept waiting: an embedded database
// with one organization answers in one statement, one with two in fair slices; PostgreSQL never.
it('sharedByTenants: embedded with one organization no, with two yes; PostgreSQL no', async () => {
  const one = await openDatabase({ worker: false });
  await runMigrations(one);
  await createOrganization(one.db, { name: 'Solo', slug: 'solo', admin: { email: 'a@solo.example', name: 'A', password: 'solo-password-1' } });
  expect(await sharedByTenants(one.db)).toBe(false);
  await one.close();

  const two = await openDatabase({ worker: false });
  await runMigrations(two);
  for (const slug of ['first', 'second']) await createOrganization(two.db, { name: slug, slug, admin: { email: `a@${slug}.example`, name: 'A', password: 'two-password-1' } });
  expect(await sharedByTenants(two.db)).toBe(true);
  await two.close();

  if (process.env.TEST_DATABASE_URL) {
    const pg = await openDatabase({ url: process.env.TEST_DATABASE_URL });
    expect(await sharedByTenants(pg.db)).toBe(false);
    await pg.close();
  }
});
