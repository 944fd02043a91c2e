import type { OpenOptions } from '../src/kernel/db/index.ts';

/** What every benchmark suite gets: where the data is, who to act as, how hard to measure. */
export interface BenchContext {
  mode: 'postgres' | 'embedded';
  dbOptions: OpenOptions;
  /** Environment for a server process on the same database. */
  serverEnv: Record<string, string>;
  orgId: string;
  userId: string;
  token: string;
  /** A manager's login, for the browser benchmark. */
  email: string;
  password: string;
  port: number;
  runs: number;
  loadSeconds: number;
  scale: { accounts: number; contacts: number; interactions: number };
  tmpDir: string;
  /** Rows in the generated contacts CSV for the import benchmark. */
  importRows: number;
  /** Feedback items the voice-of-the-customer suite tops the organization up to. */
  feedbackItems?: number;
  /** Rows in the generated order-lines CSV (default 100,000). */
  orderLineRows?: number;
  /** Length of the soak (minutes). */
  soakMinutes?: number;
  /** Requests per second the soak sends in all (0: as fast as the server answers). */
  soakRate?: number;
}
