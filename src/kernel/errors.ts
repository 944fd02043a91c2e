/** Errors that carry their HTTP meaning; anything else becomes a bare 500 without internals. */
export type FieldError = { path: string; message: string };

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

export const badRequest = (message: string, fields?: FieldError[]) => new AppError(400, 'validation_error', message, fields);
export const fieldError = (path: string, message: string) => badRequest(`${path}: ${message}`, [{ path, message }]);
export const notFound = (what = 'Record') => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this') => new AppError(403, 'forbidden', message);
export const unauthorized = (message = 'Sign in first') => new AppError(401, 'unauthorized', message);
export const conflict = (message: string, current?: unknown) =>
  new AppError(409, 'conflict', message, undefined, current === undefined ? undefined : { current });
export const preconditionRequired = () =>
  new AppError(428, 'version_required', 'Send the version you edited (If-Match header or "version" field) so no change is overwritten silently', [
    { path: 'version', message: 'Required' },
  ]);

/** Collects field errors so a request reports every problem at once. */
export class FieldErrors {
  readonly list: FieldError[] = [];
  add(path: string, message: string) {
    this.list.push({ path, message });
  }
  throwIfAny(message = 'Some fields are invalid') {
    if (this.list.length) throw badRequest(message, this.list);
  }
}
