import type { Database } from '../kernel/db/index.ts';

export interface DemoLogin {
  role: string;
  email: string;
}

/** On an empty database, loads the demo organization and returns its logins. */
export async function firstStart(database: Database): Promise<DemoLogin[]> {
  const { rows } = await database.query('select count(*)::int as n from organizations');
  if ((rows[0] as { n: number }).n > 0) return [];
  const demo = await import('../features/demo/index.ts').catch(() => null);
  if (!demo) return [];
  return demo.ensureDemo(database);
}
