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
 * Send-time check (`message-digest`, messaging.emails.ts): messages read since are dropped, and the
 * email is skipped if none is left.
 */
import { z } from 'zod';
import type { Database, Executor } from '../../db/database.js';
import type { JobDefinition, JobQueue, ModuleJobs } from '../../jobs/queue.js';
import type { Mailer } from '../mail/index.js';
import * as members from '../members/index.js';
import { renderDigest, unread, withSenderNames } from './messaging.emails.js';

const DigestPayload = z.object({ memberId: z.string() });
const digestJob = { name: 'messages.digest', schema: DigestPayload } as const;
const MAX_MESSAGES = 200;

export class MessageDigests {
  constructor(
    private readonly database: Database,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    private readonly opts: { delayMs: number; publicUrl: string },
  ) {}

  /** Called with the transaction that stores a message: (re)start the recipient's 15-minute wait. */
  async queue(db: Executor, recipientId: string, messageId: string, now: string): Promise<void> {
    await db.insertInto('message_digest_queue').values({ member_id: recipientId, message_id: messageId, created_at: now }).execute();
    const runAt = new Date(Date.parse(now) + this.opts.delayMs);
    await this.jobs.enqueue(this.database.txOf(db), digestJob, { memberId: recipientId }, { key: `message-digest:${recipientId}`, mode: 'debounce', runAt });
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
        const rows = await withSenderNames(db, await unread(db, memberId).where('m.id', 'in', taken).orderBy('m.created_at').orderBy('m.id').execute());
        if (rows.length === 0) return;
        // Turned off: the queued rows are gone all the same, so turning it back on does not mail old messages.
        if (!(await this.mailer.preferences.wants(db, memberId, 'messages'))) return;
        await this.mailer.enqueue(tx, {
          to: member.email,
          memberId,
          category: 'messages',
          kind: 'message-digest',
          context: { messageIds: rows.map((r) => r.id) },
          ...renderDigest(this.opts.publicUrl, member.full_name, rows),
        });
      });
    },
  };
}

/** What messaging/ runs on the queue (composed in context.jobs.ts). */
export function messagingJobs(digests: MessageDigests): ModuleJobs {
  return { jobs: [digests.job] };
}
