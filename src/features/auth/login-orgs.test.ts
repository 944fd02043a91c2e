import { expect, it } from 'vitest';
import { TEST_PASSWORD, useTestApp } from '../../../tests/helpers/app.ts';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { systemActor } from '../../kernel/actor.ts';
import { addUser } from '../users/commands.ts';

describeEachDb('login when one email belongs to users of two organizations', (mode) => {
  const t = useTestApp(mode);

  it('signs into the organization whose user has the password given; the email is unique only within an organization', async () => {
    const email = `shared-${Date.now()}@test.example`;
    const add = (orgId: string, password: string) => t.database.db.transaction((tx) => addUser(tx, systemActor(orgId), { email, name: 'Shared Person', role: 'rep', password }));
    const inA = await add(t.org.id, TEST_PASSWORD);
    const inB = await add(t.other.id, 'another-password-entirely');
    await expect(add(t.org.id, 'x-password-long-enough')).rejects.toMatchObject({ status: 400 });

    const login = (password: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: email.toUpperCase(), password } });
    const a = await login(TEST_PASSWORD);
    expect(a.statusCode).toBe(200);
    expect(a.json()).toMatchObject({ user: { id: inA.id }, org: { id: t.org.id } });
    const b = await login('another-password-entirely');
    expect(b.statusCode).toBe(200);
    expect(b.json()).toMatchObject({ user: { id: inB.id }, org: { id: t.other.id } });
    expect((await login('wrong-password-here')).statusCode).toBe(401);
  });
});
