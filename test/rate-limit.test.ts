/** API rate limits per IP and per account, on top of the product limits. */
import { describe, expect, it } from 'vitest';
import { makeMember } from './_factories.js';
import { createTestApp, dialects } from './_util.js';

describe.each(dialects)('API rate limits [%s]', (dialect) => {
  it('limits each account per minute, its tokens together, with 429, Retry-After and RateLimit headers', async () => {
    const t = await createTestApp(dialect, { RATE_LIMIT_API_PER_MINUTE: '3' });
    try {
      const a = await makeMember(t.ctx, 'Busy Script');
      const b = await makeMember(t.ctx, 'Quiet Member');
      const me = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/me', headers });
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const r = await me(a.headers);
        statuses.push(r.statusCode);
        expect(r.headers['ratelimit-limit']).toBe('3');
        expect(r.headers['ratelimit-remaining']).toBe(String(2 - i));
      }
      const over = await me(a.headers);
      expect([...statuses, over.statusCode]).toEqual([200, 200, 200, 429]);
      expect(over.json().error.code).toBe('RateLimited');
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
      // A second token of the same account shares the account's bucket; another member does not.
      const { secret } = await t.ctx.auth.createToken(a.id, 'second');
      expect((await me({ authorization: `Bearer ${secret}` })).statusCode).toBe(429);
      expect((await me(b.headers)).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('limits each IP before authentication, so guessing tokens is throttled too', async () => {
    const t = await createTestApp(dialect, { RATE_LIMIT_API_PER_IP_PER_MINUTE: '4' });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        const r = await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer rpt_guess${i}` } });
        statuses.push(r.statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
      const other = await t.app.inject({ method: 'GET', url: '/api/health', remoteAddress: '10.0.0.9' });
      expect(other.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
