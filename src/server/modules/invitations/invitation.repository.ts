import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { paginate } from '../../db/pagination.js';
import { notBlocked } from '../connections/index.js';
import { newId, pairKey } from '../../ids.js';
import type { InvitationAction, InvitationStatus, InvitationTable } from './invitation.table.js';

export type InvitationRow = Selectable<InvitationTable>;
export const OPEN: InvitationStatus[] = ['pending', 'ignored'];

export { pairKey };
const OPEN_LIST = sql.join(OPEN.map((s) => sql.lit(s)));

export function findById(db: Executor, id: string) {
  return db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Open (pending or ignored) and not past its expiry at `now`: the one "open" rule. */
export const isOpenAt = (inv: Pick<InvitationRow, 'status' | 'expires_at'>, now: string) => OPEN.includes(inv.status) && inv.expires_at > now;

/** Several invitations by id, in one read (a hydrating step of another module). */
export function findByIds(db: Executor, ids: readonly string[]) {
  return ids.length === 0 ? Promise.resolve([]) : db.selectFrom('invitations').selectAll().where('id', 'in', [...new Set(ids)]).execute();
}

export function findOpen(db: Executor, pair: string) {
  return db.selectFrom('invitations').selectAll().where('pair_key', '=', pair).where('status', 'in', OPEN).executeTakeFirst();
}

export async function insert(db: Executor, row: InvitationRow): Promise<void> {
  await db.insertInto('invitations').values(row).execute();
}

export async function appendEvent(db: Executor, invitationId: string, actorId: string | null, action: InvitationAction, at: string) {
  await db.insertInto('invitation_events').values({ id: newId(), invitation_id: invitationId, actor_id: actorId, action, at }).execute();
}

/**
 * Compare-and-set: move the invitation to `set.status` only if it is still in one of `from`, not
 * past its expiry, and (when given) `unflagged` is still 0. Returns the updated row, or undefined if
 * another request got there first.
 */
export function transition(db: Executor, id: string, from: InvitationStatus[], now: string, set: Partial<InvitationRow>, unflagged?: 'idk' | 'spam') {
  let q = db.updateTable('invitations').set(set).where('id', '=', id).where('status', 'in', from).where('expires_at', '>', now);
  if (unflagged) q = q.where(unflagged, '=', 0);
  return q.returningAll().executeTakeFirst();
}

/** Persist expiry for open invitations past `expires_at` (optionally one pair), with an event each. */
export async function expireDue(db: Executor, now: string, pair?: string): Promise<number> {
  let q = db
    .updateTable('invitations')
    .set((eb) => ({ status: 'expired', closed_at: eb.ref('expires_at') }))
    .where('status', 'in', OPEN)
    .where('expires_at', '<=', now);
  if (pair !== undefined) q = q.where('pair_key', '=', pair);
  const rows = await q.returning(['id', 'expires_at']).execute();
  for (const r of rows) await appendEvent(db, r.id, null, 'expired', r.expires_at);
  return rows.length;
}

/** Open invitations the member sent or received (account deletion closes them). */
export function openOf(db: Executor, memberId: string) {
  return db
    .selectFrom('invitations')
    .select(['id', 'sender_id', 'recipient_id'])
    .where('status', 'in', OPEN)
    .where((eb) => eb.or([eb('sender_id', '=', memberId), eb('recipient_id', '=', memberId)]))
    .execute();
}

/** Every invitation the member received, newest first, with its sender (for the data export). */
export function allReceived(db: Executor, recipientId: string) {
  return invitations(db).where('i.recipient_id', '=', recipientId).orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').execute();
}

/** Every invitation the member sent, newest first, with its recipient (for the data export). */
export function allSent(db: Executor, senderId: string) {
  return invitations(db).where('i.sender_id', '=', senderId).orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').execute();
}

/** expireDue for the open invitations of one member (either side). */
export async function expireDueOf(db: Executor, now: string, memberId: string): Promise<number> {
  const rows = await db
    .updateTable('invitations')
    .set((eb) => ({ status: 'expired', closed_at: eb.ref('expires_at') }))
    .where('status', 'in', OPEN)
    .where('expires_at', '<=', now)
    .where((eb) => eb.or([eb('sender_id', '=', memberId), eb('recipient_id', '=', memberId)]))
    .returning(['id', 'expires_at'])
    .execute();
  for (const r of rows) await appendEvent(db, r.id, null, 'expired', r.expires_at);
  return rows.length;
}

export async function lastWithdrawn(db: Executor, senderId: string, recipientId: string) {
  return db
    .selectFrom('invitations')
    .select(['closed_at'])
    .where('pair_key', '=', pairKey(senderId, recipientId)) // the pair's index: a few rows, whatever either member's history
    .where('sender_id', '=', senderId)
    .where('status', '=', 'withdrawn')
    .orderBy('closed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Creation times of the sender's invitations since `since`, oldest first (withdrawals still count). */
export async function sentSince(db: Executor, senderId: string, since: string): Promise<string[]> {
  const rows = await db
    .selectFrom('invitations')
    .select('created_at')
    .where('sender_id', '=', senderId)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.created_at);
}

export async function outstanding(db: Executor, senderId: string, now: string) {
  const row = await db
    .selectFrom('invitations')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('expires_at').as('first_expiry')])
    .where('sender_id', '=', senderId)
    .where('status', 'in', OPEN)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), firstExpiry: row.first_expiry };
}

