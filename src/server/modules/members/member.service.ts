/**
 * Profiles and member search.
 *
 * On SQLite, profiles (and the name cards shown for mutual connections) are cached per member in
 * memory. Every write that changes what a profile shows publishes `members` <id> on the change feed
 * in its transaction (`graph.memberChanged`), heard here at commit; a feed resync drops them all.
 * Reads inside a transaction always go to the database. PostgreSQL: no cache (see `useFeed`).
 */
import type { Degree, MemberSummary, NetworkMember, Profile, ProfileUpdate } from '../../../contracts/profiles.js';
import type { RawBuilder } from 'kysely';
import type { Clock } from '../../clock.js';
import type { ChangeFeed } from '../../db/change-feed.js';
import type { Database, Executor } from '../../db/database.js';
import { decodeCursor, mapPage, toPage } from '../../db/pagination.js';
import { AppError } from '../../errors.js';
import { BoundedCache } from '../../bounded-cache.js';
import { searchName } from './member.defaults.js';
import * as members from './member.repository.js';

const CACHED_MEMBERS = 10_000;

/**
 * What profiles need from the connection graph (GraphService, wired in context.ts). Declared here,
 * not imported from graph/, because the graph reads members too: members/ must not depend on it.
 */
export interface MemberGraph {
  /** Publish, in the transaction `db`, that what this member's profile shows changed. */
  memberChanged(db: Executor, id: string): Promise<void>;
  degree(viewer: string, member: string): Degree;
  view(viewer: string, member: string): { degree: Degree; mutualCount: number };
  mutuals(viewer: string, member: string, limit: number): { count: number; top: string[] };
  mutualsRanked(viewer: string, member: string): Array<{ id: string; connections: number }>;
}

interface Cached {
  summary: MemberSummary;
  profile?: Profile;
}

/**
 * What members/ asks of connections/, which reads members and so cannot be imported here: the SQL
 * filter "no block between the viewer and the member in `column`" (connections/ `notBlocked`).
 */
export type BlockFilter = (column: string, viewerId: string) => RawBuilder<boolean>;

