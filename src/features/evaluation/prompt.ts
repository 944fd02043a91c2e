/**
 * Prompt rescoring: a record created or changed is scored within seconds, not at the next hourly
 * run. Writes of an organization are gathered; once it has been quiet for `quietMs` (or `maxWaitMs`
 * after the first of them, so a steady stream of edits still gets scored), the organization is
 * recomputed — one at a time, never beside another recompute of this process.
 */
/** An organization's writes since its last rescore; `lastRun`: when that rescore started. */
export type Pending = { first: number; last: number; lastRun?: number };

/**
 * What to do with an organization's pending writes at `now`: wait this many ms more, or run. Never
 * sooner than `minIntervalMs` after the previous rescore started: on a large embedded organization a
 * recompute takes the database for seconds, and someone editing all afternoon must not pay for it each minute.
 */
export function rescoreDecision(p: Pending, now: number, quietMs: number, maxWaitMs: number, minIntervalMs = 0): { run: true } | { run: false; waitMs: number } {
  const quietAt = p.last + quietMs;
  const latest = p.first + maxWaitMs;
  const due = Math.max(Math.min(quietAt, latest), p.lastRun === undefined ? 0 : p.lastRun + minIntervalMs);
  return now >= due ? { run: true } : { run: false, waitMs: due - now };
}

/** Paths whose writes change what is scored: records, buying centers, evaluation settings. */
export const SCORED_WRITES = /^\/api\/v1\/(accounts|contacts|opportunities|interactions|orders|buying-center|contact-links|evaluation\/settings)(\/|$|\?)/;

export function promptRescorer(run: (orgId: string) => Promise<void>, opts: { quietMs: number; maxWaitMs: number; minIntervalMs?: number; onError: (e: unknown, orgId: string) => void }) {
  const pending = new Map<string, Pending>();
  const lastRun = new Map<string, number>();
  const timers = new Map<string, NodeJS.Timeout>();
  let busy: Promise<void> = Promise.resolve();
  let closed = false;
  const check = (orgId: string) => {
    timers.delete(orgId);
    const p = pending.get(orgId);
    if (!p || closed) return;
    const d = rescoreDecision({ ...p, lastRun: lastRun.get(orgId) }, Date.now(), opts.quietMs, opts.maxWaitMs, opts.minIntervalMs);
    if (!d.run) return void timers.set(orgId, setTimeout(() => check(orgId), d.waitMs).unref());
    pending.delete(orgId);
    lastRun.set(orgId, Date.now());
    // Queued behind any recompute this rescorer started; writes during the run start the next round.
    busy = busy.then(() => (closed ? undefined : run(orgId))).catch((e) => opts.onError(e, orgId));
  };
  return {
    touched(orgId: string) {
      if (closed) return;
      const now = Date.now();
      const p = pending.get(orgId);
      pending.set(orgId, p ? { first: p.first, last: now } : { first: now, last: now });
      if (!timers.has(orgId)) timers.set(orgId, setTimeout(() => check(orgId), opts.quietMs).unref());
    },
    /** Resolves when every rescore started so far has ended (tests, shutdown). */
    idle: () => busy,
    close() {
      closed = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      pending.clear();
      return busy;
    },
  };
}
