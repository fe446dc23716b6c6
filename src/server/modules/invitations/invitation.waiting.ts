/**
 * Whether an invitation still waits for its recipient (docs/email.md, "Reminder policy"): pending,
 * not expired, not replied to and not put back after an ignore (Undo, "Move to inbox": it is no
 * longer untouched), and no block either way. The reminders ask it when each step runs and again
 * when the digest is written and sent; the rule lives here, with the state machine it reads.
 */
import type { Executor } from '../../db/database.js';
import { notBlockedBetween } from '../connections/index.js';

export interface WaitingInvitation {
  id: string;
  recipient_id: string;
  sender_id: string;
  note: string | null;
  created_at: string;
}

/** Those of `ids` that still wait at `now`, oldest first. */
export async function stillWaiting(db: Executor, ids: readonly string[], now: string): Promise<WaitingInvitation[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('invitations as i')
    .select(['i.id', 'i.recipient_id', 'i.sender_id', 'i.note', 'i.created_at'])
    .where('i.id', 'in', [...ids])
    .where('i.status', '=', 'pending')
    .where('i.expires_at', '>', now)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('invitation_events as e').select('e.id').whereRef('e.invitation_id', '=', 'i.id').where('e.action', 'in', ['replied', 'restored']))),
    )
    .where(notBlockedBetween('i.recipient_id', 'i.sender_id'))
    .orderBy('i.created_at')
    .orderBy('i.id')
    .execute();
}
