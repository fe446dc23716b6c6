/**
 * The cached read path (principals, profiles, mutual names) never outlives the change that ends or
 * alters what it holds: a revoked token, a logged-out session, a password reset, an expired session,
 * a profile edit, a block. In one process on every dialect, and across two `rapport serve`
 * processes on PostgreSQL (the change feed's LISTEN/NOTIFY).
 */
import { serializerCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemberProfile } from '../src/contracts/profiles.js';
import { DAY_MS } from '../src/server/clock.js';
import type { AppContext } from '../src/server/context.js';
import { profileResponse, profileSerializerCompiler } from '../src/server/modules/members/member.views.js';
import { makeMember } from './_factories.js';
import { twoServersOnPostgres, type ServerProcess, type TwoServers } from './_processes.js';
import { createTestApp, dialects, PASSWORD, PG_URL, signupAndLogin, uniqueEmail, type Session, type TestApp } from './_util.js';

const resetTokenFor = async (ctx: AppContext, email: string) => {
  const mail = await ctx.database.db.selectFrom('emails').select('text_body').where('to_address', '=', email).where('subject', 'like', 'Reset%').executeTakeFirstOrThrow();
  return decodeURIComponent(/token=([^\s]+)/.exec(mail.text_body)?.[1] ?? '');
};

