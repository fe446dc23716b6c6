/**
 * The invitation reminders as a sequence on the runner (jobs/sequence.ts): `invitation-reminders`,
 * subject = invitation id, enrolled in the send transaction. Step n (0-based) is reminder n + 1,
 * due at sent + its threshold. Each step re-checks the world when it runs:
 * - not waiting any more (answered, withdrawn, expired, restored, blocked) → stop;
 * - before its threshold (an enrolment backfilled by migration 0013 runs at once) → wait until it;
 * - the next threshold passed too (only the highest counts), more than CATCH_UP_DAYS late (the
 *   workers were down), or the recipient turned reminders off → skip to the next step;
 * - the recipient already had today's (UTC) reminder email → wait until the next UTC day;
 * - otherwise record the reminder and queue the recipient's digest of the day (dedupe), → next.
 */
import { z } from 'zod';
import { DAY_MS } from '../../clock.js';
import type { Tx } from '../../db/database.js';
import type { SequenceDefinition, StepResult } from '../../jobs/sequence.js';
import type { JobQueue } from '../../jobs/queue.js';
import type { EmailPreferenceService } from '../mail/index.js';
import * as members from '../members/index.js';
import { digestJobName } from './reminder.digest.js';
import { waiting } from './reminder.waiting.js';

export const REMINDER_SEQUENCE = 'invitation-reminders';
export const CATCH_UP_DAYS = 7;

export const ReminderContext = z.object({});

export function reminderSequence(
  jobs: JobQueue,
  preferences: EmailPreferenceService,
  dialect: 'sqlite' | 'postgres',
  settings: { firstDays: number; secondDays: number },
): SequenceDefinition<z.infer<typeof ReminderContext>> {
  const thresholds = [settings.firstDays * DAY_MS, settings.secondDays * DAY_MS];

  async function remind(tx: Tx, invitationId: string, index: number, now: Date): Promise<StepResult<z.infer<typeof ReminderContext>>> {
    const nowIso = now.toISOString();
    const [inv] = await waiting(tx.db, [invitationId], nowIso);
    if (!inv) return { kind: 'stop', reason: 'not-waiting' };
    const sent = Date.parse(inv.created_at);
    const due = sent + (thresholds[index] ?? 0);
    if (now.getTime() < due) return { kind: 'wait', until: new Date(due) };
    const later = thresholds[index + 1];
    if (later !== undefined && now.getTime() >= sent + later) return { kind: 'next' };
    if (now.getTime() >= due + CATCH_UP_DAYS * DAY_MS) return { kind: 'next' };
    if (!(await preferences.wants(tx.db, inv.recipient_id, 'reminders'))) return { kind: 'next' };
    // The step and the recipient's digest take turns (PostgreSQL; SQLite runs one transaction at a
    // time): the step sees whether today's email was written, the digest every reminder before it.
    await members.lockMembers({ dialect }, tx.db, [inv.recipient_id]);
    const day = nowIso.slice(0, 10);
    const emailed = await tx.db
      .selectFrom('invitation_reminders')
      .select('invitation_id')
      .where('recipient_id', '=', inv.recipient_id)
      .where('day', '=', day)
      .where('email_id', 'is not', null)
      .executeTakeFirst();
    if (emailed) return { kind: 'wait', until: new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS) };
    await tx.db
      .insertInto('invitation_reminders')
      .values({ invitation_id: inv.id, number: index + 1, recipient_id: inv.recipient_id, day, email_id: null, created_at: nowIso })
      .onConflict((oc) => oc.columns(['invitation_id', 'number']).doNothing())
      .execute();
    await jobs.enqueue(tx, { name: digestJobName }, { recipientId: inv.recipient_id, day }, { key: `reminder-digest:${inv.recipient_id}:${day}`, mode: 'dedupe' });
    return { kind: 'next' };
  }

  return {
    name: REMINDER_SEQUENCE,
    context: ReminderContext,
    steps: thresholds.map((ms, index) => ({
      due: (e) => new Date(e.enrolledAt.getTime() + ms),
      run: (tx, e, now) => remind(tx, e.subjectId, index, now),
    })),
  };
}
