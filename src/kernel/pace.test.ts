import { describe, expect, it } from 'vitest';
import { pace, SLICE_MS } from './pace.ts';

function* slow(steps: number, msPerStep: number): Generator<void, number> {
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const until = performance.now() + msPerStep;
    while (performance.now() < until) { /* busy, as CPU work is */ }
    sum += i;
    yield;
  }
  return sum;
}

describe('pace', () => {
  it('returns what the steps compute, and lets the event loop in while they run', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const result = await pace(slow(20, SLICE_MS / 2));
    clearInterval(timer);
    expect(result).toBe(190);
    // 50 ms of work in slices of SLICE_MS: the timer got turns in between.
    expect(ticks).toBeGreaterThan(3);
  });

  it('gives a quick computation the same result', async () => {
    expect(await pace(slow(100, 0))).toBe(4950);
  });
});
