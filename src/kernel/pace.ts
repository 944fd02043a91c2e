/**
 * Sharing the server's main thread: organization-wide work written in TypeScript (training a model,
 * scoring coverage) runs in slices with turns of the event loop between them, so HTTP requests are
 * answered meanwhile (the event-loop stall target is 50 ms).
 */

/** Longest the main thread computes between two turns of the event loop. */
export const SLICE_MS = 5;

/** Lets the event loop run (HTTP requests, health checks) before continuing. */
export const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A checkpoint for a loop: `turn()` returns a promise that lets the event loop in when SLICE_MS have
 * passed since the last turn, and otherwise nothing (no await needed, none paid for).
 */
export function turns(): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < SLICE_MS) return undefined;
    return breathe().then(() => {
      since = performance.now();
    });
  };
}

/**
 * Drives a stepwise computation (a generator that yields between small steps), letting the event
 * loop in whenever a slice has run SLICE_MS. The steps decide what is computed; pacing only decides
 * when, so results do not depend on load.
 */
export async function pace<T>(steps: Generator<void, T>): Promise<T> {
  const turn = turns();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    const t = turn();
    if (t) await t;
  }
}
