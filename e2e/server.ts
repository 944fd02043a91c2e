/**
 * Starts the real Accord server for browser tests: in-memory embedded database, migrations,
 * the demo organization, web/dist served at / — on a free port.
 */
import type { AddressInfo } from 'node:net';

export type RunningServer = {
  url: string; email: string; password: string; close: () => Promise<void>;
  /** The server's database, for tests that plant data of their own beside the demo. */
  database: import('../src/kernel/db/index.ts').Database;
};

export async function startServer(opts: { demoAccounts?: number } = {}): Promise<RunningServer> {
  const { openDatabase } = await import('../src/kernel/db/index.ts');
  const { runMigrations } = await import('../src/kernel/db/migrate.ts');
  const { buildServer } = await import('../src/server.ts');
  const demo = await import('../src/features/demo/index.ts');
  const database = await openDatabase({ worker: false });
  await runMigrations(database);
  const result = await demo.generateDemo(database, { accounts: opts.demoAccounts ?? 120 });
  const admin = result.logins.find((l) => l.role === 'admin') ?? result.logins[0]!;
  const app = await buildServer({ database, config: { secureCookies: false, sessionDays: 1, bodyLimit: 10 * 1024 * 1024 }, logger: false });
  await app.listen({ port: Number(process.env.E2E_PORT ?? 0), host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    email: admin.email,
    password: admin.password ?? demo.DEMO_PASSWORD,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
