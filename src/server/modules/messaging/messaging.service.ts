/**
 * Messaging (PRODUCT.md §5, docs/messaging.md): one conversation per pair of members.
 *
 * Who may write (`mayWrite`), checked in the transaction that stores the message:
 * - connections, in a conversation either of them started (POST /conversations) or that continues
 *   a reply thread from before they connected;
 * - before connecting, the two sides of an invitation once its recipient has opened a reply thread
 *   from it (PRODUCT.md §2), while that invitation is open. Its sender can never open the thread.
 *   Replying never changes the invitation, and nothing here depends on whether the recipient
 *   ignored it, said "I don't know" or reported it: the sender sees the thread exactly as if they
 *   had done nothing. Withdrawal or expiry closes the thread for writing; it stays readable.
 * - a block either way: the conversation and the member are not found.
 *
 * Read state is per participant (conversation_members): `unread_count` messages from the other
 * since `last_read_at`, incremented atomically with each message and reset by reading or writing.
 * A message notifies the other participant in the same transaction (notifications module).
 */
import type { Conversation, ConversationsPage, Message } from '../../../contracts/messaging.js';
import type { Clock } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import { mapPage } from '../../db/pagination.js';
import { AppError } from '../../errors.js';
import * as connections from '../connections/index.js';
import * as invitations from '../invitations/index.js';
import * as members from '../members/index.js';
import * as notifications from '../notifications/index.js';
import { hydrate } from './messaging.hydrate.js';
import * as repo from './messaging.repository.js';
import { conversationView, messageView } from './messaging.views.js';

export interface MessagingSettings {
  /** MESSAGE_MAX_CHARS. */
  maxChars: number;
}

