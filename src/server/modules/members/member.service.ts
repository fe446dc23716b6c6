import type { MemberSummary, NetworkMember, Profile, ProfileUpdate } from '../../../contracts/profiles.js';
import type { GraphService } from '../graph/graph.service.js';
import type { Clock } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import { decodeCursor, toPage } from '../../db/pagination.js';
import { AppError } from '../../errors.js';
import * as members from './member.repository.js';

export class MemberService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly graph: GraphService,
  ) {}

  async profile(id: string, db: Executor = this.database.db): Promise<Profile> {
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

  async updateProfile(id: string, patch: ProfileUpdate): Promise<Profile> {
    return this.database.transaction(async (tx) => {
      const { positions, educations, skills, ...scalars } = patch;
      await members.update(tx.db, id, {
        ...(scalars.fullName !== undefined && { full_name: scalars.fullName, search_name: scalars.fullName.toLowerCase() }),
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
    const ids = this.graph.mutuals(viewerId, memberId, 3);
    const rows = ids.length === 0 ? [] : await this.database.db.selectFrom('members').select(['id', 'full_name', 'headline', 'location']).where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, { id: r.id, fullName: r.full_name, headline: r.headline, location: r.location }]));
    return { ...this.graph.view(viewerId, memberId), mutuals: ids.flatMap((id) => byId.get(id) ?? []) };
  }

  /** Members the viewer may see (no block either way) whose name contains `q`, by name. */
  async search(viewerId: string, q: string | undefined, cursor: string | undefined, limit: number) {
    const rows = await members.search(this.database.db, viewerId, q, decodeCursor(cursor), limit);
    return toPage(
      rows,
      limit,
      (r) => ({ key: r.search_name, id: r.id }),
      (r): NetworkMember => ({ id: r.id, fullName: r.full_name, headline: r.headline, location: r.location, ...this.graph.view(viewerId, r.id) }),
    );
  }
}

function parseSkills(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
}
