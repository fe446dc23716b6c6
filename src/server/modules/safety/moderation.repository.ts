/**
 * The admin moderation queue's SQL: spam reports, enforcements, appeals and the audit log. Lists
 * are keyset pages of this module's own tables (db/pagination.ts `paginate`); the names of the
 * members in them are hydrated by the service through members/index.ts, one query per page.
 */
import type { Executor } from '../../db/database.js';
import { paginate } from '../../db/pagination.js';
import type { AppealTable, EnforcementTable } from './safety.table.js';

export type ReportStatus = 'open' | 'upheld' | 'dismissed';

/**
 * Spam reports with this status, oldest first: the skeleton. The service hydrates each invitation's
 * note through invitations/index.ts in one batched read per page.
 */
export function reportsPage(db: Executor, status: ReportStatus, cursor: string | undefined, limit: number) {
  const query = db.selectFrom('spam_reports').select(['id', 'status', 'created_at', 'decided_at', 'sender_id', 'reporter_id', 'invitation_id']).where('status', '=', status);
  return paginate(query, { key: 'created_at', id: 'id', order: 'asc', cursor, limit, keyOf: (r) => ({ key: r.created_at, id: r.id }) });
}

/** Compare-and-set: decides an open report; undefined when it is not open (or not there). */
export function decideReport(db: Executor, id: string, status: Exclude<ReportStatus, 'open'>, adminId: string, now: string) {
  return db.updateTable('spam_reports').set({ status, decided_at: now, decided_by: adminId }).where('id', '=', id).where('status', '=', 'open').returningAll().executeTakeFirst();
}

export async function reportStatus(db: Executor, id: string): Promise<ReportStatus | undefined> {
  const row = await db.selectFrom('spam_reports').select('status').where('id', '=', id).executeTakeFirst();
  return row?.status;
}

/** Changes of level from this source, newest first. */
export function enforcementsPage(db: Executor, source: EnforcementTable['source'], cursor: string | undefined, limit: number) {
  const query = db.selectFrom('enforcements').select(['id', 'member_id', 'from_level', 'to_level', 'reason', 'source', 'created_at']).where('source', '=', source);
  return paginate(query, { key: 'created_at', id: 'id', order: 'desc', cursor, limit, keyOf: (r) => ({ key: r.created_at, id: r.id }) });
}

/** A member's latest changes of level, newest first. */
export function enforcementHistory(db: Executor, memberId: string, limit: number) {
  return db.selectFrom('enforcements').selectAll().where('member_id', '=', memberId).orderBy('created_at', 'desc').limit(limit).execute();
}

/** Appeals with this status and the enforcement each appeals, oldest first. */
export function appealsPage(db: Executor, status: AppealTable['status'], cursor: string | undefined, limit: number) {
  const query = db
    .selectFrom('appeals as a')
    .innerJoin('enforcements as e', 'e.id', 'a.enforcement_id')
    .select(['a.id', 'a.status', 'a.message', 'a.decision_note', 'a.created_at', 'a.member_id', 'e.to_level', 'e.reason'])
    .where('a.status', '=', status);
  return paginate(query, { key: 'a.created_at', id: 'a.id', order: 'asc', cursor, limit, keyOf: (r) => ({ key: r.created_at, id: r.id }) });
}

/** Compare-and-set: decides an open appeal; undefined when it is not open (or not there). */
export function decideAppeal(db: Executor, id: string, status: 'accepted' | 'rejected', adminId: string, note: string, now: string) {
  return db
    .updateTable('appeals')
    .set({ status, decided_by: adminId, decision_note: note, decided_at: now })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returningAll()
    .executeTakeFirst();
}

export async function appealStatus(db: Executor, id: string): Promise<AppealTable['status'] | undefined> {
  const row = await db.selectFrom('appeals').select('status').where('id', '=', id).executeTakeFirst();
  return row?.status;
}

/** The audit log, newest first. */
export function auditPage(db: Executor, cursor: string | undefined, limit: number) {
  const query = db.selectFrom('audit_log').selectAll();
  return paginate(query, { key: 'at', id: 'id', order: 'desc', cursor, limit, keyOf: (r) => ({ key: r.at, id: r.id }) });
}
