/**
 * Trust and safety for senders: enforcement at send time, account health for the sender,
 * appeals. The ladder moves only in the scheduled evaluation (safety.evaluation.ts); admin
 * moderation lives in moderation.service.ts.
 *
 * Invariants:
 * - Nothing here evaluates the ladder. The send gate and Account health read the standing as of
 *   the last scheduled evaluation, so a send refused, a level shown or a count shown never changes
 *   at the moment one recipient answers (PRODUCT.md §2, sender privacy). The only time-based change
 *   read live is a suspension ending at the time the sender was already shown.
 * - What the sender sees is totals in bands only: the IDK band is "none" below 2, no recipient is
 *   named, and a wrong recipient email is refused without saying what the right one is.
 */
import type { Clock } from '../../clock.js';
import { DAY_MS } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Config } from '../../config.js';
import * as members from '../members/index.js';
import { fresh, LadderEvaluator, type SafetySettings } from './safety.evaluation.js';
import * as repo from './safety.repository.js';
import type { InvitationReads } from './safety.sources.js';
import type { Level } from './safety.table.js';

export type { SafetySettings } from './safety.evaluation.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function safetySettings(c: Config): SafetySettings {
  return {
    signalDays: c.SAFETY_SIGNAL_DAYS,
    answerGraceDays: c.SAFETY_ANSWER_GRACE_DAYS,
    warnIdk: c.SAFETY_WARN_IDK,
    warnAcceptancePercent: c.SAFETY_WARN_ACCEPTANCE_PERCENT,
    warnAcceptanceSample: c.SAFETY_WARN_ACCEPTANCE_SAMPLE,
    restrictIdk: c.SAFETY_RESTRICT_IDK,
    restrictSpamUpheld: c.SAFETY_RESTRICT_SPAM_UPHELD,
    restrictBeyondNetwork: c.SAFETY_RESTRICT_BEYOND_NETWORK,
    beyondNetworkDays: c.SAFETY_BEYOND_NETWORK_DAYS,
    suspendFirstDays: c.SAFETY_SUSPEND_FIRST_DAYS,
    suspendRepeatDays: c.SAFETY_SUSPEND_REPEAT_DAYS,
    cleanDays: c.SAFETY_CLEAN_DAYS,
    weeklyLimit: c.INVITE_WEEKLY_LIMIT,
    restrictedWeeklyLimit: c.SAFETY_RESTRICTED_WEEKLY_LIMIT,
    evaluationMinutes: c.SAFETY_EVALUATION_MINUTES,
    newcomerDays: c.SAFETY_NEWCOMER_DAYS,
    newcomerWeeklyLimit: c.SAFETY_NEWCOMER_WEEKLY_LIMIT,
    newcomerAcceptancePercent: c.SAFETY_NEWCOMER_ACCEPTANCE_PERCENT,
  };
}

export type Band = 'none' | 'few' | 'several';

/** A count as the sender sees it: "none" below `fewFrom`, "several" from `severalFrom`. */
const band = (n: number, fewFrom: number, severalFrom: number): Band => (n < fewFrom ? 'none' : n < severalFrom ? 'few' : 'several');

/** The standing in force at `now`: the stored one, except that a suspension ends at the time the sender was shown. */
export function inForce(row: repo.StandingRow, now: string): Pick<repo.StandingRow, 'level' | 'reason' | 'since' | 'suspended_until' | 'lifts_at'> {
  if (row.level === 'suspended' && row.suspended_until !== null && now >= row.suspended_until) {
    return { level: 'restricted', reason: 'Your suspension ended; invitations stay restricted for now', since: row.suspended_until, suspended_until: null, lifts_at: null };
  }
  return row;
}

