/**
 * The scheduled evaluation: the only place the ladder moves by itself (docs/safety.md, "When the
 * ladder moves").
 *
 * Invariants:
 * - No answer (IDK, spam report, accept) and no send evaluates a sender. A recurring job
 *   (`safety.evaluate`, every SAFETY_EVALUATION_MINUTES, context.jobs.ts) runs `evaluateDue`, which
 *   evaluates, in batches, every sender with something new since the previous batch. So what the
 *   sender sees (level, reason, bands, lift date) changes at a time set by the schedule, for all
 *   answers of the period at once, never at the moment one recipient answered.
 * - A batch looks back to EVALUATION_OVERLAP_MS before the previous one started, so a signal that
 *   committed while that batch ran is not missed; evaluating a sender twice changes nothing.
 * - `evaluate` runs inside the caller's transaction, after locking the member row on PostgreSQL,
 *   so two concurrent evaluations cannot both escalate one sender.
 * - Every change of level writes an enforcement row and an audit row, with its reason.
 */
import { DAY_MS, type Clock } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import * as members from '../members/index.js';
import { decide, liftsAt, thresholdLevel, type LadderSettings, type Signals, type Standing } from './ladder.js';
import * as repo from './safety.repository.js';
import type { InvitationReads, Window } from './safety.sources.js';
import type { Level } from './safety.table.js';

const iso = (ms: number) => new Date(ms).toISOString();
const EVALUATION_OVERLAP_MS = 10 * 60_000;
const BATCH = 100;

export interface SafetySettings extends LadderSettings {
  signalDays: number;
  answerGraceDays: number;
  beyondNetworkDays: number;
  weeklyLimit: number;
  restrictedWeeklyLimit: number;
  evaluationMinutes: number;
  newcomerDays: number;
  newcomerWeeklyLimit: number;
}

/** A member nobody has evaluated yet: in good standing since they joined. */
export const fresh = (memberId: string, since: string): repo.StandingRow => ({
  member_id: memberId,
  level: 'none',
  reason: 'No recent signals',
  since,
  suspended_until: null,
  suspensions: 0,
  acknowledged_at: null,
  signals_reset_at: null,
  signal_mark: 0,
  idk_recipients: 0,
  spam_upheld: 0,
  lifts_at: null,
  evaluated_at: null,
});

export function toStanding(r: repo.StandingRow): Standing {
  return {
    level: r.level,
    since: Date.parse(r.since),
    suspendedUntil: r.suspended_until === null ? null : Date.parse(r.suspended_until),
    suspensions: r.suspensions,
  };
}

