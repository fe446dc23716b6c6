/**
 * Connections, relationships and blocks.
 *
 * Invariants:
 * - A connection is two directed rows (a→b and b→a), written and removed together: symmetric.
 * - Removing a connection is silent: the other member is told nothing, and an event row is
 *   visible only to the one who removed it.
 * - A block (either way) makes each member "not found" to the other; blocking removes the
 *   connection and withdraws open invitations in both directions, silently.
 */
import type { Connection } from '../../../contracts/invitations.js';
import type { Relationship } from '../../../contracts/profiles.js';
import type { Clock } from '../../clock.js';
import type { GraphService } from '../graph/graph.service.js';
import type { Database, Executor } from '../../db/database.js';
import { mapPage, paginate } from '../../db/pagination.js';
import { AppError } from '../../errors.js';
import * as invitations from '../invitations/invitation.repository.js';
import * as members from '../members/member.repository.js';
import * as repo from './connection.repository.js';

export class ConnectionService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly graph: GraphService,
  ) {}

  async list(memberId: string, q: string | undefined, sort: 'recent' | 'name', cursor: string | undefined, limit: number) {
    const db = this.database.db;
    const rows = await repo.list(db, memberId, q, sort, cursor, limit);
    const page = mapPage(
      rows,
      (r): Connection => ({ member: { id: r.id, fullName: r.full_name, headline: r.headline, location: r.location, ...this.graph.view(memberId, r.id) }, connectedAt: r.created_at }),
    );
    return { ...page, total: await repo.count(db, memberId) };
  }

  async remove(memberId: string, otherId: string): Promise<void> {
    await this.database.transaction(async (tx) => {
      const invitationId = await repo.disconnect(tx.db, memberId, otherId);
      if (!invitationId) throw new AppError('ConnectionNotFound', 'You are not connected to this member.');
      await this.graph.connectionChanged(tx.db, memberId, otherId, false);
      // A bulk-seeded connection (docs/seed.md) has no invitation to log the removal on.
      if (invitationId !== repo.SEEDED_INVITATION) await invitations.appendEvent(tx.db, invitationId, memberId, 'connection_removed', this.clock.now().toISOString());
    });
  }

  /** Account deletion, in its transaction: every connection of the member goes, silently, as a removal. */
  async removeAllOf(db: Executor, memberId: string, now: string): Promise<void> {
    for (const otherId of await repo.otherIds(db, memberId)) {
      const invitationId = await repo.disconnect(db, memberId, otherId);
      if (!invitationId) continue;
      await this.graph.connectionChanged(db, memberId, otherId, false);
      if (invitationId !== repo.SEEDED_INVITATION) await invitations.appendEvent(db, invitationId, memberId, 'connection_removed', now);
    }
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

  async block(blockerId: string, blockedId: string): Promise<void> {
    if (blockerId === blockedId) throw new AppError('ValidationFailed', 'You cannot block yourself.');
    await this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      if (!(await members.findById(tx.db, blockedId))) throw new AppError('MemberNotFound', 'No member has this id.');
      await tx.db
        .insertInto('blocks')
        .values({ blocker_id: blockerId, blocked_id: blockedId, created_at: now })
        .onConflict((oc) => oc.columns(['blocker_id', 'blocked_id']).doNothing())
        .execute();
      if (await repo.disconnect(tx.db, blockerId, blockedId)) await this.graph.connectionChanged(tx.db, blockerId, blockedId, false);
      const open = await invitations.findOpen(tx.db, invitations.pairKey(blockerId, blockedId));
      if (open && (await invitations.transition(tx.db, open.id, invitations.OPEN, now, { status: 'withdrawn', closed_at: now }))) {
        await invitations.appendEvent(tx.db, open.id, blockerId, 'withdrawn', now);
      }
    });
  }

  async unblock(blockerId: string, blockedId: string): Promise<void> {
    // Through transaction(), like every write, so SQLITE_BUSY from another process is retried.
    await this.database.transaction((tx) => tx.db.deleteFrom('blocks').where('blocker_id', '=', blockerId).where('blocked_id', '=', blockedId).execute());
  }

  async listBlocked(blockerId: string, cursor: string | undefined, limit: number) {
    const q = this.database.db
      .selectFrom('blocks as b')
      .innerJoin('members as m', 'm.id', 'b.blocked_id')
      .select(['m.id', 'm.full_name', 'm.headline', 'm.location'])
      .where('b.blocker_id', '=', blockerId);
    const rows = await paginate(q, { key: null, id: 'm.id', order: 'asc', cursor, limit, keyOf: (r) => ({ key: '', id: r.id }) });
    return mapPage(rows, (r) => ({ id: r.id, fullName: r.full_name, headline: r.headline, location: r.location }));
  }
}
