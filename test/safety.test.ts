/**
 * The published ladder, enforcement at send time, account health, appeals and moderation, over HTTP.
 * The ladder moves only in the scheduled evaluation (`evaluate()` below runs it an hour later, as
 * the `safety.evaluate` job would), never at the moment of an answer. The beyond-network signal
 * is in safety.beyond-network.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../src/server/clock.js';
import { createWorker, scheduleRecurring } from '../src/server/context.jobs.js';
import { makeMember } from './_factories.js';
import { api } from './_invitations.js';
import { createTestApp, dialects, type Session, type TestApp } from './_util.js';

const HOUR_MS = 3_600_000;

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
  /** The next scheduled evaluation, an hour on. */
  const evaluate = async () => {
    t.clock.advance(HOUR_MS);
    await t.ctx.safety.evaluateDue();
  };
  /** The sender invites a fresh member, who answers "I don't know this person". */
  const idkFrom = async (sender: Session) => {
    const r = await makeMember(t.ctx, 'Stranger');
    const sent = await x.send(sender, r.id);
    expect(sent.statusCode).toBe(201);
    expect((await x.act(r, sent.json().invitation.id, 'idk')).statusCode).toBe(200);
    return r;
  };
  const emailOf = async (id: string) => (await t.ctx.database.db.selectFrom('members').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;

  it('climbs warn → restrict → suspend 7 days → restricted → suspend 30 days at scheduled evaluations, with reasons and an audit row for each', async () => {
    const s = await makeMember(t.ctx, 'Spammy Sender');
    await idkFrom(s);
    await idkFrom(s);
    // Nothing moves at the moment of an answer.
    expect(await health(s)).toMatchObject({ level: 'none', counters: { idkRecipients: 'none' } });
    await evaluate();
    let h = await health(s);
    expect(h).toMatchObject({ level: 'warned', acknowledged: false, counters: { idkRecipients: 'few' } });
    expect(h.reasons[0]).toBe("2 or more people said they don't know you");
    expect((await x.call(s, 'POST', '/api/me/health/acknowledge')).statusCode).toBe(204);
    expect((await health(s)).acknowledged).toBe(true);

    for (let i = 0; i < 3; i++) await idkFrom(s);
    await evaluate();
    h = await health(s);
    expect(h).toMatchObject({ level: 'restricted', weekly: { limit: 20 }, counters: { idkRecipients: 'several' } });

    const target = await makeMember(t.ctx, 'Known Person');
    const missing = await x.send(s, target.id);
    expect(missing.json().error.code).toBe('RecipientEmailRequired');
    const wrong = await x.call(s, 'POST', '/api/invitations', { recipientId: target.id, email: 'guess@example.com' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('RecipientEmailMismatch');
    const right = await x.call(s, 'POST', '/api/invitations', { recipientId: target.id, email: (await emailOf(target.id)).toUpperCase() });
    expect(right.statusCode).toBe(201);

    // A further IDK while restricted suspends for 7 days, from the next evaluation.
    const r6 = await makeMember(t.ctx);
    const sent6 = await x.call(s, 'POST', '/api/invitations', { recipientId: r6.id, email: await emailOf(r6.id) });
    await x.act(r6, sent6.json().invitation.id, 'idk');
    expect((await health(s)).level).toBe('restricted');
    await evaluate();
    h = await health(s);
    expect(h.level).toBe('suspended');
    expect(h.liftsAt).toBe(new Date(t.clock.now().getTime() + 7 * DAY_MS).toISOString());
    const blocked = await x.call(s, 'POST', '/api/invitations', { recipientId: (await makeMember(t.ctx)).id });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error).toMatchObject({ code: 'InvitingSuspended', details: { retryAt: h.liftsAt } });
    expect(Number(blocked.headers['retry-after'])).toBe(7 * 86_400);

    // The suspension ends at the time the sender was shown, before any evaluation.
    t.clock.advance(7 * DAY_MS);
    expect((await health(s)).level).toBe('restricted');
    const r7 = await makeMember(t.ctx);
    const sent7 = await x.call(s, 'POST', '/api/invitations', { recipientId: r7.id, email: await emailOf(r7.id) });
    expect(sent7.statusCode).toBe(201);
    await x.act(r7, sent7.json().invitation.id, 'idk');
    await evaluate();
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

  it('shows the sender nothing of an answer before the next evaluation: health and sending are identical whether recipients said IDK or did nothing', async () => {
    const quiet = await makeMember(t.ctx, 'Quiet World');
    const answered = await makeMember(t.ctx, 'Answered World');
    for (let i = 0; i < 5; i++) {
      await x.send(quiet, (await makeMember(t.ctx)).id);
      await idkFrom(answered); // 5 of 5 said "I don't know"
    }
    const strip = (h: Record<string, unknown>) => ({ ...h, since: undefined });
    expect(strip(await health(answered))).toEqual(strip(await health(quiet)));
    // The send gate reads the standing as of the last evaluation: no email asked, no refusal.
    expect((await x.send(answered, (await makeMember(t.ctx)).id)).statusCode).toBe(201);
    await evaluate();
    const h = await health(answered);
    expect(h).toMatchObject({ level: 'restricted', counters: { idkRecipients: 'several' } });
    expect(JSON.stringify(h)).not.toMatch(/\b5 people\b/);
  });

  it('shows two senders the same health after an evaluation when one recipient said IDK and the other did nothing', async () => {
    const [a, b] = [await makeMember(t.ctx, 'Sender A'), await makeMember(t.ctx, 'Sender B')];
    const [ra, rb] = [await makeMember(t.ctx, 'Recipient A'), await makeMember(t.ctx, 'Recipient B')];
    const sentA = (await x.send(a, ra.id)).json().invitation.id;
    expect((await x.send(b, rb.id)).statusCode).toBe(201);
    await evaluate();
    t.clock.advance(3 * HOUR_MS);
    await evaluate();
    // Only A's recipient answers; B's leaves it in the inbox. Then the next scheduled evaluation.
    expect((await x.act(ra, sentA, 'idk')).statusCode).toBe(200);
    await evaluate();
    const [ha, hb] = [await health(a), await health(b)];
    expect(ha).toEqual(hb);
    expect(ha.evaluation.lastAt).toBe(t.clock.now().toISOString());
  });

  it('runs the evaluation as a durable recurring job (safety.evaluate), every SAFETY_EVALUATION_MINUTES', async () => {
    const s = await makeMember(t.ctx, 'Job Evaluated');
    for (let i = 0; i < 2; i++) await idkFrom(s);
    await scheduleRecurring(t.ctx);
    const queued = await t.ctx.database.db.selectFrom('jobs').select(['run_at']).where('key', '=', 'cron:safety.evaluate').where('state', '=', 'queued').execute();
    expect(queued).toHaveLength(1);
    t.clock.set(new Date(Math.max(t.clock.now().getTime(), Date.parse(queued[0]?.run_at ?? '')) + 1000));
    const worker = createWorker(t.ctx);
    await worker.runDue();
    expect((await health(s)).level).toBe('warned');
    const next = await t.ctx.database.db.selectFrom('jobs').select(['run_at']).where('key', '=', 'cron:safety.evaluate').where('state', '=', 'queued').executeTakeFirstOrThrow();
    expect(Date.parse(next.run_at) - t.clock.now().getTime()).toBe(t.config.SAFETY_EVALUATION_MINUTES * 60_000);
  });

  it("cancels a recipient's IDK once they accept, and lifts the pair's bar", async () => {
    const s = await makeMember(t.ctx, 'Known After All');
    const recipients = [];
    for (let i = 0; i < 5; i++) recipients.push(await idkFrom(s));
    const r = recipients[0] as Session;
    const archived = (await x.call(r, 'GET', '/api/invitations/received?folder=archived')).json().items;
    const invitationId = archived.find((i: { sender: { id: string } }) => i.sender.id === s.id).id;
    expect((await x.act(r, invitationId, 'accept')).statusCode).toBe(200);
    const bar = await t.ctx.database.db.selectFrom('pair_bars').select('sender_id').where('recipient_id', '=', r.id).where('sender_id', '=', s.id).execute();
    expect(bar).toEqual([]);
    await evaluate();
    // 4 IDK recipients count, not 5: warned, not restricted.
    expect((await health(s)).level).toBe('warned');
    const detail = (await x.call(admin, 'GET', `/api/admin/members/${s.id}`)).json();
    expect(detail.signals.idkRecipients).toBe(4);
    // After they part ways, a new invitation reaches R's inbox like any other.
    expect((await x.call(r, 'DELETE', `/api/connections/${s.id}`)).statusCode).toBe(204);
    t.clock.advance(DAY_MS);
    const again = await x.call(s, 'POST', '/api/invitations', { recipientId: r.id });
    expect(again.statusCode).toBe(201);
    const inbox = (await x.call(r, 'GET', '/api/invitations/received?folder=inbox')).json().items;
    expect(inbox.map((i: { id: string }) => i.id)).toContain(again.json().invitation.id);
  });

  it('steps down after a clean period and lets signals expire after 90 days', async () => {
    const s = await makeMember(t.ctx, 'Reformed Sender');
    for (let i = 0; i < 5; i++) await idkFrom(s);
    await evaluate();
    expect((await health(s)).level).toBe('restricted');
    t.clock.advance(30 * DAY_MS); // clean, but the 5 IDKs still count: restricted is what they call for
    await evaluate();
    expect((await health(s)).level).toBe('restricted');
    t.clock.advance(61 * DAY_MS); // the IDKs are now older than 90 days: one step down
    await evaluate();
    let h = await health(s);
    expect(h.level).toBe('warned');
    expect(h.counters.idkRecipients).toBe('none');
    t.clock.advance(29 * DAY_MS);
    await evaluate();
    expect((await health(s)).level).toBe('warned');
    t.clock.advance(1 * DAY_MS);
    await evaluate();
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
    await evaluate();
    expect((await health(s)).level).toBe('none'); // too fresh to judge
    t.clock.advance(8 * DAY_MS);
    await evaluate();
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
    // Upheld reports count from the next scheduled evaluation; the admin sees what it will set.
    expect((await health(s)).level).toBe('none');
    let detail = (await x.call(admin, 'GET', `/api/admin/members/${s.id}`)).json();
    expect(detail).toMatchObject({ level: 'none', nextLevel: 'restricted', evaluatedAt: null, signals: { spamUpheld: 2 } });
    await evaluate();
    expect((await health(s))).toMatchObject({ level: 'restricted', counters: { spamReportsUpheld: 'several' } });
    detail = (await x.call(admin, 'GET', `/api/admin/members/${s.id}`)).json();
    expect(detail).toMatchObject({ level: 'restricted', nextLevel: 'restricted', signals: { spamUpheld: 2 } });
    const audit = (await x.call(admin, 'GET', '/api/admin/audit?limit=100')).json();
    expect(audit.items.filter((a: { action: string; subjectId: string }) => a.action === 'spam_report.upheld' && a.subjectId === s.id)).toHaveLength(2);
  });

  it('takes one appeal per enforcement; an accepted appeal lifts it and the sender sees the note', async () => {
    const s = await makeMember(t.ctx, 'Appealing Sender');
    for (let i = 0; i < 2; i++) await idkFrom(s);
    await evaluate();
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
    await evaluate();
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

  it('never shows a member in good standing as having "no recent signals" while signals are there', async () => {
    const s = await makeMember(t.ctx, 'One Report');
    const r = await makeMember(t.ctx);
    const id = (await x.send(s, r.id)).json().invitation.id;
    await x.act(r, id, 'spam');
    const report = (await x.call(admin, 'GET', '/api/admin/spam-reports?limit=100')).json().items.find((i: { sender: { id: string } }) => i.sender.id === s.id);
    await x.call(admin, 'POST', `/api/admin/spam-reports/${report.id}/uphold`, { reason: 'Pitch' });
    await evaluate();
    const detail = (await x.call(admin, 'GET', `/api/admin/members/${s.id}`)).json();
    expect(detail).toMatchObject({ level: 'none', signals: { idkRecipients: 1, spamUpheld: 1 } });
    expect(detail.reason).toBe('Some signals, all below the thresholds');
    expect(detail.evaluatedAt).toBe(t.clock.now().toISOString());
    expect((await health(s)).counters).toMatchObject({ idkRecipients: 'none', spamReportsUpheld: 'few' });
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
