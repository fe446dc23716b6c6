import type { Executor } from '../../db/database.js';
import { paginate } from '../../db/pagination.js';
import { contains } from '../../db/sql.js';
import * as members from '../members/index.js';

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

/** Which of `otherIds` the member is connected to: one batched read (a hydrating step of another module). */
export async function connectedAmong(db: Executor, memberId: string, otherIds: readonly string[]): Promise<Set<string>> {
  if (otherIds.length === 0) return new Set();
  const rows = await db.selectFrom('connections').select('other_id').where('member_id', '=', memberId).where('other_id', 'in', [...new Set(otherIds)]).execute();
  return new Set(rows.map((r) => r.other_id));
}

export async function otherIds(db: Executor, memberId: string): Promise<string[]> {
  return (await db.selectFrom('connections').select('other_id').where('member_id', '=', memberId).execute()).map((r) => r.other_id);
}

/** Every connection of the member, oldest first, with the other member's name (for the data export). */
export async function allOf(db: Executor, memberId: string) {
  const rows = await db.selectFrom('connections').select(['created_at', 'other_id']).where('member_id', '=', memberId).orderBy('created_at').orderBy('other_id').execute();
  if (rows.length === 0) return []; // `in ()` is an error on PostgreSQL
  // Skeleton → hydrate: the other members in one batched read from members/.
  const others = new Map((await members.findByIds(db, rows.map((r) => r.other_id))).map((m) => [m.id, m]));
  return rows.flatMap((r) => {
    const m = others.get(r.other_id);
    return m ? [{ created_at: r.created_at, id: m.id, full_name: m.full_name, headline: m.headline, current_title: m.current_title, current_company: m.current_company }] : [];
  });
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
export async function blocked(db: Executor, blockerId: string, cursor: string | undefined, limit: number) {
  const q = db.selectFrom('blocks').select('blocked_id as id').where('blocker_id', '=', blockerId);
  const page = await paginate(q, { key: null, id: 'blocked_id', order: 'asc', cursor, limit, keyOf: (r) => ({ key: '', id: r.id }) });
  if (page.items.length === 0) return { items: [], nextCursor: page.nextCursor }; // `in ()` is an error on PostgreSQL
  // Skeleton → hydrate: what the list shows of them, in one batched read from members/.
  const shown = new Map((await members.summaries(db, page.items.map((r) => r.id))).map((m) => [m.id, m]));
  return { items: page.items.flatMap((r) => shown.get(r.id) ?? []), nextCursor: page.nextCursor };
}

/** Everyone with a block between them and `memberId`, either way (suggestions leave them out). */
export async function blockedEitherWay(db: Executor, memberId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('blocks')
    .select(['blocker_id', 'blocked_id'])
    .where((eb) => eb.or([eb('blocker_id', '=', memberId), eb('blocked_id', '=', memberId)]))
    .execute();
  return rows.map((b) => (b.blocker_id === memberId ? b.blocked_id : b.blocker_id));
}
