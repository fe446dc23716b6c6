/**
 * Invitation reminders (PRODUCT.md §2, docs/email.md): the policy is explicit and tested.
 *
 * An invitation is *waiting* while it is pending (not accepted, ignored — which includes IDK, spam
 * and the IDK bar's Archived filing — withdrawn or expired), the recipient has not replied to it,
 * has not ignored it and put it back (Undo, "Move to inbox": it is no longer untouched, so reminders
 * do not resume), and there is no block either way. A waiting invitation earns reminder 1 at REMINDER_FIRST_DAYS
 * (3) and reminder 2 at REMINDER_SECOND_DAYS (14) after it was sent; never more.
 *
 * States of one (invitation, number): not due → recorded (a row, unique on the pair, so a rerun of
 * the scan records nothing twice) → listed in a digest email (email_id) | dropped (stopped waiting
 * before the digest was written). Invariants:
 * - The recurring scan (`reminders.scan`, hourly) records due reminders and queues one
 *   `reminders.digest` job per recipient per UTC day, keyed `reminder-digest:<recipientId>:<day>`.
 *   A recipient who already has reminders recorded today gets the next ones tomorrow: at most one
 *   reminder email per recipient per day, listing every invitation due.
 * - Only the highest threshold passed counts: an invitation first seen at day 15 gets reminder 2
 *   only. A reminder more than CATCH_UP_DAYS late (the workers were down) is not sent.
 * - Nothing is recorded or sent for a recipient who turned reminders off; the digest job and the
 *   mail.send job check again (`reminder-digest` drops invitations that stopped waiting, and skips
 *   the email if none is left).
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import type { JobDefinition, JobQueue } from '../../jobs/queue.js';
import * as members from '../members/member.repository.js';
import type { Mailer } from '../mail/mailer.js';
import { renderReminderDigest } from './reminder.email.js';

const DAY_MS = 86_400_000;
export const CATCH_UP_DAYS = 7;
const SCAN_BATCH = 5000;

const DigestPayload = z.object({ recipientId: z.string(), day: z.string() });
const DigestContext = z.object({ invitationIds: z.array(z.string()) });
const digestJob = { name: 'reminders.digest', schema: DigestPayload } as const;

export interface ReminderSettings {
  firstDays: number;
  secondDays: number;
  publicUrl: string;
}

export class ReminderService {
  private readonly thresholds: Array<{ number: number; ms: number }>;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    private readonly settings: ReminderSettings,
  ) {
    this.thresholds = [
      { number: 1, ms: settings.firstDays * DAY_MS },
      { number: 2, ms: settings.secondDays * DAY_MS },
    ];
    mailer.addCheck('reminder-digest', async (db, email, now) => {
      const ctx = DigestContext.safeParse(JSON.parse(email.context ?? 'null'));
      if (!ctx.success || email.member_id === null) return { send: false, reason: 'bad-context' };
      const still = await waiting(db, now).where('i.id', 'in', ctx.data.invitationIds.length ? ctx.data.invitationIds : ['']).orderBy('i.created_at').execute();
      if (still.length === 0) return { send: false, reason: 'stopped' };
      if (still.length === ctx.data.invitationIds.length) return { send: true };
      const member = await members.findById(db, email.member_id);
      return member ? { send: true, content: renderReminderDigest(this.settings.publicUrl, member.full_name, still, now) } : { send: false, reason: 'no-member' };
    });
  }

  /** The recurring scan: record the reminders due now and queue the day's digest per recipient. */
  async scan(): Promise<number> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const day = nowIso.slice(0, 10);
    const catchUp = CATCH_UP_DAYS * DAY_MS;
    const candidates = await waiting(this.database.db, nowIso)
      // Due for some number n: its threshold passed (less than CATCH_UP_DAYS ago) and n not given yet.
      .where((eb) =>
        eb.or(
          this.thresholds.map((t) =>
            eb.and([
              eb('i.created_at', '<=', iso(now.getTime() - t.ms)),
              eb('i.created_at', '>', iso(now.getTime() - t.ms - catchUp)),
              eb.not(eb.exists(eb.selectFrom('invitation_reminders as g').select('g.invitation_id').whereRef('g.invitation_id', '=', 'i.id').where('g.number', '>=', t.number))),
            ]),
          ),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('email_preferences as p')
              .select('p.member_id')
              .whereRef('p.member_id', '=', 'i.recipient_id')
              .where('p.category', '=', 'reminders')
              .where('p.enabled', '=', 0),
          ),
        ),
      )
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('invitation_reminders as t').select('t.invitation_id').whereRef('t.recipient_id', '=', 'i.recipient_id').where('t.day', '=', day))),
      )
      .select((eb) => eb.selectFrom('invitation_reminders as r').select((e) => e.fn.max('r.number').as('n')).whereRef('r.invitation_id', '=', 'i.id').as('given'))
      .orderBy('i.created_at')
      .limit(SCAN_BATCH)
      .execute();

    const due = new Map<string, Array<{ invitationId: string; number: number }>>();
    for (const c of candidates) {
      const age = now.getTime() - Date.parse(c.created_at);
      const passed = this.thresholds.filter((t) => age >= t.ms).pop();
      if (!passed || age >= passed.ms + catchUp || Number(c.given ?? 0) >= passed.number) continue;
      due.set(c.recipient_id, [...(due.get(c.recipient_id) ?? []), { invitationId: c.id, number: passed.number }]);
    }
    let recorded = 0;
    for (const [recipientId, reminders] of due) {
      await this.database.transaction(async (tx) => {
        for (const r of reminders) {
          const inserted = await tx.db
            .insertInto('invitation_reminders')
            .values({ invitation_id: r.invitationId, number: r.number, recipient_id: recipientId, day, email_id: null, created_at: nowIso })
            .onConflict((oc) => oc.columns(['invitation_id', 'number']).doNothing())
            .executeTakeFirst();
          recorded += Number(inserted.numInsertedOrUpdatedRows ?? 0);
        }
        await this.jobs.enqueue(tx, digestJob, { recipientId, day }, { key: `reminder-digest:${recipientId}:${day}`, mode: 'dedupe' });
      });
    }
    return recorded;
  }

  /** `reminders.digest`: one email listing the recipient's reminders of that day that still wait. */
  readonly digestJob: JobDefinition<typeof DigestPayload> = {
    ...digestJob,
    run: async ({ recipientId, day }) => {
      await this.database.transaction(async (tx) => {
        const now = this.clock.now().toISOString();
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
        const still = await waiting(tx.db, now).where('i.id', 'in', ids).orderBy('i.created_at').execute();
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

const iso = (ms: number) => new Date(ms).toISOString();

/** Invitations that still wait for their recipient at `now`, with what a reminder shows of the sender. */
function waiting(db: Executor, now: string) {
  return db
    .selectFrom('invitations as i')
    .innerJoin('members as s', 's.id', 'i.sender_id')
    .select(['i.id', 'i.recipient_id', 'i.sender_id', 'i.note', 'i.created_at', 's.full_name as sender_name', 's.headline as sender_headline'])
    .where('i.status', '=', 'pending')
    .where('i.expires_at', '>', now)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('invitation_events as e').select('e.id').whereRef('e.invitation_id', '=', 'i.id').where('e.action', 'in', ['replied', 'restored']))),
    )
    .where(
      sql<boolean>`not exists (select 1 from blocks b where (b.blocker_id = i.recipient_id and b.blocked_id = i.sender_id) or (b.blocker_id = i.sender_id and b.blocked_id = i.recipient_id))`,
    );
}
