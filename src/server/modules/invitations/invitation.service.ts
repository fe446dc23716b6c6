/**
 * The invitation lifecycle (PRODUCT.md §2, docs/invitations.md).
 *
 * States: pending → accepted | ignored | withdrawn | expired;  ignored → accepted | pending | withdrawn | expired.
 * Flags on an open invitation: idk (implies ignored, bars the pair), spam (implies idk).
 * ignored → pending is "restore" (the recipient's Undo, or "Move to inbox" from Archived): only while
 * not flagged, since it would otherwise have to undo the IDK's bar and spam signal as well.
 *
 * Invariants:
 * - At most one open (pending|ignored) invitation per pair: a unique partial index on pair_key.
 * - Every transition is a compare-and-set on the stored status inside one transaction, with an
 *   event row. A repeat of a transition that already happened returns the same result.
 * - Open invitations past expires_at are expired: persisted lazily before any write on the pair
 *   and by the sweeper, and read as expired before that.
 * - The sender never learns of ignore / IDK / spam: see invitation.views.ts, and every check in
 *   `send` and `withdraw` depends only on facts the sender can see.
 * - This module is the state machine's only home: a block elsewhere asks it to withdraw
 *   (`connectionEffects`), a reply thread logs the reply through `recordReply` (index.ts).
 *
 * Use cases by file: sending, accepting, withdrawing and closing here; the recipient's quiet
 * answers in invitation.answers.ts; reads in invitation.reads.ts; emails in invitation.emails.ts.
 */
import type { Relationship } from '../../../contracts/profiles.js';
import type { SendResult, SentInvitation } from '../../../contracts/invitations.js';
import { DAY_MS, type Clock } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { newId } from '../../ids.js';
import { count, isBlockedEitherWay, isConnected, type ConnectionEffects, type ConnectionService } from '../connections/index.js';
import type { GraphService } from '../graph/index.js';
import * as members from '../members/index.js';
import { record as notify } from '../notifications/index.js';
import type { SafetyService } from '../safety/index.js';
import { InvitationAnswers } from './invitation.answers.js';
import type { ConversationsByPair } from './invitation.hydrate.js';
import { InvitationReads } from './invitation.reads.js';
import * as repo from './invitation.repository.js';
import type { InvitationRow } from './invitation.repository.js';
import { closed, notFound, receivedBy, writeInvitations } from './invitation.transaction.js';

export interface InvitationSettings {
  noteMax: number;
  weeklyLimit: number;
  outstandingLimit: number;
  cooldownMs: number;
  expiryMs: number;
  connectionLimit: number;
}

/**
 * Effects of a transition that run in its transaction (emails: invitation.emails.ts). Only
 * these two exist: nothing happens for ignore, IDK, spam, withdraw or expiry, and `sent` is not
 * called for an invitation the IDK bar files straight into Archived.
 */
export interface InvitationEffects {
  sent(db: Executor, inv: Pick<InvitationRow, 'id' | 'sender_id' | 'recipient_id' | 'note'>, now: string): Promise<void>;
  accepted(db: Executor, inv: InvitationRow, now: string): Promise<void>;
}

const WEEK_MS = 7 * DAY_MS;
const iso = (ms: number) => new Date(ms).toISOString();

