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
 */
import type { Invitation, ReceivedInvitation, SendResult, SentInvitation } from '../../../contracts/invitations.js';
import type { Clock } from '../../clock.js';
import { isUniqueViolation, type Database, type Executor } from '../../db/database.js';
import { lockMembers } from '../../db/member-lock.js';
import { mapPage } from '../../db/pagination.js';
import { AppError } from '../../errors.js';
import { newId } from '../../ids.js';
import * as connections from '../connections/connection.repository.js';
import * as members from '../members/member.repository.js';
import * as notifications from '../notifications/notification.repository.js';
import * as repo from './invitation.repository.js';
import type { InvitationRow } from './invitation.repository.js';
import type { GraphService } from '../graph/graph.service.js';
import { receivedView, sentView } from './invitation.views.js';
import type { SafetyService } from '../safety/safety.service.js';

export interface InvitationSettings {
  noteMax: number;
  weeklyLimit: number;
  outstandingLimit: number;
  cooldownMs: number;
  expiryMs: number;
  connectionLimit: number;
}

/**
 * Effects of a transition that run in its transaction (emails: mail/invitation.emails.ts). Only
 * these two exist: nothing happens for ignore, IDK, spam, withdraw or expiry, and `sent` is not
 * called for an invitation the IDK bar files straight into Archived.
 */
export interface InvitationEffects {
  sent(db: Executor, inv: Pick<InvitationRow, 'id' | 'sender_id' | 'recipient_id' | 'note'>, now: string): Promise<void>;
  accepted(db: Executor, inv: InvitationRow, now: string): Promise<void>;
}

const WEEK_MS = 7 * 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

