import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { newId } from '../../ids.js';
import type { AppealTable, AuditTable, EnforcementTable, StandingTable } from './safety.table.js';

export type StandingRow = Selectable<StandingTable>;
export type EnforcementRow = Selectable<EnforcementTable>;
export type AppealRow = Selectable<AppealTable>;
export type AuditRow = Selectable<AuditTable>;

export function standing(db: Executor, memberId: string) {
  return db.selectFrom('standings').selectAll().where('member_id', '=', memberId).executeTakeFirst();
}

export async function saveStanding(db: Executor, row: StandingRow): Promise<void> {
  await db
    .insertInto('standings')
    .values(row)
    .onConflict((oc) =>
      oc.column('member_id').doUpdateSet({
        level: row.level,
        reason: row.reason,
        since: row.since,
        suspended_until: row.suspended_until,
        suspensions: row.suspensions,
        acknowledged_at: row.acknowledged_at,
        signals_reset_at: row.signals_reset_at,
        signal_mark: row.signal_mark,
      }),
    )
    .execute();
}

export async function insertEnforcement(db: Executor, row: Omit<EnforcementRow, 'id'>): Promise<string> {
  const id = newId();
  await db.insertInto('enforcements').values({ id, ...row }).execute();
  return id;
}

export async function audit(db: Executor, row: Omit<AuditRow, 'id' | 'details'> & { details?: Record<string, unknown> }): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ id: newId(), actor_id: row.actor_id, action: row.action, subject_id: row.subject_id, reason: row.reason, details: JSON.stringify(row.details ?? {}), at: row.at })
    .execute();
}

/** IDK answers and spam reports against a sender since `since`: distinct recipients, and the latest time. */
export async function idkSignals(db: Executor, senderId: string, since: string) {
  const row = await db
    .selectFrom('invitation_events as e')
    .innerJoin('invitations as i', 'i.id', 'e.invitation_id')
    .select((eb) => [eb.fn.count<number>('i.recipient_id').distinct().as('recipients'), eb.fn.max('e.at').as('last')])
    .where('i.sender_id', '=', senderId)
    .where('e.action', 'in', ['idk', 'spam_reported'])
    .where('e.at', '>', since)
    .executeTakeFirstOrThrow();
  return { recipients: Number(row.recipients), last: row.last };
}

/** Invitations the sender sent beyond its network since `since`: how many, and the latest time. */
export async function beyondNetwork(db: Executor, senderId: string, since: string) {
  const row = await db
    .selectFrom('invitations')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('last')])
    .where('sender_id', '=', senderId)
    .where('beyond_network', '=', 1)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), last: row.last };
}

/** IDK answers, spam reports and upheld reports stamped at `from` or later: what can escalate a level. */
export async function signalsFrom(db: Executor, senderId: string, from: string): Promise<number> {
  const idk = await db
    .selectFrom('invitation_events as e')
    .innerJoin('invitations as i', 'i.id', 'e.invitation_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('i.sender_id', '=', senderId)
    .where('e.action', 'in', ['idk', 'spam_reported'])
    .where('e.at', '>=', from)
    .executeTakeFirstOrThrow();
  const upheld = await db
    .selectFrom('spam_reports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sender_id', '=', senderId)
    .where('status', '=', 'upheld')
    .where('decided_at', '>=', from)
    .executeTakeFirstOrThrow();
  return Number(idk.n) + Number(upheld.n);
}

export async function upheldSince(db: Executor, senderId: string, since: string) {
  const row = await db
    .selectFrom('spam_reports')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('decided_at').as('last')])
    .where('sender_id', '=', senderId)
    .where('status', '=', 'upheld')
    .where('decided_at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), last: row.last };
}

/** The sender's latest `sample` invitations created before `before` (old enough to have been answered). */
export async function acceptanceSample(db: Executor, senderId: string, since: string, before: string, sample: number) {
  const rows = await db
    .selectFrom('invitations')
    .select('status')
    .where('sender_id', '=', senderId)
    .where('created_at', '>', since)
    .where('created_at', '<=', before)
    .orderBy('created_at', 'desc')
    .limit(sample)
    .execute();
  return { sample: rows.length, accepted: rows.filter((r) => r.status === 'accepted').length };
}

/** Invitations sent in the window, and how many are still open (pending or ignored alike). */
export async function sentAndOpen(db: Executor, senderId: string, since: string, now: string) {
  const row = await db
    .selectFrom('invitations')
    .select((eb) => [
      eb.fn.countAll<number>().as('sent'),
      eb.fn.sum<number>(eb.case().when(eb.and([eb('status', 'in', ['pending', 'ignored']), eb('expires_at', '>', now)])).then(1).else(0).end()).as('open'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'ignored').then(1).else(0).end()).as('ignored'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'accepted').then(1).else(0).end()).as('accepted'),
    ])
    .where('sender_id', '=', senderId)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return { sent: Number(row.sent), open: Number(row.open ?? 0), ignored: Number(row.ignored ?? 0), accepted: Number(row.accepted ?? 0) };
}
