/**
 * Issue 15, defect 8: a delivered email is never sent again because a bookkeeping write after the
 * SMTP server's acceptance failed. A real SMTP sink (smtp-server) counts deliveries by Message-ID;
 * its `onMessage` hook runs while the mail job's SMTP conversation is open, just before the
 * acceptance, so the failure it arranges hits the writes that follow the delivery.
 */
import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWorker } from '../src/server/context.jobs.js';
import { startSmtpSink, type SmtpSink } from './_email.js';
import { createTestApp, dialects, type TestApp } from './_util.js';

const HOUR_MS = 3_600_000;

describe.each(dialects)('email delivery bookkeeping [%s]', (dialect) => {
  let t: TestApp;
  let sink: SmtpSink;
  /** What the sink does with the next message before accepting it. */
  let beforeAccept: (() => Promise<void> | void) | undefined;
  beforeAll(async () => {
    sink = await startSmtpSink({
      onMessage: async () => {
        const hook = beforeAccept;
        beforeAccept = undefined;
        await hook?.();
      },
    });
    t = await createTestApp(dialect, { SMTP_URL: sink.url, PUBLIC_URL: 'https://rapport.test' });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });
  beforeEach(() => void sink.received.splice(0));

  const enqueue = (subject: string) =>
    t.ctx.database.transaction((tx) => t.ctx.mailer.enqueue(tx, { to: 'someone@example.com', category: 'account', subject, text: subject, html: `<p>${subject}</p>` }));
  const emailRow = (id: string) => t.ctx.database.db.selectFrom('emails').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  /** Deliveries per Message-ID, read from the raw messages the sink accepted. */
  const deliveries = () => {
    const counts = new Map<string, number>();
    for (const r of sink.received) {
      const id = /^Message-ID:\s*(\S+)/im.exec(r.raw.toString())?.[1] ?? '';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  };
  /** Run what is due now, then again after every backoff a failed job could be waiting for. */
  const runAllRetries = async () => {
    const worker = createWorker(t.ctx);
    await worker.runDue();
    for (let i = 0; i < 3; i++) {
      t.clock.advance(HOUR_MS);
      await worker.runDue();
    }
  };

  it.runIf(dialect === 'sqlite')('delivers an email exactly once when another process holds the write lock across the write after delivery', async () => {
    const id = await enqueue('Lock held after delivery');
    const file = t.config.DATABASE_URL.replace(/^sqlite:/, '');
    let held = false;
    beforeAccept = () => {
      // Another connection takes the write lock as the SMTP server accepts, and holds it past the
      // 1 s busy timeout of the `sent_at` write (this thread's busy wait delays the release).
      const other = new Sqlite(file);
      other.prepare('begin immediate').run();
      held = true;
      setTimeout(() => {
        other.prepare('commit').run();
        other.close();
      }, 300);
    };
    await runAllRetries();
    expect(held).toBe(true);
    const row = await emailRow(id);
    expect([...deliveries().entries()]).toEqual([[row.message_id, 1]]);
    expect(row.sent_at).not.toBeNull();
    expect(row.send_attempts).toBe(1);
    const job = await t.ctx.database.db.selectFrom('jobs').select(['state', 'attempts']).where('payload', 'like', `%${id}%`).executeTakeFirstOrThrow();
    expect(job).toEqual({ state: 'done', attempts: 1 });
  });

  it('never sends a delivered email again when recording it fails past every retry, and records it once the database takes writes', async () => {
    const id = await enqueue('Bookkeeping down after delivery');
    // A write of `sent_at` that the database refuses, installed as the SMTP server accepts.
    beforeAccept = () => refuseSentAt(t, true);
    await runAllRetries();
    const row = await emailRow(id);
    expect([...deliveries().entries()]).toEqual([[row.message_id, 1]]);
    expect(row.sent_at).toBeNull();
    expect(row.send_attempts).toBe(1);
    await refuseSentAt(t, false);
    await runAllRetries();
    const after = await emailRow(id);
    expect([...deliveries().entries()]).toEqual([[after.message_id, 1]]);
    expect(after.sent_at).not.toBeNull();
    expect(after.send_attempts).toBe(1);
  });
});

/** Install or remove a trigger that makes every write of `emails.sent_at` fail. */
async function refuseSentAt(t: TestApp, on: boolean): Promise<void> {
  const db = t.ctx.database.db;
  if (t.ctx.database.dialect === 'sqlite') {
    await sql
      .raw(on ? `create trigger refuse_sent_at before update of sent_at on emails when new.sent_at is not null begin select raise(abort, 'bookkeeping down'); end` : 'drop trigger refuse_sent_at')
      .execute(db);
    return;
  }
  if (!on) return void (await sql.raw('drop trigger refuse_sent_at on emails').execute(db));
  await sql.raw(`create or replace function refuse_sent_at() returns trigger language plpgsql as $$ begin raise exception 'bookkeeping down'; end $$`).execute(db);
  await sql.raw('create trigger refuse_sent_at before update of sent_at on emails for each row when (new.sent_at is not null) execute function refuse_sent_at()').execute(db);
}
