/**
 * New-message emails, debounced into a digest (category `messages`).
 *
 * Every stored message queues `messages.digest` for its recipient under the key
 * `message-digest:<recipientId>` in debounce mode, to run MESSAGE_DIGEST_DELAY_MINUTES (15) after
 * the latest message: a burst of messages becomes one email. The job lists the recipient's messages
 * that are still unread, from members they have no block with, newer than the last digest (a
 * per-member cursor, moved in the same transaction as the email is written: a rerun after a crash
 * finds nothing new). Send-time check (`message-digest`): messages read since are dropped, and the
 * email is skipped if none is left.
 */
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import { after, notBlocked } from '../../db/sql.js';
import type { JobDefinition, JobQueue } from '../../jobs/queue.js';
import * as members from '../members/member.repository.js';
import { button, excerpt, h, link, p, subjectLine, type Content } from './email.templates.js';
import { inTransaction, type Mailer } from './mailer.js';

const DigestPayload = z.object({ memberId: z.string() });
const DigestContext = z.object({ messageIds: z.array(z.string()) });
const digestJob = { name: 'messages.digest', schema: DigestPayload } as const;
/** A member's first digest looks back this far at most. */
const FIRST_LOOKBACK_MS = 86_400_000;
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
  async queue(db: Executor, recipientId: string, now: string): Promise<void> {
    const runAt = new Date(Date.parse(now) + this.opts.delayMs);
    await this.jobs.enqueue(inTransaction(db), digestJob, { memberId: recipientId }, { key: `message-digest:${recipientId}`, mode: 'debounce', runAt });
  }

  readonly job: JobDefinition<typeof DigestPayload> = {
    ...digestJob,
    run: async ({ memberId }) => {
      await this.database.transaction(async (tx) => {
        const db = tx.db;
        const now = this.clock.now().toISOString();
        const member = await members.findById(db, memberId);
        if (!member) return;
        const cursor = await db.selectFrom('message_digests').selectAll().where('member_id', '=', memberId).executeTakeFirst();
        let q = unread(db, memberId);
        q = cursor
          ? q.where(after('m.created_at', 'm.id', { key: cursor.last_message_at, id: cursor.last_message_id }, 'asc'))
          : q.where('m.created_at', '>', new Date(Date.parse(now) - FIRST_LOOKBACK_MS).toISOString());
        const rows = await q.orderBy('m.created_at').orderBy('m.id').limit(MAX_MESSAGES).execute();
        const last = rows[rows.length - 1];
        if (!last) return;
        await db
          .insertInto('message_digests')
          .values({ member_id: memberId, last_message_at: last.created_at, last_message_id: last.id, updated_at: now })
          .onConflict((oc) => oc.column('member_id').doUpdateSet({ last_message_at: last.created_at, last_message_id: last.id, updated_at: now }))
          .execute();
        // Turned off: the cursor still moves, so turning it back on does not mail old messages.
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
