/**
 * The durable sequence runner (docs/jobs.md, "Sequences"): multi-step journeys of one subject
 * (an invitation's reminders today, a campaign's contacts later), run by the job queue.
 *
 * States of an enrolment:
 *
 *   enrol ──► running ──step: next──► running (step + 1) … last step ──► done
 *               │  ▲  └─step: wait──► running (same step, later)
 *        pause  │  │ resume (re-queues the step at max(now, next_run_at))
 *               ▼  │
 *             paused          stop (event, or a step that says so) from running or paused ──► stopped
 *
 * Invariants:
 * - At most one *active* (running or paused) enrolment per (sequence, subject): a unique partial
 *   index, so two racing enrolments leave one (`enrol` returns undefined for the loser).
 * - Every step is one `sequence.step` job keyed `sequence:<enrolment>:<step>`. The job runs the
 *   step's effect and the advance in ONE transaction, compare-and-set on (step, state = running):
 *   a duplicate, stale (earlier step) or early (before next_run_at) delivery changes nothing. Run
 *   by a worker, the job is marked done in that transaction too (`JobDefinition.runIn`).
 * - A step never runs before its `next_run_at`, and re-checks its stop conditions when it runs:
 *   it returns next, wait (until a time), stop or done.
 * - Events (`stop`, `pause`, `resume`) change the enrolment in the caller's transaction: nothing
 *   polls. A job queued for a paused or stopped enrolment finds it so and does nothing.
 * - Times are exact; a sequence may place them in a send window in the subject's time zone
 *   (sequence.window.ts).
 *
 * `jobs/` knows no module: sequences are defined by their owners and handed in (`define`).
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Database, Executor, Tx } from '../db/database.js';
import { newId } from '../ids.js';
import type { JobDefinition, JobQueue } from './queue.js';
import type { EnrolmentState, SequenceEnrolmentTable } from './sequence.table.js';
import { placeInWindow, zoneOrUtc, type SendWindow } from './sequence.window.js';

export interface Enrolment<C> {
  id: string;
  sequence: string;
  subjectId: string;
  state: EnrolmentState;
  step: number;
  nextRunAt: Date;
  timeZone: string;
  context: C;
  enrolledAt: Date;
  lastStepAt: Date | null;
}

export type StepResult<C> =
  | { kind: 'next'; context?: C }
  | { kind: 'wait'; until: Date }
  | { kind: 'stop'; reason: string }
  | { kind: 'done' };

export interface SequenceStep<C> {
  /** When this step is due (before any window), e.g. enrolment + 3 days, or the previous step + 1 hour. */
  due(e: Enrolment<C>): Date;
  /** The step's effect, in the runner's transaction; re-checks the world first. */
  run(tx: Tx, e: Enrolment<C>, now: Date): Promise<StepResult<C>>;
}

export interface SequenceDefinition<C> {
  name: string;
  context: z.ZodType<C>;
  steps: Array<SequenceStep<C>>;
  /** Every step time is placed in this window, in the enrolment's time zone. */
  window?: SendWindow;
}

const StepPayload = z.object({ enrolmentId: z.string(), step: z.number().int().min(0) });
type StepPayload = z.infer<typeof StepPayload>;
export const SEQUENCE_STEP_JOB = 'sequence.step';
const stepJob = { name: SEQUENCE_STEP_JOB } as const;
/** Must repeat the unique partial index's predicate literally (migration 0013). */
const active = sql<boolean>`"state" in ('running', 'paused')`;
export const stepKey = (enrolmentId: string, step: number) => `sequence:${enrolmentId}:${step}`;

export type StepOutcome = 'ran' | 'stale' | 'early';

/** A step's compare-and-set missed: roll its effect back. */
class StepSuperseded extends Error {}

