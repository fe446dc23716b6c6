/**
 * members/: the public interface, what other modules, the CLI and the composition root may use
 * (docs/architecture.md). The members, positions and educations tables are declared, read and
 * written only in this folder; other modules read a member through these functions (each takes
 * the caller's db or transaction first) and hydrate their lists with `namesOf` or `summaries`, one
 * batched query per page, instead of joining the members table.
 */
export { MemberService, type MemberGraph } from './member.service.js';
export { lockMembers } from './member.lock.js';
export {
  DELETED_NAME,
  findByEmail,
  findById,
  findByIds,
  findIncludingDeleted,
  insert as insertMember,
  lookup as lookupMembers,
  namesOf,
  summaries,
  updateAccount,
  type AccountFields,
  type MemberRow,
} from './member.repository.js';
export { EMPTY_PROFILE, newMemberRow, searchName, type NewMember } from './member.defaults.js';
/** Row types, for the seed's bulk loader (src/cli/seed.ts), the one writer outside this module. */
export type { EducationTable, MemberTable, PositionTable, Role } from './member.table.js';
