/**
 * The one way the web app talks to the API: JSON in and out, the session cookie (same origin), and
 * the CSRF token from the last `Me` on every unsafe request. Every failure becomes an ApiError with
 * the server's stable code, so pages decide what to say by code, never by status or message text.
 */
import type { z } from 'zod';
import { Me } from '../../contracts/auth.js';
import { ErrorBody, type ErrorCode } from '../../contracts/errors.js';

/** Codes the client adds for failures that never reached, or never came back from, the API. */
export type ClientErrorCode = ErrorCode | 'NetworkError' | 'UnexpectedResponse';

export interface Issue {
  in: string;
  /** Dotted path into the request part, e.g. `positions.0.title`; empty for the whole body. */
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly status: number,
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field-level problems of a ValidationFailed answer, in the server's `details.issues` shape. */
  get issues(): Issue[] {
    const d = this.details;
    if (!d || typeof d !== 'object' || !('issues' in d) || !Array.isArray(d.issues)) return [];
    return d.issues.filter(isIssue);
  }

  /** When a rate-limited caller may try again, if the server said. */
  get retryAt(): Date | undefined {
    const d = this.details;
    if (!d || typeof d !== 'object' || !('retryAt' in d) || typeof d.retryAt !== 'string') return undefined;
    const at = new Date(d.retryAt);
    return Number.isNaN(at.getTime()) ? undefined : at;
  }
}

function isIssue(v: unknown): v is Issue {
  return (
    typeof v === 'object' &&
    v !== null &&
    'path' in v &&
    typeof v.path === 'string' &&
    'message' in v &&
    typeof v.message === 'string' &&
    'in' in v &&
    typeof v.in === 'string'
  );
}

let csrfToken: string | null = null;
let onSessionLost: (() => void) | undefined;

/** Remember the CSRF token of the current session (from login or GET /api/me); null after logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when an authenticated request finds the session gone (expired, logged out elsewhere). */
export function setSessionLostHandler(handler: (() => void) | undefined): void {
  onSessionLost = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Do not report a 401 as a lost session (login, the initial /me probe). */
  anonymousOk?: boolean;
}

/** A request whose answer is JSON, parsed with its contract schema. */
export async function requestJson<S extends z.ZodType>(method: Method, path: string, schema: S, opts: RequestOptions = {}): Promise<z.output<S>> {
  const response = await sendChecked(method, path, opts);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new ApiError('UnexpectedResponse', 'The server answered with something that is not JSON.', response.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError('UnexpectedResponse', 'The server answered in an unexpected shape.', response.status, parsed.error.issues);
  return parsed.data;
}

/** A request answered with no body (202/204). */
export async function requestVoid(method: Method, path: string, opts: RequestOptions = {}): Promise<void> {
  await sendChecked(method, path, opts);
}

async function sendChecked(method: Method, path: string, opts: RequestOptions): Promise<Response> {
  let response = await send(method, path, opts);
  if (response.status === 403 && method !== 'GET') {
    const error = await toApiError(response);
    // A stale token (the session was renewed in another tab): refresh it once from /me and retry.
    if (error.code !== 'CsrfRejected' || !(await refreshCsrf())) throw error;
    response = await send(method, path, opts);
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (error.code === 'Unauthenticated' && !opts.anonymousOk) onSessionLost?.();
    throw error;
  }
  return response;
}

async function send(method: Method, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(withQuery(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError('NetworkError', 'The server could not be reached.', 0);
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  const parsed = ErrorBody.safeParse(json);
  if (!parsed.success) return new ApiError('UnexpectedResponse', `The server answered ${response.status}.`, response.status);
  const { code, message, details } = parsed.data.error;
  return new ApiError(code, message, response.status, details);
}

async function refreshCsrf(): Promise<boolean> {
  const response = await send('GET', '/api/me', {});
  if (!response.ok) return false;
  const me = Me.safeParse(await response.json().catch(() => undefined));
  if (!me.success || !me.data.csrfToken) return false;
  csrfToken = me.data.csrfToken;
  return true;
}

function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
