/**
 * In-app notifications (PRODUCT.md §5, docs/messaging.md), read side. They are written by the
 * services whose state change causes them, in the same transaction, through
 * notifications/index.ts `record`:
 *
 * - invitation_received → the recipient, when an invitation is created (not when the IDK bar files
 *   it straight into Archived, nor on a repeat send that returns the open invitation);
 * - invitation_accepted → the sender, when their invitation is accepted (from the inbox, from
 *   Archived, or by the recipient's crossing invitation);
 * - message_received → the other participant; unread ones collapse per conversation, and reading
 *   the conversation (or writing in it) marks them read.
 *
 * Never for ignore, "I don't know", spam, withdraw, expiry, removal or block: no such kind exists.
 */
import type { Notification, NotificationsPage, UnreadCounts } from '../../../contracts/notifications.js';
import type { Clock } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import * as members from '../members/index.js';
import * as repo from './notification.repository.js';
import type { NotificationRow, NotificationWithActor } from './notification.repository.js';

/** How many conversations have unread messages for the member: messaging/ answers, context.ts wires it. */
export type UnreadConversations = (db: Executor, memberId: string) => Promise<number>;

export class NotificationService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly unreadConversations: UnreadConversations,
  ) {}

  /** Account deletion, in its transaction: the member's notifications go. */
  async forgetMember(db: Executor, memberId: string): Promise<void> {
    await repo.deleteAllOf(db, memberId);
  }

  async list(memberId: string, unreadOnly: boolean, cursor: string | undefined, limit: number): Promise<NotificationsPage> {
    const db = this.database.db;
    const rows = await repo.list(db, memberId, unreadOnly, cursor, limit);
    const page = { items: (await withActors(db, rows.items)).map(present), nextCursor: rows.nextCursor };
    return { ...page, unreadCount: await repo.unreadCount(db, memberId) };
  }

  async unreadCounts(memberId: string): Promise<UnreadCounts> {
    return this.counts(this.database.db, memberId);
  }

  /** Idempotent: ids that are not the caller's, or already read, are left alone. */
  async markRead(memberId: string, ids: string[] | undefined): Promise<UnreadCounts> {
    return this.database.transaction(async (tx) => {
      await repo.markRead(tx.db, memberId, ids, this.clock.now().toISOString());
      return this.counts(tx.db, memberId);
    });
  }

  private async counts(db: Executor, memberId: string): Promise<UnreadCounts> {
    return { unreadCount: await repo.unreadCount(db, memberId), unreadConversations: await this.unreadConversations(db, memberId) };
  }
}

/** Skeleton → hydrate: the actors of a page, in one batched read from members/. */
async function withActors(db: Executor, rows: NotificationRow[]): Promise<NotificationWithActor[]> {
  if (rows.length === 0) return [];
  const actors = new Map((await members.summaries(db, [...new Set(rows.map((r) => r.actor_id))])).map((m) => [m.id, m]));
  return rows.flatMap((r) => {
    const a = actors.get(r.actor_id);
    return a ? [{ ...r, full_name: a.full_name, headline: a.headline, location: a.location }] : [];
  });
}

function present(r: NotificationWithActor): Notification {
  const common = {
    id: r.id,
    actor: { id: r.actor_id, fullName: r.full_name, headline: r.headline, location: r.location },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    readAt: r.read_at,
  };
  switch (r.kind) {
    case 'invitation_received':
      return { kind: r.kind, invitationId: r.subject_id, link: '/mynetwork/invitations', ...common };
    case 'invitation_accepted':
      return { kind: r.kind, invitationId: r.subject_id, link: `/in/${r.actor_id}`, ...common };
    case 'message_received':
      return { kind: r.kind, conversationId: r.subject_id, messageCount: r.occurrences, link: `/messaging/${r.subject_id}`, ...common };
  }
}
