/**
 * The simulated people, acting through the real services: senders send at their pace and obey what
 * the service answers, recipients answer after a delay, the moderator decides spam reports.
 *
 * A sender knows the email address of people it has a tie to and of nobody else, so a restricted
 * sender can still invite acquaintances but not strangers. Refusals that carry `retryAt` (weekly
 * limit, suspension, outstanding cap) make the sender wait until then; after a weekly-limit refusal
 * it reads its Account health and paces itself to the limit shown there. A missing-email refusal makes
 * it fall back, at once, to an acquaintance, and invite only acquaintances for the next week (as if
 * it had read its Account health) before trying a stranger again. A newcomer invites only people it
 * knows in its first week, then sends like an honest sender.
 *
 * The ladder moves only in the scheduled evaluation: an `evaluate` event every
 * SAFETY_EVALUATION_MINUTES runs `ctx.safety.evaluateDue()`, the body of the `safety.evaluate` job.
 */
import { DAY_MS, type ManualClock } from '../../server/clock.js';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import type { Random } from '../prng.js';
import { drawAnswer, exponential, uniform, type EventQueue, type SimEvent } from './events.js';
import type { Answer, BehaviourModel } from './model.js';
import { memberId, pair, type Population, type Sender } from './population.js';

export interface Activity {
  /** Answers actually given (an answer to an invitation that closed meanwhile is not counted). */
  answers: Record<Answer, number>;
  refused: { weeklyLimit: number; emailRequired: number; suspended: number; outstanding: number; other: number };
}

type Attempt = { ok: true } | { ok: false; code: string; retryAt?: number };

const PICK_TRIES = 40;
const TIES_ONLY_MS = 7 * DAY_MS;

export class Actors {
  readonly activity: Activity = {
    answers: { accept: 0, ignore: 0, nothing: 0, idk: 0, spam: 0 },
    refused: { weeklyLimit: 0, emailRequired: 0, suspended: 0, outstanding: 0, other: 0 },
  };

  constructor(
    private readonly ctx: AppContext,
    private readonly clock: ManualClock,
    private readonly pop: Population,
    private readonly rnd: Random,
    private readonly model: BehaviourModel,
    private readonly queue: EventQueue,
  ) {}

  private get evaluateEveryMs(): number {
    return this.ctx.safety.settings.evaluationMinutes * 60_000;
  }

  start(at: number): void {
    for (const s of this.pop.senders) this.queue.push({ kind: 'send', at: at + this.gap(s), sender: s.index });
    this.queue.push({ kind: 'evaluate', at: at + this.evaluateEveryMs });
  }

  async handle(e: SimEvent): Promise<void> {
    this.clock.set(new Date(e.at));
    if (e.kind === 'send') return this.send(e.sender, e.at);
    if (e.kind === 'answer') return this.answer(e);
    if (e.kind === 'evaluate') {
      await this.ctx.safety.evaluateDue();
      this.queue.push({ kind: 'evaluate', at: e.at + this.evaluateEveryMs });
      return;
    }
    return this.decide(e.invitationId, e.uphold);
  }

  /** Time to a sender's next invitation: exponential, so the weekly count is Poisson at its pace. */
  private gap(s: Sender): number {
    return exponential(this.rnd, 7 / s.perWeek) * DAY_MS;
  }

  private async send(index: number, at: number): Promise<void> {
    const s = this.pop.bySender.get(index);
    if (!s) return;
    if (s.settles && at >= s.settles.at) {
      s.tieShare = s.settles.tieShare;
      s.perWeek = s.settles.perWeek;
      delete s.settles;
    }
    let next = at + this.gap(s);
    const wantTie = this.rnd() < s.tieShare || at < s.tiesOnlyUntil;
    const target = this.pick(s, wantTie) ?? this.pick(s, !wantTie);
    if (target !== undefined) {
      let result = await this.attempt(s, target);
      if (!result.ok && result.code === 'RecipientEmailRequired') {
        s.tiesOnlyUntil = at + TIES_ONLY_MS;
        const tie = this.pick(s, true);
        if (tie !== undefined) result = await this.attempt(s, tie);
      }
      if (!result.ok && result.code === 'WeeklyInviteLimit') {
        const health = await this.ctx.safety.health(memberId(this.pop, s.index));
        s.perWeek = Math.min(s.perWeek, Math.max(1, health.weekly.limit));
      }
      if (!result.ok && result.retryAt !== undefined) next = Math.max(next, result.retryAt);
    }
    this.queue.push({ kind: 'send', at: next, sender: index });
  }

