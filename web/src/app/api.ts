/**
 * The one HTTP client of the web app. It knows the server's conventions: JSON bodies, the CSRF
 * header on every mutating request, If-Match for optimistic concurrency, the error envelope
 * {error:{code,message,fields?,current?}} and 401 meaning "log in again".
 */
import { buildQuery, type QueryParams } from './query.ts';

/** A server field error: translate by `code` (with `params`); `message` is the English fallback. */
export type FieldError = { path: string; message: string; code?: string; params?: Record<string, unknown> };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  /** For 409 conflicts: the record as it is now on the server. */
  readonly current: unknown;
  constructor(status: number, code: string, message: string, fields: FieldError[] = [], current?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.current = current;
  }
  get isConflict() {
    return this.status === 409 || this.code === 'conflict';
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}
function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  const hit = document.cookie.split(';').map((c) => c.trim()).find((c) => c.startsWith(`${name}=`));
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : null;
}

/** Fired when the server says the session is gone; the auth provider sends the user to /login. */
export const UNAUTHORIZED_EVENT = 'accord:unauthorized';

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: QueryParams;
  /** Record version for optimistic concurrency; sent as If-Match: "<version>". */
  ifMatch?: number | string;
  signal?: AbortSignal;
  /** Suppress the global 401 redirect (login and /me probing). */
  noAuthRedirect?: boolean;
};

export async function api<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET') {
    const token = csrfToken ?? readCookie('accord_csrf');
    if (token) headers['x-csrf-token'] = token;
  }
  if (opts.ifMatch !== undefined) headers['if-match'] = `"${opts.ifMatch}"`;
  const qs = opts.query ? buildQuery(opts.query) : '';
  const url = `/api/v1${path}${qs ? (path.includes('?') ? '&' : '?') + qs : ''}`;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', (e as Error).message);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; fields?: FieldError[]; current?: unknown } })?.error;
    if (res.status === 401 && !opts.noAuthRedirect && typeof window !== 'undefined') {
      window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    }
    throw new ApiError(
      res.status,
      err?.code ?? (res.status === 409 ? 'conflict' : `http_${res.status}`),
      err?.message ?? res.statusText,
      err?.fields ?? [],
      err?.current,
    );
  }
  return json as T;
}

export type Page<T> = { data: T[]; nextCursor: string | null; total?: number };
