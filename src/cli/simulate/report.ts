/**
 * What a run shows, read back from the database the services wrote (enforcements, invitations,
 * spam reports), not from the simulator's own bookkeeping.
 */
import type { AppContext } from '../../server/context.js';
import type { SafetySettings } from '../../server/modules/safety/index.js';
import type { Activity } from './actors.js';
import { earlyRestrictionBound, isSpammer, type BehaviourModel, type SenderKind } from './model.js';
import { memberId, populationCounts, type Population, type Sender } from './population.js';

/** "Caught early" means restricted (or suspended) before this many invitations went out. */
export const EARLY_INVITATIONS = 30;
const TARGETS = { spammersRestrictedEarly: 0.95, honestEverWarned: 0.01, newcomersFlagged: 0 };

export interface GroupOutcome {
  senders: number;
  invitations: number;
  restrictedEarly: number;
  restrictedEver: number;
  /** Of those, first restricted for upheld spam reports rather than IDK answers. */
  restrictedForSpam: number;
  warnedEver: number;
}

export interface SafetyReport {
  seed: number;
  days: number;
  population: { members: number; honest: number; sloppy: number; spammers: number; careful: number; newcomers: number; meanTieShareOfNetwork: number };
  invitations: { sent: number; accepted: number; ignored: number; noAnswer: number; idk: number; spamReports: number; upheld: number; dismissed: number };
  refused: Activity['refused'];
  spammers: {
    /** Share restricted or suspended before their 30th invitation. */
    restrictedBefore30: number;
    /** The most any count-based ladder could reach under this behaviour model (see earlyRestrictionBound). */
    restrictedBefore30Bound: number;
    restrictedEver: number;
    /** Median invitations sent before the first restriction, over spammers ever restricted. */
    medianInvitationsBeforeRestriction: number | null;
    neverRestricted: number;
  };
  honest: {
    /** Share of honest senders (sloppy included) with any enforcement to warned, restricted or suspended. */
    everWarned: number;
    everWarnedCount: number;
    everRestrictedCount: number;
  };
  newcomers: {
    /** Share of newcomers with any enforcement to warned, restricted or suspended. */
    everFlagged: number;
    everWarnedCount: number;
    everRestrictedCount: number;
  };
  byKind: Record<SenderKind, GroupOutcome>;
  thresholds: Pick<
    SafetySettings,
    | 'warnIdk'
    | 'warnAcceptancePercent'
    | 'warnAcceptanceSample'
    | 'restrictIdk'
    | 'restrictSpamUpheld'
    | 'restrictBeyondNetwork'
    | 'beyondNetworkDays'
    | 'answerGraceDays'
    | 'signalDays'
    | 'cleanDays'
    | 'evaluationMinutes'
    | 'newcomerDays'
    | 'newcomerWeeklyLimit'
    | 'newcomerAcceptancePercent'
  >;
  targets: { spammersRestrictedBefore30: { want: string; met: boolean }; honestEverWarned: { want: string; met: boolean }; newcomersFlagged: { want: string; met: boolean } };
  runtimeSeconds: number;
}

const RESTRICTING = new Set(['restricted', 'suspended']);