export class SafetyService {
  readonly evaluator: LadderEvaluator;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    readonly settings: SafetySettings,
    /** invitations/'s reads for the ladder and the admin queue (safety.sources.ts), plugged in by context.ts. */
    readonly invitations: InvitationReads,
  ) {
    this.evaluator = new LadderEvaluator(database, clock, settings, invitations);
  }

  /** The scheduled evaluation's batch (the `safety.evaluate` job). */
  evaluateDue(): Promise<number> {
    return this.evaluator.evaluateDue();
  }

  /** The standing as of the last evaluation, and when the member joined. */
  private async stored(db: Executor, memberId: string, now: string) {
    const member = await members.findById(db, memberId);
    const joinedAt = member?.created_at ?? now;
    return { row: (await repo.standing(db, memberId)) ?? fresh(memberId, joinedAt), joinedAt };
  }

  private weeklyLimit(level: Level, newcomer: boolean): number {
    if (level === 'suspended') return 0;
    const base = level === 'restricted' ? this.settings.restrictedWeeklyLimit : this.settings.weeklyLimit;
    return newcomer ? Math.min(base, this.settings.newcomerWeeklyLimit) : base;
  }

  /** Checks before an invitation is created, on the standing as of the last evaluation; returns the weekly limit that applies. */
  /** A recipient reported an invitation as spam, in the invitation's transaction: into the moderation queue. */
  reportSpam(db: Executor, report: { invitationId: string; reporterId: string; senderId: string }, now: string): Promise<void> {
    return repo.insertSpamReport(db, report, now);
  }

  async gate(db: Executor, senderId: string, recipientEmail: string, givenEmail: string | undefined, now: string): Promise<{ weeklyLimit: number }> {
    const { row, joinedAt } = await this.stored(db, senderId, now);
    const standing = inForce(row, now);
    if (standing.level === 'suspended') {
      throw new AppError('InvitingSuspended', 'Your invitations are suspended for now. See Account health for why and when it ends.', {
        retryAt: standing.suspended_until,
      });
    }
    if (standing.level === 'restricted') {
      if (givenEmail === undefined) {
        throw new AppError('RecipientEmailRequired', "While your invitations are restricted, add the email address of the person you invite.");
      }
      if (givenEmail.trim().toLowerCase() !== recipientEmail) {
        throw new AppError('RecipientEmailMismatch', 'That email address does not match the member you are inviting.');
      }
    }
    return { weeklyLimit: this.weeklyLimit(standing.level, this.evaluator.isNewcomer(joinedAt, now)) };
  }

  /** The sender-facing account health, as of the last evaluation (bands, never exact answer counts). */
  async health(memberId: string) {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const { row, joinedAt } = await this.stored(tx.db, memberId, now);
      const standing = inForce(row, now);
      const newcomer = this.evaluator.isNewcomer(joinedAt, now);
      // The sender's own sends and their visible outcomes (accepted or not): these may be live.
      const windowStart = this.evaluator.windowStart(row, now);
      const volume = await this.invitations.sentAndOpen(tx.db, memberId, windowStart, now);
      const weekAgo = iso(Date.parse(now) - 7 * DAY_MS);
      const usedThisWeek = await this.invitations.countSentSince(tx.db, memberId, weekAgo);
      const recent = iso(Date.parse(now) - this.settings.beyondNetworkDays * DAY_MS);
      const beyond = await this.invitations.beyondNetwork(tx.db, memberId, recent > windowStart ? recent : windowStart);
      const enforcement = await repo.latestEnforcement(tx.db, memberId);
      const appeal = enforcement ? await repo.appealOf(tx.db, enforcement.id) : undefined;
      return {
        level: standing.level,
        reasons: standing.level === 'none' ? [] : [standing.reason],
        since: standing.since,
        liftsAt: standing.level === 'none' ? null : standing.lifts_at,
        acknowledged: row.acknowledged_at !== null,
        weekly: { limit: this.weeklyLimit(standing.level, newcomer), used: usedThisWeek },
        // The schedule's last run, the same for every sender: this sender's own evaluated_at moves only
        // when something about them was new (an IDK among it), so showing it would tell that apart.
        evaluation: { lastAt: await repo.lastRun(tx.db), everyMinutes: this.settings.evaluationMinutes },
        newcomer: newcomer ? { until: iso(Date.parse(joinedAt) + this.settings.newcomerDays * DAY_MS), weeklyLimit: this.settings.newcomerWeeklyLimit } : null,
        counters: {
          windowDays: this.settings.signalDays,
          // One IDK would point at one recipient: "none" covers 0 and 1.
          idkRecipients: band(row.idk_recipients, 2, this.settings.restrictIdk),
          spamReportsUpheld: band(row.spam_upheld, 1, this.settings.restrictSpamUpheld),
          invitationsSent: volume.sent,
          acceptanceRate: volume.sent > 0 ? volume.accepted / volume.sent : null,
          outstandingShare: volume.sent > 0 ? volume.open / volume.sent : null,
          beyondNetworkThisWeek: beyond.count,
        },
        thresholds: {
          warnIdk: this.settings.warnIdk,
          restrictIdk: this.settings.restrictIdk,
          restrictSpamUpheld: this.settings.restrictSpamUpheld,
          restrictBeyondNetwork: this.settings.restrictBeyondNetwork,
          warnAcceptancePercent: this.settings.warnAcceptancePercent,
        },
        enforcement: enforcement
          ? {
              id: enforcement.id,
              level: enforcement.to_level,
              reason: enforcement.reason,
              createdAt: enforcement.created_at,
              appeal: appeal ? { status: appeal.status, note: appeal.decision_note } : null,
            }
          : null,
      };
    });
  }

  async acknowledge(memberId: string): Promise<void> {
    await this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const { row } = await this.stored(tx.db, memberId, now);
      if (row.level !== 'warned') return;
      await repo.saveStanding(tx.db, { ...row, acknowledged_at: now });
      await repo.audit(tx.db, { actor_id: memberId, action: 'warning.acknowledged', subject_id: memberId, reason: row.reason, at: now });
    });
  }

  /** One appeal per enforcement, by the member it concerns. */
  async appeal(memberId: string, enforcementId: string, message: string) {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const enforcement = await repo.enforcementOf(tx.db, memberId, enforcementId);
      if (!enforcement || enforcement.to_level === 'none') throw new AppError('EnforcementNotFound', 'You have no enforcement with this id to appeal.');
      const id = newId();
      await repo.insertAppealOnce(tx.db, { id, enforcement_id: enforcementId, member_id: memberId, message, status: 'open', decided_by: null, decision_note: null, created_at: now, decided_at: null });
      const stored = await repo.appealOf(tx.db, enforcementId);
      if (stored?.id !== id) throw new AppError('AppealExists', 'You already appealed this decision.');
      await repo.audit(tx.db, { actor_id: memberId, action: 'appeal.opened', subject_id: memberId, reason: message.slice(0, 200), details: { enforcementId }, at: now });
      return { id, status: 'open' as const, createdAt: now };
    });
  }

  /** Set a level by hand (admins): applied at once. */
  setLevel(db: Executor, memberId: string, level: Level, reason: string, actorId: string, now: string, suspendDays?: number) {
    return this.evaluator.setLevel(db, memberId, level, reason, actorId, now, suspendDays);
  }
}
