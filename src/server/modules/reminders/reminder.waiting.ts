/**
 * The invitations a reminder may still name: those that wait for their recipient (the invitations
 * module's rule, `stillWaiting`), with what a reminder shows of each sender (members/), hydrated in
 * one batched read.
 */
import type { Executor } from '../../db/database.js';
import { stillWaiting, type WaitingInvitation } from '../invitations/index.js';
import * as members from '../members/index.js';

export interface ReminderInvitation extends WaitingInvitation {
  sender_name: string;
  sender_headline: string;
}

/** Those of `ids` that still wait at `now`, oldest first, with their senders' name and headline. */
export async function waiting(db: Executor, ids: readonly string[], now: string): Promise<ReminderInvitation[]> {
  const rows = await stillWaiting(db, ids, now);
  const senders = new Map((await members.findByIds(db, [...new Set(rows.map((r) => r.sender_id))])).map((m) => [m.id, m]));
  return rows.flatMap((r) => {
    const s = senders.get(r.sender_id);
    return s ? [{ ...r, sender_name: s.full_name, sender_headline: s.headline }] : [];
  });
}
