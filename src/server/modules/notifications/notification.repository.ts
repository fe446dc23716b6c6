/**
 * The only place that writes notifications. Every caller runs inside the transaction of the state
 * change that causes the notification, so a rolled-back change never notifies.
 */
import type { NotificationKind } from '../../../contracts/notifications.js';
import type { Executor } from '../../db/database.js';
import { paginate } from '../../db/pagination.js';
import { notBlocked } from '../connections/index.js';
import { newId } from '../../ids.js';

export interface NewNotification {
  /** Who is told. */
  to: string;
  kind: NotificationKind;
  actor: string;
  /** The invitation, or for message_received the conversation. */
  subject: string;
  at: string;
}

/**
 * Record one notification. A message collapses into its conversation's unread message_received
 * row (one more occurrence, moved to the top); for the other kinds a repeat of the same event is
 * a no-op. Both through the unique partial index on unread (member, kind, subject).
 */
export async function record(db: Executor, n: NewNotification): Promise<void> {
  await db
    .insertInto('notifications')
    .values({ id: newId(), member_id: n.to, kind: n.kind, actor_id: n.actor, subject_id: n.subject, occurrences: 1, created_at: n.at, updated_at: n.at, read_at: null })
    .onConflict((oc) => {
      const target = oc.columns(['member_id', 'kind', 'subject_id']).where('read_at', 'is', null);
      return n.kind === 'message_received'
        ? target.doUpdateSet((eb) => ({
            occurrences: eb('notifications.occurrences', '+', 1),
            updated_at: eb.ref('excluded.updated_at'),
            actor_id: eb.ref('excluded.actor_id'),
          }))
        : target.doNothing();
    })
    .execute();
}

/** Account deletion: the member's own notifications go (ones naming them as actor stay with their owners). */
export async function deleteAllOf(db: Executor, memberId: string): Promise<void> {
  await db.deleteFrom('notifications').where('member_id', '=', memberId).execute();
}

/** Mark read the member's unread notifications about one subject (a conversation they just read). */
export async function markSubjectRead(db: Executor, memberId: string, kind: NotificationKind, subjectId: string, now: string): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('member_id', '=', memberId)
    .where('kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .where('read_at', 'is', null)
    .execute();
}

/** Mark read the given notifications of the member (others' ids are ignored), or all of them. */
export async function markRead(db: Executor, memberId: string, ids: string[] | undefined, now: string): Promise<void> {
  let q = db.updateTable('notifications').set({ read_at: now }).where('member_id', '=', memberId).where('read_at', 'is', null);
  if (ids) q = q.where('id', 'in', ids);
  await q.execute();
}

/** Newest first (the actor is hydrated by the service); notifications from a member either side blocked are left out. */
export function list(db: Executor, memberId: string, unreadOnly: boolean, cursor: string | undefined, limit: number) {
  let q = db
    .selectFrom('notifications as n')
    .selectAll('n')
    .where('n.member_id', '=', memberId)
    .where(notBlocked('n.actor_id', memberId));
  if (unreadOnly) q = q.where('n.read_at', 'is', null);
  return paginate(q, { key: 'n.updated_at', id: 'n.id', order: 'desc', cursor, limit, keyOf: (r) => ({ key: r.updated_at, id: r.id }) });
}

export type NotificationRow = Awaited<ReturnType<typeof list>>['items'][number];
export type NotificationWithActor = NotificationRow & { full_name: string; headline: string; location: string };

export async function unreadCount(db: Executor, memberId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications as n')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('n.member_id', '=', memberId)
    .where('n.read_at', 'is', null)
    .where(notBlocked('n.actor_id', memberId))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
