import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { paginate } from '../../db/pagination.js';
import type { RawBuilder } from 'kysely';
import { contains } from '../../db/sql.js';
import { newId } from '../../ids.js';
import { EMPTY_PROFILE } from './member.defaults.js';
import type { EducationTable, MemberTable, PositionTable } from './member.table.js';
import type { Education, Position } from '../../../contracts/profiles.js';

export type MemberRow = Selectable<MemberTable>;

/** A member with an account: a deleted account's tombstone is not found. */
export function findById(db: Executor, id: string): Promise<MemberRow | undefined> {
  return db.selectFrom('members').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** A member or a deleted account's tombstone (admins see both). */
export function findIncludingDeleted(db: Executor, id: string): Promise<MemberRow | undefined> {
  return db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The members with these ids, in no particular order (unknown ids are left out). */
export function findByIds(db: Executor, ids: string[]): Promise<MemberRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('members').selectAll().where('id', 'in', ids).execute();
}

/**
 * Names by id, for lists that show who did something (a tombstone reads DELETED_NAME). The hydrate
 * step of another module's list: one query for the whole page.
 */
export async function namesOf(db: Executor, ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('members').select(['id', 'full_name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.full_name]));
}

export function findByEmail(db: Executor, email: string): Promise<MemberRow | undefined> {
  return db.selectFrom('members').selectAll().where('email', '=', email).where('deleted_at', 'is', null).executeTakeFirst();
}

export function summaries(db: Executor, ids: string[]) {
  return db.selectFrom('members').select(['id', 'full_name', 'headline', 'location']).where('id', 'in', ids).execute();
}

export async function insert(db: Executor, row: MemberRow): Promise<void> {
  await db.insertInto('members').values(row).execute();
}

export async function update(db: Executor, id: string, set: Partial<MemberRow>): Promise<void> {
  await db.updateTable('members').set(set).where('id', '=', id).execute();
}

/** The account's credentials and role, the part of the row auth/ changes (through members/index.ts). */
export type AccountFields = Partial<Pick<MemberRow, 'email' | 'password_hash' | 'role'>>;

export async function updateAccount(db: Executor, id: string, set: AccountFields, now: string): Promise<void> {
  await update(db, id, { ...set, updated_at: now });
}

export async function positionsOf(db: Executor, memberId: string): Promise<Position[]> {
  const rows = await db.selectFrom('positions').selectAll().where('member_id', '=', memberId).orderBy('ordinal').execute();
  return rows.map((r) => ({ title: r.title, company: r.company, startYear: r.start_year, endYear: r.end_year }));
}

export async function educationsOf(db: Executor, memberId: string): Promise<Education[]> {
  const rows = await db.selectFrom('educations').selectAll().where('member_id', '=', memberId).orderBy('ordinal').execute();
  return rows.map((r) => ({ school: r.school, degree: r.degree, field: r.field, startYear: r.start_year, endYear: r.end_year }));
}

export async function replacePositions(db: Executor, memberId: string, positions: Position[]): Promise<void> {
  await db.deleteFrom('positions').where('member_id', '=', memberId).execute();
  if (positions.length === 0) return;
  const rows: PositionTable[] = positions.map((p, ordinal) => ({
    id: newId(),
    member_id: memberId,
    ordinal,
    title: p.title,
    company: p.company,
    start_year: p.startYear,
    end_year: p.endYear,
  }));
  await db.insertInto('positions').values(rows).execute();
}

export async function replaceEducations(db: Executor, memberId: string, educations: Education[]): Promise<void> {
  await db.deleteFrom('educations').where('member_id', '=', memberId).execute();
  if (educations.length === 0) return;
  const rows: EducationTable[] = educations.map((e, ordinal) => ({
    id: newId(),
    member_id: memberId,
    ordinal,
    school: e.school,
    degree: e.degree,
    field: e.field,
    start_year: e.startYear,
    end_year: e.endYear,
  }));
  await db.insertInto('educations').values(rows).execute();
}

/** For admins: every member and tombstone whose name or email contains `q`, by name then id. */
export function lookup(db: Executor, q: string | undefined, cursor: string | undefined, limit: number) {
  let query = db.selectFrom('members').select(['id', 'email', 'full_name', 'search_name', 'role', 'created_at']);
  if (q) query = query.where((eb) => eb.or([contains('search_name', q), contains('email', q)]));
  return paginate(query, { key: 'search_name', id: 'id', order: 'asc', cursor, limit, keyOf: (r) => ({ key: r.search_name, id: r.id }) });
}

/** Members whose name contains `q` and that `visible` keeps, ordered by name then id, after the keyset `after`. */
export function search(db: Executor, visible: RawBuilder<boolean>, q: string | undefined, cursor: string | undefined, limit: number) {
  let query = db
    .selectFrom('members')
    .select(['id', 'full_name', 'search_name', 'headline', 'location'])
    .where('deleted_at', 'is', null)
    .where(visible);
  if (q) query = query.where(contains('search_name', q));
  return paginate(query, { key: 'search_name', id: 'id', order: 'asc', cursor, limit, keyOf: (r) => ({ key: r.search_name, id: r.id }) });
}

/**
 * Turn a member into a deleted account's tombstone: the row stays (invitations, messages and
 * safety signals of other members point at it) with every personal field erased, and the email
 * freed for a new account.
 */
export async function erase(db: Executor, id: string, now: string): Promise<void> {
  await db.deleteFrom('positions').where('member_id', '=', id).execute();
  await db.deleteFrom('educations').where('member_id', '=', id).execute();
  await db
    .updateTable('members')
    .set({
      email: `deleted-${id}@deleted.invalid`,
      password_hash: '!deleted',
      role: 'member',
      full_name: DELETED_NAME,
      search_name: '',
      ...EMPTY_PROFILE,
      updated_at: now,
      deleted_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** How other members see a deleted account in their history (invitations, messages). */
export const DELETED_NAME = 'Deleted member';
