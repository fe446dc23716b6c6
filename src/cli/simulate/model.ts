/**
 * The behaviour model of the safety simulation: who sends, to whom, how fast, and how recipients and
 * admins answer. Every number here is stated in docs/safety.md; change both together.
 */

export type SenderKind = 'honest' | 'sloppy' | 'spammer' | 'careful' | 'newcomer';
export type Answer = 'accept' | 'ignore' | 'nothing' | 'idk' | 'spam';

/** Probabilities of each answer; they sum to 1. */
export type AnswerMix = Record<Answer, number>;

export interface SenderProfile {
  /** Probability that one invitation goes to someone the sender has a tie to. */
  tieShare: number;
  /** Invitations per week, drawn uniformly in [min, max] once per sender. */
  perWeek: { min: number; max: number };
}

export interface BehaviourModel {
  /** Shares of all members. */
  spammerShare: number;
  honestShare: number;
  /** Shares within spammers and within honest senders. */
  carefulShare: number;
  sloppyShare: number;
  /** New accounts (a share of the seeded members' count), signed up when the run starts with an empty profile. */
  newcomerShare: number;
  /** A newcomer's first week uses `senders.newcomer`; from then on it sends like this. */
  newcomerLater: SenderProfile;
  senders: Record<SenderKind, SenderProfile>;
  /** How a recipient answers an invitation from someone they know, and from a stranger. */
  acquaintance: AnswerMix;
  stranger: AnswerMix;
  /** Days until an answer: exponential with this mean. */
  answerDelayDays: { acquaintance: number; stranger: number };
  /** An admin looks at a spam report after uniform [min, max] days and upholds it with this probability. */
  admin: { upholdShare: number; delayDays: { min: number; max: number } };
  /** Average connections per member in the seeded network (the 1st hop of "within 2 hops"). */
  avgDegree: number;
}

export const DEFAULT_MODEL: BehaviourModel = {
  spammerShare: 0.05,
  honestShare: 0.25,
  carefulShare: 0.2,
  sloppyShare: 0.1,
  newcomerShare: 0.03,
  newcomerLater: { tieShare: 0.9, perWeek: { min: 1, max: 5 } },
  senders: {
    honest: { tieShare: 0.9, perWeek: { min: 1, max: 5 } },
    sloppy: { tieShare: 0.65, perWeek: { min: 2, max: 6 } },
    spammer: { tieShare: 0.15, perWeek: { min: 85, max: 100 } },
    careful: { tieShare: 0.5, perWeek: { min: 20, max: 40 } },
    // Invites 10–30 people it knows in its first week: an empty profile, so the graph sees no tie to any.
    newcomer: { tieShare: 1, perWeek: { min: 10, max: 30 } },
  },
  acquaintance: { accept: 0.8, ignore: 0.15, nothing: 0.05, idk: 0, spam: 0 },
  stranger: { accept: 0.1, ignore: 0.55, nothing: 0.23, idk: 0.1, spam: 0.02 },
  answerDelayDays: { acquaintance: 1, stranger: 3 },
  admin: { upholdShare: 0.5, delayDays: { min: 0.5, max: 3 } },
  avgDegree: 10,
};

export const ANSWERS: readonly Answer[] = ['accept', 'ignore', 'nothing', 'idk', 'spam'];

export const isSpammer = (k: SenderKind) => k === 'spammer' || k === 'careful';

/** Probability that one invitation from this kind of sender draws an IDK or a spam report. */
function signalChance(model: BehaviourModel, kind: SenderKind): number {
  const t = model.senders[kind].tieShare;
  return t * (model.acquaintance.idk + model.acquaintance.spam) + (1 - t) * (model.stranger.idk + model.stranger.spam);
}

/**
 * An upper bound on the share of spammers any count-based ladder can restrict before their
 * `nth` invitation: restriction needs at least one IDK or spam report among the first n - 1
 * invitations, even if every answer arrived at once and a single one restricted.
 */
export function earlyRestrictionBound(model: BehaviourModel, nth: number): number {
  const none = (kind: SenderKind) => Math.pow(1 - signalChance(model, kind), nth - 1);
  return 1 - (model.carefulShare * none('careful') + (1 - model.carefulShare) * none('spammer'));
}