export class InvitationService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly settings: InvitationSettings,
    private readonly safety: SafetyService,
    private readonly graph: GraphService,
    private readonly effects: InvitationEffects[] = [],
  ) {}

  /** Send, or repeat a send (same invitation back), or accept the recipient's crossing invitation. */
  async send(senderId: string, recipientId: string, note: string | undefined, email?: string): Promise<{ created: boolean; result: SendResult }> {
    if (note !== undefined && note.length > this.settings.noteMax) {
      throw new AppError('ValidationFailed', `A note has at most ${this.settings.noteMax} characters.`, {
        issues: [{ in: 'body', path: 'note', message: `At most ${this.settings.noteMax} characters.` }],
      });
    }
    return this.write(async (db, now): Promise<{ created: boolean; result: SendResult }> => {
      if (senderId === recipientId) throw new AppError('CannotInviteSelf', 'You cannot invite yourself.');
      await lockMembers(this.database, db, [senderId, recipientId]);
      const recipient = await this.assertVisibleMember(db, senderId, recipientId);
      const pair = repo.pairKey(senderId, recipientId);
      await repo.expireDue(db, now, pair);
      if (await connections.isConnected(db, senderId, recipientId)) {
        throw new AppError('AlreadyConnected', 'You are already connected.');
      }
      const open = await repo.findOpen(db, pair);
      if (open && open.sender_id === senderId) {
        return { created: false, result: { outcome: 'sent', invitation: await this.sentView(db, open.id, now) } };
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
      if (!barred) await notifications.record(db, { to: recipientId, kind: 'invitation_received', actor: senderId, subject: id, at: now });
      if (!barred) for (const effect of this.effects) await effect.sent(db, { id, sender_id: senderId, recipient_id: recipientId, note: note ? note : null }, now);
      return { created: true, result: { outcome: 'sent', invitation: await this.sentView(db, id, now) } };
    });
  }

  async accept(recipientId: string, id: string) {
    return this.write(async (db, now) => {
      const inv = await this.received(db, recipientId, id, now);
      if (inv.status === 'accepted') return this.receivedView(db, id, now);
      if (inv.status !== 'pending' && inv.status !== 'ignored') throw closed(inv.status);
      const status = await this.acceptOpen(db, inv, recipientId, now);
      if (status !== 'accepted') throw closed(status);
      // The graph hears of this connection when it commits; the pair's own edge changes no mutual count.
      const view = await this.receivedView(db, id, now);
      return { ...view, sender: { ...view.sender, degree: '1st' as const } };
    });
  }

  async ignore(recipientId: string, id: string) {
    return this.recipientTransition(recipientId, id, ['pending'], (inv, now) => ({ status: 'ignored', ignored_at: inv.ignored_at ?? now }), 'ignored', (inv) => inv.status === 'ignored');
  }

  /**
   * Back to the inbox: the recipient undoes an ignore. Only from ignored and not flagged (IDK or
   * spam: 409 InvitationFlagged); in the inbox already answers the same as a repeat. Like the ignore
   * it reverses, nobody is told and nothing the sender sees changes; reminders do not resume
   * (reminder.service.ts: the invitation is no longer untouched).
   */
  async restore(recipientId: string, id: string) {
    return this.write(async (db, now) => {
      const pair = this.database.dialect === 'postgres' ? await repo.findById(db, id) : undefined;
      if (pair) await lockMembers(this.database, db, [pair.sender_id, pair.recipient_id]);
      const inv = await this.received(db, recipientId, id, now);
      const refuse = (row: InvitationRow) => {
        if (row.status === 'ignored' && row.idk === 1) return flagged();
        return row.status === 'pending' ? undefined : closed(row.status);
      };
      if (inv.status !== 'ignored' || inv.idk === 1) {
        const refusal = refuse(inv);
        if (refusal) throw refusal;
        return this.receivedView(db, id, now);
      }
      // Compare-and-set on status and on the IDK flag: a concurrent accept, withdraw, IDK or expiry wins.
      const done = await repo.transition(db, id, ['ignored'], now, { status: 'pending', ignored_at: null }, 'idk');
      if (!done) {
        const current = await repo.findById(db, id);
        const refusal = current ? refuse(current) : closed(inv.status);
        if (refusal) throw refusal;
        return this.receivedView(db, id, now);
      }
      await repo.appendEvent(db, id, recipientId, 'restored', now);
      return this.receivedView(db, id, now);
    });
  }

  /** "I don't know this person": from ignored, or ignore and IDK in one step from pending. Bars the pair. */
  async idk(recipientId: string, id: string) {
    return this.recipientTransition(recipientId, id, repo.OPEN, (inv, now) => ({ status: 'ignored', idk: 1, ignored_at: inv.ignored_at ?? now }), 'idk', (inv) => inv.idk === 1, 'idk', async (db, inv, now) => {
      // Safety: no evaluation here; the scheduled one counts it (docs/safety.md), so the sender's view cannot change now.
      await repo.bar(db, inv.recipient_id, inv.sender_id, inv.id, now);
    });
  }

  /** Like IDK, plus an entry in the moderation queue. */
  async reportSpam(recipientId: string, id: string) {
    return this.recipientTransition(recipientId, id, repo.OPEN, (inv, now) => ({ status: 'ignored', idk: 1, spam: 1, ignored_at: inv.ignored_at ?? now }), 'spam_reported', (inv) => inv.spam === 1, 'spam', async (db, inv, now) => {
      await repo.bar(db, inv.recipient_id, inv.sender_id, inv.id, now);
      await repo.reportSpam(db, inv, now);
    });
  }

  async withdraw(senderId: string, id: string) {
    return this.write(async (db, now) => {
      const inv = await repo.findById(db, id);
      if (!inv || inv.sender_id !== senderId || (await connections.isBlockedEitherWay(db, senderId, inv.recipient_id))) {
        throw new AppError('InvitationNotFound', 'You have no invitation with this id.');
      }
      // Serialise with a send on the same pair, which answers with this invitation as it reads it.
      await lockMembers(this.database, db, [inv.sender_id, inv.recipient_id]);
      await repo.expireDue(db, now, inv.pair_key);
      const done = await repo.transition(db, id, repo.OPEN, now, { status: 'withdrawn', closed_at: now });
      if (done) {
        await repo.appendEvent(db, id, senderId, 'withdrawn', now);
      } else {
        const current = await repo.findById(db, id);
        if (current?.status !== 'withdrawn') throw closed(current?.status === 'accepted' ? 'accepted' : 'expired');
      }
      return this.sentView(db, id, now);
    });
  }

  /** One invitation as the caller sees it: the sender's view, the recipient's view, or not found. */
  async get(viewerId: string, id: string): Promise<Invitation> {
    const db = this.database.db;
    const now = this.clock.now().toISOString();
    const inv = await repo.findById(db, id);
    const other = inv?.sender_id === viewerId ? inv.recipient_id : inv?.recipient_id === viewerId ? inv.sender_id : undefined;
    if (!inv || !other || (await connections.isBlockedEitherWay(db, viewerId, other))) {
      throw new AppError('InvitationNotFound', 'You have no invitation with this id.');
    }
    return inv.sender_id === viewerId ? this.sentView(db, id, now) : this.receivedView(db, id, now);
  }

  async listReceived(recipientId: string, folder: 'inbox' | 'archived', cursor: string | undefined, limit: number) {
    const db = this.database.db;
    const now = this.clock.now().toISOString();
    const rows = await repo.received(db, recipientId, folder === 'inbox' ? 'pending' : 'ignored', now, cursor, limit);
    const page = mapPage(rows, (r) => receivedView(r, now, this.graph.view(recipientId, r.sender_id)));
    return { ...page, counts: await repo.receivedCounts(db, recipientId, now) };
  }

  async listSent(senderId: string, status: SentInvitation['status'] | undefined, cursor: string | undefined, limit: number) {
    const db = this.database.db;
    const now = this.clock.now().toISOString();
    const rows = await repo.sent(db, senderId, status, now, cursor, limit);
    const page = mapPage(rows, (r) => sentView(r, now, this.graph.view(senderId, r.recipient_id)));
    return { ...page, counts: { pending: await repo.sentPendingCount(db, senderId, now) } };
  }

  /** The event log of one invitation, limited to rows the caller is entitled to. */
  async events(viewerId: string, id: string, cursor: string | undefined, limit: number) {
    const seen = await this.get(viewerId, id);
    // The log shows an expiry once it has happened, not once someone next writes on the pair:
    // otherwise the sender could tell from it whether the recipient (silently) acted after expiry.
    if (seen.status === 'expired') {
      const stored = await repo.findById(this.database.db, id);
      if (stored && repo.OPEN.includes(stored.status)) await this.write((db, now) => repo.expireDue(db, now, stored.pair_key));
    }
    const rows = await repo.eventsVisibleTo(this.database.db, id, viewerId, cursor, limit);
    return mapPage(rows, (r) => ({
      id: r.id,
      action: r.action,
      actor: r.actor_id === null ? ('system' as const) : r.actor_id === viewerId ? ('you' as const) : ('them' as const),
      at: r.at,
    }));
  }

  /**
   * Account deletion, in its transaction: the member's open invitations close. Sent ones are
   * withdrawn by the member (as LinkedIn withdraws them). Received ones expire, whatever the member
   * had done with them: their senders see `expired` for a pending invitation and for an ignored or
   * IDK one alike, and no one is told. The IDK and spam flags stay on the rows, so the senders'
   * safety signals (and their totals) do not move when a member who said IDK leaves.
   */
  async closeForDeletedAccount(db: Executor, memberId: string, now: string): Promise<void> {
    await lockMembers(this.database, db, [memberId]);
    for (const inv of await repo.openOf(db, memberId)) {
      const sent = inv.sender_id === memberId;
      const set = sent ? { status: 'withdrawn' as const, closed_at: now } : { status: 'expired' as const, closed_at: now };
      if (!(await repo.transition(db, inv.id, repo.OPEN, now, set))) continue; // past its expiry: expireDue closes it below
      await repo.appendEvent(db, inv.id, sent ? memberId : null, sent ? 'withdrawn' : 'expired', now);
    }
    await repo.expireDueOf(db, now, memberId);
  }

  /** Every invitation the member sent, as its sender sees it; every one received, as its recipient does. */
  async exportFor(memberId: string): Promise<{ sent: SentInvitation[]; received: ReceivedInvitation[] }> {
    const db = this.database.db;
    const now = this.clock.now().toISOString();
    const sent = (await repo.allSent(db, memberId)).map((r) => sentView(r, now, this.graph.view(memberId, r.recipient_id)));
    const received = (await repo.allReceived(db, memberId)).map((r) => receivedView(r, now, this.graph.view(memberId, r.sender_id)));
    return { sent, received };
  }

  /** Persist expiry everywhere; the sweeper calls this. Returns how many expired. */
  async expireDue(): Promise<number> {
    return this.write((db, now) => repo.expireDue(db, now));
  }

  /** The recipient's side of an invitation they may act on; anything else is "not found". */
  private async received(db: Executor, recipientId: string, id: string, now: string): Promise<InvitationRow> {
    const inv = await repo.findById(db, id);
    if (!inv || inv.recipient_id !== recipientId || (await connections.isBlockedEitherWay(db, recipientId, inv.sender_id))) {
      throw new AppError('InvitationNotFound', 'You have no invitation with this id.');
    }
    if (inv.status === 'pending' || inv.status === 'ignored') {
      if (await repo.expireDue(db, now, inv.pair_key)) return { ...inv, status: 'expired', closed_at: inv.expires_at };
    }
    return inv;
  }

  private async recipientTransition(
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
    return this.write(async (db, now) => {
      // Serialise with the other writes on this pair, so the answer is read in the same order it was decided.
      const pair = this.database.dialect === 'postgres' ? await repo.findById(db, id) : undefined;
      if (pair) await lockMembers(this.database, db, [pair.sender_id, pair.recipient_id]);
      const inv = await this.received(db, recipientId, id, now);
      if (alreadyDone(inv)) return this.receivedView(db, id, now);
      const done = await repo.transition(db, id, from, now, set(inv, now), flag);
      if (!done) {
        // Another request changed it since we read it: answer as if this one had come second.
        const current = await repo.findById(db, id);
        if (current && alreadyDone(current)) return this.receivedView(db, id, now);
        throw closed(current?.status ?? inv.status);
      }
      await repo.appendEvent(db, id, recipientId, action, now);
      await effect?.(db, done, now);
      return this.receivedView(db, id, now);
    });
  }


  /**
   * Accept an open invitation: CAS, connection cap, both connection rows, event. Returns 'accepted'
   * (by this request or a concurrent one), or the status it closed with before we got to it.
   */
  private async acceptOpen(db: Executor, inv: InvitationRow, actorId: string, now: string): Promise<InvitationRow['status']> {
    await lockMembers(this.database, db, [inv.sender_id, inv.recipient_id]);
    for (const member of [inv.sender_id, inv.recipient_id]) {
      if ((await connections.count(db, member)) >= this.settings.connectionLimit) {
        throw new AppError('ConnectionLimit', `A member can have at most ${this.settings.connectionLimit} connections.`);
      }
    }
    const done = await repo.transition(db, inv.id, repo.OPEN, now, { status: 'accepted', closed_at: now });
    if (!done) return (await repo.findById(db, inv.id))?.status ?? 'withdrawn';
    await connections.connect(db, inv.sender_id, inv.recipient_id, inv.id, now);
    // Safety: an accept proves the pair know each other, so it lifts an IDK bar between them (docs/safety.md).
    await repo.unbar(db, inv.sender_id, inv.recipient_id);
    await repo.appendEvent(db, inv.id, actorId, 'accepted', now);
    // Also when a crossing invitation accepted it: the member whose invitation this was is told.
    await notifications.record(db, { to: inv.sender_id, kind: 'invitation_accepted', actor: inv.recipient_id, subject: inv.id, at: now });
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
    if ((await connections.count(db, senderId)) >= this.settings.connectionLimit) {
      throw new AppError('ConnectionLimit', `A member can have at most ${this.settings.connectionLimit} connections.`);
    }
  }

  /** A member the viewer may see: exists, and no block either way. */
  private async assertVisibleMember(db: Executor, viewerId: string, memberId: string) {
    const member = await members.findById(db, memberId);
    if (!member || (await connections.isBlockedEitherWay(db, viewerId, memberId))) {
      throw new AppError('MemberNotFound', 'No member has this id.');
    }
    return member;
  }

  private async sentView(db: Executor, id: string, now: string) {
    const row = await repo.findWithMember(db, id, 'recipient_id');
    if (!row) throw new AppError('InvitationNotFound', 'You have no invitation with this id.');
    return sentView(row, now, this.graph.view(row.sender_id, row.recipient_id));
  }

  private async receivedView(db: Executor, id: string, now: string) {
    const row = await repo.findWithMember(db, id, 'sender_id');
    if (!row) throw new AppError('InvitationNotFound', 'You have no invitation with this id.');
    return receivedView(row, now, this.graph.view(row.recipient_id, row.sender_id));
  }

  /** One transaction; a unique-index refusal (a concurrent send won) reruns it to see the winner. */
  private async write<T>(fn: (db: Executor, now: string) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.database.transaction((tx) => fn(tx.db, this.clock.now().toISOString()));
      } catch (err) {
        if (attempt >= 3 || !isUniqueViolation(err)) throw err;
      }
    }
  }
}

function flagged(): AppError {
  return new AppError('InvitationFlagged', 'You said you don\'t know this person, so this invitation stays in Archived.');
}

function closed(status: string): AppError {
  return new AppError('InvitationClosed', `This invitation is ${status} and can no longer change.`, { status });
}
