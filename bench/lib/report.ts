import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** One row of the results table: Accord's figure, the physical baseline from the same run, the target. */
export interface Row {
  id: string;
  benchmark: string;
  accord: number;
  unit: string;
  /** Extra figures shown next to the main one (p99, req/s…). */
  detail?: string;
  baseline?: number;
  baselineLabel?: string;
  /** accord / baseline for "lower is better" units, baseline / accord otherwise — always "× slower than physics". */
  ratio?: number;
  target: string;
  met?: boolean;
  /** Larger is better (rows/s, req/s). */
  higherIsBetter?: boolean;
  /** When this row was measured: a partial run (--only) keeps the other rows of earlier runs. */
  at?: string;
}

export interface Results {
  at: string;
  database: string;
  machine: string;
  scale: Record<string, number>;
  rows: Row[];
}

const fmt = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '—' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

export function markdown(r: Results): string {
  const lines = [
    `Accord benchmarks — ${r.database}, ${r.machine}, ${r.at}`,
    `scale: ${Object.entries(r.scale).map(([k, v]) => `${k}=${v.toLocaleString('en')}`).join(', ')}`,
    '',
    '| benchmark | Accord | baseline in the same run | ratio | target | met | measured |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of r.rows) {
    const acc = `${fmt(row.accord)} ${row.unit}${row.detail ? ` (${row.detail})` : ''}`;
    const base = row.baseline === undefined ? '—' : `${fmt(row.baseline)} ${row.unit}${row.baselineLabel ? ` (${row.baselineLabel})` : ''}`;
    const at = (row.at ?? r.at).slice(0, 16).replace('T', ' ');
    lines.push(`| ${row.benchmark} | ${acc} | ${base} | ${row.ratio === undefined ? '—' : `${row.ratio.toFixed(2)}×`} | ${row.target} | ${row.met === undefined ? '—' : row.met ? 'yes' : 'NO'} | ${at} |`);
  }
  return lines.join('\n');
}

/** Compares with the last committed results for the same database and scale; flags changes worse than 20 %. */
export function regressions(current: Results, file: string): string[] {
  let previous: Results | undefined;
  try {
    // The committed version, not a local re-run, is the reference.
    previous = JSON.parse(execFileSync('git', ['show', `HEAD:${file}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Results;
  } catch {
    if (existsSync(file)) previous = JSON.parse(readFileSync(file, 'utf8')) as Results;
  }
  if (!previous || previous.database !== current.database) return [];
  const out: string[] = [];
  for (const row of current.rows) {
    const old = previous.rows.find((p) => p.id === row.id);
    if (!old || !old.accord || !row.accord) continue;
    // A label names its scale (accounts, rows): figures at another scale are not comparable.
    if (old.benchmark !== row.benchmark) {
      out.push(`not compared (other scale than the committed run): ${row.benchmark}`);
      continue;
    }
    const worse = row.higherIsBetter ? old.accord / row.accord : row.accord / old.accord;
    if (worse > 1.2) out.push(`REGRESSION ${row.benchmark}: ${fmt(old.accord)} → ${fmt(row.accord)} ${row.unit} (${((worse - 1) * 100).toFixed(0)} % worse)`);
  }
  return out;
}

export function save(r: Results, dir: string, name: string) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${name}.json`, JSON.stringify(r, null, 2) + '\n');
  writeFileSync(`${dir}/${name}.md`, markdown(r) + '\n');
}
