/** The published ladder, enforcement at send time, account health, appeals and moderation, over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../src/server/clock.js';
import { makeMember } from './_factories.js';
import { api } from './_invitations.js';
import { createTestApp, dialects, type Session, type TestApp } from './_util.js';

describe.each(dialects)('trust and safety [%s]', (dialect) => {
  let t: TestApp;
  let x: ReturnType<typeof api>;
  let admin: Session;

  beforeAll(async () => {
    // The published ladder's numbers (PRODUCT.md §4), whatever the defaults.
    t = await createTestApp(dialect, { INVITE_WEEKLY_LIMIT: '1000', SESSION_TTL_DAYS: '3650', SAFETY_WARN_IDK: '2' });
    x = api(t.app);
    admin = await makeMember(t.ctx, 'Ada Admin');
    await t.ctx.database.db.updateTable('members').set({ role: 'admin' }).where('id', '=', admin.id).execute();
  });
  afterAll(() => t.close());

  const health = async (s: Session) => (await x.call(s, 'GET', '/api/me/health')).json();
  /** The sender invites a fresh member, who answers "I don't know this person". */
  const idkFrom = async (sender: Session) => {
    const r = await makeMember(t.ctx, 'Stranger');
    const sent = await x.send(sender, r.id);
    expect(sent.statusCode).toBe(201);
    expect((await x.act(r, sent.json().invitation.id, 'idk')).statusCode).toBe(200);
    return r;
  };
  const emailOf = async (id: string) => (await t.ctx.database.db.selectFrom('members').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;

  it('climbs warn → restrict → suspend 7 days → restricted → suspend 30 days, with reasons and an audit row for each', async () => {
    const s = await makeMember(t.ctx, 'Spammy Sender');
    await idkFrom(s);
    expect((await health(s)).counters.idkRecipients).toBeNull(); // one IDK would point at one person
    await idkFrom(s);
    let h = await health(s);
    expect(h).toMatchObject({ level: 'warned', acknowledged: false, counters: { idkRecipients: 2 } });
    expect(h.reasons[0]).toContain("2 people said they don't know you");
    expect((await x.call(s, 'POST', '/api/me/health/acknowledge')).statusCode).toBe(204);
    expect((await health(s)).acknowledged).toBe(true);

    for (let i = 0; i < 3; i++) await idkFrom(s);
    h = await health(s);
    expect(h).toMatchObject({ level: 'restricted', weekly: { limit: 20 }, counters: { idkRecipients: 5 } });

    const target = await makeMember(t.ctx, 'Known Person');
    const missing = await x.send(s, target.id);
    expect(missing.json().error.code).toBe('RecipientEmailRequired');
    const wrong = await x.call(s, 'POST', '/api/invitations', { recipientId: target.id, email: 'guess@example.com' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('RecipientEmailMismatch');
    const right = await x.call(s, 'POST', '/api/invitations', { recipientId: target.id, email: (await emailOf(target.id)).toUpperCase() });
    expect(right.statusCode).toBe(201);

    // A further IDK while restricted suspends for 7 days.
    const r6 = await makeMember(t.ctx);
    const sent6 = await x.call(s, 'POST', '/api/invitations', { recipientId: r6.id, email: await emailOf(r6.id) });
    await x.act(r6, sent6.json().invitation.id, 'idk');
    h = await health(s);
    expect(h.level).toBe('suspended');
    expect(h.liftsAt).toBe(new Date(t.clock.now().getTime() + 7 * DAY_MS).toISOString());
    const blocked = await x.call(s, 'POST', '/api/invitations', { recipientId: (await makeMember(t.ctx)).id });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error).toMatchObject({ code: 'InvitingSuspended', details: { retryAt: h.liftsAt } });
    expect(Number(blocked.headers['retry-after'])).toBe(7 * 86_400);

    t.clock.advance(7 * DAY_MS);
    expect((await health(s)).level).toBe('restricted');
    const r7 = await makeMember(t.ctx);
    const sent7 = await x.call(s, 'POST', '/api/invitations', { recipientId: r7.id, email: await emailOf(r7.id) });
    await x.act(r7, sent7.json().invitation.id, 'idk');
    h = await health(s);
    expect(h.level).toBe('suspended');
    expect(h.liftsAt).toBe(new Date(t.clock.now().getTime() + 30 * DAY_MS).toISOString());

    const audit = await t.ctx.database.db.selectFrom('audit_log').select(['action', 'actor_id']).where('subject_id', '=', s.id).orderBy('at').orderBy('id').execute();
    expect(audit.filter((a) => a.action.startsWith('standing.')).map((a) => a.action)).toEqual([
      'standing.warned',
      'standing.restricted',
      'standing.suspended',
      'standing.restricted',
      'standing.suspended',
    ]);
    expect(audit.find((a) => a.action === 'standing.warned')?.actor_id).toBeNull();
  });

  it('steps down after a clean period and lets signals expire after 90 days', async () => {
    const s = await makeMember(t.ctx, 'Reformed Sender');
    for (let i = 0; i < 5; i++) await idkFrom(s);
    expect((await health(s)).level).toBe('restricted');
    t.clock.advance(30 * DAY_MS); // clean, but the 5 IDKs still count: restricted is what they call for
    expect((await health(s)).level).toBe('restricted');
    t.clock.advance(61 * DAY_MS); // the IDKs are now older than 90 days: one step down
    let h = await health(s);
    expect(h.level).toBe('warned');
    expect(h.counters.idkRecipients).toBeNull();
    t.clock.advance(29 * DAY_MS);
    expect((await health(s)).level).toBe('warned');
    t.clock.advance(1 * DAY_MS);
    h = await health(s);
    expect(h.level).toBe('none');
    expect(h.weekly.limit).toBe(1000);
  });

  it('warns a sender whose invitations are rarely accepted, over the last 50 answered ones', async () => {
    const s = await makeMember(t.ctx, 'Low Acceptance');
    for (let i = 0; i < 50; i++) {
      const r = await makeMember(t.ctx);
      const id = (await x.send(s, r.id)).json().invitation.id;
      if (i < 9) await x.act(r, id, 'accept'); // 18% accepted
    }
    expect((await health(s)).level).toBe('none'); // too fresh to judge
    t.clock.advance(8 * DAY_MS);
    const h = await health(s);
    expect(h.level).toBe('warned');
    expect(h.reasons[0]).toContain('Fewer than 20% of your last 50 invitations were accepted');
  });

  it('restricts at 2 upheld spam reports, and records the admin decisions', async () => {
    const s = await makeMember(t.ctx, 'Reported Sender');
    for (let i = 0; i < 2; i++) {
      const r = await makeMember(t.ctx);
      const id = (await x.send(s, r.id)).json().invitation.id;
      await x.act(r, id, 'spam');
    }
    const queue = (await x.call(admin, 'GET', '/api/admin/spam-reports?limit=100')).json();
    const mine = queue.items.filter((r: { sender: { id: string } }) => r.sender.id === s.id);
    expect(mine).toHaveLength(2);
    for (const report of mine) {
      const res = await x.call(admin, 'POST', `/api/admin/spam-reports/${report.id}/uphold`, { reason: 'Bulk pitch to strangers' });
      expect(res.json()).toEqual({ id: report.id, status: 'upheld' });
    }
    expect((await health(s)).level).toBe('restricted');
    const detail = (await x.call(admin, 'GET', `/api/admin/members/${s.id}`)).json();
    expect(detail.signals.spamUpheld).toBe(2);
    const audit = (await x.call(admin, 'GET', '/api/admin/audit?limit=100')).json();
    expect(audit.items.filter((a: { action: string; subjectId: string }) => a.action === 'spam_report.upheld' && a.subjectId === s.id)).toHaveLength(2);
  });

  it('takes one appeal per enforcement; an accepted appeal lifts it and the sender sees the note', async () => {
    const s = await makeMember(t.ctx, 'Appealing Sender');
    for (let i = 0; i < 2; i++) await idkFrom(s);
    const enforcementId = (await health(s)).enforcement.id;
    const appeal = await x.call(s, 'POST', '/api/me/appeals', { enforcementId, message: 'These were people from my old team.' });
    expect(appeal.statusCode).toBe(201);
    const again = await x.call(s, 'POST', '/api/me/appeals', { enforcementId, message: 'Please?' });
    expect(again.json().error.code).toBe('AppealExists');
    const other = await makeMember(t.ctx);
    expect((await x.call(other, 'POST', '/api/me/appeals', { enforcementId, message: 'Not mine' })).json().error.code).toBe('EnforcementNotFound');
    const open = (await x.call(admin, 'GET', '/api/admin/appeals?limit=100')).json();
    const mine = open.items.find((a: { member: { id: string } }) => a.member.id === s.id);
    expect(mine).toMatchObject({ status: 'open', message: 'These were people from my old team.', enforcement: { level: 'warned' } });
    await x.call(admin, 'POST', `/api/admin/appeals/${mine.id}/accept`, { note: 'Confirmed former colleagues.' });
    const h = await health(s);
    expect(h.level).toBe('none');
    const lifted = (await x.call(admin, 'GET', `/api/admin/members/${s.id}`)).json();
    expect(lifted.history[0]).toMatchObject({ to: 'none', source: 'admin' });
    // The old IDKs no longer count after a lift.
    await idkFrom(s);
    expect((await health(s)).level).toBe('none');
  });

  it('shows a rejected appeal with its note', async () => {
    const s = await makeMember(t.ctx, 'Rejected Appeal');
    await x.call(admin, 'POST', `/api/admin/members/${s.id}/restrict`, { reason: 'Manual review: purchased list' });
    const enforcementId = (await health(s)).enforcement.id;
    await x.call(s, 'POST', '/api/me/appeals', { enforcementId, message: 'I did not buy a list.' });
    const appealId = (await x.call(admin, 'GET', '/api/admin/appeals?limit=100')).json().items.find((a: { member: { id: string } }) => a.member.id === s.id).id;
    await x.call(admin, 'POST', `/api/admin/appeals/${appealId}/reject`, { note: 'The reports are consistent.' });
    const h = await health(s);
    expect(h).toMatchObject({ level: 'restricted', enforcement: { appeal: { status: 'rejected', note: 'The reports are consistent.' } } });
  });

  it('lets admins warn, restrict, suspend and lift by hand, and look members up', async () => {
    const s = await makeMember(t.ctx, 'Hand Moderated');
    for (const [action, level] of [['warn', 'warned'], ['restrict', 'restricted'], ['suspend', 'suspended'], ['lift', 'none']] as const) {
      const res = await x.call(admin, 'POST', `/api/admin/members/${s.id}/${action}`, { reason: `manual ${action}` });
      expect(res.json().level).toBe(level);
    }
    const found = (await x.call(admin, 'GET', `/api/admin/members?q=${encodeURIComponent('hand moderated')}`)).json();
    expect(found.items.map((m: { id: string }) => m.id)).toContain(s.id);
    const autos = (await x.call(admin, 'GET', '/api/admin/enforcements?source=admin&limit=100')).json();
    expect(autos.items.filter((e: { member: { id: string } }) => e.member.id === s.id)).toHaveLength(4);
  });

  it('refuses every admin route to members, restricted members and anonymous callers, and serves admins', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    const member = await makeMember(t.ctx, 'Plain Member');
    const restricted = await makeMember(t.ctx, 'Restricted Member');
    await x.call(admin, 'POST', `/api/admin/members/${restricted.id}/restrict`, { reason: 'matrix' });
    const subject = await makeMember(t.ctx, 'Matrix Subject');
    let routes = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/admin')) continue;
      for (const method of Object.keys(ops)) {
        routes++;
        const url = path.replace('{id}', subject.id);
        const payload = method === 'post' ? (path.includes('appeals') ? { note: 'n' } : { reason: 'r' }) : undefined;
        const call = (headers: Record<string, string>) => t.app.inject({ method: method.toUpperCase() as 'GET' | 'POST', url, headers, ...(payload && { payload }) });
        expect((await call({})).statusCode, `${method} ${path} anonymous`).toBe(401);
        expect((await call(member.headers)).statusCode, `${method} ${path} member`).toBe(403);
        expect((await call(restricted.headers)).statusCode, `${method} ${path} restricted`).toBe(403);
        expect([200, 404], `${method} ${path} admin`).toContain((await call(admin.headers)).statusCode);
      }
    }
    expect(routes).toBeGreaterThanOrEqual(12);
  });

  it('refuses an invitation or a message from a blocked member as not found, both ways', async () => {
    const a = await makeMember(t.ctx, 'Blocker');
    const b = await makeMember(t.ctx, 'Blocked');
    const id = (await x.send(b, a.id)).json().invitation.id;
    const reply = await x.reply(a, id, 'Who are you?');
    const conversationId = reply.json().conversationId;
    expect((await x.block(a, b.id)).statusCode).toBe(204);
    for (const [from, to] of [[a, b], [b, a]] as const) {
      expect((await x.send(from, to.id)).json().error.code).toBe('MemberNotFound');
      const msg = await x.call(from, 'POST', `/api/conversations/${conversationId}/messages`, { body: 'hello?' });
      expect(msg.statusCode).toBe(404);
      expect(msg.json().error.code).toBe('ConversationNotFound');
    }
    expect((await x.get(b, id)).json().error.code).toBe('InvitationNotFound');
    expect((await x.call(b, 'DELETE', `/api/blocks/${a.id}`)).statusCode).toBe(204); // b cannot lift a's block
    expect((await x.profile(b, a.id)).json().error.code).toBe('MemberNotFound');
    expect((await x.call(a, 'DELETE', `/api/blocks/${b.id}`)).statusCode).toBe(204);
    expect((await x.profile(b, a.id)).statusCode).toBe(200);
  });
});

