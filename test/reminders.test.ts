/**
 * The reminder policy (PRODUCT.md §2, docs/email.md), with a moved clock: at most two reminders for
 * an invitation left untouched in the inbox (day 3 and day 14), none once it is acted on, one digest
 * per recipient per day, idempotent jobs, and the recipient's preference checked again at send time.
 * Emails stay in the database (no SMTP_URL); the worker still runs every send-time check.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../src/server/clock.js';
import { createWorker, scheduleRecurring } from '../src/server/context.jobs.js';
import { SEQUENCE_STEP_JOB } from '../src/server/jobs/sequence.js';
import { makeMember } from './_factories.js';
import { api } from './_invitations.js';
import { createTestApp, dialects, type Session, type TestApp } from './_util.js';

const HOUR_MS = 3_600_000;

describe.each(dialects)('invitation reminders [%s]', (dialect) => {
  let t: TestApp;
  let call: ReturnType<typeof api>;
  let t0: number;
  beforeEach(async () => {
    t = await createTestApp(dialect);
    call = api(t.app);
    t0 = t.clock.now().getTime();
    await scheduleRecurring(t.ctx);
  });
  afterEach(() => t.close());

  /**
   * Deliver every reminder step job due now straight to the runner, as the hourly scan used to run:
   * the jobs stay queued, so a worker delivers them again (a duplicate). Returns how many reminders
   * were recorded.
   */
  async function steps(): Promise<number> {
    const { db } = t.ctx.database;
    const count = async () => Number((await db.selectFrom('invitation_reminders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const delivered = new Set<string>();
    for (;;) {
      const due = await db.selectFrom('jobs').select(['id', 'payload']).where('name', '=', SEQUENCE_STEP_JOB).where('state', '=', 'queued').where('run_at', '<=', t.clock.now().toISOString()).execute();
      const fresh = due.filter((j) => !delivered.has(j.id + j.payload));
      if (fresh.length === 0) return (await count()) - before;
      for (const j of fresh) {
        delivered.add(j.id + j.payload);
        await t.ctx.sequences.job.run(JSON.parse(j.payload), { id: j.id, attempts: 1 });
      }
    }
  }

  /** Move to `days` after the start and run everything due (every reminder step due included). */
  async function at(days: number): Promise<void> {
    t.clock.set(new Date(t0 + days * DAY_MS));
    await createWorker(t.ctx).runDue();
  }
  const reminders = (s: Session) =>
    t.ctx.database.db
      .selectFrom('emails')
      .selectAll()
      .where('to_address', '=', s.email)
      .where('category', '=', 'reminders')
      .where('sent_at', 'is not', null)
      .orderBy('created_at')
      .execute();
  const invite = async (from: Session, to: Session) => {
    const res = await call.send(from, to.id);
    expect(res.statusCode).toBe(201);
    return res.json<{ invitation: { id: string } }>().invitation.id;
  };
  const pair = async () => ({ sender: await makeMember(t.ctx, 'Sam Sender'), recipient: await makeMember(t.ctx, 'Rita Recipient') });

  it('sends exactly two reminders for an invitation left untouched: at day 3 and day 14, none after, even at day 179', async () => {
    const { sender, recipient } = await pair();
    const id = await invite(sender, recipient);
    const days = [1, 2, 2.9, 3, 3.5, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 13.9, 14, 14.5, 15, 30, 60, 90, 120, 150, 170, 179];
    const seen: string[] = [];
    for (const day of days) {
      await at(day);
      seen.push(`${day}:${(await reminders(recipient)).length}`);
    }
    expect(seen).toEqual(days.map((d) => `${d}:${d < 3 ? 0 : d < 14 ? 1 : 2}`));
    const list = await reminders(recipient);
    expect(list.map((e) => e.created_at)).toEqual([new Date(t0 + 3 * DAY_MS).toISOString(), new Date(t0 + 14 * DAY_MS).toISOString()]);
    expect(list[0]?.subject).toBe('Reminder: Sam Sender is waiting for your answer');
    expect(list[0]?.text_body).toContain(`/invitations/${id}?action=accept`);
    expect(await t.ctx.database.db.selectFrom('invitation_reminders').select(['number']).where('invitation_id', '=', id).orderBy('number').execute()).toEqual([{ number: 1 }, { number: 2 }]);
    // The sender hears nothing of it.
    expect(await t.ctx.database.db.selectFrom('emails').select('id').where('to_address', '=', sender.email).execute()).toEqual([]);
  });

  it.each(['accept', 'ignore', 'idk', 'spam', 'reply', 'withdraw'] as const)('sends no reminder for an invitation the recipient or sender acted on (%s)', async (action) => {
    const { sender, recipient } = await pair();
    const id = await invite(sender, recipient);
    await at(1);
    const res = action === 'reply' ? await call.reply(recipient, id, 'Where did we meet?') : await call.act(action === 'withdraw' ? sender : recipient, id, action);
    expect(res.statusCode).toBeLessThan(300);
    for (const day of [3, 4, 14, 15, 30, 179]) await at(day);
    expect(await reminders(recipient)).toEqual([]);
  });

  it('sends none for an expired invitation, nor for one the IDK bar filed into Archived', async () => {
    const { sender, recipient } = await pair();
    const first = await invite(sender, recipient);
    await at(1);
    expect((await call.act(recipient, first, 'idk')).statusCode).toBe(200);
    expect((await call.act(sender, first, 'withdraw')).statusCode).toBe(200);
    await at(23);
    await invite(sender, recipient); // filed into Archived: ignored, so never waiting in the inbox
    for (const day of [26, 27, 37, 38, 50, 190, 210]) await at(day);
    expect(await reminders(recipient)).toEqual([]);
    // Expiry: only the first reminder fits when the invitations expire after 10 days.
    await t.close();
    t = await createTestApp(dialect, { INVITE_EXPIRY_DAYS: '10' });
    call = api(t.app);
    t0 = t.clock.now().getTime();
    await scheduleRecurring(t.ctx);
    const again = await pair();
    await invite(again.sender, again.recipient);
    for (const day of [3, 10, 14, 15, 30]) await at(day);
    expect(await reminders(again.recipient)).toHaveLength(1);
  });

  it('stops after the first reminder once the invitation is accepted', async () => {
    const { sender, recipient } = await pair();
    const id = await invite(sender, recipient);
    await at(3);
    expect(await reminders(recipient)).toHaveLength(1);
    await at(5);
    expect((await call.act(recipient, id, 'accept')).statusCode).toBe(200);
    for (const day of [14, 15, 179]) await at(day);
    expect(await reminders(recipient)).toHaveLength(1);
  });

  it('enrols an invitation in the reminder sequence when it is sent, and stops the enrolment in the accepting transaction, before any job runs', async () => {
    const { sender, recipient } = await pair();
    const id = await invite(sender, recipient);
    const enrolment = () =>
      t.ctx.database.db.selectFrom('sequence_enrolments').select(['state', 'step', 'reason']).where('sequence', '=', 'invitation-reminders').where('subject_id', '=', id).execute();
    expect(await enrolment()).toEqual([{ state: 'running', step: 0, reason: null }]);
    expect((await call.act(recipient, id, 'accept')).statusCode).toBe(200);
    // No worker has run: the event, not a later step's re-check, stopped it.
    expect(await enrolment()).toEqual([{ state: 'stopped', step: 0, reason: 'accepted' }]);
  });

  it('does not resume reminders for an invitation ignored and put back in the inbox (restore): it is no longer untouched', async () => {
    const { sender, recipient } = await pair();
    const early = await invite(sender, recipient);
    const other = await pair();
    const late = await invite(other.sender, recipient);
    await at(1);
    // Restored before any reminder: none at day 3 or 14.
    expect((await call.act(recipient, early, 'ignore')).statusCode).toBe(200);
    expect((await call.act(recipient, early, 'restore')).json()).toMatchObject({ status: 'pending', folder: 'inbox' });
    await at(3);
    const first = await reminders(recipient);
    expect(first).toHaveLength(1);
    expect(first[0]?.subject).toBe('Reminder: Sam Sender is waiting for your answer');
    expect(first[0]?.text_body).toContain(`/invitations/${late}?action=accept`);
    expect(first[0]?.text_body).not.toContain(early);
    // Restored between the reminders: the second one is not sent.
    await at(5);
    expect((await call.act(recipient, late, 'ignore')).statusCode).toBe(200);
    expect((await call.act(recipient, late, 'restore')).statusCode).toBe(200);
    for (const day of [14, 15, 30, 179]) await at(day);
    expect(await reminders(recipient)).toHaveLength(1);
  });

  it('digests five untouched invitations to one recipient into a single email listing all five', async () => {
    const recipient = await makeMember(t.ctx, 'Rita Recipient');
    const names = ['Ann One', 'Ben Two', 'Cat Three', 'Dan Four', 'Eve Five'];
    for (const name of names) await invite(await makeMember(t.ctx, name), recipient);
    await at(3);
    const list = await reminders(recipient);
    expect(list).toHaveLength(1);
    expect(list[0]?.subject).toBe('Reminder: 5 invitations are waiting for your answer');
    for (const name of names) {
      expect(list[0]?.text_body).toContain(name);
      expect(list[0]?.html_body).toContain(name);
    }
    expect(list[0]?.text_body.match(/\?action=accept/g)).toHaveLength(5);
    await at(14);
    expect(await reminders(recipient)).toHaveLength(2);
  });

  it('sends at most one reminder email per recipient per day: a reminder that falls due later that day waits for the next', async () => {
    const recipient = await makeMember(t.ctx, 'Rita Recipient');
    await invite(await makeMember(t.ctx, 'Ann One'), recipient);
    t.clock.set(new Date(t0 + 5 * HOUR_MS));
    await invite(await makeMember(t.ctx, 'Ben Two'), recipient);
    for (let hour = 3 * 24; hour <= 5 * 24; hour++) await at(hour / 24);
    const list = await reminders(recipient);
    expect(list).toHaveLength(2);
    const days = list.map((e) => e.created_at.slice(0, 10));
    expect(new Set(days).size).toBe(2);
    expect(list[0]?.text_body).toContain('Ann One');
    expect(list[1]?.text_body).toContain('Ben Two');
  });

  it('sends nothing extra when the reminder jobs run twice', async () => {
    const { sender, recipient } = await pair();
    await invite(sender, recipient);
    t.clock.set(new Date(t0 + 3 * DAY_MS));
    expect(await steps()).toBe(1);
    expect(await steps()).toBe(0);
    const day = t.clock.now().toISOString().slice(0, 10);
    const job = { id: 'manual', attempts: 1 };
    await t.ctx.reminders.digestJob.run({ recipientId: recipient.id, day }, job);
    await t.ctx.reminders.digestJob.run({ recipientId: recipient.id, day }, job);
    await createWorker(t.ctx).runDue();
    await createWorker(t.ctx).runDue();
    expect(await steps()).toBe(0);
    await at(3.5);
    expect(await reminders(recipient)).toHaveLength(1);
  });

  it('sends none to a recipient who turned reminders off, checked again when the email is sent', async () => {
    const { sender, recipient } = await pair();
    await invite(sender, recipient);
    expect((await call.call(recipient, 'PATCH', '/api/me/email-preferences', { reminders: false })).statusCode).toBe(200);
    for (const day of [3, 14, 15]) await at(day);
    expect(await reminders(recipient)).toEqual([]);

    // Queued while still on, turned off before the worker sends it: skipped, never sent.
    const other = await pair();
    await invite(other.sender, other.recipient);
    t.clock.set(new Date(t0 + 18 * DAY_MS));
    expect(await steps()).toBe(1);
    await t.ctx.reminders.digestJob.run({ recipientId: other.recipient.id, day: t.clock.now().toISOString().slice(0, 10) }, { id: 'manual', attempts: 1 });
    const queued = await t.ctx.database.db.selectFrom('emails').selectAll().where('to_address', '=', other.recipient.email).where('category', '=', 'reminders').execute();
    expect(queued.map((e) => [e.category, e.sent_at])).toEqual([['reminders', null]]);
    expect((await call.call(other.recipient, 'PATCH', '/api/me/email-preferences', { reminders: false })).statusCode).toBe(200);
    await createWorker(t.ctx).runDue();
    const after = await t.ctx.database.db.selectFrom('emails').select(['sent_at', 'skipped_reason']).where('to_address', '=', other.recipient.email).where('category', '=', 'reminders').execute();
    expect(after).toEqual([{ sent_at: null, skipped_reason: 'unsubscribed' }]);
  });

  it('re-checks the stop conditions at send time: a digest loses invitations answered after it was written', async () => {
    const recipient = await makeMember(t.ctx, 'Rita Recipient');
    const ann = await makeMember(t.ctx, 'Ann One');
    const ben = await makeMember(t.ctx, 'Ben Two');
    const fromAnn = await invite(ann, recipient);
    await invite(ben, recipient);
    t.clock.set(new Date(t0 + 3 * DAY_MS));
    expect(await steps()).toBe(2);
    await t.ctx.reminders.digestJob.run({ recipientId: recipient.id, day: t.clock.now().toISOString().slice(0, 10) }, { id: 'manual', attempts: 1 });
    expect((await call.act(recipient, fromAnn, 'ignore')).statusCode).toBe(200);
    await createWorker(t.ctx).runDue();
    const [email] = await reminders(recipient);
    expect(email?.subject).toBe('Reminder: Ben Two is waiting for your answer');
    expect(email?.text_body).not.toContain('Ann One');
    expect(email?.html_body).not.toContain('Ann One');

    // All of them answered before sending: the email is skipped.
    const solo = await pair();
    const id = await invite(solo.sender, solo.recipient);
    t.clock.set(new Date(t0 + 6 * DAY_MS + HOUR_MS));
    await steps();
    await t.ctx.reminders.digestJob.run({ recipientId: solo.recipient.id, day: t.clock.now().toISOString().slice(0, 10) }, { id: 'manual', attempts: 1 });
    expect((await call.act(solo.recipient, id, 'accept')).statusCode).toBe(200);
    await createWorker(t.ctx).runDue();
    const rows = await t.ctx.database.db.selectFrom('emails').select(['category', 'skipped_reason']).where('to_address', '=', solo.recipient.email).where('category', '=', 'reminders').execute();
    expect(rows).toEqual([{ category: 'reminders', skipped_reason: 'stopped' }]);
  });
});
