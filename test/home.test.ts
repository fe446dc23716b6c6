/** GET /api/site, GET /api/me/home and GET /api/members/:id/mutuals, on both dialects. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/cli/seed.js';
import { DEMO_LOGIN } from '../src/server/modules/auth/demo-login.js';
import { makeMember } from './_factories.js';
import { createTestApp, dialects, type Session, type TestApp } from './_util.js';

async function connect(t: TestApp, a: Session, b: Session) {
  const { result } = await t.ctx.invitations.send(a.id, b.id, undefined);
  if (result.outcome !== 'sent') throw new Error('expected a new invitation');
  await t.ctx.invitations.accept(b.id, result.invitation.id);
}

describe.each(dialects)('site [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  const site = async () => (await t.app.inject({ method: 'GET', url: '/api/site' })).json();

  it('offers the demo login only while the seeded demo account has its seeded password', async () => {
    expect(await site()).toEqual({ mode: 'test', mailViewer: true, demoLogin: null });
    // Someone who merely signs up with the demo address is not the demo.
    await t.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { ...DEMO_LOGIN, fullName: 'Not the demo' } });
    expect((await site()).demoLogin).toBeNull();
    await t.ctx.database.db.deleteFrom('members').where('email', '=', DEMO_LOGIN.email).execute();

    expect(await seedDemo(t.ctx, 40)).toBe(true);
    expect((await site()).demoLogin).toEqual(DEMO_LOGIN);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: DEMO_LOGIN });
    expect(login.statusCode).toBe(200);

    // The demo changed its password: the published one no longer works, so it is no longer shown.
    const hash = await t.ctx.passwords.hash('a password of its own');
    await t.ctx.database.db.updateTable('members').set({ password_hash: hash }).where('email', '=', DEMO_LOGIN.email).execute();
    expect((await site()).demoLogin).toBeNull();
  });
});

describe.each(dialects)('site in production [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { NODE_ENV: 'production' });
  });
  afterAll(() => t.close());

  it('never links the local mail viewer in production', async () => {
    const body = (await t.app.inject({ method: 'GET', url: '/api/site' })).json();
    expect(body).toEqual({ mode: 'production', mailViewer: false, demoLogin: null });
  });
});

describe.each(dialects)('home [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  const home = async (s: Session) => {
    const res = await t.app.inject({ method: 'GET', url: '/api/me/home', headers: s.headers });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  it('answers 401 without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/me/home' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('Unauthenticated');
  });

  it('shows the invitations waiting, unread conversations, unread notifications and people to meet', async () => {
    const me = await makeMember(t.ctx, 'Home Owner');
    const friend = await makeMember(t.ctx, 'Old Friend');
    const friendOfFriend = await makeMember(t.ctx, 'Friend Of Friend');
    await connect(t, me, friend);
    await connect(t, friend, friendOfFriend);
    const senders = [await makeMember(t.ctx, 'Sender One'), await makeMember(t.ctx, 'Sender Two'), await makeMember(t.ctx, 'Sender Three'), await makeMember(t.ctx, 'Sender Four')];
    for (const s of senders) {
      t.clock.advance(60_000);
      await t.ctx.invitations.send(s.id, me.id, 'Hello');
    }
    const { conversation } = await t.ctx.messaging.start(friend.id, me.id);
    await t.ctx.messaging.post(friend.id, conversation.id, 'Lunch on Friday?');

    const body = await home(me);
    expect(body.invitations.waiting).toBe(4);
    // The latest three, newest first.
    expect(body.invitations.latest.map((i: { sender: { fullName: string } }) => i.sender.fullName)).toEqual(['Sender Four', 'Sender Three', 'Sender Two']);
    expect(body.messages.unreadConversations).toBe(1);
    expect(body.messages.latest[0].lastMessage.preview).toBe('Lunch on Friday?');
    // 4 invitations received, the friend's acceptance of mine, 1 conversation with a message.
    expect(body.notifications.unread).toBe(6);
    expect(body.suggestions.map((s: { member: { id: string } }) => s.member.id)).toContain(friendOfFriend.id);
  });

  it("gives a sender the same Home whether the recipient ignored, said I don't know, or did nothing", async () => {
    const homes: unknown[] = [];
    for (const answer of ['none', 'ignore', 'idk'] as const) {
      const sender = await makeMember(t.ctx, 'Same Sender');
      const recipient = await makeMember(t.ctx, 'Some Recipient');
      const { result } = await t.ctx.invitations.send(sender.id, recipient.id, undefined);
      if (result.outcome !== 'sent') throw new Error('expected a new invitation');
      if (answer === 'ignore') await t.ctx.invitations.ignore(recipient.id, result.invitation.id);
      if (answer === 'idk') await t.ctx.invitations.idk(recipient.id, result.invitation.id);
      homes.push(await home(sender));
    }
    expect(homes[1]).toEqual(homes[0]);
    expect(homes[2]).toEqual(homes[0]);
  });
});

describe.each(dialects)('mutual connections list [%s]', (dialect) => {
  let t: TestApp;
  let viewer: Session;
  let member: Session;
  let mutuals: Session[];
  beforeAll(async () => {
    t = await createTestApp(dialect);
    viewer = await makeMember(t.ctx, 'Viewer');
    member = await makeMember(t.ctx, 'Member');
    mutuals = [];
    for (let i = 0; i < 7; i++) {
      const m = await makeMember(t.ctx, `Mutual ${i}`);
      await connect(t, viewer, m);
      await connect(t, member, m);
      mutuals.push(m);
    }
    // Mutual 0 is the best connected: listed first, as on the profile.
    const extra = await makeMember(t.ctx, 'Extra');
    await connect(t, mutuals[0] as Session, extra);
  });
  afterAll(() => t.close());

  const list = (query: string, as = viewer, id = member.id) => t.app.inject({ method: 'GET', url: `/api/members/${id}/mutuals${query}`, headers: as.headers });

  it('lists every mutual connection a page at a time, best-connected first, with the total', async () => {
    const first = await list('?limit=3');
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.total).toBe(7);
    expect(page1.items).toHaveLength(3);
    expect(page1.items[0]).toMatchObject({ id: mutuals[0]?.id, fullName: 'Mutual 0', degree: '1st' });
    const seen = page1.items.map((m: { id: string }) => m.id);
    let cursor: string | null = page1.nextCursor;
    while (cursor) {
      const next = (await list(`?limit=3&cursor=${encodeURIComponent(cursor)}`)).json();
      seen.push(...next.items.map((m: { id: string }) => m.id));
      cursor = next.nextCursor;
    }
    expect(seen.sort()).toEqual(mutuals.map((m) => m.id).sort());
  });

  it('refuses a cursor it did not issue with InvalidCursor', async () => {
    for (const key of ['many', '', '-1', '1e3']) {
      const bad = await list(`?cursor=${Buffer.from(JSON.stringify([key, 'x'])).toString('base64url')}`);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('InvalidCursor');
    }
  });

  it('answers MemberNotFound for an unknown member and across a block', async () => {
    expect((await list('', viewer, '01900000-0000-7000-8000-000000000000')).json().error.code).toBe('MemberNotFound');
    const blocker = await makeMember(t.ctx, 'Blocker');
    await t.ctx.connections.block(blocker.id, viewer.id);
    const blocked = await list('', viewer, blocker.id);
    expect(blocked.statusCode).toBe(404);
    expect(blocked.json().error.code).toBe('MemberNotFound');
  });
});
