import type { FastifyRequest } from 'fastify';
import { ErrorBody } from '../../contracts/errors.js';
import { AppError } from '../errors.js';
import type { Principal } from '../modules/auth/index.js';

/** `optional`: anyone may call; a session or token, when sent, is identified (and checked) as for `member`. */
export type AuthLevel = 'public' | 'optional' | 'member' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every API route declares who may call it; the API plugin refuses to register one that does not. */
    auth?: AuthLevel;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

/** Error responses every API route can give, plus the ones it names. */
export function errors(...statuses: number[]): Record<number, typeof ErrorBody> {
  const all = new Set([400, 413, 415, 429, 500, ...statuses]);
  return Object.fromEntries([...all].map((s) => [s, ErrorBody]));
}

/** OpenAPI security for a route's auth level. */
export function security(level: AuthLevel): Array<Record<string, string[]>> {
  return level === 'public' || level === 'optional' ? [] : [{ session: [], csrf: [] }, { bearer: [] }];
}

/** The caller of a member or admin route (the auth hook has already refused anonymous calls). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('Unauthenticated', 'Log in or send an API token.');
  return req.principal;
}
