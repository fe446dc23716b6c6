/**
 * The worker's batches of sequence steps (one transaction claims, runs and completes up to 64),
 * both dialects: a step that throws rolls its batch back, and the others then run one by one, so
 * they are done and only the bad one is retried; a payload that fails its schema fails alone.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../src/server/clock.js';
import { Database } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { JobQueue } from '../src/server/jobs/queue.js';
import { SEQUENCE_STEP_JOB, SequenceRunner } from '../src/server/jobs/sequence.js';
import { Worker } from '../src/server/jobs/worker.js';
import { dialects, freshDatabase, type TestDb } from './_util.js';

describe.each(dialects)('sequence step batches [%s]', (dialect) => {
  let tdb: TestDb;
  let database: Database;
  const clock = new ManualClock('2026-05-01T00:00:00.000Z');
  let queue: JobQueue;
  let runner: SequenceRunner;
  const ran: string[] = [];
  beforeAll(async () => {
    tdb = await freshDatabase(dialect);
    database = Database.open(tdb.url);
    await migrateToLatest(database);
    queue = new JobQueue(database, clock);
    runner = new SequenceRunner(database, clock, queue);
    runner.define({
      name: 'batch',
      context: z.object({}),
      steps: [
        {
          due: (e) => e.enrolledAt,
          run: async (_tx, e) => {
            if (e.subjectId === 'bad') throw new Error('this step always fails');
            ran.push(e.subjectId);
            return { kind: 'done' };
          },
        },
      ],
    });
  });
  afterAll(async () => {
    await database.close();
    await tdb.drop();
  });

  it('runs the good steps of a batch that a bad step rolled back, and retries only the bad one', async () => {
    const subjects = ['a', 'b', 'bad', 'c', 'd'];
    await database.transaction(async (tx) => {
      for (const s of subjects) await runner.enrol(tx, 'batch', s, { context: {} });
      // And a job whose payload fails the step schema.
      await queue.enqueue(tx, { name: SEQUENCE_STEP_JOB }, { enrolmentId: 42 });
    });
    const worker = new Worker(queue, pino({ level: 'silent' }), { concurrency: 4, pollMs: 1000, leaseMs: 60_000, batchSize: 64 });
    worker.register(runner.job);
    await worker.runDue();
    expect(ran.sort()).toEqual(['a', 'b', 'c', 'd']);
    const states = await database.db.selectFrom('sequence_enrolments').select(['subject_id', 'state']).orderBy('subject_id').execute();
    expect(states).toEqual(subjects.sort().map((s) => ({ subject_id: s, state: s === 'bad' ? 'running' : 'done' })));
    const jobs = await database.db.selectFrom('jobs').select(['state', 'attempts', 'last_error', 'payload']).where('state', '!=', 'done').orderBy('payload').execute();
    expect(jobs).toHaveLength(2);
    const bad = jobs.find((j) => j.payload.includes('enrolmentId":"'));
    expect(bad).toMatchObject({ state: 'queued', attempts: 1, last_error: 'this step always fails' });
    expect(jobs.find((j) => j.payload.includes('"enrolmentId":42'))).toMatchObject({ state: 'failed', attempts: 1 });
    // The good steps ran once each, however often the worker comes back.
    clock.advance(3_600_000);
    await worker.runDue();
    expect(ran.sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});
