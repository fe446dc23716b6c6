/** What every invitation use case shares: the write loop, the recipient's lookup and the refusals. */
import type { Clock } from '../../clock.js';
import { isUniqueViolation, type Database, type Executor } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { isBlockedEitherWay } from '../connections/index.js';
import * as repo from './invitation.repository.js';
import type { InvitationRow } from './invitation.repository.js';

/** One transaction; a unique-index refusal (a concurrent send won) reruns it to see the winner. */
export async function writeInvitations<T>(database: Database, clock: Clock, fn: (db: Executor, now: string) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await database.transaction((tx) => fn(tx.db, clock.now().toISOString()));
    } catch (err) {
      if (attempt >= 3 || !isUniqueViolation(err)) throw err;
    }
  }
}

/** The recipient's side of an invitation they may act on; anything else is "not found". */
export async function receivedBy(db: Executor, recipientId: string, id: string, now: string): Promise<InvitationRow> {
  const inv = await repo.findById(db, id);
  if (!inv || inv.recipient_id !== recipientId || (await isBlockedEitherWay(db, recipientId, inv.sender_id))) throw notFound();
  if (inv.status === 'pending' || inv.status === 'ignored') {
    if (await repo.expireDue(db, now, inv.pair_key)) return { ...inv, status: 'expired', closed_at: inv.expires_at };
  }
  return inv;
}

export function notFound(): AppError {
  return new AppError('InvitationNotFound', 'You have no invitation with this id.');
}

export function flagged(): AppError {
  return new AppError('InvitationFlagged', 'You said you don\'t know this person, so this invitation stays in Archived.');
}

export function closed(status: string): AppError {
  return new AppError('InvitationClosed', `This invitation is ${status} and can no longer change.`, { status });
}
