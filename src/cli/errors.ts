import { AppError } from '../kernel/errors.ts';
import { DataFolderBusyError } from '../kernel/db/data-lock.ts';

/**
 * What a failed CLI command prints: the reason, never the statement. Drizzle wraps a database
 * error as "Failed query: <SQL> params: <values>", and those values can be password hashes or
 * token digests (`accord demo` into a database that has the demo users printed them): only the
 * database's own message and SQLSTATE are shown, without its detail (which quotes key values).
 */
export function describeCliError(e: unknown): string[] {
  if (e instanceof AppError) return [e.message, ...(e.fields ?? []).map((f) => `  ${f.path}: ${f.message}`)];
  if (e instanceof DataFolderBusyError) return [e.message];
  const db = databaseCause(e);
  if (db) {
    const what = db.code === '23505' ? 'A record with the same unique value already exists' : db.message;
    return [`Database error${db.code ? ` ${db.code}` : ''}: ${what}${db.constraint ? ` (constraint ${db.constraint})` : ''}`];
  }
  const message = e instanceof Error ? e.message : String(e);
  return [isStatementEcho(message) ? 'A database statement failed' : message];
}

const isStatementEcho = (m: string) => /^Failed query:|\bparams:/s.test(m);

/** The innermost error that carries a SQLSTATE, following `cause` (how Drizzle wraps them). */
function databaseCause(e: unknown): { code?: string; message: string; constraint?: string } | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    const c = cur as { code?: unknown; message?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof c.code === 'string' && /^[0-9A-Z]{5}$/.test(c.code) && typeof c.message === 'string' && !isStatementEcho(c.message)) {
      return { code: c.code, message: c.message, ...(typeof c.constraint === 'string' ? { constraint: c.constraint } : {}) };
    }
    cur = c.cause;
  }
  return undefined;
}
