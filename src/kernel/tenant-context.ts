import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

/**
 * Who a database call is made for, carried along the async chain of an HTTP request or a job.
 * The embedded pool (one PGlite connection) reads it to queue calls per organization and to bound
 * how long an interactive read may hold the connection; PostgreSQL ignores it.
 */
export interface DbCallContext {
  /** The organization, once known (read lazily: the auth hook sets the actor after this context starts). */
  orgId(): string | undefined;
  /**
   * `read`: an interactive GET (a list, a search, a report a user waits for) — time-boxed by the
   * read timeout. `write`: other requests. `job`: imports, recomputes, backups — queued behind
   * interactive calls and given the long job timeout.
   */
  kind: 'read' | 'write' | 'job';
  /** Overrides the pool's timeout for each call made in this context (ms). */
  timeoutMs?: number;
}

const storage = new AsyncLocalStorage<DbCallContext>();

export const currentDbContext = (): DbCallContext | undefined => storage.getStore();

/** Runs `f` as background work of `orgId` (imports, recomputes): behind interactive calls, with the job timeout. */
export function runAsJob<T>(orgId: string | undefined, f: () => Promise<T>, timeoutMs?: number): Promise<T> {
  return storage.run({ orgId: () => orgId, kind: 'job', ...(timeoutMs ? { timeoutMs } : {}) }, f);
}

/** Runs `f` in an explicit context (tests, benchmarks). */
export function runInDbContext<T>(ctx: DbCallContext, f: () => T): T {
  return storage.run(ctx, f);
}

const READS = new Set(['GET', 'HEAD']);

const finishedListeners = new Set<(ctx: DbCallContext) => void>();

/** Called with a request's context once its answer is being sent: it will make no more interactive calls. */
export function onDbContextFinished(listener: (ctx: DbCallContext) => void): () => void {
  finishedListeners.add(listener);
  return () => finishedListeners.delete(listener);
}

const contextOf = new WeakMap<object, DbCallContext>();
const claimedOrg = new WeakMap<object, string>();

/**
 * The organization a request's credentials name, before they are checked: only which queue its
 * lookups wait in on the embedded database, never what they may read.
 */
export function claimOrganization(req: object, orgId: string): void {
  claimedOrg.set(req, orgId);
}

/**
 * Every request runs inside its own context; the organization is read from `req.actor` when a
 * query is queued, so the auth hook needs no change. A callback hook (not async) is what makes the
 * rest of the request's chain, handler included, run inside `storage.run`.
 */
export function registerTenantContext(app: FastifyInstance): void {
  app.addHook('onRequest', (req, _reply, done) => {
    // Until the actor is known, the organization its credentials name (the auth lookups queue there).
    const ctx: DbCallContext = { orgId: () => req.actor?.orgId ?? claimedOrg.get(req), kind: READS.has(req.method) ? 'read' : 'write' };
    contextOf.set(req, ctx);
    storage.run(ctx, done);
  });
  app.addHook('onSend', (req, _reply, payload, done) => {
    const ctx = contextOf.get(req);
    if (ctx) for (const f of finishedListeners) f(ctx);
    done(null, payload);
  });
}
