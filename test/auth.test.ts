import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, PASSWORD, signupAndLogin, uniqueEmail, type TestApp } from './_util.js';

describe.each(dialects)('accounts [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { LOGIN_FAILURES_PER_ACCOUNT: '3' });
  });
  afterAll(() => t.close());

  it('signs up, logs in and answers /api/me with the session cookie', async () => {
    const s = await signupAndLogin(t.app, 'Ada Lovelace');
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: s.headers.cookie ?? '' } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: s.id, email: s.email, fullName: 'Ada Lovelace', role: 'member' });
    expect(me.json().csrfToken).toBe(s.headers['x-csrf-token']);
  });

  it('answers who is signed in with 200 whether or not anyone is, and still refuses a bad API token', async () => {
    const nobody = await t.app.inject({ method: 'GET', url: '/api/auth/session' });
    expect(nobody.statusCode).toBe(200);
    expect(nobody.json()).toEqual({ member: null });
    const s = await signupAndLogin(t.app, 'Grace Hopper');
    const member = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: s.headers.cookie ?? '' } });
    expect(member.json()).toEqual({ member: { id: s.id, email: s.email, fullName: 'Grace Hopper', role: 'member', csrfToken: s.headers['x-csrf-token'] } });
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(204);
    const ended = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: s.headers.cookie ?? '' } });
    expect(ended.json()).toEqual({ member: null });
    const badToken = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { authorization: 'Bearer not-a-token' } });
    expect(badToken.statusCode).toBe(401);
  });

  it('sets the session cookie HttpOnly and SameSite, and stores only its hash', async () => {
    const email = uniqueEmail();
    await t.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email, password: PASSWORD, fullName: 'Cookie Check' } });
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } });
    const cookie = login.cookies.find((c) => c.name === 'rapport_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    const stored = await t.ctx.database.db.selectFrom('sessions').select('token_hash').execute();
    expect(stored.some((r) => r.token_hash === cookie?.value)).toBe(false);
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('answers signup the same for a new and an existing email', async () => {
    const email = uniqueEmail();
    const first = await t.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email, password: PASSWORD, fullName: 'One' } });
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email, password: 'another password', fullName: 'Two' } });
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.body).toBe(first.body);
    const emails = await t.ctx.database.db.selectFrom('emails').select('subject').where('to_address', '=', email).execute();
    expect(emails.map((e) => e.subject)).toEqual(['Welcome to Rapport', 'Someone tried to sign up with your email']);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const s = await signupAndLogin(t.app);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: s.email, password: 'not the password' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: uniqueEmail('nobody'), password: 'not the password' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('answers password reset the same for a known and an unknown email, and the link works once', async () => {
    const s = await signupAndLogin(t.app);
    const known = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: s.email } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: uniqueEmail('nobody') } });
    expect(known.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    const mail = await t.ctx.database.db.selectFrom('emails').select('text_body').where('to_address', '=', s.email).where('subject', 'like', 'Reset%').executeTakeFirstOrThrow();
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail.text_body)?.[1] ?? '');
    const confirm = () => t.app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: { token, password: 'a brand new password' } });
    expect((await confirm()).statusCode).toBe(204);
    const reused = await confirm();
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.code).toBe('InvalidToken');
    const oldSession = await t.app.inject({ method: 'GET', url: '/api/me', headers: s.headers });
    expect(oldSession.statusCode).toBe(401);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: s.email, password: 'a brand new password' } });
    expect(login.statusCode).toBe(200);
  });

  it('rejects a cookie-authenticated unsafe request without the CSRF token', async () => {
    const s = await signupAndLogin(t.app);
    const cookieOnly = { cookie: s.headers.cookie ?? '' };
    const without = await t.app.inject({ method: 'PATCH', url: '/api/me/profile', headers: cookieOnly, payload: { headline: 'x' } });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('CsrfRejected');
    const forged = await t.app.inject({ method: 'PATCH', url: '/api/me/profile', headers: { ...cookieOnly, 'x-csrf-token': 'guess' }, payload: { headline: 'x' } });
    expect(forged.json().error.code).toBe('CsrfRejected');
    const ok = await t.app.inject({ method: 'PATCH', url: '/api/me/profile', headers: s.headers, payload: { headline: 'x' } });
    expect(ok.statusCode).toBe(200);
  });

  it('creates, lists, uses and revokes an API token; a revoked token is refused', async () => {
    const s = await signupAndLogin(t.app);
    const created = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: s.headers, payload: { name: 'CRM sync' } });
    expect(created.statusCode).toBe(201);
    const { token, secret } = created.json<{ token: { id: string; prefix: string }; secret: string }>();
    expect(secret.startsWith(token.prefix)).toBe(true);
    const bearer = { authorization: `Bearer ${secret}` };
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer });
    expect(me.json()).toMatchObject({ id: s.id, csrfToken: null });
    // Bearer requests need no CSRF token: a browser never attaches one by itself.
    const patch = await t.app.inject({ method: 'PATCH', url: '/api/me/profile', headers: bearer, payload: { location: 'Lisbon, Portugal' } });
    expect(patch.statusCode).toBe(200);
    const list = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: bearer });
    expect(list.json().items).toEqual([expect.objectContaining({ id: token.id, name: 'CRM sync' })]);
    const stored = await t.ctx.database.db.selectFrom('api_tokens').select('token_hash').where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(secret);
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/tokens/${token.id}`, headers: s.headers });
    expect(revoke.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('Unauthenticated');
    const again = await t.app.inject({ method: 'DELETE', url: `/api/tokens/${token.id}`, headers: s.headers });
    expect(again.json().error.code).toBe('TokenNotFound');
  });

  it('limits failed logins per account: 429 with Retry-After, even for the right password', async () => {
    const s = await signupAndLogin(t.app);
    for (let i = 0; i < 3; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: s.email, password: `wrong ${i}` } });
      expect(r.statusCode).toBe(401);
    }
    const locked = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: s.email, password: PASSWORD } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('RateLimited');
    expect(Number(locked.headers['retry-after'])).toBe(15 * 60);
    t.clock.advance(15 * 60 * 1000 + 1);
    const later = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: s.email, password: PASSWORD } });
    expect(later.statusCode).toBe(200);
  });

  it('logs out: the session no longer authenticates', async () => {
    const s = await signupAndLogin(t.app);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(204);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: s.headers });
    expect(me.statusCode).toBe(401);
  });

  it('rate-limits signups per IP with the error shape and Retry-After', async () => {
    const limited = await createTestApp(dialect, { RATE_LIMIT_AUTH_PER_IP: '2' });
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 3; i++) {
        last = await limited.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email: uniqueEmail(), password: PASSWORD, fullName: 'Rate' } });
        statuses.push(last.statusCode);
      }
      expect(statuses).toEqual([202, 202, 429]);
      expect(last?.json().error.code).toBe('RateLimited');
      expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
