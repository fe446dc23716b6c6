/** Messaging rules (PRODUCT.md §5, docs/messaging.md), one test per rule, on every dialect. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW_MAX } from '../src/contracts/messaging.js';
import { DAY_MS } from '../src/server/clock.js';
import { loadConfig } from '../src/server/config.js';
import { makeMember } from './_factories.js';
import { messagingApi } from './_messaging.js';
import { createTestApp, dialects, type Session, type TestApp } from './_util.js';

const GHOST = '01a21669-0000-7000-8000-000000000000';
const codeOf = (res: { json(): unknown }) => (res.json() as { error?: { code?: string } }).error?.code;

describe.each(dialects)('messaging [%s]', (dialect) => {
  let t: TestApp;
  let x: ReturnType<typeof messagingApi>;
  const two = async () => [await makeMember(t.ctx, 'Ada Lovelace'), await makeMember(t.ctx, 'Grace Hopper')] as const;
  const tick = () => t.clock.advance(1000);
  /** A reply thread: s invited r, r replied. */
  const thread = async (s: Session, r: Session) => {
    const invitationId = await x.invite(s, r);
    const reply = await x.reply(r, invitationId, 'Hello, where did we meet?');
    expect(reply.statusCode).toBe(201);
    return { invitationId, conversationId: reply.json().conversationId as string };
  };

  beforeAll(async () => {
    // Sessions outlive the clock jumps below (180 days).
    t = await createTestApp(dialect, { SESSION_TTL_DAYS: '3650' });
    x = messagingApi(t.app);
  });
  afterAll(() => t.close());

  it('lets connections start a conversation: 201 the first time, then 200 with the same one, from either side', async () => {
    const [a, b] = await two();
    await x.connect(a, b);
    const first = await x.start(a, b.id);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ member: { id: b.id, fullName: 'Grace Hopper' }, lastMessage: null, unreadCount: 0, canWrite: true });
    const again = await x.start(b, a.id);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, member: { id: a.id } });
    expect((await x.post(b, first.json().id, 'Hi Ada')).statusCode).toBe(201);
    // An empty conversation is not listed; one with a message is.
    expect((await x.conversations(a)).json().items.map((c: { id: string }) => c.id)).toEqual([first.json().id]);
  });

  it('refuses to start a conversation with a non-connection (403), and answers an unknown or blocked member as not found (404)', async () => {
    const [a, b] = await two();
    const res = await x.start(a, b.id);
    expect(res.statusCode).toBe(403);
    expect(codeOf(res)).toBe('MessageNotAllowed');
    expect(codeOf(await x.start(a, a.id))).toBe('MessageNotAllowed');
    expect(codeOf(await x.start(a, GHOST))).toBe('MemberNotFound');
    const [c, d] = await two();
    await x.connect(c, d);
    expect((await x.block(d, c.id)).statusCode).toBe(204);
    for (const [from, to] of [
      [c, d],
      [d, c],
    ] as const) {
      const blocked = await x.start(from, to.id);
      expect(blocked.statusCode).toBe(404);
      expect(codeOf(blocked)).toBe('MemberNotFound');
    }
  });

  it('lets only the recipient open a reply thread: the sender cannot start one first, and can answer once it exists', async () => {
    const [s, r] = await two();
    const invitationId = await x.invite(s, r);
    expect(codeOf(await x.start(s, r.id))).toBe('MessageNotAllowed');
    expect(codeOf(await x.start(r, s.id))).toBe('MessageNotAllowed');
    expect((await x.conversations(s)).json().items).toEqual([]);
    const reply = await x.reply(r, invitationId, 'Hello, where did we meet?');
    const conversationId = reply.json().conversationId;
    // Now the sender can find the thread and answer in it.
    const found = await x.start(s, r.id);
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ id: conversationId, canWrite: true, unreadCount: 1 });
    expect((await x.post(s, conversationId, 'At the meetup in Lisbon.')).statusCode).toBe(201);
    expect((await x.post(r, conversationId, 'Ah, of course.')).statusCode).toBe(201);
    // The invitation is unchanged by the conversation.
    expect((await x.get(s, invitationId)).json().status).toBe('pending');
  });

  it('keeps the reply thread open to the sender whatever the recipient did quietly (ignore, IDK, spam)', async () => {
    for (const action of ['ignore', 'idk', 'spam'] as const) {
      const [s, r] = await two();
      const { invitationId, conversationId } = await thread(s, r);
      expect((await x.act(r, invitationId, action)).statusCode).toBe(200);
      expect((await x.conversation(s, conversationId)).json().canWrite).toBe(true);
      expect((await x.post(s, conversationId, 'Still there?')).statusCode).toBe(201);
    }
  });

  it('closes the pre-connection thread after a withdraw and after expiry: still readable, no longer writable', async () => {
    const [s, r] = await two();
    const w = await thread(s, r);
    expect((await x.act(s, w.invitationId, 'withdraw')).statusCode).toBe(200);
    for (const who of [s, r]) {
      const res = await x.post(who, w.conversationId, 'one more thing');
      expect(res.statusCode).toBe(403);
      expect(codeOf(res)).toBe('MessageNotAllowed');
      expect((await x.conversation(who, w.conversationId)).json().canWrite).toBe(false);
      expect((await x.messages(who, w.conversationId)).json().items).toHaveLength(1);
      expect(codeOf(await x.start(who, who === s ? r.id : s.id))).toBe('MessageNotAllowed');
    }
    expect(codeOf(await x.reply(r, w.invitationId, 'wait'))).toBe('InvitationClosed');

    const [s2, r2] = await two();
    const e = await thread(s2, r2);
    t.clock.advance(181 * DAY_MS);
    for (const who of [s2, r2]) {
      expect(codeOf(await x.post(who, e.conversationId, 'hello?'))).toBe('MessageNotAllowed');
      expect((await x.conversation(who, e.conversationId)).json().canWrite).toBe(false);
    }
  });

  it('continues the same conversation after connecting, and closes it again when the connection is removed', async () => {
    const [s, r] = await two();
    const { invitationId, conversationId } = await thread(s, r);
    expect((await x.act(r, invitationId, 'accept')).statusCode).toBe(200);
    const found = await x.start(s, r.id);
    expect(found.statusCode).toBe(200);
    expect(found.json().id).toBe(conversationId);
    expect((await x.post(s, conversationId, 'Glad we are connected')).statusCode).toBe(201);
    expect((await x.messages(r, conversationId)).json().items.map((m: { body: string }) => m.body)).toEqual(['Glad we are connected', 'Hello, where did we meet?']);
    expect((await x.removeConnection(r, s.id)).statusCode).toBe(204);
    expect(codeOf(await x.post(s, conversationId, 'hello?'))).toBe('MessageNotAllowed');
    expect((await x.conversation(s, conversationId)).json().canWrite).toBe(false);
    // Nor does the old, accepted invitation reopen it for either side.
    const late = await x.reply(r, invitationId, 'One more thing');
    expect(late.statusCode).toBe(403);
    expect(codeOf(late)).toBe('MessageNotAllowed');
    expect(codeOf(await x.post(r, conversationId, 'One more thing'))).toBe('MessageNotAllowed');
  });

  it('treats a conversation with a blocked (or blocking) member as not found everywhere', async () => {
    const [a, b] = await two();
    await x.connect(a, b);
    const id = (await x.start(a, b.id)).json().id;
    await x.post(a, id, 'hi');
    expect((await x.block(a, b.id)).statusCode).toBe(204);
    for (const who of [a, b]) {
      for (const res of [await x.conversation(who, id), await x.messages(who, id), await x.read(who, id), await x.post(who, id, 'hi')]) {
        expect(res.statusCode).toBe(404);
        expect(codeOf(res)).toBe('ConversationNotFound');
      }
      expect((await x.conversations(who)).json()).toMatchObject({ items: [], counts: { unread: 0 } });
    }
    // A stranger cannot see it either, exactly like an id that does not exist.
    const stranger = await makeMember(t.ctx);
    expect(codeOf(await x.messages(stranger, id))).toBe('ConversationNotFound');
    expect(codeOf(await x.messages(stranger, GHOST))).toBe('ConversationNotFound');
  });

  it('counts unread messages per conversation and in the badge; reading or replying resets them', async () => {
    const [me, b] = await two();
    const c = await makeMember(t.ctx, 'Katherine Johnson');
    await x.connect(me, b);
    await x.connect(me, c);
    const withB = (await x.start(b, me.id)).json().id;
    const withC = (await x.start(c, me.id)).json().id;
    for (const body of ['one', 'two', 'three']) {
      tick();
      await x.post(b, withB, body);
    }
    tick();
    await x.post(c, withC, 'from Katherine');
    let list = (await x.conversations(me)).json();
    expect(list.counts).toEqual({ unread: 2 });
    expect(list.items.map((i: { id: string; unreadCount: number }) => [i.id, i.unreadCount])).toEqual([
      [withC, 1],
      [withB, 3],
    ]);
    expect(list.items[1]).toMatchObject({ member: { id: b.id }, lastMessage: { senderId: b.id, preview: 'three' } });
    // The sender's own messages are never unread to them.
    expect((await x.conversation(b, withB)).json().unreadCount).toBe(0);
    expect((await x.unread(me)).json().unreadConversations).toBe(2);

    const read = await x.read(me, withB);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id: withB, unreadCount: 0, lastReadAt: t.clock.now().toISOString() });
    expect((await x.read(me, withB)).json().unreadCount).toBe(0);
    tick();
    await x.post(me, withC, 'replying marks it read');
    list = (await x.conversations(me)).json();
    expect(list.counts).toEqual({ unread: 0 });
    // Newest activity first: my reply moved the conversation with Katherine up.
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([withC, withB]);
    expect((await x.conversation(c, withC)).json().unreadCount).toBe(1);
  });

  it('shows a one-line preview of at most 140 characters of the last message', async () => {
    const [a, b] = await two();
    await x.connect(a, b);
    const id = (await x.start(a, b.id)).json().id;
    await x.post(a, id, `Line one\n\nline two ${'x'.repeat(300)}`);
    const preview: string = (await x.conversation(b, id)).json().lastMessage.preview;
    expect(Array.from(preview)).toHaveLength(PREVIEW_MAX);
    expect(preview.startsWith('Line one line two x')).toBe(true);
    expect(preview.endsWith('…')).toBe(true);
  });

  it('pages conversations and messages newest first with cursors that never repeat or skip', async () => {
    const me = await makeMember(t.ctx, 'Pager');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const other = await makeMember(t.ctx, `Contact ${i}`);
      await x.connect(other, me);
      const id = (await x.start(other, me.id)).json().id;
      // Same instant for some of them: the id breaks the tie.
      if (i % 2 === 0) tick();
      await x.post(other, id, `hello ${i}`);
      ids.unshift(id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = (await x.conversations(me, q)).json();
      seen.push(...res.items.map((i: { id: string }) => i.id));
      cursor = res.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort()).toEqual([...ids].sort());
    const keys = (await x.conversations(me)).json().items.map((i: { lastActivityAt: string; id: string }) => `${i.lastActivityAt}|${i.id}`);
    expect(keys.map((k: string) => k.split('|')[1])).toEqual(seen);
    expect([...keys].sort().reverse()).toEqual(keys);

    const conversationId = ids[0]!;
    for (let i = 0; i < 7; i++) {
      if (i % 3 === 0) tick();
      await x.post(me, conversationId, `message ${i}`);
    }
    const bodies: string[] = [];
    cursor = null;
    do {
      const q: string = `?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = (await x.messages(me, conversationId, q)).json();
      bodies.push(...res.items.map((m: { body: string }) => m.body));
      cursor = res.nextCursor;
    } while (cursor);
    expect(bodies).toEqual(['message 6', 'message 5', 'message 4', 'message 3', 'message 2', 'message 1', 'message 0', 'hello 4']);
    for (const res of [await x.conversations(me, '?cursor=not-a-cursor'), await x.messages(me, conversationId, '?cursor=bm9wZQ')]) {
      expect(res.statusCode).toBe(400);
      expect(codeOf(res)).toBe('InvalidCursor');
    }
  });

  it('refuses an empty message and one over the contract ceiling with 400', async () => {
    const [a, b] = await two();
    await x.connect(a, b);
    const id = (await x.start(a, b.id)).json().id;
    for (const body of ['', '   ', 'x'.repeat(8001)]) {
      const res = await x.post(a, id, body);
      expect(res.statusCode).toBe(400);
      expect(codeOf(res)).toBe('ValidationFailed');
    }
    expect((await x.post(a, id, 'x'.repeat(8000))).statusCode).toBe(201);
  });
});

describe.each(dialects)('messaging settings [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { MESSAGE_MAX_CHARS: '20' });
  });
  afterAll(() => t.close());

  it('limits messages and invitation replies to MESSAGE_MAX_CHARS characters', async () => {
    const x = messagingApi(t.app);
    const [s, r] = [await makeMember(t.ctx), await makeMember(t.ctx)];
    const invitationId = await x.invite(s, r);
    const tooLong = await x.reply(r, invitationId, 'x'.repeat(21));
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error).toMatchObject({ code: 'ValidationFailed', details: { issues: [{ in: 'body', path: 'body' }] } });
    const ok = await x.reply(r, invitationId, 'x'.repeat(20));
    expect(ok.statusCode).toBe(201);
    expect(codeOf(await x.post(s, ok.json().conversationId, `  ${'y'.repeat(21)}  `))).toBe('ValidationFailed');
    // Surrounding spaces are trimmed before counting.
    expect((await x.post(s, ok.json().conversationId, `  ${'y'.repeat(20)}  `)).statusCode).toBe(201);
  });

  it('refuses at boot a MESSAGE_MAX_CHARS above what the API contract accepts', () => {
    expect(() => loadConfig({ MESSAGE_MAX_CHARS: '9000' })).toThrow(/MESSAGE_MAX_CHARS/);
    expect(loadConfig({}).MESSAGE_MAX_CHARS).toBe(8000);
  });
});