export async function buildReport(
  ctx: AppContext,
  pop: Population,
  activity: Activity,
  run: { seed: number; days: number; model: BehaviourModel; startedAt: string; runtimeMs: number },
): Promise<SafetyReport> {
  const db = ctx.database.db;
  const enforcements = await db.selectFrom('enforcements').select(['member_id', 'to_level', 'reason', 'created_at']).orderBy('created_at').execute();
  const firstWarn = new Map<string, string>();
  const firstRestrict = new Map<string, { at: string; forSpam: boolean }>();
  for (const e of enforcements) {
    if (e.to_level === 'none') continue;
    if (!firstWarn.has(e.member_id)) firstWarn.set(e.member_id, e.created_at);
    // The ladder's reason names its cause (ladder.ts thresholdLevel).
    if (RESTRICTING.has(e.to_level) && !firstRestrict.has(e.member_id)) firstRestrict.set(e.member_id, { at: e.created_at, forSpam: e.reason.includes('spam reports') });
  }
  const sentBy = new Map<string, string[]>();
  const sent = await db.selectFrom('invitations').select(['sender_id', 'created_at']).where('created_at', '>=', run.startedAt).orderBy('created_at').execute();
  for (const r of sent) {
    const list = sentBy.get(r.sender_id);
    if (list) list.push(r.created_at);
    else sentBy.set(r.sender_id, [r.created_at]);
  }

  /** Invitations this sender had sent before its first restriction, or undefined if never restricted. */
  const beforeRestriction = (s: Sender): number | undefined => {
    const id = memberId(pop, s.index);
    const at = firstRestrict.get(id)?.at;
    return at === undefined ? undefined : (sentBy.get(id) ?? []).filter((t) => t < at).length;
  };
  const empty = (): GroupOutcome => ({ senders: 0, invitations: 0, restrictedEarly: 0, restrictedEver: 0, restrictedForSpam: 0, warnedEver: 0 });
  const byKind: Record<SenderKind, GroupOutcome> = { honest: empty(), sloppy: empty(), spammer: empty(), careful: empty(), newcomer: empty() };
  const spammerCounts: number[] = [];
  for (const s of pop.senders) {
    const g = byKind[s.kind];
    const id = memberId(pop, s.index);
    const n = beforeRestriction(s);
    g.senders++;
    g.invitations += sentBy.get(id)?.length ?? 0;
    if (firstWarn.has(id)) g.warnedEver++;
    if (n !== undefined) g.restrictedEver++;
    if (firstRestrict.get(id)?.forSpam) g.restrictedForSpam++;
    if (n !== undefined && n < EARLY_INVITATIONS) g.restrictedEarly++;
    if (isSpammer(s.kind) && n !== undefined) spammerCounts.push(n);
  }

  const spam = sum(byKind.spammer, byKind.careful);
  const honest = sum(byKind.honest, byKind.sloppy);
  const spamReports = await db.selectFrom('spam_reports').select(['status']).execute();
  const share = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const restrictedBefore30 = share(spam.restrictedEarly, spam.senders);
  const everWarned = share(honest.warnedEver, honest.senders);
  const newcomer = byKind.newcomer;
  const newcomersFlagged = share(newcomer.warnedEver, newcomer.senders);
  const s = ctx.safety.settings;
  const { answers } = activity;
  return {
    seed: run.seed,
    days: run.days,
    population: populationCounts(pop),
    invitations: {
      sent: sent.length,
      accepted: answers.accept,
      ignored: answers.ignore,
      noAnswer: answers.nothing,
      idk: answers.idk,
      spamReports: spamReports.length,
      upheld: spamReports.filter((r) => r.status === 'upheld').length,
      dismissed: spamReports.filter((r) => r.status === 'dismissed').length,
    },
    refused: activity.refused,
    spammers: {
      restrictedBefore30,
      restrictedBefore30Bound: Math.round(earlyRestrictionBound(run.model, EARLY_INVITATIONS) * 1000) / 1000,
      restrictedEver: share(spam.restrictedEver, spam.senders),
      medianInvitationsBeforeRestriction: median(spammerCounts),
      neverRestricted: spam.senders - spam.restrictedEver,
    },
    honest: { everWarned, everWarnedCount: honest.warnedEver, everRestrictedCount: honest.restrictedEver },
    newcomers: { everFlagged: newcomersFlagged, everWarnedCount: newcomer.warnedEver, everRestrictedCount: newcomer.restrictedEver },
    byKind,
    thresholds: {
      warnIdk: s.warnIdk,
      warnAcceptancePercent: s.warnAcceptancePercent,
      warnAcceptanceSample: s.warnAcceptanceSample,
      restrictIdk: s.restrictIdk,
      restrictSpamUpheld: s.restrictSpamUpheld,
      restrictBeyondNetwork: s.restrictBeyondNetwork,
      beyondNetworkDays: s.beyondNetworkDays,
      answerGraceDays: s.answerGraceDays,
      signalDays: s.signalDays,
      cleanDays: s.cleanDays,
      evaluationMinutes: s.evaluationMinutes,
      newcomerDays: s.newcomerDays,
      newcomerWeeklyLimit: s.newcomerWeeklyLimit,
      newcomerAcceptancePercent: s.newcomerAcceptancePercent,
    },
    targets: {
      spammersRestrictedBefore30: { want: `>= ${pct(TARGETS.spammersRestrictedEarly)}`, met: restrictedBefore30 >= TARGETS.spammersRestrictedEarly },
      honestEverWarned: { want: `<= ${pct(TARGETS.honestEverWarned)}`, met: everWarned <= TARGETS.honestEverWarned },
      newcomersFlagged: { want: `<= ${pct(TARGETS.newcomersFlagged)}`, met: newcomersFlagged <= TARGETS.newcomersFlagged },
    },
    runtimeSeconds: Math.round(run.runtimeMs / 100) / 10,
  };
}

