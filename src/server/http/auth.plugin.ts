/**
 * Authentication and CSRF, per route, from the route's declared `config.auth`.
 *
 * - `Authorization: Bearer <api token>`: scripts; no CSRF check (a browser never adds it by itself).
 * - `rapport_session` cookie (HttpOnly, SameSite=Lax): the web app. Unsafe methods must also carry
 *   `x-csrf-token` equal to the session's token, which only our own pages can read (from /api/me).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import { ipLimit, principalLimit, type ApiLimits } from './rate-limit.js';
import { AuthService, type Principal } from '../modules/auth/index.js';

export const SESSION_COOKIE = 'rapport_session';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authPlugin(app: FastifyInstance, auth: AuthService, limits: ApiLimits, clock: Clock): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRoute', (route) => {
    if (route.config?.auth === undefined) throw new Error(`${route.method} ${route.url} does not declare config.auth`);
  });

  // One hook, in this order: the IP's bucket (before authentication, so guessing tokens is
  // throttled too), who is calling, then the account's bucket.
  const perIp = ipLimit(app, limits, clock);
  const perAccount = principalLimit(app, limits, clock);
  app.addHook('onRequest', async (req, reply) => {
    await perIp(req, reply);
    const level = req.routeOptions.config.auth;
    if (level === 'public') return;
    req.principal = await identify(req, auth);
    if (!req.principal) {
      if (level === 'optional') return;
      throw new AppError('Unauthenticated', 'Log in or send an API token.');
    }
    if (level === 'admin' && req.principal.role !== 'admin') {
      throw new AppError('Forbidden', 'This needs an administrator.');
    }
    await perAccount(req, reply);
  });
}

async function identify(req: FastifyRequest, auth: AuthService): Promise<Principal | undefined> {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match?.[1] ? await auth.fromApiToken(match[1]) : undefined;
    if (!principal) throw new AppError('Unauthenticated', 'This API token is not valid or was revoked.');
    return principal;
  }
  const token = req.cookies[SESSION_COOKIE];
  if (!token) return undefined;
  const principal = await auth.fromSessionToken(token);
  if (principal?.session && !SAFE.has(req.method)) {
    const given = req.headers['x-csrf-token'];
    if (!AuthService.csrfMatches(principal.session.csrfToken, typeof given === 'string' ? given : undefined)) {
      throw new AppError('CsrfRejected', 'This request lacks the x-csrf-token header your session requires.');
    }
  }
  return principal;
}
