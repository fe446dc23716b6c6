/**
 * Restore: an ignored invitation put back in the inbox by its recipient (the web app's Undo, and
 * "Move to inbox" in Archived). docs/invitations.md: only the recipient, only from ignored, never
 * once flagged (IDK or spam), compare-and-set like every transition, and invisible to the sender.
 * The model (test/_model*.ts) and the privacy property cover it in random histories; these tests
 * state each rule once. Reminders after a restore: test/reminders.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../src/server/clock.js';
import { messagingApi } from './_messaging.js';
import { api } from './_invitations.js';
import { makeMember } from './_factories.js';
import { createTestApp, dialects, type Session, type TestApp } from './_util.js';

const GHOST = '01a21669-0000-7000-8000-000000000000';

describe.each(dialects)('restoring an ignored invitation [%s]', (dialect) => {
  let t: TestApp;
  let x: ReturnType<typeof api>;
  let m: ReturnType<typeof messagingApi>;
  const pair = async () => [await makeMember(t.ctx, 'Sam Sender'), await makeMember(t.ctx, 'Rae Recipient')] as const;
  const invite = async (from: Session, to: Session): Promise<string> => {
    const r = await x.send(from, to.id, 'We met in Lisbon');
    expect(r.statusCode).toBe(201);
    return r.json().invitation.id;
  };
  const stored = (id: string) => t.ctx.database.db.selectFrom('invitations').select(['status', 'idk', 'spam', 'ignored_at']).where('id', '=', id).executeTakeFirstOrThrow();
  const actions = async (id: string) =>
    (await t.ctx.database.db.selectFrom('invitation_events').select(['action', 'actor_id']).where('invitation_id', '=', id).orderBy('id').execute()).map((e) => e.action);

  beforeAll(async () => {
    t = await createTestApp(dialect, { SESSION_TTL_DAYS: '3650', INVITE_WEEKLY_LIMIT: '1000' });
    x = api(t.app);
    m = messagingApi(t.app);
  });
  afterAll(() => t.close());

  it('puts an ignored invitation back in the inbox: pending, counts as before, a "restored" event', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    const before = (await x.get(r, id)).json();
    expect((await x.act(r, id, 'ignore')).json()).toMatchObject({ status: 'ignored', folder: 'archived' });
    expect((await x.received(r)).json().counts).toEqual({ inbox: 0, archived: 1 });
    const res = await x.act(r, id, 'restore');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(before);
    expect(res.json()).toMatchObject({ status: 'pending', folder: 'inbox', ignoredAt: null });
    const inbox = (await x.received(r)).json();
    expect(inbox.counts).toEqual({ inbox: 1, archived: 0 });
    expect(inbox.items.map((i: { id: string }) => i.id)).toEqual([id]);
    expect(await actions(id)).toEqual(['sent', 'ignored', 'restored']);
    expect((await x.events(r, id)).json().items.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['sent', 'them'],
      ['ignored', 'you'],
      ['restored', 'you'],
    ]);
    // Back in the inbox, it can be ignored again (with a new time) or accepted.
    t.clock.advance(60_000);
    expect((await x.act(r, id, 'ignore')).json()).toMatchObject({ status: 'ignored', ignoredAt: t.clock.now().toISOString() });
    expect((await x.act(r, id, 'restore')).statusCode).toBe(200);
    expect((await x.act(r, id, 'accept')).json().status).toBe('accepted');
  });

  it('answers a repeat, or a restore of an invitation already in the inbox, with the same body', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    const untouched = await x.act(r, id, 'restore');
    expect(untouched.statusCode).toBe(200);
    expect(untouched.json()).toMatchObject({ status: 'pending', folder: 'inbox' });
    await x.act(r, id, 'ignore');
    const first = await x.act(r, id, 'restore');
    const second = await x.act(r, id, 'restore');
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    expect(await actions(id)).toEqual(['sent', 'ignored', 'restored']);
  });

  it('is the recipient’s alone: the sender and anyone else get InvitationNotFound, as for a made-up id', async () => {
    const [s, r] = await pair();
    const stranger = await makeMember(t.ctx, 'Nosy Stranger');
    const id = await invite(s, r);
    await x.act(r, id, 'ignore');
    const missing = (await x.act(stranger, GHOST, 'restore')).json();
    for (const who of [s, stranger]) {
      const res = await x.act(who, id, 'restore');
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual(missing);
    }
    expect((await stored(id)).status).toBe('ignored');
  });

  it('refuses once the recipient said “I don’t know this person” or reported spam (409 InvitationFlagged): flag and bar stay', async () => {
    for (const flag of ['idk', 'spam'] as const) {
      const [s, r] = await pair();
      const id = await invite(s, r);
      await x.act(r, id, 'ignore');
      await x.act(r, id, flag);
      const res = await x.act(r, id, 'restore');
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('InvitationFlagged');
      expect(await stored(id)).toMatchObject({ status: 'ignored', idk: 1, spam: flag === 'spam' ? 1 : 0 });
      expect(await t.ctx.database.db.selectFrom('pair_bars').select('sender_id').where('recipient_id', '=', r.id).execute()).toEqual([{ sender_id: s.id }]);
      expect(await actions(id)).not.toContain('restored');
    }
  });

  it('restores an invitation the IDK bar filed into Archived (it is not flagged itself); the bar stays', async () => {
    const [s, r] = await pair();
    const first = await invite(s, r);
    await x.act(r, first, 'idk');
    await x.act(s, first, 'withdraw');
    t.clock.advance(22 * DAY_MS);
    const second = await invite(s, r);
    expect((await x.get(r, second)).json()).toMatchObject({ status: 'ignored', idk: false });
    expect((await x.act(r, second, 'restore')).json()).toMatchObject({ status: 'pending', folder: 'inbox' });
    expect(await t.ctx.database.db.selectFrom('pair_bars').select('invitation_id').where('recipient_id', '=', r.id).execute()).toEqual([{ invitation_id: first }]);
  });

  it('refuses after accept, withdraw or expiry with 409 InvitationClosed and the status', async () => {
    const [s, r] = await pair();
    const accepted = await invite(s, r);
    await x.act(r, accepted, 'ignore');
    await x.act(r, accepted, 'accept');
    expect((await x.act(r, accepted, 'restore')).json().error).toMatchObject({ code: 'InvitationClosed', details: { status: 'accepted' } });

    const [s2, r2] = await pair();
    const withdrawn = await invite(s2, r2);
    await x.act(r2, withdrawn, 'ignore');
    await x.act(s2, withdrawn, 'withdraw');
    expect((await x.act(r2, withdrawn, 'restore')).json().error).toMatchObject({ code: 'InvitationClosed', details: { status: 'withdrawn' } });

    // Expiry: a millisecond before it the restore works; at it, the invitation is expired.
    const [s3, r3] = await pair();
    const a = await invite(s3, r3);
    const [s4, r4] = await pair();
    const b = await invite(s4, r4);
    await x.act(r3, a, 'ignore');
    await x.act(r4, b, 'ignore');
    const start = t.clock.now().getTime();
    t.clock.set(new Date(start + 180 * DAY_MS - 1));
    expect((await x.act(r3, a, 'restore')).json().status).toBe('pending');
    t.clock.set(new Date(start + 180 * DAY_MS));
    const late = await x.act(r4, b, 'restore');
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({ code: 'InvitationClosed', details: { status: 'expired' } });
    // The refused write rolled back: the sweeper persists the expiry, once.
    expect((await stored(b)).status).toBe('ignored');
    const [swept, raced] = await Promise.all([t.ctx.invitations.expireDue(), x.act(r4, b, 'restore')]);
    expect(swept).toBeGreaterThanOrEqual(1);
    expect(raced.json().error).toMatchObject({ code: 'InvitationClosed', details: { status: 'expired' } });
    expect(await actions(b)).toEqual(['sent', 'ignored', 'expired']);
  });

  it('tells nobody, and the sender sees exactly the same before the ignore and after ignore + restore', async () => {
    const [s, r] = await pair();
    const id = await invite(s, r);
    const senderSees = async () => [
      (await x.get(s, id)).body,
      (await x.sent(s)).body,
      (await x.sent(s, '?status=pending')).body,
      (await x.events(s, id)).body,
      (await x.profile(s, r.id)).body,
      (await m.notifications(s)).body,
      (await m.unread(s)).body,
    ];
    const notificationsOf = (who: Session) => t.ctx.database.db.selectFrom('notifications').select('kind').where('member_id', '=', who.id).execute();
    const before = await senderSees();
    const recipientNotifications = await notificationsOf(r);
    expect((await x.act(r, id, 'ignore')).statusCode).toBe(200);
    expect(await senderSees()).toEqual(before);
    expect((await x.act(r, id, 'restore')).statusCode).toBe(200);
    expect(await senderSees()).toEqual(before);
    expect(await notificationsOf(r)).toEqual(recipientNotifications);
    expect(await t.ctx.database.db.selectFrom('emails').select('id').where('to_address', '=', s.email).execute()).toEqual([]);
  });
});
