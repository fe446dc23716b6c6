/** One HTTP test per row of the PRODUCT.md §2 table and per rule under it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../src/server/clock.js';
import { api } from './_invitations.js';
import { makeMember } from './_factories.js';
import { createTestApp, dialects, signupAndLogin, type Session, type TestApp } from './_util.js';

describe.each(dialects)('invitations [%s]', (dialect) => {
  let t: TestApp;
  let x: ReturnType<typeof api>;
  const pair = async () => [await makeMember(t.ctx, 'Sam Sender'), await makeMember(t.ctx, 'Rae Recipient')] as const;
  const invite = async (from: Session, to: Session, note?: string): Promise<string> => {
    const r = await x.send(from, to.id, note);
    expect(r.statusCode).toBe(201);
    return r.json().invitation.id;
  };

  beforeAll(async () => {
    // Sessions outlive the clock jumps below (180 days).
    t = await createTestApp(dialect, { INVITE_WEEKLY_LIMIT: '3', INVITE_OUTSTANDING_LIMIT: '1000', SESSION_TTL_DAYS: '3650' });
    x = api(t.app);
  });
  afterAll(() => t.close());

  it('sends an invitation with a note: pending, in the recipient inbox, with badge counts', async () => {
    // Real signup, login and cookie + CSRF here; the other tests use API tokens to skip Argon2.
    const [s, r] = [await signupAndLogin(t.app, 'Sam Sender'), await signupAndLogin(t.app, 'Rae Recipient')];
    const res = await x.send(s, r.id, 'We met at the Lisbon meetup');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ outcome: 'sent', invitation: { status: 'pending', note: 'We met at the Lisbon meetup', recipient: { id: r.id } } });
    const inbox = (await x.received(r)).json();
    expect(inbox.counts).toEqual({ inbox: 1, archived: 0 });
    expect(inbox.items[0]).toMatchObject({ sender: { id: s.id, fullName: 'Sam Sender' }, folder: 'inbox', status: 'pending' });
    expect((await x.sent(s)).json().counts).toEqual({ pending: 1 });
  });

  it('refuses a note over 300 characters with a clear validation error', async () => {
    const [s, r] = await pair();
    const res = await x.send(s, r.id, 'x'.repeat(301));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('ValidationFailed');
    expect((await x.send(s, r.id, 'x'.repeat(300))).statusCode).toBe(201);
  });

  it('refuses inviting yourself, an unknown member, or a connection', async () => {
    const [s, r] = await pair();
    expect((await x.send(s, s.id)).json().error.code).toBe('CannotInviteSelf');
    expect((await x.send(s, '01a21669-0000-7000-8000-000000000000')).json().error.code).toBe('MemberNotFound');
    await x.act(r, await invite(s, r), 'accept');
    const again = await x.send(s, r.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('AlreadyConnected');
  });

  it('accepts: both become first-degree connections, and the sender sees accepted', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    const res = await x.act(r, id, 'accept');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'accepted', folder: null });
    expect((await x.connections(s)).json().items.map((c: { member: { id: string } }) => c.member.id)).toEqual([r.id]);
    expect((await x.connections(r)).json().items.map((c: { member: { id: string } }) => c.member.id)).toEqual([s.id]);
    expect((await x.get(s, id)).json().status).toBe('accepted');
    expect((await x.profile(s, r.id)).json().relationship.status).toBe('connected');
  });

  it('repeats an accept idempotently with the same result', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    const first = await x.act(r, id, 'accept');
    const second = await x.act(r, id, 'accept');
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
  });

  it('ignores: moves to Archived, which can still be opened and accepted later', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    const ignored = await x.act(r, id, 'ignore');
    expect(ignored.json()).toMatchObject({ status: 'ignored', folder: 'archived' });
    expect((await x.received(r)).json().counts).toEqual({ inbox: 0, archived: 1 });
    expect((await x.received(r, 'archived')).json().items.map((i: { id: string }) => i.id)).toEqual([id]);
    expect((await x.get(r, id)).json().status).toBe('ignored');
    const accepted = await x.act(r, id, 'accept');
    expect(accepted.json().status).toBe('accepted');
    expect((await x.profile(r, s.id)).json().relationship.status).toBe('connected');
  });

  it("says \"I don't know this person\" after ignoring, or as ignore and IDK in one step", async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    await x.act(r, id, 'ignore');
    expect((await x.act(r, id, 'idk')).json()).toMatchObject({ status: 'ignored', idk: true, folder: 'archived' });
    const [s2, r2] = await pair();
    const id2 = await invite(s2, r2);
    expect((await x.act(r2, id2, 'idk')).json()).toMatchObject({ status: 'ignored', idk: true, folder: 'archived' });
    const bar = await t.ctx.database.db.selectFrom('pair_bars').selectAll().where('recipient_id', '=', r2.id).execute();
    expect(bar).toHaveLength(1);
  });

  it('files a new invitation from a barred sender straight into Archived, while the sender sees pending', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    await x.act(r, id, 'idk');
    await x.act(s, id, 'withdraw');
    t.clock.advance(22 * DAY_MS);
    const again = await x.send(s, r.id, 'Second try');
    expect(again.statusCode).toBe(201);
    expect(again.json().invitation.status).toBe('pending');
    const inbox = (await x.received(r)).json();
    expect(inbox.counts).toEqual({ inbox: 0, archived: 1 });
    expect((await x.received(r, 'archived')).json().items[0]).toMatchObject({ note: 'Second try', status: 'ignored' });
  });

  it('reports spam: like IDK, plus one open entry in the moderation queue', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    const res = await x.act(r, id, 'spam');
    expect(res.json()).toMatchObject({ status: 'ignored', idk: true, spamReported: true });
    await x.act(r, id, 'spam');
    const reports = await t.ctx.database.db.selectFrom('spam_reports').selectAll().where('invitation_id', '=', id).execute();
    expect(reports).toEqual([expect.objectContaining({ reporter_id: r.id, sender_id: s.id, status: 'open' })]);
  });

  it('replies without accepting: a conversation opens, the invitation is unchanged, and the sender can answer', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    const reply = await x.reply(r, id, 'Hi! Where did we meet?');
    expect(reply.statusCode).toBe(201);
    const conversationId = reply.json().conversationId;
    expect((await x.get(r, id)).json()).toMatchObject({ status: 'pending', folder: 'inbox', conversationId });
    expect((await x.get(s, id)).json().status).toBe('pending');
    const answer = await x.call(s, 'POST', `/api/conversations/${conversationId}/messages`, { body: 'At the Lisbon meetup.' });
    expect(answer.statusCode).toBe(201);
    const thread = (await x.call(r, 'GET', `/api/conversations/${conversationId}/messages`)).json();
    expect(thread.items.map((m: { body: string }) => m.body)).toEqual(['At the Lisbon meetup.', 'Hi! Where did we meet?']);
    expect((await x.received(r)).json().counts.inbox).toBe(1);
  });

  it('withdraws (pending or ignored alike); the invitation leaves the recipient folders and a 21-day cooldown starts', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    await x.act(r, id, 'ignore');
    const res = await x.act(s, id, 'withdraw');
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('withdrawn');
    expect((await x.act(s, id, 'withdraw')).json()).toEqual(res.json());
    expect((await x.received(r, 'archived')).json().counts).toEqual({ inbox: 0, archived: 0 });
    const early = await x.send(s, r.id);
    expect(early.statusCode).toBe(429);
    expect(early.json().error).toMatchObject({ code: 'ReinviteCooldown', details: { retryAt: new Date(t.clock.now().getTime() + 21 * DAY_MS).toISOString() } });
    expect(Number(early.headers['retry-after'])).toBe(21 * 86_400);
    t.clock.advance(21 * DAY_MS + 1000);
    expect((await x.send(s, r.id)).statusCode).toBe(201);
  });

  it('refuses accepting a withdrawn invitation with 409', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    await x.act(s, id, 'withdraw');
    const res = await x.act(r, id, 'accept');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('InvitationClosed');
  });

  it('expires pending and ignored invitations after 180 days: nobody can accept them and the sender sees expired', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    const [s2, r2] = await pair();
    const id2 = await invite(s2, r2);
    await x.act(r2, id2, 'ignore');
    t.clock.advance(180 * DAY_MS);
    for (const [sender, recipient, inv] of [[s, r, id], [s2, r2, id2]] as const) {
      expect((await x.get(sender, inv)).json().status).toBe('expired');
      expect((await x.act(recipient, inv, 'accept')).json().error.code).toBe('InvitationClosed');
      expect((await x.sent(sender, '?status=expired')).json().items.map((i: { id: string }) => i.id)).toEqual([inv]);
      expect((await x.send(sender, recipient.id)).statusCode).toBe(201);
    }
    await t.ctx.invitations.expireDue();
    const stored = await t.ctx.database.db.selectFrom('invitations').select('status').where('id', 'in', [id, id2]).execute();
    expect(stored.map((r) => r.status)).toEqual(['expired', 'expired']);
  });

  it('connects a pair when the recipient invites back while the first invitation is open', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    const back = await x.send(r, s.id);
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ outcome: 'connected', memberId: s.id });
    expect((await x.get(s, id)).json().status).toBe('accepted');
    expect((await x.connections(s)).json().total).toBe(1);
  });

  it('returns the same invitation for a repeated send instead of a second one', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r, 'first');
    const again = await x.send(s, r.id, 'second');
    expect(again.statusCode).toBe(200);
    expect(again.json().invitation).toMatchObject({ id, note: 'first' });
  });

  it('limits invitations per rolling 7 days, withdrawals do not refund, and the error says when', async () => {
    const s = await makeMember(t.ctx, 'Weekly Limit');
    const start = t.clock.now().getTime();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await invite(s, await makeMember(t.ctx, `R ${i}`)));
      t.clock.advance(DAY_MS);
    }
    await x.act(s, ids[0] ?? '', 'withdraw');
    const over = await x.send(s, (await makeMember(t.ctx, 'R 4')).id);
    expect(over.statusCode).toBe(429);
    expect(over.json().error).toMatchObject({ code: 'WeeklyInviteLimit', details: { retryAt: new Date(start + 7 * DAY_MS).toISOString() } });
    t.clock.set(new Date(start + 7 * DAY_MS + 1));
    expect((await x.send(s, (await makeMember(t.ctx, 'R 5')).id)).statusCode).toBe(201);
  });

  it('caps outstanding invitations and says when the first one expires', async () => {
    const capped = await createTestApp(dialect, { INVITE_OUTSTANDING_LIMIT: '2' });
    try {
      const y = api(capped.app);
      const s = await makeMember(capped.ctx, 'Busy Sender');
      const first = (await y.send(s, (await makeMember(capped.ctx)).id)).json().invitation;
      await y.send(s, (await makeMember(capped.ctx)).id);
      const over = await y.send(s, (await makeMember(capped.ctx)).id);
      expect(over.statusCode).toBe(429);
      expect(over.json().error).toMatchObject({
        code: 'OutstandingInviteLimit',
        details: { retryAt: new Date(Date.parse(first.createdAt) + 180 * DAY_MS).toISOString() },
      });
    } finally {
      await capped.close();
    }
  });

  it('caps connections per member', async () => {
    const capped = await createTestApp(dialect, { CONNECTION_LIMIT: '1' });
    try {
      const y = api(capped.app);
      const [a, b, c] = [await makeMember(capped.ctx), await makeMember(capped.ctx), await makeMember(capped.ctx)];
      const ab = (await y.send(a, b.id)).json().invitation.id;
      const ca = (await y.send(c, a.id)).json().invitation.id;
      await y.act(b, ab, 'accept');
      const res = await y.act(a, ca, 'accept');
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('ConnectionLimit');
    } finally {
      await capped.close();
    }
  });

  it('removes a connection silently: both sides lose it, only the remover sees the event', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    await x.act(r, id, 'accept');
    expect((await x.removeConnection(r, s.id)).statusCode).toBe(204);
    expect((await x.connections(s)).json().total).toBe(0);
    expect((await x.profile(s, r.id)).json().relationship.status).toBe('none');
    expect((await x.events(s, id)).json().items.map((e: { action: string }) => e.action)).toEqual(['sent', 'accepted']);
    expect((await x.events(r, id)).json().items.map((e: { action: string }) => e.action)).toContain('connection_removed');
    expect((await x.removeConnection(r, s.id)).json().error.code).toBe('ConnectionNotFound');
    expect((await x.send(s, r.id)).statusCode).toBe(201);
  });

  it('lists connections searchable by name and sorted by most recent, with keyset pages', async () => {
    const me = await makeMember(t.ctx, 'Hub Member');
    const names = ['Zoe Recent', 'Anna Older', 'Mila Oldest'].reverse();
    for (const name of names) {
      const other = await makeMember(t.ctx, name);
      await x.act(me, await invite(other, me), 'accept');
      t.clock.advance(1000);
    }
    const first = (await x.connections(me, '?limit=2')).json();
    expect(first.items.map((c: { member: { fullName: string } }) => c.member.fullName)).toEqual(['Zoe Recent', 'Anna Older']);
    const second = (await x.connections(me, `?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((c: { member: { fullName: string } }) => c.member.fullName)).toEqual(['Mila Oldest']);
    expect(second.nextCursor).toBeNull();
    const byName = (await x.connections(me, '?sort=name')).json();
    expect(byName.items.map((c: { member: { fullName: string } }) => c.member.fullName)).toEqual(['Anna Older', 'Mila Oldest', 'Zoe Recent']);
    const search = (await x.connections(me, '?q=mila')).json();
    expect(search.items.map((c: { member: { fullName: string } }) => c.member.fullName)).toEqual(['Mila Oldest']);
  });

  it("shows the viewer's relationship on a profile: sent, received, connected or none", async () => {
    const [s, r] = await pair();
    expect((await x.profile(s, r.id)).json().relationship.status).toBe('none');
    const id = await invite(s, r);
    expect((await x.profile(s, r.id)).json().relationship).toMatchObject({ status: 'invitation_sent', invitationId: id });
    expect((await x.profile(r, s.id)).json().relationship).toMatchObject({ status: 'invitation_received', invitationId: id });
    await x.act(r, id, 'ignore');
    expect((await x.profile(s, r.id)).json().relationship).toMatchObject({ status: 'invitation_sent', invitationId: id });
    expect((await x.profile(s, s.id)).json().relationship.status).toBe('self');
  });

  it('answers an invitation the caller may not see exactly like one that does not exist', async () => {
    const [s, r] = await pair();
    const stranger = await makeMember(t.ctx, 'Nosy Stranger');
    const id = await invite(s, r);
    const missing = await x.get(stranger, '01a21669-0000-7000-8000-000000000000');
    const hidden = await x.get(stranger, id);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toEqual(missing.json());
    for (const action of ['accept', 'ignore', 'idk', 'spam', 'withdraw'] as const) {
      expect((await x.act(stranger, id, action)).json()).toEqual((await x.act(stranger, '01a21669-0000-7000-8000-000000000000', action)).json());
    }
    expect((await x.act(s, id, 'accept')).json().error.code).toBe('InvitationNotFound');
    expect((await x.act(r, id, 'withdraw')).json().error.code).toBe('InvitationNotFound');
    expect((await x.events(stranger, id)).statusCode).toBe(404);
  });

  it('treats a block as not found both ways, removes the connection and withdraws open invitations', async () => {
    const [s, r] = await pair();
    const accepted = await invite(s, r);
    await x.act(r, accepted, 'accept');
    const [s2, r2] = await pair();
    const open = await invite(s2, r2);
    expect((await x.block(r, s.id)).statusCode).toBe(204);
    expect((await x.block(r2, s2.id)).statusCode).toBe(204);
    expect((await x.connections(s)).json().total).toBe(0);
    for (const [a, b] of [[s, r], [r, s]] as const) {
      expect((await x.profile(a, b.id)).json().error.code).toBe('MemberNotFound');
      expect((await x.send(a, b.id)).json().error.code).toBe('MemberNotFound');
    }
    expect((await x.get(s2, open)).json().error.code).toBe('InvitationNotFound');
    expect((await x.sent(s2)).json()).toMatchObject({ items: [], counts: { pending: 0 } });
    expect((await x.received(r2)).json().counts).toEqual({ inbox: 0, archived: 0 });
    const search = (await x.call(s, 'GET', `/api/members?q=${encodeURIComponent('Rae Recipient')}&limit=100`)).json();
    expect(search.items.some((m: { id: string }) => m.id === r.id)).toBe(false);
  });

  it('logs every state change with actor, action and time, and hides recipient-only rows from the sender', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    await x.act(r, id, 'ignore');
    await x.act(r, id, 'idk');
    await x.reply(r, id, 'hello');
    await x.act(s, id, 'withdraw');
    const stored = await t.ctx.database.db.selectFrom('invitation_events').select(['action', 'actor_id']).where('invitation_id', '=', id).orderBy('id').execute();
    expect(stored).toEqual([
      { action: 'sent', actor_id: s.id },
      { action: 'ignored', actor_id: r.id },
      { action: 'idk', actor_id: r.id },
      { action: 'replied', actor_id: r.id },
      { action: 'withdrawn', actor_id: s.id },
    ]);
    expect((await x.events(s, id)).json().items.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['sent', 'you'],
      ['withdrawn', 'you'],
    ]);
  });

  it('pages received and sent lists newest first with cursors that never repeat or skip', async () => {
    const me = await makeMember(t.ctx, 'Popular');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await invite(await makeMember(t.ctx, `Fan ${i}`), me));
      t.clock.advance(1000);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = (await x.call(me, 'GET', `/api/invitations/received?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((i: { id: string }) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const bad = await x.call(me, 'GET', '/api/invitations/received?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('InvalidCursor');
  });
});