describe.each(dialects)('the beyond-network signal [%s]', (dialect) => {
  let t: TestApp;
  let x: ReturnType<typeof api>;
  beforeAll(async () => {
    t = await createTestApp(dialect, { SAFETY_RESTRICT_BEYOND_NETWORK: '8', SESSION_TTL_DAYS: '3650' });
    x = api(t.app);
  });
  afterAll(() => t.close());

  const health = async (s: Session) => (await x.call(s, 'GET', '/api/me/health')).json();
  const connect = async (a: Session, b: Session) => {
    const sent = await x.send(a, b.id);
    expect((await x.act(b, sent.json().invitation.id, 'accept')).statusCode).toBe(200);
  };
  const beyond = async (id: string) => (await t.ctx.database.db.selectFrom('invitations').select('beyond_network').where('id', '=', id).executeTakeFirstOrThrow()).beyond_network;

  it('restricts a sender at 8 invitations in 7 days to people with no tie, at send time, and lets it step down', async () => {
    const s = await makeMember(t.ctx, 'Busy Sender');
    const [friend, friendOfFriend, colleague] = [await makeMember(t.ctx, 'Friend'), await makeMember(t.ctx, 'Friend of friend'), await makeMember(t.ctx, 'Colleague')];
    await connect(s, friend);
    await connect(friend, friendOfFriend);
    await t.ctx.members.updateProfile(s.id, { currentCompany: 'Acme Graphs' });
    await t.ctx.members.updateProfile(colleague.id, { currentCompany: 'Acme Graphs' });
    // Within 2 degrees or a shared employer: a tie, whatever the number.
    for (const r of [friendOfFriend, colleague]) expect(await beyond((await x.send(s, r.id)).json().invitation.id)).toBe(0);

    // The invitation that made the friend a connection went beyond the network too (no tie then): 1 + 7.
    for (let i = 0; i < 7; i++) {
      const sent = await x.send(s, (await makeMember(t.ctx, `Stranger ${i}`)).id);
      expect(sent.statusCode).toBe(201);
      expect(await beyond(sent.json().invitation.id)).toBe(1);
    }
    let h = await health(s);
    expect(h).toMatchObject({ level: 'restricted', weekly: { limit: 20 }, counters: { beyondNetworkThisWeek: 8 }, thresholds: { restrictBeyondNetwork: 8 } });
    expect(h.reasons[0]).toBe('8 invitations this week went to people outside your network');
    const next = await makeMember(t.ctx, 'Another stranger');
    expect((await x.send(s, next.id)).json().error.code).toBe('RecipientEmailRequired');
    const withEmail = await x.call(s, 'POST', '/api/invitations', { recipientId: next.id, email: next.email });
    expect(withEmail.statusCode, withEmail.body).toBe(201);

    // The week passes: the signal no longer calls for a restriction; 30 clean days after the last one, a step down.
    t.clock.advance(8 * DAY_MS);
    expect((await health(s)).level).toBe('restricted');
    t.clock.advance(22 * DAY_MS);
    h = await health(s);
    expect(h).toMatchObject({ level: 'warned', counters: { beyondNetworkThisWeek: 0 } });
  });
});
