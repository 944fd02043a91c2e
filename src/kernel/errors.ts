/** Errors that carry their HTTP meaning; anything else becomes a bare 500 without internals. */

/**
 * Stable field-error codes: clients translate by `code` (with `params`) and fall back to the English
 * `message`. Zod's own issue codes pass through; the rest name the server's checks.
 */
export type FieldErrorCode =
  | 'required'
  | 'invalid_type'
  | 'too_small'
  | 'too_big'
  | 'invalid_format'
  | 'invalid_value'
  | 'unknown_field'
  | 'not_found'
  | 'deactivated'
  | 'unknown_term'
  | 'already_exists'
  | 'out_of_range'
  | 'mismatch'
  | 'wrong_password'
  | 'invalid';

export type FieldError = { path: string; message: string; code?: FieldErrorCode | (string & {}); params?: Record<string, unknown> };

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** A field error as sent: every one has a code (when the check did not name one: `required` for a bare "Required", else `invalid`). */
export const withCode = (f: FieldError): FieldError & { code: string } => ({ ...f, code: f.code ?? (f.message === 'Required' ? 'required' : 'invalid') });

export const badRequest = (message: string, fields?: FieldError[]) => new AppError(400, 'validation_error', message, fields);
export const fieldError = (path: string, message: string, code?: FieldErrorCode, params?: Record<string, unknown>) =>
  badRequest(`${path}: ${message}`, [{ path, message, ...(code ? { code } : {}), ...(params ? { params } : {}) }]);
export const notFound = (what = 'Record') => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this') => new AppError(403, 'forbidden', message);
export const unauthorized = (message = 'Sign in first') => new AppError(401, 'unauthorized', message);
export const conflict = (message: string, current?: unknown) =>
  new AppError(409, 'conflict', message, undefined, current === undefined ? undefined : { current });
export const preconditionRequired = () =>
  new AppError(428, 'version_required', 'Send the version you edited (If-Match header or "version" field) so no change is overwritten silently', [
    { path: 'version', message: 'Required', code: 'required' },
  ]);

/** Collects field errors so a request reports every problem at once. */
export class FieldErrors {
  readonly list: FieldError[] = [];
  add(path: string, message: string, code?: FieldErrorCode, params?: Record<string, unknown>) {
    this.list.push({ path, message, ...(code ? { code } : {}), ...(params ? { params } : {}) });
  }
  throwIfAny(message = 'Some fields are invalid') {
    if (this.list.length) throw badRequest(message, this.list);
  }
}
