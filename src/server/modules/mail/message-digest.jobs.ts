/**
 * New-message emails, debounced into a digest (category `messages`).
 *
 * Every stored message queues `messages.digest` for its recipient under the key
 * `message-digest:<recipientId>` in debounce mode, to run MESSAGE_DIGEST_DELAY_MINUTES (15) after
 * the latest message: a burst of messages becomes one email.
 *
 * What a digest covers is a queue, not a cursor: the transaction that stores a message also writes
 * (recipient, message) into `message_digest_queue`, and the digest job takes (deletes) up to
 * MAX_MESSAGES of the recipient's queued rows in the transaction that writes the email. It lists
 * those still unread and from members with no block either way; the others are dropped with them.
 *
 * Invariants:
 * - Every committed message is covered by exactly one digest run, whatever the order in which
 *   transactions commit. (A cursor on `messages.created_at`, the clock at the start of the message's
 *   transaction, lost a message that committed behind a cursor a concurrent digest had moved past.)
 * - A rerun after a crash finds nothing: the rows went with the email's commit. Two digest runs at
 *   once (PostgreSQL) split the rows: a row is covered by the run whose DELETE removed it.
 * - More than MAX_MESSAGES queued: the rest get the next digest, queued at once.
 *
 * Send-time check (`message-digest`): messages read since are dropped, and the email is skipped if
 * none is left.
 */
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import { notBlocked } from '../../db/sql.js';
import type { JobDefinition, JobQueue } from '../../jobs/queue.js';
import * as members from '../members/member.repository.js';
import { button, excerpt, h, link, p, subjectLine, type Content } from './email.templates.js';
import { inTransaction, type Mailer } from './mailer.js';

const DigestPayload = z.object({ memberId: z.string() });
const DigestContext = z.object({ messageIds: z.array(z.string()) });
const digestJob = { name: 'messages.digest', schema: DigestPayload } as const;
const MAX_MESSAGES = 200;
const SHOWN_PER_CONVERSATION = 3;

export interface DigestMessage {
  id: string;
  conversation_id: string;
  sender_id: string;
  sender_name: string;
  body: string;
  created_at: string;
}

