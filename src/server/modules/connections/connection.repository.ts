import type { Executor } from '../../db/database.js';
import { paginate } from '../../db/pagination.js';
import { contains } from '../../db/sql.js';

/**
 * `invitation_id` of a bulk-seeded connection (docs/seed.md): no invitation has this id, so such a
 * connection has no invitation history (its removal logs no event).
 */
export const SEEDED_INVITATION = 'seeded';

export async function isConnected(db: Executor, a: string, b: string): Promise<boolean> {
  return (await find(db, a, b)) !== undefined;
}

export function find(db: Executor, memberId: string, otherId: string) {
  return db.selectFrom('connections').selectAll().where('member_id', '=', memberId).where('other_id', '=', otherId).executeTakeFirst();
}

export async function count(db: Executor, memberId: string): Promise<number> {
  const row = await db
    .selectFrom('connections')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('member_id', '=', memberId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function otherIds(db: Executor, memberId: string): Promise<string[]> {
  return (await db.selectFrom('connections').select('other_id').where('member_id', '=', memberId).execute()).map((r) => r.other_id);
}

/** Every connection of the member, oldest first, with the other member's name (for the data export). */
export function allOf(db: Executor, memberId: string) {
  return db
    .selectFrom('connections as c')
    .innerJoin('members as m', 'm.id', 'c.other_id')
    .select(['c.created_at', 'm.id', 'm.full_name', 'm.headline', 'm.current_title', 'm.current_company'])
    .where('c.member_id', '=', memberId)
    .orderBy('c.created_at')
    .orderBy('m.id')
    .execute();
}

/** Both directed rows, idempotently: a repeat of the same accept adds nothing. */
export async function connect(db: Executor, a: string, b: string, invitationId: string, now: string): Promise<void> {
  await db
    .insertInto('connections')
    .values([
      { member_id: a, other_id: b, invitation_id: invitationId, created_at: now },
      { member_id: b, other_id: a, invitation_id: invitationId, created_at: now },
    ])
    .onConflict((oc) => oc.columns(['member_id', 'other_id']).doNothing())
    .execute();
}

/** Removes both rows; returns the invitation that made the connection, if there was one. */
export async function disconnect(db: Executor, a: string, b: string): Promise<string | undefined> {
  const rows = await db
    .deleteFrom('connections')
    .where((eb) => eb.or([eb.and([eb('member_id', '=', a), eb('other_id', '=', b)]), eb.and([eb('member_id', '=', b), eb('other_id', '=', a)])]))
    .returning('invitation_id')
    .execute();
  return rows[0]?.invitation_id;
}

export function list(db: Executor, memberId: string, q: string | undefined, sort: 'recent' | 'name', cursor: string | undefined, limit: number) {
  let query = db
    .selectFrom('connections as c')
    .innerJoin('members as m', 'm.id', 'c.other_id')
    .select(['c.created_at', 'm.id', 'm.full_name', 'm.search_name', 'm.headline', 'm.location'])
    .where('c.member_id', '=', memberId);
  if (q) query = query.where(contains('m.search_name', q));
  return sort === 'recent'
    ? paginate(query, { key: 'c.created_at', id: 'm.id', order: 'desc', cursor, limit, keyOf: (r) => ({ key: r.created_at, id: r.id }) })
    : paginate(query, { key: 'm.search_name', id: 'm.id', order: 'asc', cursor, limit, keyOf: (r) => ({ key: r.search_name, id: r.id }) });
}

export async function isBlockedEitherWay(db: Executor, a: string, b: string): Promise<boolean> {
  const row = await db
    .selectFrom('blocks')
    .select('blocker_id')
    .where((eb) => eb.or([eb.and([eb('blocker_id', '=', a), eb('blocked_id', '=', b)]), eb.and([eb('blocker_id', '=', b), eb('blocked_id', '=', a)])]))
    .executeTakeFirst();
  return row !== undefined;
}

export async function block(db: Executor, blockerId: string, blockedId: string, now: string): Promise<void> {
  await db
    .insertInto('blocks')
    .values({ blocker_id: blockerId, blocked_id: blockedId, created_at: now })
    .onConflict((oc) => oc.columns(['blocker_id', 'blocked_id']).doNothing())
    .execute();
}

export async function unblock(db: Executor, blockerId: string, blockedId: string): Promise<void> {
  await db.deleteFrom('blocks').where('blocker_id', '=', blockerId).where('blocked_id', '=', blockedId).execute();
}

/** The members `blockerId` blocked, by id, with what the list shows of them. */
export function blocked(db: Executor, blockerId: string, cursor: string | undefined, limit: number) {
  const q = db
    .selectFrom('blocks as b')
    .innerJoin('members as m', 'm.id', 'b.blocked_id')
    .select(['m.id', 'm.full_name', 'm.headline', 'm.location'])
    .where('b.blocker_id', '=', blockerId);
  return paginate(q, { key: null, id: 'm.id', order: 'asc', cursor, limit, keyOf: (r) => ({ key: '', id: r.id }) });
}
