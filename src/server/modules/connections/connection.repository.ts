import type { Executor } from '../../db/database.js';
import { paginate } from '../../db/pagination.js';
import { sql } from 'kysely';
import { contains } from '../../db/sql.js';
import { OPEN, pairKey } from '../invitations/invitation.repository.js';

const OPEN_LIST = sql.join(OPEN.map((s) => sql.lit(s)));

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

/**
 * How `viewer` and `member` stand, in one round trip: a block either way, the connection's date,
 * and the open (pending or ignored) invitation between them, if any. Plain SQL both dialects read,
 * as one `union all` (the cheapest shape to plan): it runs on every profile view, where the query
 * builder and the planner cost more than the lookups themselves. The connection's row is read only
 * when the caller knows them `connected` (the graph does): it lives in the largest table, whose
 * pages a random profile view rarely finds in the cache, and most profiles viewed are not
 * connections.
 */
export async function standing(db: Executor, viewer: string, member: string, connected: boolean) {
  const connection = connected
    ? sql`union all select 'connection', created_at, null, null from connections where member_id = ${viewer} and other_id = ${member}`
    : sql``;
  const { rows } = await sql<{ kind: 'block' | 'connection' | 'invitation'; a: string; b: string | null; c: string | null }>`
    select 'block' as kind, blocker_id as a, null as b, null as c from blocks
      where (blocker_id = ${viewer} and blocked_id = ${member}) or (blocker_id = ${member} and blocked_id = ${viewer})
    ${connection}
    union all
    select 'invitation', id, sender_id, expires_at from invitations where pair_key = ${pairKey(viewer, member)} and status in (${OPEN_LIST})`.execute(db);
  let connectedAt: string | null = null;
  let invitation: { id: string; senderId: string; expiresAt: string } | undefined;
  for (const r of rows) {
    if (r.kind === 'block') return { blocked: true, connectedAt: null, invitation: undefined };
    if (r.kind === 'connection') connectedAt = r.a;
    else if (r.b !== null && r.c !== null) invitation = { id: r.a, senderId: r.b, expiresAt: r.c };
  }
  return { blocked: false, connectedAt, invitation };
}
