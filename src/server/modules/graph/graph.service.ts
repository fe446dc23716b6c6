/**
 * The network graph (PRODUCT.md §3), answered from memory.
 *
 * State: member ids ↔ dense node indexes, the Adjacency of connections, and the Attributes PYMK
 * compares. Loaded from the database at start (`load`), then kept current by the change feed:
 * - `connections` changes (`+a,b` / `-a,b`) apply as soon as their transaction commits in this
 *   process, and within the feed's lag in other processes (docs/graph.md);
 * - `members` changes (an id) re-read that member's employers, schools, industry and location.
 *
 * Invariants: the adjacency equals the `connections` table once the feed has delivered every
 * committed change; a member the graph has not seen yet has no connections (out of network).
 */
import type { Logger } from 'pino';
import type { ChangeFeed } from '../../db/change-feed.js';
import type { Database, Executor } from '../../db/database.js';
import { Adjacency } from './adjacency.js';
import { Bits, commonNeighbours, degree, friendsOfFriends, intersection, intersectionSize, Marks, topK, type Degree } from './algorithms.js';
import { Attributes, type MemberFacts } from './attributes.js';
import { loadGraph, readFacts } from './graph.loader.js';

export type DegreeLabel = 'self' | '1st' | '2nd' | '3rd' | 'out_of_network';
const LABELS: Record<number, DegreeLabel> = { 1: '1st', 2: '2nd', 3: '3rd' };

export interface NetworkView {
  degree: DegreeLabel;
  mutualCount: number;
}

export class GraphService {
  private ids: string[] = [];
  private index = new Map<string, number>();
  private adjacency = Adjacency.empty();
  private attributes = new Attributes();
  private marks = new Marks(1);
  private bits = new Bits(1);
  private loads = 0;
  /** Changes heard while a load runs, replayed in order onto the loaded graph. */
  private heldBack: Array<[string, string]> | undefined;
  /** Stop hearing the change feed. */
  readonly detach: () => void;

  constructor(
    private readonly database: Database,
    private readonly feed: ChangeFeed,
    private readonly log: Logger,
  ) {
    this.detach = feed.subscribe({
      change: (topic, payload) => this.change(topic, payload),
      resync: () => void this.load().catch((err: unknown) => this.log.error({ err }, 'the graph could not reload')),
    });
  }

  /** Read every member and connection. A reload replaces the graph in one step when it is done. */
  async load(): Promise<void> {
    const load = ++this.loads;
    this.heldBack ??= [];
    const loaded = await loadGraph(this.database);
    if (load !== this.loads) return;
    this.ids = loaded.ids;
    this.index = loaded.index;
    this.adjacency = loaded.adjacency;
    this.attributes = loaded.attributes;
    this.marks = new Marks(loaded.ids.length);
    this.bits = new Bits(loaded.ids.length);
    const held = this.heldBack;
    this.heldBack = undefined;
    for (const [topic, payload] of held) this.change(topic, payload);
  }

  /**
   * Record in the transaction `db` that a and b were connected (or disconnected): connections/
   * calls it with every write of the table, and the graph hears it through the feed at commit.
   */
  connectionChanged(db: Executor, a: string, b: string, connected: boolean): Promise<void> {
    return this.feed.publish(db, 'connections', `${connected ? '+' : '-'}${a},${b}`);
  }

  /** Record in the transaction `db` that a member's profile (or the member itself) is new or changed. */
  memberChanged(db: Executor, id: string): Promise<void> {
    return this.feed.publish(db, 'members', id);
  }

  degree(viewer: string, member: string): DegreeLabel {
    if (viewer === member) return 'self';
    const a = this.index.get(viewer);
    const b = this.index.get(member);
    if (a === undefined || b === undefined) return 'out_of_network';
    return label(degree(this.adjacency, this.bits, a, b));
  }

  /** Whether the two are connected (first degree). */
  connected(a: string, b: string): boolean {
    const u = this.index.get(a);
    const v = this.index.get(b);
    return u !== undefined && v !== undefined && this.adjacency.has(u, v);
  }

  mutualCount(viewer: string, member: string): number {
    const a = this.index.get(viewer);
    const b = this.index.get(member);
    if (a === undefined || b === undefined || a === b) return 0;
    return commonNeighbours(this.adjacency, a, b);
  }

  /** Degree and mutual count of each member, as the viewer sees them. */
  view(viewer: string, member: string): NetworkView {
    return { degree: this.degree(viewer, member), mutualCount: this.mutualCount(viewer, member) };
  }

  /**
   * Whether the two have any tie: within 2 degrees, a shared employer or school, or the same
   * industry and location. No tie makes an invitation "beyond the network" (docs/safety.md).
   */
  tied(a: string, b: string): boolean {
    const u = this.index.get(a);
    const v = this.index.get(b);
    if (u === undefined || v === undefined) return false;
    const d = degree(this.adjacency, this.bits, u, v);
    if (d !== null && d <= 2) return true;
    if (intersectionSize(this.attributes.orgsOf(u), this.attributes.orgsOf(v)) > 0) return true;
    return this.attributes.sameIndustry(u, v) && this.attributes.sameLocation(u, v);
  }

  /** How many mutual connections the two have, and up to `limit` of their ids, the best-connected first. */
  mutuals(viewer: string, member: string, limit: number): { count: number; top: string[] } {
    const a = this.index.get(viewer);
    const b = this.index.get(member);
    if (a === undefined || b === undefined || a === b) return { count: 0, top: [] };
    const all = intersection(this.adjacency.row(a), this.adjacency.row(b));
    const top = all
      .sort((x, y) => this.adjacency.degreeOf(y) - this.adjacency.degreeOf(x) || x - y)
      .slice(0, limit)
      .map((u) => this.ids[u] as string);
    return { count: all.length, top };
  }

