/**
 * The published ladder (PRODUCT.md §4, docs/safety.md) as a pure function of a sender's standing,
 * signals and the time. No I/O: the service feeds it and stores what it returns.
 *
 * Levels: none < warned < restricted < suspended.
 * - Up: warned at SAFETY_WARN_IDK distinct IDK recipients or acceptance under
 *   SAFETY_WARN_ACCEPTANCE_PERCENT over the last SAFETY_WARN_ACCEPTANCE_SAMPLE invitations;
 *   restricted at SAFETY_RESTRICT_IDK, or SAFETY_RESTRICT_SPAM_UPHELD upheld spam reports, or
 *   SAFETY_RESTRICT_BEYOND_NETWORK unaccepted invitations to people beyond the sender's network
 *   within SAFETY_BEYOND_NETWORK_DAYS (a send-time signal: it needs no recipient to answer). A
 *   newcomer (account younger than SAFETY_NEWCOMER_DAYS) has no network yet, so for it that signal
 *   never restricts on its own: only invitations past the answer grace period count, and only when
 *   fewer than SAFETY_NEWCOMER_ACCEPTANCE_PERCENT of them were accepted;
 *   suspended (first 7 days, then 30 on each repeat) on any new IDK or upheld report while restricted.
 * - Down: a suspension ends at its time, back to restricted. Otherwise a level above what the
 *   signals call for steps down one level after SAFETY_CLEAN_DAYS without a new signal.
 * - Signals older than SAFETY_SIGNAL_DAYS, or from before an admin lift, do not count.
 * - Reasons name thresholds, never exact counts: the sender sees bands, not how many answered.
 */
import { DAY_MS } from '../../clock.js';
import type { Level } from './safety.table.js';

export const RANK: Record<Level, number> = { none: 0, warned: 1, restricted: 2, suspended: 3 };
const DOWN: Record<Level, Level> = { none: 'none', warned: 'none', restricted: 'warned', suspended: 'restricted' };

export interface LadderSettings {
  warnIdk: number;
  warnAcceptancePercent: number;
  warnAcceptanceSample: number;
  restrictIdk: number;
  restrictSpamUpheld: number;
  restrictBeyondNetwork: number;
  newcomerAcceptancePercent: number;
  suspendFirstDays: number;
  suspendRepeatDays: number;
  cleanDays: number;
}

export interface Standing {
  level: Level;
  since: number;
  suspendedUntil: number | null;
  suspensions: number;
}

export interface Signals {
  /** Distinct recipients who said "I don't know" (or reported spam) in the window. */
  idkRecipients: number;
  spamUpheld: number;
  /** Invitations in the acceptance sample, and how many of them were accepted. */
  sample: number;
  accepted: number;
  /** Invitations sent to people beyond the sender's network in the last SAFETY_BEYOND_NETWORK_DAYS, not (yet) accepted. */
  beyondNetwork: number;
  /** The account is younger than SAFETY_NEWCOMER_DAYS. */
  newcomer: boolean;
  /** Invitations beyond the network old enough to judge (past the answer grace period), and how many were accepted. */
  beyondJudged: { sent: number; accepted: number };
  /** IDK answers or upheld reports that arrived after `standing.since`. */
  newSinceLevel: number;
  /** The latest signal, ms since epoch, or null. */
  lastSignalAt: number | null;
}

export interface Change {
  level: Level;
  reason: string;
  since: number;
  suspendedUntil: number | null;
  suspensions: number;
}

export function thresholdLevel(s: Signals, cfg: LadderSettings): { level: Level; reason: string } {
  if (s.idkRecipients >= cfg.restrictIdk) return { level: 'restricted', reason: `${cfg.restrictIdk} or more people said they don't know you` };
  if (s.spamUpheld >= cfg.restrictSpamUpheld) return { level: 'restricted', reason: `${cfg.restrictSpamUpheld} or more spam reports against your invitations were upheld` };
  if (!s.newcomer && s.beyondNetwork >= cfg.restrictBeyondNetwork) {
    return { level: 'restricted', reason: `${cfg.restrictBeyondNetwork} or more invitations this week went to people outside your network and were not accepted` };
  }
  const unaccepted = s.beyondJudged.sent - s.beyondJudged.accepted;
  if (s.newcomer && unaccepted >= cfg.restrictBeyondNetwork && s.beyondJudged.accepted * 100 < cfg.newcomerAcceptancePercent * s.beyondJudged.sent) {
    return { level: 'restricted', reason: `Fewer than ${cfg.newcomerAcceptancePercent}% of your new account's invitations to people outside your network were accepted` };
  }
  if (s.idkRecipients >= cfg.warnIdk) return { level: 'warned', reason: `${cfg.warnIdk} or more people said they don't know you` };
  if (s.sample >= cfg.warnAcceptanceSample && s.accepted * 100 < cfg.warnAcceptancePercent * s.sample) {
    return { level: 'warned', reason: `Fewer than ${cfg.warnAcceptancePercent}% of your last ${s.sample} invitations were accepted` };
  }
  const any = s.idkRecipients > 0 || s.spamUpheld > 0 || s.beyondNetwork > 0;
  return { level: 'none', reason: any ? 'Some signals, all below the thresholds' : 'No recent signals' };
}

/** The standing's next state at `now`, or undefined when nothing changes. */
export function decide(st: Standing, s: Signals, now: number, cfg: LadderSettings): Change | undefined {
  if (st.level === 'suspended') {
    if (st.suspendedUntil !== null && now >= st.suspendedUntil) {
      return { level: 'restricted', reason: 'Your suspension ended; invitations stay restricted for now', since: st.suspendedUntil, suspendedUntil: null, suspensions: st.suspensions };
    }
    return undefined;
  }
  if (st.level === 'restricted' && s.newSinceLevel > 0) {
    const days = st.suspensions === 0 ? cfg.suspendFirstDays : cfg.suspendRepeatDays;
    return {
      level: 'suspended',
      reason: `More people said they don't know you while your invitations were restricted: suspended for ${days} days`,
      since: now,
      suspendedUntil: now + days * DAY_MS,
      suspensions: st.suspensions + 1,
    };
  }
  const target = thresholdLevel(s, cfg);
  if (RANK[target.level] > RANK[st.level]) return { level: target.level, reason: target.reason, since: now, suspendedUntil: null, suspensions: st.suspensions };
  if (RANK[target.level] < RANK[st.level]) {
    const cleanSince = Math.max(st.since, s.lastSignalAt ?? 0);
    if (now - cleanSince >= cfg.cleanDays * DAY_MS) {
      const level = DOWN[st.level];
      return { level, reason: `${cfg.cleanDays} days without new signals`, since: now, suspendedUntil: null, suspensions: st.suspensions };
    }
  }
  return undefined;
}

/**
 * When the current level would lift by itself if nothing new happens, or null: also null while the
 * signals still call for it (it lifts once they age out, and the evaluation then sets the date).
 */
export function liftsAt(st: Standing, s: Signals, cfg: LadderSettings): number | null {
  if (st.level === 'none') return null;
  if (st.level === 'suspended') return st.suspendedUntil;
  if (RANK[thresholdLevel(s, cfg).level] >= RANK[st.level]) return null;
  return Math.max(st.since, s.lastSignalAt ?? 0) + cfg.cleanDays * DAY_MS;
}
