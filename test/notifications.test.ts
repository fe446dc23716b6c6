/**
 * In-app notifications (PRODUCT.md §5, docs/messaging.md): one per kind, none for ignore, IDK,
 * spam, withdraw or expiry, read state and pages; and a property over random histories that the
 * sender's notifications are the same whether the recipient quietly ignored, said IDK, reported
 * spam, or did nothing.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../src/server/clock.js';
import { makeMember } from './_factories.js';
import { messagingApi } from './_messaging.js';
import { createTestApp, dialects, type Session, type TestApp } from './_util.js';

const RUNS = Number(process.env.RAPPORT_PROPERTY_RUNS ?? 30);

interface Item {
  id: string;
  kind: string;
  actor: { id: string };
  invitationId?: string;
  conversationId?: string;
  messageCount?: number;
  link: string;
  readAt: string | null;
}

describe.each(dialects)('notifications [%s]', (dialect) => {
  let t: TestApp;
  let x: ReturnType<typeof messagingApi>;
  const two = async () => [await makeMember(t.ctx, 'Sam Sender'), await makeMember(t.ctx, 'Rae Recipient')] as const;
  const itemsOf = async (s: Session, query = ''): Promise<Item[]> => (await x.notifications(s, query)).json().items;
  const snapshot = async (s: Session) => [(await x.notifications(s)).body, (await x.unread(s)).body];

  beforeAll(async () => {
    // Sessions outlive the clock jumps below (180 days).
    t = await createTestApp(dialect, { SESSION_TTL_DAYS: '3650', INVITE_WEEKLY_LIMIT: '1000' });
    x = messagingApi(t.app);
  });
  afterAll(() => t.close());

  it('tells the recipient of a new invitation, with the sender as actor and a link to the inbox', async () => {
    const [s, r] = await two();
    const id = await x.invite(s, r);
    const page = (await x.notifications(r)).json();
    expect(page).toMatchObject({ unreadCount: 1, nextCursor: null });
    expect(page.items).toEqual([
      expect.objectContaining({ kind: 'invitation_received', invitationId: id, actor: expect.objectContaining({ id: s.id, fullName: 'Sam Sender' }), link: '/mynetwork/invitations', readAt: null }),
    ]);
    // A repeated send returns the same invitation and tells nobody again.
    expect((await x.send(s, r.id)).statusCode).toBe(200);
    expect(await itemsOf(r)).toHaveLength(1);
    expect(await itemsOf(s)).toEqual([]);
  });

  it('does not notify the recipient of an invitation the IDK bar files straight into Archived', async () => {
    const [s, r] = await two();
    const first = await x.invite(s, r);
    await x.act(r, first, 'idk');
    await x.act(s, first, 'withdraw');
    t.clock.advance(22 * DAY_MS);
    const before = await snapshot(r);
    const again = await x.send(s, r.id);
    expect(again.statusCode).toBe(201);
    expect((await x.received(r, 'archived')).json().items.map((i: { id: string }) => i.id)).toContain(again.json().invitation.id);
    expect(await snapshot(r)).toEqual(before);
  });

  it('tells the sender when their invitation is accepted, from the inbox or from Archived', async () => {
    for (const fromArchive of [false, true]) {
      const [s, r] = await two();
      const id = await x.invite(s, r);
      if (fromArchive) await x.act(r, id, 'ignore');
      await x.act(r, id, 'accept');
      await x.act(r, id, 'accept');
      expect(await itemsOf(s)).toEqual([expect.objectContaining({ kind: 'invitation_accepted', invitationId: id, actor: expect.objectContaining({ id: r.id }), link: `/in/${r.id}` })]);
    }
  });

  it('tells the member whose invitation a crossing invitation accepted', async () => {
    const [a, b] = await two();
    const id = await x.invite(a, b);
    const cross = await x.send(b, a.id);
    expect(cross.json()).toMatchObject({ outcome: 'connected' });
    expect(await itemsOf(a)).toEqual([expect.objectContaining({ kind: 'invitation_accepted', invitationId: id, actor: expect.objectContaining({ id: b.id }) })]);
    expect((await itemsOf(b)).map((n) => n.kind)).toEqual(['invitation_received']);
  });

  it('tells the other participant of new messages, one notification per conversation until read', async () => {
    const [s, r] = await two();
    const invitationId = await x.invite(s, r);
    const conversationId = (await x.reply(r, invitationId, 'Hi, where did we meet?')).json().conversationId;
    expect(await itemsOf(s)).toEqual([expect.objectContaining({ kind: 'message_received', conversationId, messageCount: 1, actor: expect.objectContaining({ id: r.id }), link: `/messaging/${conversationId}` })]);
    t.clock.advance(60_000);
    await x.post(r, conversationId, 'Hello?');
    await x.post(r, conversationId, 'Anyone?');
    const [collapsed] = await itemsOf(s);
    expect(collapsed).toMatchObject({ kind: 'message_received', messageCount: 3, readAt: null, updatedAt: t.clock.now().toISOString() });
    expect((await x.unread(s)).json()).toEqual({ unreadCount: 1, unreadConversations: 1 });
    // Reading the conversation reads its notification; the next message starts a new one.
    await x.read(s, conversationId);
    expect((await x.unread(s)).json()).toEqual({ unreadCount: 0, unreadConversations: 0 });
    expect((await itemsOf(s))[0]?.readAt).not.toBeNull();
    await x.post(r, conversationId, 'Still there?');
    expect((await itemsOf(s)).map((n) => [n.kind, n.messageCount, n.readAt === null])).toEqual([
      ['message_received', 1, true],
      ['message_received', 3, false],
    ]);
    // Answering reads it too; the writer is never told of their own message.
    await x.post(s, conversationId, 'Yes, sorry!');
    expect((await x.unread(s)).json().unreadCount).toBe(0);
    expect((await itemsOf(r)).filter((n) => n.kind === 'message_received')).toHaveLength(1);
  });

  it('never notifies anyone of an ignore, IDK, spam report, withdraw or expiry', async () => {
    for (const action of ['ignore', 'idk', 'spam', 'withdraw', 'expire'] as const) {
      const [s, r] = await two();
      const id = await x.invite(s, r);
      const before = [await snapshot(s), await snapshot(r)];
      if (action === 'expire') {
        t.clock.advance(181 * DAY_MS);
        expect((await t.ctx.invitations.expireDue()) >= 1).toBe(true);
      } else {
        expect((await x.act(action === 'withdraw' ? s : r, id, action)).statusCode).toBe(200);
      }
      expect([await snapshot(s), await snapshot(r)], action).toEqual(before);
    }
  });

  it('marks given notifications read, or all; ignores ids that are not the caller’s', async () => {
    const me = await makeMember(t.ctx, 'Busy Member');
    const others = [await makeMember(t.ctx), await makeMember(t.ctx), await makeMember(t.ctx)];
    for (const o of others) await x.invite(o, me);
    const ids = (await itemsOf(me)).map((n) => n.id);
    expect((await x.unread(me)).json()).toEqual({ unreadCount: 3, unreadConversations: 0 });
    const other = others[0]!;
    const res = await x.markRead(other, [ids[0]!]);
    expect(res.json()).toEqual({ unreadCount: 0, unreadConversations: 0 });
    expect((await x.unread(me)).json().unreadCount).toBe(3);
    expect((await x.markRead(me, [ids[0]!])).json().unreadCount).toBe(2);
    expect((await x.markRead(me, [ids[0]!])).json().unreadCount).toBe(2);
    expect((await itemsOf(me, '?unread=true')).map((n) => n.id)).toEqual(ids.slice(1));
    expect((await x.markRead(me)).json().unreadCount).toBe(0);
    expect((await itemsOf(me)).every((n) => n.readAt !== null)).toBe(true);
    for (const bad of [{ ids: [] }, { ids: ['nope'] }, { all: true }]) {
      const r = await x.call(me, 'POST', '/api/notifications/read', bad);
      expect(r.statusCode).toBe(400);
    }
  });

  it('pages notifications newest first with cursors that never repeat or skip', async () => {
    const me = await makeMember(t.ctx, 'Popular');
    for (let i = 0; i < 7; i++) {
      if (i % 3 === 0) t.clock.advance(1000);
      await x.invite(await makeMember(t.ctx, `Inviter ${i}`), me);
    }
    const seen: Item[] = [];
    let cursor: string | null = null;
    do {
      const res: { items: Item[]; nextCursor: string | null } = (await x.notifications(me, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...res.items);
      cursor = res.nextCursor;
    } while (cursor);
    expect(seen.map((n) => n.actor.id)).toEqual((await itemsOf(me, '?limit=100')).map((n) => n.actor.id));
    expect(new Set(seen.map((n) => n.id)).size).toBe(7);
    expect((await x.notifications(me, '?cursor=zzz')).json().error.code).toBe('InvalidCursor');
  });

  it('hides notifications from a member either side blocked, in the list and the count', async () => {
    const [s, r] = await two();
    await x.invite(s, r);
    await x.block(r, s.id);
    expect((await x.notifications(r)).json()).toMatchObject({ items: [], unreadCount: 0 });
    expect((await x.unread(r)).json().unreadCount).toBe(0);
  });

  it("keeps the sender's notifications identical whether the recipient quietly ignored, said IDK, reported spam, or did nothing", async () => {
    type Cmd =
      | { kind: 'send' | 'accept' | 'reply' | 'write' | 'read' | 'withdraw' | 'cross' | 'remove' | 'readAll' }
      | { kind: 'quiet'; action: 'ignore' | 'idk' | 'spam' }
      | { kind: 'wait'; days: number };
    const cmd: fc.Arbitrary<Cmd> = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom<Cmd>({ kind: 'send' }, { kind: 'accept' }, { kind: 'reply' }, { kind: 'write' }) },
      { weight: 4, arbitrary: fc.constantFrom('ignore', 'idk', 'spam').map((action): Cmd => ({ kind: 'quiet', action })) },
      { weight: 3, arbitrary: fc.constantFrom<Cmd>({ kind: 'withdraw' }, { kind: 'cross' }, { kind: 'remove' }, { kind: 'read' }, { kind: 'readAll' }) },
      { weight: 1, arbitrary: fc.constantFrom(1, 22, 181).map((days): Cmd => ({ kind: 'wait', days })) },
    );

    /** Replays a history on fresh members; `quiet` steps run only when `withQuiet`. Returns what the sender saw. */
    const replay = async (history: Cmd[], withQuiet: boolean) => {
      const [s, r] = await two();
      const start = t.clock.now().getTime();
      const seen: unknown[] = [];
      let invitationId: string | undefined;
      let conversationId: string | undefined;
      for (const c of history) {
        t.clock.advance(1000);
        if (c.kind === 'send') {
          const res = await x.send(s, r.id);
          seen.push(res.statusCode);
          if (res.statusCode === 201) invitationId = res.json().invitation.id;
        } else if (c.kind === 'cross') {
          const res = await x.send(r, s.id);
          if (res.statusCode === 201) invitationId = res.json().invitation.id;
        } else if (c.kind === 'quiet') {
          if (withQuiet && invitationId) await x.act(r, invitationId, c.action);
        } else if (c.kind === 'accept') {
          if (invitationId) await x.act(r, invitationId, 'accept');
        } else if (c.kind === 'reply') {
          if (invitationId) {
            const res = await x.reply(r, invitationId, 'a reply');
            if (res.statusCode === 201) conversationId = res.json().conversationId;
          }
        } else if (c.kind === 'write') {
          const found = await x.start(s, r.id);
          seen.push(found.statusCode);
          if (found.statusCode < 300) seen.push((await x.post(s, found.json().id, 'from the sender')).statusCode);
          if (conversationId) await x.post(r, conversationId, 'from the recipient');
        } else if (c.kind === 'read') {
          if (conversationId) seen.push((await x.read(s, conversationId)).statusCode);
        } else if (c.kind === 'readAll') {
          seen.push((await x.markRead(s)).body);
        } else if (c.kind === 'withdraw') {
          if (invitationId) seen.push((await x.act(s, invitationId, 'withdraw')).statusCode);
        } else if (c.kind === 'remove') {
          await x.removeConnection(r, s.id);
        } else if (c.kind === 'wait') {
          t.clock.advance(c.days * DAY_MS);
        }
        seen.push((await x.notifications(s, '?limit=100')).body, (await x.unread(s)).body, (await x.conversations(s)).body);
      }
      // Ids by order of first appearance; times relative to the start of the history.
      const names = new Map<string, string>();
      return JSON.stringify(seen)
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => names.get(id) ?? (names.set(id, `id${names.size}`), `id${names.size - 1}`))
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, (at) => `t+${Date.parse(at) - start}`)
        .replace(/"(?:nextCursor)":"[^"]*"/g, '"nextCursor":"…"');
    };

    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 12 }), async (history) => {
        const quiet = await replay(history, true);
        const untouched = await replay(history, false);
        expect(quiet).toEqual(untouched);
        expect(quiet).not.toMatch(/ignored|idk|spam|archived/i);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});