  /** Every mutual connection of the two with its connection count, the best-connected first, then by id. */
  mutualsRanked(viewer: string, member: string): Array<{ id: string; connections: number }> {
    const a = this.index.get(viewer);
    const b = this.index.get(member);
    if (a === undefined || b === undefined || a === b) return [];
    return intersection(this.adjacency.row(a), this.adjacency.row(b))
      .map((u) => ({ id: this.ids[u] as string, connections: this.adjacency.degreeOf(u) }))
      .sort((x, y) => y.connections - x.connections || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  }

  connectionCount(member: string): number {
    const u = this.index.get(member);
    return u === undefined ? 0 : this.adjacency.degreeOf(u);
  }

  /**
   * People-you-may-know candidates, best first, at most `limit`: friends of friends (hubs sampled
   * down to `hubCap`, the whole second hop to about `budget` visits) and an even sample of `perOrg`
   * colleagues or classmates per employer or school. Score: mutual connections + 2 per shared
   * employer or school + ½ for the same industry and ½ for the same location, with the mutual
   * connections of the ones ranked recounted exactly. `excluded` (and connections) are never returned.
   */
  candidates(viewer: string, excluded: Set<string>, limit: number, opts: { hubCap: number; budget: number; perOrg: number }): Array<{ id: string; mutuals: number; score: number }> {
    const u = this.index.get(viewer);
    if (u === undefined) return [];
    // Never returned: the viewer, its connections and `excluded`, as bits, cleared again below (degree()
    // uses the same bits: nothing in between may call it).
    const skip = [u, ...this.adjacency.row(u)];
    for (const id of excluded) {
      const v = this.index.get(id);
      if (v !== undefined) skip.push(v);
    }
    this.bits.fit(this.adjacency.size);
    for (const v of skip) this.bits.set(v);
    try {
      // Friends of friends score their sampled mutual count; each sampled colleague or classmate adds 2.
      const found = friendsOfFriends(this.adjacency, this.marks, this.bits, u, opts.hubCap, opts.budget);
      const orgBonus = new Map<number, number>();
      for (const org of this.attributes.orgsOf(u)) {
        const members = this.attributes.membersOf(org);
        const step = Math.max(1, members.length / opts.perOrg);
        for (let k = 0; k < members.length; k += step) {
          const v = members[Math.floor(k)] as number;
          if (this.bits.has(v)) continue;
          if (!orgBonus.has(v) && this.marks.count(v) === 0) found.push(v);
          orgBonus.set(v, (orgBonus.get(v) ?? 0) + 2);
        }
      }
      const sampled = Int32Array.from(found, (v) => this.marks.count(v) + (orgBonus.get(v) ?? 0));
      // The sampled score picks a pool; the exact shared employers, schools, industry and location rank it.
      return topK(sampled, limit * 4)
        .map((i) => {
          const v = found[i] as number;
          const m = commonNeighbours(this.adjacency, u, v);
          const shared = intersectionSize(this.attributes.orgsOf(u), this.attributes.orgsOf(v));
          const score = m + 2 * shared + (this.attributes.sameIndustry(u, v) ? 0.5 : 0) + (this.attributes.sameLocation(u, v) ? 0.5 : 0);
          return { id: this.ids[v] as string, mutuals: m, score };
        })
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
        .slice(0, limit);
    } finally {
      for (const v of skip) this.bits.clear(v);
    }
  }

  /** What the viewer shares with a member: employers and schools, industry, location. */
  shared(viewer: string, member: string): { orgs: string[]; industry: boolean; location: boolean } {
    const a = this.index.get(viewer);
    const b = this.index.get(member);
    if (a === undefined || b === undefined) return { orgs: [], industry: false, location: false };
    return {
      orgs: intersection(this.attributes.orgsOf(a), this.attributes.orgsOf(b)).map((o) => this.attributes.nameOf(o)),
      industry: this.attributes.sameIndustry(a, b),
      location: this.attributes.sameLocation(a, b),
    };
  }

  /** Node u's sorted neighbour indexes (node i is the i-th member id in id order after a load). For benchmarks. */
  rowOf(u: number): Int32Array {
    return this.adjacency.row(u);
  }

  /** Sizes for the benchmark and health: nodes, directed edges, bytes of the typed arrays. */
  stats(): { members: number; edges: number; adjacencyBytes: number; attributeBytes: number } {
    return { members: this.ids.length, edges: this.adjacency.edges, adjacencyBytes: this.adjacency.bytes, attributeBytes: this.attributes.bytes };
  }

  private change(topic: string, payload: string): void {
    if (this.heldBack) {
      this.heldBack.push([topic, payload]);
      return;
    }
    if (topic === 'connections') {
      const [a, b] = payload.slice(1).split(',');
      if (!a || !b) return;
      const u = this.node(a);
      const v = this.node(b);
      if (payload.startsWith('+')) this.adjacency.add(u, v);
      else this.adjacency.remove(u, v);
    } else if (topic === 'members') {
      const u = this.node(payload);
      void readFacts(this.database.db, payload)
        .then((facts: MemberFacts | undefined) => facts && this.attributes.set(u, facts))
        .catch((err: unknown) => this.log.warn({ err, member: payload }, 'could not read a changed member for the graph'));
    }
  }

  /** The node of a member id, adding the member when the graph has not seen it yet. */
  private node(id: string): number {
    let u = this.index.get(id);
    if (u === undefined) {
      u = this.ids.length;
      this.ids.push(id);
      this.index.set(id, u);
      this.adjacency.grow(u + 1);
    }
    return u;
  }
}

function label(d: Degree): DegreeLabel {
  return d === null ? 'out_of_network' : (LABELS[d] as DegreeLabel);
}