export class MessageDigests {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    private readonly opts: { delayMs: number; publicUrl: string },
  ) {
    mailer.addCheck('message-digest', async (db, email) => {
      const ctx = DigestContext.safeParse(JSON.parse(email.context ?? 'null'));
      if (!ctx.success || email.member_id === null) return { send: false, reason: 'bad-context' };
      const still = await unread(db, email.member_id).where('m.id', 'in', ctx.data.messageIds.length ? ctx.data.messageIds : ['']).execute();
      if (still.length === 0) return { send: false, reason: 'read' };
      if (still.length === ctx.data.messageIds.length) return { send: true };
      const member = await members.findById(db, email.member_id);
      return member ? { send: true, content: this.render(member.full_name, still) } : { send: false, reason: 'no-member' };
    });
  }

  /** Called with the transaction that stores a message: (re)start the recipient's 15-minute wait. */
  async queue(db: Executor, recipientId: string, messageId: string, now: string): Promise<void> {
    await db.insertInto('message_digest_queue').values({ member_id: recipientId, message_id: messageId, created_at: now }).execute();
    const runAt = new Date(Date.parse(now) + this.opts.delayMs);
    await this.jobs.enqueue(inTransaction(db), digestJob, { memberId: recipientId }, { key: `message-digest:${recipientId}`, mode: 'debounce', runAt });
  }

  readonly job: JobDefinition<typeof DigestPayload> = {
    ...digestJob,
    run: async ({ memberId }) => {
      await this.database.transaction(async (tx) => {
        const db = tx.db;
        const member = await members.findById(db, memberId);
        if (!member) return;
        const queued = db
          .selectFrom('message_digest_queue')
          .select('message_id')
          .where('member_id', '=', memberId)
          .orderBy('created_at')
          .orderBy('message_id')
          .limit(MAX_MESSAGES);
        // Only what this run deleted is its own (a concurrent run may have taken some).
        const taken = (await db.deleteFrom('message_digest_queue').where('member_id', '=', memberId).where('message_id', 'in', queued).returning('message_id').execute()).map((r) => r.message_id);
        if (taken.length === MAX_MESSAGES) await this.jobs.enqueue(tx, digestJob, { memberId }, { key: `message-digest:${memberId}`, mode: 'debounce' });
        if (taken.length === 0) return;
        const rows = await unread(db, memberId).where('m.id', 'in', taken).orderBy('m.created_at').orderBy('m.id').execute();
        if (rows.length === 0) return;
        // Turned off: the queued rows are gone all the same, so turning it back on does not mail old messages.
        if (!(await this.mailer.preferences.wants(db, memberId, 'messages'))) return;
        await this.mailer.enqueue(tx, {
          to: member.email,
          memberId,
          category: 'messages',
          kind: 'message-digest',
          context: { messageIds: rows.map((r) => r.id) },
          ...this.render(member.full_name, rows),
        });
      });
    },
  };

  private render(name: string, rows: DigestMessage[]): Content {
    const byConversation = new Map<string, DigestMessage[]>();
    for (const r of rows) byConversation.set(r.conversation_id, [...(byConversation.get(r.conversation_id) ?? []), r]);
    const senders = [...new Set(rows.map((r) => r.sender_name))];
    const subject = rows.length === 1 ? `New message from ${senders[0] ?? 'a member'}` : `${rows.length} new messages from ${senders.slice(0, 2).join(', ')}${senders.length > 2 ? ' and others' : ''}`;
    const items = [...byConversation.entries()].map(([conversationId, msgs]) => ({
      url: `${this.opts.publicUrl}/messaging/${conversationId}`,
      sender: msgs[msgs.length - 1]?.sender_name ?? '',
      count: msgs.length,
      // The latest few, oldest first; the rest are a click away.
      texts: msgs.slice(-SHOWN_PER_CONVERSATION).map((m) => excerpt(m.body)),
    }));
    const count = (n: number) => (n === 1 ? '1 message' : `${n} messages`);
    const text = [
      `Hi ${name},`,
      '',
      `You have ${count(rows.length)} you have not read yet:`,
      ...items.flatMap((i) => ['', `${i.sender} (${count(i.count)}):`, ...i.texts.map((x) => `> ${x}`), `Read and reply: ${i.url}`]),
    ].join('\n');
    const html = [
      p(`Hi ${h(name)},`),
      p(`You have ${count(rows.length)} you have not read yet:`),
      ...items.map((i) => p(`<strong>${h(i.sender)}</strong> (${count(i.count)})<br>${i.texts.map((x) => h(x)).join('<br>')}<br>${link(i.url, 'Read and reply')}`)),
      p(button(`${this.opts.publicUrl}/messaging`, 'Open messaging')),
    ].join('\n');
    return { subject: subjectLine(subject), text, html };
  }
}

/** Messages to `memberId` that they have not read, from members with no block either way. */
function unread(db: Executor, memberId: string) {
  return db
    .selectFrom('messages as m')
    .innerJoin('conversation_members as cm', (j) => j.onRef('cm.conversation_id', '=', 'm.conversation_id').on('cm.member_id', '=', memberId))
    .innerJoin('members as s', 's.id', 'm.sender_id')
    .select(['m.id', 'm.conversation_id', 'm.sender_id', 's.full_name as sender_name', 'm.body', 'm.created_at'])
    .where('m.sender_id', '<>', memberId)
    .where((eb) => eb.or([eb('cm.last_read_at', 'is', null), eb('m.created_at', '>', eb.ref('cm.last_read_at'))]))
    .where(notBlocked('m.sender_id', memberId));
}
