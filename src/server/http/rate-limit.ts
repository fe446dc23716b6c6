/**
 * API rate limits on top of the product limits: one bucket per IP (checked before authentication,
 * so guessing tokens is throttled too) and one per account, which every session and API token of
 * the account shares (a bucket per token with the same limit could never refuse first). Built on
 * @fastify/rate-limit's limiters (its store and windows); every answer carries RateLimit headers
 * for the tightest bucket, and a refusal is 429 RateLimited with Retry-After.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;
type Result = Extract<Awaited<ReturnType<Limiter>>, { isAllowed: false }>;

export interface ApiLimits {
  perIpPerMinute: number;
  perAccountPerMinute: number;
}

export function ipLimit(app: FastifyInstance, limits: ApiLimits, clock: Clock) {
  const limiter = create(app, limits.perIpPerMinute, (req) => `ip:${req.ip}`);
  return async (req: FastifyRequest, reply: FastifyReply) => enforce([await limiter(req)], reply, clock);
}

export function principalLimit(app: FastifyInstance, limits: ApiLimits, clock: Clock) {
  const account = create(app, limits.perAccountPerMinute, (req) => `member:${req.principal?.memberId ?? ''}`);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.principal) enforce([await account(req)], reply, clock);
  };
}

function create(app: FastifyInstance, max: number, key: (req: FastifyRequest) => string): Limiter {
  return app.createRateLimit({ max, timeWindow: 60_000, keyGenerator: key });
}

function enforce(all: Array<Awaited<ReturnType<Limiter>>>, reply: FastifyReply, clock: Clock): void {
  const results = all.filter((r): r is Result => !r.isAllowed);
  if (results.length === 0) return;
  const tightest = results.reduce((a, b) => (b.isExceeded || b.remaining < a.remaining ? b : a));
  const current = Number(reply.getHeader('ratelimit-remaining') ?? Infinity);
  if (tightest.remaining <= current) {
    reply.header('ratelimit-limit', tightest.max);
    reply.header('ratelimit-remaining', Math.max(0, tightest.remaining));
    reply.header('ratelimit-reset', tightest.ttlInSeconds);
  }
  if (tightest.isExceeded) {
    reply.header('retry-after', tightest.ttlInSeconds);
    throw new AppError('RateLimited', 'Too many requests. Slow down and try again shortly.', {
      retryAt: new Date(clock.now().getTime() + tightest.ttl).toISOString(),
    });
  }
}