export class MessagingService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly settings: MessagingSettings,
    /** Emails: queues the recipient's debounced new-message digest (messaging.emails.ts). */
    private readonly digests?: { queue(db: Executor, recipientId: string, messageId: string, now: string): Promise<void> },
  ) {}

  /**
   * Account deletion, in its transaction: the member leaves every conversation. Their messages
   * stay in the other member's copy, under "Deleted member" (as LinkedIn keeps them), and no one
   * can write to them any more (no connection, no open invitation).
   */
  async leaveAll(db: Executor, memberId: string): Promise<void> {
    await repo.leaveAll(db, memberId);
  }

  /** Every message of the member's conversations, for the data export. */
  async exportFor(memberId: string) {
    const rows = await repo.allMessagesOf(this.database.db, memberId);
    const names = await members.namesOf(this.database.db, rows.map((r) => r.sender_id));
    return rows.map((r) => ({
      conversationId: r.conversation_id,
      withMemberId: r.member_a === memberId ? r.member_b : r.member_a,
      from: r.sender_id === memberId ? 'you' : (names.get(r.sender_id) ?? members.DELETED_NAME),
      body: r.body,
      sentAt: r.created_at,
    }));
  }

  /** The recipient replies without accepting: opens (or continues) the thread with the sender. */
  async replyToInvitation(recipientId: string, invitationId: string, body: string): Promise<Message> {
    this.assertLength(body);
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const inv = await invitations.findInvitation(tx.db, invitationId);
      if (!inv || inv.recipient_id !== recipientId || (await connections.isBlockedEitherWay(tx.db, recipientId, inv.sender_id))) {
        throw new AppError('InvitationNotFound', 'You have no invitation with this id.');
      }
      const stillOpen = inv.status === 'pending' || inv.status === 'ignored';
      const open = invitations.isOpenAt(inv, now);
      if (!open && inv.status !== 'accepted') {
        // An open row past its expiry is expired even before the expiry is persisted; a closed row keeps its status.
        const status = stillOpen ? 'expired' : inv.status;
        throw new AppError('InvitationClosed', `This invitation is ${status}.`, { status });
      }
      // Replying to an accepted invitation is messaging a connection; once the connection is removed it is not.
      if (!open && !(await connections.isConnected(tx.db, recipientId, inv.sender_id))) throw notAllowed();
      const { conversation } = await repo.ensure(tx.db, recipientId, inv.sender_id, inv.id, now);
      const message = await this.deliver(tx.db, conversation.id, recipientId, inv.sender_id, body, now);
      await invitations.recordReply(tx.db, inv.id, recipientId, now);
      return message;
    });
  }

  /** Start (or find) the conversation with a member: connections only, or an open reply thread. */
  async start(memberId: string, otherId: string): Promise<{ created: boolean; conversation: Conversation }> {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      if (!(await members.findById(tx.db, otherId)) || (await connections.isBlockedEitherWay(tx.db, memberId, otherId))) {
        throw new AppError('MemberNotFound', 'No member has this id.');
      }
      const existing = memberId === otherId ? undefined : await repo.findByPair(tx.db, memberId, otherId);
      if (memberId === otherId || !(await this.mayWrite(tx.db, memberId, otherId, existing?.invitation_id ?? null, now))) {
        throw notAllowed();
      }
      const { conversation, created } = await repo.ensure(tx.db, memberId, otherId, null, now);
      return { created, conversation: await this.summary(tx.db, memberId, conversation.id, now) };
    });
  }

  async post(memberId: string, conversationId: string, body: string): Promise<Message> {
    this.assertLength(body);
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const conv = await this.participantOf(tx.db, memberId, conversationId);
      const other = conv.member_a === memberId ? conv.member_b : conv.member_a;
      if (!(await this.mayWrite(tx.db, memberId, other, conv.invitation_id, now))) throw notAllowed();
      return this.deliver(tx.db, conversationId, memberId, other, body, now);
    });
  }

  async get(memberId: string, conversationId: string): Promise<Conversation> {
    const db = this.database.db;
    await this.participantOf(db, memberId, conversationId);
    return this.summary(db, memberId, conversationId, this.clock.now().toISOString());
  }

  /** Conversations with at least one message, newest activity first, with the unread badge count. */
  async list(memberId: string, cursor: string | undefined, limit: number): Promise<ConversationsPage> {
    const db = this.database.db;
    const now = this.clock.now().toISOString();
    const rows = await repo.list(db, memberId, cursor, limit);
    const page = { items: (await hydrate(db, memberId, rows.items)).map((r) => conversationView(r, now)), nextCursor: rows.nextCursor };
    return { ...page, counts: { unread: await repo.unreadConversations(db, memberId) } };
  }

  async messages(memberId: string, conversationId: string, cursor: string | undefined, limit: number) {
    const db = this.database.db;
    await this.participantOf(db, memberId, conversationId);
    return mapPage(await repo.messages(db, conversationId, cursor, limit), messageView);
  }

  /** Everything in the conversation is read, and so are its message notifications. Idempotent. */
  async markRead(memberId: string, conversationId: string): Promise<Conversation> {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      await this.participantOf(tx.db, memberId, conversationId);
      await repo.markRead(tx.db, conversationId, memberId, now);
      await notifications.markSubjectRead(tx.db, memberId, 'message_received', conversationId, now);
      return this.summary(tx.db, memberId, conversationId, now);
    });
  }

  /** Store the message, count it unread for the recipient and notify them; the sender has read it all. */
  private async deliver(db: Executor, conversationId: string, senderId: string, recipientId: string, body: string, now: string): Promise<Message> {
    const row = await repo.insertMessage(db, conversationId, senderId, body, now);
    await notifications.record(db, { to: recipientId, kind: 'message_received', actor: senderId, subject: conversationId, at: now });
    await notifications.markSubjectRead(db, senderId, 'message_received', conversationId, now);
    await this.digests?.queue(db, recipientId, row.id, now);
    return messageView(row);
  }

  private async mayWrite(db: Executor, memberId: string, otherId: string, invitationId: string | null, now: string) {
    if (await connections.isBlockedEitherWay(db, memberId, otherId)) return false;
    if (await connections.isConnected(db, memberId, otherId)) return true;
    if (!invitationId) return false;
    const inv = await invitations.findInvitation(db, invitationId);
    return inv !== undefined && invitations.isOpenAt(inv, now);
  }

  private async participantOf(db: Executor, memberId: string, conversationId: string) {
    const conv = await repo.findById(db, conversationId);
    const other = conv?.member_a === memberId ? conv.member_b : conv?.member_b === memberId ? conv.member_a : undefined;
    if (!conv || !other || (await connections.isBlockedEitherWay(db, memberId, other))) {
      throw new AppError('ConversationNotFound', 'You have no conversation with this id.');
    }
    return conv;
  }

  private async summary(db: Executor, memberId: string, conversationId: string, now: string): Promise<Conversation> {
    const skeleton = await repo.summary(db, memberId, conversationId);
    const [row] = skeleton ? await hydrate(db, memberId, [skeleton]) : [];
    if (!row) throw new AppError('ConversationNotFound', 'You have no conversation with this id.');
    return conversationView(row, now);
  }

  private assertLength(body: string): void {
    if (body.length > this.settings.maxChars) {
      throw new AppError('ValidationFailed', `A message has at most ${this.settings.maxChars} characters.`, {
        issues: [{ in: 'body', path: 'body', message: `At most ${this.settings.maxChars} characters.` }],
      });
    }
  }
}

function notAllowed(): AppError {
  return new AppError('MessageNotAllowed', 'You can message your connections, or reply in a thread opened from an invitation.');
}