export class InvitationService {
  private readonly reads: InvitationReads;
  private readonly answers: InvitationAnswers;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly settings: InvitationSettings,
    private readonly safety: SafetyService,
    private readonly graph: GraphService,
    private readonly connections: ConnectionService,
    conversations: ConversationsByPair,
    private readonly effects: InvitationEffects[] = [],
  ) {
    this.reads = new InvitationReads(database, clock, graph, conversations);
    this.answers = new InvitationAnswers(database, clock, safety, this.reads);
  }

  // The recipient's answers (invitation.answers.ts) and the reads (invitation.reads.ts).
  ignore = (recipientId: string, id: string) => this.answers.ignore(recipientId, id);
  restore = (recipientId: string, id: string) => this.answers.restore(recipientId, id);
  idk = (recipientId: string, id: string) => this.answers.idk(recipientId, id);
  reportSpam = (recipientId: string, id: string) => this.answers.reportSpam(recipientId, id);
  get = (viewerId: string, id: string) => this.reads.get(viewerId, id);
  listReceived = (recipientId: string, folder: 'inbox' | 'archived', cursor: string | undefined, limit: number) => this.reads.listReceived(recipientId, folder, cursor, limit);
  listSent = (senderId: string, status: SentInvitation['status'] | undefined, cursor: string | undefined, limit: number) => this.reads.listSent(senderId, status, cursor, limit);
  events = (viewerId: string, id: string, cursor: string | undefined, limit: number) => this.reads.events(viewerId, id, cursor, limit);
  exportFor = (memberId: string) => this.reads.exportFor(memberId);
  relationship = (viewerId: string, memberId: string): Promise<Relationship> => this.reads.relationship(viewerId, memberId);

  /** What a connection change does to invitations, in its transaction (wired in context.ts). */
  readonly connectionEffects: ConnectionEffects = {
    // Blocking withdraws the open invitation between the two, either way, silently.
    blocked: async (db, blockerId, blockedId, now) => {
      const open = await repo.findOpen(db, repo.pairKey(blockerId, blockedId));
      if (open && (await repo.transition(db, open.id, repo.OPEN, now, { status: 'withdrawn', closed_at: now }))) {
        await repo.appendEvent(db, open.id, blockerId, 'withdrawn', now);
      }
    },
    removed: (db, memberId, _otherId, invitationId, now) => repo.appendEvent(db, invitationId, memberId, 'connection_removed', now),
  };

  /** Send, or repeat a send (same invitation back), or accept the recipient's crossing invitation. */
  async send(senderId: string, recipientId: string, note: string | undefined, email?: string): Promise<{ created: boolean; result: SendResult }> {
    if (note !== undefined && note.length > this.settings.noteMax) {
      throw new AppError('ValidationFailed', `A note has at most ${this.settings.noteMax} characters.`, {
        issues: [{ in: 'body', path: 'note', message: `At most ${this.settings.noteMax} characters.` }],
      });
    }
    return writeInvitations(this.database, this.clock, async (db, now): Promise<{ created: boolean; result: SendResult }> => {
      if (senderId === recipientId) throw new AppError('CannotInviteSelf', 'You cannot invite yourself.');
      await members.lockMembers(this.database, db, [senderId, recipientId]);
      const recipient = await this.assertVisibleMember(db, senderId, recipientId);
      const pair = repo.pairKey(senderId, recipientId);
      await repo.expireDue(db, now, pair);
      if (await isConnected(db, senderId, recipientId)) {
        throw new AppError('AlreadyConnected', 'You are already connected.');
      }
      const open = await repo.findOpen(db, pair);
      if (open && open.sender_id === senderId) {
        return { created: false, result: { outcome: 'sent', invitation: await this.reads.sentView(db, open.id, now) } };
      }
      // If their invitation closed (withdrawn) between our read and our accept, it is gone: invite instead.
      if (open && (await this.acceptOpen(db, open, senderId, now)) === 'accepted') {
        return { created: false, result: { outcome: 'connected', memberId: recipientId, connectedAt: now } };
      }
      const { weeklyLimit } = await this.safety.gate(db, senderId, recipient.email, email, now);
      await this.assertMayInvite(db, senderId, recipientId, weeklyLimit, now);
      const barred = await repo.isBarred(db, recipientId, senderId);
      const id = newId();
      await repo.insert(db, {
        id,
        sender_id: senderId,
        recipient_id: recipientId,
        pair_key: pair,
        note: note ? note : null,
        // The IDK bar files it straight into Archived, silently: the sender still sees "pending".
        status: barred ? 'ignored' : 'pending',
        idk: 0,
        spam: 0,
        created_at: now,
        expires_at: iso(Date.parse(now) + this.settings.expiryMs),
        ignored_at: barred ? now : null,
        closed_at: null,
        beyond_network: this.graph.tied(senderId, recipientId) ? 0 : 1,
      });
      await repo.appendEvent(db, id, senderId, 'sent', now);
      // Filed by the IDK bar: no notification, like an ignore.
      if (!barred) await notify(db, { to: recipientId, kind: 'invitation_received', actor: senderId, subject: id, at: now });
      if (!barred) for (const effect of this.effects) await effect.sent(db, { id, sender_id: senderId, recipient_id: recipientId, note: note ? note : null }, now);
      return { created: true, result: { outcome: 'sent', invitation: await this.reads.sentView(db, id, now) } };
    });
  }

  async accept(recipientId: string, id: string) {
    return writeInvitations(this.database, this.clock, async (db, now) => {
      const inv = await receivedBy(db, recipientId, id, now);
      if (inv.status === 'accepted') return this.reads.receivedView(db, id, now);
      if (inv.status !== 'pending' && inv.status !== 'ignored') throw closed(inv.status);
      const status = await this.acceptOpen(db, inv, recipientId, now);
      if (status !== 'accepted') throw closed(status);
      // The graph hears of this connection when it commits; the pair's own edge changes no mutual count.
      const view = await this.reads.receivedView(db, id, now);
      return { ...view, sender: { ...view.sender, degree: '1st' as const } };
    });
  }

  async withdraw(senderId: string, id: string) {
    return writeInvitations(this.database, this.clock, async (db, now) => {
      const inv = await repo.findById(db, id);
      if (!inv || inv.sender_id !== senderId || (await isBlockedEitherWay(db, senderId, inv.recipient_id))) {
        throw notFound();
      }
      // Serialise with a send on the same pair, which answers with this invitation as it reads it.
      await members.lockMembers(this.database, db, [inv.sender_id, inv.recipient_id]);
      await repo.expireDue(db, now, inv.pair_key);
      const done = await repo.transition(db, id, repo.OPEN, now, { status: 'withdrawn', closed_at: now });
      if (done) {
        await repo.appendEvent(db, id, senderId, 'withdrawn', now);
      } else {
        const current = await repo.findById(db, id);
        if (current?.status !== 'withdrawn') throw closed(current?.status === 'accepted' ? 'accepted' : 'expired');
      }
      return this.reads.sentView(db, id, now);
    });
  }

  /**
   * Account deletion, in its transaction: the member's open invitations close. Sent ones are
   * withdrawn by the member (as LinkedIn withdraws them). Received ones expire, whatever the member
   * had done with them: their senders see `expired` for a pending invitation and for an ignored or
   * IDK one alike, and no one is told. The IDK and spam flags stay on the rows, so the senders'
   * safety signals (and their totals) do not move when a member who said IDK leaves.
   */
  async closeForDeletedAccount(db: Executor, memberId: string, now: string): Promise<void> {
    await members.lockMembers(this.database, db, [memberId]);
    for (const inv of await repo.openOf(db, memberId)) {
      const sent = inv.sender_id === memberId;
      const set = sent ? { status: 'withdrawn' as const, closed_at: now } : { status: 'expired' as const, closed_at: now };
      if (!(await repo.transition(db, inv.id, repo.OPEN, now, set))) continue; // past its expiry: expireDue closes it below
      await repo.appendEvent(db, inv.id, sent ? memberId : null, sent ? 'withdrawn' : 'expired', now);
    }
    await repo.expireDueOf(db, now, memberId);
  }

  /** Persist expiry everywhere; the sweeper calls this. Returns how many expired. */
  async expireDue(): Promise<number> {
    return writeInvitations(this.database, this.clock, (db, now) => repo.expireDue(db, now));
  }

  /**
   * Accept an open invitation: CAS, connection cap, both connection rows, event. Returns 'accepted'
   * (by this request or a concurrent one), or the status it closed with before we got to it.
   */
  private async acceptOpen(db: Executor, inv: InvitationRow, actorId: string, now: string): Promise<InvitationRow['status']> {
    await members.lockMembers(this.database, db, [inv.sender_id, inv.recipient_id]);
    for (const member of [inv.sender_id, inv.recipient_id]) {
      if ((await count(db, member)) >= this.settings.connectionLimit) {
        throw new AppError('ConnectionLimit', `A member can have at most ${this.settings.connectionLimit} connections.`);
      }
    }
    const done = await repo.transition(db, inv.id, repo.OPEN, now, { status: 'accepted', closed_at: now });
    if (!done) return (await repo.findById(db, inv.id))?.status ?? 'withdrawn';
    await this.connections.connect(db, inv.sender_id, inv.recipient_id, inv.id, now);
    // Safety: an accept proves the pair know each other, so it lifts an IDK bar between them (docs/safety.md).
    await repo.unbar(db, inv.sender_id, inv.recipient_id);
    await repo.appendEvent(db, inv.id, actorId, 'accepted', now);
    // Also when a crossing invitation accepted it: the member whose invitation this was is told.
    await notify(db, { to: inv.sender_id, kind: 'invitation_accepted', actor: inv.recipient_id, subject: inv.id, at: now });
    for (const effect of this.effects) await effect.accepted(db, done, now);
    return 'accepted';
  }

  /** Limits that apply before a new invitation exists. Each answer says when sending works again. */
  private async assertMayInvite(db: Executor, senderId: string, recipientId: string, weeklyLimit: number, now: string): Promise<void> {
    const nowMs = Date.parse(now);
    const last = await repo.lastWithdrawn(db, senderId, recipientId);
    if (last?.closed_at && Date.parse(last.closed_at) + this.settings.cooldownMs > nowMs) {
      const retryAt = iso(Date.parse(last.closed_at) + this.settings.cooldownMs);
      throw new AppError('ReinviteCooldown', 'You withdrew an invitation to this member recently. You can invite them again later.', { retryAt });
    }
    const recent = await repo.sentSince(db, senderId, iso(nowMs - WEEK_MS));
    if (recent.length >= weeklyLimit) {
      const freed = recent[recent.length - weeklyLimit] ?? now;
      throw new AppError('WeeklyInviteLimit', `You can send ${weeklyLimit} invitations a week.`, { retryAt: iso(Date.parse(freed) + WEEK_MS) });
    }
    const open = await repo.outstanding(db, senderId, now);
    if (open.count >= this.settings.outstandingLimit) {
      throw new AppError('OutstandingInviteLimit', `You have ${this.settings.outstandingLimit} invitations waiting. Withdraw some or wait for answers.`, {
        retryAt: open.firstExpiry ?? now,
      });
    }
    if ((await count(db, senderId)) >= this.settings.connectionLimit) {
      throw new AppError('ConnectionLimit', `A member can have at most ${this.settings.connectionLimit} connections.`);
    }
  }

  /** A member the viewer may see: exists, and no block either way. */
  private async assertVisibleMember(db: Executor, viewerId: string, memberId: string) {
    const member = await members.findById(db, memberId);
    if (!member || (await isBlockedEitherWay(db, viewerId, memberId))) {
      throw new AppError('MemberNotFound', 'No member has this id.');
    }
    return member;
  }
}
