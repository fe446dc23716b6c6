import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { newId } from '../../ids.js';
import type { Window } from './safety.sources.js';
import type { AppealTable, AuditTable, EnforcementTable, StandingTable } from './safety.table.js';

export type StandingRow = Selectable<StandingTable>;
export type EnforcementRow = Selectable<EnforcementTable>;
export type AppealRow = Selectable<AppealTable>;
export type AuditRow = Selectable<AuditTable>;

export function standing(db: Executor, memberId: string) {
  return db.selectFrom('standings').selectAll().where('member_id', '=', memberId).executeTakeFirst();
}

/** The standings of these members, by member id (a member never evaluated has none). */
export async function standingsOf(db: Executor, memberIds: string[]): Promise<Map<string, StandingRow>> {
  if (memberIds.length === 0) return new Map();
  const rows = await db.selectFrom('standings').selectAll().where('member_id', 'in', memberIds).execute();
  return new Map(rows.map((r) => [r.member_id, r]));
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
        idk_recipients: row.idk_recipients,
        spam_upheld: row.spam_upheld,
        lifts_at: row.lifts_at,
        evaluated_at: row.evaluated_at,
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

export function latestEnforcement(db: Executor, memberId: string) {
  return db.selectFrom('enforcements').selectAll().where('member_id', '=', memberId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The member's own enforcement with this id (another member's is not found). */
export function enforcementOf(db: Executor, memberId: string, id: string) {
  return db.selectFrom('enforcements').selectAll().where('id', '=', id).where('member_id', '=', memberId).executeTakeFirst();
}

export function appealOf(db: Executor, enforcementId: string) {
  return db.selectFrom('appeals').selectAll().where('enforcement_id', '=', enforcementId).executeTakeFirst();
}

/** One appeal per enforcement, kept by the unique index: a second insert does nothing. */
export async function insertAppealOnce(db: Executor, row: AppealRow): Promise<void> {
  await db.insertInto('appeals').values(row).onConflict((oc) => oc.column('enforcement_id').doNothing()).execute();
}

// ---------------------------------------------------------------------------------------------
// Signals from this module's spam reports. The invitations' signals are read by invitations/
// (invitation.signals.ts), handed in through safety.sources.ts.

/** Spam reports upheld at `from` or later, and at `through` or earlier when given: the reports' part of what can escalate a level. */
export async function upheldFrom(db: Executor, senderId: string, from: string, through?: string): Promise<number> {
  let upheld = db
    .selectFrom('spam_reports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sender_id', '=', senderId)
    .where('status', '=', 'upheld')
    .where('decided_at', '>=', from);
  if (through !== undefined) upheld = upheld.where('decided_at', '<=', through);
  return Number((await upheld.executeTakeFirstOrThrow()).n);
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

// ---------------------------------------------------------------------------------------------
// The scheduled evaluation: which senders have something new, and when the last batch ran.

const RUN = 'ladder';

export async function lastRun(db: Executor): Promise<string | null> {
  const row = await db.selectFrom('safety_evaluations').select('ran_at').where('name', '=', RUN).executeTakeFirst();
  return row?.ran_at ?? null;
}

export async function saveRun(db: Executor, at: string): Promise<void> {
  await db.insertInto('safety_evaluations').values({ name: RUN, ran_at: at }).onConflict((oc) => oc.column('name').doUpdateSet({ ran_at: at })).execute();
}

/** Senders with a spam report upheld in [from, to]. */
export async function sendersUpheld(db: Executor, w: Window): Promise<string[]> {
  const rows = await db.selectFrom('spam_reports').select('sender_id').distinct().where('status', '=', 'upheld').where('decided_at', '>=', w.from).where('decided_at', '<=', w.to).execute();
  return rows.map((r) => r.sender_id);
}

/** Members whose level would lift by itself by `at` (a suspension ending, a clean period over). */
export async function standingsDue(db: Executor, at: string): Promise<string[]> {
  const rows = await db.selectFrom('standings').select('member_id').where('level', '!=', 'none').where('lifts_at', '<=', at).execute();
  return rows.map((r) => r.member_id);
}

/** One report per invitation: a repeat of the same report adds nothing. */
export async function insertSpamReport(db: Executor, report: { invitationId: string; reporterId: string; senderId: string }, now: string): Promise<void> {
  await db
    .insertInto('spam_reports')
    .values({ id: newId(), invitation_id: report.invitationId, reporter_id: report.reporterId, sender_id: report.senderId, status: 'open', created_at: now, decided_at: null, decided_by: null })
    .onConflict((oc) => oc.column('invitation_id').doNothing())
    .execute();
}