export async function isBarred(db: Executor, recipientId: string, senderId: string): Promise<boolean> {
  const row = await db
    .selectFrom('pair_bars')
    .select('sender_id')
    .where('recipient_id', '=', recipientId)
    .where('sender_id', '=', senderId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Safety: lift the IDK bar between the two, either way (an accept proved they know each other). */
export async function unbar(db: Executor, a: string, b: string): Promise<void> {
  await db
    .deleteFrom('pair_bars')
    .where((eb) => eb.or([eb.and([eb('recipient_id', '=', a), eb('sender_id', '=', b)]), eb.and([eb('recipient_id', '=', b), eb('sender_id', '=', a)])]))
    .execute();
}

export async function bar(db: Executor, recipientId: string, senderId: string, invitationId: string, now: string) {
  await db
    .insertInto('pair_bars')
    .values({ recipient_id: recipientId, sender_id: senderId, invitation_id: invitationId, created_at: now })
    .onConflict((oc) => oc.columns(['recipient_id', 'sender_id']).doNothing())
    .execute();
}

/** The skeleton of every list: invitation rows only; the views hydrate the rest (invitation.hydrate.ts). */
const invitations = (db: Executor) => db.selectFrom('invitations as i').selectAll('i');

/** Received invitations in a folder, newest first: inbox = pending, archived = ignored; never expired ones. */
const byNewest = { key: 'i.created_at', id: 'i.id', order: 'desc', keyOf: (r: { created_at: string; id: string }) => ({ key: r.created_at, id: r.id }) } as const;

export function received(db: Executor, recipientId: string, status: 'pending' | 'ignored', now: string, cursor: string | undefined, limit: number) {
  const q = invitations(db)
    .where('i.recipient_id', '=', recipientId)
    .where('i.status', '=', status)
    .where('i.expires_at', '>', now)
    .where(notBlocked('i.sender_id', recipientId));
  return paginate(q, { ...byNewest, cursor, limit });
}

/**
 * Sent invitations, newest first. `status` filters by what the sender sees, so `pending` covers
 * stored pending and ignored alike, and an open invitation past its expiry counts as expired.
 */
export function sent(db: Executor, senderId: string, status: string | undefined, now: string, cursor: string | undefined, limit: number) {
  let q = invitations(db).where('i.sender_id', '=', senderId).where(notBlocked('i.recipient_id', senderId));
  if (status === 'pending') q = q.where('i.status', 'in', OPEN).where('i.expires_at', '>', now);
  if (status === 'expired') q = q.where((eb) => eb.or([eb('i.status', '=', 'expired'), eb.and([eb('i.status', 'in', OPEN), eb('i.expires_at', '<=', now)])]));
  if (status === 'accepted' || status === 'withdrawn') q = q.where('i.status', '=', status);
  return paginate(q, { ...byNewest, cursor, limit });
}


export async function receivedCounts(db: Executor, recipientId: string, now: string) {
  const rows = await db
    .selectFrom('invitations')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('recipient_id', '=', recipientId)
    .where('status', 'in', OPEN)
    .where('expires_at', '>', now)
    .where(notBlocked('sender_id', recipientId))
    .groupBy('status')
    .execute();
  const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return { inbox: n('pending'), archived: n('ignored') };
}

export async function sentPendingCount(db: Executor, senderId: string, now: string) {
  const row = await db
    .selectFrom('invitations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sender_id', '=', senderId)
    .where('status', 'in', OPEN)
    .where('expires_at', '>', now)
    .where(notBlocked('recipient_id', senderId))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}


/** Both sides see sent / accepted / withdrawn / expired; every other row only its actor sees. */
const SHARED_ACTIONS: InvitationAction[] = ['sent', 'accepted', 'withdrawn', 'expired'];

export function eventsVisibleTo(db: Executor, invitationId: string, viewerId: string, cursor: string | undefined, limit: number) {
  const q = db
    .selectFrom('invitation_events')
    .selectAll()
    .where('invitation_id', '=', invitationId)
    .where((eb) => eb.or([eb('actor_id', '=', viewerId), eb('action', 'in', SHARED_ACTIONS)]));
  return paginate(q, { key: null, id: 'id', order: 'asc', cursor, limit, keyOf: (r) => ({ key: '', id: r.id }) });
}

/**
 * How `viewer` and `member` stand, in one round trip: a block either way, the connection's date,
 * and the open (pending or ignored) invitation between them, if any. Plain SQL both dialects read,
 * as one `union all` (the cheapest shape to plan): it runs on every profile view, where the query
 * builder and the planner cost more than the lookups themselves. The connection's row is read only
 * when the caller knows them `connected` (the graph does): it lives in the largest table, whose
 * pages a random profile view rarely finds in the cache, and most profiles viewed are not
 * connections.
 *
 * A joined read across modules (blocks and connections belong to connections/), kept on purpose:
 * docs/architecture.md lists it.
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

/** Everyone with an invitation between them and `memberId`, either way, whatever its status (suggestions). */
export async function counterpartsOf(db: Executor, memberId: string): Promise<string[]> {
  const [sent, received] = await Promise.all([
    db.selectFrom('invitations').select('recipient_id as id').where('sender_id', '=', memberId).execute(),
    db.selectFrom('invitations').select('sender_id as id').where('recipient_id', '=', memberId).execute(),
  ]);
  return [...sent, ...received].map((r) => r.id);
}

/** How many open invitations each of `ids` has waiting (stored status; suggestions damp by it). */
export async function openWaitingFor(db: Executor, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('invitations')
    .select((eb) => ['recipient_id', eb.fn.countAll<number>().as('n')])
    .where('recipient_id', 'in', [...ids])
    .where('status', 'in', OPEN)
    .groupBy('recipient_id')
    .execute();
  return new Map(rows.map((w) => [w.recipient_id, Number(w.n)]));
}
