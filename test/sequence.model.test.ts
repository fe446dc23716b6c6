/**
 * A fast-check model of enrolments against the real sequence runner on a real database, both
 * dialects. Commands: enrol, pause, resume, stop event, a stop condition the next step sees,
 * duplicate delivery (a step job run twice, a copy enqueued without its key), a stale step number,
 * clock jumps (small and big), run-due. After every command: the enrolments' states and steps agree
 * with the model, each step's effect happened exactly once (a row written in the step transaction),
 * at most one active enrolment per subject, and no step ran before its time.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../src/server/clock.js';
import { Database } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { JobQueue } from '../src/server/jobs/queue.js';
import { SEQUENCE_STEP_JOB, SequenceRunner, stepKey } from '../src/server/jobs/sequence.js';
import { Worker } from '../src/server/jobs/worker.js';
import { fcParameters } from './_model-state.js';
import { dialects, freshDatabase, type TestDb } from './_util.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Step i is due this long after the previous step ran (the first: after enrolment). */
const DELAYS = [1 * HOUR, 1 * DAY, 3 * HOUR];
const SUBJECTS = ['s1', 's2', 's3'];

type State = 'running' | 'paused' | 'stopped' | 'done';
interface MEnrolment {
  id: string;
  state: State;
  step: number;
  due: number;
}
interface Model {
  now: number;
  enrolments: Map<string, MEnrolment[]>; // by subject, oldest first
  stopFlag: Set<string>;
  effects: Set<string>; // `${enrolment}:${step}`
}

type Command =
  | { kind: 'enrol' | 'pause' | 'resume' | 'stop' | 'condition' | 'twice' | 'copy' | 'stale' | 'early'; subject: string }
  | { kind: 'advance'; ms: number }
  | { kind: 'runDue' };

const subject = fc.constantFrom(...SUBJECTS);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: subject.map((s) => ({ kind: 'enrol' as const, subject: s })) },
  { weight: 2, arbitrary: subject.map((s) => ({ kind: 'pause' as const, subject: s })) },
  { weight: 2, arbitrary: subject.map((s) => ({ kind: 'resume' as const, subject: s })) },
  { weight: 1, arbitrary: subject.map((s) => ({ kind: 'stop' as const, subject: s })) },
  { weight: 1, arbitrary: subject.map((s) => ({ kind: 'condition' as const, subject: s })) },
  { weight: 2, arbitrary: subject.map((s) => ({ kind: 'twice' as const, subject: s })) },
  { weight: 1, arbitrary: subject.map((s) => ({ kind: 'copy' as const, subject: s })) },
  { weight: 1, arbitrary: subject.map((s) => ({ kind: 'stale' as const, subject: s })) },
  { weight: 1, arbitrary: subject.map((s) => ({ kind: 'early' as const, subject: s })) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 30 * HOUR }).map((ms) => ({ kind: 'advance' as const, ms })) },
  { weight: 1, arbitrary: fc.integer({ min: 1 * DAY, max: 60 * DAY }).map((ms) => ({ kind: 'advance' as const, ms })) },
  { weight: 4, arbitrary: fc.constant({ kind: 'runDue' as const }) },
);

