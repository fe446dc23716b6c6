/**
 * Trust and safety for senders: signals → ladder → enforcement at send time, health for the
 * sender, appeals. Admin moderation lives in moderation.service.ts.
 *
 * Invariants:
 * - Every change of level writes an enforcement row and an audit row, with its reason.
 * - `evaluate` runs inside the caller's transaction, after locking the member row on PostgreSQL,
 *   so two concurrent IDKs cannot both escalate one sender.
 * - What the sender sees is totals only: the IDK count is hidden below 2, no recipient is named,
 *   and a wrong recipient email is refused without saying what the right one is.
 */
import type { Clock } from '../../clock.js';
import { DAY_MS } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Config } from '../../config.js';
import { decide, liftsAt, type LadderSettings, type Signals, type Standing } from './ladder.js';
import * as repo from './safety.repository.js';
import type { Level } from './safety.table.js';

const iso = (ms: number) => new Date(ms).toISOString();

export interface SafetySettings extends LadderSettings {
  signalDays: number;
  answerGraceDays: number;
  beyondNetworkDays: number;
  weeklyLimit: number;
  restrictedWeeklyLimit: number;
}

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
  };
}

const NONE = (now: string, memberId: string): repo.StandingRow => ({
  member_id: memberId,
  level: 'none',
  reason: 'No recent signals',
  since: now,
  suspended_until: null,
  suspensions: 0,
  acknowledged_at: null,
  signals_reset_at: null,
  signal_mark: 0,
});

