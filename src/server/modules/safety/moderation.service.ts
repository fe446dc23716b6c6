/**
 * Admin moderation: the queue (spam reports, automatic enforcements, appeals), decisions, member
 * lookup and the audit log. Every decision writes an audit row in the same transaction.
 *
 * The admin lists are keyset pages of safety's own tables (moderation.repository.ts); the members
 * they name are hydrated in one batched read per page through members/index.ts (`named`), and the
 * spam reports' notes in one through invitations/ (`SafetyService.invitations`, safety.sources.ts).
 */
import type { Clock } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import { mapPage, type Page } from '../../db/pagination.js';
import { AppError } from '../../errors.js';
import * as members from '../members/index.js';
import * as moderation from './moderation.repository.js';
import * as repo from './safety.repository.js';
import { decide } from './ladder.js';
import { toStanding } from './safety.evaluation.js';
import { inForce, type SafetyService } from './safety.service.js';
import type { Level } from './safety.table.js';

/** Hydrate a page: the names of every member its rows mention, in one query, then present each row. */
async function named<R, T>(db: Executor, page: Page<R>, idsOf: (r: R) => Array<string | null>, present: (r: R, name: (id: string) => string) => T): Promise<Page<T>> {
  const names = await members.namesOf(db, page.items.flatMap((r) => idsOf(r).filter((id): id is string => id !== null)));
  return mapPage(page, (r) => present(r, (id) => names.get(id) ?? members.DELETED_NAME));
}

export class ModerationService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly safety: SafetyService,
  ) {}

  async spamReports(status: moderation.ReportStatus, cursor: string | undefined, limit: number) {
    const db = this.database.db;
    const page = await moderation.reportsPage(db, status, cursor, limit);
    // The notes are invitations/'s: one batched read per page (a report's invitation is never deleted).
    const notes = new Map((await this.safety.invitations.findInvitations(db, page.items.map((r) => r.invitation_id))).map((i) => [i.id, i.note]));
    return named(db, page, (r) => [r.sender_id, r.reporter_id], (r, name) => ({
      id: r.id,
      status: r.status,
      createdAt: r.created_at,
      decidedAt: r.decided_at,
      note: notes.get(r.invitation_id) ?? null,
      sender: { id: r.sender_id, fullName: name(r.sender_id) },
      reporter: { id: r.reporter_id, fullName: name(r.reporter_id) },
    }));
  }

  async decideReport(adminId: string, reportId: string, decision: 'uphold' | 'dismiss', reason: string) {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const status = decision === 'uphold' ? 'upheld' : 'dismissed';
      const row = await moderation.decideReport(tx.db, reportId, status, adminId, now);
      if (!row) {
        const existing = await moderation.reportStatus(tx.db, reportId);
        if (!existing) throw new AppError('ReportNotFound', 'No spam report has this id.');
        return { id: reportId, status: existing };
      }
      // An upheld report counts from the next scheduled evaluation, like every signal the sender is shown.
      await repo.audit(tx.db, { actor_id: adminId, action: `spam_report.${status}`, subject_id: row.sender_id, reason, details: { reportId }, at: now });
      return { id: reportId, status };
    });
  }

  async enforcements(source: 'auto' | 'admin', cursor: string | undefined, limit: number) {
    const db = this.database.db;
    return named(db, await moderation.enforcementsPage(db, source, cursor, limit), (r) => [r.member_id], (r, name) => ({
      id: r.id,
      from: r.from_level,
      to: r.to_level,
      reason: r.reason,
      source: r.source,
      createdAt: r.created_at,
      member: { id: r.member_id, fullName: name(r.member_id) },
    }));
  }

  async appeals(status: 'open' | 'accepted' | 'rejected', cursor: string | undefined, limit: number) {
    const db = this.database.db;
    return named(db, await moderation.appealsPage(db, status, cursor, limit), (r) => [r.member_id], (r, name) => ({
      id: r.id,
      status: r.status,
      message: r.message,
      decisionNote: r.decision_note,
      createdAt: r.created_at,
      enforcement: { level: r.to_level, reason: r.reason },
      member: { id: r.member_id, fullName: name(r.member_id) },
    }));
  }

  /** Accepting an appeal lifts the enforcement and starts the member's signals over. */
  async decideAppeal(adminId: string, appealId: string, decision: 'accept' | 'reject', note: string) {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const status = decision === 'accept' ? 'accepted' : 'rejected';
      const row = await moderation.decideAppeal(tx.db, appealId, status, adminId, note, now);
      if (!row) {
        const existing = await moderation.appealStatus(tx.db, appealId);
        if (!existing) throw new AppError('AppealNotFound', 'No appeal has this id.');
        return { id: appealId, status: existing };
      }
      await repo.audit(tx.db, { actor_id: adminId, action: `appeal.${status}`, subject_id: row.member_id, reason: note, details: { appealId }, at: now });
      if (status === 'accepted') await this.safety.setLevel(tx.db, row.member_id, 'none', `Appeal accepted: ${note}`, adminId, now);
      return { id: appealId, status };
    });
  }

  async setLevel(adminId: string, memberId: string, level: Level, reason: string, suspendDays?: number) {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      if (!(await members.findIncludingDeleted(tx.db, memberId))) throw new AppError('MemberNotFound', 'No member has this id.');
      const row = await this.safety.setLevel(tx.db, memberId, level, reason, adminId, now, suspendDays);
      const { signals } = await this.safety.evaluator.liveSignals(tx.db, memberId, now);
      return { memberId, level: row.level, reason: row.reason, suspendedUntil: row.suspended_until, signals };
    });
  }

  /** Members by name or email (members/), each with its standing (hydrated from safety's table). */
  async lookup(q: string | undefined, cursor: string | undefined, limit: number) {
    const db = this.database.db;
    const page = await members.lookupMembers(db, q, cursor, limit);
    const standings = await repo.standingsOf(db, page.items.map((m) => m.id));
    return mapPage(page, (m) => {
      const s = standings.get(m.id);
      return {
        id: m.id,
        email: m.email,
        fullName: m.full_name,
        role: m.role,
        createdAt: m.created_at,
        level: s?.level ?? 'none',
        reason: s?.reason ?? null,
        suspendedUntil: s?.suspended_until ?? null,
      };
    });
  }

  async memberDetail(memberId: string) {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const member = await members.findIncludingDeleted(tx.db, memberId);
      if (!member) throw new AppError('MemberNotFound', 'No member has this id.');
      // The standing as of the last evaluation, beside the live signals the next one will judge.
      const { row, signals } = await this.safety.evaluator.liveSignals(tx.db, memberId, now);
      const standing = inForce(row, now);
      const next = decide(toStanding(row), signals, Date.parse(now), this.safety.settings);
      const history = await moderation.enforcementHistory(tx.db, memberId, 50);
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
    const db = this.database.db;
    const page = await moderation.auditPage(db, cursor, limit);
    const names = await members.namesOf(db, page.items.flatMap((r) => [r.actor_id, r.subject_id].filter((id): id is string => id !== null)));
    const nameOf = (id: string | null) => (id === null ? null : (names.get(id) ?? null));
    return mapPage(page, (r) => ({
      id: r.id,
      actorId: r.actor_id,
      actorName: nameOf(r.actor_id),
      action: r.action,
      subjectId: r.subject_id,
      subjectName: nameOf(r.subject_id),
      reason: r.reason,
      details: JSON.parse(r.details) as Record<string, unknown>,
      at: r.at,
    }));
  }
}