describe.each(dialects)('the cached read path [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  const call = (s: Session, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: s.headers, ...(payload && { payload }) });
  const me = async (s: Session) => (await call(s, 'GET', '/api/me')).statusCode;

  it('refuses a revoked API token on the very next request', async () => {
    const s = await makeMember(t.ctx, 'Rita Revoked');
    expect(await me(s)).toBe(200);
    expect(await me(s)).toBe(200); // answered from the cache
    const [token] = (await call(s, 'GET', '/api/tokens')).json<{ items: Array<{ id: string }> }>().items;
    expect((await call(s, 'DELETE', `/api/tokens/${token?.id}`)).statusCode).toBe(204);
    expect(await me(s)).toBe(401);
  });

  it('refuses a logged-out session on the very next request', async () => {
    const s = await signupAndLogin(t.app, 'Lou Loggedout');
    expect(await me(s)).toBe(200);
    expect(await me(s)).toBe(200);
    expect((await call(s, 'POST', '/api/auth/logout')).statusCode).toBe(204);
    expect(await me(s)).toBe(401);
  });

  it('refuses every session of a member on the very next request after a password reset', async () => {
    const email = uniqueEmail('reset');
    const first = await signupAndLogin(t.app, 'Pat Reset', email);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } });
    const second: Session = { ...first, headers: { cookie: `rapport_session=${login.cookies.find((c) => c.name === 'rapport_session')?.value}` } };
    expect([await me(first), await me(second)]).toEqual([200, 200]);
    await t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email } });
    const token = await resetTokenFor(t.ctx, email);
    const confirm = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: { token, password: 'a brand new password' } });
    expect(confirm.statusCode).toBe(204);
    expect([await me(first), await me(second)]).toEqual([401, 401]);
  });

  it('refuses a cached session once it expires by the injected clock', async () => {
    const s = await signupAndLogin(t.app, 'Eve Expiring');
    expect(await me(s)).toBe(200);
    t.clock.advance(Number(t.config.SESSION_TTL_DAYS) * DAY_MS - 1000);
    expect(await me(s)).toBe(200);
    t.clock.advance(1000);
    expect(await me(s)).toBe(401);
  });

  it('shows a profile edit, and a mutual connection renaming, on the next read', async () => {
    const [viewer, member, mutual] = [await makeMember(t.ctx, 'Vera Viewer'), await makeMember(t.ctx, 'Max Member'), await makeMember(t.ctx, 'Mo Mutual')];
    for (const [a, b] of [
      [viewer, mutual],
      [member, mutual],
    ] as const) {
      const { result } = await t.ctx.invitations.send(a.id, b.id, undefined);
      if (result.outcome !== 'sent') throw new Error('expected a new invitation');
      await t.ctx.invitations.accept(b.id, result.invitation.id);
    }
    const profile = async () => (await call(viewer, 'GET', `/api/members/${member.id}`)).json<MemberProfile>();
    expect(await profile()).toMatchObject({ headline: '', positions: [], degree: '2nd', mutualCount: 1, mutuals: [{ fullName: 'Mo Mutual' }] });
    const position = { title: 'Engineer', company: 'Acme', startYear: 2020, endYear: null };
    expect((await call(member, 'PATCH', '/api/me/profile', { headline: 'Builds things', positions: [position] })).statusCode).toBe(200);
    expect((await call(mutual, 'PATCH', '/api/me/profile', { fullName: 'Morgan Mutual' })).statusCode).toBe(200);
    expect(await profile()).toMatchObject({ headline: 'Builds things', positions: [position], mutuals: [{ fullName: 'Morgan Mutual' }] });
    expect((await call(mutual, 'GET', '/api/me')).json()).toMatchObject({ fullName: 'Morgan Mutual' });
  });

  it('answers MemberNotFound both ways as soon as one blocks the other, with both profiles cached', async () => {
    const [ann, bob] = [await makeMember(t.ctx, 'Ann Blocker'), await makeMember(t.ctx, 'Bob Blocked')];
    expect((await call(ann, 'GET', `/api/members/${bob.id}`)).statusCode).toBe(200);
    expect((await call(bob, 'GET', `/api/members/${ann.id}`)).statusCode).toBe(200);
    expect((await call(ann, 'POST', '/api/blocks', { memberId: bob.id })).statusCode).toBe(204);
    for (const [viewer, other] of [
      [ann, bob],
      [bob, ann],
    ] as const) {
      const res = await call(viewer, 'GET', `/api/members/${other.id}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('MemberNotFound');
    }
  });

  it('keeps an ignored invitation reading as invitation_sent to its sender', async () => {
    const [sender, recipient] = [await makeMember(t.ctx, 'Sid Sender'), await makeMember(t.ctx, 'Ria Recipient')];
    const { result } = await t.ctx.invitations.send(sender.id, recipient.id, undefined);
    if (result.outcome !== 'sent') throw new Error('expected a new invitation');
    const seen = async () => (await call(sender, 'GET', `/api/members/${recipient.id}`)).json<MemberProfile>().relationship;
    expect(await seen()).toEqual({ status: 'invitation_sent', invitationId: result.invitation.id, connectedAt: null });
    await t.ctx.invitations.ignore(recipient.id, result.invitation.id);
    expect(await seen()).toEqual({ status: 'invitation_sent', invitationId: result.invitation.id, connectedAt: null });
    expect((await call(recipient, 'GET', `/api/members/${sender.id}`)).json<MemberProfile>().relationship.status).toBe('invitation_received');
  });

  it('serializes a profile to the same bytes as the zod serializer, and refuses what zod refuses', async () => {
    const [viewer, member] = [await makeMember(t.ctx, 'Sam Serial'), await makeMember(t.ctx, 'Ola Output')];
    const route = { schema: MemberProfile, method: 'GET', url: '/api/members/:id', httpStatus: '200' };
    const [fast, zod] = [profileSerializerCompiler(route), serializerCompiler(route)];
    const profile = await t.ctx.members.profile(member.id);
    const viewerPart = { relationship: await t.ctx.invitations.relationship(viewer.id, member.id), ...(await t.ctx.members.network(viewer.id, member.id)) };
    const body = profileResponse(profile, viewerPart);
    expect(fast(body)).toBe(zod(body));
    const bad = profileResponse(profile, { ...viewerPart, mutualCount: -1 });
    expect(() => fast(bad)).toThrow();
    const badProfile = profileResponse({ ...profile, id: 'not-an-id' }, viewerPart);
    expect(() => fast(badProfile)).toThrow();
  });
});

describe.runIf(PG_URL)('the cached read path across two processes [postgres]', () => {
  let servers: TwoServers;
  let ctx: AppContext;
  let one: ServerProcess;
  let two: ServerProcess;

  beforeAll(async () => {
    servers = await twoServersOnPostgres({ RATE_LIMIT_AUTH_PER_IP: '100000', WORKER_IN_SERVE: 'false' });
    ({ ctx, one, two } = servers);
  }, 120_000);
  afterAll(() => servers.close());

  const call = async (server: ServerProcess, headers: Record<string, string>, method: string, path: string, body?: object) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...headers, ...(body && { 'content-type': 'application/json' }) },
      ...(body && { body: JSON.stringify(body) }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as Record<string, unknown> };
  };
  const me = async (server: ServerProcess, headers: Record<string, string>) => (await call(server, headers, 'GET', '/api/me')).status;

  async function login(server: ServerProcess, email: string, password = PASSWORD): Promise<Record<string, string>> {
    const res = await call(server, {}, 'POST', '/api/auth/login', { email, password });
    expect(res.status).toBe(200);
    const cookie = /rapport_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
    return { cookie: `rapport_session=${cookie}`, 'x-csrf-token': String(res.body.csrfToken) };
  }

  it('refuses a token revoked, a session logged out and a password reset on one process on the very next request to the other', async () => {
    const s = await makeMember(ctx, 'Tara Token');
    expect([await me(one, s.headers), await me(two, s.headers)]).toEqual([200, 200]);
    const [token] = (await call(two, s.headers, 'GET', '/api/tokens')).body.items as Array<{ id: string }>;
    expect((await call(one, s.headers, 'DELETE', `/api/tokens/${token?.id}`)).status).toBe(204);
    expect(await me(two, s.headers)).toBe(401);

    const email = uniqueEmail('two');
    expect((await call(one, {}, 'POST', '/api/auth/signup', { email, password: PASSWORD, fullName: 'Sol Session' })).status).toBe(202);
    const [a, b] = [await login(one, email), await login(one, email)];
    expect([await me(one, a), await me(two, a), await me(one, b), await me(two, b)]).toEqual([200, 200, 200, 200]);
    expect((await call(one, a, 'POST', '/api/auth/logout')).status).toBe(204);
    expect(await me(two, a)).toBe(401);
    expect(await me(two, b)).toBe(200);

    expect((await call(one, {}, 'POST', '/api/auth/password-reset', { email })).status).toBe(202);
    const reset = await call(one, {}, 'POST', '/api/auth/password-reset/confirm', { token: await resetTokenFor(ctx, email), password: 'a brand new password' });
    expect(reset.status).toBe(204);
    expect(await me(two, b)).toBe(401);
  });

  it('shows a profile edit made on one process on the next read on the other', async () => {
    const [viewer, member] = [await makeMember(ctx, 'Val Viewer'), await makeMember(ctx, 'Mia Member')];
    const read = async (server: ServerProcess) => (await call(server, viewer.headers, 'GET', `/api/members/${member.id}`)).body;
    expect([(await read(one)).headline, (await read(two)).headline]).toEqual(['', '']);
    expect((await call(one, member.headers, 'PATCH', '/api/me/profile', { headline: 'Now at Acme', fullName: 'Mia Renamed' })).status).toBe(200);
    expect(await read(two)).toMatchObject({ headline: 'Now at Acme', fullName: 'Mia Renamed' });
    expect(await read(one)).toMatchObject({ headline: 'Now at Acme', fullName: 'Mia Renamed' });
    expect((await call(two, member.headers, 'GET', '/api/me')).body).toMatchObject({ fullName: 'Mia Renamed' });
  });
});
