/**
 * Email over real SMTP: a local `smtp-server` receives what the worker sends through nodemailer;
 * every received email is parsed with mailparser and checked (Message-ID, both parts, list headers
 * for its category). Flows go through the HTTP API as members would drive them.
 */
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../src/server/clock.js';
import { createWorker } from '../src/server/context.jobs.js';
import { addressOf, header, startSmtpSink, type SmtpSink } from './_email.js';
import { makeMember } from './_factories.js';
import { api } from './_invitations.js';
import { createTestApp, dialects, signupAndLogin, type Session, type TestApp } from './_util.js';

const PUBLIC_URL = 'https://rapport.test';
const NOTE = `Loved your talk <script>alert("x")</script> & Tom's "plan"`;

describe.each(dialects)('email over SMTP [%s]', (dialect) => {
  let t: TestApp;
  let sink: SmtpSink;
  let call: ReturnType<typeof api>;
  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp(dialect, { SMTP_URL: sink.url, PUBLIC_URL });
    call = api(t.app);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  /** Run every due job, then parse what the SMTP server received and check the parts every email must have. */
  async function deliver(): Promise<ParsedMail[]> {
    await createWorker(t.ctx).runDue();
    const mails = await sink.take();
    const order = new Map<ParsedMail, string>();
    for (const mail of mails) {
      const row = await t.ctx.database.db.selectFrom('emails').selectAll().where('message_id', '=', mail.messageId ?? '').executeTakeFirst();
      order.set(mail, row?.id ?? '');
      expect(row, `a stored email for ${mail.messageId}`).toBeDefined();
      expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@rapport\.test>$/);
      expect(mail.text?.length).toBeGreaterThan(0);
      expect(typeof mail.html === 'string' && mail.html.includes('<!doctype html>')).toBe(true);
      if (row?.category === 'account') {
        expect(header(mail, 'list-unsubscribe')).toBeUndefined();
      } else {
        expect(header(mail, 'list-unsubscribe')).toMatch(/^<https:\/\/rapport\.test\/unsubscribe\?token=[^>\s]+>$/);
        expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
        expect(mail.text).toContain(unsubscribeUrl(mail));
      }
    }
    // SMTP deliveries run concurrently and arrive in any order: return them in the order they were written.
    return mails.sort((a, b) => (order.get(a) ?? '').localeCompare(order.get(b) ?? ''));
  }
  const unsubscribeUrl = (mail: ParsedMail) => (header(mail, 'list-unsubscribe') ?? '').replace(/^<|>$/g, '');
  const to = (mails: ParsedMail[], s: Session) => mails.filter((m) => addressOf(m) === s.email);
  const invite = async (from: Session, recipient: Session, note?: string) => {
    const res = await call.send(from, recipient.id, note);
    expect(res.statusCode).toBe(201);
    return res.json<{ invitation: { id: string } }>().invitation.id;
  };

  it('emails a new invitation with the note (escaped in HTML) and Accept / Ignore links into the app', async () => {
    const ada = await makeMember(t.ctx, 'Ada <b>Lovelace</b>');
    const bob = await makeMember(t.ctx, 'Bob Stone');
    const id = await invite(ada, bob, NOTE);
    const mails = await deliver();
    expect(mails).toHaveLength(1);
    const [mail] = to(mails, bob);
    if (!mail) throw new Error('no invitation email');
    expect(mail.subject).toBe('Ada <b>Lovelace</b> invited you to connect');
    expect(mail.text).toContain(NOTE);
    expect(mail.text).toContain(`Accept: ${PUBLIC_URL}/invitations/${id}?action=accept`);
    expect(mail.text).toContain(`Ignore: ${PUBLIC_URL}/invitations/${id}?action=ignore`);
    const html = String(mail.html);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>Lovelace</b>');
    expect(html).toContain('Loved your talk &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; Tom&#39;s &#34;plan&#34;');
    expect(html).toContain('Ada &#60;b&#62;Lovelace&#60;/b&#62;');
    expect(html).toContain(`href="${PUBLIC_URL}/invitations/${id}?action=accept"`);
    expect(html).toContain(`href="${PUBLIC_URL}/invitations/${id}?action=ignore"`);
    // The links land in the web app; the API has no GET that changes an invitation.
    expect(t.app.printRoutes({ commonPrefix: false })).not.toMatch(/accept \(GET/);
  });

  it('emails the sender when the invitation is accepted, from the inbox or from Archived', async () => {
    const ada = await makeMember(t.ctx, 'Ada Byron');
    const bob = await makeMember(t.ctx, 'Bob Stone');
    const cy = await makeMember(t.ctx, 'Cy Young');
    const first = await invite(ada, bob);
    const second = await invite(ada, cy);
    await deliver();
    expect((await call.act(bob, first, 'accept')).statusCode).toBe(200);
    expect((await call.act(cy, second, 'ignore')).statusCode).toBe(200);
    expect((await call.act(cy, second, 'accept')).statusCode).toBe(200);
    const mails = await deliver();
    expect(mails.map((m) => [addressOf(m), m.subject])).toEqual([
      [ada.email, 'Bob Stone accepted your invitation'],
      [ada.email, 'Cy Young accepted your invitation'],
    ]);
    expect(mails[0]?.text).toContain(`${PUBLIC_URL}/in/${bob.id}`);
  });

  it('sends nothing for ignore, IDK, spam, withdraw or expiry, nor for an invitation the IDK bar files into Archived', async () => {
    const ada = await makeMember(t.ctx, 'Ada Byron');
    const [b, c, d, e, f] = await Promise.all(['B', 'C', 'D', 'E', 'F'].map((n) => makeMember(t.ctx, `Member ${n}`)));
    if (!b || !c || !d || !e || !f) throw new Error('members');
    const ids = [await invite(ada, b), await invite(ada, c), await invite(ada, d), await invite(ada, e), await invite(ada, f)];
    expect(await deliver()).toHaveLength(5);
    expect((await call.act(b, ids[0] ?? '', 'ignore')).statusCode).toBe(200);
    expect((await call.act(c, ids[1] ?? '', 'idk')).statusCode).toBe(200);
    expect((await call.act(d, ids[2] ?? '', 'spam')).statusCode).toBe(200);
    expect((await call.act(ada, ids[3] ?? '', 'withdraw')).statusCode).toBe(200);
    expect(await deliver()).toEqual([]);
    // C said "I don't know": after a withdraw and the cooldown, Ada's new invitation is filed in Archived silently.
    expect((await call.act(ada, ids[1] ?? '', 'withdraw')).statusCode).toBe(200);
    t.clock.advance(22 * DAY_MS);
    const barred = await invite(ada, c, 'Second try');
    expect((await call.get(ada, barred)).json()).toMatchObject({ status: 'pending' });
    expect((await call.received(c, 'archived')).json<{ items: Array<{ id: string }> }>().items.map((i) => i.id)).toContain(barred);
    expect(await deliver()).toEqual([]);
    t.clock.advance(181 * DAY_MS);
    expect(await t.ctx.invitations.expireDue()).toBeGreaterThan(0);
    expect(await deliver()).toEqual([]);
  });

  it('debounces new messages into one digest 15 minutes after the last one', async () => {
    const ada = await makeMember(t.ctx, 'Ada Byron');
    const bob = await makeMember(t.ctx, 'Bob <i>Stone</i>');
    const id = await invite(ada, bob);
    await deliver();
    expect((await call.reply(bob, id, 'Hi Ada, <how> do we know each other?')).statusCode).toBe(201);
    t.clock.advance(10 * 60_000);
    expect((await call.reply(bob, id, 'Second thought & more')).statusCode).toBe(201);
    t.clock.advance(14 * 60_000);
    expect(await deliver()).toEqual([]);
    t.clock.advance(60_000);
    const mails = await deliver();
    expect(mails.map((m) => [addressOf(m), m.subject])).toEqual([[ada.email, '2 new messages from Bob <i>Stone</i>']]);
    expect(mails[0]?.text).toContain('Hi Ada, <how> do we know each other?');
    expect(String(mails[0]?.html)).toContain('Second thought &#38; more');
    expect(String(mails[0]?.html)).not.toContain('<i>Stone</i>');
    // Nothing new: the next run sends nothing.
    t.clock.advance(60 * 60_000);
    expect(await deliver()).toEqual([]);
  });

  it('unsubscribes a category at once with a one-click POST to the List-Unsubscribe URL, and only that category', async () => {
    const ada = await makeMember(t.ctx, 'Ada Byron');
    const bob = await makeMember(t.ctx, 'Bob Stone');
    const cy = await makeMember(t.ctx, 'Cy Young');
    const dee = await makeMember(t.ctx, 'Dee Dee');
    const first = await invite(ada, bob);
    const [mail] = await deliver();
    if (!mail) throw new Error('no invitation email');
    const url = new URL(unsubscribeUrl(mail));

    // GET shows a confirm button and changes nothing (link scanners follow links).
    const page = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<form method="post" action="\/unsubscribe\?token=[^"]+"><button type="submit">Unsubscribe<\/button>/);
    expect((await call.call(bob, 'GET', '/api/me/email-preferences')).json()).toEqual({ invitations: true, reminders: true, messages: true });

    // An invitation email queued before the click is checked again when it is sent.
    await invite(cy, bob);
    const click = await t.app.inject({
      method: 'POST',
      url: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(click.statusCode).toBe(200);
    expect((await call.call(bob, 'GET', '/api/me/email-preferences')).json()).toEqual({ invitations: false, reminders: true, messages: true });
    await invite(dee, bob);
    expect(await deliver()).toEqual([]);
    const skipped = await t.ctx.database.db.selectFrom('emails').select(['skipped_reason', 'sent_at']).where('to_address', '=', bob.email).where('category', '=', 'invitations').execute();
    expect(skipped.filter((r) => r.skipped_reason === 'unsubscribed' && r.sent_at === null)).toHaveLength(2);

    // Other categories still go: Bob accepts and messages Ada; Ada's acceptance and Bob's messages arrive.
    expect((await call.act(bob, first, 'accept')).statusCode).toBe(200);
    const conv = await call.call(ada, 'POST', '/api/conversations', { memberId: bob.id });
    const convId = conv.json<{ id: string }>().id;
    expect((await call.call(ada, 'POST', `/api/conversations/${convId}/messages`, { body: 'Welcome!' })).statusCode).toBe(201);
    t.clock.advance(16 * 60_000);
    const after = await deliver();
    expect(after.map((m) => [addressOf(m), m.subject]).sort()).toEqual(
      [
        [ada.email, 'Bob Stone accepted your invitation'],
        [bob.email, 'New message from Ada Byron'],
      ].sort(),
    );

    // A forged or altered token changes nothing.
    const bad = await t.app.inject({ method: 'POST', url: `/unsubscribe?token=${bob.id}.messages.AAAA` });
    expect(bad.statusCode).toBe(400);
    expect((await call.call(bob, 'GET', '/api/me/email-preferences')).json()).toMatchObject({ messages: true });
  });

  it('keeps preferences per category through the API, checked again when an email is sent', async () => {
    const ada = await makeMember(t.ctx, 'Ada Byron');
    const bob = await makeMember(t.ctx, 'Bob Stone');
    expect((await t.app.inject({ method: 'GET', url: '/api/me/email-preferences' })).statusCode).toBe(401);
    expect((await call.call(bob, 'PATCH', '/api/me/email-preferences', { account: false })).statusCode).toBe(400);
    await invite(ada, bob);
    const off = await call.call(bob, 'PATCH', '/api/me/email-preferences', { invitations: false });
    expect(off.json()).toEqual({ invitations: false, reminders: true, messages: true });
    expect(await deliver()).toEqual([]);
    const on = await call.call(bob, 'PATCH', '/api/me/email-preferences', { invitations: true });
    expect(on.json()).toEqual({ invitations: true, reminders: true, messages: true });
    await invite(bob, await makeMember(t.ctx, 'Cy Young'));
    expect(await deliver()).toHaveLength(1);
  });

  it('sends account emails as transactional: no unsubscribe header, whatever the preferences', async () => {
    const member = await signupAndLogin(t.app, 'Eve Newcomer');
    const mails = to(await deliver(), member);
    expect(mails.map((m) => m.subject)).toEqual(['Welcome to Rapport']);
    expect(mails[0]?.text).toContain('sent whatever your email settings');
  });
});