export class LadderEvaluator {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    readonly settings: SafetySettings,
    private readonly invitations: InvitationReads,
  ) {}

  /** The scheduled batch: evaluate every sender with something new since the last batch. Returns how many. */
  async evaluateDue(): Promise<number> {
    const now = this.clock.now().toISOString();
    const db = this.database.db;
    const nowMs = Date.parse(now);
    const last = await repo.lastRun(db);
    const from = last === null ? nowMs - this.settings.signalDays * DAY_MS : Date.parse(last) - EVALUATION_OVERLAP_MS;
    // A window shifted back by `days`: what crossed an age boundary (matured, left the week, aged out) since the last batch.
    const back = (days: number): Window => ({ from: iso(from - days * DAY_MS), to: iso(nowMs - days * DAY_MS) });
    const s = this.settings;
    const found = await Promise.all([
      this.invitations.sendersOfInvitations(db, back(0)),
      this.invitations.sendersAnswered(db, back(0)),
      repo.sendersUpheld(db, back(0)),
      this.invitations.sendersOfInvitations(db, back(s.answerGraceDays)),
      this.invitations.sendersOfInvitations(db, back(s.beyondNetworkDays)),
      this.invitations.sendersOfInvitations(db, back(s.signalDays)),
      this.invitations.sendersAnswered(db, back(s.signalDays)),
      repo.sendersUpheld(db, back(s.signalDays)),
      repo.standingsDue(db, now),
    ]);
    const ids = [...new Set(found.flat())].sort();
    for (let k = 0; k < ids.length; k += BATCH) {
      await this.database.transaction(async (tx) => {
        for (const id of ids.slice(k, k + BATCH)) await this.evaluate(tx.db, id, now);
      });
    }
    await this.database.transaction((tx) => repo.saveRun(tx.db, now));
    return ids.length;
  }

  /** Bring one sender's standing, and what it is shown, up to date at `now` (inside the caller's transaction). */
  async evaluate(db: Executor, memberId: string, now: string): Promise<repo.StandingRow | undefined> {
    await this.lock(db, memberId);
    const member = await members.findById(db, memberId);
    if (!member) return undefined;
    let row = (await repo.standing(db, memberId)) ?? fresh(memberId, member.created_at);
    let signals = await this.signals(db, row, member.created_at, now);
    // A suspension that ended can be followed by a step-down later: apply every due change.
    for (let i = 0; i < 4; i++) {
      const change = decide(toStanding(row), signals, Date.parse(now), this.settings);
      if (!change) break;
      const next: repo.StandingRow = {
        ...row,
        level: change.level,
        reason: change.reason,
        since: iso(change.since),
        suspended_until: change.suspendedUntil === null ? null : iso(change.suspendedUntil),
        suspensions: change.suspensions,
        acknowledged_at: null,
      };
      row = await this.record(db, row, next, 'auto', null, now);
      signals = await this.signals(db, row, member.created_at, now);
    }
    const lift = liftsAt(toStanding(row), signals, this.settings);
    const shown: repo.StandingRow = {
      ...row,
      // In good standing the reason says whether anything is building up (the admin page shows it).
      reason: row.level === 'none' ? thresholdLevel(signals, this.settings).reason : row.reason,
      idk_recipients: signals.idkRecipients,
      spam_upheld: signals.spamUpheld,
      lifts_at: lift === null ? null : iso(lift),
      evaluated_at: now,
    };
    await repo.saveStanding(db, shown);
    return shown;
  }

  /** An admin sets a level: applied at once, recorded like an automatic change. */
  async setLevel(db: Executor, memberId: string, level: Level, reason: string, actorId: string, now: string, suspendDays?: number): Promise<repo.StandingRow> {
    await this.lock(db, memberId);
    const member = await members.findById(db, memberId);
    const row = (await repo.standing(db, memberId)) ?? fresh(memberId, member?.created_at ?? now);
    const nowMs = Date.parse(now);
    const days = suspendDays ?? (row.suspensions === 0 ? this.settings.suspendFirstDays : this.settings.suspendRepeatDays);
    const suspendedUntil = level === 'suspended' ? iso(nowMs + days * DAY_MS) : null;
    const lift = level === 'none' ? null : (suspendedUntil ?? iso(nowMs + this.settings.cleanDays * DAY_MS));
    const lifted = level === 'none';
    const next: repo.StandingRow = {
      ...row,
      level,
      reason,
      since: now,
      suspended_until: suspendedUntil,
      suspensions: level === 'suspended' ? row.suspensions + 1 : row.suspensions,
      acknowledged_at: null,
      // A lift starts over: earlier signals no longer count, and none is shown.
      signals_reset_at: lifted ? now : row.signals_reset_at,
      idk_recipients: lifted ? 0 : row.idk_recipients,
      spam_upheld: lifted ? 0 : row.spam_upheld,
      lifts_at: lift,
    };
    return this.record(db, row, next, 'admin', actorId, now);
  }

  /** The live signals, for admins (moderation) and the evaluation itself. Never shown to the sender. */
  async liveSignals(db: Executor, memberId: string, now: string): Promise<{ row: repo.StandingRow; signals: Signals }> {
    const member = await members.findById(db, memberId);
    const joined = member?.created_at ?? now;
    const row = (await repo.standing(db, memberId)) ?? fresh(memberId, joined);
    return { row, signals: await this.signals(db, row, joined, now) };
  }

  isNewcomer(joinedAt: string, now: string): boolean {
    return Date.parse(now) - Date.parse(joinedAt) < this.settings.newcomerDays * DAY_MS;
  }

  windowStart(row: repo.StandingRow, now: string): string {
    const start = iso(Date.parse(now) - this.settings.signalDays * DAY_MS);
    return row.signals_reset_at && row.signals_reset_at > start ? row.signals_reset_at : start;
  }

  private async record(db: Executor, from: repo.StandingRow, next: repo.StandingRow, source: 'auto' | 'admin', actorId: string | null, now: string): Promise<repo.StandingRow> {
    // Signals stamped at the very instant the level began (now) caused it; only later ones can escalate
    // it. A suspension ends at a past instant: everything from then on is new.
    const mark = next.since === now ? await this.signalsFrom(db, next.member_id, now, now) : 0;
    const to = { ...next, signal_mark: mark };
    await repo.saveStanding(db, to);
    const enforcementId = await repo.insertEnforcement(db, {
      member_id: to.member_id,
      from_level: from.level,
      to_level: to.level,
      reason: to.reason,
      source,
      actor_id: actorId,
      created_at: now,
    });
    await repo.audit(db, {
      actor_id: actorId,
      action: `standing.${to.level}`,
      subject_id: to.member_id,
      reason: to.reason,
      details: { from: from.level, to: to.level, enforcementId, suspendedUntil: to.suspended_until },
      at: now,
    });
    return to;
  }

  private async signals(db: Executor, row: repo.StandingRow, joinedAt: string, now: string): Promise<Signals> {
    const s = this.settings;
    const since = this.windowStart(row, now);
    const idk = await this.invitations.idkSignals(db, row.member_id, since);
    const spam = await repo.upheldSince(db, row.member_id, since);
    const matured = iso(Date.parse(now) - s.answerGraceDays * DAY_MS);
    const acceptance = await this.invitations.acceptanceSample(db, row.member_id, since, matured, s.warnAcceptanceSample);
    const newSinceLevel = row.level === 'restricted' ? (await this.signalsFrom(db, row.member_id, row.since)) - row.signal_mark : 0;
    const recent = iso(Date.parse(now) - s.beyondNetworkDays * DAY_MS);
    const beyond = await this.invitations.beyondNetwork(db, row.member_id, recent > since ? recent : since);
    const newcomer = this.isNewcomer(joinedAt, now);
    const beyondJudged = newcomer ? await this.invitations.beyondNetworkJudged(db, row.member_id, since, matured) : { sent: 0, accepted: 0 };
    const last = [idk.last, spam.last, beyond.last].filter((x): x is string => x !== null).sort().pop();
    return {
      idkRecipients: idk.recipients,
      spamUpheld: spam.count,
      beyondNetwork: beyond.count,
      newcomer,
      beyondJudged,
      sample: acceptance.sample,
      accepted: acceptance.accepted,
      newSinceLevel,
      lastSignalAt: last ? Date.parse(last) : null,
    };
  }

  /**
   * IDK answers, spam reports (not cancelled by an accept) and upheld reports stamped at `from` or
   * later, and at `through` or earlier when given: what can escalate a level.
   */
  private async signalsFrom(db: Executor, senderId: string, from: string, through?: string): Promise<number> {
    return (await this.invitations.idkFrom(db, senderId, from, through)) + (await repo.upheldFrom(db, senderId, from, through));
  }

  private lock(db: Executor, memberId: string): Promise<void> {
    return members.lockMembers(this.database, db, [memberId]);
  }
}