export class SafetyService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    readonly settings: SafetySettings,
  ) {}

  /** Bring the sender's standing up to date at `now` (inside the caller's transaction). */
  async evaluate(db: Executor, memberId: string, now: string): Promise<{ row: repo.StandingRow; signals: Signals }> {
    await this.lock(db, memberId);
    let row = (await repo.standing(db, memberId)) ?? NONE(now, memberId);
    // A suspension that ended can be followed by a step-down later: apply every due change.
    for (let i = 0; i < 4; i++) {
      const signals = await this.signals(db, row, now);
      const change = decide(toStanding(row), signals, Date.parse(now), this.settings);
      if (!change) return { row, signals };
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
    }
    return { row, signals: await this.signals(db, row, now) };
  }

  /** Checks before an invitation is created; returns the weekly limit that applies. */
  async gate(db: Executor, senderId: string, recipientEmail: string, givenEmail: string | undefined, now: string): Promise<{ weeklyLimit: number }> {
    const { row } = await this.evaluate(db, senderId, now);
    if (row.level === 'suspended') {
      throw new AppError('InvitingSuspended', 'Your invitations are suspended for now. See Account health for why and when it ends.', {
        retryAt: row.suspended_until,
      });
    }
    if (row.level === 'restricted') {
      if (givenEmail === undefined) {
        throw new AppError('RecipientEmailRequired', "While your invitations are restricted, add the email address of the person you invite.");
      }
      if (givenEmail.trim().toLowerCase() !== recipientEmail) {
        throw new AppError('RecipientEmailMismatch', 'That email address does not match the member you are inviting.');
      }
      return { weeklyLimit: this.settings.restrictedWeeklyLimit };
    }
    return { weeklyLimit: this.settings.weeklyLimit };
  }

  /** The sender-facing account health. */
  async health(memberId: string) {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const { row, signals } = await this.evaluate(tx.db, memberId, now);
      const windowStart = this.windowStart(row, now);
      const volume = await repo.sentAndOpen(tx.db, memberId, windowStart, now);
      const weekAgo = iso(Date.parse(now) - 7 * DAY_MS);
      const usedThisWeek = await tx.db
        .selectFrom('invitations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('sender_id', '=', memberId)
        .where('created_at', '>', weekAgo)
        .executeTakeFirstOrThrow();
      const enforcement = await tx.db
        .selectFrom('enforcements')
        .selectAll()
        .where('member_id', '=', memberId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const appeal = enforcement ? await tx.db.selectFrom('appeals').selectAll().where('enforcement_id', '=', enforcement.id).executeTakeFirst() : undefined;
      const lift = liftsAt(toStanding(row), signals, this.settings);
      return {
        level: row.level,
        reasons: row.level === 'none' ? [] : [row.reason],
        since: row.since,
        liftsAt: lift === null ? null : iso(lift),
        acknowledged: row.acknowledged_at !== null,
        weekly: { limit: row.level === 'restricted' ? this.settings.restrictedWeeklyLimit : row.level === 'suspended' ? 0 : this.settings.weeklyLimit, used: Number(usedThisWeek.n) },
        counters: {
          windowDays: this.settings.signalDays,
          // One IDK would point at one recipient: show the count only from 2.
          idkRecipients: signals.idkRecipients >= 2 ? signals.idkRecipients : null,
          spamReportsUpheld: signals.spamUpheld,
          invitationsSent: volume.sent,
          acceptanceRate: volume.sent > 0 ? volume.accepted / volume.sent : null,
          outstandingShare: volume.sent > 0 ? volume.open / volume.sent : null,
          beyondNetworkThisWeek: signals.beyondNetwork,
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
      const { row } = await this.evaluate(tx.db, memberId, now);
      if (row.level !== 'warned') return;
      await repo.saveStanding(tx.db, { ...row, acknowledged_at: now });
      await repo.audit(tx.db, { actor_id: memberId, action: 'warning.acknowledged', subject_id: memberId, reason: row.reason, at: now });
    });
  }

  /** One appeal per enforcement, by the member it concerns. */
  async appeal(memberId: string, enforcementId: string, message: string) {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now().toISOString();
      const enforcement = await tx.db.selectFrom('enforcements').selectAll().where('id', '=', enforcementId).where('member_id', '=', memberId).executeTakeFirst();
      if (!enforcement || enforcement.to_level === 'none') throw new AppError('EnforcementNotFound', 'You have no enforcement with this id to appeal.');
      const id = newId();
      await tx.db
        .insertInto('appeals')
        .values({ id, enforcement_id: enforcementId, member_id: memberId, message, status: 'open', decided_by: null, decision_note: null, created_at: now, decided_at: null })
        .onConflict((oc) => oc.column('enforcement_id').doNothing())
        .execute();
      const stored = await tx.db.selectFrom('appeals').selectAll().where('enforcement_id', '=', enforcementId).executeTakeFirstOrThrow();
      if (stored.id !== id) throw new AppError('AppealExists', 'You already appealed this decision.');
      await repo.audit(tx.db, { actor_id: memberId, action: 'appeal.opened', subject_id: memberId, reason: message.slice(0, 200), details: { enforcementId }, at: now });
      return { id, status: 'open' as const, createdAt: now };
    });
  }

  /** Set a level by hand (admins), recorded like an automatic change. */
  async setLevel(db: Executor, memberId: string, level: Level, reason: string, actorId: string, now: string, suspendDays?: number) {
    const { row } = await this.evaluate(db, memberId, now);
    const nowMs = Date.parse(now);
    const days = suspendDays ?? (row.suspensions === 0 ? this.settings.suspendFirstDays : this.settings.suspendRepeatDays);
    const next: repo.StandingRow = {
      ...row,
      level,
      reason,
      since: now,
      suspended_until: level === 'suspended' ? iso(nowMs + days * DAY_MS) : null,
      suspensions: level === 'suspended' ? row.suspensions + 1 : row.suspensions,
      acknowledged_at: null,
      // A lift starts over: earlier signals no longer count.
      signals_reset_at: level === 'none' ? now : row.signals_reset_at,
    };
    await this.record(db, row, next, 'admin', actorId, now);
  }

  private async record(db: Executor, from: repo.StandingRow, next: repo.StandingRow, source: 'auto' | 'admin', actorId: string | null, now: string): Promise<repo.StandingRow> {
    // Signals already stamped at the new level's start caused it; only later ones can escalate it.
    const to = { ...next, signal_mark: await repo.signalsFrom(db, next.member_id, next.since) };
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

  private windowStart(row: repo.StandingRow, now: string): string {
    const start = iso(Date.parse(now) - this.settings.signalDays * DAY_MS);
    return row.signals_reset_at && row.signals_reset_at > start ? row.signals_reset_at : start;
  }

  private async signals(db: Executor, row: repo.StandingRow, now: string): Promise<Signals> {
    const since = this.windowStart(row, now);
    const idk = await repo.idkSignals(db, row.member_id, since);
    const spam = await repo.upheldSince(db, row.member_id, since);
    const before = iso(Date.parse(now) - this.settings.answerGraceDays * DAY_MS);
    const acceptance = await repo.acceptanceSample(db, row.member_id, since, before, this.settings.warnAcceptanceSample);
    const newSinceLevel = row.level === 'restricted' ? (await repo.signalsFrom(db, row.member_id, row.since)) - row.signal_mark : 0;
    const recent = iso(Date.parse(now) - this.settings.beyondNetworkDays * DAY_MS);
    const beyond = await repo.beyondNetwork(db, row.member_id, recent > since ? recent : since);
    const last = [idk.last, spam.last, beyond.last].filter((x): x is string => x !== null).sort().pop();
    return {
      idkRecipients: idk.recipients,
      spamUpheld: spam.count,
      beyondNetwork: beyond.count,
      sample: acceptance.sample,
      accepted: acceptance.accepted,
      newSinceLevel,
      lastSignalAt: last ? Date.parse(last) : null,
    };
  }

  private async lock(db: Executor, memberId: string): Promise<void> {
    if (this.database.dialect === 'postgres') {
      await db.selectFrom('members').select('id').where('id', '=', memberId).forNoKeyUpdate().execute();
    }
  }
}

function toStanding(r: repo.StandingRow): Standing {
  return {
    level: r.level,
    since: Date.parse(r.since),
    suspendedUntil: r.suspended_until === null ? null : Date.parse(r.suspended_until),
    suspensions: r.suspensions,
  };
}

