/** Account settings over HTTP: password, email change by link, sessions (docs/security.md, "Account settings"). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, PASSWORD, signupAndLogin, uniqueEmail, type Session, type TestApp } from './_util.js';

describe.each(dialects)('account settings [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { LOGIN_FAILURES_PER_ACCOUNT: '3' });
  });
  afterAll(() => t.close());

  const call = (s: Session, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: s.headers, ...(payload !== undefined && { payload }) });
  const login = async (email: string, password = PASSWORD, userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0') => {
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'user-agent': userAgent }, payload: { email, password } });
    const cookie = r.cookies.find((c) => c.name === 'rapport_session');
    return { status: r.statusCode, headers: cookie ? { cookie: `rapport_session=${cookie.value}`, 'x-csrf-token': r.json<{ csrfToken: string }>().csrfToken } : {} };
  };
  const mailsTo = (address: string) =>
    t.ctx.database.db.selectFrom('emails').select(['subject', 'text_body']).where('to_address', '=', address).orderBy('created_at').orderBy('id').execute();
  const linkIn = (text: string) => decodeURIComponent(/token=([^\s]+)/.exec(text)?.[1] ?? '');

  it('changes the password only with the current one, signs out every other session and keeps this one', async () => {
    const s = await signupAndLogin(t.app, 'Grace Hopper');
    const other = await login(s.email);
    const wrong = await call(s, 'POST', '/api/account/password', { currentPassword: 'not my password', newPassword: 'a new long password' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('WrongPassword');
    const ok = await call(s, 'POST', '/api/account/password', { currentPassword: PASSWORD, newPassword: 'a new long password' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ signedOut: 1 });
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: other.headers })).statusCode).toBe(401);
    expect((await call(s, 'GET', '/api/me')).statusCode).toBe(200);
    expect((await login(s.email)).status).toBe(401);
    expect((await login(s.email, 'a new long password')).status).toBe(200);
    expect((await mailsTo(s.email)).map((m) => m.subject)).toContain('Your Rapport password was changed');
  });

  it('limits wrong current-password answers per member, then refuses even the right one', async () => {
    const s = await signupAndLogin(t.app);
    for (let i = 0; i < 3; i++) {
      expect((await call(s, 'POST', '/api/account/password', { currentPassword: 'wrong', newPassword: 'a new long password' })).json().error.code).toBe('WrongPassword');
    }
    const capped = await call(s, 'POST', '/api/account/password', { currentPassword: PASSWORD, newPassword: 'a new long password' });
    expect(capped.statusCode).toBe(429);
    expect(capped.json().error.code).toBe('RateLimited');
  });

  it('refuses password, email and deletion changes from an API token', async () => {
    const s = await signupAndLogin(t.app);
    const secret = (await call(s, 'POST', '/api/tokens', { name: 'script' })).json().secret as string;
    const bearer = { authorization: `Bearer ${secret}` };
    for (const [url, payload] of [
      ['/api/account/password', { currentPassword: PASSWORD, newPassword: 'a new long password' }],
      ['/api/account/email', { newEmail: uniqueEmail('new'), password: PASSWORD }],
      ['/api/account/delete', { password: PASSWORD }],
    ] as const) {
      const r = await t.app.inject({ method: 'POST', url, headers: bearer, payload });
      expect(r.statusCode, url).toBe(403);
      expect(r.json().error.code).toBe('Forbidden');
    }
    expect((await call(s, 'GET', '/api/me')).statusCode).toBe(200);
  });

  it('changes the email only when the link sent to the new address is used, once; the old address works until then and is told', async () => {
    const s = await signupAndLogin(t.app, 'Katherine Johnson');
    const newEmail = uniqueEmail('new');
    const asked = await call(s, 'POST', '/api/account/email', { newEmail, password: PASSWORD });
    expect(asked.statusCode, asked.body).toBe(202);
    expect(asked.json()).toMatchObject({ email: s.email, pendingEmail: { email: newEmail } });
    // Until the link is used, the old address signs in and the new one does not.
    expect((await login(s.email)).status).toBe(200);
    expect((await login(newEmail)).status).toBe(401);
    const [verification] = await mailsTo(newEmail);
    expect(verification?.subject).toBe('Confirm your new Rapport email address');
    const token = linkIn(verification?.text_body ?? '');
    const stored = await t.ctx.database.db.selectFrom('email_changes').select('token_hash').execute();
    expect(stored.some((r) => r.token_hash === token)).toBe(false);
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);

    const confirm = () => t.app.inject({ method: 'POST', url: '/api/account/email/confirm', payload: { token } });
    const done = await confirm();
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ email: newEmail });
    const again = await confirm();
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('InvalidToken');
    expect((await call(s, 'GET', '/api/me')).json().email).toBe(newEmail);
    expect((await login(newEmail)).status).toBe(200);
    expect((await login(s.email)).status).toBe(401);
    const notice = (await mailsTo(s.email)).find((m) => m.subject === 'Your Rapport email address was changed');
    expect(notice?.text_body).toContain(newEmail);
  });

  it('expires an email-change link after 24 hours, and a newer request voids the older link', async () => {
    const s = await signupAndLogin(t.app);
    const first = uniqueEmail('first');
    const second = uniqueEmail('second');
    await call(s, 'POST', '/api/account/email', { newEmail: first, password: PASSWORD });
    await call(s, 'POST', '/api/account/email', { newEmail: second, password: PASSWORD });
    const firstToken = linkIn((await mailsTo(first))[0]?.text_body ?? '');
    const secondToken = linkIn((await mailsTo(second))[0]?.text_body ?? '');
    const voided = await t.app.inject({ method: 'POST', url: '/api/account/email/confirm', payload: { token: firstToken } });
    expect(voided.json().error.code).toBe('InvalidToken');
    t.clock.advance(24 * 3600_000 + 1);
    const expired = await t.app.inject({ method: 'POST', url: '/api/account/email/confirm', payload: { token: secondToken } });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.code).toBe('TokenExpired');
    expect((await call(s, 'GET', '/api/account')).json()).toMatchObject({ email: s.email, pendingEmail: null });
  });

  it('refuses an email another account uses, and the same email', async () => {
    const s = await signupAndLogin(t.app);
    const other = await signupAndLogin(t.app);
    const taken = await call(s, 'POST', '/api/account/email', { newEmail: other.email, password: PASSWORD });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('EmailTaken');
    const same = await call(s, 'POST', '/api/account/email', { newEmail: s.email, password: PASSWORD });
    expect(same.json().error.code).toBe('EmailUnchanged');
  });

  it('refuses to confirm a link when another account took the address meanwhile', async () => {
    const s = await signupAndLogin(t.app);
    const wanted = uniqueEmail('wanted');
    await call(s, 'POST', '/api/account/email', { newEmail: wanted, password: PASSWORD });
    const token = linkIn((await mailsTo(wanted))[0]?.text_body ?? '');
    await signupAndLogin(t.app, 'Quicker', wanted);
    const r = await t.app.inject({ method: 'POST', url: '/api/account/email/confirm', payload: { token } });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('EmailTaken');
    expect((await call(s, 'GET', '/api/me')).json().email).toBe(s.email);
  });

  it('lists my sessions with the current one marked, its device and IP, and signs one or all others out', async () => {
    const s = await signupAndLogin(t.app);
    const phone = await login(s.email, PASSWORD, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1');
    const list = await call(s, 'GET', '/api/account/sessions');
    expect(list.statusCode).toBe(200);
    const items = list.json().items as Array<{ id: string; current: boolean; userAgent: string; ip: string; createdAt: string; lastSeenAt: string | null }>;
    expect(items).toHaveLength(2);
    expect(items.filter((i) => i.current)).toHaveLength(1);
    const phoneSession = items.find((i) => i.userAgent.includes('iPhone'));
    expect(phoneSession).toMatchObject({ current: false, ip: '127.0.0.1' });
    expect(phoneSession?.lastSeenAt).toBe(phoneSession?.createdAt);
    // Someone else's session is not found.
    const stranger = await signupAndLogin(t.app);
    const foreign = await call(stranger, 'DELETE', `/api/account/sessions/${phoneSession?.id}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('SessionNotFound');
    expect((await call(s, 'DELETE', `/api/account/sessions/${phoneSession?.id}`)).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: phone.headers })).statusCode).toBe(401);
    await login(s.email);
    await login(s.email);
    expect((await call(s, 'POST', '/api/account/sessions/revoke-others')).json()).toEqual({ revoked: 2 });
    expect((await call(s, 'GET', '/api/account/sessions')).json().items).toHaveLength(1);
  });

  it('records when a session was last seen, at most once a minute', async () => {
    const s = await signupAndLogin(t.app);
    const seen = async () => ((await call(s, 'GET', '/api/account/sessions')).json().items[0] as { lastSeenAt: string }).lastSeenAt;
    const first = await seen();
    t.clock.advance(30_000);
    expect(await seen()).toBe(first);
    t.clock.advance(31_000);
    expect(await seen()).toBe(t.clock.now().toISOString());
  });
});
