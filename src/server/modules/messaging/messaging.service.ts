/**
 * Minimal messaging: one conversation per pair of members.
 *
 * Who may write: connections; and, before connecting, the two sides of an invitation once its
 * recipient has opened a reply thread from it (PRODUCT.md §2), while that invitation is open.
 * Replying never changes the invitation.
 */
import type { Message } from '../../../contracts/invitations.js';
import type { Clock } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import { decodeCursor, toPage } from '../../db/pagination.js';
import { after } from '../../db/sql.js';
import { AppError } from '../../errors.js';
import { newId } from '../../ids.js';
import * as connections from '../connections/connection.repository.js';
import * as invitations from '../invitations/invitation.repository.js';

export class MessagingService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  /** The recipient replies without accepting: opens (or continues) the thread with the sender. */
  async replyToInvitation(recipientId: string, invitationId: string, body: string): Promise<Message> {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const inv = await invitations.findById(tx.db, invitationId);
      if (!inv || inv.recipient_id !== recipientId || (await connections.isBlockedEitherWay(tx.db, recipientId, inv.sender_id))) {
        throw new AppError('InvitationNotFound', 'You have no invitation with this id.');
      }
      const stillOpen = inv.status === 'pending' || inv.status === 'ignored';
      const open = stillOpen && inv.expires_at > now;
      if (!open && inv.status !== 'accepted') {
        // An open row past its expiry is expired even before the expiry is persisted; a closed row keeps its status.
        const status = stillOpen ? 'expired' : inv.status;
        throw new AppError('InvitationClosed', `This invitation is ${status}.`, { status });
      }
      const conversationId = await this.conversationFor(tx.db, recipientId, inv.sender_id, inv.id, now);
      const message = await this.insert(tx.db, conversationId, recipientId, body, now);
      await invitations.appendEvent(tx.db, inv.id, recipientId, 'replied', now);
      return message;
    });
  }

  async post(memberId: string, conversationId: string, body: string): Promise<Message> {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const conv = await this.participantOf(tx.db, memberId, conversationId);
      const other = conv.member_a === memberId ? conv.member_b : conv.member_a;
      if (!(await this.mayWrite(tx.db, memberId, other, conv.invitation_id, now))) {
        throw new AppError('MessageNotAllowed', 'You can message your connections, or reply in a thread opened from an invitation.');
      }
      return this.insert(tx.db, conversationId, memberId, body, now);
    });
  }

  async list(memberId: string, conversationId: string, cursor: string | undefined, limit: number) {
    const db = this.database.db;
    await this.participantOf(db, memberId, conversationId);
    const k = decodeCursor(cursor);
    let q = db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
    if (k) q = q.where(after('created_at', 'id', k, 'desc'));
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    return toPage(rows, limit, (r) => ({ key: r.created_at, id: r.id }), present);
  }

  private async mayWrite(db: Executor, memberId: string, otherId: string, invitationId: string | null, now: string) {
    if (await connections.isBlockedEitherWay(db, memberId, otherId)) return false;
    if (await connections.isConnected(db, memberId, otherId)) return true;
    if (!invitationId) return false;
    const inv = await invitations.findById(db, invitationId);
    return inv !== undefined && (inv.status === 'pending' || inv.status === 'ignored') && inv.expires_at > now;
  }

  private async participantOf(db: Executor, memberId: string, conversationId: string) {
    const conv = await db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
    const other = conv?.member_a === memberId ? conv.member_b : conv?.member_b === memberId ? conv.member_a : undefined;
    if (!conv || !other || (await connections.isBlockedEitherWay(db, memberId, other))) {
      throw new AppError('ConversationNotFound', 'You have no conversation with this id.');
    }
    return conv;
  }

  private async conversationFor(db: Executor, a: string, b: string, invitationId: string, now: string): Promise<string> {
    const pair = invitations.pairKey(a, b);
    await db
      .insertInto('conversations')
      .values({ id: newId(), pair_key: pair, member_a: a, member_b: b, invitation_id: invitationId, created_at: now, last_message_at: now })
      .onConflict((oc) => oc.column('pair_key').doNothing())
      .execute();
    const conv = await db.selectFrom('conversations').select('id').where('pair_key', '=', pair).executeTakeFirstOrThrow();
    await db.updateTable('conversations').set({ invitation_id: invitationId }).where('id', '=', conv.id).execute();
    return conv.id;
  }

  private async insert(db: Executor, conversationId: string, senderId: string, body: string, now: string): Promise<Message> {
    const row = { id: newId(), conversation_id: conversationId, sender_id: senderId, body, created_at: now };
    await db.insertInto('messages').values(row).execute();
    await db.updateTable('conversations').set({ last_message_at: now }).where('id', '=', conversationId).execute();
    return present(row);
  }
}

function present(r: { id: string; conversation_id: string; sender_id: string; body: string; created_at: string }): Message {
  return { id: r.id, conversationId: r.conversation_id, senderId: r.sender_id, body: r.body, createdAt: r.created_at };
}
