/** "Download my data" and account deletion over HTTP (docs/security.md, "Your data", "Deleting an account"). */
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountDeletionService } from '../src/server/modules/account/account-deletion.service.js';
import { messagingApi } from './_messaging.js';
import { createTestApp, dialects, PASSWORD, signupAndLogin, type Session, type TestApp } from './_util.js';

describe.each(dialects)('your data and deleting an account [%s]', (dialect) => {
  let t: TestApp;
  let x: ReturnType<typeof messagingApi>;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    x = messagingApi(t.app);
  });
  afterAll(() => t.close());

  const health = async (s: Session) => (await x.call(s, 'GET', '/api/me/health')).json();
  const exportJson = async (s: Session) => {
    const r = await x.call(s, 'GET', '/api/account/export.json');
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const deleteAccount = (s: Session, password = PASSWORD) => x.call(s, 'POST', '/api/account/delete', { password });

  it('exports sent invitations only as the sender may see them: an ignored or IDK one reads pending', async () => {
    const me = await signupAndLogin(t.app, 'Exporting Sender');
    const [a, b, c] = [await signupAndLogin(t.app, 'Ignorer'), await signupAndLogin(t.app, 'Unsure One'), await signupAndLogin(t.app, 'Silent')];
    const toA = await x.invite(me, a);
    const toB = await x.invite(me, b);
    const toC = await x.invite(me, c);
    expect((await x.act(a, toA, 'ignore')).statusCode).toBe(200);
    expect((await x.act(b, toB, 'idk')).statusCode).toBe(200);
    const data = await exportJson(me);
    const sent = data.invitationsSent as Array<Record<string, unknown>>;
    const shape = (id: string) => {
      const row = sent.find((i) => i.id === id);
      return { status: row?.status, closedAt: row?.closedAt, keys: Object.keys(row ?? {}).sort() };
    };
    expect(shape(toA)).toEqual(shape(toC));
    expect(shape(toB)).toEqual(shape(toC));
    expect(shape(toC).status).toBe('pending');
    const text = JSON.stringify(data);
    for (const word of ['ignored', 'idk', 'spam', 'archived']) expect(text.toLowerCase()).not.toContain(word);
  });

  it('exports received invitations with my own folder and flags, connections, messages, tokens without secrets and sessions', async () => {
    const me = await signupAndLogin(t.app, 'Exporting Member');
    const friend = await signupAndLogin(t.app, 'Friend, "Quoted"');
    const stranger = await signupAndLogin(t.app, 'Stranger');
    await x.call(me, 'PATCH', '/api/me/profile', { headline: '=HYPERLINK("http://evil")', positions: [{ title: 'Engineer', company: 'Acme', startYear: 2019, endYear: null }] });
    await x.connect(friend, me);
    const conversation = (await x.start(me, friend.id)).json().id as string;
    expect((await x.post(friend, conversation, 'Hello, "there"\nsecond line')).statusCode).toBe(201);
    const fromStranger = await x.invite(stranger, me);
    expect((await x.act(me, fromStranger, 'idk')).statusCode).toBe(200);
    const token = await x.call(me, 'POST', '/api/tokens', { name: 'my script' });
    const secret = token.json().secret as string;

    const data = await exportJson(me);
    expect(data.account).toMatchObject({ id: me.id, email: me.email });
    expect(data.experience).toEqual([{ title: 'Engineer', company: 'Acme', startYear: 2019, endYear: null }]);
    expect(data.connections).toEqual([expect.objectContaining({ memberId: friend.id, fullName: 'Friend, "Quoted"' })]);
    expect(data.invitationsReceived).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: fromStranger, status: 'ignored', folder: 'archived', idk: true }), expect.objectContaining({ status: 'accepted' })]),
    );
    expect(data.messages).toEqual([expect.objectContaining({ conversationId: conversation, from: 'Friend, "Quoted"', body: 'Hello, "there"\nsecond line' })]);
    expect(data.notifications.length).toBeGreaterThan(0);
    expect(data.emailPreferences).toEqual({ invitations: true, reminders: true, messages: true });
    expect(data.apiTokens).toEqual([expect.objectContaining({ name: 'my script', revokedAt: null })]);
    expect(data.sessions).toEqual([expect.objectContaining({ current: true })]);
    const text = JSON.stringify(data);
    expect(text).not.toContain(secret);
    const hashes = await t.ctx.database.db.selectFrom('api_tokens').select('token_hash').where('member_id', '=', me.id).execute();
    const sessionHashes = await t.ctx.database.db.selectFrom('sessions').select(['token_hash', 'csrf_token']).where('member_id', '=', me.id).execute();
    for (const h of [...hashes.map((r) => r.token_hash), ...sessionHashes.flatMap((r) => [r.token_hash, r.csrf_token])]) expect(text).not.toContain(h);

    const zip = await x.call(me, 'GET', '/api/account/export.zip');
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(String(zip.headers['content-disposition'])).toMatch(/^attachment; filename="rapport-data-\d{4}-\d\d-\d\d\.zip"$/);
    const files = unzipSync(new Uint8Array(zip.rawPayload));
    expect(Object.keys(files).sort()).toEqual(
      ['API_Tokens.csv', 'Connections.csv', 'Education.csv', 'Email_Preferences.csv', 'Experience.csv', 'Invitations_Received.csv', 'Invitations_Sent.csv', 'Messages.csv', 'Notifications.csv', 'Profile.csv', 'Sessions.csv'].sort(),
    );
    const csv = (name: string) => strFromU8(files[name] ?? new Uint8Array()).replace(/^\uFEFF/, '');
    expect(csv('Connections.csv').split('\n')[0]).toBe('memberId,fullName,headline,currentTitle,currentCompany,connectedAt');
    expect(csv('Connections.csv')).toContain('"Friend, ""Quoted"""');
    expect(csv('Messages.csv')).toContain('"Hello, ""there""\nsecond line"');
    // A spreadsheet must not run a member's text as a formula.
    expect(csv('Profile.csv')).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv('API_Tokens.csv')).not.toContain(secret);
  });

  it('deletes an account only with its password', async () => {
    const me = await signupAndLogin(t.app);
    const wrong = await deleteAccount(me, 'not my password');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('WrongPassword');
    expect((await x.call(me, 'GET', '/api/me')).statusCode).toBe(200);
  });

  it('on deletion withdraws sent invitations, removes connections, keeps messages with the other member, and frees the email', async () => {
    const me = await signupAndLogin(t.app, 'Leaving Member');
    const friend = await signupAndLogin(t.app, 'Staying Friend');
    const invited = await signupAndLogin(t.app, 'Invited Member');
    await x.connect(me, friend);
    const conversation = (await x.start(friend, me.id)).json().id as string;
    expect((await x.post(me, conversation, 'Goodbye')).statusCode).toBe(201);
    const toInvited = await x.invite(me, invited);
    const secret = (await x.call(me, 'POST', '/api/tokens', { name: 'script' })).json().secret as string;
    const notificationsBefore = (await x.notifications(friend)).json().items.length;
    const mailBefore = await t.ctx.database.db.selectFrom('emails').select('id').where('to_address', 'in', [friend.email, invited.email]).execute();

    const r = await deleteAccount(me);
    expect(r.statusCode, r.body).toBe(204);
    expect((await x.call(me, 'GET', '/api/me')).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: me.email, password: PASSWORD } })).statusCode).toBe(401);

    // Invitations: the recipient's inbox no longer holds it.
    expect((await x.received(invited)).json().items.map((i: { id: string }) => i.id)).not.toContain(toInvited);
    // Connections: gone from the friend's side; the profile is not found, nor in search.
    expect((await x.connections(friend)).json().total).toBe(0);
    expect((await x.profile(friend, me.id)).statusCode).toBe(404);
    expect((await x.call(friend, 'GET', '/api/members?q=leaving')).json().items).toEqual([]);
    expect((await x.send(friend, me.id)).statusCode).toBe(404);
    // Messages: still in the friend's conversation, under "Deleted member"; nobody can write to them.
    const messages = (await x.messages(friend, conversation)).json().items as Array<{ body: string }>;
    expect(messages.map((m) => m.body)).toContain('Goodbye');
    expect(JSON.stringify((await x.conversation(friend, conversation)).json())).toContain('Deleted member');
    expect((await x.post(friend, conversation, 'Are you there?')).statusCode).toBe(403);
    // Nobody was told: no notification, no email to the others.
    expect((await x.notifications(friend)).json().items.length).toBe(notificationsBefore);
    const mailAfter = await t.ctx.database.db.selectFrom('emails').select('id').where('to_address', 'in', [friend.email, invited.email]).execute();
    expect(mailAfter.length).toBe(mailBefore.length);
    // The account's own address was told, and can sign up again.
    const told = await t.ctx.database.db.selectFrom('emails').select('subject').where('to_address', '=', me.email).execute();
    expect(told.map((m) => m.subject)).toContain('Your Rapport account was deleted');
    const again = await signupAndLogin(t.app, 'Back Again', me.email);
    expect(again.id).not.toBe(me.id);
    // Nothing personal is left on the tombstone.
    const row = await t.ctx.database.db.selectFrom('members').selectAll().where('id', '=', me.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ full_name: 'Deleted member', headline: '', about: '', skills: '[]' });
    expect(row.deleted_at).not.toBeNull();
    expect(row.email).not.toContain(me.email.split('@')[0]);
    expect(await t.ctx.database.db.selectFrom('sessions').select('id').where('member_id', '=', me.id).execute()).toEqual([]);
    expect(await t.ctx.database.db.selectFrom('api_tokens').select('id').where('member_id', '=', me.id).execute()).toEqual([]);
  });

  it('ends an ignored, an IDK and a pending invitation the same way for their sender when the recipient deletes the account, and leaves the sender\'s health totals as they were', async () => {
    const sender = await signupAndLogin(t.app, 'Curious Sender');
    const recipients = [await signupAndLogin(t.app, 'R Ignore'), await signupAndLogin(t.app, 'R Idk'), await signupAndLogin(t.app, 'R Pending')];
    const [ri, rk, rp] = recipients as [Session, Session, Session];
    const ids = [await x.invite(sender, ri), await x.invite(sender, rk), await x.invite(sender, rp)];
    expect((await x.act(ri, ids[0] as string, 'ignore')).statusCode).toBe(200);
    expect((await x.act(rk, ids[1] as string, 'idk')).statusCode).toBe(200);
    const healthBefore = await health(sender);
    for (const r of recipients) expect((await deleteAccount(r)).statusCode).toBe(204);

    const seen = async (id: string) => {
      const inv = (await x.get(sender, id)).json();
      const events = (await x.events(sender, id)).json().items.map((e: { action: string; actor: string }) => [e.action, e.actor]);
      return { status: inv.status, keys: Object.keys(inv).sort(), recipient: inv.recipient.fullName, events };
    };
    const pending = await seen(ids[2] as string);
    expect(pending).toMatchObject({ status: 'expired', recipient: 'Deleted member' });
    expect(await seen(ids[0] as string)).toEqual(pending);
    expect(await seen(ids[1] as string)).toEqual(pending);
    // Only the share still outstanding moves (all three closed), as it would for three pending ones.
    const after = await health(sender);
    expect({ ...after, counters: { ...after.counters, outstandingShare: 'any' } }).toEqual({ ...healthBefore, counters: { ...healthBefore.counters, outstandingShare: 'any' } });
    const idk = await t.ctx.database.db.selectFrom('invitations').select(['idk']).where('id', '=', ids[1] as string).executeTakeFirstOrThrow();
    expect(Number(idk.idk)).toBe(1); // the safety signal against the sender stays
  });

  it('deletes all or nothing: a failure in the last step leaves the account, its connections and invitations whole', async () => {
    const me = await signupAndLogin(t.app, 'Almost Gone');
    const friend = await signupAndLogin(t.app, 'Friend');
    const invited = await signupAndLogin(t.app, 'Invited');
    await x.connect(me, friend);
    const open = await x.invite(me, invited);
    const c = t.ctx;
    // The real services, with the members module failing at the end as a crash would.
    const failing = new AccountDeletionService(c.database, c.clock, {
      account: c.account, invitations: c.invitations, connections: c.connections, messaging: c.messaging, notifications: c.notifications, mailer: c.mailer,
      members: Object.assign(Object.create(c.members) as typeof c.members, { eraseAccount: async () => { throw new Error('disk full'); } }),
    });
    await expect(failing.deleteAccount(me.id, PASSWORD)).rejects.toThrow('disk full');
    expect((await x.call(me, 'GET', '/api/me')).statusCode).toBe(200);
    expect((await x.connections(friend)).json().total).toBe(1);
    expect((await x.received(invited)).json().items.map((i: { id: string }) => i.id)).toContain(open);
    expect((await x.profile(friend, me.id)).statusCode).toBe(200);
    expect(t.ctx.graph.connected(me.id, friend.id)).toBe(true);
  });
});
