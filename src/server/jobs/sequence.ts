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
 *   by a worker, the job is claimed and marked done in that transaction too, with up to 63 others
 *   (`JobDefinition.runManyIn`, `JobQueue.runBatch`): a crash or an error rolls the whole batch
 *   back, its jobs still queued; after a failed batch the worker runs steps one by one, leased
 *   (`runIn`), so one bad step cannot hold the others back.
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
      await this.database.transaction((tx) => this.runSteps(tx, [payload])).catch(ignoreSuperseded);
    },
    runIn: (tx, payload) => this.runSteps(tx, [payload]).then(() => undefined),
    runManyIn: (tx, payloads) => this.runSteps(tx, payloads).then(() => undefined),
  };

  /** `runSteps` of one delivery. */
  async runStep(tx: Tx, payload: StepPayload): Promise<StepOutcome> {
    const [outcome] = await this.runSteps(tx, [payload]);
    return outcome ?? 'stale';
  }

  /**
   * Run each delivered step whose enrolment is running, at that step, and due; anything else is a
   * duplicate or late delivery: no change. The effects, then the advances of all of them (one
   * compare-and-set statement on (step, state = running)) and their next jobs commit together.
   */
  async runSteps(tx: Tx, payloads: StepPayload[]): Promise<StepOutcome[]> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const ids = [...new Set(payloads.map((p) => p.enrolmentId))].sort();
    if (ids.length === 0) return [];
    const pg = this.database.dialect === 'postgres';
    // PostgreSQL: one array parameter instead of one per id (parse and bind, B6).
    let query = tx.db.selectFrom('sequence_enrolments').selectAll().where(pg ? sql<boolean>`id = any(${ids}::text[])` : sql<boolean>`id in (${sql.join(ids)})`).orderBy('id');
    // Events wait for a running step (and it for them), so the compare-and-set below cannot miss.
    if (pg) query = query.forUpdate();
    const rows = new Map((await query.execute()).map((r) => [r.id, r]));
    const changed = new Map<string, { fromStep: number; row: SequenceEnrolmentTable }>();
    const next = new Map<string, { payload: StepPayload; key: string; runAt: Date }>();
    const outcomes: StepOutcome[] = [];
    for (const { enrolmentId, step } of payloads) {
      const row = rows.get(enrolmentId);
      if (!row || row.state !== 'running' || row.step !== step) {
        outcomes.push('stale');
        continue;
      }
      if (Date.parse(row.next_run_at) > now.getTime()) {
        // Delivered before its time (a stray copy, or another process's clock ahead): make sure the
        // step is queued for its own time, so it is never stranded, and do nothing now.
        const key = stepKey(enrolmentId, step);
        next.set(key, { payload: { enrolmentId, step }, key, runAt: new Date(row.next_run_at) });
        outcomes.push('early');
        continue;
      }
      const def = this.definition(row.sequence);
      const e = this.hydrate(def, row);
      const current = def.steps[step];
      const result: StepResult<unknown> = current ? await current.run(tx, e, now) : { kind: 'done' };
      const after: SequenceEnrolmentTable = { ...row, updated_at: nowIso };
      let queue: { step: number; at: Date } | undefined;
      if (result.kind === 'next' && step + 1 < def.steps.length) {
        const context = result.context === undefined ? e.context : def.context.parse(result.context);
        const at = this.place(def, def.steps[step + 1]?.due({ ...e, step: step + 1, context, lastStepAt: now }) ?? now, e.timeZone);
        Object.assign(after, { step: step + 1, next_run_at: at.toISOString(), context: JSON.stringify(context), last_step_at: nowIso });
        queue = { step: step + 1, at };
      } else if (result.kind === 'wait') {
        const at = this.place(def, new Date(Math.max(result.until.getTime(), now.getTime())), e.timeZone);
        after.next_run_at = at.toISOString();
        queue = { step, at };
      } else if (result.kind === 'stop') {
        Object.assign(after, { state: 'stopped', reason: result.reason, last_step_at: nowIso });
      } else {
        Object.assign(after, { state: 'done', reason: null, last_step_at: nowIso });
      }
      rows.set(enrolmentId, after);
      changed.set(enrolmentId, { fromStep: changed.get(enrolmentId)?.fromStep ?? step, row: after });
      if (queue) next.set(stepKey(enrolmentId, queue.step), { payload: { enrolmentId, step: queue.step }, key: stepKey(enrolmentId, queue.step), runAt: queue.at });
      outcomes.push('ran');
    }
    if (changed.size > 0 && (await this.advance(tx.db, [...changed.values()])) !== changed.size) {
      throw new StepSuperseded(`an enrolment moved during its step (${changed.size} expected)`);
    }
    // Debounce: a copy of a key still queued (a duplicate) is moved to the new time, not doubled.
    await this.jobs.enqueueMany(tx, stepJob, [...next.values()], 'debounce');
    return outcomes;
  }

  /**
   * Write the advances in one statement, compare-and-set on (step, state = running); returns how
   * many matched. One `update … from (values …)` for the batch: half the time of a statement per row
   * on SQLite (B6), and one round trip on PostgreSQL, where `from unnest(arrays)` is faster still.
   */
  private async advance(db: Executor, changes: Array<{ fromStep: number; row: SequenceEnrolmentTable }>): Promise<number> {
    const set = sql`update sequence_enrolments set state = v.state, step = v.step, next_run_at = v.next_run_at, context = v.context, reason = v.reason,
        last_step_at = v.last_step_at, updated_at = v.updated_at`;
    const where = sql`where sequence_enrolments.id = v.id and sequence_enrolments.step = v.from_step and sequence_enrolments.state = 'running'`;
    if (this.database.dialect === 'postgres') {
      // One array per column: 9 parameters for the batch instead of 9 per row (parse and bind, B6).
      const col = <T>(f: (c: { fromStep: number; row: SequenceEnrolmentTable }) => T) => changes.map(f);
      const res = await sql`
        ${set}
        from unnest(${col((c) => c.row.id)}::text[], ${col((c) => c.fromStep)}::integer[], ${col((c) => c.row.state)}::text[], ${col((c) => c.row.step)}::integer[],
          ${col((c) => c.row.next_run_at)}::text[], ${col((c) => c.row.context)}::text[], ${col((c) => c.row.reason)}::text[], ${col((c) => c.row.last_step_at)}::text[],
          ${col((c) => c.row.updated_at)}::text[]) as v (id, from_step, state, step, next_run_at, context, reason, last_step_at, updated_at)
        ${where}`.execute(db);
      return Number(res.numAffectedRows ?? 0);
    }
    const values = changes.map(
      ({ fromStep, row: r }) =>
        sql`(${r.id}, cast(${fromStep} as integer), ${r.state}, cast(${r.step} as integer), ${r.next_run_at}, ${r.context}, ${r.reason}, ${r.last_step_at}, ${r.updated_at})`,
    );
    const res = await sql`
      with v (id, from_step, state, step, next_run_at, context, reason, last_step_at, updated_at) as (values ${sql.join(values)})
      ${set} from v ${where}`.execute(db);
    return Number(res.numAffectedRows ?? 0);
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
