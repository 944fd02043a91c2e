import type { BenchContext } from '../context.ts';
import type { Row } from '../lib/report.ts';
import { webSuite } from './web.ts';
import { importSuite } from './import.ts';
import { recomputeSuite, stallSuite } from './recompute.ts';

/** Suites beyond the list API, registered as their features land. */
export const extraSuites: [string, (c: BenchContext, log: (s: string) => void) => Promise<Row[]>][] = [
  ['import', importSuite],
  ['recompute', recomputeSuite],
  ['stall', stallSuite],
  ['web', webSuite],
];
