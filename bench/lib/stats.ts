/** Summary statistics for repeated measurements. */
export interface Summary {
  runs: number;
  median: number;
  p99: number;
  min: number;
  max: number;
  /** (max − min) / median: how much the runs disagree. */
  spread: number;
}

export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(values: number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const median = quantile(s, 0.5);
  return { runs: s.length, median, p99: quantile(s, 0.99), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN, spread: median ? (s[s.length - 1]! - s[0]!) / median : 0 };
}

export async function timeIt(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

/** Warm-up runs, then `runs` timed runs (milliseconds). */
export async function repeat(runs: number, f: () => Promise<unknown>, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await f();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await timeIt(f));
  return out;
}

/** Runs `f` from `concurrency` parallel loops for `durationMs`; returns each call's latency. */
export async function load(concurrency: number, durationMs: number, f: () => Promise<unknown>): Promise<{ latencies: number[]; perSecond: number }> {
  const latencies: number[] = [];
  const end = performance.now() + durationMs;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) latencies.push(await timeIt(f));
    }),
  );
  return { latencies, perSecond: (latencies.length * 1000) / (performance.now() - t0) };
}
