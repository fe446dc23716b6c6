import { sql, type Selectable } from 'kysely';
import { PREVIEW_MAX } from '../../../contracts/messaging.js';
import type { Executor } from '../../db/database.js';
import { paginate } from '../../db/pagination.js';
import { notBlocked } from '../connections/index.js';
import { newId, pairKey } from '../../ids.js';
import type { ConversationTable, MessageTable } from './messaging.table.js';

export type ConversationRow = Selectable<ConversationTable>;
export type MessageRow = Selectable<MessageTable>;

export function findById(db: Executor, id: string) {
  return db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The conversation of each pair that has one, by pair key: one batched read (invitations hydrate with it). */
export async function conversationIdsByPair(db: Executor, pairKeys: readonly string[]): Promise<Map<string, string>> {
  if (pairKeys.length === 0) return new Map();
  const rows = await db.selectFrom('conversations').select(['id', 'pair_key']).where('pair_key', 'in', [...new Set(pairKeys)]).execute();
  return new Map(rows.map((r) => [r.pair_key, r.id]));
}

export function findByPair(db: Executor, a: string, b: string) {
  return db.selectFrom('conversations').selectAll().where('pair_key', '=', pairKey(a, b)).executeTakeFirst();
}

/**
 * The pair's one conversation, created with both participant rows if it does not exist yet.
 * `invitationId`, when given, makes it the reply thread of that invitation. Safe under concurrency:
 * a second creator finds the first one's rows.
 */
export async function ensure(db: Executor, a: string, b: string, invitationId: string | null, now: string): Promise<{ conversation: ConversationRow; created: boolean }> {
  const pair = pairKey(a, b);
  const inserted = await db
    .insertInto('conversations')
    .values({ id: newId(), pair_key: pair, member_a: a, member_b: b, invitation_id: invitationId, created_at: now, last_message_at: now, last_message_id: null })
    .onConflict((oc) => oc.column('pair_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  const conversation = await db.selectFrom('conversations').selectAll().where('pair_key', '=', pair).executeTakeFirstOrThrow();
  await db
    .insertInto('conversation_members')
    .values([
      { conversation_id: conversation.id, member_id: a, other_id: b, last_message_at: null, unread_count: 0, last_read_at: null },
      { conversation_id: conversation.id, member_id: b, other_id: a, last_message_at: null, unread_count: 0, last_read_at: null },
    ])
    .onConflict((oc) => oc.columns(['conversation_id', 'member_id']).doNothing())
    .execute();
  if (invitationId !== null && conversation.invitation_id !== invitationId) {
    await db.updateTable('conversations').set({ invitation_id: invitationId }).where('id', '=', conversation.id).execute();
    conversation.invitation_id = invitationId;
  }
  return { conversation, created: inserted !== undefined };
}

/**
 * Store a message and move the read state: one more unread for the other participant (an atomic
 * increment, so concurrent messages and reads never lose a count); the sender has read everything.
 */
export async function insertMessage(db: Executor, conversationId: string, senderId: string, body: string, now: string): Promise<MessageRow> {
  const row = { id: newId(), conversation_id: conversationId, sender_id: senderId, body, created_at: now };
  await db.insertInto('messages').values(row).execute();
  await db.updateTable('conversations').set({ last_message_at: now, last_message_id: row.id }).where('id', '=', conversationId).execute();
  await db
    .updateTable('conversation_members')
    .set((eb) => ({ last_message_at: now, unread_count: eb('unread_count', '+', 1) }))
    .where('conversation_id', '=', conversationId)
    .where('member_id', '<>', senderId)
    .execute();
  await markRead(db, conversationId, senderId, now, now);
  return row;
}

/** Account deletion: the member's side of every conversation goes; the other side keeps theirs. */
export async function leaveAll(db: Executor, memberId: string): Promise<void> {
  await db.deleteFrom('conversation_members').where('member_id', '=', memberId).execute();
}

/** Every message of the member's conversations, by conversation then time (for the data export). */
export function allMessagesOf(db: Executor, memberId: string) {
  return db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select(['m.id', 'm.conversation_id', 'm.sender_id', 'm.body', 'm.created_at', 'c.member_a', 'c.member_b'])
    .where((eb) => eb.or([eb('c.member_a', '=', memberId), eb('c.member_b', '=', memberId)]))
    .orderBy('m.conversation_id')
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
}

export async function markRead(db: Executor, conversationId: string, memberId: string, now: string, lastMessageAt?: string): Promise<void> {
  await db
    .updateTable('conversation_members')
    .set({ unread_count: 0, last_read_at: now, ...(lastMessageAt !== undefined && { last_message_at: lastMessageAt }) })
    .where('conversation_id', '=', conversationId)
    .where('member_id', '=', memberId)
    .execute();
}

export function messages(db: Executor, conversationId: string, cursor: string | undefined, limit: number) {
  const q = db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
  return paginate(q, { key: 'created_at', id: 'id', order: 'desc', cursor, limit, keyOf: (r) => ({ key: r.created_at, id: r.id }) });
}

/**
 * A member's conversations with what this module holds of a list item, blocked members left out:
 * the skeleton that messaging.hydrate.ts completes (the other member, the connection, the invitation).
 */
function summaries(db: Executor, memberId: string) {
  return db
    .selectFrom('conversation_members as p')
    .innerJoin('conversations as c', 'c.id', 'p.conversation_id')
    .leftJoin('messages as m', 'm.id', 'c.last_message_id')
    .select([
      'p.conversation_id as id',
      'p.other_id',
      'p.last_message_at',
      'p.unread_count',
      'p.last_read_at',
      'c.created_at',
      'c.invitation_id',
      'm.id as message_id',
      'm.sender_id as message_sender_id',
      'm.created_at as message_created_at',
      sql<string | null>`substr(${sql.ref('m.body')}, 1, ${sql.lit(PREVIEW_MAX + 1)})`.as('message_start'),
    ])
    .where('p.member_id', '=', memberId)
    .where(notBlocked('p.other_id', memberId));
}

export type SummarySkeleton = Awaited<ReturnType<ReturnType<typeof summaries>['execute']>>[number];

/** Conversations with at least one message, newest activity first. */
export function list(db: Executor, memberId: string, cursor: string | undefined, limit: number) {
  const q = summaries(db, memberId).where('p.last_message_at', 'is not', null);
  // Listed rows always have a last message time; the fallback only satisfies the type.
  return paginate(q, { key: 'p.last_message_at', id: 'p.conversation_id', order: 'desc', cursor, limit, keyOf: (r) => ({ key: r.last_message_at ?? '', id: r.id }) });
}

export function summary(db: Executor, memberId: string, conversationId: string) {
  return summaries(db, memberId).where('p.conversation_id', '=', conversationId).executeTakeFirst();
}

/** Conversations with unread messages, blocked members left out: the messaging badge. */
export async function unreadConversations(db: Executor, memberId: string): Promise<number> {
  const row = await db
    .selectFrom('conversation_members as p')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('p.member_id', '=', memberId)
    .where('p.unread_count', '>', 0)
    .where(notBlocked('p.other_id', memberId))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