  /** A member this sender may still invite: a tie, or a stranger. */
  private pick(s: Sender, tie: boolean): number | undefined {
    const n = this.pop.ids.length;
    for (let t = 0; t < PICK_TRIES; t++) {
      const j = tie ? s.tieList[Math.floor(this.rnd() * s.tieList.length)] : Math.floor(this.rnd() * n);
      if (j === undefined || j === s.index || s.invited.has(j) || this.pop.connected.has(pair(s.index, j))) continue;
      if (!tie && s.ties.has(j)) continue;
      return j;
    }
    return undefined;
  }

  private async attempt(s: Sender, target: number): Promise<Attempt> {
    const knows = s.ties.has(target);
    try {
      const { created, result } = await this.ctx.invitations.send(memberId(this.pop, s.index), memberId(this.pop, target), undefined, knows ? this.pop.emails[target] : undefined);
      s.invited.add(target);
      if (result.outcome === 'connected') {
        this.pop.connected.add(pair(s.index, target));
        return { ok: true };
      }
      if (!created) return { ok: true };
      const now = this.clock.now().getTime();
      const answer = drawAnswer(this.rnd, knows ? this.model.acquaintance : this.model.stranger);
      if (answer !== 'nothing') {
        const delay = exponential(this.rnd, knows ? this.model.answerDelayDays.acquaintance : this.model.answerDelayDays.stranger) * DAY_MS;
        this.queue.push({ kind: 'answer', at: now + delay, invitationId: result.invitation.id, sender: s.index, recipient: target, answer });
      } else {
        this.activity.answers.nothing++;
      }
      return { ok: true };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const retry = typeof err.details?.retryAt === 'string' ? Date.parse(err.details.retryAt) : undefined;
      const refused = this.activity.refused;
      if (err.code === 'WeeklyInviteLimit') refused.weeklyLimit++;
      else if (err.code === 'InvitingSuspended') refused.suspended++;
      else if (err.code === 'OutstandingInviteLimit') refused.outstanding++;
      else if (err.code === 'RecipientEmailRequired') refused.emailRequired++;
      else {
        // Already connected, blocked, and the like: this member is not one to invite again.
        refused.other++;
        s.invited.add(target);
      }
      return retry === undefined ? { ok: false, code: err.code } : { ok: false, code: err.code, retryAt: retry };
    }
  }

  private async answer(e: Extract<SimEvent, { kind: 'answer' }>): Promise<void> {
    const recipientId = memberId(this.pop, e.recipient);
    const inv = this.ctx.invitations;
    try {
      if (e.answer === 'accept') {
        await inv.accept(recipientId, e.invitationId);
        this.pop.connected.add(pair(e.sender, e.recipient));
      } else if (e.answer === 'ignore') {
        await inv.ignore(recipientId, e.invitationId);
      } else if (e.answer === 'idk') {
        await inv.idk(recipientId, e.invitationId);
      } else if (e.answer === 'spam') {
        await inv.reportSpam(recipientId, e.invitationId);
        const { upholdShare, delayDays } = this.model.admin;
        const uphold = this.rnd() < upholdShare;
        this.queue.push({ kind: 'decide', at: e.at + uniform(this.rnd, delayDays.min, delayDays.max) * DAY_MS, invitationId: e.invitationId, uphold });
      }
      this.activity.answers[e.answer]++;
    } catch (err) {
      // The invitation closed before the answer (a crossing invitation connected the pair).
      if (!(err instanceof AppError) || (err.code !== 'InvitationClosed' && err.code !== 'InvitationNotFound')) throw err;
    }
  }

  private async decide(invitationId: string, uphold: boolean): Promise<void> {
    const report = await this.ctx.database.db.selectFrom('spam_reports').select('id').where('invitation_id', '=', invitationId).executeTakeFirst();
    if (!report) return;
    await this.ctx.moderation.decideReport(this.pop.adminId, report.id, uphold ? 'uphold' : 'dismiss', 'Simulated moderator decision');
  }
}
