/**
 * Invitation reminders (PRODUCT.md §2, docs/email.md): the policy is explicit and tested.
 *
 * An invitation is *waiting* while it is pending (not accepted, ignored — which includes IDK, spam
 * and the IDK bar's Archived filing — withdrawn or expired), the recipient has not replied to it,
 * has not ignored it and put it back (Undo, "Move to inbox": it is no longer untouched, so reminders
 * do not resume), and there is no block either way (reminder.waiting.ts). A waiting invitation earns
 * reminder 1 at REMINDER_FIRST_DAYS (3) and reminder 2 at REMINDER_SECOND_DAYS (14) after it was
 * sent; never more.
 *
 * States of one (invitation, number): not due → recorded (a row, unique on the pair, so a rerun of
 * its step records nothing twice) → listed in a digest email (email_id) | dropped (stopped waiting
 * before the digest was written). Invariants:
 * - Each invitation sent is enrolled in the `invitation-reminders` sequence in the send
 *   transaction (reminder.sequence.ts); accepting it stops the enrolment in the accepting
 *   transaction. A step records its reminder and queues one `reminders.digest` job per recipient per
 *   UTC day, keyed `reminder-digest:<recipientId>:<day>`: at most one reminder email per recipient
 *   per day, listing every invitation due; one that falls due after that day's email waits for the
 *   next day.
 * - Only the highest threshold passed counts: an invitation first seen at day 15 gets reminder 2
 *   only. A reminder more than CATCH_UP_DAYS late (the workers were down) is not sent.
 * - Nothing is recorded or sent for a recipient who turned reminders off; the digest job and the
 *   mail.send job check again (`reminder-digest` drops invitations that stopped waiting, and skips
 *   the email if none is left).
 */
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import type { JobDefinition, JobQueue } from '../../jobs/queue.js';
import type { SequenceRunner } from '../../jobs/sequence.js';
import type { Mailer } from '../mail/index.js';
import * as members from '../members/index.js';
import { DigestPayload, digestJobName } from './reminder.digest.js';
import { renderReminderDigest } from './reminder.email.js';
import { REMINDER_SEQUENCE, reminderSequence } from './reminder.sequence.js';
import { waiting } from './reminder.waiting.js';

const DigestContext = z.object({ invitationIds: z.array(z.string()) });
const digestJob = { name: digestJobName, schema: DigestPayload } as const;

export interface ReminderSettings {
  firstDays: number;
  secondDays: number;
  publicUrl: string;
}

export class ReminderService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    jobs: JobQueue,
    private readonly sequences: SequenceRunner,
    private readonly mailer: Mailer,
    private readonly settings: ReminderSettings,
  ) {
    sequences.define(reminderSequence(jobs, mailer.preferences, database.dialect, settings));
    mailer.addCheck('reminder-digest', async (db, email, now) => {
      const ctx = DigestContext.safeParse(JSON.parse(email.context ?? 'null'));
      if (!ctx.success || email.member_id === null) return { send: false, reason: 'bad-context' };
      const still = await waiting(db, ctx.data.invitationIds, now);
      if (still.length === 0) return { send: false, reason: 'stopped' };
      if (still.length === ctx.data.invitationIds.length) return { send: true };
      const member = await members.findById(db, email.member_id);
      return member ? { send: true, content: renderReminderDigest(this.settings.publicUrl, member.full_name, still, now) } : { send: false, reason: 'no-member' };
    });
  }

  /**
   * Hooked into the invitation transitions (InvitationEffects): a sent invitation is enrolled, an
   * accepted one stopped, each in the transaction of the transition. Other endings are found by the
   * next step, which re-checks that the invitation still waits.
   */
  readonly invitationEffects = {
    sent: async (db: Executor, inv: { id: string }, now: string): Promise<void> => {
      await this.sequences.enrol(this.database.txOf(db), REMINDER_SEQUENCE, inv.id, { context: {}, enrolledAt: new Date(now) });
    },
    accepted: async (db: Executor, inv: { id: string }): Promise<void> => {
      await this.sequences.stop(this.database.txOf(db), REMINDER_SEQUENCE, inv.id, 'accepted');
    },
  };

  /** `reminders.digest`: one email listing the recipient's reminders of that day that still wait. */
  readonly digestJob: JobDefinition<typeof DigestPayload> = {
    ...digestJob,
    run: async ({ recipientId, day }) => {
      await this.database.transaction(async (tx) => {
        const now = this.clock.now().toISOString();
        await members.lockMembers(this.database, tx.db, [recipientId]);
        const pending = await tx.db
          .selectFrom('invitation_reminders')
          .select('invitation_id')
          .where('recipient_id', '=', recipientId)
          .where('day', '=', day)
          .where('email_id', 'is', null)
          .execute();
        if (pending.length === 0) return;
        const member = await members.findById(tx.db, recipientId);
        const ids = pending.map((r) => r.invitation_id);
        const still = await waiting(tx.db, ids, now);
        if (!member || still.length === 0 || !(await this.mailer.preferences.wants(tx.db, recipientId, 'reminders'))) return;
        const emailId = await this.mailer.enqueue(tx, {
          to: member.email,
          memberId: recipientId,
          category: 'reminders',
          kind: 'reminder-digest',
          context: { invitationIds: still.map((i) => i.id) },
          ...renderReminderDigest(this.settings.publicUrl, member.full_name, still, now),
        });
        await tx.db
          .updateTable('invitation_reminders')
          .set({ email_id: emailId })
          .where('recipient_id', '=', recipientId)
          .where('day', '=', day)
          .where('invitation_id', 'in', still.map((i) => i.id))
          .execute();
      });
    },
  };
}
