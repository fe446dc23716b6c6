/**
 * People you may know (PRODUCT.md §3).
 *
 * Candidates: friends of friends (with mutual-connection counts, hubs capped) and a sample of the
 * viewer's current and past colleagues and classmates. Score: mutual connections, shared employers
 * and schools, same industry, same location; divided by how many open invitations the candidate
 * already has waiting, so popular members are shown less.
 *
 * Never suggested: the viewer, connections, anyone with a block either way, and anyone with an
 * invitation between the pair in either direction, whatever its status. The last rule also covers
 * IDK bars (a bar exists only with an invitation) and keeps sender privacy: an ignored or IDK'd
 * invitation and an untouched one exclude the recipient alike, before and after they close.
 */
import type { NetworkMember } from '../../../contracts/profiles.js';
import type { Database, Executor } from '../../db/database.js';
import * as members from '../members/index.js';
import type { GraphService } from './graph.service.js';

/**
 * What suggestions need of invitations/ and connections/, handed in by context.ts: both modules
 * use the graph, so the graph imports neither.
 */
export interface SuggestionSources {
  /** Everyone with an invitation between them and the viewer, either way, whatever its status. */
  invitationCounterparts(db: Executor, viewerId: string): Promise<string[]>;
  /** How many open invitations each of `ids` has waiting. */
  openInvitationsWaiting(db: Executor, ids: readonly string[]): Promise<Map<string, number>>;
  /** Everyone with a block between them and the viewer, either way. */
  blockedEitherWay(db: Executor, viewerId: string): Promise<string[]>;
}

export interface Suggestion {
  member: NetworkMember;
  reason: string;
}

export interface SuggestionSettings {
  /** A neighbour with more connections than this contributes an even sample of this many. */
  hubCap: number;
  /** About how many friends of friends one suggestion list visits at most (the cap is lowered to fit). */
  budget: number;
  /** Colleagues or classmates sampled per employer or school. */
  perOrg: number;
}

const POOL = 5; // score this many candidates per suggestion asked for, before the popularity damping

export class SuggestionService {
  constructor(
    private readonly database: Database,
    private readonly graph: GraphService,
    private readonly settings: SuggestionSettings,
    private readonly sources: SuggestionSources,
  ) {}

  async suggest(viewerId: string, limit: number): Promise<Suggestion[]> {
    const pool = this.graph.candidates(viewerId, await this.excluded(viewerId), limit * POOL, this.settings);
    if (pool.length === 0) return [];
    const open = await this.sources.openInvitationsWaiting(this.database.db, pool.map((c) => c.id));
    const chosen = pool
      .map((c) => ({ ...c, rank: c.score / (1 + (open.get(c.id) ?? 0) / 10) }))
      .sort((a, b) => b.rank - a.rank || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
    // Names only for the ones shown: on a network larger than memory each is a page read.
    const rows = await members.findByIds(this.database.db, chosen.map((c) => c.id));
    // A deleted account's tombstone is suggested to nobody.
    const byId = new Map(rows.filter((r) => r.deleted_at === null).map((r) => [r.id, r]));
    return chosen.flatMap((c) => {
      const r = byId.get(c.id);
      if (!r) return [];
      // The pool's mutual counts are exact already (GraphService.candidates): only the degree is new.
      const member = { id: c.id, fullName: r.full_name, headline: r.headline, location: r.location, degree: this.graph.degree(viewerId, c.id), mutualCount: c.mutuals };
      return [{ member, reason: this.reason(viewerId, c.id, c.mutuals) }];
    });
  }

  private reason(viewerId: string, id: string, mutuals: number): string {
    if (mutuals > 0) return mutuals === 1 ? '1 mutual connection' : `${mutuals} mutual connections`;
    const org = this.graph.shared(viewerId, id).orgs[0] ?? '';
    const [kind, name] = [org.slice(0, org.indexOf(':')), org.slice(org.indexOf(':') + 1)];
    return kind === 'school' ? `Also studied at ${name}` : `Also worked at ${name}`;
  }

  private async excluded(viewerId: string): Promise<Set<string>> {
    const db = this.database.db;
    const [invited, blocked] = await Promise.all([this.sources.invitationCounterparts(db, viewerId), this.sources.blockedEitherWay(db, viewerId)]);
    return new Set<string>([viewerId, ...invited, ...blocked]);
  }
}