export class MemberService {
  private feed: ChangeFeed | undefined;
  private cache: BoundedCache<string, Cached> | undefined;
  private detach: (() => void) | undefined;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly graph: MemberGraph,
    private readonly notBlocked: BlockFilter,
  ) {}

  /**
   * Cache profiles, kept current by `feed`; until it is called, every read goes to the database.
   * Only on SQLite, for the reason AuthService.useFeed gives: another PostgreSQL process hears an
   * edit when its notification arrives, which can be after its next read.
   */
  useFeed(feed: ChangeFeed): void {
    if (this.feed === feed) return;
    this.detach?.();
    this.detach = undefined;
    this.cache = undefined;
    this.feed = feed;
    if (this.database.dialect !== 'sqlite') return;
    const cache = new BoundedCache<string, Cached>(CACHED_MEMBERS);
    this.cache = cache;
    this.detach = feed.subscribe({
      change: (topic, payload) => {
        if (topic === 'members') cache.delete(payload);
      },
      resync: () => cache.clear(),
    });
  }

  async profile(id: string, db: Executor = this.database.db): Promise<Profile> {
    const cache = this.cache;
    if (!cache || db !== this.database.db) return this.read(id, db);
    const hit = cache.get(id)?.profile;
    if (hit) return hit;
    const mark = cache.mark();
    const profile = Object.freeze(await this.read(id, db));
    cache.set(id, { summary: summaryOf(profile), profile }, mark);
    return profile;
  }

  private async read(id: string, db: Executor): Promise<Profile> {
    const row = await members.findById(db, id);
    if (!row) throw new AppError('MemberNotFound', 'No member has this id.');
    const [positions, educations] = await Promise.all([members.positionsOf(db, id), members.educationsOf(db, id)]);
    return {
      id: row.id,
      fullName: row.full_name,
      headline: row.headline,
      currentTitle: row.current_title,
      currentCompany: row.current_company,
      industry: row.industry,
      location: row.location,
      timeZone: row.time_zone,
      about: row.about,
      skills: parseSkills(row.skills),
      positions,
      educations,
    };
  }

  /** Account deletion, in its transaction: the profile is erased to a tombstone (member.repository.ts `erase`). */
  async eraseAccount(db: Executor, id: string, now: string): Promise<void> {
    await members.erase(db, id, now);
    await this.graph.memberChanged(db, id);
  }

  async updateProfile(id: string, patch: ProfileUpdate): Promise<Profile> {
    return this.database.transaction(async (tx) => {
      const { positions, educations, skills, ...scalars } = patch;
      await members.update(tx.db, id, {
        ...(scalars.fullName !== undefined && { full_name: scalars.fullName, search_name: searchName(scalars.fullName) }),
        ...(scalars.headline !== undefined && { headline: scalars.headline }),
        ...(scalars.currentTitle !== undefined && { current_title: scalars.currentTitle }),
        ...(scalars.currentCompany !== undefined && { current_company: scalars.currentCompany }),
        ...(scalars.industry !== undefined && { industry: scalars.industry }),
        ...(scalars.location !== undefined && { location: scalars.location }),
        ...(scalars.timeZone !== undefined && { time_zone: scalars.timeZone }),
        ...(scalars.about !== undefined && { about: scalars.about }),
        ...(skills !== undefined && { skills: JSON.stringify(skills) }),
        updated_at: this.clock.now().toISOString(),
      });
      if (positions) await members.replacePositions(tx.db, id, positions);
      if (educations) await members.replaceEducations(tx.db, id, educations);
      await this.graph.memberChanged(tx.db, id);
      return this.profile(id, tx.db);
    });
  }

  /** The viewer's degree to a member, their mutual-connection count and the best-connected few of them. */
  async network(viewerId: string, memberId: string): Promise<{ degree: NetworkMember['degree']; mutualCount: number; mutuals: MemberSummary[] }> {
    const { count, top } = this.graph.mutuals(viewerId, memberId, 3);
    const byId = await this.summaries(top);
    return { degree: this.graph.degree(viewerId, memberId), mutualCount: count, mutuals: top.flatMap((id) => byId.get(id) ?? []) };
  }

  /**
   * All mutual connections, a page at a time, in the order of `network`'s few (best-connected
   * first). The cursor is the last one's (connection count, id); counts move as the network does,
   * so a member whose count changed between pages may be skipped or repeated, never a crash.
   */
  async mutualsPage(viewerId: string, memberId: string, cursor: string | undefined, limit: number) {
    const after = decodeCursor(cursor);
    if (after !== undefined && !/^\d{1,9}$/.test(after.key)) throw new AppError('InvalidCursor', 'The cursor is not one this list issued.');
    const ranked = this.graph.mutualsRanked(viewerId, memberId);
    const afterCount = Number(after?.key ?? 0);
    const start = after === undefined ? 0 : ranked.findIndex((m) => m.connections < afterCount || (m.connections === afterCount && m.id > after.id));
    const rows = start < 0 ? [] : ranked.slice(start, start + limit + 1);
    const byId = await this.summaries(rows.map((r) => r.id));
    const found = rows.flatMap((r) => {
      const summary = byId.get(r.id);
      return summary ? [{ ...r, summary }] : [];
    });
    const page = toPage(
      found,
      limit,
      (r) => ({ key: String(r.connections), id: r.id }),
      (r): NetworkMember => ({ ...r.summary, ...this.graph.view(viewerId, r.id) }),
    );
    return { ...page, total: ranked.length };
  }

  /** Name cards of these members, from the cache where it has them, else in one query. */
  private async summaries(ids: string[]): Promise<Map<string, MemberSummary>> {
    const found = new Map<string, MemberSummary>();
    const missing: string[] = [];
    for (const id of ids) {
      const hit = this.cache?.get(id);
      if (hit) found.set(id, hit.summary);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const mark = this.cache?.mark() ?? 0;
    const rows = await members.summaries(this.database.db, missing);
    for (const r of rows) {
      const summary: MemberSummary = Object.freeze({ id: r.id, fullName: r.full_name, headline: r.headline, location: r.location });
      found.set(r.id, summary);
      this.cache?.set(r.id, { summary }, mark);
    }
    return found;
  }

  /** Members the viewer may see (no block either way) whose name contains `q`, by name. */
  async search(viewerId: string, q: string | undefined, cursor: string | undefined, limit: number) {
    const page = await members.search(this.database.db, this.notBlocked('id', viewerId), q, cursor, limit);
    return mapPage(page, (r): NetworkMember => ({ id: r.id, fullName: r.full_name, headline: r.headline, location: r.location, ...this.graph.view(viewerId, r.id) }));
  }
}

function summaryOf(p: Profile): MemberSummary {
  return Object.freeze({ id: p.id, fullName: p.fullName, headline: p.headline, location: p.location });
}

function parseSkills(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
}
