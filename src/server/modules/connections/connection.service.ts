/**
 * Connections, relationships and blocks. The `connections` and `blocks` tables are this module's:
 * nothing else writes them, and others read them through `index.ts`.
 *
 * Invariants:
 * - A connection is two directed rows (a→b and b→a), written and removed together: symmetric.
 * - Every write of a connection tells the graph in its transaction (the change feed), so the
 *   in-memory graph equals the table once the feed delivered it.
 * - Removing a connection is silent: the other member is told nothing, and an event row is
 *   visible only to the one who removed it (logged by invitations/, which owns that history).
 * - A block (either way) makes each member "not found" to the other; blocking removes the
 *   connection and asks invitations/ to withdraw the open invitation between them, silently.
 */
import type { Connection } from '../../../contracts/invitations.js';
import type { Clock } from '../../clock.js';
import type { GraphService } from '../graph/index.js';
import type { Database, Executor } from '../../db/database.js';
import { mapPage } from '../../db/pagination.js';
import { AppError } from '../../errors.js';
import * as members from '../members/index.js';
import * as repo from './connection.repository.js';

/**
 * What other modules do in the transaction of a connection change. Invitations implements it (the
 * invitation state machine and its event log live there); context.ts wires it, so this module
 * imports nothing of invitations.
 */
export interface ConnectionEffects {
  /** A block: the open invitation between the two, if any, is withdrawn. */
  blocked(db: Executor, blockerId: string, blockedId: string, now: string): Promise<void>;
  /** A removal of a connection made by invitation `invitationId` (never a bulk-seeded one). */
  removed(db: Executor, memberId: string, otherId: string, invitationId: string, now: string): Promise<void>;
}

export class ConnectionService {
  private readonly effects: ConnectionEffects[] = [];

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly graph: GraphService,
  ) {}

  /** At boot only (context.ts): invitations is built after this service, since it uses it. */
  addEffects(effects: ConnectionEffects): void {
    this.effects.push(effects);
  }

  async list(memberId: string, q: string | undefined, sort: 'recent' | 'name', cursor: string | undefined, limit: number) {
    const db = this.database.db;
    const rows = await repo.list(db, memberId, q, sort, cursor, limit);
    const page = mapPage(
      rows,
      (r): Connection => ({ member: { id: r.id, fullName: r.full_name, headline: r.headline, location: r.location, ...this.graph.view(memberId, r.id) }, connectedAt: r.created_at }),
    );
    return { ...page, total: await repo.count(db, memberId) };
  }

  /** In the caller's transaction (an accept): both rows, idempotently, and the graph hears it at commit. */
  async connect(db: Executor, a: string, b: string, invitationId: string, now: string): Promise<void> {
    await repo.connect(db, a, b, invitationId, now);
    await this.graph.connectionChanged(db, a, b, true);
  }

  async remove(memberId: string, otherId: string): Promise<void> {
    await this.database.transaction(async (tx) => {
      if (!(await this.disconnect(tx.db, memberId, otherId, this.clock.now().toISOString()))) {
        throw new AppError('ConnectionNotFound', 'You are not connected to this member.');
      }
    });
  }

  /** Account deletion, in its transaction: every connection of the member goes, silently, as a removal. */
  async removeAllOf(db: Executor, memberId: string, now: string): Promise<void> {
    for (const otherId of await repo.otherIds(db, memberId)) await this.disconnect(db, memberId, otherId, now);
  }

  async block(blockerId: string, blockedId: string): Promise<void> {
    if (blockerId === blockedId) throw new AppError('ValidationFailed', 'You cannot block yourself.');
    await this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      if (!(await members.findById(tx.db, blockedId))) throw new AppError('MemberNotFound', 'No member has this id.');
      await repo.block(tx.db, blockerId, blockedId, now);
      if (await repo.disconnect(tx.db, blockerId, blockedId)) await this.graph.connectionChanged(tx.db, blockerId, blockedId, false);
      for (const effect of this.effects) await effect.blocked(tx.db, blockerId, blockedId, now);
    });
  }

  async unblock(blockerId: string, blockedId: string): Promise<void> {
    // Through transaction(), like every write, so SQLITE_BUSY from another process is retried.
    await this.database.transaction((tx) => repo.unblock(tx.db, blockerId, blockedId));
  }

  async listBlocked(blockerId: string, cursor: string | undefined, limit: number) {
    const rows = await repo.blocked(this.database.db, blockerId, cursor, limit);
    return mapPage(rows, (r) => ({ id: r.id, fullName: r.full_name, headline: r.headline, location: r.location }));
  }

  /** Both rows go; the graph hears it; the removal is logged on the invitation that made it. */
  private async disconnect(db: Executor, memberId: string, otherId: string, now: string): Promise<boolean> {
    const invitationId = await repo.disconnect(db, memberId, otherId);
    if (!invitationId) return false;
    await this.graph.connectionChanged(db, memberId, otherId, false);
    // A bulk-seeded connection (docs/seed.md) has no invitation to log the removal on.
    if (invitationId !== repo.SEEDED_INVITATION) for (const effect of this.effects) await effect.removed(db, memberId, otherId, invitationId, now);
    return true;
  }
}