function sum(a: GroupOutcome, b: GroupOutcome): GroupOutcome {
  return { senders: a.senders + b.senders, invitations: a.invitations + b.invitations, restrictedEarly: a.restrictedEarly + b.restrictedEarly, restrictedEver: a.restrictedEver + b.restrictedEver,
    restrictedForSpam: a.restrictedForSpam + b.restrictedForSpam,
    warnedEver: a.warnedEver + b.warnedEver };
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The report as the command prints it. */
export function formatReport(r: SafetyReport): string {
  const p = r.population;
  const i = r.invitations;
  const k = r.byKind;
  const t = r.thresholds;
  const mark = (met: boolean) => (met ? 'met' : 'NOT met');
  const line = (name: string, g: GroupOutcome) =>
    `  ${name.padEnd(16)} ${String(g.senders).padStart(5)} senders ${String(g.invitations).padStart(6)} invitations  warned ${String(g.warnedEver).padStart(4)}  restricted ${String(g.restrictedEver).padStart(4)} (${g.restrictedForSpam} for spam)  before 30th ${String(g.restrictedEarly).padStart(4)}`;
  return [
    `Safety simulation: seed ${r.seed}, ${p.members} members, ${r.days} days (${r.runtimeSeconds} s)`,
    `Thresholds: warn at ${t.warnIdk} IDK or acceptance < ${t.warnAcceptancePercent}% over ${t.warnAcceptanceSample} (grace ${t.answerGraceDays} d); restrict at ${t.restrictIdk} IDK, ${t.restrictSpamUpheld} upheld spam or ${t.restrictBeyondNetwork} invitations beyond the network in ${t.beyondNetworkDays} d`,
    `Scheduled evaluation every ${t.evaluationMinutes} min; newcomers (accounts under ${t.newcomerDays} d): weekly limit ${t.newcomerWeeklyLimit}, invitations beyond the network judged after the grace period (restrict under ${t.newcomerAcceptancePercent}% accepted)`,
    `Senders: ${p.honest} honest (${p.sloppy} sloppy), ${p.spammers} spammers (${p.careful} careful), ${p.newcomers} newcomers; a sender has ties to ${pct(p.meanTieShareOfNetwork)} of the network on average`,
    `Invitations: ${i.sent} sent, ${i.accepted} accepted, ${i.ignored} ignored, ${i.noAnswer} unanswered, ${i.idk} IDK, ${i.spamReports} spam reports (${i.upheld} upheld, ${i.dismissed} dismissed)`,
    `Refused sends: ${r.refused.weeklyLimit} weekly limit, ${r.refused.emailRequired} email required, ${r.refused.suspended} suspended, ${r.refused.outstanding} outstanding cap, ${r.refused.other} other`,
    line('honest', k.honest),
    line('sloppy honest', k.sloppy),
    line('spammer', k.spammer),
    line('careful spammer', k.careful),
    line('newcomer', k.newcomer),
    `Spammers restricted before their ${EARLY_INVITATIONS}th invitation: ${pct(r.spammers.restrictedBefore30)} (target ${r.targets.spammersRestrictedBefore30.want}: ${mark(r.targets.spammersRestrictedBefore30.met)}; answers alone could catch at most ${pct(r.spammers.restrictedBefore30Bound)} under this model)`,
    `Spammers ever restricted: ${pct(r.spammers.restrictedEver)}; median invitations before restriction: ${r.spammers.medianInvitationsBeforeRestriction ?? 'n/a'}`,
    `Honest senders ever warned or restricted: ${pct(r.honest.everWarned)} (${r.honest.everWarnedCount}; target ${r.targets.honestEverWarned.want}: ${mark(r.targets.honestEverWarned.met)})`,
    `Newcomers ever warned or restricted: ${pct(r.newcomers.everFlagged)} (${r.newcomers.everWarnedCount} warned, ${r.newcomers.everRestrictedCount} restricted, of ${p.newcomers}; target ${r.targets.newcomersFlagged.want}: ${mark(r.targets.newcomersFlagged.met)})`,
  ].join('\n');
}