export class SequenceRunner {
  // Any definition's context type: the runner only moves it through JSON and the definition's schema.
  private readonly sequences = new Map<string, SequenceDefinition<unknown>>();

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
  ) {}

  define<C>(def: SequenceDefinition<C>): void {
    if (def.steps.length === 0) throw new Error(`sequence ${def.name} has no steps`);
    this.sequences.set(def.name, def as SequenceDefinition<unknown>);
  }

  /**
   * Enrol `subjectId` in the transaction of the change that causes it. Returns the new enrolment's
   * id, or undefined when the subject already has an active enrolment in this sequence.
   */
  async enrol<C>(tx: Tx, sequence: string, subjectId: string, opts: { context: C; timeZone?: string; enrolledAt?: Date }): Promise<string | undefined> {
    const def = this.definition(sequence);
    const now = this.clock.now();
    const enrolledAt = opts.enrolledAt ?? now;
    const context = def.context.parse(opts.context);
    const timeZone = zoneOrUtc(opts.timeZone);
    const id = newId();
    const first: Enrolment<unknown> = { id, sequence, subjectId, state: 'running', step: 0, nextRunAt: now, timeZone, context, enrolledAt, lastStepAt: null };
    const at = this.place(def, def.steps[0]?.due(first) ?? now, timeZone);
    const nowIso = now.toISOString();
    const inserted = await tx.db
      .insertInto('sequence_enrolments')
      .values({
        id, sequence, subject_id: subjectId, state: 'running', step: 0, next_run_at: at.toISOString(), time_zone: timeZone,
        context: JSON.stringify(context), reason: null, enrolled_at: enrolledAt.toISOString(), last_step_at: null, created_at: nowIso, updated_at: nowIso,
      })
      .onConflict((oc) => oc.columns(['sequence', 'subject_id']).where(active).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return undefined;
    await this.jobs.enqueue(tx, stepJob, { enrolmentId: id, step: 0 }, { key: stepKey(id, 0), runAt: at });
    return id;
  }

  /** Event: stop the active enrolment (running or paused). True if there was one. */
  async stop(tx: Tx, sequence: string, subjectId: string, reason: string): Promise<boolean> {
    return this.transition(tx.db, sequence, subjectId, ['running', 'paused'], { state: 'stopped', reason });
  }

  /** Event: pause a running enrolment; its queued step job will find it paused and do nothing. */
  async pause(tx: Tx, sequence: string, subjectId: string, reason: string): Promise<boolean> {
    return this.transition(tx.db, sequence, subjectId, ['running'], { state: 'paused', reason });
  }

  /** Event: resume a paused enrolment; its current step is queued again at max(now, next_run_at). */
  async resume(tx: Tx, sequence: string, subjectId: string): Promise<boolean> {
    const row = await tx.db
      .updateTable('sequence_enrolments')
      .set({ state: 'running', reason: null, updated_at: this.clock.now().toISOString() })
      .where('sequence', '=', sequence)
      .where('subject_id', '=', subjectId)
      .where('state', '=', 'paused')
      .returning(['id', 'step', 'next_run_at'])
      .executeTakeFirst();
    if (!row) return false;
    const at = new Date(Math.max(this.clock.now().getTime(), Date.parse(row.next_run_at)));
    await this.jobs.enqueue(tx, stepJob, { enrolmentId: row.id, step: row.step }, { key: stepKey(row.id, row.step), runAt: at, mode: 'debounce' });
    return true;
  }

  /** The active enrolment of a subject, if any (tests, admin views). */
  async find(db: Executor, sequence: string, subjectId: string): Promise<SequenceEnrolmentTable | undefined> {
    return db.selectFrom('sequence_enrolments').selectAll().where('sequence', '=', sequence).where('subject_id', '=', subjectId).where(active).executeTakeFirst();
  }

  /** `sequence.step`: register it on the worker once; it runs every defined sequence. */
  readonly job: JobDefinition<typeof StepPayload> = {
    ...stepJob,
    schema: StepPayload,
    run: async (payload) => {
      await this.database.transaction((tx) => this.runStep(tx, payload)).catch(ignoreSuperseded);
    },
    runIn: (tx, payload) => this.runStep(tx, payload).then(() => undefined),
  };

  /**
   * Run step `payload.step` of the enrolment if it is running, at that step, and due: the effect
   * and the advance commit together. Anything else is a duplicate or late delivery: no change.
   */
  async runStep(tx: Tx, { enrolmentId, step }: StepPayload): Promise<StepOutcome> {
    const now = this.clock.now();
    let query = tx.db.selectFrom('sequence_enrolments').selectAll().where('id', '=', enrolmentId);
    // Events wait for a running step (and it for them), so the compare-and-set below cannot miss.
    if (this.database.dialect === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row || row.state !== 'running' || row.step !== step) return 'stale';
    if (Date.parse(row.next_run_at) > now.getTime()) return 'early';
    const def = this.definition(row.sequence);
    const e = this.hydrate(def, row);
    const current = def.steps[step];
    const result: StepResult<unknown> = current ? await current.run(tx, e, now) : { kind: 'done' };
    const nowIso = now.toISOString();
    const cas = tx.db.updateTable('sequence_enrolments').where('id', '=', enrolmentId).where('step', '=', step).where('state', '=', 'running');
    let changed;
    let queue: { step: number; at: Date } | undefined;
    if (result.kind === 'next' && step + 1 < def.steps.length) {
      const context = result.context === undefined ? e.context : def.context.parse(result.context);
      const following = { ...e, step: step + 1, context, lastStepAt: now };
      const at = this.place(def, def.steps[step + 1]?.due(following) ?? now, e.timeZone);
      changed = await cas.set({ step: step + 1, next_run_at: at.toISOString(), context: JSON.stringify(context), last_step_at: nowIso, updated_at: nowIso }).executeTakeFirst();
      queue = { step: step + 1, at };
    } else if (result.kind === 'wait') {
      const at = this.place(def, new Date(Math.max(result.until.getTime(), now.getTime())), e.timeZone);
      changed = await cas.set({ next_run_at: at.toISOString(), updated_at: nowIso }).executeTakeFirst();
      queue = { step, at };
    } else if (result.kind === 'stop') {
      changed = await cas.set({ state: 'stopped', reason: result.reason, last_step_at: nowIso, updated_at: nowIso }).executeTakeFirst();
    } else {
      changed = await cas.set({ state: 'done', reason: null, last_step_at: nowIso, updated_at: nowIso }).executeTakeFirst();
    }
    if (Number(changed.numUpdatedRows) !== 1) throw new StepSuperseded(`enrolment ${enrolmentId} moved during step ${step}`);
    // Debounce: a copy of this key still queued (a duplicate) is moved to the new time, not doubled.
    if (queue) await this.jobs.enqueue(tx, stepJob, { enrolmentId, step: queue.step }, { key: stepKey(enrolmentId, queue.step), runAt: queue.at, mode: 'debounce' });
    return 'ran';
  }

  private async transition(db: Executor, sequence: string, subjectId: string, from: EnrolmentState[], to: { state: EnrolmentState; reason: string }): Promise<boolean> {
    const res = await db
      .updateTable('sequence_enrolments')
      .set({ ...to, updated_at: this.clock.now().toISOString() })
      .where('sequence', '=', sequence)
      .where('subject_id', '=', subjectId)
      .where('state', 'in', from)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  private definition(name: string): SequenceDefinition<unknown> {
    const def = this.sequences.get(name);
    if (!def) throw new Error(`no sequence named ${name}`);
    return def;
  }

  private place(def: SequenceDefinition<unknown>, at: Date, zone: string): Date {
    return placeInWindow(at, def.window, zone);
  }

  private hydrate(def: SequenceDefinition<unknown>, row: SequenceEnrolmentTable): Enrolment<unknown> {
    return {
      id: row.id,
      sequence: row.sequence,
      subjectId: row.subject_id,
      state: row.state,
      step: row.step,
      nextRunAt: new Date(row.next_run_at),
      timeZone: row.time_zone,
      context: def.context.parse(JSON.parse(row.context)),
      enrolledAt: new Date(row.enrolled_at),
      lastStepAt: row.last_step_at ? new Date(row.last_step_at) : null,
    };
  }
}

function ignoreSuperseded(err: unknown): void {
  if (!(err instanceof StepSuperseded)) throw err;
}
