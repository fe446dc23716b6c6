/**
 * SQLite keeps no statistics, so its planner picks an index by shape alone. This records every
 * statement a session of sends and answers prepares and checks, with EXPLAIN QUERY PLAN, that a
 * question about one member or one pair is answered through an index led by that member or pair,
 * never through one that covers the whole network (docs/storage.md, "Query plans").
 */
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember } from './_factories.js';
import { api } from './_invitations.js';
import { createTestApp, type TestApp } from './_util.js';

/** Indexes led by a status, an action or a time: they span every member. */
const NETWORK_WIDE = ['invitations_expiry', 'invitations_status_created', 'spam_reports_queue', 'invitation_events_action', 'invitations_created', 'spam_reports_decided'];
const MEMBER_OR_PAIR = /"(sender_id|recipient_id|member_id|pair_key|blocker_id|invitation_id)" = \?/;

describe('query plans [sqlite]', () => {
  let t: TestApp;
  const seen = new Set<string>();
  const prepare = SqliteDatabase.prototype.prepare;

  beforeAll(async () => {
    SqliteDatabase.prototype.prepare = function (this: SqliteDatabase.Database, text: string) {
      seen.add(text);
      return prepare.call(this, text);
    } as typeof prepare;
    t = await createTestApp('sqlite');
  });
  afterAll(async () => {
    SqliteDatabase.prototype.prepare = prepare;
    await t.close();
  });

  it('answers per-member and per-pair questions through indexes led by the member or the pair', async () => {
    const x = api(t.app);
    const sender = await makeMember(t.ctx, 'Sam Sender');
    for (const action of ['accept', 'ignore', 'idk', 'spam', 'withdraw'] as const) {
      const recipient = await makeMember(t.ctx, 'Rita Recipient');
      const sent = await x.send(sender, recipient.id, 'Hello');
      expect(sent.statusCode).toBe(201);
      const id = sent.json<{ invitation: { id: string } }>().invitation.id;
      if (action === 'idk') expect((await x.act(recipient, id, 'ignore')).statusCode).toBe(200);
      expect((await x.act(action === 'withdraw' ? sender : recipient, id, action)).statusCode).toBe(200);
      if (action === 'withdraw') expect((await x.send(sender, recipient.id)).statusCode).toBeGreaterThanOrEqual(400); // too soon after a withdrawal
      await x.profile(sender, recipient.id);
    }
    await x.sent(sender);
    await x.received(sender);
    await x.connections(sender);
    // The scheduled safety evaluation asks its per-sender questions too (an hour on, as the job would).
    t.clock.advance(3_600_000);
    expect(await t.ctx.safety.evaluateDue()).toBeGreaterThan(0);
    await x.call(sender, 'GET', '/api/me/health');

    const sqlite = new SqliteDatabase(t.ctx.database.url.replace(/^sqlite:(\/\/)?/, ''), { readonly: true });
    const asked = [...seen].filter((s) => /^\s*(select|update|delete|with)\b/i.test(s) && MEMBER_OR_PAIR.test(s));
    expect(asked.length).toBeGreaterThan(20);
    const wrong = asked.flatMap((text) => {
      const params = (text.match(/\?/g) ?? []).map(() => 'x');
      const plan = (sqlite.prepare(`explain query plan ${text}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
      return NETWORK_WIDE.some((index) => plan.includes(index)) || /\bSCAN (invitations|invitation_events|spam_reports|connections|members)\b/.test(plan) ? [`${plan} :: ${text}`] : [];
    });
    sqlite.close();
    expect(wrong).toEqual([]);
  });
});
