/**
 * Invitations as their two members read them: one invitation, the folders, the event log, the data
 * export, and how a viewer stands with a member (the profile's relationship). Each view is built by
 * invitation.views.ts, where sender privacy is enforced.
 */
import type { Invitation, ReceivedInvitation, SentInvitation } from '../../../contracts/invitations.js';
import type { Relationship } from '../../../contracts/profiles.js';
import type { Clock } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import { mapPage } from '../../db/pagination.js';
import { AppError } from '../../errors.js';
import { isBlockedEitherWay } from '../connections/index.js';
import type { GraphService } from '../graph/index.js';
import { hydrate, type ConversationsByPair } from './invitation.hydrate.js';
import * as repo from './invitation.repository.js';
import { notFound, writeInvitations } from './invitation.transaction.js';
import { receivedView, sentView } from './invitation.views.js';

export class InvitationReads {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly graph: GraphService,
    private readonly conversations: ConversationsByPair,
  ) {}

  /** One invitation as the caller sees it: the sender's view, the recipient's view, or not found. */
  async get(viewerId: string, id: string): Promise<Invitation> {
    const db = this.database.db;
    const now = this.clock.now().toISOString();
    const inv = await repo.findById(db, id);
    const other = inv?.sender_id === viewerId ? inv.recipient_id : inv?.recipient_id === viewerId ? inv.sender_id : undefined;
    if (!inv || !other || (await isBlockedEitherWay(db, viewerId, other))) throw notFound();
    return inv.sender_id === viewerId ? this.sentView(db, id, now) : this.receivedView(db, id, now);
  }

  async listReceived(recipientId: string, folder: 'inbox' | 'archived', cursor: string | undefined, limit: number) {
    const db = this.database.db;
    const now = this.clock.now().toISOString();
    const rows = await repo.received(db, recipientId, folder === 'inbox' ? 'pending' : 'ignored', now, cursor, limit);
    const items = (await hydrate(db, rows.items, 'sender_id', this.conversations)).map((r) => receivedView(r, now, this.graph.view(recipientId, r.sender_id)));
    return { items, nextCursor: rows.nextCursor, counts: await repo.receivedCounts(db, recipientId, now) };
  }

  async listSent(senderId: string, status: SentInvitation['status'] | undefined, cursor: string | undefined, limit: number) {
    const db = this.database.db;
    const now = this.clock.now().toISOString();
    const rows = await repo.sent(db, senderId, status, now, cursor, limit);
    const items = (await hydrate(db, rows.items, 'recipient_id', this.conversations)).map((r) => sentView(r, now, this.graph.view(senderId, r.recipient_id)));
    return { items, nextCursor: rows.nextCursor, counts: { pending: await repo.sentPendingCount(db, senderId, now) } };
  }

  /** The event log of one invitation, limited to rows the caller is entitled to. */
  async events(viewerId: string, id: string, cursor: string | undefined, limit: number) {
    const seen = await this.get(viewerId, id);
    // The log shows an expiry once it has happened, not once someone next writes on the pair:
    // otherwise the sender could tell from it whether the recipient (silently) acted after expiry.
    if (seen.status === 'expired') {
      const stored = await repo.findById(this.database.db, id);
      if (stored && repo.OPEN.includes(stored.status)) await writeInvitations(this.database, this.clock, (db, now) => repo.expireDue(db, now, stored.pair_key));
    }
    const rows = await repo.eventsVisibleTo(this.database.db, id, viewerId, cursor, limit);
    return mapPage(rows, (r) => ({
      id: r.id,
      action: r.action,
      actor: r.actor_id === null ? ('system' as const) : r.actor_id === viewerId ? ('you' as const) : ('them' as const),
      at: r.at,
    }));
  }

  /** Every invitation the member sent, as its sender sees it; every one received, as its recipient does. */
  async exportFor(memberId: string): Promise<{ sent: SentInvitation[]; received: ReceivedInvitation[] }> {
    const db = this.database.db;
    const now = this.clock.now().toISOString();
    const sent = (await hydrate(db, await repo.allSent(db, memberId), 'recipient_id', this.conversations)).map((r) => sentView(r, now, this.graph.view(memberId, r.recipient_id)));
    const received = (await hydrate(db, await repo.allReceived(db, memberId), 'sender_id', this.conversations)).map((r) => receivedView(r, now, this.graph.view(memberId, r.sender_id)));
    return { sent, received };
  }

  /**
   * How the viewer stands with a member; a blocked or blocking member is not found. The caller
   * has checked that the member exists (their profile was found). One query: blocks and the open
   * invitation live only in the database, and the connection's date with them; the graph says
   * whether there is a connection to date (in this process as soon as it commits, elsewhere within
   * the change feed's lag, the same as the degree shown next to it).
   * An ignored invitation is open: its sender sees `invitation_sent`, as for a pending one.
   */
  async relationship(viewerId: string, memberId: string): Promise<Relationship> {
    if (viewerId === memberId) return { status: 'self', invitationId: null, connectedAt: null };
    const standing = await repo.standing(this.database.db, viewerId, memberId, this.graph.connected(viewerId, memberId));
    if (standing.blocked) throw new AppError('MemberNotFound', 'No member has this id.');
    if (standing.connectedAt !== null) return { status: 'connected', invitationId: null, connectedAt: standing.connectedAt };
    const open = standing.invitation;
    if (open && open.expiresAt > this.clock.now().toISOString()) {
      return { status: open.senderId === viewerId ? 'invitation_sent' : 'invitation_received', invitationId: open.id, connectedAt: null };
    }
    return { status: 'none', invitationId: null, connectedAt: null };
  }

  async sentView(db: Executor, id: string, now: string) {
    const row = await this.withMember(db, id, 'recipient_id');
    return sentView(row, now, this.graph.view(row.sender_id, row.recipient_id));
  }

  async receivedView(db: Executor, id: string, now: string) {
    const row = await this.withMember(db, id, 'sender_id');
    return receivedView(row, now, this.graph.view(row.recipient_id, row.sender_id));
  }

  private async withMember(db: Executor, id: string, memberColumn: 'sender_id' | 'recipient_id') {
    const row = await repo.findById(db, id);
    const [hydrated] = row ? await hydrate(db, [row], memberColumn, this.conversations) : [];
    if (!hydrated) throw notFound();
    return hydrated;
  }
}
