/**
 * Admin moderation: the queue (spam reports, automatic enforcements, appeals), decisions, member
 * lookup and the audit log. Every decision writes an audit row in the same transaction.
 */
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/database.js';
import { decodeCursor, toPage } from '../../db/pagination.js';
import { after, contains } from '../../db/sql.js';
import { AppError } from '../../errors.js';
import * as repo from './safety.repository.js';
import { decide } from './ladder.js';
import { toStanding } from './safety.evaluation.js';
import { inForce, type SafetyService } from './safety.service.js';
import type { Level } from './safety.table.js';

export class ModerationService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly safety: SafetyService,
  ) {}

  async spamReports(status: 'open' | 'upheld' | 'dismissed', cursor: string | undefined, limit: number) {
    const k = decodeCursor(cursor);
    let q = this.database.db
      .selectFrom('spam_reports as r')
      .innerJoin('invitations as i', 'i.id', 'r.invitation_id')
      .innerJoin('members as s', 's.id', 'r.sender_id')
      .innerJoin('members as p', 'p.id', 'r.reporter_id')
      .select(['r.id', 'r.status', 'r.created_at', 'r.decided_at', 'i.note', 's.id as sender_id', 's.full_name as sender_name', 'p.id as reporter_id', 'p.full_name as reporter_name'])
      .where('r.status', '=', status);
    if (k) q = q.where(after('r.created_at', 'r.id', k, 'asc'));
    const rows = await q.orderBy('r.created_at').orderBy('r.id').limit(limit + 1).execute();
    return toPage(rows, limit, (r) => ({ key: r.created_at, id: r.id }), (r) => ({
      id: r.id,
      status: r.status,
      createdAt: r.created_at,
      decidedAt: r.decided_at,
      note: r.note,
      sender: { id: r.sender_id, fullName: r.sender_name },
      reporter: { id: r.reporter_id, fullName: r.reporter_name },
    }));
  }

  async decideReport(adminId: string, reportId: string, decision: 'uphold' | 'dismiss', reason: string) {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const status = decision === 'uphold' ? 'upheld' : 'dismissed';
      const row = await tx.db
        .updateTable('spam_reports')
        .set({ status, decided_at: now, decided_by: adminId })
        .where('id', '=', reportId)
        .where('status', '=', 'open')
        .returningAll()
        .executeTakeFirst();
      if (!row) {
        const existing = await tx.db.selectFrom('spam_reports').select('status').where('id', '=', reportId).executeTakeFirst();
        if (!existing) throw new AppError('ReportNotFound', 'No spam report has this id.');
        return { id: reportId, status: existing.status };
      }
      // An upheld report counts from the next scheduled evaluation, like every signal the sender is shown.
      await repo.audit(tx.db, { actor_id: adminId, action: `spam_report.${status}`, subject_id: row.sender_id, reason, details: { reportId }, at: now });
      return { id: reportId, status };
    });
  }

  async enforcements(source: 'auto' | 'admin', cursor: string | undefined, limit: number) {
    const k = decodeCursor(cursor);
    let q = this.database.db
      .selectFrom('enforcements as e')
      .innerJoin('members as m', 'm.id', 'e.member_id')
      .select(['e.id', 'e.from_level', 'e.to_level', 'e.reason', 'e.source', 'e.created_at', 'm.id as member_id', 'm.full_name'])
      .where('e.source', '=', source);
    if (k) q = q.where(after('e.created_at', 'e.id', k, 'desc'));
    const rows = await q.orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').limit(limit + 1).execute();
    return toPage(rows, limit, (r) => ({ key: r.created_at, id: r.id }), (r) => ({
      id: r.id,
      from: r.from_level,
      to: r.to_level,
      reason: r.reason,
      source: r.source,
      createdAt: r.created_at,
      member: { id: r.member_id, fullName: r.full_name },
    }));
  }

  async appeals(status: 'open' | 'accepted' | 'rejected', cursor: string | undefined, limit: number) {
    const k = decodeCursor(cursor);
    let q = this.database.db
      .selectFrom('appeals as a')
      .innerJoin('enforcements as e', 'e.id', 'a.enforcement_id')
      .innerJoin('members as m', 'm.id', 'a.member_id')
      .select(['a.id', 'a.status', 'a.message', 'a.decision_note', 'a.created_at', 'e.to_level', 'e.reason', 'm.id as member_id', 'm.full_name'])
      .where('a.status', '=', status);
    if (k) q = q.where(after('a.created_at', 'a.id', k, 'asc'));
    const rows = await q.orderBy('a.created_at').orderBy('a.id').limit(limit + 1).execute();
    return toPage(rows, limit, (r) => ({ key: r.created_at, id: r.id }), (r) => ({
      id: r.id,
      status: r.status,
      message: r.message,
      decisionNote: r.decision_note,
      createdAt: r.created_at,
      enforcement: { level: r.to_level, reason: r.reason },
      member: { id: r.member_id, fullName: r.full_name },
    }));
  }

  /** Accepting an appeal lifts the enforcement and starts the member's signals over. */
  async decideAppeal(adminId: string, appealId: string, decision: 'accept' | 'reject', note: string) {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const status = decision === 'accept' ? 'accepted' : 'rejected';
      const row = await tx.db
        .updateTable('appeals')
        .set({ status, decided_by: adminId, decision_note: note, decided_at: now })
        .where('id', '=', appealId)
        .where('status', '=', 'open')
        .returningAll()
        .executeTakeFirst();
      if (!row) {
        const existing = await tx.db.selectFrom('appeals').select('status').where('id', '=', appealId).executeTakeFirst();
        if (!existing) throw new AppError('AppealNotFound', 'No appeal has this id.');
        return { id: appealId, status: existing.status };
      }
      await repo.audit(tx.db, { actor_id: adminId, action: `appeal.${status}`, subject_id: row.member_id, reason: note, details: { appealId }, at: now });
      if (status === 'accepted') await this.safety.setLevel(tx.db, row.member_id, 'none', `Appeal accepted: ${note}`, adminId, now);
      return { id: appealId, status };
    });
  }

  async setLevel(adminId: string, memberId: string, level: Level, reason: string, suspendDays?: number) {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      if (!(await tx.db.selectFrom('members').select('id').where('id', '=', memberId).executeTakeFirst())) {
        throw new AppError('MemberNotFound', 'No member has this id.');
      }
      const row = await this.safety.setLevel(tx.db, memberId, level, reason, adminId, now, suspendDays);
      const { signals } = await this.safety.evaluator.liveSignals(tx.db, memberId, now);
      return { memberId, level: row.level, reason: row.reason, suspendedUntil: row.suspended_until, signals };
    });
  }

  async lookup(q: string | undefined, cursor: string | undefined, limit: number) {
    const k = decodeCursor(cursor);
    let query = this.database.db
      .selectFrom('members as m')
      .leftJoin('standings as s', 's.member_id', 'm.id')
      .select(['m.id', 'm.email', 'm.full_name', 'm.search_name', 'm.role', 'm.created_at', 's.level', 's.reason', 's.suspended_until']);
    if (q) query = query.where((eb) => eb.or([contains('m.search_name', q), contains('m.email', q)]));
    if (k) query = query.where(after('m.search_name', 'm.id', k, 'asc'));
    const rows = await query.orderBy('m.search_name').orderBy('m.id').limit(limit + 1).execute();
    return toPage(rows, limit, (r) => ({ key: r.search_name, id: r.id }), (r) => ({
      id: r.id,
      email: r.email,
      fullName: r.full_name,
      role: r.role,
      createdAt: r.created_at,
      level: r.level ?? 'none',
      reason: r.reason ?? null,
      suspendedUntil: r.suspended_until ?? null,
    }));
  }

  async memberDetail(memberId: string) {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const member = await tx.db.selectFrom('members').select(['id', 'email', 'full_name', 'role']).where('id', '=', memberId).executeTakeFirst();
      if (!member) throw new AppError('MemberNotFound', 'No member has this id.');
      // The standing as of the last evaluation, beside the live signals the next one will judge.
      const { row, signals } = await this.safety.evaluator.liveSignals(tx.db, memberId, now);
      const standing = inForce(row, now);
      const next = decide(toStanding(row), signals, Date.parse(now), this.safety.settings);
      const history = await tx.db.selectFrom('enforcements').selectAll().where('member_id', '=', memberId).orderBy('created_at', 'desc').limit(50).execute();
      return {
        member: { id: member.id, email: member.email, fullName: member.full_name, role: member.role },
        level: standing.level,
        reason: standing.reason,
        suspendedUntil: standing.suspended_until,
        evaluatedAt: row.evaluated_at,
        nextLevel: next?.level ?? standing.level,
        signals,
        history: history.map((e) => ({ id: e.id, from: e.from_level, to: e.to_level, reason: e.reason, source: e.source, createdAt: e.created_at })),
      };
    });
  }

  async auditLog(cursor: string | undefined, limit: number) {
    const k = decodeCursor(cursor);
    let q = this.database.db
      .selectFrom('audit_log as a')
      .leftJoin('members as actor', 'actor.id', 'a.actor_id')
      .leftJoin('members as subject', 'subject.id', 'a.subject_id')
      .selectAll('a')
      .select(['actor.full_name as actor_name', 'subject.full_name as subject_name']);
    if (k) q = q.where(after('a.at', 'a.id', k, 'desc'));
    const rows = await q.orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(limit + 1).execute();
    return toPage(rows, limit, (r) => ({ key: r.at, id: r.id }), (r) => ({
      id: r.id,
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      subjectId: r.subject_id,
      subjectName: r.subject_name,
      reason: r.reason,
      details: JSON.parse(r.details) as Record<string, unknown>,
      at: r.at,
    }));
  }
}
