/**
 * The beyond-network signal (docs/safety.md): invitations to people with no tie to the sender
 * restrict an established sender at the next evaluation; a newcomer gets a lower weekly limit and
 * is restricted only when its invitations beyond the network go mostly unaccepted. Split from
 * safety.test.ts, which covers the rest of the ladder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../src/server/clock.js';
import { makeMember } from './_factories.js';
import { api } from './_invitations.js';
import { createTestApp, dialects, type Session, type TestApp } from './_util.js';

const HOUR_MS = 3_600_000;

describe.each(dialects)('the beyond-network signal [%s]', (dialect) => {
  let t: TestApp;
  let x: ReturnType<typeof api>;
  beforeAll(async () => {
    t = await createTestApp(dialect, { SAFETY_RESTRICT_BEYOND_NETWORK: '8', SESSION_TTL_DAYS: '3650', SAFETY_NEWCOMER_DAYS: '30', SAFETY_NEWCOMER_WEEKLY_LIMIT: '30' });
    x = api(t.app);
  });
  afterAll(() => t.close());

  const health = async (s: Session) => (await x.call(s, 'GET', '/api/me/health')).json();
  const evaluate = async () => {
    t.clock.advance(HOUR_MS);
    await t.ctx.safety.evaluateDue();
  };
  const connect = async (a: Session, b: Session) => {
    const sent = await x.send(a, b.id);
    expect((await x.act(b, sent.json().invitation.id, 'accept')).statusCode).toBe(200);
  };
  const beyond = async (id: string) => (await t.ctx.database.db.selectFrom('invitations').select('beyond_network').where('id', '=', id).executeTakeFirstOrThrow()).beyond_network;
  /** A member who joined long ago: no longer a newcomer. */
  const established = async (name: string) => {
    const m = await makeMember(t.ctx, name);
    await t.ctx.database.db.updateTable('members').set({ created_at: new Date(t.clock.now().getTime() - 365 * DAY_MS).toISOString() }).where('id', '=', m.id).execute();
    return m;
  };

  it('restricts an established sender at 8 unaccepted invitations in 7 days to people with no tie, at the next evaluation, and lets it step down', async () => {
    const s = await established('Busy Sender');
    const [friend, friendOfFriend, colleague] = [await makeMember(t.ctx, 'Friend'), await makeMember(t.ctx, 'Friend of friend'), await makeMember(t.ctx, 'Colleague')];
    await connect(s, friend);
    await connect(friend, friendOfFriend);
    await t.ctx.members.updateProfile(s.id, { currentCompany: 'Acme Graphs' });
    await t.ctx.members.updateProfile(colleague.id, { currentCompany: 'Acme Graphs' });
    // Within 2 degrees or a shared employer: a tie, whatever the number.
    for (const r of [friendOfFriend, colleague]) expect(await beyond((await x.send(s, r.id)).json().invitation.id)).toBe(0);

    // The invitation that made the friend a connection went beyond the network too (no tie then), but it was accepted: 8 more.
    for (let i = 0; i < 8; i++) {
      const sent = await x.send(s, (await makeMember(t.ctx, `Stranger ${i}`)).id);
      expect(sent.statusCode).toBe(201);
      expect(await beyond(sent.json().invitation.id)).toBe(1);
    }
    expect((await health(s)).level).toBe('none');
    await evaluate();
    let h = await health(s);
    expect(h).toMatchObject({ level: 'restricted', weekly: { limit: 20 }, counters: { beyondNetworkThisWeek: 8 }, thresholds: { restrictBeyondNetwork: 8 }, newcomer: null });
    expect(h.reasons[0]).toBe('8 or more invitations this week went to people outside your network and were not accepted');
    const next = await makeMember(t.ctx, 'Another stranger');
    expect((await x.send(s, next.id)).json().error.code).toBe('RecipientEmailRequired');
    const withEmail = await x.call(s, 'POST', '/api/invitations', { recipientId: next.id, email: next.email });
    expect(withEmail.statusCode, withEmail.body).toBe(201);

    // The week passes: the signal no longer calls for a restriction; 30 clean days after the last one, a step down.
    t.clock.advance(8 * DAY_MS);
    await evaluate();
    expect((await health(s)).level).toBe('restricted');
    t.clock.advance(22 * DAY_MS);
    await evaluate();
    h = await health(s);
    expect(h).toMatchObject({ level: 'warned', counters: { beyondNetworkThisWeek: 0 } });
  });

  it('never restricts a newcomer (empty profile) for inviting people who accept, and gives it a lower weekly limit instead', async () => {
    const s = await makeMember(t.ctx, 'Brand New');
    for (let i = 0; i < 12; i++) {
      const r = await makeMember(t.ctx, `Old friend ${i}`);
      const sent = await x.send(s, r.id);
      expect(await beyond(sent.json().invitation.id)).toBe(1);
      if (i < 10) expect((await x.act(r, sent.json().invitation.id, 'accept')).statusCode).toBe(200);
      if (i % 4 === 0) await evaluate();
    }
    await evaluate();
    let h = await health(s);
    expect(h).toMatchObject({ level: 'none', weekly: { limit: 30 }, newcomer: { weeklyLimit: 30 } });
    t.clock.advance(8 * DAY_MS); // past the grace period: judged together with their outcomes
    await evaluate();
    h = await health(s);
    expect(h.level).toBe('none');
    const audit = await t.ctx.database.db.selectFrom('enforcements').select('to_level').where('member_id', '=', s.id).execute();
    expect(audit).toEqual([]);
  });

  it('holds a newcomer to its weekly limit, and restricts it once its invitations beyond the network go mostly unaccepted past the grace period', async () => {
    const s = await makeMember(t.ctx, 'New Spammer');
    for (let i = 0; i < 30; i++) expect((await x.send(s, (await makeMember(t.ctx)).id)).statusCode).toBe(201);
    const over = await x.send(s, (await makeMember(t.ctx)).id);
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('WeeklyInviteLimit');
    await evaluate();
    expect((await health(s)).level).toBe('none'); // nobody has had time to answer
    t.clock.advance(7 * DAY_MS);
    await evaluate();
    const h = await health(s);
    expect(h.level).toBe('restricted');
    expect(h.reasons[0]).toBe("Fewer than 50% of your new account's invitations to people outside your network were accepted");
  });
});
