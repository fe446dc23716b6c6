/**
 * Deleting an account (docs/security.md, "Deleting an account"). One transaction, in which each
 * module that owns a part of the member's data erases or closes it through its own service:
 *
 * - auth: every session and API token ends; unused reset and email-change links stop working;
 * - invitations: open ones the member sent are withdrawn; open ones they received expire, the
 *   same whether they were pending, ignored or answered "I don't know", and no one is told;
 * - connections: all removed, silently, as a removal by the member;
 * - messaging: the member leaves every conversation; their messages stay in the other member's
 *   copy under "Deleted member", and no one can write to them;
 * - notifications: theirs go; mail: every optional category off, so queued digests do not go out;
 * - members: the profile, experience and education are erased, the email freed; the row stays as a
 *   tombstone that is "not found" everywhere, so other members' history (invitations, messages)
 *   and the safety signals against senders keep their ids and do not change.
 * - safety records (standings, enforcements, appeals, reports, the audit log) stay: moderation
 *   keeps its history.
 *
 * The account's old address is told in the same transaction; the email goes after commit.
 * Invariant: either all of it commits or none of it does; a retry after a crash finds the
 * account gone (Unauthenticated) or whole.
 */
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/database.js';
import * as members from '../members/index.js';
import { AppError } from '../../errors.js';
import type { DeletionParts } from './account.parts.js';

export type { DeletionParts } from './account.parts.js';

export class AccountDeletionService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly parts: DeletionParts,
  ) {}

  async deleteAccount(memberId: string, password: string): Promise<void> {
    const p = this.parts;
    await p.account.verifyPassword(memberId, password);
    await this.database.transaction(async (tx) => {
      const db = tx.db;
      const now = this.clock.now().toISOString();
      const member = await members.findById(db, memberId);
      if (!member) throw new AppError('Unauthenticated', 'This account no longer exists.');
      await p.account.endAllCredentials(db, memberId, now);
      await p.invitations.closeForDeletedAccount(db, memberId, now);
      await p.connections.removeAllOf(db, memberId, now);
      await p.messaging.leaveAll(db, memberId);
      await p.notifications.forgetMember(db, memberId);
      await p.mailer.preferences.turnAllOff(db, memberId);
      await p.members.eraseAccount(db, memberId, now);
      await p.mailer.enqueue(tx, {
        to: member.email,
        category: 'account',
        subject: 'Your Rapport account was deleted',
        text: 'Your Rapport account was deleted just now, as you asked. Your profile, connections and open invitations are gone, and this address can be used for a new account.',
        html: '<p>Your Rapport account was deleted just now, as you asked.</p><p>Your profile, connections and open invitations are gone, and this address can be used for a new account.</p>',
      });
    });
  }
}