describe.each(dialects)('sequence runner model [%s]', (dialect) => {
  let tdb: TestDb;
  let database: Database;
  let clock: ManualClock;
  let runner: SequenceRunner;
  let worker: Worker;
  let queue: JobQueue;
  beforeAll(async () => {
    tdb = await freshDatabase(dialect);
    database = Database.open(tdb.url);
    await migrateToLatest(database);
    await sql`create table seq_effects (sequence text not null, enrolment_id text not null, step integer not null, due text not null, ran_at text not null)`.execute(database.db);
    clock = new ManualClock('2026-05-01T00:00:00.000Z');
    queue = new JobQueue(database, clock);
    runner = new SequenceRunner(database, clock, queue);
    worker = new Worker(queue, pino({ level: 'silent' }), { concurrency: 4, pollMs: 1000, leaseMs: 60_000 });
    worker.register(runner.job);
  });
  afterAll(async () => {
    await database.close();
    await tdb.drop();
  });

  let runs = 0;
  const seen = new Map<string, number>();
  const note = (label: string, n = 1) => seen.set(label, (seen.get(label) ?? 0) + n);
  it('agrees with the model after every command', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 60, size: 'max' }), async (commands) => {
        const name = `model-${++runs}`;
        const model: Model = { now: clock.now().getTime(), enrolments: new Map(), stopFlag: new Set(), effects: new Set() };
        const flags = new Set<string>();
        runner.define({
          name,
          context: z.object({}),
          steps: DELAYS.map((ms, step) => ({
            due: (e) => new Date((e.lastStepAt ?? e.enrolledAt).getTime() + ms),
            run: async (tx, e, now) => {
              if (flags.has(e.subjectId)) return { kind: 'stop', reason: 'condition' };
              await sql`insert into seq_effects values (${name}, ${e.id}, ${step}, ${e.nextRunAt.toISOString()}, ${now.toISOString()})`.execute(tx.db);
              return { kind: 'next' };
            },
          })),
        });
        try {
          for (const c of commands) {
            await apply(name, c, model, flags);
            await check(name, model);
          }
          note('effects', model.effects.size);
          for (const list of model.enrolments.values()) for (const e of list) note(e.state);
        } finally {
          await database.db.deleteFrom('jobs').execute();
        }
      }),
      fcParameters(Number(process.env.SEQUENCE_MODEL_RUNS ?? 60)),
    );
    if (process.env.SEQUENCE_MODEL_STATS) console.log(dialect, Object.fromEntries(seen));
    // The commands reach every state, and steps ran (not a model that only ever agreed on nothing).
    for (const label of ['effects', 'running', 'paused', 'stopped', 'done']) expect(seen.get(label) ?? 0, label).toBeGreaterThan(0);
  }, 600_000);

  const active = (m: Model, s: string) => (m.enrolments.get(s) ?? []).find((e) => e.state === 'running' || e.state === 'paused');

  /** The model's run of one due step (the same as the runner's). */
  function step(m: Model, subjectId: string, e: MEnrolment): void {
    if (m.stopFlag.has(subjectId)) {
      e.state = 'stopped';
      return;
    }
    m.effects.add(`${e.id}:${e.step}`);
    if (e.step + 1 >= DELAYS.length) e.state = 'done';
    else {
      e.step += 1;
      e.due = m.now + (DELAYS[e.step] ?? 0);
    }
  }

  async function apply(name: string, c: Command, m: Model, flags: Set<string>): Promise<void> {
    if (c.kind === 'advance') {
      clock.advance(c.ms);
      m.now += c.ms;
      return;
    }
    if (c.kind === 'runDue') {
      await worker.runDue();
      for (const [s, list] of m.enrolments) for (const e of list) if (e.state === 'running' && e.due <= m.now) step(m, s, e);
      return;
    }
    const s = c.subject;
    const a = active(m, s);
    switch (c.kind) {
      case 'enrol': {
        const id = await database.transaction((t) => runner.enrol(t, name, s, { context: {} }));
        if (a) expect(id).toBeUndefined();
        else {
          expect(id).toBeTypeOf('string');
          const list = m.enrolments.get(s) ?? [];
          list.push({ id: id as string, state: 'running', step: 0, due: m.now + (DELAYS[0] ?? 0) });
          m.enrolments.set(s, list);
        }
        return;
      }
      case 'pause':
        expect(await database.transaction((t) => runner.pause(t, name, s, 'model'))).toBe(a?.state === 'running');
        if (a?.state === 'running') a.state = 'paused';
        return;
      case 'resume':
        expect(await database.transaction((t) => runner.resume(t, name, s))).toBe(a?.state === 'paused');
        if (a?.state === 'paused') a.state = 'running';
        return;
      case 'stop':
        expect(await database.transaction((t) => runner.stop(t, name, s, 'event'))).toBe(a !== undefined);
        if (a) a.state = 'stopped';
        return;
      case 'condition':
        flags.add(s);
        m.stopFlag.add(s);
        return;
      case 'twice': {
        // The current step's job delivered twice: it runs at most once, and only when due.
        if (!a) return;
        const payload = { enrolmentId: a.id, step: a.step };
        await runner.job.run(payload, { id: 'twice', attempts: 1 });
        await runner.job.run(payload, { id: 'twice', attempts: 1 });
        if (a.state === 'running' && a.due <= m.now) step(m, s, a);
        return;
      }
      case 'copy': {
        // A second job for the current step, without the key and due now: a later run-due meets it.
        if (!a) return;
        await database.transaction((t) => queue.enqueue(t, { name: SEQUENCE_STEP_JOB }, { enrolmentId: a.id, step: a.step }));
        return;
      }
      case 'early': {
        // A worker whose clock runs ahead takes the current step's own job before its time and
        // completes it: the runner must queue the step again for its time, never strand it.
        if (!a || a.state !== 'running' || a.due <= m.now) return;
        await database.db.updateTable('jobs').set({ state: 'done' }).where('key', '=', stepKey(a.id, a.step)).where('state', '=', 'queued').execute();
        await runner.job.run({ enrolmentId: a.id, step: a.step }, { id: 'early', attempts: 1 });
        return;
      }
      case 'stale': {
        // An earlier step number, or the last enrolment of the subject if none is active.
        const last = a ?? (m.enrolments.get(s) ?? []).at(-1);
        if (!last) return;
        await runner.job.run({ enrolmentId: last.id, step: Math.max(0, last.step - 1) }, { id: 'stale', attempts: 1 });
        const dueNow = last.state === 'running' && last.due <= m.now && last.step === 0;
        if (dueNow) step(m, s, last); // step 0 has no earlier number: that delivery is the current one
        return;
      }
    }
  }

  async function check(name: string, m: Model): Promise<void> {
    const rows = await database.db.selectFrom('sequence_enrolments').selectAll().where('sequence', '=', name).orderBy('id').execute();
    const real = rows.map((r) => `${r.subject_id} ${r.id} ${r.state} ${r.step} ${r.state === 'running' || r.state === 'paused' ? r.next_run_at : ''}`);
    const expected = [...m.enrolments]
      .flatMap(([s, list]) => list.map((e) => ({ s, e })))
      .sort((x, y) => (x.e.id < y.e.id ? -1 : 1))
      .map(({ s, e }) => `${s} ${e.id} ${e.state} ${e.step} ${e.state === 'running' || e.state === 'paused' ? new Date(e.due).toISOString() : ''}`);
    expect(real).toEqual(expected);
    for (const s of SUBJECTS) expect(rows.filter((r) => r.subject_id === s && (r.state === 'running' || r.state === 'paused')).length).toBeLessThanOrEqual(1);
    const effects = await sql<{ enrolment_id: string; step: number; due: string; ran_at: string }>`select enrolment_id, step, due, ran_at from seq_effects where sequence = ${name}`.execute(database.db);
    const keys = effects.rows.map((r) => `${r.enrolment_id}:${Number(r.step)}`);
    expect(keys.length).toBe(new Set(keys).size); // exactly once: never twice
    expect(new Set(keys)).toEqual(m.effects); // and every step the model ran
    for (const r of effects.rows) expect(Date.parse(r.ran_at)).toBeGreaterThanOrEqual(Date.parse(r.due)); // never before its time
    // Each running enrolment has its current step queued (a job that will run it), keyed.
    for (const r of rows.filter((x) => x.state === 'running')) {
      const job = await database.db.selectFrom('jobs').select('run_at').where('key', '=', stepKey(r.id, r.step)).where('state', '=', 'queued').executeTakeFirst();
      expect(job, `queued job for ${r.id}:${r.step}`).toBeDefined();
    }
  }
});
