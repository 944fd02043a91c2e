/**
 * On the embedded database every statement of a request must queue as that request's: interactive,
 * in its organization's line. The auth lookups are a request's first statements; run outside its
 * context they queued as background work, behind every fourth turn of a neighbour's search.
 */
import { expect, it } from 'vitest';
import { useTestApp } from '../../tests/helpers/app.ts';
import { FairScheduler } from './db/embedded-pool.ts';

const t = useTestApp('pglite');

it('every statement of a request, the token lookup included, queues as interactive in the organization the token names', async () => {
  const scheduler = (t.database.db as unknown as { $client: { scheduler: FairScheduler } }).$client.scheduler;
  expect(scheduler).toBeInstanceOf(FairScheduler);
  const seen: [string, string][] = [];
  const acquire = scheduler.acquire.bind(scheduler);
  scheduler.acquire = (key, lane, holder) => (seen.push([key, lane]), acquire(key, lane, holder));
  try {
    for (const user of [t.org.users.viewer, t.other.users.viewer]) {
      seen.length = 0;
      const res = await t.as(user, { method: 'GET', url: '/api/v1/accounts?limit=5' });
      expect(res.statusCode).toBe(200);
      expect(seen.length).toBeGreaterThan(1);
      const orgId = user === t.org.users.viewer ? t.org.id : t.other.id;
      expect(seen).toEqual(seen.map(() => [orgId, 'interactive']));
    }
    // Session cookies name their organization the same way.
    seen.length = 0;
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: t.org.users.rep.email, password: 'correct-horse-battery' } });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'accord_session')!;
    seen.length = 0;
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/accounts?limit=5', cookies: { accord_session: cookie.value } });
    expect(me.statusCode).toBe(200);
    expect(seen).toEqual(seen.map(() => [t.org.id, 'interactive']));
  } finally {
    scheduler.acquire = acquire;
  }
});
