/**
 * The recipient's quiet answers: ignore, restore (back to the inbox), "I don't know" and spam. The
 * states and invariants are in invitation.service.ts; none of these is visible to the sender.
 */
import type { Clock } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import { lockMembers } from '../members/index.js';
import type { SafetyService } from '../safety/index.js';
import type { InvitationReads } from './invitation.reads.js';
import * as repo from './invitation.repository.js';
import type { InvitationRow } from './invitation.repository.js';
import { closed, flagged, receivedBy, writeInvitations } from './invitation.transaction.js';

export class InvitationAnswers {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly safety: SafetyService,
    private readonly reads: InvitationReads,
  ) {}

  async ignore(recipientId: string, id: string) {
    return this.transition(recipientId, id, ['pending'], (inv, now) => ({ status: 'ignored', ignored_at: inv.ignored_at ?? now }), 'ignored', (inv) => inv.status === 'ignored');
  }

  /**
   * Back to the inbox: the recipient undoes an ignore. Only from ignored and not flagged (IDK or
   * spam: 409 InvitationFlagged); in the inbox already answers the same as a repeat. Like the ignore
   * it reverses, nobody is told and nothing the sender sees changes; reminders do not resume
   * (reminder.service.ts: the invitation is no longer untouched).
   */
  async restore(recipientId: string, id: string) {
    return writeInvitations(this.database, this.clock, async (db, now) => {
      await this.lockPair(db, id);
      const inv = await receivedBy(db, recipientId, id, now);
      const refuse = (row: InvitationRow) => {
        if (row.status === 'ignored' && row.idk === 1) return flagged();
        return row.status === 'pending' ? undefined : closed(row.status);
      };
      if (inv.status !== 'ignored' || inv.idk === 1) {
        const refusal = refuse(inv);
        if (refusal) throw refusal;
        return this.reads.receivedView(db, id, now);
      }
      // Compare-and-set on status and on the IDK flag: a concurrent accept, withdraw, IDK or expiry wins.
      const done = await repo.transition(db, id, ['ignored'], now, { status: 'pending', ignored_at: null }, 'idk');
      if (!done) {
        const current = await repo.findById(db, id);
        const refusal = current ? refuse(current) : closed(inv.status);
        if (refusal) throw refusal;
        return this.reads.receivedView(db, id, now);
      }
      await repo.appendEvent(db, id, recipientId, 'restored', now);
      return this.reads.receivedView(db, id, now);
    });
  }

  /** "I don't know this person": from ignored, or ignore and IDK in one step from pending. Bars the pair. */
  async idk(recipientId: string, id: string) {
    return this.transition(recipientId, id, repo.OPEN, (inv, now) => ({ status: 'ignored', idk: 1, ignored_at: inv.ignored_at ?? now }), 'idk', (inv) => inv.idk === 1, 'idk', async (db, inv, now) => {
      // Safety: no evaluation here; the scheduled one counts it (docs/safety.md), so the sender's view cannot change now.
      await repo.bar(db, inv.recipient_id, inv.sender_id, inv.id, now);
    });
  }

  /** Like IDK, plus an entry in the moderation queue (safety/ owns it). */
  async reportSpam(recipientId: string, id: string) {
    return this.transition(recipientId, id, repo.OPEN, (inv, now) => ({ status: 'ignored', idk: 1, spam: 1, ignored_at: inv.ignored_at ?? now }), 'spam_reported', (inv) => inv.spam === 1, 'spam', async (db, inv, now) => {
      await repo.bar(db, inv.recipient_id, inv.sender_id, inv.id, now);
      await this.safety.reportSpam(db, { invitationId: inv.id, reporterId: inv.recipient_id, senderId: inv.sender_id }, now);
    });
  }

  /** Serialise with the other writes on this pair, so the answer is read in the same order it was decided. */
  private async lockPair(db: Executor, id: string): Promise<void> {
    const pair = this.database.dialect === 'postgres' ? await repo.findById(db, id) : undefined;
    if (pair) await lockMembers(this.database, db, [pair.sender_id, pair.recipient_id]);
  }

  private async transition(
    recipientId: string,
    id: string,
    from: InvitationRow['status'][],
    set: (inv: InvitationRow, now: string) => Partial<InvitationRow>,
    action: 'ignored' | 'idk' | 'spam_reported',
    alreadyDone: (inv: InvitationRow) => boolean,
    /** The flag this transition sets, so that of two concurrent repeats only one writes. */
    flag?: 'idk' | 'spam',
    effect?: (db: Executor, inv: InvitationRow, now: string) => Promise<void>,
  ) {
    return writeInvitations(this.database, this.clock, async (db, now) => {
      await this.lockPair(db, id);
      const inv = await receivedBy(db, recipientId, id, now);
      if (alreadyDone(inv)) return this.reads.receivedView(db, id, now);
      const done = await repo.transition(db, id, from, now, set(inv, now), flag);
      if (!done) {
        // Another request changed it since we read it: answer as if this one had come second.
        const current = await repo.findById(db, id);
        if (current && alreadyDone(current)) return this.reads.receivedView(db, id, now);
        throw closed(current?.status ?? inv.status);
      }
      await repo.appendEvent(db, id, recipientId, action, now);
      await effect?.(db, done, now);
      return this.reads.receivedView(db, id, now);
    });
  }
}
