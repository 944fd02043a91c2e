import type { BenchContext } from '../context.ts';
import type { Row } from '../lib/report.ts';
import { webSuite } from './web.ts';
import { importSuite } from './import.ts';
import { orderLinesSuite } from './order-lines.ts';
import { recomputeSuite, stallSuite } from './recompute.ts';
import { noisySuite } from './noisy.ts';
import { soakSuite } from './soak.ts';
import { reportsSuite } from './reports.ts';
import { vocSuite } from './voc.ts';
import { engagementSuite } from './engagement.ts';

/** Suites beyond the list API, registered as their features land. */
// The import runs last: it writes millions of rows into fresh organizations (removed afterwards).
export const extraSuites: [string, (c: BenchContext, log: (s: string) => void) => Promise<Row[]>][] = [
  ['recompute', recomputeSuite],
  ['engagement', engagementSuite],
  ['stall', stallSuite],
  ['web', webSuite],
  ['noisy', noisySuite],
  ['reports', reportsSuite],
  ['voc', vocSuite],
  ['import', importSuite],
  ['order-lines', orderLinesSuite],
  // Last and longest (30 minutes unless --soak-minutes says otherwise).
  ['soak', soakSuite],
];
