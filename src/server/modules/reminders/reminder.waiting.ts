/**
 * The one query that says whether an invitation still waits for its recipient (docs/email.md,
 * "Reminder policy"). Self-contained on purpose: it reads the invitations module's tables, and
 * moves behind that module's interface when the table owners settle (issue 16).
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

/** Invitations that still wait for their recipient at `now`, with what a reminder shows of the sender. */
export function waiting(db: Executor, now: string) {
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
