import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../db/schema/index.ts';
import { createTestOrg } from '../../tests/helpers/app.ts';
import { describeEachDb, openTestDatabase } from '../../tests/helpers/db.ts';
import { describeCliError } from './errors.ts';

describeEachDb('CLI error output', (mode) => {
  it('a failed insert (a user that exists, as `accord demo` met) prints the reason, not the statement or the password hash', async () => {
    const database = await openTestDatabase(mode);
    try {
      const org = await createTestOrg(database);
      const [u] = await database.db.select().from(users).where(eq(users.id, org.users.admin.id));
      const err = await database.db.insert(users).values({ ...u!, id: crypto.randomUUID() }).then(() => undefined, (e: unknown) => e);
      expect(String((err as Error).message)).toMatch(/insert into/i); // what used to be printed
      const lines = describeCliError(err).join('\n');
      expect(lines).toMatch(/^Database error 23505: A record with the same unique value already exists/);
      expect(lines).not.toMatch(/insert|params|\$argon2/i);
      expect(lines).not.toContain(u!.passwordHash);
    } finally {
      await database.close();
    }
  });
});

describe('describeCliError', () => {
  it('never prints a message that echoes a statement', () => {
    expect(describeCliError(new Error('Failed query: select secret\nparams: hunter2'))).toEqual(['A database statement failed']);
    expect(describeCliError(new Error('plain'))).toEqual(['plain']);
  });
});
